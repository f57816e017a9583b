import type { StepMeta, StepOption } from '../../step/contract.js';

// The step's identity apart from its code: the CLI lists it and a config file is checked against
// it without loading the step (engine/registry.ts loads the step when it runs).

export const meta: StepMeta = {
  slug: 'hardcoded-keys',
  step: 5,
  title: 'Move AI API keys written into code to server-side env vars (and say which to rotate)',
  languages: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'py'],
  globs: ['**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts,py}'],
  ruleId: 'ai-secure/hardcoded-keys',
  checklist: 'server-keys',
  cwe: 'CWE-798',
  severity: 'critical',
};

export const options: StepOption[] = [];
