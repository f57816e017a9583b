// End to end, with real parts: the bundled example app is copied to a temp dir, the codemod is
// applied to it, it is installed and built with Next.js 16 from npm, and `next start` serves it on
// a loopback port. Its OpenAI SDK talks to a fake AI server that counts calls. The same build is
// started against each store: in-memory (no Upstash env) and Upstash, whose REST protocol is served
// by a test-only adapter in front of a real redis-server that this file starts.

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAiServer, type FakeAiServer } from '../../scripts/fake-ai-server.mjs';
import {
  freePort,
  redisCommand,
  startRedisServer,
  startUpstashAdapter,
  type RedisServer,
  type UpstashAdapter,
} from '../../scripts/upstash-redis-adapter.mjs';
import { tempDir } from '../helpers/project.js';
import {
  HOST,
  avoidMinuteBoundary,
  childEnv,
  copyDir,
  isAlive,
  run,
  startProcess,
  stopAll,
  tail,
  waitForHttp,
  type Server,
} from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = path.join(ROOT, 'examples/next-ai-app');
const CLI = path.join(ROOT, 'dist/bin/cli.js');

const MINUTE_LIMIT = 5;
const SETUP_TIMEOUT = 8 * 60_000;
const SERVER_READY_TIMEOUT = 60_000;
const REQUEST_TIMEOUT = 30_000;

let appDir = '';
let removeAppDir = (): void => {};
let ai: FakeAiServer;
const startedPids: number[] = [];
const timings: Record<string, number> = {};

// ---------------------------------------------------------------------------------------------
// Applying the codemod: our compiled CLI in write mode, as a user runs it (`npm test` builds it).
// A temp dir is not a git work tree, so write mode needs no --force.

async function applyCodemod(dir: string, transform = 'next-ratelimit'): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${path.relative(ROOT, CLI)} is missing: run npm run build first`);
  await run(process.execPath, [CLI, transform, dir], { cwd: ROOT, timeoutMs: 120_000 });
}

// A public route as apps write it to let other sites call them: `*`, in a handler and its
// preflight. Added to the copy only (the example app itself has no CORS code, as most do not).
const OPEN_CORS_ROUTE = `export function OPTIONS() {
  return new Response(null, {
    status: 204,
    headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, OPTIONS' },
  });
}

export function GET() {
  return Response.json({ ok: true }, { headers: { 'Access-Control-Allow-Origin': '*' } });
}
`;

// ---------------------------------------------------------------------------------------------
// The app under test.

interface App {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

async function startApp(env: Record<string, string> = {}): Promise<App> {
  const port = await freePort();
  const server = startProcess(path.join(appDir, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', HOST], {
    cwd: appDir,
    env: childEnv({ OPENAI_BASE_URL: ai.baseURL, OPENAI_API_KEY: 'sk-e2e-not-a-real-key', ...env }),
  });
  startedPids.push(server.pid);
  const url = `http://${HOST}:${port}`;
  await waitForHttp(`${url}/api/health`, { timeoutMs: SERVER_READY_TIMEOUT, server });
  return { url, server, stop: () => server.stop() };
}

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

async function post(app: App, route: string, body: unknown): Promise<Reply> {
  const res = await fetch(app.url + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text: the assertion message will show it
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

const FAKE_REPLY = 'Hello from the fake AI server.';
const chatBody = { messages: [{ role: 'user', content: 'Hello?' }] };
const summarizeBody = { text: 'A long text that needs a short summary.' };

async function postSequentially(app: App, route: string, body: unknown, n: number): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let i = 0; i < n; i++) replies.push(await post(app, route, body));
  return replies;
}

function statuses(replies: Reply[]): number[] {
  return replies.map((r) => r.status);
}

