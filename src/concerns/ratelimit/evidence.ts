import type { AiReach } from '../../project/graph/js.js';
import { forEachChild, summarize, unwrap } from '../../lang/js/ast.js';
import type { TopLevelBinding } from '../../lang/js/module-bindings.js';

// What makes code "reach an AI call" or "already rate-limited", looked for in one node. The
// module-level spreading is in module-bindings.ts; these are the seeds.
//
// "Already rate-limited" must be proven, never named: an endpoint we wrongly believe protected stays
// open. Proof is a call into a rate-limit package we know, a local module that uses one, or code seen
// to count per key and refuse (429). A call that only looks like a limiter (`throttle()` from
// throttleit paces stream writes) is rejected, and so is a limiter keyed on something the caller
// chooses (a body field, a query parameter, a request header without a trusted proxy): the caller
// then gets a fresh bucket per request. A rejected limiter is named in the finding of the guard we add.

/**
 * Packages that count requests per key and refuse the excess: a call into one of them is a limiter.
 * Documented in docs/rules/next-ratelimit.md.
 */
export const LIMITER_PACKAGES = [
  '@upstash/ratelimit',
  'rate-limiter-flexible',
  'limiter',
  'express-rate-limit',
  '@arcjet/next',
  '@unkey/ratelimit',
  '@vercel/firewall',
  'next-rate-limit',
];

/** Names people give rate limiters: `ratelimit.limit()`, `rateLimit(req)`, `limiter.check()`, `throttle()`. */
const LIMITER_NAME = /rate[-_]?limit|ratelimit|limiter|throttl/i;
/** …but not the SDK's error for the provider's own 429 (`OpenAI.RateLimitError`). */
const NOT_A_LIMITER = /error|exceeded|exception/i;

export function isLimiterName(name: string): boolean {
  return LIMITER_NAME.test(name) && !NOT_A_LIMITER.test(name);
}

/**
 * A proven limiter behind an import: a known package, or a project module that uses one (or is our
 * helper, or counts in a Map and answers 429), as `localModule` reads it.
 */
export function limiterImport(
  binding: TopLevelBinding,
  localModule: (specifier: string) => string | undefined = () => undefined,
): string | undefined {
  const source = binding.source!;
  if (LIMITER_PACKAGES.includes(source)) return `${binding.name} from ${source}`;
  const local = localModule(source);
  return local && `${binding.name} from ${source} (${local})`;
}

/** `const { rateLimit } = require('@/lib/rate-limit')`: a limiter required at module level (CommonJS). */
export function requiredLimiter(
  node: any,
  localModule: (specifier: string) => string | undefined = () => undefined,
): string | undefined {
  const init = unwrap(node?.init);
  const call = init?.type === 'AwaitExpression' ? init.argument : init;
  if (call?.type !== 'CallExpression' || call.callee?.name !== 'require') return undefined;
  const source = call.arguments[0]?.type === 'StringLiteral' ? call.arguments[0].value : undefined;
  if (source === undefined) return undefined;
  if (LIMITER_PACKAGES.includes(source)) return `require('${source}')`;
  const local = localModule(source);
  return local && `require('${source}') (${local})`;
}

/**
 * What a project module's text shows about limiting: the known package it imports, our helper, or
 * a Map it counts in with a 429. Undefined: nothing we can vouch for.
 */
export function moduleLimiter(text: string, ourMarker: string): string | undefined {
  for (const pkg of LIMITER_PACKAGES) {
    if (text.includes(`'${pkg}'`) || text.includes(`"${pkg}"`)) return pkg;
  }
  if (text.includes(ourMarker)) return 'our rate-limit helper';
  return /\bnew Map\b/.test(text) && /\b429\b/.test(text) ? 'a Map-based counter answering 429' : undefined;
}

/**
 * The rate limiter of the workflow's own example, under any name: a module-level `new Map()`
 * the handler uses, and a 429 the handler answers itself (not one caught from the provider).
 */
export function mapBasedLimiter(handler: any, bindings: Map<string, TopLevelBinding>): string | undefined {
  const summary = summarize(handler);
  if (!summary.answers429) return undefined;
  const map = [...summary.names].find((name) => {
    const init = bindings.get(name)?.node?.init;
    return init?.type === 'NewExpression' && init.callee?.name === 'Map';
  });
  return map && `a Map-based counter (${map}) answering 429`;
}

