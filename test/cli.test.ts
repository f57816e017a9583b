// The CLI as users run it: the compiled dist/bin/cli.js in a child process (`npm test` builds first).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/cli/command-options.js';
import { copyTree, readTree, tempDir, writeTree } from './helpers/project.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'bin', 'cli.js');
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const AI_ROUTE = `import OpenAI from 'openai';

const openai = new OpenAI();

export async function POST(req: Request) {
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: await req.text() });
  return Response.json({ text: result.output_text });
}
`;

function app(files: Record<string, string> = {}): string {
  const { dir, cleanup } = tempDir('aisc-cli-');
  cleanups.push(cleanup);
  writeTree(dir, {
    'package.json': `${JSON.stringify({ name: 'cli-app', dependencies: { next: '16.0.0', openai: '^5.0.0' } }, null, 2)}\n`,
    'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }\n',
    'app/api/chat/route.ts': AI_ROUTE,
    ...files,
  });
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
}

function gitRepo(files: Record<string, string> = {}): string {
  const dir = app(files);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

describe('help, version, list', () => {
  it('--help lists every transform with one line each, and the exit codes', () => {
    const { code, stdout } = run(['--help'], process.cwd());
    expect(code).toBe(0);
    expect(stdout).toMatch(/next-ratelimit \[paths\.\.\]\s+Rate-limit Next\.js route handlers/);
    expect(stdout).toMatch(/Exit codes: 0 ok/);
  });

  it('--version prints the package version', () => {
    const version = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).version;
    expect(run(['--version'], process.cwd()).stdout.trim()).toBe(version);
  });

  it('list prints each transform with its workflow step', () => {
    expect(run(['list'], process.cwd()).stdout).toMatch(/^next-ratelimit\s+step 2: /m);
  });

  it('a transform --help shows its options', () => {
    const { stdout } = run(['next-ratelimit', '--help'], process.cwd());
    for (const flag of [
      '--per-minute',
      '--per-day',
      '--store',
      '--scope',
      '--dry',
      '--check',
      '--print',
      '--json',
      '--force',
    ])
      expect(stdout).toContain(flag);
  });
});

describe('usage errors exit 2 with a clear message', () => {
  it.each([
    [['next-ratelimit', '.', '--nope'], /Unknown argument: nope/],
    [['next-ratelimit', '.', '--store', 'disk'], /Invalid values:[\s\S]*store/],
    [['next-ratelimit', '.', '--scope', 'all'], /Invalid values:[\s\S]*scope/],
    [['next-ratelimit', '.', '--per-minute', '0'], /--per-minute must be a whole number above 0/],
    [['next-ratelimit', '.', '--per-minute', 'five'], /--per-minute must be a whole number above 0/],
    [['next-ratelimit', '.', '--per-day', '3'], /--per-day \(3\) must be at least --per-minute \(5\)/],
    [['next-ratelimit', 'does/not/exist', '--dry'], /path not found: does\/not\/exist/],
    [['no-such-transform'], /Unknown argument: no-such-transform/],
    [[], /Name a transform/],
  ])('%j', (args, message) => {
    const dir = app();
    const { code, stderr } = run(args, dir);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
    expect(readTree(dir)['app/api/chat/route.ts']).toBe(AI_ROUTE);
  });
});

