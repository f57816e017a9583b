// The options the three rate-limit steps share (next-ratelimit, fastapi-ratelimit,
// flask-ratelimit): one definition, so a flag or config key means the same in each, and the steps
// need not import each other for them.
import type { StepOption } from '../../step/contract.js';

const positiveInteger = (flag: string) => (value: unknown) =>
  Number.isInteger(value) && (value as number) > 0
    ? undefined
    : `--${flag} must be a whole number above 0 (got ${String(value)})`;

const PER_MINUTE: StepOption = {
  name: 'per-minute',
  type: 'number',
  default: 5,
  describe: 'requests per client per minute',
  validate: positiveInteger('per-minute'),
};
const PER_DAY: StepOption = {
  name: 'per-day',
  type: 'number',
  default: 50,
  describe: 'requests per client per day',
  validate: (value, all) =>
    positiveInteger('per-day')(value) ??
    ((value as number) < (all.perMinute as number)
      ? `--per-day (${String(value)}) must be at least --per-minute (${String(all.perMinute)})`
      : undefined),
};
const STORE: StepOption = {
  name: 'store',
  type: 'string',
  default: 'auto',
  choices: ['auto', 'memory', 'upstash'],
  describe: 'auto: Upstash Redis when its env vars are set, in-memory otherwise; memory: no dependency added',
};
const SCOPE: StepOption = {
  name: 'scope',
  type: 'string',
  default: 'ai',
  choices: ['ai', 'post'],
  describe: 'ai: handlers that reach an AI call; post: every POST handler too, as the workflow says',
};

/** next-ratelimit's options, in the order --help lists them. */
export const NEXT_OPTIONS: StepOption[] = [PER_MINUTE, PER_DAY, STORE, SCOPE];

/** The Python steps' options: the same limits and scope; the store is chosen at run time (RATE_LIMIT_STORAGE_URI). */
export const PYTHON_OPTIONS: StepOption[] = [PER_MINUTE, PER_DAY, SCOPE];

export interface LimitOptions {
  perMinute: number;
  perDay: number;
  store: 'auto' | 'memory' | 'upstash';
  scope: 'ai' | 'post';
  /** Why the config leaves the file's handlers alone (an override with `"skip": true`). */
  skip?: string;
}

/** One file's limit options as the steps read them (`ctx.optionsFor(file)`), with the defaults. */
export function readLimitOptions(opts: Record<string, unknown>): LimitOptions {
  return {
    perMinute: Number(opts.perMinute ?? opts['per-minute'] ?? 5),
    perDay: Number(opts.perDay ?? opts['per-day'] ?? 50),
    store: (opts.store as LimitOptions['store']) ?? 'auto',
    scope: (opts.scope as LimitOptions['scope']) ?? 'ai',
    ...(typeof opts.skipReason === 'string' ? { skip: opts.skipReason } : {}),
  };
}

/** As readLimitOptions, without the store (Python steps pick theirs at run time). */
export function readPythonLimitOptions(opts: Record<string, unknown>): Omit<LimitOptions, 'store'> {
  const { perMinute, perDay, scope, skip } = readLimitOptions(opts);
  return { perMinute, perDay, scope, ...(skip ? { skip } : {}) };
}
