// Unit tests of the rate limiter helper that next-ratelimit adds to apps (templates/next/rate-limit.ts).
// Memory store with a fake clock; the Upstash store's failure paths against loopback servers that
// refuse, fail or hang. The Upstash store against a real Redis is in rate-limit-upstash.test.ts.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../scripts/upstash-redis-adapter.mjs';
import {
  TEMPLATE_JS,
  appRequest,
  fakeRes,
  isolateHelperEnv,
  limited,
  loadHelper,
  ok,
  statuses,
  viaProxy,
  type Helper,
} from './helper-loader.js';

const NOON = Date.UTC(2025, 2, 3, 12, 0, 10); // 12:00:10 UTC: 50 s left in the minute
const NEXT_MINUTE = Date.UTC(2025, 2, 3, 12, 1, 0);
const NEXT_DAY = Date.UTC(2025, 2, 4, 0, 0, 0);
const MINUTE = 60_000;

let restoreEnv: () => void;
beforeEach(() => {
  restoreEnv = isolateHelperEnv();
});
afterEach(() => {
  restoreEnv();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function useClock(at: number): void {
  // Only Date: the Upstash client's own timers (timeouts, retries) keep running for real.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

describe('two windows (memory store)', () => {
  it('lets PER_MINUTE requests through, then answers 429 until the minute is over', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    expect(await statuses(helper, 7, () => viaProxy('203.0.113.7'))).toEqual([...ok(5), ...limited(2)]);

    vi.setSystemTime(NEXT_MINUTE - 1);
    expect(await statuses(helper, 1, () => viaProxy('203.0.113.7'))).toEqual(limited(1));
    vi.setSystemTime(NEXT_MINUTE);
    expect(await statuses(helper, 6, () => viaProxy('203.0.113.7'))).toEqual([...ok(5), 429]);
  });

  it('answers 429 after PER_DAY requests in a day, even in a fresh minute, until the next day', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    for (let minute = 0; minute < 10; minute += 1) {
      vi.setSystemTime(NOON + minute * MINUTE);
      expect(await statuses(helper, 5, () => viaProxy('203.0.113.7'))).toEqual(ok(5));
    }
    vi.setSystemTime(NOON + 10 * MINUTE);
    const response = await helper.rateLimit(viaProxy('203.0.113.7'));
    expect(response?.status).toBe(429);
    expect(response?.headers.get('X-RateLimit-Limit')).toBe('50');
    expect(response?.headers.get('X-RateLimit-Reset')).toBe(String(NEXT_DAY / 1000));
    expect(response?.headers.get('Retry-After')).toBe(String((NEXT_DAY - (NOON + 10 * MINUTE)) / 1000));

    vi.setSystemTime(NEXT_DAY + 1);
    expect(await statuses(helper, 6, () => viaProxy('203.0.113.7'))).toEqual([...ok(5), 429]);
  });

  it('does not spend the daily quota on requests that the minute window rejected', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    // 25 requests a minute: 5 let through, 20 rejected by the minute window. Were the rejected
    // ones counted in the day window, the daily 50 would be gone in the second minute.
    for (let minute = 0; minute < 10; minute += 1) {
      vi.setSystemTime(NOON + minute * MINUTE);
      expect(await statuses(helper, 25, () => viaProxy('203.0.113.7'))).toEqual([...ok(5), ...limited(20)]);
    }
    vi.setSystemTime(NOON + 10 * MINUTE);
    const response = await helper.rateLimit(viaProxy('203.0.113.7'));
    expect(response?.headers.get('X-RateLimit-Limit')).toBe('50'); // now the day window rejects
  });

  it('counts each client separately', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    expect(await statuses(helper, 6, () => viaProxy('203.0.113.7'))).toEqual([...ok(5), 429]);
    expect(await statuses(helper, 6, () => viaProxy('198.51.100.23'))).toEqual([...ok(5), 429]);
  });
});

