// Inputs built to make a backtracking regular expression run for minutes: each one hung or
// crawled before its pattern was rewritten (a scanner, a bounded pattern or RE2; see
// test/regex-safety.test.ts for the patterns themselves). A case asserts what the tool finds in
// it; a return of the old behaviour shows as the test's time limit, far above the half second a
// case takes now.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/engine/config.js';
import { stepOptions } from '../src/engine/registry.js';
import { transforms } from '../src/engine/steps.js';
import { runSteps } from '../src/engine/runner.js';
import { loadPythonParser } from '../src/index.js';
import { buildDetectReport } from '../src/report/build.js';
import type { DetectReport } from '../src/core/report-schema.js';
import { tempDir, writeTree } from './helpers/project.js';

const N = 20_000;
const LIMIT = 30_000;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));
beforeAll(() => loadPythonParser());

const NEXT = { 'package.json': '{"dependencies":{"next":"15.0.0","openai":"4.0.0"}}' };
const AI_ROUTE = `import OpenAI from 'openai';
export async function POST(req: Request) {
  return Response.json(await new OpenAI().chat.completions.create({ model: 'x', messages: await req.json() }));
}
`;
const FLASK_APP = `from flask import Flask
import openai
app = Flask(__name__)

@app.post('/chat')
def chat():
    return openai.chat.completions.create(model='x', messages=[])
`;

function project(files: Record<string, string>): string {
  const { dir, cleanup } = tempDir('aisc-hostile-');
  cleanups.push(cleanup);
  writeTree(dir, files);
  return dir;
}

async function detect(dir: string): Promise<DetectReport> {
  return (await buildDetectReport([dir], loadConfig(dir, dir, stepOptions()).config)).report;
}

const all = (dir: string) => runSteps(transforms, [dir], {}, { config: loadConfig(dir, dir, stepOptions()).config });
const rules = (report: DetectReport, kind: string) =>
  report.findings.filter((f) => f.kind === kind).map((f) => f.ruleId.replace('ai-secure/', ''));

