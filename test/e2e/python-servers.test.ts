// End to end, with the real Python packages: the bundled FastAPI and Flask example apps are copied
// to a temp dir, the codemod is applied with our compiled CLI, and the apps are driven with
// slowapi / Flask-Limiter installed from PyPI into a cached venv (test/e2e/python-env.ts). Their
// OpenAI SDK talks to a fake AI server on loopback that counts calls. An untouched copy of each app
// is driven the same way first, to prove that the limit comes from the codemod.
//
// FastAPI is checked in-process through Starlette's TestClient and as a real `uvicorn` server;
// Flask through its test client. Each in-process run is a fresh Python process, so the in-memory
// limiter starts empty; the limits' windows start at the first hit (limits' fixed window on memory
// storage), so a burst is never split by a minute boundary.

import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAiServer, type FakeAiServer } from '../../scripts/fake-ai-server.mjs';
import { freePort } from '../../scripts/upstash-redis-adapter.mjs';
import { tempDir, writeTree } from '../helpers/project.js';
import { SINGLE_FILE_HARNESS } from '../helpers/fixture-app.js';
import { HOST, childEnv, copyDir, isAlive, run, startProcess, stopAll, tail, waitForHttp } from './helpers.js';
import { pythonVenv, venvInfo, type PythonVenv } from './python-env.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/bin/cli.js');
const FASTAPI_EXAMPLE = path.join(ROOT, 'examples/fastapi-ai-app');
const FLASK_EXAMPLE = path.join(ROOT, 'examples/flask-ai-app');

const MINUTE_LIMIT = 5;
const FAKE_REPLY = 'Hello from the fake AI server.';
const SETUP_TIMEOUT = 12 * 60_000; // a first venv install downloads ~40 wheels
const PROBE_TIMEOUT = 60_000;
const REQUEST_TIMEOUT = 30_000;

const chatBody = { messages: [{ role: 'user', content: 'Hello?' }] };
const feedbackBody = { rating: 5, comment: 'nice' };
const summarizeBody = { text: 'A long text that needs a short summary.' };
const noteBody = { note: 'buy milk' };

// ---------------------------------------------------------------------------------------------
// Driving an app in-process: a small script, written next to the app copies (never inside one, so
// the codemod does not see it), imports the app and sends a fixed plan of requests through the
// framework's test client. Every step's count is bounded in the script as well.

const PROBE_SCRIPT = `"""Sends requests to an app through its framework's test client and prints the replies as one
JSON line. Usage (from the app's folder): python probe.py MODULE:ATTR PLAN_JSON (ATTR: an app, or a
factory that returns one), where PLAN_JSON is
a list of {"method", "path", "json"?, "times"}. All steps share one app instance."""

import importlib
import json
import os
import sys

MAX_TIMES = 100


def main() -> None:
    target, plan = sys.argv[1], json.loads(sys.argv[2])
    sys.path.insert(0, os.getcwd())
    module_name, _, attr = target.partition(":")
    app = getattr(importlib.import_module(module_name), attr)
    if not hasattr(app, "test_client") and not hasattr(app, "router"):
        app = app()  # an app factory such as create_app

    replies = []
    if hasattr(app, "test_client"):  # Flask
        client = app.test_client()
        for step in plan:
            for _ in range(min(int(step["times"]), MAX_TIMES)):
                r = client.open(step["path"], method=step["method"], json=step.get("json"), headers=step.get("headers"))
                replies.append(reply(step, r.status_code, r.headers.items(), r.get_data(as_text=True)))
    else:  # FastAPI / Starlette
        from starlette.testclient import TestClient

        with TestClient(app) as client:
            for step in plan:
                for _ in range(min(int(step["times"]), MAX_TIMES)):
                    r = client.request(step["method"], step["path"], json=step.get("json"), headers=step.get("headers"))
                    replies.append(reply(step, r.status_code, r.headers.items(), r.text))
    print("PROBE-RESULT " + json.dumps(replies), flush=True)


def reply(step, status, headers, body):
    return {
        "method": step["method"],
        "path": step["path"],
        "status": status,
        "headers": {name.lower(): value for name, value in headers},
        "body": body[:2000],
    }


if __name__ == "__main__":
    main()
`;

interface Step {
  method: 'GET' | 'POST' | 'OPTIONS';
  path: string;
  json?: unknown;
  headers?: Record<string, string>;
  times: number;
}