/** A 429 the way the helper promises it: JSON, Retry-After in whole seconds, X-RateLimit-*. */
function expectRateLimited(reply: Reply): void {
  expect(reply.status).toBe(429);
  const retryAfter = reply.headers.get('retry-after');
  expect(retryAfter, 'Retry-After header').toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  expect(reply.headers.get('x-ratelimit-limit')).toBe(String(MINUTE_LIMIT));
  expect(reply.headers.get('x-ratelimit-remaining')).toBe('0');
  expect(reply.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
  expect(reply.headers.get('content-type')).toMatch(/application\/json/);
  expect(reply.body).toEqual(expect.objectContaining({ error: expect.any(String) }));
}

/** 7 sequential POSTs: the first 5 reach the AI, the last 2 are refused before it. */
async function expectFiveThenLimited(app: App, route: string, body: unknown): Promise<void> {
  await avoidMinuteBoundary();
  const aiCallsBefore = ai.count();
  const replies = await postSequentially(app, route, body, MINUTE_LIMIT + 2);
  expect(statuses(replies), tail(app.server.output())).toEqual([200, 200, 200, 200, 200, 429, 429]);
  for (const reply of replies.slice(0, MINUTE_LIMIT)) expect(JSON.stringify(reply.body)).toContain(FAKE_REPLY);
  for (const reply of replies.slice(MINUTE_LIMIT)) expectRateLimited(reply);
  expect(ai.count() - aiCallsBefore).toBe(MINUTE_LIMIT);
}

/** 50 concurrent POSTs from one client: exactly 5 get through, whatever the interleaving. */
async function expectExactlyFiveOfFifty(app: App): Promise<void> {
  await avoidMinuteBoundary();
  const aiCallsBefore = ai.count();
  const replies = await Promise.all(Array.from({ length: 50 }, () => post(app, '/api/chat', chatBody)));
  const counts = { ok: 0, limited: 0, other: [] as number[] };
  for (const r of replies) {
    if (r.status === 200) counts.ok++;
    else if (r.status === 429) counts.limited++;
    else counts.other.push(r.status);
  }
  expect(counts, tail(app.server.output())).toEqual({ ok: MINUTE_LIMIT, limited: 50 - MINUTE_LIMIT, other: [] });
  expect(ai.count() - aiCallsBefore).toBe(MINUTE_LIMIT);
}

// ---------------------------------------------------------------------------------------------

// A failed setup is recorded and rethrown by every test (rather than thrown from the hook), so
// each test counts as failed with the reason instead of being reported as skipped.
let setupError: unknown;

function requireSetup(...errors: unknown[]): void {
  for (const error of [setupError, ...errors]) if (error) throw error;
}

beforeAll(async () => {
  try {
    await setUpApp();
  } catch (error) {
    setupError = error;
  }
}, SETUP_TIMEOUT);

async function setUpApp(): Promise<void> {
  ai = await startFakeAiServer({ reply: FAKE_REPLY });
  ({ dir: appDir, cleanup: removeAppDir } = tempDir('ai-secure-e2e-'));
  await copyDir(EXAMPLE, appDir);

  await mkdir(path.join(appDir, 'app/api/public'), { recursive: true });
  await writeFile(path.join(appDir, 'app/api/public/route.ts'), OPEN_CORS_ROUTE);

  let t = Date.now();
  await applyCodemod(appDir);
  await applyCodemod(appDir, 'cors');
  timings.codemod = Date.now() - t;

  t = Date.now();
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: appDir,
    env: childEnv(),
    timeoutMs: 5 * 60_000,
  });
  timings['npm install'] = Date.now() - t;

  t = Date.now();
  await run(path.join(appDir, 'node_modules/.bin/next'), ['build'], {
    cwd: appDir,
    env: childEnv(),
    timeoutMs: 5 * 60_000,
  });
  timings['next build'] = Date.now() - t;
}

afterAll(async () => {
  await stopAll();
  await ai?.close();
  const orphans = startedPids.filter(isAlive);
  if (process.env.E2E_KEEP) console.log(`e2e: kept ${appDir}`);
  else removeAppDir();
  console.log(`e2e timings (ms): ${JSON.stringify(timings)}`);
  // A next-server or redis-server left running would hold a port and memory on the CI machine.
  expect(orphans, 'child servers still alive after the suite').toEqual([]);
}, 60_000);