describe('dry run', () => {
  it('writes nothing, prints a diff that git apply takes, and a summary', () => {
    const dir = gitRepo();
    const before = readTree(dir);
    const { code, stdout, stderr } = run(['next-ratelimit', '.', '--dry'], dir);
    expect(code).toBe(0);
    expect(readTree(dir)).toEqual(before);
    expect(stdout).toContain('+++ b/app/api/chat/route.ts');
    expect(stdout).toContain('+  const limited = await rateLimit(req);');
    expect(stdout).toContain('new file mode 100644');
    expect(stderr).toMatch(/Summary: would change 2, would create 2, unchanged 0, skipped 0, errored 0/);

    // The saved diff is a patch: applied, it gives exactly what write mode gives.
    const patchDir = tempDir('aisc-patch-');
    cleanups.push(patchDir.cleanup);
    const patch = join(patchDir.dir, 'fix.patch');
    writeFileSync(patch, stdout);
    git(dir, 'apply', '--check', patch);
    git(dir, 'apply', patch);
    const applied = readTree(dir);
    git(dir, 'stash', '-u', '-q');
    expect(run(['next-ratelimit', '.'], dir).code).toBe(0);
    expect(readTree(dir)).toEqual(applied);
  });

  it('--check exits 3 when changes are needed and 0 when none are', () => {
    const dir = app();
    expect(run(['next-ratelimit', '.', '--check'], dir).code).toBe(3);
    expect(run(['next-ratelimit', '.'], dir).code).toBe(0);
    expect(run(['next-ratelimit', '.', '--check'], dir).code).toBe(0);
  });

  it('--print prints the transformed files and writes nothing', () => {
    const dir = app();
    const { code, stdout } = run(['next-ratelimit', '.', '--print'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain("import { rateLimit } from '@/lib/rate-limit';");
    expect(readTree(dir)['app/api/chat/route.ts']).toBe(AI_ROUTE);
  });

  it('--json gives files, edits, findings and skips with reasons', () => {
    const dir = app({
      'app/api/broken/route.ts': "import OpenAI from 'openai';\nexport async function POST( {\n",
      'app/api/image/route.ts': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]).toString('latin1'),
    });
    const { code, stdout } = run(['next-ratelimit', '.', '--json', '--dry'], dir);
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.transform).toBe('next-ratelimit');
    expect(json.options).toEqual({ perMinute: 5, perDay: 50, store: 'auto', scope: 'ai' });
    expect(json.files).toEqual(
      expect.arrayContaining([
        { path: 'app/api/chat/route.ts', status: 'changed', edits: { added: 3, removed: 0 } },
        { path: 'lib/rate-limit.ts', status: 'created', edits: expect.objectContaining({ removed: 0 }) },
        {
          path: 'app/api/broken/route.ts',
          status: 'error',
          reason: expect.stringMatching(/Unexpected token/),
          line: 3,
        },
        { path: 'app/api/image/route.ts', status: 'skipped', reason: 'binary file' },
      ]),
    );
    expect(json.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'changed', file: 'app/api/chat/route.ts', line: 5 })]),
    );
    expect(json.summary).toMatchObject({ changed: 2, created: 2, errored: 1, skipped: 1 });
  });
});

