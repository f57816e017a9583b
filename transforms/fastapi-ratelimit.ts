// The jscodeshift entry point of `fastapi-ratelimit`: `jscodeshift -t dist/transforms/fastapi-ratelimit.js`.
import { toJscodeshift } from '../src/adapters/jscodeshift.js';
import step from '../src/concerns/ratelimit/fastapi-ratelimit.js';

export default toJscodeshift(step);
