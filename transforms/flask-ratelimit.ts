// The jscodeshift entry point of `flask-ratelimit`: `jscodeshift -t dist/transforms/flask-ratelimit.js`.
import { toJscodeshift } from '../src/adapters/jscodeshift.js';
import step from '../src/concerns/ratelimit/flask-ratelimit.js';

export default toJscodeshift(step);
