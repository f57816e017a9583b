// The helper's Upstash store against a real redis-server, through scripts/upstash-redis-adapter.mjs
// (Upstash's REST protocol on loopback). Needs redis-server on PATH: without it this file FAILS.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from '@upstash/redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  redisCommand,
  startRedisServer,
  startUpstashAdapter,
  stripLuaShebang,
  type RedisServer,
  type UpstashAdapter,
} from '../../scripts/upstash-redis-adapter.mjs';
import { ROOT, isolateHelperEnv, limited, loadHelper, ok, statuses, viaProxy } from './helper-loader.js';

const TOKEN = 'adapter-test-token';
const NOON = Date.UTC(2025, 2, 3, 12, 0, 10);
const MINUTE_BUCKET = Math.floor(NOON / 60_000);
const DAY_BUCKET = Math.floor(NOON / 86_400_000);
const NEXT_DAY = Date.UTC(2025, 2, 4);
const INCR_SCRIPT = "#!lua flags=allow-key-locking\nreturn redis.call('INCR', KEYS[1])";
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

let redis: RedisServer;
let adapter: UpstashAdapter;
let setupError: unknown;

beforeAll(async () => {
  try {
    redis = await startRedisServer(); // throws "redis-server is not on PATH …" when it is missing
    adapter = await startUpstashAdapter({ redisPort: redis.port, token: TOKEN });
  } catch (error) {
    setupError = error;
  }
}, 30_000);

// Rethrown in every test, so that each one counts as failed (an error in beforeAll alone would
// leave them reported as skipped).
beforeEach(() => {
  if (setupError) throw setupError;
});

afterAll(async () => {
  await adapter?.close();
  await redis?.close();
});

