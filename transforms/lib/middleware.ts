import { join, relative } from 'node:path';
import jscodeshift from 'jscodeshift';
import type { Overlay } from '../../lib/overlay.js';
import { parseSource } from '../../lib/parse.js';
import type { NextApp } from '../../lib/project-model.js';
import { limiterImport, ownLimiterUse } from './evidence.js';
import { propertyOf, spreadProperty, topLevelBindings } from './module-bindings.js';

/** A rate limiter in the app's middleware (`middleware.ts`, or `proxy.ts` since Next.js 16). */
export interface MiddlewareLimiter {
  /** Path relative to the app root, for the report. */
  file: string;
  evidence: string;
  /** Whether its matcher runs it for a route path; undefined when the matcher is not a literal. */
  covers(routePath: string): boolean | undefined;
}

const NAMES = ['middleware', 'proxy'].flatMap((name) => ['ts', 'js', 'mjs', 'tsx', 'jsx'].map((ext) => `${name}.${ext}`));

export function findMiddlewareLimiter(app: NextApp, overlay: Overlay): MiddlewareLimiter | undefined {
  for (const dir of new Set([app.sourceRoot, app.root])) {
    for (const name of NAMES) {
      const path = join(dir, name);
      const source = overlay.read(path);
      if (source === undefined) continue;
      let ast;
      try {
        ast = parseSource(path, source);
      } catch {
        return undefined; // a broken middleware is not a limiter we can vouch for
      }
      const j = jscodeshift;
      const root = j(ast);
      const limited = spreadProperty(j, topLevelBindings(j, root), limiterImport, (node) => ownLimiterUse(j, node));
      const exported = root.find(j.Program).paths()[0]!.node.body.filter((s: any) => s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration');
      const evidence = exported.map((node: any) => propertyOf(j, node, limited, (n) => ownLimiterUse(j, n))).find(Boolean);
      if (!evidence) return undefined;
      const patterns = matcherPatterns(j, root);
      return {
        file: relative(app.root, path),
        evidence,
        covers: (routePath) => (patterns === undefined ? undefined : patterns === 'all' ? true : patterns.some((p) => p.test(samplePath(routePath)))),
      };
    }
  }
  return undefined;
}

/** `export const config = { matcher }` as regular expressions; 'all' without a matcher. */
function matcherPatterns(j: any, root: any): RegExp[] | 'all' | undefined {
  let matcher: any;
  root.find(j.VariableDeclarator, { id: { name: 'config' } }).forEach((path: any) => {
    const property = path.node.init?.properties?.find((p: any) => (p.key?.name ?? p.key?.value) === 'matcher');
    if (property) matcher = property.value;
  });
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