describe('hostile inputs end in the time of an ordinary file', () => {
  it(
    "a route after lines of commented-out code and URLs (`// // http://…`, 'use client' in a comment)",
    async () => {
      const lines = Array.from({ length: 40 }, (_, i) => `// // http://x.example/${i} // // 'use client'`);
      const dir = project({ ...NEXT, 'app/api/chat/route.ts': `${lines.join('\n')}\n${AI_ROUTE}` });
      expect((await detect(dir)).endpoints.map((e) => [e.route, e.method, Boolean(e.ai)])).toEqual([
        ['/api/chat', 'POST', true],
      ]);
      expect(all(dir).changes.some((c) => c.path.endsWith('route.ts') && c.after.includes('rateLimit('))).toBe(true);
    },
    LIMIT,
  );

  it(
    'a string of escaped quotes that never closes, and 20,000 unclosed block comments: unreadable, said so',
    async () => {
      const quotes = project({ ...NEXT, 'app/api/chat/route.ts': `const s = '${"\\'".repeat(N)}\n${AI_ROUTE}` });
      const comments = project({ ...NEXT, 'app/api/chat/route.ts': `${'/* '.repeat(N)}\n${AI_ROUTE}` });
      for (const dir of [quotes, comments]) {
        expect(rules(await detect(dir), 'note')).toContain('unreadable');
        expect(all(dir).changes.filter((c) => c.path.endsWith('route.ts'))).toEqual([]);
      }
    },
    LIMIT,
  );

  it(
    '`import {{{{…` 20,000 braces deep',
    async () => {
      const dir = project({ ...NEXT, 'app/api/chat/route.ts': `import ${'{'.repeat(N)} from 'openai';\n${AI_ROUTE}` });
      expect(rules(await detect(dir), 'note')).toContain('unreadable');
    },
    LIMIT,
  );

  it(
    'a CORS call with 20,000 blank lines inside: still judged, still fixed',
    async () => {
      const server = `const cors = require('cors');\nconst app = require('express')();\napp.use(cors({${'\n'.repeat(N)}origin: '*', credentials: true${' \n'.repeat(N)}}));\n`;
      const dir = project({ ...NEXT, 'server.js': server });
      const report = await detect(dir);
      expect(report.cors.map((site) => site.verdict)).toEqual(['open']);
      expect(all(dir).changes.some((c) => c.path.endsWith('server.js'))).toBe(true);
    },
    LIMIT,
  );

  it(
    'runs of blank lines and spaces in .env.example, render.yaml, fly.toml and a pyproject table header',
    async () => {
      const dir = project({
        '.env.example': `${'\n'.repeat(N)}${' '.repeat(N)}X`,
        'render.yaml': `services:\n  - envVars:\n      - key: ALLOWED_ORIGINS${' \n'.repeat(N)}x`,
        'fly.toml': `${'\n'.repeat(N)}${' '.repeat(N)}`,
        'pyproject.toml': `[project]\n${' \n'.repeat(N)}[${' '.repeat(N)}`,
        'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      });
      expect(rules(await detect(dir), 'changed')).toEqual(['gitignore-env']);
      expect(all(dir).files.filter((f) => f.status === 'error')).toEqual([]);
    },
    LIMIT,
  );

  it(
    'a requirements line padded with 20,000 spaces, and a 100,000-character Procfile word',
    async () => {
      const padded = project({ 'requirements.txt': `flask${' '.repeat(N)}x\nopenai\n`, 'app.py': FLASK_APP });
      const procfile = project({
        Procfile: `web: ${'a'.repeat(5 * N)}\n`,
        'requirements.txt': 'flask\nopenai\n',
        'app.py': FLASK_APP,
      });
      for (const dir of [padded, procfile]) {
        const report = await detect(dir);
        expect(report.endpoints.map((e) => [e.route, e.method, Boolean(e.ai)])).toEqual([['/chat', 'POST', true]]);
        expect(rules(report, 'changed')).toContain('flask-ratelimit');
      }
    },
    LIMIT,
  );

  it(
    'a suppression marker followed by 20,000 spaces and a `*`: not a marker, the finding stays',
    async () => {
      const route = AI_ROUTE.replace(/\n$/, ` // ai-secure-ignore: next-ratelimit${' '.repeat(N)}*\n`);
      const dir = project({ ...NEXT, 'app/api/chat/route.ts': route });
      const finding = (await detect(dir)).findings.find((f) => f.ruleId === 'ai-secure/next-ratelimit');
      expect(finding?.kind).toBe('changed');
      expect(finding?.silenced).toBeUndefined();
    },
    LIMIT,
  );

  it(
    'a 40,000-character key argument of "mymymy…" and a line break: not a key, not a placeholder hang',
    async () => {
      const dir = project({
        ...NEXT,
        'lib/ai.ts': `import OpenAI from 'openai';\nexport const openai = new OpenAI({ apiKey: \`${'my'.repeat(N)}\nx\` });\n`,
      });
      expect(rules(await detect(dir), 'changed')).toEqual(['gitignore-env']);
    },
    LIMIT,
  );

  it(
    "a user's own origin pattern built to backtrack (`((([a-z:/.])+)+)+X`) is judged in RE2: it lets no attacker in",
    async () => {
      const main = `from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origin_regex=r'((([a-z:/.])+)+)+X', allow_credentials=True)
`;
      const dir = project({ 'main.py': main, 'requirements.txt': 'fastapi\n' });
      expect((await detect(dir)).cors.map((site) => site.verdict)).toEqual(['restricted']);
    },
    LIMIT,
  );

  it(
    'a route that starts with a #! line and comments: our import goes below the #! line, and the output parses',
    async () => {
      const dir = project({ ...NEXT, 'app/api/chat/route.ts': `#!/usr/bin/env node\n// one\n// two\n${AI_ROUTE}` });
      const route = all(dir).changes.find((c) => c.path.endsWith('route.ts'));
      expect(route?.after.startsWith('#!/usr/bin/env node\n')).toBe(true);
      expect(route?.after).toContain('rateLimit(');
    },
    LIMIT,
  );

  it(
    'a .gitignore saved as UTF-16: a needs-human finding, and nothing claimed as changed',
    async () => {
      // Written here, not kept as a fixture: Biome and other tools refuse to read such a file in the repository.
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('node_modules\n.env\n', 'utf16le')]);
      const dir = project({ ...NEXT });
      writeFileSync(join(dir, '.gitignore'), utf16);
      const finding = (await detect(dir)).findings.find((f) => f.ruleId === 'ai-secure/gitignore-env');
      expect([finding?.kind, finding?.message]).toEqual([
        'needs-human',
        '.gitignore is not UTF-8 text (binary file; some Windows editors save UTF-16): git reads no pattern from it, so env files here can be committed',
      ]);
      const run = all(dir);
      expect(run.changes.filter((c) => c.path.endsWith('.gitignore'))).toEqual([]);
      expect(run.findings.filter((f) => f.kind === 'changed' && f.file?.endsWith('.gitignore'))).toEqual([]);
    },
    LIMIT,
  );
});
