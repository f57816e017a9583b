import type { StepMeta, StepOption } from '../../step/contract.js';

// The step's identity apart from its code: the CLI lists it and a config file is checked against
// it without loading the step (engine/registry.ts loads the step when it runs).

export const meta: StepMeta = {
  slug: 'gitignore-env',
  step: 4,
  title: 'Keep .env, .env.local and .env.* out of git (example files stay committed)',
  languages: ['gitignore'],
  globs: ['.gitignore'],
  ruleId: 'ai-secure/gitignore-env',
  checklist: 'env-gitignore',
  cwe: 'CWE-540',
  severity: 'high',
};

export const options: StepOption[] = [];