describe('bad input loses nothing', () => {
  it('one unparsable file is reported with its line while the others are still processed (exit 1)', () => {
    const broken =
      "import OpenAI from 'openai';\nexport async function POST(req: Request) {\n  return Response.json(\n}\n";
    const dir = app({
      'app/api/broken/route.ts': broken,
      'app/api/latin/route.ts': Buffer.from('export const x = "caf\xe9";\n', 'latin1').toString('latin1'),
    });
    writeFileSync(join(dir, 'app/api/latin/route.ts'), Buffer.from('export const x = "caf\xe9";\n', 'latin1'));
    const { code, stderr } = run(['next-ratelimit', '.', '--force'], dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/error\s+app\/api\/broken\/route\.ts:4\s+Unexpected token/);
    expect(stderr).toMatch(/skipped app\/api\/latin\/route\.ts\s+not UTF-8 text/);
    const tree = readTree(dir);
    expect(tree['app/api/broken/route.ts']).toBe(broken);
    expect(tree['app/api/chat/route.ts']).toContain('await rateLimit(req)');
  });

  it('a broken Python file is reported with its line; the others are still fixed (exit 1)', () => {
    const { dir, cleanup } = tempDir('aisc-py-');
    cleanups.push(cleanup);
    const key = 'sk-proj-' + 'FAKEkeyFORtestsONLY8888888888888888888888';
    const broken = `from openai import OpenAI\nclient = OpenAI(api_key="${key}"\ndef f(:\n`;
    writeTree(dir, {
      'broken.py': broken,
      'good.py': `from openai import OpenAI\nclient = OpenAI(api_key="${key}")\n`,
    });
    const { code, stdout, stderr } = run(['hardcoded-keys', '.', '--force'], dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/error\s+broken\.py:2\s+invalid Python syntax/);
    expect(stdout + stderr).not.toContain(key);
    const tree = readTree(dir);
    expect(tree['broken.py']).toBe(broken);
    expect(tree['good.py']).toBe(
      'import os\n\nfrom openai import OpenAI\nclient = OpenAI(api_key=os.environ["OPENAI_API_KEY"])\n',
    );
  });

  it('fastapi-ratelimit: a broken module is reported with its line and left as it is; the app is still protected (exit 1)', () => {
    const { dir, cleanup } = tempDir('aisc-fastapi-');
    cleanups.push(cleanup);
    const broken = 'from fastapi import APIRouter\nrouter = APIRouter()\n@router.post("/x"\ndef x(:\n    pass\n';
    const main =
      'from fastapi import FastAPI\nfrom openai import OpenAI\n\napp = FastAPI()\nclient = OpenAI()\n\n\n@app.post("/chat")\ndef chat(text: str):\n    return client.responses.create(model="gpt-4o-mini", input=text)\n';
    writeTree(dir, { 'requirements.txt': 'fastapi\nopenai\n', 'main.py': main, 'broken.py': broken });
    const { code, stderr } = run(['fastapi-ratelimit', '.', '--force'], dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/error\s+broken\.py:3\s+/);
    const tree = readTree(dir);
    expect(tree['broken.py']).toBe(broken);
    expect(tree['main.py']).toContain('@limiter.limit("5/minute")\ndef chat(request: Request, text: str):');
    expect(tree['requirements.txt']).toBe('fastapi\nopenai\nslowapi>=0.1.9\n');
  });

  it('write mode refuses a dirty git tree, and --force overrides', () => {
    const dir = gitRepo();
    writeFileSync(join(dir, 'notes.md'), 'work in progress\n');
    const refused = run(['next-ratelimit', '.'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/uncommitted changes[\s\S]*\?\? notes\.md[\s\S]*--force/);
    expect(readTree(dir)['app/api/chat/route.ts']).toBe(AI_ROUTE);
    const forced = run(['next-ratelimit', '.', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(readTree(dir)['app/api/chat/route.ts']).toContain('await rateLimit(req)');
  });

  it('never prints a secret: a hard-coded key in a changed file is masked in the diff', () => {
    const key = 'sk-proj-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';
    const dir = app({ 'app/api/chat/route.ts': AI_ROUTE.replace('new OpenAI()', `new OpenAI({ apiKey: '${key}' })`) });
    const outputs = [
      run(['next-ratelimit', '.', '--dry'], dir),
      run(['next-ratelimit', '.', '--print'], dir),
      run(['next-ratelimit', '.', '--json'], dir),
    ];
    for (const { stdout, stderr } of outputs) {
      expect(stdout + stderr).not.toContain(key);
      expect(stdout + stderr).not.toContain(key.slice(8, 30));
    }
    expect(outputs[0]!.stdout).toContain('sk-…O5p6');
  });
});

describe('plain jscodeshift', () => {
  it('runs the compiled transform per file: guards AI handlers, leaves the rest (the helper needs our runner)', () => {
    const dir = app({
      'lib/ai.ts': "import OpenAI from 'openai';\nexport const openai = new OpenAI();\n",
      'app/api/alias/route.ts': AI_ROUTE.replace(
        "import OpenAI from 'openai';\n\nconst openai = new OpenAI();\n",
        "import { openai } from '@/lib/ai';\n",
      ),
      'app/api/todo/route.ts': 'export async function POST() {\n  return Response.json({ ok: true });\n}\n',
    });
    const jscodeshift = join(import.meta.dirname, '..', 'node_modules', 'jscodeshift', 'bin', 'jscodeshift.js');
    const transform = join(import.meta.dirname, '..', 'dist', 'transforms', 'next-ratelimit.js');
    // --no-babel: the transform is an ES module, loaded with Node's own require(esm).
    const out = execFileSync(
      process.execPath,
      [jscodeshift, '--no-babel', '-t', transform, '--extensions=ts,tsx', '.'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    )
      // biome-ignore lint/suspicious/noControlCharactersInRegex: an ANSI color code starts with ESC
      .replace(/\x1b\[[0-9;]*m/g, ''); // CI=true makes it color its counts
    expect(out).toMatch(/0 errors\n0 unmodified\n2 skipped\n2 ok/);
    const tree = readTree(dir);
    expect(tree['app/api/chat/route.ts']).toContain("import { rateLimit } from '@/lib/rate-limit';");
    expect(tree['app/api/alias/route.ts']).toContain('const limited = await rateLimit(req);');
    expect(tree['app/api/todo/route.ts']).not.toContain('rateLimit');
    expect(tree['lib/rate-limit.ts']).toBeUndefined();
  });
});

describe('detect and check', () => {
  const FIXTURES = join(import.meta.dirname, '..', '__testfixtures__', 'detect');

  it('detect prints the report (text by default) and exits 0 even when checks would fail', () => {
    const { code, stdout } = run(['detect', join(FIXTURES, 'next-unprotected-route', 'input')], process.cwd());
    expect(code).toBe(0);
    expect(stdout).toMatch(/Next\.js \S*next-unprotected-route\/input/);
    expect(stdout).toMatch(
      /✘ POST \/api\/chat\s+\S*app\/api\/chat\/route\.ts:3\s+reaches openai via \S*lib\/ai\.ts\s+not rate-limited/,
    );
    expect(stdout).toMatch(/│ Rate limiting on every endpoint .*│ ✘ {2}1 +│/);
  });

  it(`check exits ${EXIT.checksFailed} when a check fails, with one ✔/✘ line each and the findings behind every ✘`, () => {
    const { code, stdout } = run(['check', join(FIXTURES, 'flask-blueprint-unprotected', 'input')], process.cwd());
    expect(code).toBe(EXIT.checksFailed);
    expect(stdout.split('\n').filter((l) => /^[✔✘] /.test(l))).toEqual([
      '✘ Rate limiting on every endpoint that reaches a paid AI API',
      '✘ CORS restricted to known origins',
      '✔ .env, .env.local and .env.* ignored by git',
      '✔ API keys only in server-side env vars (no NEXT_PUBLIC_, nothing hard-coded)',
    ]);
    expect(stdout).toMatch(
      /ai\.py:8\s+POST \/ai\/ask \(ask\) reaches an AI API \(google\.genai\) and is not rate-limited/,
    );
    expect(stdout).toMatch(/2 of 4 checks fail\./);
  });

  it('check exits 0 when every check passes', () => {
    const { code, stdout } = run(['check', join(FIXTURES, 'next-already-limited', 'input')], process.cwd());
    expect(code).toBe(0);
    expect(stdout).toMatch(/All 4 checks pass\./);
  });

  it('--format json, markdown and sarif; an unknown format is a usage error', () => {
    const dir = join(FIXTURES, 'silenced-by-marker-and-config', 'input');
    const json = JSON.parse(run(['check', dir, '--format', 'json'], process.cwd()).stdout);
    expect(json.schemaVersion).toBe(1);
    expect(
      json.findings
        .filter((f: { silenced?: unknown }) => f.silenced)
        .map((f: { silenced: { by: string } }) => f.silenced.by),
    ).toEqual(['comment', 'config']);
    const markdown = run(['check', dir, '--format', 'markdown'], process.cwd());
    expect(markdown.code).toBe(EXIT.checksFailed);
    expect(markdown.stdout).toMatch(/^## ai-secure-codemods check: ❌ some checks fail/);
    expect(markdown.stdout).toContain('<summary>Silenced (2)</summary>');
    const sarif = JSON.parse(run(['detect', dir, '--format', 'sarif'], process.cwd()).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions?.length)).toHaveLength(2);
    const bad = run(['detect', dir, '--format', 'xml'], process.cwd());
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/Invalid values:[\s\S]*format/);
  });

  it('a missing path and a bad config are usage errors with a clear message; nothing is written', () => {
    expect(run(['detect', 'no/such/dir'], process.cwd())).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringMatching(/path not found: no\/such\/dir/),
    });
    const dir = app({
      'ai-secure.config.json': JSON.stringify({ ignore: [{ rule: 'rate-limits', reason: 'typo' }] }),
      'app/api/chat/route.ts': AI_ROUTE,
    });
    const { code, stderr } = run(['check', '.'], dir);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(
      /ai-secure\.config\.json: ignore\[0\]: "rule" must name a rule or checklist item: rate-limit, cors, env-gitignore, server-keys/,
    );
    const noReason = app({ 'ai-secure.config.json': JSON.stringify({ ignore: [{ rule: 'rate-limit' }] }) });
    expect(run(['check', '.'], noReason).stderr).toMatch(/"reason" is required/);
    const unknownKey = app({
      'package.json': JSON.stringify({ name: 'x', dependencies: { next: '16.0.0' }, aiSecure: { ignores: [] } }),
    });
    expect(run(['check', '.'], unknownKey).stderr).toMatch(
      /package\.json "aiSecure": unknown key "ignores" \(known: ignore, limits, store, scope, origins, exclude, overrides\)/,
    );
    expect(readTree(dir)['app/api/chat/route.ts']).toBe(AI_ROUTE);
  });

  it('the config in package.json ("aiSecure") silences a rule for some paths only', () => {
    const dir = app({
      'package.json': JSON.stringify({
        name: 'x',
        dependencies: { next: '16.0.0', openai: '^6.0.0' },
        aiSecure: { ignore: [{ rule: 'next-ratelimit', paths: 'app/api/admin/**', reason: 'admin only, behind SSO' }] },
      }),
      '.gitignore': '.env\n.env.local\n.env.*\n!.env.example\n',
      'app/api/admin/route.ts': AI_ROUTE,
      'app/api/chat/route.ts': 'export function GET() {\n  return Response.json({ ok: true });\n}\n',
    });
    expect(run(['check', '.'], dir).code).toBe(0);
    writeTree(dir, { 'app/api/chat/route.ts': AI_ROUTE });
    expect(run(['check', '.'], dir).code).toBe(EXIT.checksFailed);
  });
});

describe('cors options', () => {
  it('--origins takes origins only: "*" and paths are usage errors before anything runs', () => {
    const dir = app();
    expect(run(['cors', '.', '--dry', '--origins', 'https://a.example.com,*'], dir)).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringMatching(/--origins must list origins, not "\*"/),
    });
    expect(run(['cors', '.', '--dry', '--origins', 'https://a.example.com/app'], dir)).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringMatching(/no path\): got "https:\/\/a\.example\.com\/app"/),
    });
  });

  it('--origins sets the default allowlist written into the project', () => {
    const dir = app({
      'server.py':
        'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=["*"])\n',
    });
    const { code, stdout } = run(['cors', '.', '--dry', '--origins', 'https://a.example.com'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('+    raw = os.environ.get("ALLOWED_ORIGINS") or "https://a.example.com"');
  });
});

