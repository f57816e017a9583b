import type { DetectReport } from '../detect/report-types.js';
import { formatDetectMarkdown } from '../format/markdown.js';
import type { RunResult } from '../runner.js';

// TEMPORARY until lib/format/pull-request.ts lands.
export function pullRequestBody(input: { report: DetectReport; result: RunResult; toPath: (p: string) => string; version: string }): string {
  return formatDetectMarkdown(input.report, 'ai-secure-codemods') + '\n';
}
