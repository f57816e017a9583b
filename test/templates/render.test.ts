// The renderer that turns the helper template into the file next-ratelimit writes, and the
// generator of the template's JavaScript flavour.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildTemplates, generateJsTemplate } from '../../scripts/build-templates.mjs';
import { renderRateLimitHelper } from '../../templates/render.js';
import {
  TEMPLATE_JS,
  TEMPLATE_TS,
  isolateHelperEnv,
  limited,
  loadHelper,
  ok,
  scratchDir,
  statuses,
  viaProxy,
} from './helper-loader.js';

const tsSource = readFileSync(TEMPLATE_TS, 'utf8');
const jsSource = readFileSync(TEMPLATE_JS, 'utf8');
const MARKER = /@store upstash:(start|end)/;

function parseErrors(text: string, kind: ts.ScriptKind): string[] {
  const sf = ts.createSourceFile(kind === ts.ScriptKind.TS ? 'x.ts' : 'x.js', text, ts.ScriptTarget.Latest, true, kind);
  const diagnostics = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the template itself', () => {
  it('says in its first line who added it (next-ratelimit recognises its own helper by that)', () => {
    for (const source of [tsSource, jsSource]) {
      expect(source.split('\n')[0]).toContain('added by ai-secure-codemods');
    }
  });

  it('has the two limit lines the codemod rewrites, exactly', () => {
    expect(tsSource).toMatch(/^const PER_MINUTE = 5;$/m);
    expect(tsSource).toMatch(/^const PER_DAY = 50;$/m);
  });

  it('uses nothing the Edge runtime lacks', () => {
    for (const source of [tsSource, jsSource]) {
      const code = source
        .split('\n')
        .filter((line) => !line.trim().startsWith('//'))
        .join('\n');
      expect(code).not.toMatch(/from ['"]node:|require\(|\bBuffer\b|setInterval|\bfs\b\./);
      expect(code).not.toMatch(/fromEnv/); // it only warns when the env vars are missing
      expect(code).toContain('new Redis({ url, token');
    }
  });

  it('reads each env var with a literal process.env.NAME (what Next.js passes to edge code)', () => {
    expect(tsSource).not.toMatch(/process\.env\[/);
    for (const name of ['UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'KV_REST_API_URL', 'KV_REST_API_TOKEN']) {
      expect(tsSource).toContain(`process.env.${name}`);
    }
  });

  it('keeps every Upstash line between markers, each marker on its own line', () => {
    const lines = tsSource.split('\n');
    const markers = lines.filter((line) => MARKER.test(line));
    expect(markers.length).toBeGreaterThanOrEqual(6);
    for (const line of markers) expect(line.trim()).toMatch(/^\/\/ @store upstash:(start|end)$/);
    let inside = false;
    for (const line of lines) {
      if (MARKER.test(line)) inside = line.includes(':start');
      else if (/upstash|Upstash|Ratelimit|[Rr]edis/.test(line)) expect(inside, line).toBe(true);
    }
  });

  it('is well under 150 lines', () => {
    expect(tsSource.split('\n').length).toBeLessThan(150);
  });
});

describe('renderRateLimitHelper', () => {
  it('sets the limits', () => {
    const out = renderRateLimitHelper(tsSource, { perMinute: 7, perDay: 70, store: 'auto' });
    expect(out).toMatch(/^const PER_MINUTE = 7;$/m);
    expect(out).toMatch(/^const PER_DAY = 70;$/m);
    expect(out).not.toMatch(/PER_MINUTE = 5;|PER_DAY = 50;/);
  });

  it('memory: no Upstash code, import or mention is left, and it still parses', () => {
    for (const [source, kind] of [
      [tsSource, ts.ScriptKind.TS],
      [jsSource, ts.ScriptKind.JS],
    ] as const) {
      const out = renderRateLimitHelper(source, { perMinute: 5, perDay: 50, store: 'memory' });
      expect(out.toLowerCase()).not.toContain('upstash');
      expect(out).not.toMatch(/^import /m);
      expect(out).not.toContain('@store');
      expect(out).not.toMatch(/\n\n\n/);
      expect(parseErrors(out, kind)).toEqual([]);
      expect(out).toContain('export async function rateLimit(');
      expect(out).toContain('export async function rateLimitPages(');
      expect(out).toContain('export function withRateLimit');
    }
  });

  it('auto: keeps the Upstash code and drops only the marker lines', () => {
    const out = renderRateLimitHelper(tsSource, { perMinute: 5, perDay: 50, store: 'auto' });
    expect(out).toBe(
      tsSource
        .split('\n')
        .filter((line) => !MARKER.test(line))
        .join('\n'),
    );
    expect(out).toContain("import { Ratelimit } from '@upstash/ratelimit';");
    expect(out).toContain('const UPSTASH_REQUIRED = false;');
  });

  it('upstash: like auto, and warns when the env vars are missing', () => {
    const out = renderRateLimitHelper(jsSource, { perMinute: 5, perDay: 50, store: 'upstash' });
    expect(out).not.toContain('@store');
    expect(out).toContain('const UPSTASH_REQUIRED = true;');
    expect(parseErrors(out, ts.ScriptKind.JS)).toEqual([]);
  });

  it('keeps CRLF line endings', () => {
    const crlf = tsSource.replace(/\n/g, '\r\n');
    const out = renderRateLimitHelper(crlf, { perMinute: 3, perDay: 9, store: 'memory' });
    expect(out).toContain('const PER_MINUTE = 3;\r\n');
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it.each([
    [{ perMinute: 0, perDay: 50, store: 'auto' }, /perMinute must be a positive integer/],
    [{ perMinute: 5, perDay: 1.5, store: 'auto' }, /perDay must be a positive integer/],
    [{ perMinute: 5, perDay: 50, store: 'redis' }, /store must be auto, memory or upstash/],
  ] as const)('rejects %j', (opts, error) => {
    expect(() => renderRateLimitHelper(tsSource, opts as never)).toThrow(error);
  });

  it('refuses a template whose lines or markers are not as expected', () => {
    const opts = { perMinute: 5, perDay: 50, store: 'memory' } as const;
    expect(() => renderRateLimitHelper(tsSource.replace('const PER_DAY = 50;', 'const PER_DAY = 5e1;'), opts)).toThrow(
      /PER_MINUTE \/ PER_DAY lines not found/,
    );
    const unclosed = tsSource.replace(/\/\/ @store upstash:end\n(?![\s\S]*@store upstash:end)/, '');
    expect(() => renderRateLimitHelper(unclosed, opts)).toThrow(/without/);
    expect(() => renderRateLimitHelper(`// @store upstash:end\n${tsSource}`, opts)).toThrow(/unbalanced/);
  });

  describe('rendered helpers run', () => {
    const scratch = scratchDir('render');
    let restoreEnv: () => void;
    beforeEach(() => {
      restoreEnv = isolateHelperEnv();
    });
    afterEach(() => {
      restoreEnv();
      vi.useRealTimers();
      vi.restoreAllMocks();
    });
    afterAll(() => scratch.remove());

    it('with the limits it was given', async () => {
      const file = scratch.write(
        'limits-3-4.ts',
        renderRateLimitHelper(tsSource, { perMinute: 3, perDay: 4, store: 'memory' }),
      );
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.UTC(2025, 2, 3, 12, 0, 10));
      const helper = await loadHelper(file);
      expect(await statuses(helper, 4, () => viaProxy('203.0.113.7'))).toEqual([...ok(3), 429]);
      vi.setSystemTime(Date.UTC(2025, 2, 3, 12, 1, 10));
      expect(await statuses(helper, 2, () => viaProxy('203.0.113.7'))).toEqual([200, 429]);
      const response = await helper.rateLimit(viaProxy('203.0.113.7'));
      expect(response?.headers.get('X-RateLimit-Limit')).toBe('4');
    });

    it('store upstash: says once, at load, that the env vars are missing, then limits in memory', async () => {
      const file = scratch.write(
        'upstash.js',
        renderRateLimitHelper(jsSource, { perMinute: 5, perDay: 50, store: 'upstash' }),
      );
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const helper = await loadHelper(file);
      expect(await statuses(helper, 7, () => viaProxy('203.0.113.9'))).toEqual([...ok(5), ...limited(2)]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain('No Upstash env vars');
    });
  });
});

describe('scripts/build-templates.mjs', () => {
  it('the committed rate-limit.js is exactly what the script generates from rate-limit.ts', () => {
    expect(jsSource).toBe(generateJsTemplate(tsSource, 'templates/next/rate-limit.ts'));
    expect(buildTemplates({ check: true })).toEqual([]);
  });

  it('keeps comments, blank lines, markers and 2-space indentation', () => {
    const tsLines = tsSource.split('\n');
    expect(jsSource.split('\n').filter((l) => l.trim().startsWith('//'))).toEqual(
      tsLines.filter((l) => l.trim().startsWith('//')),
    );
    expect(jsSource).toContain('\n\n');
    // Lines without types come out byte for byte (TypeScript's printer would re-indent them all).
    const tsLineSet = new Set(tsLines);
    const verbatim = jsSource.split('\n').filter((line) => tsLineSet.has(line)).length;
    expect(verbatim / jsSource.split('\n').length).toBeGreaterThan(0.85);
    expect(jsSource).not.toMatch(/:\s*(string|number|boolean|Verdict|Window|Promise<)/);
    expect(parseErrors(jsSource, ts.ScriptKind.JS)).toEqual([]);
  });

  it('strips annotations, optional marks, type parameters and arguments, as and !', () => {
    const source = [
      'type A = { a: number };',
      'interface B { b: string }',
      '',
      'export function f<T extends A>(x: T, y?: number): number {',
      '  const m = new Map<string, B>();',
      '  const n = (x as unknown as A).a + y!;',
      '  return n satisfies number;',
      '}',
      '',
    ].join('\n');
    expect(generateJsTemplate(source)).toBe(
      ['export function f(x, y) {', '  const m = new Map();', '  const n = x.a + y;', '  return n;', '}', ''].join(
        '\n',
      ),
    );
  });

  it.each([
    ['enum E { A }', /EnumDeclaration/],
    ['namespace N { export const a = 1; }', /ModuleDeclaration/],
    ['class C { constructor(private x: number) {} }', /TypeScript-only modifier/],
    ['function f(x: number): void;\nfunction f(x: unknown) {}', /overload/],
    ["import type { A } from './a';", /type-only import/],
  ])('refuses what has no plain type-stripped form: %s', (source, error) => {
    expect(() => generateJsTemplate(source)).toThrow(error);
  });
});
