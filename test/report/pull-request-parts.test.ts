// The pieces of the pull-request body: dependencies and env names read from the changes, the
// changes per step (two steps on one file), and the checklist after.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DetectReport, ReportFinding } from '../../src/core/report-schema.js';
import {
  changesPerStep,
  checklistAfter,
  dependenciesAdded,
  envNamesAdded,
  formatPullRequestBody,
} from '../../src/report/format/pull-request.js';
import type { FileChange } from '../../src/project/overlay.js';
import { runSteps, type RunResult } from '../../src/engine/runner.js';
import type { StepMeta, Step } from '../../src/step/contract.js';
import type { Finding } from '../../src/core/finding.js';
import { tempDir, writeTree } from '../helpers/project.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

const ROOT = '/repo';
const rel = (path: string) => path.slice(ROOT.length + 1);
const change = (path: string, before: string | null, after: string): FileChange => ({
  path: join(ROOT, path),
  before,
  after,
});

describe('dependenciesAdded', () => {
  it('reads package.json sections: added and re-versioned packages, dev ones marked; nothing removed', () => {
    const before = JSON.stringify(
      { dependencies: { next: '16.0.0', openai: '^5.0.0', zod: '^3' }, devDependencies: { typescript: '^5.9.0' } },
      null,
      2,
    );
    const after = JSON.stringify(
      {
        dependencies: { '@upstash/ratelimit': '^2.2.0', next: '16.0.0', openai: '^6.0.0' },
        devDependencies: { typescript: '^5.9.0', vitest: '^4.1.0' },
      },
      null,
      2,
    );
    expect(dependenciesAdded([change('apps/web/package.json', before, after)], rel)).toEqual([
      { name: '@upstash/ratelimit', version: '^2.2.0', file: 'apps/web/package.json' },
      { name: 'openai', version: '^6.0.0', file: 'apps/web/package.json' },
      { name: 'vitest', version: '^4.1.0', file: 'apps/web/package.json', dev: true },
    ]);
  });

  it('reads the lines added to requirements files, pyproject.toml (PEP 621 and Poetry) and Pipfile', () => {
    const changes = [
      change(
        'requirements.txt',
        'fastapi==0.115.6\nopenai==1.59.3\n',
        'fastapi==0.115.6\nopenai==1.59.3\nslowapi==0.1.10  # rate limits\n-r base.txt\n',
      ),
      change(
        'api/requirements/base.txt',
        'flask\n',
        'flask\nFlask-Limiter[redis] >= 3.5, < 4 ; python_version >= "3.9"\n',
      ),
      change(
        'pep621/pyproject.toml',
        '[project]\nname = "a"\ndependencies = [\n    "flask>=3.0",\n]\n',
        '[project]\nname = "a"\ndependencies = [\n    "flask>=3.0",\n    "Flask-Limiter>=3.5",\n]\n',
      ),
      change(
        'poetry/pyproject.toml',
        '[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "^0.115"\n',
        '[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "^0.115"\nslowapi = { version = "^0.1.9", optional = false }\n',
      ),
      change(
        'Pipfile',
        '[packages]\nflask = "*"\n\n[dev-packages]\n',
        '[packages]\nflask = "*"\nflask-limiter = "*"\n\n[dev-packages]\npytest = ">=8"\n',
      ),
    ];
    // Sorted by file then name, in code-unit order (the same on every machine).
    expect(dependenciesAdded(changes, rel)).toEqual([
      { name: 'flask-limiter', version: '', file: 'Pipfile' },
      { name: 'pytest', version: '>=8', file: 'Pipfile', dev: true },
      { name: 'Flask-Limiter', version: '>=3.5,<4', file: 'api/requirements/base.txt' },
      { name: 'Flask-Limiter', version: '>=3.5', file: 'pep621/pyproject.toml' },
      { name: 'slowapi', version: '^0.1.9', file: 'poetry/pyproject.toml' },
      { name: 'slowapi', version: '==0.1.10', file: 'requirements.txt' },
    ]);
  });

  it('ignores other files and unreadable JSON', () => {
    expect(
      dependenciesAdded(
        [change('src/deps.txt', '', 'slowapi\n'), change('package.json', '{', '{ "dependencies": {')],
        rel,
      ),
    ).toEqual([]);
  });
});