describe('429 response and headers', () => {
  it('is JSON with Retry-After and X-RateLimit-* of the minute window', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    await statuses(helper, 5, () => viaProxy('203.0.113.7'));
    const response = await helper.rateLimit(viaProxy('203.0.113.7'));
    expect(response?.status).toBe(429);
    expect(response?.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response?.json()).toEqual({ error: 'Too many requests' });
    expect(response?.headers.get('Retry-After')).toBe('50');
    expect(response?.headers.get('X-RateLimit-Limit')).toBe('5');
    expect(response?.headers.get('X-RateLimit-Remaining')).toBe('0');
    expect(response?.headers.get('X-RateLimit-Reset')).toBe(String(NEXT_MINUTE / 1000));
  });

  it('never says Retry-After: 0', async () => {
    useClock(NEXT_MINUTE - 100); // 0.1 s before the window ends
    const helper = await loadHelper();
    await statuses(helper, 5, () => viaProxy('203.0.113.7'));
    const response = await helper.rateLimit(viaProxy('203.0.113.7'));
    expect(response?.headers.get('Retry-After')).toBe('1');
  });
});

describe('client key', () => {
  it('gives a caller who forges a new X-Forwarded-For each time no fresh bucket (behind one proxy)', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    const spoofed = (i: number) => viaProxy('203.0.113.7', `10.9.${i}.1, spoof-${i}`);
    expect(await statuses(helper, 7, spoofed)).toEqual([...ok(5), ...limited(2)]);
  });

  it('uses x-real-ip on Vercel, whatever X-Forwarded-For says', async () => {
    process.env.VERCEL = '1';
    useClock(NOON);
    const helper = await loadHelper();
    const request = (realIp: string, i: number) =>
      appRequest({ 'x-real-ip': realIp, 'x-forwarded-for': `spoof-${i}, 192.0.2.${i % 200}` });
    expect(await statuses(helper, 6, (i) => request('203.0.113.7', i))).toEqual([...ok(5), 429]);
    expect(await statuses(helper, 6, (i) => request('203.0.113.8', i))).toEqual([...ok(5), 429]);
  });

  it('takes the entry RATE_LIMIT_TRUSTED_PROXY_HOPS from the right', async () => {
    process.env.RATE_LIMIT_TRUSTED_PROXY_HOPS = '2';
    useClock(NOON);
    const helper = await loadHelper();
    // CDN appends the client, the load balancer appends the CDN: client is second from the right.
    const request = (client: string, i: number) =>
      appRequest({ 'x-forwarded-for': `spoof-${i}, ${client}, 10.0.0.${i % 3}` });
    expect(await statuses(helper, 6, (i) => request('203.0.113.7', i))).toEqual([...ok(5), 429]);
    expect(await statuses(helper, 1, (i) => request('198.51.100.23', i))).toEqual(ok(1));
  });

  it.each(['abc', '-1', '1.5', ''])('treats RATE_LIMIT_TRUSTED_PROXY_HOPS=%j as 1', async (value) => {
    process.env.RATE_LIMIT_TRUSTED_PROXY_HOPS = value;
    useClock(NOON);
    const helper = await loadHelper();
    expect(await statuses(helper, 6, (i) => viaProxy('203.0.113.7', `spoof-${i}`))).toEqual([...ok(5), 429]);
  });

  it('strips an IPv4-mapped ::ffff: prefix, so both spellings share a bucket', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    expect(await statuses(helper, 3, () => viaProxy('::ffff:203.0.113.7'))).toEqual(ok(3));
    expect(await statuses(helper, 3, () => viaProxy('203.0.113.7'))).toEqual([...ok(2), 429]);
  });

  it('puts requests without any address in one shared "unknown" bucket', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    expect(await statuses(helper, 6, () => appRequest())).toEqual([...ok(5), 429]);
  });

  it('Pages Router: uses the socket address with hops 0 or without X-Forwarded-For', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    const run = async (req: Parameters<Helper['rateLimitPages']>[0]) =>
      (await helper.rateLimitPages(req, fakeRes())) ? 429 : 200;

    const socket = { remoteAddress: '::ffff:198.51.100.23' };
    const results = [];
    for (let i = 0; i < 6; i += 1) results.push(await run({ headers: {}, socket }));
    expect(results).toEqual([...ok(5), 429]);

    process.env.RATE_LIMIT_TRUSTED_PROXY_HOPS = '0'; // read per request
    const direct = [];
    for (let i = 0; i < 6; i += 1) {
      direct.push(await run({ headers: { 'x-forwarded-for': `spoof-${i}` }, socket: { remoteAddress: '192.0.2.1' } }));
    }
    expect(direct).toEqual([...ok(5), 429]);
  });

  it('Pages Router: reads a repeated X-Forwarded-For header (string[]) as one list', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    const results = [];
    for (let i = 0; i < 6; i += 1) {
      const req = { headers: { 'x-forwarded-for': [`spoof-${i}`, '203.0.113.7'] } };
      results.push((await helper.rateLimitPages(req, fakeRes())) ? 429 : 200);
    }
    expect(results).toEqual([...ok(5), 429]);
  });
});

