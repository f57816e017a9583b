// The project config's option keys (limits, store, scope, origins, exclude, overrides): how they
// are validated, how they stack with flags and defaults, and what the steps do with them.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, validate, type AiSecureConfig } from '../../src/engine/config.js';
import { optionResolver } from '../../src/engine/options.js';
import { loadPythonParser } from '../../src/lang/python/parse.js';
import { runSteps } from '../../src/engine/runner.js';
import { stepOptions } from '../../src/engine/registry.js';
import { transforms } from '../../src/engine/steps.js';
import { tempDir, writeTree } from '../helpers/project.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
beforeAll(loadPythonParser);

const step = (slug: string) => transforms.find((t) => t.meta.slug === slug)!;
const OPTIONS = transforms.flatMap((t) => t.options);

function project(files: Record<string, string>): string {
  const { dir, cleanup } = tempDir('aisc-config-');
  cleanups.push(cleanup);
  writeTree(dir, files);
  return dir;
}

const problem = (value: unknown) => {
  try {
    validate(value, 'ai-secure.config.json', stepOptions());
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return undefined;
};

describe('config option keys: validation', () => {
  it.each<[string, unknown, RegExp]>([
    [
      'an unknown key, naming the known ones',
      { limit: {} },
      /unknown key "limit" \(known: ignore, limits, store, scope, origins, exclude, overrides\)$/,
    ],
    [
      'limits that are not an object',
      { limits: 5 },
      /"limits" must be an object such as \{ "perMinute": 5, "perDay": 50 \}/,
    ],
    ['an unknown limit', { limits: { perHour: 5 } }, /limits: unknown key "perHour" \(known: perMinute, perDay\)/],
    [
      'a limit given as a string',
      { limits: { perMinute: '5' } },
      /"limits\.perMinute" must be a number such as 5 \(got "5"\)/,
    ],
    ['a zero limit', { limits: { perMinute: 0 } }, /"limits\.perMinute" must be a whole number above 0 \(got 0\)/],
    ['a fractional limit', { limits: { perDay: 2.5 } }, /"limits\.perDay" must be a whole number above 0 \(got 2\.5\)/],
    [
      'a day below the minute',
      { limits: { perMinute: 10, perDay: 5 } },
      /"limits\.perDay" \(5\) must be at least "limits\.perMinute" \(10\)/,
    ],
    ['an unknown store', { store: 'redis' }, /"store" must be one of "auto", "memory", "upstash" \(got "redis"\)/],
    ['an unknown scope', { scope: 'all' }, /"scope" must be one of "ai", "post" \(got "all"\)/],
    [
      'origins as a string',
      { origins: 'https://app.example.com' },
      /"origins" must be a list of origins such as \["https:\/\/app\.example\.com"\]/,
    ],
    ['an empty origins list', { origins: [] }, /"origins" must be a list of origins/],
    ['a wildcard origin', { origins: ['https://app.example.com', '*'] }, /"origins" must list origins, not "\*"/],
    [
      'an origin with a path',
      { origins: ['https://app.example.com/app'] },
      /"origins" takes origins such as https:\/\/app\.example\.com \(scheme, host, optional port; no path\): got "https:\/\/app\.example\.com\/app"/,
    ],
    [
      'exclude that is not a pattern list',
      { exclude: [3] },
      /"exclude" must be a pattern or a list of patterns \(gitignore syntax\)/,
    ],
    [
      'overrides that are not a list',
      { overrides: {} },
      /"overrides" must be a list of \{ "paths", "limits"\?, "scope"\?, "skip"\?, "reason"\? \}/,
    ],
    ['an override without paths', { overrides: [{ scope: 'post' }] }, /overrides\[0\]: "paths" is required/],
    [
      'an override of a per-project key',
      { overrides: [{ paths: 'a/**', store: 'memory' }] },
      /overrides\[0\]: unknown key "store" \(known: paths, limits, scope, skip, reason\)/,
    ],
    [
      'a bad limit in an override',
      { overrides: [{ paths: 'a/**', limits: { perMinute: -1 } }] },
      /overrides\[0\]: "limits\.perMinute" must be a whole number above 0 \(got -1\)/,
    ],
    [
      'skip without a reason',
      { overrides: [{ paths: 'a/**', skip: true }] },
      /overrides\[0\]: "skip": true needs a "reason"/,
    ],
    [
      'skip that is not a boolean',
      { overrides: [{ paths: 'a/**', skip: 'yes', reason: 'x' }] },
      /overrides\[0\]: "skip" must be true or false \(got "yes"\)/,
    ],
    [
      'a reason without skip',
      { overrides: [{ paths: 'a/**', scope: 'post', reason: 'x' }] },
      /overrides\[0\]: "reason" goes with "skip": true/,
    ],
    [
      'an override that sets nothing',
      { overrides: [{ paths: 'a/**' }] },
      /overrides\[0\] changes nothing: give "limits", "scope" or "skip"/,
    ],
  ])('%s', (_, value, message) => {
    expect(problem(value)).toMatch(message);
  });

  it('keeps the options as the steps read them', () => {
    const config = validate(
      {
        limits: { perMinute: 3, perDay: 30 },
        store: 'memory',
        scope: 'post',
        origins: ['https://a.example.com', 'https://b.example.com'],
        exclude: 'legacy/**',
        overrides: [{ paths: ['app/api/admin/**'], limits: { perMinute: 20 }, skip: false }],
      },
      'x',
      stepOptions(),
    );
    expect(config).toEqual({
      ignore: [],
      options: {
        perMinute: 3,
        perDay: 30,
        store: 'memory',
        scope: 'post',
        origins: 'https://a.example.com,https://b.example.com',
      },
      exclude: ['legacy/**'],
      overrides: [{ paths: ['app/api/admin/**'], options: { perMinute: 20, skip: false } }],
    });
  });
});

describe('option precedence: flag > override > config > default', () => {
  const config: AiSecureConfig = {
    ignore: [],
    dir: '/p',
    source: 'ai-secure.config.json',
    options: { perMinute: 3, scope: 'post' },
    overrides: [
      { paths: ['app/api/admin/**'], options: { perMinute: 20, perDay: 500 } },
      { paths: ['app/api/admin/export/**'], options: { perDay: 900, skip: 'internal' } },
    ],
  };

  it('fills in, option by option, what the layer above leaves out', () => {
    const none = optionResolver(OPTIONS, {}, undefined);
    expect(none.top).toMatchObject({ perMinute: 5, perDay: 50, store: 'auto', scope: 'ai', origins: '' });
    const resolved = optionResolver(OPTIONS, {}, config);
    expect(resolved.top).toMatchObject({ perMinute: 3, perDay: 50, store: 'auto', scope: 'post' });
    expect(resolved.forFile('/p/app/api/chat/route.ts')).toBe(resolved.top);
    expect(resolved.forFile('/p/app/api/admin/chat/route.ts')).toMatchObject({
      perMinute: 20,
      perDay: 500,
      scope: 'post',
    });
    expect(resolved.forFile('/p/app/api/admin/chat/route.ts').skipReason).toBeUndefined();
    // Both overrides match: the later wins key by key.
    expect(resolved.forFile('/p/app/api/admin/export/route.ts')).toMatchObject({
      perMinute: 20,
      perDay: 900,
      skipReason: 'internal',
    });
    // Outside the config's folder: no override applies.
    expect(resolved.forFile('/elsewhere/app/api/admin/chat/route.ts')).toBe(resolved.top);
  });

  it('a flag wins over the override and the config; kebab-case keys count as flags too', () => {
    const resolved = optionResolver(OPTIONS, { perDay: 1000, scope: 'ai' }, config);
    expect(resolved.top).toMatchObject({ perMinute: 3, perDay: 1000, scope: 'ai' });
    expect(resolved.forFile('/p/app/api/admin/chat/route.ts')).toMatchObject({
      perMinute: 20,
      perDay: 1000,
      scope: 'ai',
    });
    expect(optionResolver(OPTIONS, { 'per-minute': 7 }, config).forFile('/p/app/api/admin/x.ts')).toMatchObject({
      perMinute: 7,
    });
  });

  it("`all --skip` is not an override's skip", () => {
    expect(
      optionResolver(OPTIONS, { skip: 'cors', skipReason: 'forged' }, config).forFile('/p/app/api/chat/route.ts')
        .skipReason,
    ).toBeUndefined();
  });

  it('checks the merged values: a flag beside a config value, a flag beside an override', () => {
    expect(optionResolver(OPTIONS, { perMinute: 0 }, config).check()).toBe(
      '--per-minute must be a whole number above 0 (got 0)',
    );
    expect(optionResolver(OPTIONS, { perMinute: 60 }, config).check()).toBe(
      '--per-day (50) must be at least --per-minute (60)',
    );
    expect(optionResolver(OPTIONS, { perMinute: 40 }, { ...config, options: { perDay: 30 } }).check()).toBe(
      '--per-day (30) must be at least --per-minute (40) (--per-day as ai-secure.config.json sets it)',
    );
    expect(optionResolver(OPTIONS, { perDay: 10 }, config).check()).toBe(
      'ai-secure.config.json: overrides[0]: --per-day (10) must be at least --per-minute (20)',
    );
    expect(optionResolver(OPTIONS, {}, config).check()).toBeUndefined();
  });
});

const OPENAI_ROUTE = `import OpenAI from 'openai';

const openai = new OpenAI();

export async function POST(req: Request) {
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: await req.text() });
  return Response.json({ text: result.output_text });
}
`;

function nextProject(config: object, files: Record<string, string> = {}): string {
  return project({
    'package.json': `${JSON.stringify({ name: 'app', dependencies: { next: '16.0.0', openai: '^5.0.0' } })}\n`,
    'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }\n',
    'ai-secure.config.json': JSON.stringify(config),
    'app/api/chat/route.ts': OPENAI_ROUTE,
    'app/api/admin/chat/route.ts': OPENAI_ROUTE,
    ...files,
  });
}

function runWithConfig(slug: string, dir: string, flags: Record<string, unknown> = {}) {
  const { config } = loadConfig(dir, dir, stepOptions());
  const result = runSteps([step(slug)], [dir], flags, { config });
  // Every changed file re-parsed (the runner reverts and reports one that does not).
  expect(result.files.filter((f) => f.status === 'error')).toEqual([]);
  const after = (path: string) => result.changes.find((c) => c.path === join(dir, path))?.after;
  const findings = (path: string) =>
    result.findings.filter((f) => f.file === join(dir, path)).map((f) => `${f.kind}: ${f.message}`);
  return { result, after, findings };
}

describe('next-ratelimit with the config', () => {
  it("an overridden route passes its own limits; the others use the helper, written with the config's limits", () => {
    const dir = nextProject({
      limits: { perMinute: 5, perDay: 50 },
      overrides: [{ paths: ['app/api/admin/**'], limits: { perMinute: 20, perDay: 500 } }],
    });
    const { after, findings } = runWithConfig('next-ratelimit', dir);
    expect(after('app/api/admin/chat/route.ts')).toContain(
      '  const limited = await rateLimit(req, { perMinute: 20, perDay: 500 });\n  if (limited) return limited;\n',
    );
    expect(after('app/api/chat/route.ts')).toContain('  const limited = await rateLimit(req);\n');
    expect(after('lib/rate-limit.ts')).toMatch(/^const PER_MINUTE = 5;\nconst PER_DAY = 50;$/m);
    expect(findings('app/api/admin/chat/route.ts')).toEqual([
      'changed: /api/admin/chat: POST reaches an AI API (openai): rate-limited (20/minute + 500/day per client)',
    ]);
    expect(findings('app/api/chat/route.ts')).toEqual([
      'changed: /api/chat: POST reaches an AI API (openai): rate-limited (5/minute + 50/day per client)',
    ]);
  });

  it("a flag beats the override; the config's top level sets the helper", () => {
    const dir = nextProject({
      limits: { perMinute: 4, perDay: 40 },
      store: 'memory',
      overrides: [{ paths: 'app/api/admin/**', limits: { perMinute: 20, perDay: 500 } }],
    });
    const { after } = runWithConfig('next-ratelimit', dir, { perDay: 600 });
    expect(after('app/api/admin/chat/route.ts')).toContain('rateLimit(req, { perMinute: 20, perDay: 600 })');
    expect(after('app/api/chat/route.ts')).toContain('rateLimit(req)');
    expect(after('lib/rate-limit.ts')).toMatch(/^const PER_MINUTE = 4;\nconst PER_DAY = 600;$/m);
    expect(after('lib/rate-limit.ts')).not.toContain('upstash'); // store: memory
  });

  it('a wrapped handler gets the limits as the second argument', () => {
    const dir = nextProject(
      { overrides: [{ paths: 'app/api/admin/**', limits: { perMinute: 20, perDay: 500 } }] },
      {
        'lib/chat.ts':
          "import OpenAI from 'openai';\n\nexport const createChatHandler = (o: { model: string }) => async (req: Request) => Response.json(await new OpenAI().responses.create({ model: o.model, input: await req.text() }));\n",
        'app/api/admin/chat/route.ts':
          "import { createChatHandler } from '@/lib/chat';\n\nexport const POST = createChatHandler({ model: 'gpt-4o-mini' });\n",
      },
    );
    const output = runWithConfig('next-ratelimit', dir).after('app/api/admin/chat/route.ts');
    expect(output).toContain(
      "export const POST = withRateLimit(createChatHandler({ model: 'gpt-4o-mini' }), { perMinute: 20, perDay: 500 });",
    );
  });

  it('skip: true leaves the route alone and says why; scope per file', () => {
    const dir = nextProject(
      {
        overrides: [
          { paths: ['app/api/admin/**'], skip: true, reason: 'behind SSO, limited by the gateway' },
          { paths: 'app/api/todos/**', scope: 'post' },
        ],
      },
      {
        'app/api/todos/route.ts':
          'export async function POST(req: Request) {\n  return Response.json(await req.json());\n}\n',
        'app/api/notes/route.ts':
          'export async function POST(req: Request) {\n  return Response.json(await req.json());\n}\n',
      },
    );
    const { after, findings } = runWithConfig('next-ratelimit', dir);
    expect(after('app/api/admin/chat/route.ts')).toBeUndefined();
    expect(findings('app/api/admin/chat/route.ts')).toEqual([
      'not-in-scope: /api/admin/chat: POST reaches an AI API (openai): left as it is, as the config says: behind SSO, limited by the gateway',
    ]);
    expect(after('app/api/todos/route.ts')).toContain('rateLimit(req)');
    expect(after('app/api/notes/route.ts')).toBeUndefined();
  });

  it('exclude: an excluded route is neither changed nor reported, and no endpoint is recorded for it', () => {
    const dir = nextProject({ exclude: ['app/api/admin/**'] });
    const { result, after } = runWithConfig('next-ratelimit', dir);
    expect(after('app/api/admin/chat/route.ts')).toBeUndefined();
    expect(after('app/api/chat/route.ts')).toContain('rateLimit(req)');
    expect(result.findings.some((f) => f.file?.includes('admin'))).toBe(false);
    expect(result.endpoints.map((e) => e.route)).toEqual(['/api/chat']);
  });

  it('exclude: a route reaching AI through an excluded module is still found', () => {
    const dir = nextProject(
      { exclude: ['legacy/'] },
      {
        'legacy/ai.ts':
          "import OpenAI from 'openai';\n\nexport const ask = (q: string) => new OpenAI().responses.create({ model: 'gpt-4o-mini', input: q });\n",
        'app/api/chat/route.ts':
          "import { ask } from '@/legacy/ai';\n\nexport async function POST(req: Request) {\n  return Response.json(await ask(await req.text()));\n}\n",
      },
    );
    expect(runWithConfig('next-ratelimit', dir).after('app/api/chat/route.ts')).toContain('rateLimit(req)');
  });

  it('a helper of ours already there: its own limits (any style) are what a route differs from', () => {
    const dir = nextProject(
      { limits: { perMinute: 5, perDay: 50 } },
      {
        'lib/rate-limit.ts':
          '// added by ai-secure-codemods\nconst PER_MINUTE = 7\nconst PER_DAY = 70\nexport async function rateLimit(request: Request, limits?: { perMinute: number; perDay: number }): Promise<Response | undefined> {\n  return undefined\n}\n',
      },
    );
    expect(runWithConfig('next-ratelimit', dir).after('app/api/chat/route.ts')).toContain(
      'rateLimit(req, { perMinute: 5, perDay: 50 })',
    );
  });

  it('a helper of ours from before per-route limits: the route is guarded with its limits and the user told', () => {
    const dir = nextProject(
      { overrides: [{ paths: 'app/api/admin/**', limits: { perMinute: 20, perDay: 500 } }] },
      {
        'lib/rate-limit.ts':
          '// added by ai-secure-codemods\nconst PER_MINUTE = 5;\nconst PER_DAY = 50;\nexport async function rateLimit(request: Request): Promise<Response | undefined> {\n  return undefined;\n}\n',
      },
    );
    const { after, findings } = runWithConfig('next-ratelimit', dir);
    expect(after('app/api/admin/chat/route.ts')).toContain('rateLimit(req);');
    expect(findings('app/api/admin/chat/route.ts')).toEqual([
      'changed: /api/admin/chat: POST reaches an AI API (openai): rate-limited (5/minute + 50/day per client)',
      "needs-human: /api/admin/chat: this route's limits are 20/minute + 500/day per client, but @/lib/rate-limit was written before a route could have its own: it gets the helper's 5/minute + 50/day per client",
    ]);
  });
});

const FASTAPI_MAIN = `from fastapi import FastAPI, Request
from openai import OpenAI

from app.routers import admin

client = OpenAI()
app = FastAPI()
app.include_router(admin.router)


@app.post("/chat")
async def chat(request: Request):
    return {"answer": client.responses.create(model="gpt-4o-mini", input=await request.body())}
`;
const FASTAPI_ADMIN = `from fastapi import APIRouter, Request
from openai import OpenAI

client = OpenAI()
router = APIRouter(prefix="/admin")


@router.post("/ask")
async def ask(request: Request):
    return {"answer": client.responses.create(model="gpt-4o-mini", input=await request.body())}
`;

describe('fastapi-ratelimit and flask-ratelimit with the config', () => {
  const fastapi = (config: object) =>
    project({
      'ai-secure.config.json': JSON.stringify(config),
      'requirements.txt': 'fastapi\nopenai\n',
      'app/__init__.py': '',
      'app/main.py': FASTAPI_MAIN,
      'app/routers/__init__.py': '',
      'app/routers/admin.py': FASTAPI_ADMIN,
    });

  it('an endpoint in an overridden module gets its own decorator strings', () => {
    const dir = fastapi({
      limits: { perMinute: 3, perDay: 30 },
      overrides: [{ paths: 'app/routers/admin.py', limits: { perMinute: 20, perDay: 500 } }],
    });
    const { after, findings } = runWithConfig('fastapi-ratelimit', dir);
    expect(after('app/routers/admin.py')).toContain(
      '@router.post("/ask")\n@limiter.limit("500/day")\n@limiter.limit("20/minute")\nasync def ask',
    );
    expect(after('app/main.py')).toContain(
      '@app.post("/chat")\n@limiter.limit("30/day")\n@limiter.limit("3/minute")\nasync def chat',
    );
    expect(findings('app/routers/admin.py')).toEqual([
      'changed: POST /admin/ask (ask) reaches an AI API (openai): rate-limited (20/minute + 500/day per client)',
    ]);
    for (const file of ['app/main.py', 'app/routers/admin.py']) {
      expect(() =>
        execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: after(file) }),
      ).not.toThrow();
    }
  });

  it('skip: true leaves the endpoint alone and reports the reason', () => {
    const dir = fastapi({ overrides: [{ paths: 'app/routers/**', skip: true, reason: 'admin only, behind the VPN' }] });
    const { after, findings } = runWithConfig('fastapi-ratelimit', dir);
    expect(after('app/routers/admin.py')).toBeUndefined();
    expect(findings('app/routers/admin.py')).toEqual([
      'not-in-scope: POST /admin/ask (ask) reaches an AI API (openai): left as it is, as the config says: admin only, behind the VPN',
    ]);
    expect(after('app/main.py')).toContain('@limiter.limit("5/minute")');
  });

  it('Flask takes its limits the same way', () => {
    const dir = project({
      'ai-secure.config.json': JSON.stringify({ overrides: [{ paths: '*.py', limits: { perMinute: 2, perDay: 20 } }] }),
      'requirements.txt': 'flask\nopenai\n',
      'app.py':
        'from flask import Flask, request\nfrom openai import OpenAI\n\nclient = OpenAI()\napp = Flask(__name__)\n\n\n@app.post("/chat")\ndef chat():\n    return {"answer": client.responses.create(model="gpt-4o-mini", input=request.json["q"]).output_text}\n',
    });
    expect(runWithConfig('flask-ratelimit', dir).after('app.py')).toContain(
      '@limiter.limit("20 per day")\n@limiter.limit("2 per minute")\ndef chat',
    );
  });
});

describe('cors with the config', () => {
  it("takes the config's origins when no --origins is given; the flag wins", () => {
    const dir = project({
      'ai-secure.config.json': JSON.stringify({ origins: ['https://app.example.com'] }),
      'server.py':
        'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=["*"])\n',
    });
    expect(runWithConfig('cors', dir).after('server.py')).toContain('or "https://app.example.com"');
    expect(runWithConfig('cors', dir, { origins: 'https://b.example.com' }).after('server.py')).toContain(
      'or "https://b.example.com"',
    );
  });
});
