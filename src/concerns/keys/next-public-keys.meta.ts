import type { StepMeta, StepOption } from '../../step/contract.js';
import { ENV_EXAMPLE_FILES } from '../../project/project-files.js';

// The step's identity apart from its code: the CLI lists it and a config file is checked against
// it without loading the step (engine/registry.ts loads the step when it runs).

export const meta: StepMeta = {
  slug: 'next-public-keys',
  step: 5,
  title: 'Take AI API keys out of NEXT_PUBLIC_ env vars (the browser bundle) into server-only ones',
  languages: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'mts', 'cts'],
  globs: ['**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}', ...ENV_EXAMPLE_FILES],
  ruleId: 'ai-secure/next-public-keys',
  checklist: 'server-keys',
  // Credentials shipped to every visitor: insufficiently protected credentials, more precisely
  // than CWE-200's general information exposure.
  cwe: 'CWE-522',
  severity: 'critical',
};

export const options: StepOption[] = [];