describe('envNamesAdded', () => {
  it('lists the names an env example gains, each with the comment heading its block', () => {
    const before = 'OPENAI_API_KEY=\n# KV_REST_API_URL=\n';
    const after = `${before}\n# Rate limiting: Upstash Redis in production\nUPSTASH_REDIS_REST_URL=\nUPSTASH_REDIS_REST_TOKEN=\n\nexport ALLOWED_ORIGINS=\n# KV_REST_API_TOKEN=\n`;
    expect(
      envNamesAdded(
        [
          change('.env.example', before, after),
          change('.env', '', 'SECRET=1\n'),
          change('apps/api/.env.sample', null, '# CORS\nALLOWED_ORIGINS=\n'),
        ],
        rel,
      ),
    ).toEqual([
      { name: 'ALLOWED_ORIGINS', file: '.env.example' },
      { name: 'UPSTASH_REDIS_REST_TOKEN', file: '.env.example', comment: 'Rate limiting: Upstash Redis in production' },
      { name: 'UPSTASH_REDIS_REST_URL', file: '.env.example', comment: 'Rate limiting: Upstash Redis in production' },
      { name: 'ALLOWED_ORIGINS', file: 'apps/api/.env.sample', comment: 'CORS' },
    ]);
  });
});

function fakeStep(slug: string, step: number, edit: (ctx: Parameters<Step['run']>[0]) => void): Step {
  const meta: StepMeta = {
    slug,
    step,
    title: `the ${slug} step`,
    languages: ['ts'],
    globs: [],
    ruleId: `ai-secure/${slug}`,
    checklist: 'rate-limit',
    severity: 'high',
  };
  return { meta, options: [], default: () => undefined, run: edit } as unknown as Step;
}

describe('changes per step', () => {
  it('lists a file under every step that wrote it, in the order given, with each step’s change findings', () => {
    const { dir, cleanup } = tempDir('aisc-pr-unit-');
    cleanups.push(cleanup);
    writeTree(dir, { 'app.ts': 'export const a = 1;\n', 'other.ts': 'export const b = 2;\n' });
    const appTs = join(dir, 'app.ts');
    const first = fakeStep('first', 2, (ctx) => {
      ctx.transformFile(appTs, (s) => `// first\n${s}`);
      ctx.transformFile(join(dir, 'helper.ts'), () => 'export const h = 0;\n', { createIfMissing: true });
      ctx.report({
        ruleId: 'ai-secure/first',
        kind: 'changed',
        severity: 'info',
        file: appTs,
        line: 1,
        message: 'first edit',
      });
    });
    const second = fakeStep('second', 3, (ctx) => {
      ctx.transformFile(appTs, (s) => `${s}// second\n`);
      ctx.transformFile(join(dir, 'other.ts'), (s) => s); // looked at, unchanged
      ctx.report({
        ruleId: 'ai-secure/second',
        kind: 'changed',
        severity: 'info',
        file: appTs,
        line: 3,
        message: 'second edit',
      });
      ctx.report({
        ruleId: 'ai-secure/second',
        kind: 'not-in-scope',
        severity: 'info',
        file: join(dir, 'other.ts'),
        message: 'left alone',
      });
    });
    const third = fakeStep('third', 4, () => undefined);
    const result = runSteps([first, second, third], [dir], {});
    expect(result.changes.find((c) => c.path === appTs)?.after).toBe('// first\nexport const a = 1;\n// second\n');
    expect(result.writtenBy.get(appTs)).toEqual(['first', 'second']);
    // FileResult.step keeps only the first step: the reason writtenBy exists.
    expect(result.files.find((f) => f.path === appTs)?.step).toBe('first');

    const toPath = (p: string) => p.slice(dir.length + 1);
    expect(
      changesPerStep(
        result,
        [first, second, third].map((s) => s.meta),
        toPath,
      ),
    ).toEqual([
      {
        step: first.meta,
        files: [
          { path: 'app.ts', created: false },
          { path: 'helper.ts', created: true },
        ],
        findings: [{ file: 'app.ts', line: 1, message: 'first edit' }],
      },
      {
        step: second.meta,
        files: [{ path: 'app.ts', created: false }],
        findings: [{ file: 'app.ts', line: 3, message: 'second edit' }],
      },
    ]);
  });

  it('in an isolated run (detect), each step is credited only with its own edits', () => {
    const { dir, cleanup } = tempDir('aisc-pr-unit-');
    cleanups.push(cleanup);
    writeTree(dir, { 'app.ts': 'export const a = 1;\n' });
    const appTs = join(dir, 'app.ts');
    const first = fakeStep('first', 2, (ctx) => ctx.transformFile(appTs, (s) => `// first\n${s}`));
    const second = fakeStep('second', 3, (ctx) =>
      ctx.transformFile(join(dir, 'b.ts'), () => 'export {};\n', { createIfMissing: true }),
    );
    const result = runSteps([first, second], [dir], {}, { isolated: true });
    expect(result.changes).toEqual([]);
    expect([...result.writtenBy]).toEqual([
      [appTs, ['first']],
      [join(dir, 'b.ts'), ['second']],
    ]);
  });
});

