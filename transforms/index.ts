import type { TransformModule } from '../lib/types.js';
import * as gitignoreEnv from './gitignore-env.js';
import * as hardcodedKeys from './hardcoded-keys.js';
import * as nextPublicKeys from './next-public-keys.js';
import * as nextRatelimit from './next-ratelimit.js';

/** Every transform, in the workflow's order. The slug is the CLI command, fixture folder and rule id. */
export const transforms: TransformModule[] = [nextRatelimit, gitignoreEnv, nextPublicKeys, hardcodedKeys] as unknown as TransformModule[];
