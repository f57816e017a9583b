import type { StepOption } from '../step/contract.js';

// What the commands accept and answer, apart from the code that runs them: bin/cli.ts builds its
// whole command line from this and the registry's meta without loading a step, so `--help`,
// `--version` and a usage error start fast; each command loads its code when it runs.

export const EXIT = { ok: 0, fileErrors: 1, usage: 2, changesNeeded: 3, checksFailed: 4 } as const;

/** The formats of `detect` and `check`. */
export const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** The branch `batch --branch` commits on when given no name. */
export const DEFAULT_BRANCH = 'ai-secure/hardening';

/**
 * A transform option as yargs takes it: without a default, so that a flag given can be told from
 * one left out (the config and then the default fill that in), the default shown in the help.
 */
export function yargsOption(option: StepOption) {
  return {
    type: option.type,
    describe: option.describe,
    ...(option.default !== '' ? { defaultDescription: JSON.stringify(option.default) } : {}),
    ...(option.choices ? { choices: option.choices } : {}),
  };
}

/** The options of several steps, once each (the rate-limit steps share theirs). */
export function optionsOf(steps: readonly { options: StepOption[] }[]): StepOption[] {
  const seen = new Map<string, StepOption>();
  for (const step of steps)
    for (const option of step.options) if (!seen.has(option.name)) seen.set(option.name, option);
  return [...seen.values()];
}
