// Every regular expression of the tool is linear on its input, checked by recheck (a ReDoS
// checker: automaton analysis, then fuzzing). An exponential pattern always fails here; a
// polynomial one fails unless test/regex-allowlist.ts says why its input is bounded. Patterns
// built at run time (`new RegExp(…)`) are checked twice: each construction site must be listed
// with its reason, and every pattern the tool builds while it runs on the examples and a set of
// fixtures is recorded and checked like a literal.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@babel/parser';
import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { DYNAMIC_ALLOWED, POLYNOMIAL_ALLOWED } from './regex-allowlist.js';

const ROOT = join(import.meta.dirname, '..');
const TIMEOUT = 10_000;

interface Found {
  file: string;
  line: number;
  /** `/source/flags` for a literal; the first argument's code for a constructor call. */
  key: string;
  literal?: { source: string; flags: string };
}

/** The regex literals and RegExp constructions in the tracked source files. */
function regexesInSource(): Found[] {
  const files = execFileSync('git', ['ls-files', 'src', 'bin', 'transforms', 'templates'], { cwd: ROOT })
    .toString()
    .split('\n')
    .filter((file) => /\.(ts|js|mjs)$/.test(file));
  const found: Found[] = [];
  for (const file of files) {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const ast = parse(source, { sourceType: 'module', plugins: ['typescript'] });
    const visit = (node: any): void => {
      if (!node || typeof node.type !== 'string') return;
      const line = node.loc.start.line;
      if (node.type === 'RegExpLiteral') {
        found.push({
          file,
          line,
          key: `/${node.pattern}/${node.flags}`,
          literal: { source: node.pattern, flags: node.flags },
        });
      }
      const constructs = node.type === 'NewExpression' || node.type === 'CallExpression';
      if (constructs && node.callee?.type === 'Identifier' && node.callee.name === 'RegExp') {
        const [pattern, flags] = node.arguments;
        if (pattern?.type === 'StringLiteral' && (!flags || flags.type === 'StringLiteral')) {
          found.push({
            file,
            line,
            key: `/${pattern.value}/${flags?.value ?? ''}`,
            literal: { source: pattern.value, flags: flags?.value ?? '' },
          });
        } else found.push({ file, line, key: source.slice(pattern.start, pattern.end) });
      }
      for (const [key, value] of Object.entries(node)) {
        if (key === 'loc') continue;
        if (Array.isArray(value)) value.forEach(visit);
        else if (value && typeof (value as any).type === 'string') visit(value);
      }
    };
    visit(ast.program);
  }
  return found;
}

function complexity(source: string, flags: string): string {
  const result = checkSync(source, flags, { timeout: TIMEOUT });
  if (result.status === 'safe') return 'safe';
  if (result.status === 'vulnerable') return result.complexity.type;
  return `unknown (${result.status})`;
}

const found = regexesInSource();

describe('regular expressions', () => {
  it('the checker tells an exponential pattern, a polynomial one and a safe one apart', () => {
    expect(complexity('^(a+)+$', '')).toBe('exponential');
    expect(complexity('^\\s*a\\s*=\\s*.*$', '')).toBe('polynomial');
    expect(complexity('^[a-z]+$', '')).toBe('safe');
  });

  it('every literal is safe, or polynomial with a reason in the allowlist; none is exponential', () => {
    const literals = found.filter((f) => f.literal);
    expect(literals.length).toBeGreaterThan(250);
    const problems: string[] = [];
    for (const f of literals) {
      const verdict = complexity(f.literal!.source, f.literal!.flags);
      const listed = POLYNOMIAL_ALLOWED[`${f.file} ${f.key}`];
      if (verdict === 'safe') continue;
      if (verdict === 'polynomial' && listed) continue;
      problems.push(`${f.file}:${f.line} ${f.key}: ${verdict}${listed ? ' (listed, but not polynomial)' : ''}`);
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('every RegExp built from a variable is listed with the reason its pattern is safe', () => {
    const dynamic = found.filter((f) => !f.literal).map((f) => `${f.file} ${f.key}`);
    expect(dynamic.filter((key) => !DYNAMIC_ALLOWED[key])).toEqual([]);
  });

  it('every pattern the tool builds while it runs on the examples and fixtures is linear', async () => {
    const built = new Map<string, { source: string; flags: string; site: string }>();
    const Original = RegExp;
    const record = (args: unknown[]) => {
      const [pattern, flags] = args as [string | RegExp, string | undefined];
      const site = /\/(src\/[^:)]+):\d+/.exec(new Error().stack?.split('\n')[3] ?? '')?.[1];
      if (!site) return; // a dependency's pattern
      const source = typeof pattern === 'string' ? pattern : pattern.source;
      built.set(`${source}/${flags ?? ''}`, { source, flags: flags ?? '', site });
    };
    globalThis.RegExp = new Proxy(Original, {
      construct(target, args) {
        record(args);
        return Reflect.construct(target, args);
      },
      apply(target, self, args) {
        record(args);
        return Reflect.apply(target, self, args);
      },
    });
    try {
      const api = await import('../src/index.js');
      await api.loadPythonParser();
      const projects = [
        join(ROOT, 'examples'),
        ...['detect', 'cors', 'fastapi-ratelimit', 'flask-ratelimit', 'next-public-keys', 'gitignore-env'].flatMap(
          (step) =>
            readdirSync(join(ROOT, '__testfixtures__', step)).map((c) =>
              join(ROOT, '__testfixtures__', step, c, 'input'),
            ),
        ),
      ].filter((dir) => existsSync(dir));
      for (const dir of projects) {
        const config = api.loadConfig(
          dir,
          dir,
          api.transforms.flatMap((step) => step.options),
        ).config;
        await api.buildDetectReport([dir], config);
        api.runSteps(api.transforms, [dir], {}, { config });
      }
    } finally {
      globalThis.RegExp = Original;
    }
    expect(built.size).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const { source, flags, site } of built.values()) {
      const verdict = complexity(source, flags);
      if (verdict !== 'safe') problems.push(`${site} /${source}/${flags}: ${verdict}`);
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('the allowlists name nothing that is gone', () => {
    const keys = new Set(found.map((f) => `${f.file} ${f.key}`));
    const stale = [...Object.keys(POLYNOMIAL_ALLOWED), ...Object.keys(DYNAMIC_ALLOWED)].filter((key) => !keys.has(key));
    expect(stale).toEqual([]);
  });
});