interface Reply {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

let work = '';
let removeWork = (): void => {};
let probeScript = '';
let venv: PythonVenv;
let ai: FakeAiServer;
const startedPids: number[] = [];
const timings: Record<string, number> = {};

function appEnv(): NodeJS.ProcessEnv {
  return childEnv({
    OPENAI_API_KEY: 'sk-e2e-not-a-real-key',
    OPENAI_BASE_URL: ai.baseURL,
    PYTHONDONTWRITEBYTECODE: '1', // no __pycache__ in the copies: the codemod runs after a probe
    PYTHONUNBUFFERED: '1',
  });
}

async function probe(appDir: string, target: string, plan: Step[], env: Record<string, string> = {}): Promise<Reply[]> {
  const result = await run(venv.python, [probeScript, target, JSON.stringify(plan)], {
    cwd: appDir,
    env: { ...appEnv(), ...env },
    timeoutMs: PROBE_TIMEOUT,
  });
  const line = result.stdout.split('\n').find((l) => l.startsWith('PROBE-RESULT '));
  if (!line) throw new Error(`the probe printed no result\n${tail(result.stdout)}\n${tail(result.stderr)}`);
  return JSON.parse(line.slice('PROBE-RESULT '.length)) as Reply[];
}

function statuses(replies: Reply[], route?: string): number[] {
  return replies.filter((r) => route === undefined || r.path === route).map((r) => r.status);
}

function bodyJson(reply: Reply): unknown {
  try {
    return JSON.parse(reply.body);
  } catch {
    return reply.body;
  }
}

// ---------------------------------------------------------------------------------------------
// Applying the codemod: our compiled CLI in write mode, as a user runs it (the temp dir is not a
// git work tree, so write mode needs no --force).

async function applyCodemod(transform: string, dir: string): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${path.relative(ROOT, CLI)} is missing: run npm run build first`);
  const t = Date.now();
  await run(process.execPath, [CLI, transform, dir], { cwd: ROOT, env: childEnv(), timeoutMs: 120_000 });
  timings[transform] = Date.now() - t;
}

// ---------------------------------------------------------------------------------------------

// A failed setup is recorded and rethrown by every test that needs it (rather than thrown from
// the hook), so each test counts as failed with the reason instead of being reported as skipped.
let setupError: unknown;

function requireSetup(...errors: unknown[]): void {
  for (const error of [setupError, ...errors]) if (error) throw error;
}

beforeAll(async () => {
  try {
    ai = await startFakeAiServer({ reply: FAKE_REPLY });
    ({ dir: work, cleanup: removeWork } = tempDir('ai-secure-py-e2e-'));
    probeScript = path.join(work, 'probe.py');
    await writeFile(probeScript, PROBE_SCRIPT);
    const t = Date.now();
    venv = await pythonVenv();
    timings.venv = Date.now() - t;
    const { installMs } = await venvInfo(venv);
    if (installMs !== undefined) timings['venv install (when it was built)'] = installMs;
  } catch (error) {
    setupError = error;
  }
}, SETUP_TIMEOUT);

afterAll(async () => {
  await stopAll();
  await ai?.close();
  const orphans = startedPids.filter(isAlive);
  if (process.env.E2E_KEEP) console.log(`e2e: kept ${work}`);
  else removeWork();
  console.log(`python e2e timings (ms): ${JSON.stringify(timings)}`);
  expect(orphans, 'child servers still alive after the suite').toEqual([]);
}, 60_000);

describe('fastapi-ratelimit on examples/fastapi-ai-app', { timeout: 2 * 60_000 }, () => {
  let plainDir = '';
  let protectedDir = '';
  let codemodError: unknown;

  beforeAll(async () => {
    if (setupError) return;
    plainDir = path.join(work, 'fastapi-plain');
    protectedDir = path.join(work, 'fastapi-protected');
    await copyDir(FASTAPI_EXAMPLE, plainDir);
    await copyDir(FASTAPI_EXAMPLE, protectedDir);
    try {
      await applyCodemod('fastapi-ratelimit', protectedDir);
    } catch (error) {
      codemodError = error;
    }
  }, 3 * 60_000);

  it('without the codemod, 7 POSTs to /api/chat all reach the AI', async () => {
    requireSetup();
    const before = ai.count();
    const replies = await probe(plainDir, 'app.main:app', [
      { method: 'POST', path: '/api/chat', json: chatBody, times: MINUTE_LIMIT + 2 },
    ]);
    expect(statuses(replies)).toEqual(Array(MINUTE_LIMIT + 2).fill(200));
    expect(bodyJson(replies[0]!)).toEqual({ reply: FAKE_REPLY });
    expect(ai.count() - before).toBe(MINUTE_LIMIT + 2);
  });

  it('limits the AI endpoint and leaves the modules without AI untouched', async () => {
    requireSetup(codemodError);
    const chat = await readFile(path.join(protectedDir, 'app/routers/chat.py'), 'utf8');
    expect(chat).toMatch(/@limiter\.limit\(["']5\/minute["']\)/);
    expect(chat).toMatch(/@limiter\.limit\(["']50\/day["']\)/);
    for (const untouched of ['app/routers/feedback.py', 'app/services/llm.py']) {
      expect(await readFile(path.join(protectedDir, untouched), 'utf8'), untouched).toBe(
        await readFile(path.join(FASTAPI_EXAMPLE, untouched), 'utf8'),
      );
    }
  });

  it('TestClient: /api/chat → 200 ×5 then 429, the AI is called 5 times; /health and /api/feedback stay open', async () => {
    requireSetup(codemodError);
    const before = ai.count();
    const replies = await probe(protectedDir, 'app.main:app', [
      { method: 'POST', path: '/api/chat', json: chatBody, times: MINUTE_LIMIT + 1 },
      { method: 'GET', path: '/health', times: 1 },
      { method: 'POST', path: '/api/feedback', json: feedbackBody, times: MINUTE_LIMIT + 2 },
    ]);
    expect(statuses(replies, '/api/chat')).toEqual([200, 200, 200, 200, 200, 429]);
    for (const reply of replies.filter((r) => r.path === '/api/chat' && r.status === 200)) {
      expect(bodyJson(reply)).toEqual({ reply: FAKE_REPLY });
    }
    expect(ai.count() - before).toBe(MINUTE_LIMIT);
    // slowapi's _rate_limit_exceeded_handler: JSON {"error": "Rate limit exceeded: 5 per 1 minute"}
    const limited = replies.find((r) => r.status === 429)!;
    expect(limited.headers['content-type']).toMatch(/application\/json/);
    expect(bodyJson(limited)).toEqual({ error: expect.stringMatching(/^Rate limit exceeded: 5 per 1 minute/) });

    expect(statuses(replies, '/health')).toEqual([200]);
    // No AI call, so out of the default scope: never limited, even for a client that is.
    expect(statuses(replies, '/api/feedback')).toEqual(Array(MINUTE_LIMIT + 2).fill(200));
  });

  it('uvicorn on loopback: /api/chat → 200 ×5 then 429, the AI is called 5 times', async () => {
    requireSetup(codemodError);
    const port = await freePort();
    const server = startProcess(
      venv.python,
      ['-m', 'uvicorn', 'app.main:app', '--host', HOST, '--port', String(port)],
      { cwd: protectedDir, env: appEnv() },
    );
    startedPids.push(server.pid);
    const url = `http://${HOST}:${port}`;
    try {
      const t = Date.now();
      await waitForHttp(`${url}/health`, { timeoutMs: 30_000, server });
      timings['uvicorn ready'] = Date.now() - t;

      const before = ai.count();
      const replies: Array<{ status: number; headers: Headers; body: string }> = [];
      for (let i = 0; i < MINUTE_LIMIT + 1; i++) {
        const res = await fetch(`${url}/api/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(chatBody),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT),
        });
        replies.push({ status: res.status, headers: res.headers, body: await res.text() });
      }
      expect(
        replies.map((r) => r.status),
        tail(server.output()),
      ).toEqual([200, 200, 200, 200, 200, 429]);
      expect(ai.count() - before).toBe(MINUTE_LIMIT);

      const limited = replies[MINUTE_LIMIT]!;
      expect(limited.headers.get('content-type')).toMatch(/application\/json/);
      expect(JSON.parse(limited.body)).toEqual({
        error: expect.stringMatching(/^Rate limit exceeded: 5 per 1 minute/),
      });
      // slowapi 0.1.10 sends Retry-After and X-RateLimit-* only with Limiter(headers_enabled=True),
      // which is off by default (and then needs a `response: Response` parameter on endpoints that
      // return plain data). So these are checked only when present.
      const retryAfter = limited.headers.get('retry-after');
      if (retryAfter !== null) {
        expect(retryAfter).toMatch(/^\d+$/);
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(retryAfter)).toBeLessThanOrEqual(60);
      }
      const limitHeader = limited.headers.get('x-ratelimit-limit');
      if (limitHeader !== null) expect(limitHeader).toBe(String(MINUTE_LIMIT));

      const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT) });
      expect(health.status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(isAlive(server.pid)).toBe(false);
  });
});

describe('flask-ratelimit on examples/flask-ai-app', { timeout: 2 * 60_000 }, () => {
  let plainDir = '';
  let protectedDir = '';
  let codemodError: unknown;

  beforeAll(async () => {
    if (setupError) return;
    plainDir = path.join(work, 'flask-plain');
    protectedDir = path.join(work, 'flask-protected');
    await copyDir(FLASK_EXAMPLE, plainDir);
    await copyDir(FLASK_EXAMPLE, protectedDir);
    try {
      await applyCodemod('flask-ratelimit', protectedDir);
    } catch (error) {
      codemodError = error;
    }
  }, 3 * 60_000);

  it('without the codemod, 7 POSTs to /api/summarize all reach the AI', async () => {
    requireSetup();
    const before = ai.count();
    const replies = await probe(plainDir, 'app:app', [
      { method: 'POST', path: '/api/summarize', json: summarizeBody, times: MINUTE_LIMIT + 2 },
    ]);
    expect(statuses(replies)).toEqual(Array(MINUTE_LIMIT + 2).fill(200));
    expect(bodyJson(replies[0]!)).toEqual({ summary: FAKE_REPLY });
    expect(ai.count() - before).toBe(MINUTE_LIMIT + 2);
  });

  it('limits the AI view only', async () => {
    requireSetup(codemodError);
    const source = await readFile(path.join(protectedDir, 'app.py'), 'utf8');
    expect(source).toMatch(/@limiter\.limit\(["']5 per minute["']\)/);
    expect(source).toMatch(/@limiter\.limit\(["']50 per day["']\)/);
    // The decorators between the notes route and its view: none of them a limit.
    const notes = /@app\.post\(["']\/api\/notes["']\)([\s\S]*?)\ndef add_note/.exec(source);
    expect(notes, 'the /api/notes view').not.toBeNull();
    expect(notes![1]).not.toContain('limiter');
  });

  it('test client: /api/summarize → 200 ×5 then 429, the AI is called 5 times; /health and /api/notes stay open', async () => {
    requireSetup(codemodError);
    const before = ai.count();
    const replies = await probe(protectedDir, 'app:app', [
      { method: 'POST', path: '/api/summarize', json: summarizeBody, times: MINUTE_LIMIT + 1 },
      { method: 'GET', path: '/health', times: 1 },
      { method: 'POST', path: '/api/notes', json: noteBody, times: MINUTE_LIMIT + 2 },
    ]);
    expect(statuses(replies, '/api/summarize')).toEqual([200, 200, 200, 200, 200, 429]);
    expect(ai.count() - before).toBe(MINUTE_LIMIT);
    // Flask-Limiter 4's default 429 is werkzeug's TooManyRequests page naming the limit.
    const limited = replies.find((r) => r.status === 429)!;
    expect(limited.body).toContain('5 per 1 minute');
    expect(statuses(replies, '/health')).toEqual([200]);
    expect(statuses(replies, '/api/notes')).toEqual(Array(MINUTE_LIMIT + 2).fill(200));
  });
});

// The fixtures' expected outputs are code we claim works: the two shapes the examples do not have
// (a blueprint in its own module with limiter.init_app in a factory; a src/ package importing the
// limiter module relatively) run here with the real packages.
describe('fixture outputs run with the real packages', { timeout: 2 * 60_000 }, () => {
  const FIXTURES = path.join(ROOT, '__testfixtures__');

  async function copyFixture(slug: string, name: string): Promise<string> {
    const dir = path.join(work, `${slug}-${name}`);
    await copyDir(path.join(FIXTURES, slug, name, 'output'), dir);
    return dir;
  }

  it('flask-ratelimit blueprint-in-another-module: 200 ×5 then 429 through create_app()', async () => {
    requireSetup();
    const dir = await copyFixture('flask-ratelimit', 'blueprint-in-another-module');
    const before = ai.count();
    const replies = await probe(dir, 'app:create_app', [
      { method: 'POST', path: '/api/ask', json: { question: 'hi' }, times: MINUTE_LIMIT + 1 },
    ]);
    expect(statuses(replies)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(ai.count() - before).toBe(MINUTE_LIMIT);
  });

  it('fastapi-ratelimit relative-imports: 200 ×5 then 429 from a src/ package', async () => {
    requireSetup();
    const dir = await copyFixture('fastapi-ratelimit', 'relative-imports');
    const before = ai.count();
    const replies = await probe(path.join(dir, 'src'), 'assistant.main:app', [
      { method: 'POST', path: '/api/chat', json: { message: 'hi' }, times: MINUTE_LIMIT + 1 },
      { method: 'POST', path: '/items?name=x', times: MINUTE_LIMIT + 1 },
    ]);
    expect(statuses(replies, '/api/chat')).toEqual([200, 200, 200, 200, 200, 429]);
    expect(statuses(replies, '/items?name=x')).toEqual(Array(MINUTE_LIMIT + 1).fill(200));
    expect(ai.count() - before).toBe(MINUTE_LIMIT);
  });

  // Single-file cases whose outputs change the endpoint's parameters: each must still serve its
  // API as before (an alias keeps the public name) and be limited.
  const PARAMETER_CASES: { name: string; target: string; step: Step }[] = [
    {
      name: 'body-param-named-request',
      target: 'main:app',
      step: { method: 'POST', path: '/api/chat', json: { message: 'hi' }, times: 0 },
    },
    {
      name: 'pydantic-model-named-request',
      target: 'main:app',
      step: { method: 'POST', path: '/generate', json: { prompt: 'hi' }, times: 0 },
    },
    {
      name: 'query-param-named-request',
      target: 'main:app',
      step: { method: 'GET', path: '/api/answer?request=hi', times: 0 },
    },
    {
      name: 'several-bodies',
      target: 'main:app',
      step: {
        method: 'POST',
        path: '/api/run',
        json: { request: { text: 'hi' }, settings: { temperature: 0.1 } },
        times: 0,
      },
    },
    {
      name: 'app-factory',
      target: 'main:get_app',
      step: { method: 'POST', path: '/complete', json: { text: 'hi' }, times: 0 },
    },
    {
      name: 'multi-line-decorator',
      target: 'main:app',
      step: { method: 'POST', path: '/api/summarize', json: { text: 'hi' }, times: 0 },
    },
  ];
  for (const { name, target, step } of PARAMETER_CASES) {
    it(`fastapi-ratelimit ${name}: the same API, 200 ×5 then 429`, async () => {
      requireSetup();
      const dir = path.join(work, `fastapi-single-${name}`);
      const harness = SINGLE_FILE_HARNESS['fastapi-ratelimit']!;
      writeTree(dir, {
        ...harness.files,
        'main.py': await readFile(path.join(FIXTURES, 'fastapi-ratelimit', `${name}.output.py`), 'utf8'),
      });
      const before = ai.count();
      const replies = await probe(dir, target, [{ ...step, times: MINUTE_LIMIT + 1 }]);
      expect(statuses(replies), replies.map((r) => r.body).join('\n')).toEqual([200, 200, 200, 200, 200, 429]);
      expect(ai.count() - before).toBe(MINUTE_LIMIT);
    });
  }

  it('fastapi-ratelimit stray-app-beside-router: the factory app is the one wired, 200 ×5 then 429', async () => {
    requireSetup();
    const dir = await copyFixture('fastapi-ratelimit', 'stray-app-beside-router');
    const before = ai.count();
    const replies = await probe(dir, 'pkg.web.application:get_app', [
      { method: 'POST', path: '/agent/start?goal=ship', times: MINUTE_LIMIT + 1 },
    ]);
    expect(statuses(replies)).toEqual([200, 200, 200, 200, 200, 429]);
    // slowapi's own handler answered (wired into get_app), not FastAPI's default {"detail": …}.
    expect(bodyJson(replies.at(-1)!)).toEqual({ error: 'Rate limit exceeded: 5 per 1 minute' });
    expect(ai.count() - before).toBe(MINUTE_LIMIT);
  });

  it('flask-ratelimit local-module-named-like-stdlib: the app imports, 200 ×5 then 429', async () => {
    requireSetup();
    const dir = await copyFixture('flask-ratelimit', 'local-module-named-like-stdlib');
    const replies = await probe(dir, 'application.app:app', [
      { method: 'POST', path: '/api/answer', json: { q: 'hi' }, times: MINUTE_LIMIT + 1 },
    ]);
    expect(statuses(replies)).toEqual([200, 200, 200, 200, 200, 429]);
  });

  // Projects lint their imports; what we insert must not be what breaks their CI.
  it("every Python fixture output keeps ruff's import order (rule I) when its input had it", async () => {
    requireSetup();
    const ruff = path.join(path.dirname(venv.python), 'ruff');
    const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.py') && (/\.output\.py$/.test(f) || f.split(/[\\/]/).includes('output')),
    );
    const inputOf = (f: string) =>
      f.endsWith('.output.py')
        ? f.replace(/\.output\.py$/, '.input.py')
        : f.replace(/([\\/])output([\\/])/, '$1input$2');
    const unsorted = async (f: string) => {
      if (!existsSync(path.join(FIXTURES, f))) return false; // a file we create has no input
      const result = await run(
        ruff,
        [
          'check',
          '--isolated',
          '--select',
          'I',
          '--quiet',
          '--exit-zero',
          '--output-format',
          'concise',
          path.join(FIXTURES, f),
        ],
        { cwd: FIXTURES, timeoutMs: 30_000 },
      );
      return result.stdout.includes('I001');
    };
    const broken: string[] = [];
    for (const file of files) if ((await unsorted(file)) && !(await unsorted(inputOf(file)))) broken.push(file);
    expect(files.length).toBeGreaterThan(40);
    expect(broken).toEqual([]);
  });
});

// cors: the fixture outputs, served by the real packages. A preflight from an origin in
// ALLOWED_ORIGINS gets the CORS headers; one from any other origin does not (the browser then
// refuses to let that site read the answer). Before the codemod, both got them.
describe('cors with the real packages', { timeout: 2 * 60_000 }, () => {
  const FIXTURES = path.join(ROOT, '__testfixtures__', 'cors');
  const ALLOWED = 'https://app.example.com';
  const OTHER = 'https://evil.example';
  const preflight = (origin: string): Step => ({
    method: 'OPTIONS',
    path: '/api/chat',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
    times: 1,
  });

  async function serve(name: string, which: 'input' | 'output'): Promise<string> {
    const dir = path.join(work, `cors-${name}-${which}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'main.py'), await readFile(path.join(FIXTURES, `${name}.${which}.py`), 'utf8'));
    return dir;
  }