function reportWith(findings: ReportFinding[], failing: Record<string, number[]>): DetectReport {
  const ids = ['rate-limit', 'cors', 'env-gitignore', 'server-keys'] as const;
  return {
    schemaVersion: 1,
    tool: { name: 'ai-secure-codemods', version: 'test' },
    root: ROOT,
    apps: [],
    aiCalls: [],
    endpoints: [],
    cors: [],
    gitignore: [],
    deployment: [],
    findings,
    checklist: ids.map((id) => ({
      id,
      title: `the ${id} item`,
      passed: !failing[id]?.length,
      failing: failing[id] ?? [],
    })),
  };
}

function resultWith(findings: Finding[], changes: FileChange[], writtenBy: [string, string[]][] = []): RunResult {
  return { changes, findings, files: [], endpoints: [], writtenBy: new Map(writtenBy) } as unknown as RunResult;
}

describe('checklistAfter', () => {
  const route = join(ROOT, 'app/api/chat/route.ts');
  const findings: ReportFinding[] = [
    {
      ruleId: 'ai-secure/next-ratelimit',
      kind: 'changed',
      severity: 'high',
      file: 'app/api/chat/route.ts',
      line: 3,
      message: '/api/chat: POST is not rate-limited',
    },
    {
      ruleId: 'ai-secure/next-ratelimit',
      kind: 'changed',
      severity: 'high',
      file: 'app/api/other/route.ts',
      line: 3,
      message: '/api/other: POST is not rate-limited',
    },
    {
      ruleId: 'ai-secure/hardcoded-keys',
      kind: 'needs-human',
      severity: 'critical',
      file: 'app/api/chat/route.ts',
      line: 9,
      message: 'a key is written in the code',
    },
    {
      ruleId: 'ai-secure/deployment-env',
      kind: 'needs-human',
      severity: 'critical',
      file: 'render.yaml',
      line: 4,
      message: 'a key in render.yaml',
    },
  ];
  const report = reportWith(findings, { 'rate-limit': [0, 1], 'server-keys': [2, 3] });

  it('counts a failing finding fixed when the run fixed that problem in a file it changes, whatever the line', () => {
    const run = resultWith(
      [
        {
          ruleId: 'ai-secure/next-ratelimit',
          kind: 'changed',
          severity: 'info',
          file: route,
          line: 5,
          message: 'rate-limited',
          problem: { message: '/api/chat: POST is not rate-limited', severity: 'high' },
        },
        // Reported, but its file is not among the changes (reverted): not fixed.
        {
          ruleId: 'ai-secure/next-ratelimit',
          kind: 'changed',
          severity: 'info',
          file: join(ROOT, 'app/api/other/route.ts'),
          line: 3,
          message: 'rate-limited',
          problem: { message: '/api/other: POST is not rate-limited', severity: 'high' },
        },
        {
          ruleId: 'ai-secure/hardcoded-keys',
          kind: 'needs-human',
          severity: 'critical',
          file: route,
          line: 12,
          message: 'replaced, revoke it',
          problem: { message: 'a key is written in the code', severity: 'critical' },
        },
      ],
      [change('app/api/chat/route.ts', 'a', 'b')],
    );
    expect(checklistAfter(report, run, rel).map(({ id, before, after }) => [id, before, after])).toEqual([
      ['rate-limit', 2, 1],
      ['cors', 0, 0],
      ['env-gitignore', 0, 0],
      ['server-keys', 2, 1],
    ]);
  });

  it('the body masks keys, lists what needs a human by severity, detect-only findings included', () => {
    const run = resultWith(
      [
        {
          ruleId: 'ai-secure/hardcoded-keys',
          kind: 'needs-human',
          severity: 'critical',
          file: route,
          line: 12,
          message: 'key sk-proj-FAKEkeyFORunitTESTSonly0000000000000000 replaced',
          problem: { message: 'a key is written in the code', severity: 'critical' },
        },
      ],
      [change('app/api/chat/route.ts', 'a', 'b')],
      [[route, ['hardcoded-keys']]],
    );
    const steps: StepMeta[] = [
      {
        slug: 'hardcoded-keys',
        step: 5,
        title: 'Move keys <out> of `<code>`',
        languages: [],
        globs: [],
        ruleId: 'ai-secure/hardcoded-keys',
        checklist: 'server-keys',
        severity: 'critical',
      },
    ];
    const body = formatPullRequestBody({ result: run, report, steps, toPath: rel, version: '1.2.3' });
    expect(body).not.toContain('FAKEkeyFORunit');
    expect(body).toContain('key sk-…0000 replaced');
    // Prose is escaped for markdown, code spans are not.
    expect(body).toContain('#### `hardcoded-keys` (step 5): Move keys &lt;out&gt; of `<code>`');
    expect(body).toMatch(
      /### Needs a human \(2\)\n\n- \[ \] 🔴 \*\*critical\*\* `app\/api\/chat\/route.ts:12`: key sk-…0000 replaced\n- \[ \] 🔴 \*\*critical\*\* `render.yaml:4`: a key in render.yaml\n/,
    );
    expect(body.endsWith('<sub>ai-secure-codemods 1.2.3 · steps: hardcoded-keys</sub>\n')).toBe(true);
  });
});

