// The jscodeshift entry point of `next-public-keys`: `jscodeshift -t dist/transforms/next-public-keys.js`.
import { toJscodeshift } from '../src/adapters/jscodeshift.js';
import step from '../src/concerns/keys/next-public-keys.js';

export default toJscodeshift(step);
