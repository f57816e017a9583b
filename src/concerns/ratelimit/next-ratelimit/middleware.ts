import { join, relative } from 'node:path';
import type { Overlay } from '../../../project/overlay.js';
import { parseSource } from '../../../lang/js/parse.js';
import type { NextApp } from '../../../frameworks/next/app.js';
import { judgeLimiter, limiterImport, requiredLimiter, type LimiterVerdict } from '../evidence.js';
import { spreadProperty, topLevelBindings } from '../../../lang/js/module-bindings.js';

/** A rate limiter in the app's middleware (`middleware.ts`, or `proxy.ts` since Next.js 16). */
export interface MiddlewareLimiter {
  /** Path relative to the app root, for the report. */
  file: string;
  evidence: string;
  /** Why it does not count as a limit (a key the caller chooses): routes it covers still get our guard. */
  rejected?: string;
  /** Whether its matcher runs it for a route path; undefined when the matcher is not a literal. */
  covers(routePath: string): boolean | undefined;
}

const NAMES = ['middleware', 'proxy'].flatMap((name) =>
  ['ts', 'js', 'mjs', 'tsx', 'jsx'].map((ext) => `${name}.${ext}`),
);

export function findMiddlewareLimiter(app: NextApp, overlay: Overlay): MiddlewareLimiter | undefined {
  for (const dir of new Set([app.sourceRoot, app.root])) {
    for (const name of NAMES) {
      const path = join(dir, name);
      const source = overlay.read(path);
      if (source === undefined) continue;
      let ast: any;
      try {
        ast = parseSource(path, source);
      } catch {
        return undefined; // a broken middleware is not a limiter we can vouch for
      }
      const program = ast.program;
      const bindings = topLevelBindings(program);
      const limited = spreadProperty(
        bindings,
        (b) => limiterImport(b),
        (node) => requiredLimiter(node),
      );
      const exported = program.body.filter(
        (s: any) => s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration',
      );
      // Proven as a route handler's limiter is: a known package, counting by a key the caller cannot choose.
      const verdicts: (LimiterVerdict | undefined)[] = exported.map((node: any) =>
        judgeLimiter(node, bindings, limited, source),
      );
      const proven = verdicts.find((v) => v && 'proven' in v);
      const rejected = verdicts.find((v) => v && 'rejected' in v);
      const verdict = proven ?? rejected;
      if (!verdict) return undefined;
      const patterns = matcherPatterns(program);
      return {
        file: relative(app.root, path),
        ...('proven' in verdict ? { evidence: verdict.proven } : { evidence: verdict.rejected, rejected: verdict.why }),
        covers: (routePath) =>
          patterns === undefined
            ? undefined
            : patterns === 'all'
              ? true
              : patterns.some((p) => p.test(samplePath(routePath))),
      };
    }
  }
  return undefined;
}

/** `export const config = { matcher }` as regular expressions; 'all' without a matcher. */
function matcherPatterns(program: any): RegExp[] | 'all' | undefined {
  let matcher: any;
  for (const statement of program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      if (declarator.id?.name !== 'config') continue;
      const property = declarator.init?.properties?.find((p: any) => (p.key?.name ?? p.key?.value) === 'matcher');
      if (property) matcher = property.value;
    }
  }
  if (!matcher) return 'all';
  const values = matcher.type === 'ArrayExpression' ? matcher.elements : [matcher];
  if (!values.every((v: any) => v?.type === 'StringLiteral')) return undefined;
  try {
    return values.map((v: any) => matcherToRegExp(v.value));
  } catch {
    return undefined;
  }
}

/**
 * A Next.js matcher (path-to-regexp syntax) as a RegExp: `/api/:path*` matches `/api` and below,
 * `:id` one segment, `:id+` one or more, and `(…)` groups are regular expressions already.
 */
export function matcherToRegExp(matcher: string): RegExp {
  let out = '';
  for (let i = 0; i < matcher.length; ) {
    const param = /^\/:(\w+)([*+?]?)/.exec(matcher.slice(i));
    if (param) {
      out += param[2] === '*' ? '(?:/.*)?' : param[2] === '+' ? '/.+' : param[2] === '?' ? '(?:/[^/]+)?' : '/[^/]+';
      i += param[0].length;
    } else if (matcher[i] === '(') {
      let depth = 0;
      let end = i;
      for (; end < matcher.length; end++) {
        if (matcher[end] === '\\') end++;
        else if (matcher[end] === '(') depth++;
        else if (matcher[end] === ')' && --depth === 0) break;
      }
      out += matcher.slice(i, end + 1);
      i = end + 1;
    } else {
      out += matcher[i]!.replace(/[.+?^${}[\]|\\*]/g, '\\$&');
      i++;
    }
  }
  return new RegExp(`^${out}$`);
}

/** A concrete path for a route pattern: `/api/[id]` → `/api/id`. */
function samplePath(route: string): string {
  return route.replace(/\[\[?(?:\.\.\.)?(\w+)\]?\]/g, '$1');
}
