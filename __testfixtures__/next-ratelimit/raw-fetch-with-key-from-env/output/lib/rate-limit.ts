// Rate limiting for API routes that call a paid AI API, added by ai-secure-codemods. Two windows
// per client: PER_MINUTE stops bursts, PER_DAY caps what one client can spend (a route may pass
// its own: rateLimit(request, { perMinute, perDay })). No Node-only API: it runs on the Edge too.
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';

const PER_MINUTE = 5;
const PER_DAY = 50;

export type Limits = { perMinute: number; perDay: number };
type Window = { name: 'minute' | 'day'; limit: number; ms: number };
type Verdict = { ok: boolean; limit: number; remaining: number; reset: number };

const TOO_MANY = { error: 'Too many requests' };

// Upstash Redis when its env vars are set, so every instance and region shares one count.
// Literal `process.env.X` reads on purpose: Next.js passes edge code only the names it sees so.
const url = process.env.UPSTASH_REDIS_REST_URL || process.env.KV_REST_API_URL;
const token = process.env.UPSTASH_REDIS_REST_TOKEN || process.env.KV_REST_API_TOKEN;
// An explicit client (Redis.fromEnv() only warns when the vars are missing) and an explicit
// timeout in ms: when it expires, limit() resolves `success: true` with reason 'timeout'.
const redis = url && token ? new Redis({ url, token, retry: { retries: 1 } }) : undefined;
const UPSTASH_REQUIRED = false; // `--store upstash` sets it: then warn when the vars are missing
if (UPSTASH_REQUIRED && !redis) console.warn('[rate-limit] No Upstash env vars: counting in memory.');
const timeout = 1000;
const limiters = new Map<string, Ratelimit>(); // one per window and limit, made when first used
function upstashLimiter(w: Window, redis: Redis): Ratelimit {
  const id = `${w.name}:${w.limit}`;
  if (!limiters.has(id)) {
    const limiter = Ratelimit.fixedWindow(w.limit, w.name === 'minute' ? '1 m' : '1 d');
    limiters.set(id, new Ratelimit({ redis, timeout, prefix: `ratelimit:${w.name}`, limiter }));
  }
  return limiters.get(id)!;
}
let redisDownUntil = 0;

// In memory: fixed windows aligned to the clock, per process or edge isolate. Expired entries go
// once the map is full; if a flood of clients keeps it full, the oldest go too: bounded memory.
const MAX_ENTRIES = 50_000;
const counters = new Map<string, { count: number; reset: number }>();

function hitMemory(w: Window, key: string): Verdict {
  const now = Date.now();
  const id = `${w.name}:${key}`;
  let entry = counters.get(id);
  if (!entry || entry.reset <= now) {
    counters.delete(id); // re-inserted below, at the young end of the eviction order
    if (counters.size >= MAX_ENTRIES) sweep(now);
    entry = { count: 0, reset: (Math.floor(now / w.ms) + 1) * w.ms };
    counters.set(id, entry);
  }
  const ok = entry.count < w.limit;
  if (ok) entry.count += 1;
  return { ok, limit: w.limit, remaining: w.limit - entry.count, reset: entry.reset };
}

function sweep(now: number): void {
  for (const [id, entry] of counters) if (entry.reset <= now) counters.delete(id);
  for (const id of counters.keys()) if (counters.size >= MAX_ENTRIES * 0.9) counters.delete(id);
}

async function hit(w: Window, key: string): Promise<Verdict> {
  if (redis && Date.now() >= redisDownUntil) {
    try {
      const r = await upstashLimiter(w, redis).limit(key);
      if (r.reason === 'timeout') throw new Error(`Redis gave no answer within ${timeout} ms`);
      return { ok: r.success, limit: r.limit, remaining: r.remaining, reset: r.reset };
    } catch (error) {
      // Count in memory instead, never unlimited; skip Redis for 30 s so an outage stays fast.
      if (!redisDownUntil) console.warn('[rate-limit] Redis failed, counting in memory:', error);
      redisDownUntil = Date.now() + 30_000;
    }
  }
  return hitMemory(w, key);
}

