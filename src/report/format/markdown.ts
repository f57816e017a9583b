import type { DetectReport, ReportFinding } from '../../core/report-schema.js';
import { maskSecrets } from '../../core/secrets.js';
import { FRAMEWORK_NAMES } from '../../concerns/inventory/apps.js';
import { describeApp, endpointStatus } from './text.js';

// The detect report as a pull-request comment: the checklist first (what a reviewer decides
// on), then the endpoints that reach a paid API, what needs doing, and the details folded.

const ICON: Record<ReportFinding['severity'], string> = {
  critical: '🔴',
  high: '🔴',
  medium: '🟠',
  low: '🟡',
  info: '⚪',
};

/** A table cell: no pipes or newlines, code in backticks. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

export function formatDetectMarkdown(report: DetectReport, title = 'ai-secure-codemods'): string {
  const out: string[] = [];
  const passed = report.checklist.every((item) => item.passed);
  out.push(`## ${title}: ${passed ? '✅ every check passes' : '❌ some checks fail'}`, '');
  out.push('| | Check | Failing findings |', '|---|---|---|');
  for (const item of report.checklist)
    out.push(`| ${item.passed ? '✅' : '❌'} | ${cell(item.title)} | ${item.failing.length || ''} |`);
  out.push('');

  if (report.apps.length) {
    out.push('### Apps', '');
    for (const app of report.apps)
      out.push(`- **${FRAMEWORK_NAMES[app.framework]}** ${code(app.root)}: ${describeApp(app)}`);
    out.push('');
  }

  const ai = report.endpoints.filter((e) => e.ai || e.kind !== 'route');
  if (ai.length) {
    out.push(
      '### Endpoints that reach a paid AI API',
      '',
      '| Endpoint | Where | Reaches | Rate-limited |',
      '|---|---|---|---|',
    );
    for (const e of ai) {
      const status = endpointStatus(e);
      const limited =
        status === 'limited'
          ? `✅ ${cell(e.rateLimitedBy!)}`
          : status === 'uncoverable'
            ? `⚠️ ${e.kind}: no route guard covers it`
            : '❌ no';
      const via = e.ai
        ? `${e.ai.via}${e.ai.chain.length > 1 ? ` via ${e.ai.chain.slice(1).map(code).join(' → ')}` : ''}`
        : '?';
      out.push(`| ${code(`${e.method} ${e.route}`)} | ${code(`${e.file}:${e.line}`)} | ${cell(via)} | ${limited} |`);
    }
    out.push('');
  }

  const todo = report.findings.filter((f) => !f.silenced && f.kind !== 'note');
  if (todo.length) {
    out.push(`### To do (${todo.length})`, '');
    for (const f of todo) {
      const where = f.file ? ` ${code(`${f.file}${f.line ? `:${f.line}` : ''}`)}` : '';
      out.push(
        `- ${ICON[f.severity]} **${f.severity}**${where}: ${cell(f.message)}${f.fix ? `<br>→ ${cell(f.fix)}` : ''}`,
      );
    }
    out.push('');
  }

  const deployment = report.deployment.filter((d) => d.env.length);
  if (deployment.length) {
    out.push('### Env vars to set in deployment', '', '| App | Name | What | Where |', '|---|---|---|---|');
    for (const d of deployment)
      for (const e of d.env) out.push(`| ${code(d.root)} | ${code(e.name)} | ${cell(e.purpose)} | ${cell(e.where)} |`);
    out.push('');
  }

  if (report.aiCalls.length) {
    out.push(
      `<details><summary>AI calls (${report.aiCalls.length})</summary>`,
      '',
      '| Where | SDK | Call |',
      '|---|---|---|',
    );
    for (const call of report.aiCalls)
      out.push(`| ${code(`${call.file}:${call.line}`)} | ${cell(call.sdk)} | ${code(call.call)} |`);
    out.push('', '</details>', '');
  }
  const silenced = report.findings.filter((f) => f.silenced);
  if (silenced.length) {
    out.push(`<details><summary>Silenced (${silenced.length})</summary>`, '');
    for (const f of silenced)
      out.push(
        `- ${code(f.ruleId)} ${f.file ? code(`${f.file}${f.line ? `:${f.line}` : ''}`) : ''}: ${cell(f.message)} (${f.silenced!.by}: ${cell(f.silenced!.reason)})`,
      );
    out.push('', '</details>', '');
  }
  return maskSecrets(out.join('\n'));
}
