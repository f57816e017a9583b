import type { ChecklistId, ChecklistItem, ReportFinding } from './report-schema.js';

// The workflow's final checklist, as a gate. Each finding belongs to one item by its rule; an
// item fails when an unsilenced finding of it is a real problem: something a step would fix
// (medium or worse), or something a human must do that is high or critical.

export const CHECKLIST: { id: ChecklistId; title: string; rules: RegExp }[] = [
  {
    id: 'rate-limit',
    title: 'Rate limiting on every endpoint that reaches a paid AI API',
    rules: /^ai-secure\/((next|fastapi|flask)-ratelimit|unhandled-app)$/,
  },
  { id: 'cors', title: 'CORS restricted to known origins', rules: /^ai-secure\/cors$/ },
  { id: 'env-gitignore', title: '.env, .env.local and .env.* ignored by git', rules: /^ai-secure\/gitignore-env$/ },
  {
    id: 'server-keys',
    title: 'API keys only in server-side env vars (no NEXT_PUBLIC_, nothing hard-coded)',
    rules: /^ai-secure\/(next-public-keys|hardcoded-keys|deployment-env)$/,
  },
];

/** The checklist item a rule belongs to. */
export function checklistOf(ruleId: string): ChecklistId | undefined {
  return CHECKLIST.find((item) => item.rules.test(ruleId))?.id;
}

/** Unsilenced, something a step would fix or a human must do, and at least medium (high for a human's). */
export function isFailing(finding: ReportFinding): boolean {
  if (finding.silenced) return false;
  if (finding.kind === 'changed') return finding.severity !== 'low' && finding.severity !== 'info';
  return finding.kind === 'needs-human' && (finding.severity === 'high' || finding.severity === 'critical');
}

export function judgeChecklist(findings: ReportFinding[]): ChecklistItem[] {
  return CHECKLIST.map(({ id, title }) => {
    const failing = findings.flatMap((finding, index) =>
      checklistOf(finding.ruleId) === id && isFailing(finding) ? [index] : [],
    );
    return { id, title, passed: failing.length === 0, failing };
  });
}