describe('the body', () => {
  it('lists dependencies with their versions and says which lockfile to update', () => {
    const pkg = join(ROOT, 'package.json');
    const run = resultWith(
      [],
      [
        change(
          'package.json',
          '{ "dependencies": { "next": "16.0.0" } }\n',
          '{ "dependencies": { "@upstash/ratelimit": "^2.2.0", "next": "16.0.0" } }\n',
        ),
        change('.env.example', null, '# Rate limiting: Upstash Redis\nUPSTASH_REDIS_REST_URL=\n'),
      ],
      [
        [pkg, ['next-ratelimit']],
        [join(ROOT, '.env.example'), ['next-ratelimit']],
      ],
    );
    const report = {
      ...reportWith([], {}),
      deployment: [
        {
          root: '.',
          platforms: ['vercel'],
          env: [{ name: 'OPENAI_API_KEY', purpose: 'openai API key', secret: true, where: 'Vercel settings' }],
        },
      ],
    };
    const steps: StepMeta[] = [
      {
        slug: 'next-ratelimit',
        step: 2,
        title: 'Rate-limit',
        languages: [],
        globs: [],
        ruleId: 'ai-secure/next-ratelimit',
        checklist: 'rate-limit',
        severity: 'high',
      },
    ];
    const body = formatPullRequestBody({ result: run, report, steps, toPath: rel, version: '1' });
    expect(body).toContain(
      '| `@upstash/ratelimit` | `^2.2.0` | `package.json` |\n\nLockfiles are not part of this change: update the one the project has (`npm install` / `pnpm install` / `yarn`) and commit it',
    );
    expect(body).toContain(
      '**Where:** Vercel settings\n\n| Name | What | |\n|---|---|---|\n| `OPENAI_API_KEY` | openai API key (secret) |  |\n| `UPSTASH_REDIS_REST_URL` | Rate limiting: Upstash Redis | new, in `.env.example` |\n',
    );
    expect(body).toContain('Every checklist item passed before it. Nothing is left for a human.');
  });
});