describe('all', () => {
  const EXAMPLES = join(import.meta.dirname, '..', 'examples');

  it('runs every step on one overlay: the checklist before fails, after passes; --patch applies with git apply', () => {
    const { dir, cleanup } = tempDir('aisc-all-');
    cleanups.push(cleanup);
    copyTree(EXAMPLES, dir);
    const patch = join(dir, '..', `${dir.split(/[\\/]/).pop()}.patch`);
    cleanups.push(() => rmSync(patch, { force: true }));
    const { code, stderr } = run(['all', '.', '--patch', patch], dir);
    expect(code).toBe(0);
    const [before, after] = stderr.split('Checklist after');
    expect(before).toMatch(/Checklist before[\s\S]*✘ Rate limiting on every endpoint[\s\S]*2 of 4 checks fail\./);
    expect(after).toMatch(/✔ Rate limiting[\s\S]*✔ CORS[\s\S]*✔ \.env[\s\S]*✔ API keys[\s\S]*All 4 checks pass\./);
    // One step saw the previous one's output: the limited FastAPI route and the .gitignore lines are both there.
    const tree = readTree(dir);
    expect(tree['fastapi-ai-app/app/routers/chat.py']).toContain('@limiter.limit("5/minute")');
    expect(tree['fastapi-ai-app/.gitignore']).toContain('.env.local');
    // The patch, applied to a fresh copy, gives the same files.
    const { dir: fresh, cleanup: cleanFresh } = tempDir('aisc-all-fresh-');
    cleanups.push(cleanFresh);
    copyTree(EXAMPLES, fresh);
    git(fresh, 'init', '-q');
    git(fresh, 'apply', patch);
    expect(readTree(fresh)).toEqual(
      Object.fromEntries(Object.entries(tree).filter(([path]) => !path.startsWith('.git/'))),
    );
  });

  it("composes: two steps that change one file give one diff for it, the later step editing the earlier one's output", () => {
    const { dir, cleanup } = tempDir('aisc-all-compose-');
    cleanups.push(cleanup);
    writeTree(dir, {
      'requirements.txt': 'fastapi==0.115.0\nopenai==1.50.0\n',
      'main.py': [
        'from fastapi import FastAPI',
        'from fastapi.middleware.cors import CORSMiddleware',
        'from openai import OpenAI',
        '',
        'app = FastAPI()',
        'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"])',
        'client = OpenAI()',
        '',
        '',
        '@app.post("/api/chat")',
        'def chat(prompt: str):',
        '    return client.responses.create(model="gpt-4o-mini", input=prompt).output_text',
        '',
      ].join('\n'),
    });
    const { code, stdout } = run(['all', '.', '--dry'], dir);
    expect(code).toBe(0);
    const diffs = stdout.split(/^diff --git /m).filter((d) => d.includes('+++ b/main.py'));
    expect(diffs).toHaveLength(1);
    // Both steps' edits are in the one diff: the rate limit (fastapi-ratelimit) and the allowlist (cors, run after it).
    expect(diffs[0]).toMatch(/^\+@limiter\.limit\("5\/minute"\)$/m);
    expect(diffs[0]).toMatch(/^\+app\.state\.limiter = limiter$/m);
    expect(diffs[0]).toMatch(/^-app\.add_middleware\(CORSMiddleware, allow_origins=\["\*"\]/m);
    expect(diffs[0]).toMatch(/allow_origins=allowed_origins\(\)/);
    // Written, the file is what the diff shows, and a second `all` finds nothing left to do.
    expect(run(['all', '.', '--force'], dir).code).toBe(0);
    expect(run(['all', '.', '--check'], dir)).toMatchObject({ code: 0, stdout: '' });
  });

  it('--only and --skip choose steps; an unknown step is a usage error', () => {
    const dir = app();
    const only = run(['all', '.', '--dry', '--only', 'gitignore-env'], dir);
    expect(only.code).toBe(0);
    expect(only.stdout).toContain('+++ b/.gitignore');
    expect(only.stdout).not.toContain('route.ts');
    const skip = run(['all', '.', '--dry', '--skip', 'gitignore-env'], dir);
    expect(skip.stdout).toContain('+++ b/app/api/chat/route.ts');
    expect(skip.stdout).not.toContain('+++ b/.gitignore');
    expect(run(['all', '.', '--dry', '--only', 'ratelimit'], dir)).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringMatching(/unknown step "ratelimit" \(steps: next-ratelimit, /),
    });
  });

  it('--format markdown prints only the pull-request body on stdout and writes nothing, even in a dirty tree', () => {
    const dir = gitRepo();
    writeFileSync(join(dir, 'notes.txt'), 'uncommitted\n');
    const before = readTree(dir);
    const { code, stdout, stderr } = run(
      ['all', '.', '--format', 'markdown', '--patch', join(dir, '..', 'unused.patch')],
      dir,
    );
    cleanups.push(() => rmSync(join(dir, '..', 'unused.patch'), { force: true }));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^## ai-secure-codemods: rate-limit the AI endpoints/);
    expect(stdout).toContain('| Rate limiting on every endpoint that reaches a paid AI API | ❌ 1 | ✅ |');
    expect(stdout).toContain('#### `next-ratelimit` (step 2)');
    expect(stdout).not.toContain('diff --git');
    expect(stderr).toContain('Checklist before');
    expect(stderr).not.toContain('Checklist after');
    expect(readTree(dir)).toEqual(before);
    expect(readFileSync(join(dir, '..', 'unused.patch'), 'utf8')).toContain('+++ b/app/api/chat/route.ts');
    expect(run(['all', '.', '--format', 'markdown', '--json'], dir)).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining('not with --json or --print'),
    });
    expect(run(['all', '.', '--format', 'html'], dir)).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringMatching(/Invalid values:[\s\S]*format/),
    });
  });
});