describe('memory is bounded', () => {
  // The counters map is deliberately not exported (the helper is user code); the test finds it
  // by watching Map.prototype.set for the helper's `minute:` keys during one request.
  async function helperWithCounters(): Promise<{ helper: Helper; counters: Map<string, unknown> }> {
    const helper = await loadHelper();
    const originalSet = Map.prototype.set;
    let counters: Map<string, unknown> | undefined;
    Map.prototype.set = function (this: Map<unknown, unknown>, key: unknown, value: unknown) {
      if (!counters && typeof key === 'string' && key.startsWith('minute:')) counters = this as Map<string, unknown>;
      return originalSet.call(this, key, value);
    };
    try {
      await helper.rateLimitPages({ headers: {}, socket: { remoteAddress: '192.0.2.250' } }, fakeRes());
    } finally {
      Map.prototype.set = originalSet;
    }
    if (!counters) throw new Error('the helper did not store a minute: counter');
    return { helper, counters };
  }

  const hitFrom = (helper: Helper, address: string) =>
    helper.rateLimitPages({ headers: {}, socket: { remoteAddress: address } }, fakeRes());
  const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

  it('sweeps expired windows once the map is full', async () => {
    useClock(NOON);
    const { helper, counters } = await helperWithCounters();
    for (let i = 0; i < 24_999; i += 1) await hitFrom(helper, address(i));
    expect(counters.size).toBe(50_000); // a minute and a day entry per client

    vi.setSystemTime(NEXT_MINUTE + 1); // every minute entry has expired, the day entries have not
    await hitFrom(helper, '192.0.2.251');
    expect(counters.size).toBeLessThan(25_010);
    expect(counters.has(`day:${address(0)}`)).toBe(true);
    expect(counters.has(`minute:${address(0)}`)).toBe(false);
  });

  it('stays bounded under a flood of distinct clients within one minute', async () => {
    useClock(NOON);
    const { helper, counters } = await helperWithCounters();
    let largest = 0;
    for (let i = 0; i < 40_000; i += 1) {
      await hitFrom(helper, address(i));
      largest = Math.max(largest, counters.size);
    }
    expect(largest).toBeLessThanOrEqual(50_000);
    // The newest clients are still counted.
    const latest = address(39_999);
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push((await hitFrom(helper, latest)) ? 429 : 200);
    expect(results).toEqual([...ok(4), 429]);
  });
});

