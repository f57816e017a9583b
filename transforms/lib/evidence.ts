import type { JSCodeshift } from 'jscodeshift';
import type { AiReach } from '../../lib/module-graph.js';
import { findAiHost } from '../../lib/ai-providers.js';
import type { TopLevelBinding } from './module-bindings.js';

// What makes code "reach an AI call" or "already rate-limited", looked for in one node. The
// module-level spreading is in module-bindings.ts; these are the seeds.

/** Names people give rate limiters: `ratelimit.limit()`, `rateLimit(req)`, `limiter.check()`, `throttle()`. */
const LIMITER_NAME = /rate[-_]?limit|ratelimit|limiter|throttl/i;
/** …but not the SDK's error for the provider's own 429 (`OpenAI.RateLimitError`). */
const NOT_A_LIMITER = /error|exceeded|exception/i;

export const LIMITER_PACKAGES = ['@upstash/ratelimit', 'rate-limiter-flexible', 'express-rate-limit', '@arcjet/next', 'next-rate-limit', 'limiter', 'lru-cache-ratelimit'];

export function isLimiterName(name: string): boolean {
  return LIMITER_NAME.test(name) && !NOT_A_LIMITER.test(name);
}

/** Dotted name of a callee: `ratelimit.limit`, `rateLimit`, `this.limiter.check`. */
function calleeNames(callee: any): string[] {
  const names: string[] = [];
  for (let node = callee; node; node = node.object) {
    if (node.type === 'Identifier') names.push(node.name);
    else if (node.property?.type === 'Identifier') names.push(node.property.name);
    if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') break;
  }
  return names;
}

/** A call or construction that looks like a rate limiter, described for the report. */
export function ownLimiterUse(j: JSCodeshift, node: any): string | undefined {
  let found: string | undefined;
  j(node)
    .find(j.Node, (n: any) => n.type === 'CallExpression' || n.type === 'NewExpression' || n.type === 'OptionalCallExpression')
    .forEach((path) => {
      if (found) return;
      const names = calleeNames((path.node as any).callee);
      if (names.some(isLimiterName)) found = `${names.reverse().join('.')}()`;
    });
  return found;
}

/** An import of a limiter package or of a module named like one (`@/lib/rate-limit`). */
export function limiterImport(binding: TopLevelBinding): string | undefined {
  const source = binding.source!;
  if (LIMITER_PACKAGES.includes(source) || /rate-?limit/i.test(source.split('/').pop() ?? '')) return `${binding.name} from ${source}`;
  return isLimiterName(binding.name) ? `${binding.name} from ${source}` : undefined;
}

/**
 * The rate limiter of the workflow's own example, under any name: a module-level `new Map()`
 * the handler uses, and a 429 the handler answers itself (not one caught from the provider).
 */
export function mapBasedLimiter(j: JSCodeshift, handler: any, bindings: Map<string, TopLevelBinding>, references: Set<string>): string | undefined {
  const map = [...references].find((name) => {
    const init = bindings.get(name)?.node?.init;
    return init?.type === 'NewExpression' && init.callee?.name === 'Map';
  });
  if (!map) return undefined;
  const answers429 = j(handler)
    .find(j.Node, (n: any) => (n.type === 'NumericLiteral' || n.type === 'Literal') && n.value === 429)
    .filter((path) => !insideCatch(path))
    .size();
  return answers429 ? `a Map-based counter (${map}) answering 429` : undefined;
}

function insideCatch(path: any): boolean {
  for (let p = path.parent; p; p = p.parent) if (p.node.type === 'CatchClause') return true;
  return false;
}

/**
 * An AI call made right here: a string naming a provider's API host (a raw fetch), or a
 * `require()` / `import()` of an AI module.
 */
export function ownAiUse(j: JSCodeshift, node: any, reachOfImport: (specifier: string) => AiReach | undefined): AiReach | undefined {
  let found: AiReach | undefined;
  j(node)
    .find(j.Node, (n: any) => n.type === 'StringLiteral' || n.type === 'TemplateElement' || n.type === 'CallExpression' || n.type === 'ImportExpression')
    .forEach((path) => {
      if (found) return;
      const n: any = path.node;
      if (n.type === 'StringLiteral' || n.type === 'TemplateElement') {
        const host = findAiHost(n.type === 'StringLiteral' ? n.value : n.value.raw);
        if (host) found = { chain: [], via: host };
        return;
      }
      const isLoad = n.type === 'ImportExpression' || n.callee?.type === 'Import' || (n.callee?.type === 'Identifier' && n.callee.name === 'require');
      const arg = n.type === 'ImportExpression' ? n.source : n.arguments?.[0];
      if (isLoad && arg?.type === 'StringLiteral') found = reachOfImport(arg.value);
    });
  return found;
}