  it('FastAPI CORSMiddleware (was "*" with credentials): only the allowed origin gets the headers', async () => {
    requireSetup();
    const before = await probe(await serve('fastapi-star-with-credentials', 'input'), 'main:app', [preflight(OTHER)]);
    expect(before[0]!.headers['access-control-allow-origin']).toBe(OTHER);
    const dir = await serve('fastapi-star-with-credentials', 'output');
    const [allowed, other] = await probe(dir, 'main:app', [preflight(ALLOWED), preflight(OTHER)], {
      ALLOWED_ORIGINS: `${ALLOWED}, *`,
    });
    expect(allowed!.status).toBe(200);
    expect(allowed!.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(allowed!.headers['access-control-allow-credentials']).toBe('true');
    expect(other!.headers['access-control-allow-origin']).toBeUndefined();
    // Without ALLOWED_ORIGINS, the development default.
    const [local] = await probe(dir, 'main:app', [preflight('http://localhost:3000')]);
    expect(local!.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });

  it('Flask-CORS (was a bare CORS(app)): only the allowed origin gets the header', async () => {
    requireSetup();
    const get = (origin: string): Step => ({ method: 'POST', path: '/api/ask', headers: { Origin: origin }, times: 1 });
    const before = await probe(await serve('flask-bare-cors', 'input'), 'main:app', [get(OTHER)]);
    // flask-cors 6 echoes any Origin back by default (send_wildcard=False): open all the same.
    expect(before[0]!.headers['access-control-allow-origin']).toBe(OTHER);
    const [allowed, other] = await probe(
      await serve('flask-bare-cors', 'output'),
      'main:app',
      [get(ALLOWED), get(OTHER)],
      { ALLOWED_ORIGINS: ALLOWED },
    );
    expect(allowed!.status).toBe(200);
    expect(allowed!.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(other!.headers['access-control-allow-origin']).toBeUndefined();
  });
});
