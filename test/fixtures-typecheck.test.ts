// "We never break their build": every TypeScript fixture, input and output, type-checks with
// strict tsc inside a small app that has the helper we add (Next.js and SDK types are stubbed
// below, close to their real shapes where our edits touch them: Request, Response, NextResponse).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { renderRateLimitHelper } from '../templates/render.js';
import { SINGLE_FILE_APP } from './helpers/fixture-app.js';
import { tempDir, writeTree } from './helpers/project.js';

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(ROOT, '__testfixtures__', 'next-ratelimit');
const KEY_FIXTURES = join(ROOT, '__testfixtures__', 'hardcoded-keys');
const work = tempDir('aisc-tsc-');
afterAll(() => work.cleanup());

const STUBS = `
declare const process: { env: Record<string, string | undefined> };
declare module 'next/server' {
  export class NextRequest extends Request { readonly nextUrl: URL }
  export class NextResponse<Body = unknown> extends Response {
    readonly cookies: Map<string, string>;
    static json<Body>(body: Body, init?: ResponseInit): NextResponse<Body>;
  }
}
declare module 'next' {
  export interface NextApiRequest { method?: string; body: any; query: Record<string, string | string[]>; headers: Record<string, string | string[] | undefined>; socket: { remoteAddress?: string } }
  export interface NextApiResponse<T = any> {
    status(code: number): NextApiResponse<T>;
    json(body: T): void;
    end(): void;
    setHeader(name: string, value: string | number | readonly string[]): this;
  }
}
declare module 'openai' {
  export default class OpenAI { constructor(options?: { apiKey?: string; baseURL?: string }); [api: string]: any; static RateLimitError: new () => Error }
}
declare module '@anthropic-ai/sdk' { export default class Anthropic { constructor(options?: { apiKey?: string | null }); [api: string]: any } }
declare module '@google/generative-ai' { export class GoogleGenerativeAI { constructor(apiKey: string) } }
declare module 'ai' {
  export function streamText(options: any): { toTextStreamResponse(): Response };
  export function generateId(): string;
  export type UIMessage = { id: string };
  export type LanguageModel = unknown;
}
declare module '@ai-sdk/openai' { export function openai(model: string): unknown }
declare module '@upstash/ratelimit' { export class Ratelimit { constructor(options: any); static slidingWindow(n: number, w: string): unknown; static fixedWindow(n: number, w: string): unknown; limit(key: string): Promise<{ success: boolean }> } }
declare module '@upstash/redis' { export class Redis { static fromEnv(): Redis } }
declare module '@vercel/functions' { export function ipAddress(request: Request): string | undefined }
declare module '@vercel/kv' { export const kv: unknown }
declare module 'next/headers' { export function headers(): Promise<Headers> }
declare module 'throttleit' { export default function throttle<F extends (...args: any[]) => void>(fn: F, wait: number): F }
declare module '@/lib/auth' { export function auth(): Promise<{ user?: { id: string } } | null> }
`;

it('every TypeScript fixture input and output type-checks, with the helper in place', () => {
  const files: Record<string, string> = {
    ...SINGLE_FILE_APP,
    'stubs.d.ts': STUBS,
    'lib/rate-limit.ts': renderRateLimitHelper(readFileSync(join(ROOT, 'templates/next/rate-limit.ts'), 'utf8'), {
      perMinute: 5,
      perDay: 50,
      store: 'memory',
    }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        // SDK stubs are \`any\`-typed, so callbacks on them have untyped parameters: not our concern.
        strict: true,
        noImplicitAny: false,
        noEmit: true,
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM'],
        types: [],
        skipLibCheck: true,
        jsx: 'preserve',
        paths: { '@/*': ['./*'] },
      },
      include: ['**/*.ts'],
    }),
  };
  const cases = readdirSync(FIXTURES).filter((name) => /\.(input|output)\.ts$/.test(name));
  expect(cases.length).toBeGreaterThan(20);
  for (const name of cases) {
    const [, base, side] = /^(.*)\.(input|output)\.ts$/.exec(name)!;
    const route = base!.startsWith('pages-') ? `pages/api/${side}/${base}.ts` : `app/api/${side}/${base}/route.ts`;
    files[route] = readFileSync(join(FIXTURES, name), 'utf8');
  }
  // hardcoded-keys: a key replaced by process.env must still fit where the literal was.
  for (const name of readdirSync(KEY_FIXTURES).filter((n) => /\.(input|output)\.ts$/.test(n))) {
    files[`lib/keys/${name}`] = readFileSync(join(KEY_FIXTURES, name), 'utf8');
  }
  writeTree(work.dir, files);
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', work.dir], {
    encoding: 'utf8',
  });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
}, 120_000);
