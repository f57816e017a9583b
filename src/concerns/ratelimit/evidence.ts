import type { AiReach } from '../../project/graph/js.js';
import { summarize } from '../../lang/js/ast.js';
import type { TopLevelBinding } from '../../lang/js/module-bindings.js';

// What makes code "reach an AI call" or "already rate-limited", looked for in one node. The
// module-level spreading is in module-bindings.ts; these are the seeds.

/** Names people give rate limiters: `ratelimit.limit()`, `rateLimit(req)`, `limiter.check()`, `throttle()`. */
const LIMITER_NAME = /rate[-_]?limit|ratelimit|limiter|throttl/i;
/** …but not the SDK's error for the provider's own 429 (`OpenAI.RateLimitError`). */
const NOT_A_LIMITER = /error|exceeded|exception/i;

export const LIMITER_PACKAGES = [
  '@upstash/ratelimit',
  'rate-limiter-flexible',
  'express-rate-limit',
  '@arcjet/next',
  'next-rate-limit',
  'limiter',
];

export function isLimiterName(name: string): boolean {
  return LIMITER_NAME.test(name) && !NOT_A_LIMITER.test(name);
}

/** A call or construction that looks like a rate limiter, described for the report. */
export function ownLimiterUse(node: any): string | undefined {
  const call = summarize(node).calls.find((names) => names.some(isLimiterName));
  return call && `${call.join('.')}()`;
}

/** An import of a limiter package or of a module named like one (`@/lib/rate-limit`). */
export function limiterImport(binding: TopLevelBinding): string | undefined {
  const source = binding.source!;
  if (LIMITER_PACKAGES.includes(source) || /rate-?limit/i.test(source.split('/').pop() ?? ''))
    return `${binding.name} from ${source}`;
  return isLimiterName(binding.name) ? `${binding.name} from ${source}` : undefined;
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