describe('Pages Router: rateLimitPages', () => {
  it('sets X-RateLimit-* on success, and answers 429 JSON with Retry-After itself', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    const req = { headers: { 'x-forwarded-for': '203.0.113.7' } };

    const first = fakeRes();
    expect(await helper.rateLimitPages(req, first)).toBe(false);
    expect(first.headers).toEqual({
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '4',
      'x-ratelimit-reset': String(NEXT_MINUTE / 1000),
    });
    expect(first.body).toBeUndefined();

    for (let i = 0; i < 4; i += 1) expect(await helper.rateLimitPages(req, fakeRes())).toBe(false);
    const rejected = fakeRes();
    expect(await helper.rateLimitPages(req, rejected)).toBe(true);
    expect(rejected.statusCode).toBe(429);
    expect(rejected.body).toEqual({ error: 'Too many requests' });
    expect(rejected.headers['retry-after']).toBe('50');
    expect(rejected.headers['x-ratelimit-remaining']).toBe('0');
  });

  it('reports the tighter window on success: the day window near the end of the quota', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    const req = { headers: { 'x-forwarded-for': '203.0.113.7' } };
    for (let minute = 0; minute < 10; minute += 1) {
      vi.setSystemTime(NOON + minute * MINUTE);
      const n = minute === 0 ? 3 : 5; // 48 in ten minutes
      for (let i = 0; i < n; i += 1) expect(await helper.rateLimitPages(req, fakeRes())).toBe(false);
    }
    vi.setSystemTime(NOON + 10 * MINUTE);
    const res = fakeRes();
    expect(await helper.rateLimitPages(req, res)).toBe(false); // minute: 4 left, day: 1 left
    expect(res.headers['x-ratelimit-limit']).toBe('50');
    expect(res.headers['x-ratelimit-remaining']).toBe('1');
    expect(res.headers['x-ratelimit-reset']).toBe(String(NEXT_DAY / 1000));
  });
});

describe('withRateLimit', () => {
  it('passes the request and the other arguments through, and stops the 6th call with 429', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    const handler = vi.fn(async (request: Request, context: { params: Promise<{ id: string }> }) =>
      Response.json({ id: (await context.params).id, method: request.method }, { status: 201 }),
    );
    const POST = helper.withRateLimit(handler);
    for (let i = 0; i < 5; i += 1) {
      const request = viaProxy('203.0.113.7');
      const context = { params: Promise.resolve({ id: `chat-${i}` }) };
      const response = await POST(request, context);
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ id: `chat-${i}`, method: 'POST' });
      expect(handler).toHaveBeenLastCalledWith(request, context);
    }
    const response = await POST(viaProxy('203.0.113.7'), { params: Promise.resolve({ id: 'x' }) });
    expect(response.status).toBe(429);
    expect(handler).toHaveBeenCalledTimes(5);
  });

  it('wraps a synchronous handler too', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    const GET = helper.withRateLimit(() => new Response('ok'));
    expect(await (await GET(viaProxy('203.0.113.7'))).text()).toBe('ok');
  });
});

