// Shared by the template tests: loads a fresh instance of the rate limiter helper (it reads its
// env vars and keeps its counters at module level), and isolates the env vars it reads.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

export type Helper = typeof import('../../templates/next/rate-limit.js');

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const TEMPLATE_TS = join(ROOT, 'templates/next/rate-limit.ts');
export const TEMPLATE_JS = join(ROOT, 'templates/next/rate-limit.js');

export const HELPER_ENV = [
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  'KV_REST_API_URL',
  'KV_REST_API_TOKEN',
  'VERCEL',
  'RATE_LIMIT_TRUSTED_PROXY_HOPS',
] as const;

/** Clears the helper's env vars; returns a function that puts them back. */
export function isolateHelperEnv(): () => void {
  const saved = new Map(HELPER_ENV.map((name) => [name, process.env[name]]));
  for (const name of HELPER_ENV) delete process.env[name];
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** A new module instance: fresh counters, env read again. */
export async function loadHelper(file = TEMPLATE_TS): Promise<Helper> {
  vi.resetModules();
  return (await import(/* @vite-ignore */ file)) as Helper;
}

/**
 * A scratch folder inside node_modules/.cache, so that files written there (rendered helpers,
 * tsconfigs) resolve @upstash/* and typescript from this repo's node_modules.
 */
export function scratchDir(prefix: string): { dir: string; write(name: string, text: string): string; remove(): void } {
  const base = join(ROOT, 'node_modules/.cache/ai-secure-codemods-tests');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  return {
    dir,
    write(name, text) {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function appRequest(headers: Record<string, string> = {}): Request {
  return new Request('http://localhost/api/chat', { method: 'POST', headers, body: '{}' });
}

/** What one proxy in front of the app forwards: whatever the caller sent, then the caller's address. */
export function viaProxy(client: string, sentByCaller?: string): Request {
  return appRequest({ 'x-forwarded-for': sentByCaller ? `${sentByCaller}, ${client}` : client });
}

/** Status of each of n sequential App Router calls: 200 when let through, else the guard's status. */
export async function statuses(helper: Helper, n: number, makeRequest: (i: number) => Request): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const limited = await helper.rateLimit(makeRequest(i));
    out.push(limited ? limited.status : 200);
  }
  return out;
}

export const ok = (n: number): number[] => Array.from({ length: n }, () => 200);
export const limited = (n: number): number[] => Array.from({ length: n }, () => 429);

export type FakeRes = {
  headers: Record<string, string | number | readonly string[]>;
  statusCode: number;
  body: unknown;
  setHeader(name: string, value: string | number | readonly string[]): FakeRes;
  status(code: number): { json(body: unknown): void };
};

/** The parts of NextApiResponse that rateLimitPages uses, recording what it did. */
export function fakeRes(): FakeRes {
  const res: FakeRes = {
    headers: {},
    statusCode: 200,
    body: undefined,
    setHeader(name, value) {
      res.headers[name.toLowerCase()] = value;
      return res;
    },
    status(code) {
      res.statusCode = code;
      return { json: (body) => void (res.body = body) };
    },
  };
  return res;
}