// Minute window first: a burst that it rejects never reaches, so never spends, the daily quota.
async function check(key: string, limits?: Limits): Promise<Verdict> {
  const id = limits ? `${limits.perMinute}-${limits.perDay}:${key}` : key; // own limits, own count
  const minute = await hit({ name: 'minute', limit: limits?.perMinute ?? PER_MINUTE, ms: 60_000 }, id);
  if (!minute.ok) return minute;
  const day = await hit({ name: 'day', limit: limits?.perDay ?? PER_DAY, ms: 86_400_000 }, id);
  return !day.ok || day.remaining < minute.remaining ? day : minute;
}

// The key must be something a caller cannot choose. X-Forwarded-For is not: Next.js fills it from
// the socket only when it is absent (`??=` in its base server), so a caller talking to `next start`
// directly keeps a forged one. Each proxy appends the address it saw, so behind N trusted proxies
// (Vercel, Render, nginx: N = 1) the Nth entry from the right is the real client. Set
// RATE_LIMIT_TRUSTED_PROXY_HOPS=N; 0 means no proxy: the socket address (Pages Router only, the App
// Router cannot see it). On Vercel, x-real-ip is set by the platform, whatever the caller sent.
function clientKey(header: (name: string) => string | undefined, socketAddress?: string): string {
  const hops = Number(process.env.RATE_LIMIT_TRUSTED_PROXY_HOPS || 1);
  const trusted = Number.isInteger(hops) && hops >= 0 ? hops : 1;
  const forwarded = (header('x-forwarded-for') ?? '').split(',').map((s) => s.trim());
  let ip = process.env.VERCEL ? header('x-real-ip')?.trim() : undefined;
  if (!ip && trusted > 0) ip = forwarded[Math.max(0, forwarded.length - trusted)];
  return (ip || socketAddress)?.replace(/^::ffff:/i, '') || 'unknown';
}

function limitHeaders(v: Verdict): Record<string, string> {
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': String(v.limit),
    'X-RateLimit-Remaining': String(Math.max(0, v.remaining)),
    'X-RateLimit-Reset': String(Math.ceil(v.reset / 1000)),
  };
  if (!v.ok) headers['Retry-After'] = String(Math.max(1, Math.ceil((v.reset - Date.now()) / 1000)));
  return headers;
}

/** App Router: `const limited = await rateLimit(request); if (limited) return limited;` */
export async function rateLimit(request: Request, limits?: Limits): Promise<Response | undefined> {
  const verdict = await check(clientKey((name) => request.headers.get(name) ?? undefined), limits);
  if (verdict.ok) return undefined;
  return Response.json(TOO_MANY, { status: 429, headers: limitHeaders(verdict) });
}

/** App Router: `export const POST = withRateLimit(handler);` runs the guard before the handler. */
export function withRateLimit<Req extends Request, Rest extends unknown[], Out>(
  handler: (request: Req, ...rest: Rest) => Out | Promise<Out>, limits?: Limits,
): (request: Req, ...rest: Rest) => Promise<Response | Out> {
  return async (request, ...rest) => (await rateLimit(request, limits)) ?? handler(request, ...rest);
}

type PagesRequest = {
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string | undefined } | undefined;
};
type PagesResponse = {
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  status(code: number): { json(body: unknown): unknown };
};

/** Pages Router: `if (await rateLimitPages(req, res)) return;` (it has answered 429 itself). */
export async function rateLimitPages(req: PagesRequest, res: PagesResponse, limits?: Limits): Promise<boolean> {
  const header = (name: string) => req.headers[name]?.toString(); // repeated: comma-joined
  const verdict = await check(clientKey(header, req.socket?.remoteAddress), limits);
  for (const [name, value] of Object.entries(limitHeaders(verdict))) res.setHeader(name, value);
  if (verdict.ok) return false;
  res.status(429).json(TOO_MANY);
  return true;
}