describe("the config sets the transforms' options", () => {
  const ADMIN = { 'app/api/admin/chat/route.ts': AI_ROUTE };

  it('--help still shows the defaults', () => {
    const { stdout } = run(['next-ratelimit', '--help'], process.cwd());
    expect(stdout).toMatch(/--per-minute\s+requests per client per minute\s+\[number\] \[default: 5\]/);
    expect(stdout).toMatch(/\[default: "auto"\]/);
  });

  it('precedence: a flag > the override for the file > the config > the default; --json shows the effective values', () => {
    const config = {
      limits: { perMinute: 3, perDay: 30 },
      store: 'memory',
      overrides: [{ paths: ['app/api/admin/**'], limits: { perMinute: 20, perDay: 500 } }],
    };
    const dir = app({ ...ADMIN, 'ai-secure.config.json': JSON.stringify(config) });
    const { code, stdout } = run(['next-ratelimit', '.', '--dry'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('+  const limited = await rateLimit(req, { perMinute: 20, perDay: 500 });');
    expect(stdout).toContain('+  const limited = await rateLimit(req);');
    expect(stdout).toContain('+const PER_MINUTE = 3;');
    const json = JSON.parse(run(['next-ratelimit', '.', '--json', '--per-day', '600'], dir).stdout);
    expect(json.options).toEqual({ perMinute: 3, perDay: 600, store: 'memory', scope: 'ai' });
    expect(json.findings.map((f: { message: string }) => f.message)).toContain(
      '/api/admin/chat: POST reaches an AI API (openai): rate-limited (20/minute + 600/day per client)',
    );
    expect(JSON.parse(run(['next-ratelimit', '.', '--json'], app()).stdout).options).toEqual({
      perMinute: 5,
      perDay: 50,
      store: 'auto',
      scope: 'ai',
    });
  });

  it('a bad config value, or a flag that clashes with it, is a usage error before anything runs', () => {
    const dir = app({ 'ai-secure.config.json': JSON.stringify({ store: 'redis' }) });
    expect(run(['next-ratelimit', '.'], dir)).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining(
        'ai-secure.config.json: "store" must be one of "auto", "memory", "upstash" (got "redis")',
      ),
    });
    expect(run(['all', '.', '--dry'], dir).code).toBe(EXIT.usage);
    const limits = app({ 'ai-secure.config.json': JSON.stringify({ limits: { perDay: 8 } }) });
    expect(run(['fastapi-ratelimit', '.', '--dry', '--per-minute', '10'], limits)).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining(
        '--per-day (8) must be at least --per-minute (10) (--per-day as ai-secure.config.json sets it)',
      ),
    });
    expect(readTree(dir)['app/api/chat/route.ts']).toBe(AI_ROUTE);
  });

  it('exclude and skip: the files are left alone; detect lists the skipped endpoint (no problem), not the excluded one', () => {
    const config = {
      exclude: ['app/api/legacy/**'],
      overrides: [{ paths: 'app/api/admin/**', skip: true, reason: 'behind SSO' }],
    };
    const dir = app({ ...ADMIN, 'app/api/legacy/route.ts': AI_ROUTE, 'ai-secure.config.json': JSON.stringify(config) });
    const { stdout, stderr } = run(['next-ratelimit', '.', '--dry'], dir);
    expect(stdout).toContain('+++ b/app/api/chat/route.ts');
    expect(stdout).not.toMatch(/admin|legacy/);
    expect(stderr).toMatch(
      /left alone\s+app\/api\/admin\/chat\/route\.ts:5\s+\/api\/admin\/chat: POST reaches an AI API \(openai\): left as it is, as the config says: behind SSO/,
    );
    expect(stderr).not.toContain('legacy');
    const report = JSON.parse(run(['detect', '.', '--format', 'json'], dir).stdout);
    expect(report.endpoints.map((e: { file: string }) => e.file)).toEqual([
      'app/api/admin/chat/route.ts',
      'app/api/chat/route.ts',
    ]);
    expect(
      report.findings
        .filter((f: { file?: string }) => f.file?.startsWith('app/api/'))
        .map((f: { file: string }) => f.file),
    ).toEqual(['app/api/chat/route.ts']);
  });

  it("cors takes the config's origins when no --origins is given", () => {
    const dir = app({
      'ai-secure.config.json': JSON.stringify({ origins: ['https://app.example.com'] }),
      'server.py':
        'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=["*"])\n',
    });
    expect(run(['cors', '.', '--dry'], dir).stdout).toContain('or "https://app.example.com"');
  });
});

describe('output into a pipe that closes early', () => {
  it('`list | head -1`: what the reader no longer wants is dropped quietly, exit 0, no stack trace', async () => {
    const child = spawn(process.execPath, [CLI, 'list'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader leaves before the first line: every write of the CLI meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const status = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
