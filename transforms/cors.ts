// The jscodeshift entry point of `cors`: `jscodeshift -t dist/transforms/cors.js`.
import { toJscodeshift } from '../src/adapters/jscodeshift.js';
import step from '../src/concerns/cors/cors.js';

export default toJscodeshift(step);
