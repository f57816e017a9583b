// The jscodeshift entry point of `next-ratelimit`: `jscodeshift -t dist/transforms/next-ratelimit.js`.
import { toJscodeshift } from '../src/adapters/jscodeshift.js';
import step from '../src/concerns/ratelimit/next-ratelimit.js';

export default toJscodeshift(step);
