import type { TransformModule } from '../lib/types.js';
import * as fastapiRatelimit from './fastapi-ratelimit.js';
import * as flaskRatelimit from './flask-ratelimit.js';
import * as cors from './cors.js';
import * as gitignoreEnv from './gitignore-env.js';
import * as hardcodedKeys from './hardcoded-keys.js';
import * as nextPublicKeys from './next-public-keys.js';
import * as nextRatelimit from './next-ratelimit.js';

/** Every transform, in the workflow's order. The slug is the CLI command, fixture folder and rule id. */
export const transforms: TransformModule[] = [nextRatelimit, fastapiRatelimit, flaskRatelimit, cors, gitignoreEnv, nextPublicKeys, hardcodedKeys] as unknown as TransformModule[];