describe('next-ratelimit on the example app', () => {
  it('protects the AI routes through the @/ alias and leaves the others alone', async () => {
    requireSetup();
    const chatRoute = await readFile(path.join(appDir, 'app/api/chat/route.ts'), 'utf8');
    expect(chatRoute).toMatch(/import \{ rateLimit \} from ["']@\/lib\/rate-limit["']/);
    const summarize = await readFile(path.join(appDir, 'pages/api/summarize.ts'), 'utf8');
    expect(summarize).toMatch(/from ["']@\/lib\/rate-limit["']/);
    expect(existsSync(path.join(appDir, 'lib/rate-limit.ts'))).toBe(true);

    for (const untouched of ['app/api/todos/route.ts', 'app/api/health/route.ts', 'lib/ai.ts']) {
      expect(await readFile(path.join(appDir, untouched), 'utf8'), untouched).toBe(
        await readFile(path.join(EXAMPLE, untouched), 'utf8'),
      );
    }
  });
});

describe('in-memory store (no Upstash env)', { timeout: 3 * 60_000 }, () => {
  it('App Router /api/chat: 7 POSTs → 200 ×5, then 429 ×2; the AI is called 5 times', async () => {
    requireSetup();
    const app = await startApp();
    try {
      await expectFiveThenLimited(app, '/api/chat', chatBody);

      // A route that calls no AI is out of scope and never limited, even for a limited client.
      const todos = await postSequentially(app, '/api/todos', { title: 'buy milk' }, 10);
      expect(statuses(todos)).toEqual(Array(10).fill(201));
      const health = await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT) });
      expect(health.status).toBe(200);
    } finally {
      await app.stop();
    }
    expect(isAlive(app.server.pid)).toBe(false);
  });

  it('Pages Router /api/summarize: 7 POSTs → 200 ×5, then 429 ×2', async () => {
    requireSetup();
    const app = await startApp();
    try {
      const wrongMethod = await fetch(`${app.url}/api/summarize`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT) });
      expect(wrongMethod.status).toBe(405);
      await expectFiveThenLimited(app, '/api/summarize', summarizeBody);
    } finally {
      await app.stop();
    }
  });

  it('Edge runtime /api/edge-chat (raw fetch to the AI API): 7 POSTs → 200 ×5, then 429 ×2', async () => {
    requireSetup();
    const edgeRoute = await readFile(path.join(appDir, 'app/api/edge-chat/route.ts'), 'utf8');
    expect(edgeRoute).toContain('export const runtime = "edge"');
    expect(edgeRoute).toMatch(/const limited = await rateLimit\(req\);/);
    const app = await startApp();
    try {
      await expectFiveThenLimited(app, '/api/edge-chat', { prompt: 'Hello from the edge?' });
    } finally {
      await app.stop();
    }
  });

  it('Pages Router on the Edge runtime /api/edge-translate (export const runtime): 7 POSTs → 200 ×5, then 429 ×2', async () => {
    requireSetup();
    const route = await readFile(path.join(appDir, 'pages/api/edge-translate.ts'), 'utf8');
    expect(route).toMatch(/const limited = await rateLimit\(req\);/);
    const app = await startApp();
    try {
      await expectFiveThenLimited(app, '/api/edge-translate', { text: 'Good morning' });
    } finally {
      await app.stop();
    }
  });

  it('50 concurrent POSTs from one client to a fresh server: exactly 5 succeed', async () => {
    requireSetup();
    const app = await startApp();
    try {
      await expectExactlyFiveOfFifty(app);
    } finally {
      await app.stop();
    }
  });
});

