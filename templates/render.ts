// Turns templates/next/rate-limit.{ts,js} into the helper written into a user's app. Pure and
// dependency-free: the next-ratelimit transform imports it.

export type RateLimitStore = 'auto' | 'memory' | 'upstash';

export interface RenderRateLimitOptions {
  perMinute: number;
  perDay: number;
  store: RateLimitStore;
}

const PER_MINUTE_LINE = /^const PER_MINUTE = \d+;$/m;
const PER_DAY_LINE = /^const PER_DAY = \d+;$/m;
const UPSTASH_REQUIRED_LINE = /^const UPSTASH_REQUIRED = false;/m;
const START = '// @store upstash:start';
const END = '// @store upstash:end';

/**
 * Sets the limits and the store of the rate limiter helper.
 * - `memory` deletes every `// @store upstash:start` … `// @store upstash:end` block, markers
 *   included, leaving a helper with no Upstash import or code.
 * - `auto` and `upstash` keep the blocks and delete only the marker lines; `upstash` also makes
 *   the helper warn (once, at load) when the Upstash env vars are missing.
 * Throws when the source lacks the expected lines or its markers are unbalanced, so a changed
 * template can never render silently wrong.
 */
export function renderRateLimitHelper(source: string, opts: RenderRateLimitOptions): string {
  const { perMinute, perDay, store } = opts;
  for (const [name, value] of [
    ['perMinute', perMinute],
    ['perDay', perDay],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
    }
  }
  if (store !== 'auto' && store !== 'memory' && store !== 'upstash') {
    throw new RangeError(`store must be auto, memory or upstash, got ${String(store)}`);
  }
  if (!PER_MINUTE_LINE.test(source) || !PER_DAY_LINE.test(source)) {
    throw new Error('rate limiter template: PER_MINUTE / PER_DAY lines not found');
  }

  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const kept: string[] = [];
  let inBlock = false;
  for (const line of source.split(/\r?\n/)) {
    const marker = line.trim();
    if (marker === START || marker === END) {
      if ((marker === START) === inBlock) {
        throw new Error(`rate limiter template: unbalanced "${marker}"`);
      }
      inBlock = marker === START;
      continue;
    }
    if (!inBlock || store !== 'memory') kept.push(line);
  }
  if (inBlock) throw new Error(`rate limiter template: "${START}" without "${END}"`);

  let out = kept.join('\n');
  // A removed block may leave two blank lines in a row; keep one.
  if (store === 'memory') out = out.replace(/\n{3,}/g, '\n\n');
  out = out
    .replace(PER_MINUTE_LINE, `const PER_MINUTE = ${perMinute};`)
    .replace(PER_DAY_LINE, `const PER_DAY = ${perDay};`);
  if (store === 'upstash') {
    if (!UPSTASH_REQUIRED_LINE.test(out)) throw new Error('rate limiter template: UPSTASH_REQUIRED line not found');
    out = out.replace(UPSTASH_REQUIRED_LINE, 'const UPSTASH_REQUIRED = true;');
  }
  return eol === '\n' ? out : out.replace(/\n/g, eol);
}
