import { lazyRequire } from '../../core/lazy-require.js';
import type { CorsVerdict } from '../../core/report-schema.js';

// The one CORS judge. `detect` (sites.ts) and the fixers (js/, python/) both read origins out of
// code in their own way, but what those origins mean (open, open with credentials, unknown,
// restricted), how severe that is, and whether a pattern lets any website in is decided here
// only, so the report and the fix cannot disagree.

export const ACAO = 'access-control-allow-origin';
export const ACAC = 'access-control-allow-credentials';

/** The origins a configuration lets in, as far as the code shows them. */
export type Origins =
  | { kind: 'any' }
  | { kind: 'reflected' }
  | { kind: 'dynamic' }
  /** `unjudged`: a pattern we could not test (it does not compile as a JS RegExp). */
  | { kind: 'list'; values: string[]; unjudged?: boolean };

/** The environment variable our allowlists read (comma-separated origins). */
export const ALLOWLIST_ENV = 'ALLOWED_ORIGINS';

export const ANY: Origins = { kind: 'any' };
export const REFLECTED: Origins = { kind: 'reflected' };
export const DYNAMIC: Origins = { kind: 'dynamic' };
export const list = (values: string[], unjudged = false): Origins => ({
  kind: 'list',
  values,
  ...(unjudged ? { unjudged } : {}),
});

/**
 * An allowlist read from ALLOWED_ORIGINS that drops `*`: what our rewrites write (or the same
 * written by hand). Restricted: only the origins the deployment lists get in.
 */
export const FROM_ALLOWLIST: Origins = list([`$${ALLOWLIST_ENV}`]);

/**
 * All of several possibilities (array items, `a || b`, both branches of a condition), worst first:
 * an echoed origin, then `*`, then what we cannot follow, then the known origins together.
 */
export function combine(items: Origins[]): Origins {
  for (const kind of ['reflected', 'any', 'dynamic'] as const) {
    if (items.some((item) => item.kind === kind)) return { kind };
  }
  const lists = items as Extract<Origins, { kind: 'list' }>[];
  const values = [...new Set(lists.flatMap((l) => l.values))].filter((v) => v !== '');
  return list(
    values,
    lists.some((l) => l.unjudged),
  );
}

/**
 * What the server does with `*` when credentials are on: echoes the request's origin with them
 * (Starlette, Flask-CORS, Koa, django-cors-headers), or sends `*`, with which browsers refuse to
 * send cookies (the `cors` package, Hono, @fastify/cors, a header set by hand).
 */
export type StarWithCredentials = 'echo' | 'refused';

export interface Judged {
  origins: string[] | '*' | 'reflected' | 'dynamic';
  verdict: CorsVerdict;
}

/** The verdict on one configuration. */
export function judge(origins: Origins, credentials: boolean, star: StarWithCredentials): Judged {
  switch (origins.kind) {
    case 'any':
      return { origins: '*', verdict: credentials && star === 'echo' ? 'open-with-credentials' : 'open' };
    case 'reflected':
      return { origins: 'reflected', verdict: credentials ? 'open-with-credentials' : 'open' };
    case 'dynamic':
      return { origins: 'dynamic', verdict: 'unknown' };
    case 'list':
      return { origins: origins.values, verdict: origins.unjudged ? 'unknown' : 'restricted' };
  }
}

export const VERDICT_RANK: Record<CorsVerdict, number> = {
  restricted: 0,
  unknown: 1,
  open: 2,
  'open-with-credentials': 3,
};

export type CorsSeverity = 'critical' | 'high' | 'medium' | 'info';

/**
 * How bad a verdict is, the same in `detect`, the fixers' findings and SARIF: any website acting
 * as the logged-in user is critical, any website calling the API is high, what we cannot read
 * is medium (a human checks it).
 */
export function severityOf(verdict: CorsVerdict): CorsSeverity {
  const severities: Record<CorsVerdict, CorsSeverity> = {
    'open-with-credentials': 'critical',
    open: 'high',
    unknown: 'medium',
    restricted: 'info',
  };
  return severities[verdict];
}

/** Origins that stand for "any website": a pattern matching one of these lets everyone in. */
const PROBES = ['https://attacker.example', 'http://attacker.example', 'https://evil.com'];

/**
 * How a server tests the request's origin against a pattern: `full` (Starlette's fullmatch),
 * `prefix` (Python's re.match, flask-cors), or `search` (JS RegExp.test).
 */
export type PatternMatch = 'full' | 'prefix' | 'search';

/** A compiled origin pattern: only ever asked whether it matches an origin. */
export interface OriginPattern {
  test(origin: string): boolean;
}

// A pattern from the analysed code runs in RE2, whose time is linear in the input whatever the
// pattern: a backtracking engine can be made to hang by a 20-character pattern. What RE2 cannot
// run (backreferences, lookaround) is not judged: the site is reported as one to check by hand.
const re2 = lazyRequire<typeof import('re2-wasm')>('re2-wasm');

/**
 * A server's origin pattern, compiled by RE2, Python syntax translated when `python` (inline
 * flags, named groups, \A and \Z); undefined when it does not compile there.
 */
export function originPattern(
  source: string,
  match: PatternMatch,
  flags: string,
  python: boolean,
): OriginPattern | undefined {
  let src = source;
  let jsFlags = flags.replace(/[^ims]/g, '');
  if (python) {
    const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
    if (inline) {
      if (inline[1]!.includes('i') && !jsFlags.includes('i')) jsFlags += 'i';
      src = src.slice(inline[0].length);
    }
    src = src
      .replace(/\(\?P</g, '(?<')
      .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
      .replace(/\\Z/g, '$')
      .replace(/\\A/g, '^');
  }
  const wrapped = match === 'full' ? `^(?:${src})$` : match === 'prefix' ? `^(?:${src})` : src;
  try {
    return new (re2().RE2)(wrapped, `${jsFlags}u`);
  } catch {
    return undefined;
  }
}

/** Whether an origin pattern lets any website in (it matches an attacker's origin). */
export function letsAnyoneIn(pattern: OriginPattern): boolean {
  return PROBES.some((probe) => pattern.test(probe));
}
