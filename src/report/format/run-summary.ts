import { diffLib } from '../../engine/diff.js';
import pc from 'picocolors';
import type { RunResult } from '../../engine/runner.js';
import { maskDeep, maskSecrets } from '../../core/secrets.js';
import type { Finding } from '../../core/finding.js';

type ToPath = (path: string) => string;

const KIND_LABEL: Record<Finding['kind'], string> = {
  changed: 'changed',
  'already-protected': 'already protected',
  'not-in-scope': 'left alone',
  'needs-human': 'needs you',
  note: 'note',
};

/**
 * The report a user reads before the diff (the workflow's "report findings before proceeding"):
 * each app found, then what was changed, what was left and why, and what needs the user.
 */
export function formatReport(result: RunResult, toPath: ToPath, opts: { color: boolean }): string {
  const c = opts.color ? pc : pc.createColors(false);
  const lines: string[] = [];
  for (const app of result.model.apps) {
    const routers =
      [app.appDir && 'App Router', app.pagesDir && 'Pages Router'].filter(Boolean).join(' + ') ||
      'no router folder found';
    lines.push(
      c.bold(`Next.js app ${toPath(app.root) || '.'}`) +
        c.dim(
          ` (${app.name}, next ${app.nextVersion ?? '?'}, ${routers}, ${app.typescript ? 'TypeScript' : 'JavaScript'}, ${app.routes.length} route files)`,
        ),
    );
  }
  if (!result.model.apps.length && !result.findings.length && !result.changes.length) {
    lines.push(
      c.yellow(
        'Nothing found to check: no Next.js app (a package.json depending on next, or a next.config.*) and nothing else this step looks at.',
      ),
    );
  }

  const order: Finding['kind'][] = ['needs-human', 'changed', 'already-protected', 'not-in-scope', 'note'];
  const color: Record<Finding['kind'], (s: string) => string> = {
    'needs-human': c.red,
    changed: c.green,
    'already-protected': c.cyan,
    'not-in-scope': c.dim,
    note: c.dim,
  };
  const findings = [...result.findings].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  if (findings.length) lines.push('');
  for (const finding of findings) {
    const where = finding.file ? `${toPath(finding.file)}${finding.line ? `:${finding.line}` : ''}` : '';
    lines.push(`${color[finding.kind](KIND_LABEL[finding.kind].padEnd(17))} ${where}  ${finding.message}`);
    if (finding.fix) lines.push(`${' '.repeat(18)}${c.dim(`→ ${finding.fix}`)}`);
  }
  return `${maskSecrets(lines.join('\n'))}\n`;
}

/** The closing lines: files skipped or in error, each with its reason, and the counts. */
export function formatTotals(result: RunResult, toPath: ToPath, opts: { color: boolean; dry: boolean }): string {
  const c = opts.color ? pc : pc.createColors(false);
  const lines: string[] = [];
  const count = (status: string) => result.files.filter((f) => f.status === status);
  const changed = result.changes.filter((c) => c.before !== null).length;
  const created = result.changes.length - changed;
  const skipped = count('skipped');
  const errored = count('error');
  lines.push('');
  for (const file of [...skipped, ...errored]) {
    const label = file.status === 'error' ? c.red('error  ') : c.yellow('skipped');
    lines.push(`${label} ${toPath(file.path)}${file.line ? `:${file.line}` : ''}  ${file.reason}`);
  }
  const verb = opts.dry ? 'would change' : 'changed';
  lines.push(
    `${c.bold('Summary:')} ${verb} ${changed}, ${opts.dry ? 'would create' : 'created'} ${created}, unchanged ${count('unchanged').length}, skipped ${skipped.length}, errored ${errored.length}` +
      (opts.dry && result.changes.length ? c.dim('  (dry run: nothing written)') : ''),
  );
  return `${maskSecrets(lines.join('\n'))}\n`;
}

/** The machine-readable result (`--json`): a stable shape, paths relative to where we ran. */
export function toJson(
  result: RunResult,
  toPath: ToPath,
  meta: { transform: string; version: string; options: Record<string, unknown>; dry: boolean },
) {
  const editsByPath = new Map(result.changes.map((change) => [change.path, change]));
  const json = {
    tool: 'ai-secure-codemods',
    version: meta.version,
    transform: meta.transform,
    dryRun: meta.dry,
    options: meta.options,
    apps: result.model.apps.map((app) => ({
      root: toPath(app.root) || '.',
      name: app.name,
      next: app.nextVersion ?? null,
      router: { app: Boolean(app.appDir), pages: Boolean(app.pagesDir) },
      typescript: app.typescript,
      routes: app.routes.map((route) => ({ file: toPath(route.path), kind: route.kind, route: route.route })),
    })),
    files: [
      ...result.changes.map((change) => ({
        path: toPath(change.path),
        status: change.before === null ? 'created' : 'changed',
        edits: countEdits(change.before ?? '', change.after),
      })),
      ...result.files
        .filter((f) => !editsByPath.has(f.path))
        .map((f) => ({
          path: toPath(f.path),
          status: f.status,
          ...(f.reason ? { reason: f.reason } : {}),
          ...(f.line ? { line: f.line } : {}),
        })),
    ],
    findings: result.findings.map((f) => ({ ...f, file: f.file ? toPath(f.file) : undefined })),
    summary: {
      changed: result.changes.filter((c) => c.before !== null).length,
      created: result.changes.filter((c) => c.before === null).length,
      unchanged: result.files.filter((f) => f.status === 'unchanged').length,
      skipped: result.files.filter((f) => f.status === 'skipped').length,
      errored: result.files.filter((f) => f.status === 'error').length,
      needsHuman: result.findings.filter((f) => f.kind === 'needs-human').length,
    },
  };
  return maskDeep(json);
}

/** Lines added and removed: a quick measure of how big a file's change is. */
function countEdits(before: string, after: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const part of diffLib().diffLines(before, after)) {
    if (part.added) added += part.count ?? 0;
    if (part.removed) removed += part.count ?? 0;
  }
  return { added, removed };
}
