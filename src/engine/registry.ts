import type { Step, StepMeta, StepOption } from '../step/contract.js';
import * as nextRatelimit from '../concerns/ratelimit/next-ratelimit.meta.js';
import * as fastapiRatelimit from '../concerns/ratelimit/fastapi-ratelimit.meta.js';
import * as flaskRatelimit from '../concerns/ratelimit/flask-ratelimit.meta.js';
import * as cors from '../concerns/cors/cors.meta.js';
import * as gitignoreEnv from '../concerns/gitignore/gitignore-env.meta.js';
import * as nextPublicKeys from '../concerns/keys/next-public-keys.meta.js';
import * as hardcodedKeys from '../concerns/keys/hardcoded-keys.meta.js';

// Every step, lazily: its meta and options are here at once (the CLI's commands and help, config
// validation), its code is loaded when it runs, as ESLint's rule map does. `--help`, `--version`
// and a one-step run then load no other step. engine/steps.ts has them all loaded, for detect.

/** A step before its code is loaded. */
export interface StepEntry {
  meta: StepMeta;
  options: StepOption[];
  load: () => Promise<Step>;
}

const entry = (described: Pick<StepEntry, 'meta' | 'options'>, load: () => Promise<{ default: Step }>) => ({
  meta: described.meta,
  options: described.options,
  load: async () => (await load()).default,
});

/** Every step, in the workflow's order. The slug is the CLI command, fixture folder and rule id. */
export const registry: StepEntry[] = [
  entry(nextRatelimit, () => import('../concerns/ratelimit/next-ratelimit.js')),
  entry(fastapiRatelimit, () => import('../concerns/ratelimit/fastapi-ratelimit.js')),
  entry(flaskRatelimit, () => import('../concerns/ratelimit/flask-ratelimit.js')),
  entry(cors, () => import('../concerns/cors/cors.js')),
  entry(gitignoreEnv, () => import('../concerns/gitignore/gitignore-env.js')),
  entry(nextPublicKeys, () => import('../concerns/keys/next-public-keys.js')),
  entry(hardcodedKeys, () => import('../concerns/keys/hardcoded-keys.js')),
];

/** Every option any step takes: what a config file may set, checked by config.validate. */
export const stepOptions = () => registry.flatMap((step) => step.options);

/** The code of these steps (all by default), in the workflow's order. */
export function loadSteps(entries: readonly StepEntry[] = registry): Promise<Step[]> {
  return Promise.all(entries.map((step) => step.load()));
}
