// tsc over the templates: strict, Edge globals only (templates/tsconfig.json), the rendered
// memory-only and upstash helpers, and the helper used the way Next.js 16 route files use it.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderRateLimitHelper } from '../../templates/render.js';
import { ROOT, TEMPLATE_TS, scratchDir } from './helper-loader.js';

const TSC = join(ROOT, 'node_modules/.bin/tsc');
const TEMPLATES_TSCONFIG = join(ROOT, 'templates/tsconfig.json');

function tsc(project: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(TSC, ['-p', project, '--pretty', 'false'], { cwd: ROOT, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

describe('tsc', { timeout: 120_000 }, () => {
  const scratch = scratchDir('typecheck');
  afterAll(() => scratch.remove());

  /** A tsconfig in the scratch dir that extends templates/tsconfig.json, for the given files. */
  function project(name: string, files: string[], compilerOptions: Record<string, unknown> = {}): string {
    return scratch.write(
      `${name}.tsconfig.json`,
      JSON.stringify({ extends: TEMPLATES_TSCONFIG, compilerOptions, include: [], files }, null, 2),
    );
  }

  it('templates/tsconfig.json: the templates type-check strictly with Edge globals only', async () => {
    expect(await tsc(TEMPLATES_TSCONFIG)).toEqual({ code: 0, output: '' });
  });

  it('the rendered memory-only and upstash helpers type-check too', async () => {
    const source = readFileSync(TEMPLATE_TS, 'utf8');
    const memory = scratch.write(
      'memory.ts',
      renderRateLimitHelper(source, { perMinute: 2, perDay: 9, store: 'memory' }),
    );
    const upstash = scratch.write(
      'upstash.ts',
      renderRateLimitHelper(source, { perMinute: 2, perDay: 9, store: 'upstash' }),
    );
    const edgeGlobals = join(ROOT, 'templates/edge-runtime.d.ts');
    expect(await tsc(project('rendered', [edgeGlobals, memory, upstash]))).toEqual({ code: 0, output: '' });
  });

  it('fits Next.js 16 route type checks (withRateLimit exports, the guard, Pages API routes)', async () => {
    // With @types/node, as in a Next.js project, instead of the Edge-only globals.
    const fixture = join(ROOT, 'test/templates/fixtures/next-route-usage.ts');
    expect(await tsc(project('next-usage', [fixture], { types: ['node'] }))).toEqual({ code: 0, output: '' });
  });

  it('does fail on a type error (the check is live)', async () => {
    const broken = scratch.write('broken.ts', 'export const n: number = "not a number";\n');
    const result = await tsc(project('broken', [broken]));
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('TS2322');
  });
});
