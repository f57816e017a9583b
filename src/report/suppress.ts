import { relative } from 'node:path';
import type { Overlay } from '../project/overlay.js';
import type { IgnoreEntry } from '../engine/config.js';
import type { ReportFinding } from '../core/report-schema.js';
import { checklistOf } from '../core/checklist.js';
import { lazyRequire } from '../core/lazy-require.js';

const ignore = lazyRequire<typeof import('ignore')>('ignore');

// Silencing a finding on purpose, the way linters do: a marker comment at the finding's line
// (or the line above) that names the rule and says why, or an entry in the config file. A
// silenced finding stays in the json and SARIF output, marked, and never fails `check`.

const MARKER = 'ai-secure-ignore:';

/**
 * `ai-secure-ignore: <rule> <reason>` inside a comment (`//`, `#`, `/* … *\/`, `{/* … *\/}`), read
 * by hand: the line may be a minified bundle's, and one pattern over it backtracked.
 */
export function parseMarker(line: string): { rule: string; reason?: string } | undefined {
  const at = line.indexOf(MARKER);
  if (at === -1) return undefined;
  const opener = line.slice(0, at).trimEnd();
  if (!(opener.endsWith('//') || opener.endsWith('#') || opener.endsWith('/*'))) return undefined;
  const after = line.slice(at + MARKER.length).trimStart();
  const rule = /^[\w/-]+/.exec(after)?.[0];
  if (!rule) return undefined;
  let rest = after.slice(rule.length).trimEnd();
  if (rest.endsWith('*/}')) rest = rest.slice(0, -3).trimEnd();
  else if (rest.endsWith('*/')) rest = rest.slice(0, -2).trimEnd();
  if (!rest) return { rule };
  // The reason follows a blank and holds no `*` (it would be the comment's end, written wrong).
  if (!/^[ \t]/.test(rest) || rest.includes('*')) return undefined;
  return { rule, reason: rest.trim() || undefined };
}

/** The names a finding answers to: its rule id, the id without `ai-secure/`, its checklist item. */
export function ruleNames(finding: Pick<ReportFinding, 'ruleId'>): string[] {
  const short = finding.ruleId.replace(/^ai-secure\//, '');
  const item = checklistOf(finding.ruleId);
  return [finding.ruleId, short, ...(item ? [item] : [])];
}

export interface MarkerProblem {
  file: string;
  line: number;
  message: string;
}

/**
 * Marks the findings a marker comment or a config entry silences. Returns markers that are
 * written wrong (no reason): they silence nothing, and the user should know.
 */
export function applySuppressions(
  findings: ReportFinding[],
  overlay: Overlay,
  root: string,
  entries: IgnoreEntry[],
): MarkerProblem[] {
  const problems: MarkerProblem[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    if (!finding.file) continue;
    const names = ruleNames(finding);
    const marker = finding.line ? markerAt(overlay, finding.file, finding.line) : undefined;
    if (marker && names.includes(marker.rule)) {
      if (marker.reason) finding.silenced = { by: 'comment', reason: marker.reason };
      else if (!seen.has(`${finding.file}:${marker.line}`)) {
        seen.add(`${finding.file}:${marker.line}`);
        problems.push({
          file: finding.file,
          line: marker.line,
          message: `ai-secure-ignore: ${marker.rule} has no reason, so it silences nothing: say why after the rule name`,
        });
      }
      if (finding.silenced) continue;
    }
    const path = relative(root, finding.file).split('\\').join('/');
    if (path.startsWith('..')) continue;
    const entry = entries.find((e) => names.includes(e.rule) && (!e.paths || ignore()().add(e.paths).ignores(path)));
    if (entry) finding.silenced = { by: 'config', reason: entry.reason };
  }
  return problems;
}

/** The marker on `line` or the line above it, if any. */
function markerAt(
  overlay: Overlay,
  file: string,
  line: number,
): { rule: string; reason?: string; line: number } | undefined {
  if (!overlay.containsAny(file, ['ai-secure-ignore'])) return undefined;
  const lines = (overlay.read(file) ?? '').split(/\r?\n/);
  for (const at of [line, line - 1]) {
    const marker = parseMarker(lines[at - 1] ?? '');
    if (marker) return { ...marker, line: at };
  }
  return undefined;
}