describe('Upstash failures fall back to the in-memory limiter', () => {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  /** A loopback HTTP server; returns its URL and a count of requests. */
  async function loopbackServer(onRequest: 'hang' | 500): Promise<{ url: string; requests: () => number }> {
    let requests = 0;
    const server = createServer((req, res) => {
      requests += 1;
      req.resume();
      if (onRequest === 500) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'ERR simulated outage' }));
      } // 'hang': never answer
    });
    server.on('connection', (socket) => sockets.add(socket));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    return { url: `http://127.0.0.1:${port}`, requests: () => requests };
  }

  async function expectLimitedInMemory(): Promise<ReturnType<typeof vi.spyOn>> {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    useClock(NOON);
    const helper = await loadHelper();
    expect(await statuses(helper, 7, () => viaProxy('203.0.113.7'))).toEqual([...ok(5), ...limited(2)]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('Redis failed, counting in memory');
    return warn;
  }

  it('when nothing listens on the Redis URL', async () => {
    process.env.UPSTASH_REDIS_REST_URL = `http://127.0.0.1:${await freePort()}`;
    process.env.UPSTASH_REDIS_REST_TOKEN = 'test-token';
    await expectLimitedInMemory();
  });

  it('when the REST endpoint answers 500', async () => {
    const server = await loopbackServer(500);
    process.env.UPSTASH_REDIS_REST_URL = server.url;
    process.env.UPSTASH_REDIS_REST_TOKEN = 'test-token';
    await expectLimitedInMemory();
    expect(server.requests()).toBeGreaterThan(0);
  });

  it('when the REST endpoint hangs: limit() resolves success on timeout, which must not let it through', async () => {
    const server = await loopbackServer('hang');
    process.env.UPSTASH_REDIS_REST_URL = server.url;
    process.env.UPSTASH_REDIS_REST_TOKEN = 'test-token';
    const started = performance.now();
    const warn = await expectLimitedInMemory();
    expect(String(warn.mock.calls[0]?.[1])).toContain('no answer within 1000 ms');
    expect(server.requests()).toBeGreaterThan(0);
    // One timeout, then Redis is skipped for a while instead of costing a timeout per request.
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('reads the Vercel KV names (KV_REST_API_URL / KV_REST_API_TOKEN) too', async () => {
    const server = await loopbackServer(500);
    process.env.KV_REST_API_URL = server.url;
    process.env.KV_REST_API_TOKEN = 'test-token';
    await expectLimitedInMemory();
    expect(server.requests()).toBeGreaterThan(0);
  });

  it('stays quiet without Upstash env vars (store auto): memory is the chosen store then', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    useClock(NOON);
    const helper = await loadHelper();
    expect(await statuses(helper, 6, () => viaProxy('203.0.113.7'))).toEqual([...ok(5), 429]);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('the generated JavaScript flavour', () => {
  it('behaves the same', async () => {
    useClock(NOON);
    const helper = await loadHelper(TEMPLATE_JS);
    expect(await statuses(helper, 7, (i) => viaProxy('203.0.113.7', `spoof-${i}`))).toEqual([...ok(5), ...limited(2)]);
    const res = fakeRes();
    expect(await helper.rateLimitPages({ headers: { 'x-forwarded-for': '198.51.100.1' } }, res)).toBe(false);
    expect(res.headers['x-ratelimit-remaining']).toBe('4');
  });
});

describe("a route's own limits", () => {
  it('apply to that route, counted apart from the routes on the default limits', async () => {
    useClock(NOON);
    const helper = await loadHelper();
    const admin = { perMinute: 2, perDay: 3 };
    const adminStatuses = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i += 1) out.push((await helper.rateLimit(viaProxy('203.0.113.7'), admin))?.status ?? 200);
      return out;
    };
    expect(await adminStatuses(3)).toEqual([...ok(2), 429]);
    expect(await statuses(helper, 6, () => viaProxy('203.0.113.7'))).toEqual([...ok(5), 429]);
    const response = await helper.rateLimit(viaProxy('203.0.113.7'), admin);
    expect(response?.headers.get('X-RateLimit-Limit')).toBe('2');
    vi.setSystemTime(NEXT_MINUTE);
    expect(await adminStatuses(2)).toEqual([200, 429]); // the day's 3 are spent
    const wrapped = helper.withRateLimit(() => new Response('ok'), { perMinute: 1, perDay: 1 });
    expect([(await wrapped(viaProxy('203.0.113.8'))).status, (await wrapped(viaProxy('203.0.113.8'))).status]).toEqual([
      200, 429,
    ]);
    const res = fakeRes();
    expect(
      await helper.rateLimitPages({ headers: { 'x-forwarded-for': '198.51.100.1' } }, res, {
        perMinute: 9,
        perDay: 90,
      }),
    ).toBe(false);
    expect(res.headers['x-ratelimit-limit']).toBe('9');
  });
});
