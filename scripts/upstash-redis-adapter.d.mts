// Types for scripts/upstash-redis-adapter.mjs (a test-only Upstash REST ↔ redis-server adapter).

export interface UpstashAdapter {
  /** http://127.0.0.1:<port>: use as UPSTASH_REDIS_REST_URL. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface RedisServer {
  port: number;
  /** redis-server's own pid: gone once close() has resolved. */
  pid: number;
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. */
  close(): Promise<void>;
}

export function startUpstashAdapter(options: {
  redisPort: number;
  port?: number;
  token: string;
}): Promise<UpstashAdapter>;

export function startRedisServer(options?: { startupTimeoutMs?: number }): Promise<RedisServer>;

export function freePort(): Promise<number>;

export function stripLuaShebang(script: string): string;

/**
 * One raw command to a Redis on loopback, its reply parsed: simple and bulk strings as UTF-8
 * strings ('OK', 'PONG'), integers as numbers, nil as null, arrays as arrays. Rejects on an error
 * reply or when no reply comes within 5 s.
 */
export function redisCommand(redisPort: number, ...args: Array<string | number>): Promise<unknown>;