/** What protects a handler: a limiter proven, or one we saw and did not count, and why. */
export type LimiterVerdict = { proven: string } | { rejected: string; why: string };

/**
 * The one judge of "already rate-limited" for a JS handler (route handlers and middleware alike).
 * `limited`: the module's bindings proven to be limiters (limiterImport, spread through local code).
 */
export function judgeLimiter(
  handler: any,
  bindings: Map<string, TopLevelBinding>,
  limited: Map<string, string>,
  source: string,
): LimiterVerdict | undefined {
  const used = [...summarize(handler).names];
  const byPackage = used.filter((name) => limited.has(name));
  const maps = used.filter((name) => isMap(bindings.get(name)));
  // A local function that counts in a module-level Map, with a 429 in it or in the handler.
  const counters = used.filter((name) => {
    const node = bindings.get(name)?.node;
    if (!node || bindings.get(name)?.source !== undefined || isMap(bindings.get(name))) return false;
    const inner = summarize(node);
    return [...inner.names].some((n) => isMap(bindings.get(n))) && (inner.answers429 || summarize(handler).answers429);
  });
  let proven: string | undefined;
  let names: string[] = [];
  if (byPackage.length) [proven, names] = [limited.get(byPackage[0]!)!, byPackage];
  else if (maps.length && summarize(handler).answers429) [proven, names] = [mapBasedLimiter(handler, bindings)!, maps];
  else if (counters.length) [proven, names] = [`${counters[0]}() counting in a Map`, counters];
  if (proven) {
    // Proven when one of them is called with a key the caller cannot choose (ours beside theirs, say),
    // or none is called with a key we can see (a wrapper, a middleware-style call).
    const keyed = names.map((name) => ({ name, ...limiterKeys(handler, name, source) }));
    // Named as the handler calls it, with where it comes from: `ratelimit.limit() (Ratelimit from …)`.
    const named = (k: (typeof keyed)[number]) =>
      byPackage.includes(k.name) ? `${k.callee}() (${limited.get(k.name)})` : proven!;
    const fair = keyed.find((k) => k.calls > 0 && !k.why);
    if (fair) return { proven: named(fair) };
    const unfair = keyed.find((k) => k.why);
    return unfair ? { rejected: named(unfair), why: unfair.why! } : { proven };
  }
  const lookalike = lookalikeLimiter(handler);
  if (!lookalike) return undefined;
  return {
    rejected: lookalike,
    why: 'we cannot see it count requests per client and refuse the excess (a rate-limit package we know, or a counter answering 429)',
  };
}

const isMap = (binding: TopLevelBinding | undefined) =>
  binding?.node?.init?.type === 'NewExpression' && binding.node.init.callee?.name === 'Map';

/** A call named like a limiter that we could not prove is one: `throttle()`, `checkRateLimit()`. */
export function lookalikeLimiter(node: any): string | undefined {
  const call = summarize(node).calls.find((names) => names.some(isLimiterName));
  return call && `${call.join('.')}()`;
}

/**
 * The calls of the limiter `name` inside `handler` that pass a key (its first argument, or the
 * Map's key), and why one of those keys is the caller's choice, read through the handler's own
 * variables. An instance made in the handler (`const rl = new Ratelimit(…)`) is the limiter too;
 * a static call on a class (`Ratelimit.slidingWindow(50, '1 d')`) configures it and passes no key.
 */
