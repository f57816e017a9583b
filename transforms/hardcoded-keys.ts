// The jscodeshift entry point of `hardcoded-keys`: `jscodeshift -t dist/transforms/hardcoded-keys.js`.
import { toJscodeshift } from '../src/adapters/jscodeshift.js';
import step from '../src/concerns/keys/hardcoded-keys.js';

export default toJscodeshift(step);
