import type { Step } from '../step/contract.js';
import fastapiRatelimit from '../concerns/ratelimit/fastapi-ratelimit.js';
import flaskRatelimit from '../concerns/ratelimit/flask-ratelimit.js';
import cors from '../concerns/cors/cors.js';
import gitignoreEnv from '../concerns/gitignore/gitignore-env.js';
import hardcodedKeys from '../concerns/keys/hardcoded-keys.js';
import nextPublicKeys from '../concerns/keys/next-public-keys.js';
import nextRatelimit from '../concerns/ratelimit/next-ratelimit.js';

/** Every transform, in the workflow's order. The slug is the CLI command, fixture folder and rule id. */
export const transforms: Step[] = [
  nextRatelimit,
  fastapiRatelimit,
  flaskRatelimit,
  cors,
  gitignoreEnv,
  nextPublicKeys,
  hardcodedKeys,
];

/** Every option any step takes: what a config file may set, checked by config.validate. */
export const stepOptions = () => transforms.flatMap((step) => step.options);
