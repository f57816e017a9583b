import type { Endpoint } from '../../../frameworks/python/routes.js';
import { importBindings } from '../../../lang/python/import-bindings.js';
import { topLevelNames } from '../../../lang/python/imports.js';
import type { PythonNode } from '../../../lang/python/parse.js';
import type { LimiterVerdict } from '../evidence.js';

// "Already rate-limited" for a FastAPI or Flask endpoint: proven, never named (the JS judge's
// twin, in ../evidence.ts). Proof is a limit decorator of a limiter object (slowapi and
// Flask-Limiter's `@limiter.limit`), fastapi-limiter's `RateLimiter` dependency, a call into a
// limiter package, or a function of the module seen to count per key and refuse (429), called with
// a key the caller cannot choose. A name that only looks like a limiter (a `throttle()` that paces
// a stream, a `@rate_limit` decorator that does nothing we can see) is rejected and named in the
// finding of the decorator we add.

/** Python packages that count requests per key and refuse the excess. Documented in docs/rules. */
export const PYTHON_LIMITER_PACKAGES = ['slowapi', 'flask_limiter', 'fastapi_limiter', 'limits'];

const LOOKS_LIKE = /rate_?limit|ratelimit|throttl|limiter/i;
const LIMIT_METHOD = /^(limit|shared_limit)$/;
/** Counting per key: an increment, an append to a list of times, a store's incr/hit. */
const COUNTS = /\+=?\s*1\b|\.append\(|\.incr\(|\.hit\(|\.incrby\(|\blen\(/;
/** Refusing: a 429 raised, aborted or returned, or the limiter packages' own errors. */
const REFUSES = /\b429\b|TooManyRequests|RateLimitExceeded/;

const WHY_UNSEEN =
  'we cannot see it count requests per client and refuse the excess (a limiter package we know, or a function here that counts and answers 429)';

/** What protects an endpoint, if anything: a limiter proven, or one we saw and did not count, and why. */
export function judgePythonLimiter(endpoint: Endpoint): LimiterVerdict | undefined {
  const root = rootOf(endpoint.fn);
  const names = topLevelNames(root);
  const imports = importsOf(root);
  let rejected: LimiterVerdict | undefined;
  const consider = (verdict: LimiterVerdict | undefined): LimiterVerdict | undefined => {
    if (verdict && 'rejected' in verdict) rejected ??= verdict;
    return verdict && 'proven' in verdict ? verdict : undefined;
  };

  for (const decorator of endpoint.decorated.namedChildren) {
    if (decorator?.type !== 'decorator' || decorator.id === endpoint.decorator.id) continue;
    const expression = decorator.firstNamedChild!;
    const callee = expression.type === 'call' ? expression.childForFieldName('function')! : expression;
    const shown = `@${callee.text}`;
    if (callee.type === 'attribute' && LIMIT_METHOD.test(callee.childForFieldName('attribute')!.text)) {
      const owner = callee.childForFieldName('object')!.text;
      if (isLimiterObject(owner, names, imports)) return { proven: shown };
      if (LOOKS_LIKE.test(owner)) rejected ??= { rejected: shown, why: WHY_UNSEEN };
      continue;
    }
    if (!LOOKS_LIKE.test(callee.text)) continue;
    const found = consider(judgeName(callee.text.split('.')[0]!, shown, names, imports, undefined));
    if (found) return found;
  }

  const dependencies = [
    keywordValue(endpoint.decorator.firstNamedChild!, 'dependencies'),
    endpoint.fn.childForFieldName('parameters'),
  ];
  for (const node of dependencies) {
    if (!node) continue;
    if (/\bRateLimiter\s*\(/.test(node.text) && imports.get('RateLimiter')?.startsWith('fastapi_limiter'))
      return { proven: 'a RateLimiter dependency (fastapi-limiter)' };
    for (const match of node.text.matchAll(/Depends\(\s*(\w+)/g)) {
      if (!LOOKS_LIKE.test(match[1]!)) continue;
      const found = consider(judgeName(match[1]!, `Depends(${match[1]})`, names, imports, undefined));
      if (found) return found;
    }
  }

  const body = endpoint.fn.childForFieldName('body')!;
  for (const call of callsIn(body)) {
    const fn = call.childForFieldName('function')!;
    if (!LOOKS_LIKE.test(fn.text)) continue;
    const first = call.childForFieldName('arguments')?.namedChildren.find((a) => a?.type !== 'keyword_argument');
    const found = consider(
      judgeName(fn.text.split('.')[0]!, `${fn.text}() in its body`, names, imports, () =>
        first ? callerChoice(first, endpoint) : undefined,
      ),
    );
    if (found) return found;
  }
  return rejected;
}

/** A name's proof: from a limiter package, or a function of this module that counts and refuses. */
function judgeName(
  name: string,
  shown: string,
  names: Map<string, PythonNode>,
  imports: Map<string, string>,
  keyWhy: (() => string | undefined) | undefined,
): LimiterVerdict {
  if (isLimiterPackage(imports.get(name) ?? '')) return { proven: shown };
  const definition = names.get(name);
  const fn = definition?.type === 'decorated_definition' ? definition.childForFieldName('definition') : definition;
  if (fn?.type !== 'function_definition') return { rejected: shown, why: WHY_UNSEEN };
  const text = fn.text;
  if (!COUNTS.test(text) || !REFUSES.test(text)) return { rejected: shown, why: WHY_UNSEEN };
  const why = keyWhy?.();
  return why ? { rejected: shown, why } : { proven: shown };
}

/**
 * A slowapi / Flask-Limiter `Limiter(…)` bound in this module, or a limiter object imported from
 * another (`from extensions import limiter`): `.limit()` / `.shared_limit()` on it is the library's.
 */
function isLimiterObject(owner: string, names: Map<string, PythonNode>, imports: Map<string, string>): boolean {
  if (imports.has(owner)) return true;
  const made = /=\s*(\w+)\s*\(/.exec(names.get(owner)?.text ?? '')?.[1];
  return made !== undefined && isLimiterPackage(imports.get(made) ?? '');
}

const isLimiterPackage = (module: string) =>
  PYTHON_LIMITER_PACKAGES.some((pkg) => module === pkg || module.startsWith(`${pkg}.`));

/**
 * Why the key passed to a limiting function is the caller's choice: a body field, a query
 * parameter, a request header (X-Forwarded-For read from the right excepted), or a parameter of
 * the endpoint that FastAPI fills from the query or the body.
 */
function callerChoice(key: PythonNode, endpoint: Endpoint): string | undefined {
  const text = resolved(key.text, endpoint.fn.childForFieldName('body')!);
  const shown = key.type === 'identifier' ? `\`${key.text}\`` : 'its key';
  if (/\.json\b|get_json|\.form\b|\.body\b|\bdata\[/.test(text))
    return `it counts by ${shown}, which the caller chooses (a field of the request body)`;
  if (/query_params|request\.args|\.args\.get/.test(text))
    return `it counts by ${shown}, which the caller chooses (a query parameter)`;
  if (/headers/i.test(text) && !/split\(\s*["'],\s*["']\s*\)\s*\[\s*-\s*\d+\s*\]/.test(text))
    return `it counts by ${shown}, read from a request header, which the caller can set when no trusted proxy overwrites it`;
  // A parameter FastAPI fills from the query or the body, or a field of one (`body.user_id`).
  const params = parameterNames(endpoint.fn).filter((p) => !/^(request|req|self)$/.test(p));
  const root = /^\w+/.exec(key.text)?.[0];
  if (root && params.includes(root) && text === key.text)
    return `it counts by ${shown}, which the caller sends (a query or body parameter)`;
  return undefined;
}

/** The key's text with the endpoint's simple assignments to it added (two levels): `ip = request.headers[…]`. */
function resolved(text: string, body: PythonNode, depth = 0): string {
  if (depth > 2) return text;
  const parts = [text];
  for (const statement of body.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : undefined;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left')!.text;
    const right = assignment.childForFieldName('right');
    if (right && (text.match(/\w+/g) ?? ([] as string[])).includes(left))
      parts.push(resolved(right.text, body, depth + 1));
  }
  return parts.join('\n');
}

function parameterNames(fn: PythonNode): string[] {
  return (fn.childForFieldName('parameters')?.namedChildren ?? []).map((p) =>
    p?.type === 'identifier' ? p.text : (p?.childForFieldName('name')?.text ?? p?.firstNamedChild?.text ?? ''),
  );
}

/** Calls in a function body, not in nested functions or classes. */
function callsIn(node: PythonNode): PythonNode[] {
  const out: PythonNode[] = [];
  const stack = [node];
  while (stack.length) {
    const current = stack.pop()!;
    if (current.type === 'call') out.push(current);
    for (const child of current.namedChildren) {
      if (child && child.type !== 'function_definition' && child.type !== 'class_definition') stack.push(child);
    }
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

function keywordValue(call: PythonNode, name: string): PythonNode | undefined {
  const args = call.type === 'call' ? call.childForFieldName('arguments') : undefined;
  for (const arg of args?.namedChildren ?? []) {
    if (arg?.type === 'keyword_argument' && arg.childForFieldName('name')?.text === name)
      return arg.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** Local name → the module it is imported from, for the top-level imports. */
function importsOf(root: PythonNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'import_statement' && statement?.type !== 'import_from_statement') continue;
    for (const [local, ref] of importBindings(statement)) out.set(local, ref.module);
  }
  return out;
}

function rootOf(node: PythonNode): PythonNode {
  let current = node;
  while (current.parent) current = current.parent;
  return current;
}
