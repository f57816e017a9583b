import type { CorsSeverity } from './verdict.js';

// What a CORS fixer says about one place it looked at, JS or Python alike. The step (cors.ts)
// judges these against the sites `detect` found before they become findings.

export interface CorsRewrite {
  line: number;
  message: string;
  /** False: reported only, the code is as it was. */
  changed: boolean;
  severity: CorsSeverity;
}
