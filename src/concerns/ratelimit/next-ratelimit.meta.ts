import type { StepMeta } from '../../step/contract.js';
import { NEXT_OPTIONS } from './options.js';

// The step's identity apart from its code: the CLI lists it and a config file is checked against
// it without loading the step (engine/registry.ts loads the step when it runs).

export const meta: StepMeta = {
  slug: 'next-ratelimit',
  step: 2,
  title: 'Rate-limit Next.js route handlers that reach a paid AI API (5/minute + 50/day per client)',
  languages: ['ts', 'tsx', 'js', 'jsx', 'mjs'],
  globs: ['{src/,}app/**/route.{ts,tsx,js,jsx,mjs}', '{src/,}pages/api/**/*.{ts,tsx,js,jsx,mjs}'],
  ruleId: 'ai-secure/next-ratelimit',
  checklist: 'rate-limit',
  cwe: 'CWE-770',
  severity: 'high',
};

export const options = NEXT_OPTIONS;
