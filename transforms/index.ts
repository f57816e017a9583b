import type { TransformModule } from '../lib/types.js';
import * as gitignoreEnv from './gitignore-env.js';
import * as nextRatelimit from './next-ratelimit.js';

/** Every transform, in the workflow's order. The slug is the CLI command, fixture folder and rule id. */
export const transforms: TransformModule[] = [nextRatelimit, gitignoreEnv] as unknown as TransformModule[];
