import type { StepMeta } from '../../step/contract.js';
import { PYTHON_OPTIONS } from './options.js';

// The step's identity apart from its code: the CLI lists it and a config file is checked against
// it without loading the step (engine/registry.ts loads the step when it runs).

export const meta: StepMeta = {
  slug: 'flask-ratelimit',
  step: 2,
  title:
    'Rate-limit Flask endpoints that reach a paid AI API with Flask-Limiter (5 per minute + 50 per day per client)',
  languages: ['py'],
  globs: ['**/*.py', 'requirements*.txt', 'pyproject.toml', 'Pipfile'],
  ruleId: 'ai-secure/flask-ratelimit',
  checklist: 'rate-limit',
  cwe: 'CWE-770',
  severity: 'high',
};

export const options = PYTHON_OPTIONS;