async function rest(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${adapter.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('the adapter speaks Upstash REST to a real redis-server', () => {
  it('runs single commands, base64-encoding results when asked to', async () => {
    expect(await rest('/', ['SET', 'greeting', 'héllo'])).toEqual({ status: 200, body: { result: 'OK' } });
    expect(await rest('/', ['GET', 'greeting'])).toEqual({ status: 200, body: { result: 'héllo' } });
    expect(await rest('/', ['GET', 'greeting'], { 'Upstash-Encoding': 'base64' })).toEqual({
      status: 200,
      body: { result: Buffer.from('héllo').toString('base64') },
    });
    expect(await rest('/', ['INCRBY', 'counter', 5])).toEqual({ status: 200, body: { result: 5 } });
    expect(await rest('/', ['GET', 'missing'])).toEqual({ status: 200, body: { result: null } });
    const wrongType = await rest('/', ['INCR', 'greeting']);
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toEqual({ error: expect.stringContaining('not an integer') });
  });

  it('refuses a missing or wrong bearer token', async () => {
    const response = await fetch(adapter.url, { method: 'POST', body: '["PING"]' });
    expect(response.status).toBe(401);
    expect(await rest('/', ['PING'], { authorization: 'Bearer nope' })).toEqual({
      status: 401,
      body: { error: 'Unauthorized' },
    });
  });

  it('runs /pipeline and /multi-exec, with one result or error per command', async () => {
    expect(
      await rest('/pipeline', [
        ['SET', 'p', '1'],
        ['INCR', 'greeting'],
        ['INCR', 'p'],
      ]),
    ).toEqual({
      status: 200,
      body: [{ result: 'OK' }, { error: expect.stringContaining('not an integer') }, { result: 2 }],
    });
    expect(
      await rest('/multi-exec', [
        ['INCR', 'tx'],
        ['INCR', 'tx'],
        ['GET', 'tx'],
      ]),
    ).toEqual({
      status: 200,
      body: [{ result: 1 }, { result: 2 }, { result: '2' }],
    });
  });

  it('strips the allow-key-locking shebang that stock Redis rejects', async () => {
    await expect(redisCommand(redis.port, 'EVAL', INCR_SCRIPT, 1, 'direct')).rejects.toThrow(/flag/i);
    expect(await rest('/', ['EVAL', INCR_SCRIPT, 1, 'lua-counter'])).toEqual({ status: 200, body: { result: 1 } });
    expect(stripLuaShebang(INCR_SCRIPT)).toBe("return redis.call('INCR', KEYS[1])");
    expect(stripLuaShebang('#!lua flags=no-writes,allow-key-locking\nreturn 1')).toBe(
      '#!lua flags=no-writes\nreturn 1',
    );
    expect(stripLuaShebang('#!lua flags=no-writes\nreturn 1')).toBe('#!lua flags=no-writes\nreturn 1');
    expect(stripLuaShebang('return 1')).toBe('return 1');
  });

  it('keeps EVALSHA working under the SHA1 of the original script (NOSCRIPT → EVAL → EVALSHA)', async () => {
    const script = `${INCR_SCRIPT} -- ${Date.now()}`; // a script Redis has not seen
    const sha = sha1(script);
    const before = await rest('/', ['EVALSHA', sha, 1, 'sha-counter']);
    expect(before.status).toBe(400);
    expect(before.body).toEqual({ error: expect.stringContaining('NOSCRIPT') });
    expect((await rest('/', ['EVAL', script, 1, 'sha-counter'])).body).toEqual({ result: 1 });
    expect((await rest('/', ['EVALSHA', sha, 1, 'sha-counter'])).body).toEqual({ result: 2 });
    expect((await rest('/', ['SCRIPT', 'EXISTS', sha])).body).toEqual({ result: [1] });

    const loaded = `${INCR_SCRIPT} -- loaded ${Date.now()}`;
    expect((await rest('/', ['SCRIPT', 'LOAD', loaded])).body).toEqual({ result: sha1(loaded) });
    expect((await rest('/pipeline', [['EVALSHA', sha1(loaded), 1, 'sha-counter']])).body).toEqual([{ result: 3 }]);
  });

  it('serves @upstash/redis itself (auto-pipelining, base64, evalsha fallback)', async () => {
    const client = new Redis({ url: adapter.url, token: TOKEN });
    expect(await client.set('client:key', { a: 1 })).toBe('OK');
    expect(await client.get('client:key')).toEqual({ a: 1 });
    const [a, b] = await Promise.all([client.incr('client:n'), client.incr('client:n')]);
    expect([a, b]).toEqual([1, 2]);
    const script = `${INCR_SCRIPT} -- client ${Date.now()}`;
    await expect(client.evalsha(sha1(script), ['client:lua'], [])).rejects.toThrow(/NOSCRIPT/);
    expect(await client.eval(script, ['client:lua'], [])).toBe(1);
    expect(await client.evalsha(sha1(script), ['client:lua'], [])).toBe(2);
  });

  it('runs from the command line', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'scripts/upstash-redis-adapter.mjs'), '--redis-port', String(redis.port), '--token', 'cli-token'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the CLI printed no URL within 10 s')), 10_000);
        createInterface({ input: child.stdout! }).once('line', (line) => {
          clearTimeout(timer);
          resolve(line.trim());
        });
        child.once('exit', (code) => reject(new Error(`the CLI exited with ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: 'Bearer cli-token' },
        body: '["PING"]',
      });
      expect(await response.json()).toEqual({ result: 'PONG' });
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('the rate limiter helper with the Upstash store', () => {
  let restoreEnv: () => void;
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    restoreEnv = isolateHelperEnv();
    process.env.UPSTASH_REDIS_REST_URL = adapter.url;
    process.env.UPSTASH_REDIS_REST_TOKEN = TOKEN;
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // Date only: the Upstash client's timers (its timeout, retries) run for real.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOON);
  });
  afterEach(() => {
    // Never once fell back to memory: every answer came from Redis.
    expect(warn).not.toHaveBeenCalled();
    restoreEnv();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('lets 5 through, then 429, counting in Redis under one prefix per window', async () => {
    const helper = await loadHelper();
    expect(await statuses(helper, 8, (i) => viaProxy('203.0.113.10', `spoof-${i}`))).toEqual([...ok(5), ...limited(3)]);
    const response = await helper.rateLimit(viaProxy('203.0.113.10'));
    expect(response?.headers.get('X-RateLimit-Limit')).toBe('5');
    expect(response?.headers.get('X-RateLimit-Reset')).toBe(String((MINUTE_BUCKET + 1) * 60));
    expect(response?.headers.get('Retry-After')).toBe('50');

    expect(
      Number(await redisCommand(redis.port, 'GET', `ratelimit:minute:203.0.113.10:${MINUTE_BUCKET}`)),
    ).toBeGreaterThanOrEqual(6);
    // Minute first: the rejected requests never reached the day window.
    expect(await redisCommand(redis.port, 'GET', `ratelimit:day:203.0.113.10:${DAY_BUCKET}`)).toBe('5');
  });

  it('shares the count between two fresh module instances (it is Redis, not memory)', async () => {
    const first = await loadHelper();
    expect(await statuses(first, 3, () => viaProxy('203.0.113.11'))).toEqual(ok(3));
    const second = await loadHelper(); // vi.resetModules inside: new counters, new clients
    expect(second).not.toBe(first);
    expect(await statuses(second, 3, () => viaProxy('203.0.113.11'))).toEqual([...ok(2), 429]);
  });

  it('lets exactly 5 of 50 concurrent requests from one client through', async () => {
    const helper = await loadHelper();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => helper.rateLimit(viaProxy('203.0.113.12', `spoof-${i}`))),
    );
    expect(results.filter((r) => r === undefined)).toHaveLength(5);
    expect(results.filter((r) => r?.status === 429)).toHaveLength(45);
  });

  it('answers 429 from the day window once the day count in Redis is spent', async () => {
    await redisCommand(redis.port, 'SET', `ratelimit:day:203.0.113.13:${DAY_BUCKET}`, 50, 'PX', 86_400_000);
    const helper = await loadHelper();
    const response = await helper.rateLimit(viaProxy('203.0.113.13'));
    expect(response?.status).toBe(429);
    expect(response?.headers.get('X-RateLimit-Limit')).toBe('50');
    expect(response?.headers.get('X-RateLimit-Reset')).toBe(String(NEXT_DAY / 1000));
  });

  it('reads the Vercel KV variable names too', async () => {
    delete process.env.UPSTASH_REDIS_REST_URL;
    delete process.env.UPSTASH_REDIS_REST_TOKEN;
    process.env.KV_REST_API_URL = adapter.url;
    process.env.KV_REST_API_TOKEN = TOKEN;
    const helper = await loadHelper();
    expect(await statuses(helper, 1, () => viaProxy('203.0.113.14'))).toEqual(ok(1));
    expect(await redisCommand(redis.port, 'GET', `ratelimit:minute:203.0.113.14:${MINUTE_BUCKET}`)).toBe('1');
  });

  it("counts a route's own limits in Redis under their own key", async () => {
    const helper = await loadHelper();
    const own = { perMinute: 2, perDay: 20 };
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push((await helper.rateLimit(viaProxy('203.0.113.15'), own))?.status ?? 200);
    expect(results).toEqual([...ok(2), 429]);
    expect(
      Number(await redisCommand(redis.port, 'GET', `ratelimit:minute:2-20:203.0.113.15:${MINUTE_BUCKET}`)),
    ).toBeGreaterThanOrEqual(3);
    expect(await redisCommand(redis.port, 'GET', `ratelimit:minute:203.0.113.15:${MINUTE_BUCKET}`)).toBe(null);
    expect(await statuses(helper, 1, () => viaProxy('203.0.113.15'))).toEqual(ok(1));
  });
});
