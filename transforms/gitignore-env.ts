// The jscodeshift entry point of `gitignore-env`: `jscodeshift -t dist/transforms/gitignore-env.js`.
import { toJscodeshift } from '../src/adapters/jscodeshift.js';
import step from '../src/concerns/gitignore/gitignore-env.js';

export default toJscodeshift(step);