export function limiterKeys(
  handler: any,
  name: string,
  source: string,
): { calls: number; callee?: string; why?: string } {
  const declarations = new Map<string, any>();
  const keys: { key: any; callee: string }[] = [];
  const calls: any[] = [];
  const visit = (node: any): void => {
    if (node.type === 'VariableDeclarator' && node.init) {
      if (node.id.type === 'Identifier') declarations.set(node.id.name, node.init);
      if (node.id.type === 'ObjectPattern') {
        for (const p of node.id.properties) {
          const local = p.value?.type === 'AssignmentPattern' ? p.value.left : p.value;
          if (local?.type === 'Identifier') declarations.set(local.name, node.init);
        }
      }
    }
    const isCall = node.type === 'CallExpression' || node.type === 'OptionalCallExpression';
    if (isCall && node.arguments[0]) calls.push(node);
    forEachChild(node, visit);
  };
  visit(handler);
  const limiters = new Set([name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [local, init] of declarations) {
      const made = unwrap(init?.type === 'AwaitExpression' ? init.argument : init);
      const maker =
        made?.type === 'NewExpression' || made?.type === 'CallExpression' ? rootName(made.callee) : undefined;
      if (maker && limiters.has(maker) && !limiters.has(local)) grew = limiters.add(local) !== undefined;
    }
  }
  const isClass = /^[A-Z]/.test(name);
  for (const call of calls) {
    const root = rootName(call.callee);
    if (!root || !limiters.has(root)) continue;
    if (root === name && isClass && call.callee.type !== 'Identifier') continue; // static: configuration
    keys.push({ key: call.arguments[0], callee: source.slice(call.callee.start, call.callee.end) });
  }
  for (const { key, callee } of keys) {
    const why = callerChoice(resolvedText(key, declarations, source), key);
    if (why) return { calls: keys.length, callee, why };
  }
  return { calls: keys.length, callee: keys[0]?.callee };
}

/** `ratelimit.limit` → ratelimit; `hits.get` → hits; `check` → check. */
function rootName(callee: any): string | undefined {
  let node = callee;
  while (node && (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression')) node = node.object;
  return node?.type === 'Identifier' ? node.name : undefined;
}

/** The code of an expression with the handler's variables it uses replaced by their values (three levels). */
function resolvedText(node: any, declarations: Map<string, any>, source: string, depth = 0): string {
  const n = unwrap(node);
  const own = source.slice(n.start, n.end);
  if (depth > 3) return own;
  const parts = [own];
  const seen = new Set<string>();
  const visit = (child: any): void => {
    if (child.type === 'Identifier' && declarations.has(child.name) && !seen.has(child.name)) {
      seen.add(child.name);
      parts.push(resolvedText(declarations.get(child.name), declarations, source, depth + 1));
    }
    forEachChild(child, visit);
  };
  visit(n);
  return parts.join('\n');
}

const BODY = /\.json\(\)|\.formData\(\)|\.text\(\)|\breq(uest)?\.body\b/;
const QUERY = /searchParams|\breq(uest)?\.query\b|\bnextUrl\b/;
/** A request header read: `headers.get('x-real-ip')`, `headersList.get('x-forwarded-for')`, `req.headers['…']`. */
const HEADER =
  /headers\.get\(\s*['"`]([^'"`]+)['"`]|\.get\(\s*['"`]((?:x-|cf-|true-client-|forwarded)[^'"`]*)['"`]|headers\[\s*['"`]([^'"`]+)['"`]\s*\]/i;
/** Read from the right of X-Forwarded-For: the entry the last trusted proxy appended. */
const FROM_THE_RIGHT = /\.pop\(\)|\.at\(\s*-\s*\d+\s*\)|length\s*-\s*\w+/;

/** Why a key's code is the caller's choice: a body field, a query parameter, a header no proxy vouches for. */
function callerChoice(text: string, key: any): string | undefined {
  const name = unwrap(key).type === 'Identifier' ? `\`${unwrap(key).name}\`` : 'its key';
  if (BODY.test(text)) return `it counts by ${name}, which the caller chooses (a field of the request body)`;
  if (QUERY.test(text)) return `it counts by ${name}, which the caller chooses (a query parameter)`;
  const header = HEADER.exec(text);
  if (header) {
    const headerName = (header[1] ?? header[2] ?? header[3])!.toLowerCase();
    if (headerName === 'x-forwarded-for' && FROM_THE_RIGHT.test(text)) return undefined;
    if (/process\.env\.VERCEL\b/.test(text)) return undefined;
    return `it counts by ${name}, read from the ${headerName} header, which the caller can set when no trusted proxy overwrites it`;
  }
  return undefined;
}

/**
 * An AI call made right here: a string naming a provider's API host (a raw fetch), or a
 * `require()` / `import()` of an AI module.
 */
export function ownAiUse(node: any, reachOfImport: (specifier: string) => AiReach | undefined): AiReach | undefined {
  const summary = summarize(node);
  if (summary.aiHosts.length) return { chain: [], via: summary.aiHosts[0]! };
  for (const specifier of summary.loads) {
    const reach = reachOfImport(specifier);
    if (reach) return reach;
  }
  return undefined;
}
