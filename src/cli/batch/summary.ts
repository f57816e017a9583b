import pc from 'picocolors';
import { packageVersion } from '../../core/package-root.js';
import type { RepoResult, RepoStatus } from './process-repo.js';

// The end of a batch: one row per repository (repository, status, changes, findings), as a
// terminal table, as markdown for a tracking issue, and as json for the platform's own tools.

export const BATCH_SCHEMA_VERSION = 1;

const ORDER: RepoStatus[] = ['error', 'skipped', 'changed', 'unchanged'];

export function summaryJson(
  results: RepoResult[],
  meta: { shard?: { index: number; count: number }; branch?: string; outDir: string },
) {
  const totals = Object.fromEntries(ORDER.map((status) => [status, results.filter((r) => r.status === status).length]));
  return {
    schemaVersion: BATCH_SCHEMA_VERSION,
    tool: { name: 'ai-secure-codemods', version: packageVersion() },
    ...(meta.shard ? { shard: `${meta.shard.index}/${meta.shard.count}` } : {}),
    ...(meta.branch ? { branch: meta.branch } : {}),
    outDir: meta.outDir,
    totals: { repositories: results.length, ...totals },
    repositories: results,
  };
}

function note(result: RepoResult): string {
  if (result.reason) return result.reason;
  const parts: string[] = [];
  if (result.fileErrors) parts.push(`${result.fileErrors} file(s) not processed`);
  if (result.commit) parts.push(`${result.branch} @ ${result.commit.slice(0, 10)}`);
  return parts.join('; ');
}

export function formatSummaryTable(results: RepoResult[], opts: { color: boolean }): string {
  const paint: Record<RepoStatus, (s: string) => string> = opts.color
    ? { changed: pc.green, unchanged: pc.dim, skipped: pc.yellow, error: pc.red }
    : { changed: String, unchanged: String, skipped: String, error: String };
  const rows = results.map((r) => [r.name, r.status, String(r.changes), String(r.findings), note(r)]);
  const head = ['Repository', 'Status', 'Changes', 'Findings', 'Notes'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (i === 4 ? 0 : row[i]!.length))));
  const line = (row: string[], status?: RepoStatus) =>
    row
      .map((cell, i) => {
        const padded = i === 4 ? cell : i === 2 || i === 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
        return i === 1 && status ? paint[status](padded) : padded;
      })
      .join('  ')
      .trimEnd();
  const counts = ORDER.map((status) => [status, results.filter((r) => r.status === status).length] as const).filter(
    ([, n]) => n,
  );
  return [
    line(head),
    ...results.map((r, i) => line(rows[i]!, r.status)),
    '',
    `${results.length} ${results.length === 1 ? 'repository' : 'repositories'}: ${counts.map(([status, n]) => `${n} ${status}`).join(', ') || 'none'}`,
    '',
  ].join('\n');
}

export function formatSummaryMarkdown(results: RepoResult[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return [
    '| Repository | Status | Changes | Findings | Notes |',
    '|---|---|---:|---:|---|',
    ...results.map((r) => `| ${cell(r.source)} | ${r.status} | ${r.changes} | ${r.findings} | ${cell(note(r))} |`),
    '',
  ].join('\n');
}