describe('Upstash store (real redis-server behind the REST adapter)', { timeout: 3 * 60_000 }, () => {
  let redisPort = 0;
  let upstashEnv: Record<string, string> = {};
  let adapter: UpstashAdapter | undefined;
  let redis: RedisServer | undefined;
  let upstashError: unknown;

  beforeAll(async () => {
    if (setupError) return;
    try {
      await startRedisAndAdapter();
    } catch (error) {
      upstashError = error;
    }
  }, 60_000);

  async function startRedisAndAdapter(): Promise<void> {
    // Throws "redis-server is not on PATH …" when it is missing; stops the process itself when it
    // does not come up, so only a server that started needs the orphan check.
    redis = await startRedisServer({ startupTimeoutMs: 20_000 });
    redisPort = redis.port;
    startedPids.push(redis.pid);

    const token = `e2e-${randomBytes(12).toString('hex')}`;
    adapter = await startUpstashAdapter({ redisPort, port: 0, token });
    upstashEnv = { UPSTASH_REDIS_REST_URL: adapter.url, UPSTASH_REDIS_REST_TOKEN: token };
  }

  afterAll(async () => {
    await adapter?.close();
    await redis?.close();
  });

  it('7 POSTs → 200 ×5, then 429; the state lives in Redis and survives a restart', async () => {
    requireSetup(upstashError);
    expect(await redisCommand(redisPort, 'FLUSHALL')).toBe('OK');
    await avoidMinuteBoundary(15_000);
    const first = await startApp(upstashEnv);
    try {
      await expectFiveThenLimited(first, '/api/chat', chatBody);
    } finally {
      await first.stop();
    }
    const keys = await redisCommand(redisPort, 'DBSIZE');
    expect(keys, 'DBSIZE').toBeTypeOf('number');
    expect(keys, 'DBSIZE').toBeGreaterThanOrEqual(1);

    // A fresh process has an empty memory: only Redis can remember this client.
    const second = await startApp(upstashEnv);
    try {
      const aiCallsBefore = ai.count();
      expectRateLimited(await post(second, '/api/chat', chatBody));
      expect(ai.count()).toBe(aiCallsBefore);
    } finally {
      await second.stop();
    }
  });

  it('50 concurrent POSTs from one client: exactly 5 succeed', async () => {
    requireSetup(upstashError);
    expect(await redisCommand(redisPort, 'FLUSHALL')).toBe('OK');
    const app = await startApp(upstashEnv);
    try {
      await expectExactlyFiveOfFifty(app);
    } finally {
      await app.stop();
    }
  });

  it('when the Redis REST endpoint is down, the app falls back to memory and still limits', async () => {
    requireSetup(upstashError);
    await adapter?.close();
    adapter = undefined;
    const app = await startApp(upstashEnv);
    try {
      await expectFiveThenLimited(app, '/api/chat', chatBody);
    } finally {
      await app.stop();
    }
    // The helper says once that it fell back, so an outage does not go unnoticed.
    expect(app.server.output()).toMatch(/redis/i);
  });
});

describe('cors on a built app', { timeout: 3 * 60_000 }, () => {
  it('a route that sent "*" now answers only an allowed origin, with Vary: Origin, preflight included', async () => {
    requireSetup();
    const route = await readFile(path.join(appDir, 'app/api/public/route.ts'), 'utf8');
    expect(route).toMatch(/import \{ corsHeaders \} from ["']@\/lib\/cors["']/);
    const app = await startApp({ ALLOWED_ORIGINS: 'https://app.example.com' });
    try {
      const ask = (method: string, origin: string) =>
        fetch(`${app.url}/api/public`, {
          method,
          headers: { Origin: origin },
          signal: AbortSignal.timeout(REQUEST_TIMEOUT),
        });
      for (const method of ['GET', 'OPTIONS']) {
        const allowed = await ask(method, 'https://app.example.com');
        expect(allowed.headers.get('access-control-allow-origin'), method).toBe('https://app.example.com');
        expect(allowed.headers.get('vary'), method).toMatch(/Origin/);
        const other = await ask(method, 'https://evil.example');
        expect(other.headers.get('access-control-allow-origin'), method).toBeNull();
      }
      // The other headers the preflight sent are kept.
      expect((await ask('OPTIONS', 'https://app.example.com')).headers.get('access-control-allow-methods')).toBe(
        'GET, OPTIONS',
      );
    } finally {
      await app.stop();
    }
  });
});
