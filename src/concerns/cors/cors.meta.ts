import type { StepMeta, StepOption } from '../../step/contract.js';
import { validateOrigins } from './origins.js';

// The step's identity apart from its code: the CLI lists it and a config file is checked against
// it without loading the step (engine/registry.ts loads the step when it runs).

export const meta: StepMeta = {
  slug: 'cors',
  step: 3,
  title: 'Restrict CORS to known origins (ALLOWED_ORIGINS) in FastAPI, Flask, Express and Next.js',
  languages: ['py', 'ts', 'tsx', 'js', 'jsx', 'mjs'],
  globs: ['**/*.py', '**/*.{ts,tsx,js,jsx,mjs,cjs}'],
  ruleId: 'ai-secure/cors',
  checklist: 'cors',
  cwe: 'CWE-942',
  severity: 'high',
};

export const options: StepOption[] = [
  {
    name: 'origins',
    type: 'string',
    default: '',
    describe:
      'comma-separated origins allowed when ALLOWED_ORIGINS is unset (default: origins the project names, else http://localhost:3000)',
    validate: validateOrigins,
  },
];
