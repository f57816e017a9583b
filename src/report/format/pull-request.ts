import { basename, join } from 'node:path';
import { ENV_EXAMPLE_FILES } from '../../project/project-files.js';
import { CHECKLIST, checklistOf } from '../../core/checklist.js';
import type { ChecklistId, DetectReport, ReportFinding } from '../../core/report-schema.js';
import type { FileChange } from '../../project/overlay.js';
import type { RunResult } from '../../engine/runner.js';
import { maskSecrets } from '../../core/secrets.js';
import type { StepMeta } from '../../step/contract.js';
import type { Finding, Severity } from '../../core/finding.js';
import { appOf } from './text.js';

// The body of a pull request made by `all`: what a reviewer reads above the diff, in a PR a
// platform team opens in hundreds of repositories. The checklist before and after, what each step
// changed, the dependencies and env vars the change brings, and what is left for a human. Pure
// (no IO, no clock): the same run gives the same text, byte for byte, so a batch can diff it.

export interface PullRequestInput {
  /** The run of `all` (the steps on one overlay), before anything is written. */
  result: RunResult;
  /** `detect` on the same paths before the change: the checklist before and the deployment env vars. */
  report: DetectReport;
  /** The steps that ran, in workflow order. */
  steps: StepMeta[];
  /** An absolute path → relative to the repository root, `/`-separated (as in the patch). */
  toPath: (path: string) => string;
  /** The tool's version, for the footer. */
  version: string;
}

/** GitHub-flavoured markdown, every key masked, every list sorted. */
export function formatPullRequestBody({ result, report, steps, toPath, version }: PullRequestInput): string {
  const path = (abs: string) => toPath(abs) || '.';
  const checklist = checklistAfter(report, result, path);
  const perStep = changesPerStep(result, steps, path);
  const humans = needsHuman(report, result, steps, path);
  const created = result.changes.filter((c) => c.before === null).length;
  const out: string[] = [];

  out.push(`## ai-secure-codemods: ${changeTitle(perStep)}`, '');

  const failedBefore = checklist.filter((item) => item.before > 0);
  const fixed = failedBefore.filter((item) => item.after === 0).length;
  const still = checklist.filter((item) => item.after > 0).length;
  const summary = [
    result.changes.length
      ? `This change applies the API security workflow (rate limiting, CORS, env files, server-side keys) to the repository: **${plural(result.changes.length, 'file')}** (${result.changes.length - created} changed, ${created} new), by ${plural(perStep.length, 'step')}.`
      : 'The API security workflow (rate limiting, CORS, env files, server-side keys) finds nothing to change in the repository.',
    failedBefore.length
      ? `It fixes **${fixed === failedBefore.length ? `${fixed > 1 ? 'all ' : ''}${plural(fixed, 'failing checklist item')}` : `${fixed} of the ${plural(failedBefore.length, 'failing checklist item')}`}**${still ? `; ${still} still ${still === 1 ? 'fails' : 'fail'}` : ''}.`
      : 'Every checklist item passed before it.',
    humans.length
      ? `**${plural(humans.length, 'finding')} ${humans.length === 1 ? 'needs' : 'need'} a human** (below).`
      : 'Nothing is left for a human.',
  ];
  out.push(summary.join(' '), '');

  out.push('### Checklist', '', '| Check | Before | After |', '|---|---|---|');
  for (const item of checklist) out.push(`| ${cell(item.title)} | ${mark(item.before)} | ${mark(item.after)} |`);
  out.push('');

  if (perStep.length) {
    out.push('### Changes per step', '');
    for (const { step, files, findings } of perStep) {
      out.push(`#### \`${step.slug}\` (step ${step.step}): ${inline(step.title)}`, '');
      if (files.length)
        out.push(`Files: ${files.map((f) => `${code(f.path)}${f.created ? ' (new)' : ''}`).join(', ')}`, '');
      for (const f of findings) out.push(`- ${where(f.file, f.line)}${inline(f.message)}`);
      if (findings.length) out.push('');
    }
  }

  const deps = dependenciesAdded(result.changes, path);
  if (deps.length) {
    out.push('### Dependencies added', '', '| Package | Version | In |', '|---|---|---|');
    for (const d of deps)
      out.push(
        `| ${code(d.name)}${d.dev ? ' (dev)' : ''} | ${d.version ? code(d.version) : 'any'} | ${code(d.file)} |`,
      );
    out.push('');
    const lockfiles = lockfileNote(deps);
    if (lockfiles) out.push(lockfiles, '');
  }

  const env = deploymentEnv(report, result.changes, path);
  if (env.length) {
    out.push('### Environment variables to set in deployment', '');
    for (const group of env) {
      const app = env.length > 1 ? `${code(group.app)}: ` : '';
      out.push(`${app}**Where:** ${inline(group.where)}`, '', '| Name | What | |', '|---|---|---|');
      for (const e of group.names)
        out.push(
          `| ${code(e.name)} | ${cell(e.what)}${e.secret ? ' (secret)' : ''} | ${e.added ? `new, in ${code(e.added)}` : ''} |`,
        );
      out.push('');
    }
  }

  if (humans.length) {
    out.push(`### Needs a human (${humans.length})`, '');
    for (const h of humans)
      out.push(
        `- [ ] ${ICON[h.severity]} **${h.severity}** ${where(h.file, h.line)}${inline(h.message)}${h.fix ? `<br>→ ${inline(h.fix)}` : ''}`,
      );
    out.push('');
  }

  out.push(`<sub>ai-secure-codemods ${inline(version)} · steps: ${steps.map((s) => s.slug).join(', ')}</sub>`);
  return `${maskSecrets(out.join('\n'))}\n`;
}

/** What the change does, by checklist item: `rate-limit the AI endpoints, restrict CORS`. */
export function changeTitle(perStep: StepChanges[]): string {
  const labels = [
    ...new Set(perStep.map((s) => checklistOf(s.step.ruleId)).filter((id): id is ChecklistId => id !== undefined)),
  ];
  return labels.length
    ? CHECKLIST.filter((item) => labels.includes(item.id))
        .map((item) => TITLE_LABEL[item.id])
        .join(', ')
    : 'nothing to change';
}

const TITLE_LABEL: Record<ChecklistId, string> = {
  'rate-limit': 'rate-limit the AI endpoints',
  cors: 'restrict CORS',
  'env-gitignore': 'keep .env files out of git',
  'server-keys': 'keep API keys server-side',
};

const ICON: Record<Severity, string> = { critical: '🔴', high: '🔴', medium: '🟠', low: '🟡', info: '⚪' };
const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const mark = (failing: number) => (failing ? `❌ ${failing}` : '✅');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
/**
 * Prose from a finding: `<x>` would vanish as an HTML tag, a stray `*` would start emphasis; code spans stay as
 * written.
 */
const inline = (text: string) =>
  text
    .replace(/\r?\n/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '\\*'),
    )
    .join('');

/** A table cell: as prose, and no pipes. */
const cell = (text: string) => inline(text).replace(/\|/g, '\\|');
const where = (file: string | undefined, line: number | undefined) =>
  file ? `${code(`${file}${line ? `:${line}` : ''}`)}: ` : '';

/** Code-unit order, the same on every machine (localeCompare follows the machine's locale). */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts by path, then line, then message: one order whatever order the steps reported in. */
function byPlace<T extends { file?: string; line?: number; message?: string }>(a: T, b: T): number {
  return cmp(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || cmp(a.message ?? '', b.message ?? '');
}

/** Lockfiles are not part of the change: a frozen install in CI fails until someone updates them. */
function lockfileNote(deps: AddedDependency[]): string | undefined {
  const files = new Set(deps.map((d) => basename(d.file)));
  const tools = [
    ...(files.has('package.json') ? ['`npm install` / `pnpm install` / `yarn`'] : []),
    ...(files.has('pyproject.toml') ? ['`poetry lock` / `uv lock`'] : []),
    ...(files.has('Pipfile') ? ['`pipenv lock`'] : []),
  ];
  return tools.length
    ? `Lockfiles are not part of this change: update the one the project has (${tools.join(', ')}) and commit it, or a frozen install in CI fails.`
    : undefined;
}

export interface ChecklistRow {
  id: ChecklistId;
  title: string;
  /** Failing findings before the change, and those the change does not fix. */
  before: number;
  after: number;
}

/**
 * The checklist after the change, without judging the project again: a failing finding is fixed
 * when a step of this run reported fixing that very problem (same rule, same file, the problem
 * as `detect` states it) in a file the run changes. Lines are not compared: an earlier step's
 * edit moves them. What only a human can fix (or a step that did not run) stays failing.
 */
export function checklistAfter(
  report: DetectReport,
  result: RunResult,
  toPath: (abs: string) => string,
): ChecklistRow[] {
  const changed = new Set(result.changes.map((c) => c.path));
  const key = (ruleId: string, file: string, message: string) => `${ruleId}\0${file}\0${message}`;
  const fixes = new Map<string, number>();
  for (const f of result.findings) {
    if (!f.problem || (f.file && !changed.has(f.file))) continue;
    const k = key(f.ruleId, f.file ? toPath(f.file) : '', f.problem.message);
    fixes.set(k, (fixes.get(k) ?? 0) + 1);
  }
  return report.checklist.map((item) => {
    let after = 0;
    for (const index of item.failing) {
      const finding = report.findings[index]!;
      const k = key(finding.ruleId, finding.file ? toPath(join(report.root, finding.file)) : '', finding.message);
      const left = fixes.get(k) ?? 0;
      if (left > 0) fixes.set(k, left - 1);
      else after += 1;
    }
    return { id: item.id, title: item.title, before: item.failing.length, after };
  });
}

export interface StepChanges {
  step: StepMeta;
  /** The files this step wrote (a file several steps wrote is under each). */
  files: { path: string; created: boolean }[];
  /** What it changed, one line each: its `changed` findings, and a human's whose change it made. */
  findings: { file?: string; line?: number; message: string }[];
}

/** Per step that changed something, in the order given: its files and its change findings. */
export function changesPerStep(result: RunResult, steps: StepMeta[], toPath: (abs: string) => string): StepChanges[] {
  const changed = new Set(result.changes.map((c) => c.path));
  return steps.flatMap((step) => {
    const files = result.changes
      .filter((c) => result.writtenBy.get(c.path)?.includes(step.slug))
      .map((c) => ({ path: toPath(c.path), created: c.before === null }))
      .sort((a, b) => cmp(a.path, b.path));
    const made = (f: Finding) =>
      f.kind === 'changed' ||
      (f.kind === 'needs-human' && f.problem !== undefined && f.file !== undefined && changed.has(f.file));
    const findings = result.findings
      .filter((f) => f.ruleId === step.ruleId && made(f))
      .map((f) => ({
        ...(f.file ? { file: toPath(f.file) } : {}),
        ...(f.line ? { line: f.line } : {}),
        message: f.message,
      }))
      .sort(byPlace);
    return files.length || findings.length ? [{ step, files, findings }] : [];
  });
}

export interface AddedDependency {
  name: string;
  /** As written: `^2.2.0`, `==0.1.10`, `>=3.5`; empty when the file names no version. */
  version: string;
  /** The dependency file, relative. */
  file: string;
  dev?: boolean;
}

const PACKAGE_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/**
 * The dependencies the changes add (or whose version they change), read from the dependency
 * files' text before and after: package.json, requirements*.txt / .in, pyproject.toml, Pipfile.
 */
export function dependenciesAdded(changes: FileChange[], toPath: (abs: string) => string): AddedDependency[] {
  const out: AddedDependency[] = [];
  for (const change of changes) {
    const name = basename(change.path);
    const file = toPath(change.path);
    if (name === 'package.json') {
      const before = parseJson(change.before ?? '{}');
      const after = parseJson(change.after);
      for (const section of PACKAGE_SECTIONS) {
        for (const [pkg, version] of Object.entries(after[section] ?? {})) {
          if (before[section]?.[pkg] !== version)
            out.push({
              name: pkg,
              version: String(version),
              file,
              ...(section === 'devDependencies' ? { dev: true } : {}),
            });
        }
      }
    } else if (/^requirements.*\.(txt|in)$/.test(name) || /(^|\/)requirements\/[^/]+\.(txt|in)$/.test(file)) {
      for (const { text } of addedLines(change)) {
        const comment = text.search(/(?:^|\s)#/);
        const requirement = parseRequirement(comment === -1 ? text : text.slice(0, comment));
        if (requirement) out.push({ ...requirement, file });
      }
    } else if (name === 'pyproject.toml' || name === 'Pipfile') {
      const quotedBefore = new Set([...(change.before ?? '').matchAll(/["']([^"'\n]+)["']/g)].map((m) => m[1]));
      for (const { text, section } of addedLines(change)) {
        const comment = text.search(/\s#/);
        const line = comment === -1 ? text : text.slice(0, comment);
        const assignment = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*(.+)$/.exec(line);
        // PEP 621 arrays: `[project] dependencies`, optional dependencies and dependency groups.
        const pep621 =
          section === 'project'
            ? !assignment || assignment[1] === 'dependencies'
            : /^(project\.optional-dependencies|dependency-groups)$/.test(section) &&
              (!assignment || assignment[2]!.trim().startsWith('['));
        if (pep621) {
          // Requirement strings, one per line or several on a line.
          for (const [, quoted] of line.matchAll(/["']([^"'\n]+)["']/g)) {
            const requirement = !quotedBefore.has(quoted) && parseRequirement(quoted!);
            if (requirement) out.push({ ...requirement, file, ...(section !== 'project' ? { dev: true } : {}) });
          }
        } else if (
          assignment &&
          /(^|\.)(dependencies|packages|dev-packages)$/.test(section) &&
          assignment[1] !== 'python'
        ) {
          // Poetry and Pipfile: `name = "^1.0"` or `name = { version = ">=1.0", … }`.
          const value = assignment[2]!.trim();
          const version =
            /^["']([^"']*)["']/.exec(value)?.[1] ?? /version\s*=\s*["']([^"']*)["']/.exec(value)?.[1] ?? '';
          out.push({
            name: assignment[1]!,
            version: version === '*' ? '' : version,
            file,
            ...(/dev|group\.(?!main)/.test(section) ? { dev: true } : {}),
          });
        }
      }
    }
  }
  return out.sort((a, b) => cmp(a.file, b.file) || cmp(a.name, b.name));
}

function parseJson(text: string): Partial<Record<(typeof PACKAGE_SECTIONS)[number], Record<string, unknown>>> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, Record<string, unknown>>) : {};
  } catch {
    return {};
  }
}

/** `Flask-Limiter>=3.5`, `slowapi==0.1.10 ; python_version >= "3.9"` → name and version spec. */
function parseRequirement(text: string): { name: string; version: string } | undefined {
  const line = text.split(';')[0]!.trim();
  if (!line || line.startsWith('-')) return undefined;
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?(.*)$/.exec(line);
  if (!match) return undefined;
  // The specifiers one by one (one pattern over all of them backtracked: `[^\s,]+` also takes `=`).
  const spec = match[3]!.trim();
  if (spec && !spec.split(',').every((part) => /^\s*(?:===|[<>=!~]=?)\s*[^\s,]+\s*$/.test(part))) return undefined;
  return { name: match[1]!, version: spec.replace(/\s+/g, '') };
}

/** `[tool.poetry.dependencies]`, `[[tool.uv.index]]  # note` → the table's name (read by hand: linear on any line). */
function tableHeader(line: string): string | undefined {
  const text = line.trim();
  if (!text.startsWith('[')) return undefined;
  const open = text.startsWith('[[') ? 2 : 1;
  const close = text.indexOf(']', open);
  const name = close === -1 ? '' : text.slice(open, close).trim();
  const rest = text.slice(text.startsWith(']]', close) ? close + 2 : close + 1).trim();
  return name && (!rest || rest.startsWith('#')) ? name : undefined;
}

/**
 * The after text's lines that the before text does not have (each before line cancels one equal
 * line), with the TOML table each lies in. Our edits insert whole lines, so this is their diff.
 */
function addedLines(change: FileChange): { text: string; section: string }[] {
  const left = new Map<string, number>();
  for (const line of (change.before ?? '').split(/\r?\n/)) left.set(line, (left.get(line) ?? 0) + 1);
  let section = '';
  const out: { text: string; section: string }[] = [];
  for (const line of change.after.split(/\r?\n/)) {
    const header = tableHeader(line);
    if (header) section = header.replace(/["']/g, '');
    const count = left.get(line) ?? 0;
    if (count > 0) left.set(line, count - 1);
    else if (line.trim()) out.push({ text: line, section });
  }
  return out;
}

export interface AddedEnvName {
  name: string;
  /** The env example file, relative. */
  file: string;
  /** The comment heading its block, when there is one. */
  comment?: string;
}

/** The env var names the changes add to env example files (`.env.example` and its kin). */
export function envNamesAdded(changes: FileChange[], toPath: (abs: string) => string): AddedEnvName[] {
  const out: AddedEnvName[] = [];
  for (const change of changes) {
    if (!ENV_EXAMPLE_FILES.includes(basename(change.path))) continue;
    const nameOf = (line: string) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    const before = new Set((change.before ?? '').split(/\r?\n/).map(nameOf));
    const lines = change.after.split(/\r?\n/);
    lines.forEach((line, index) => {
      const name = nameOf(line);
      if (!name || before.has(name) || out.some((e) => e.name === name && e.file === toPath(change.path))) return;
      // The block's comment: the nearest line above, past the block's other names, that is one.
      let above = index - 1;
      while (above >= 0 && nameOf(lines[above]!)) above -= 1;
      const text = (lines[above] ?? '').trim();
      const comment = text.startsWith('#') ? text.slice(1).trim() || undefined : undefined;
      out.push({ name, file: toPath(change.path), ...(comment ? { comment } : {}) });
    });
  }
  return out.sort((a, b) => cmp(a.file, b.file) || cmp(a.name, b.name));
}

interface EnvGroup {
  /** The app folder, relative (`.` for the root). */
  app: string;
  where: string;
  names: { name: string; what: string; secret: boolean; added?: string }[];
}

/**
 * What to set in deployment, per app: what `detect` found the code needs, plus the names the
 * changes add to env examples (the limiter's store, the CORS allowlist, a key moved out of code).
 */
function deploymentEnv(report: DetectReport, changes: FileChange[], toPath: (abs: string) => string): EnvGroup[] {
  const apps = report.deployment.map((d) => ({ root: toPath(join(report.root, d.root)), d }));
  const groups = new Map<string, EnvGroup>();
  const groupOf = (root: string, where: string) =>
    groups.get(root) ?? groups.set(root, { app: root, where, names: [] }).get(root)!;
  for (const { root, d } of apps) {
    if (!d.env.length) continue;
    const group = groupOf(root, d.env[0]!.where);
    for (const e of d.env) group.names.push({ name: e.name, what: e.purpose, secret: e.secret });
  }
  for (const added of envNamesAdded(changes, toPath)) {
    const app = appOf(apps, added.file);
    const group = groupOf(app?.root ?? '.', app?.d.env[0]?.where ?? hostSettings(app?.d.platforms ?? []));
    const known = group.names.find((n) => n.name === added.name);
    if (known) known.added ??= added.file;
    else group.names.push({ name: added.name, what: added.comment ?? '', secret: false, added: added.file });
  }
  return [...groups.values()]
    .map((g) => ({ ...g, names: g.names.sort((a, b) => cmp(a.name, b.name)) }))
    .sort((a, b) => cmp(a.app, b.app));
}

/** Where an app whose code needed no env var before sets one (the report says where only per var). */
function hostSettings(platforms: string[]): string {
  return platforms.length ? `the ${platforms.join(' / ')} environment settings` : "your host's environment settings";
}

interface HumanItem {
  severity: Severity;
  file?: string;
  line?: number;
  message: string;
  fix?: string;
}

/**
 * What the change leaves to a human: the steps' `needs-human` findings, files a step could not
 * change, and what only `detect` finds (keys in platform files, apps of frameworks not handled,
 * the findings of steps that did not run). Silenced findings stay silent.
 */
function needsHuman(
  report: DetectReport,
  result: RunResult,
  steps: StepMeta[],
  toPath: (abs: string) => string,
): HumanItem[] {
  const ran = new Set(steps.map((s) => s.ruleId));
  const reportPath = (f: ReportFinding) => (f.file ? toPath(join(report.root, f.file)) : undefined);
  const silenced = new Set(
    report.findings.filter((f) => f.silenced).map((f) => `${f.ruleId}\0${reportPath(f) ?? ''}\0${f.message}`),
  );
  const items: HumanItem[] = [];
  const push = (f: Pick<Finding, 'severity' | 'message' | 'fix' | 'line'>, file: string | undefined) =>
    items.push({
      severity: f.severity,
      ...(file ? { file } : {}),
      ...(f.line ? { line: f.line } : {}),
      message: f.message,
      ...(f.fix ? { fix: f.fix } : {}),
    });
  for (const f of result.findings) {
    if (f.kind !== 'needs-human') continue;
    const file = f.file ? toPath(f.file) : undefined;
    if (silenced.has(`${f.ruleId}\0${file ?? ''}\0${f.problem?.message ?? f.message}`)) continue;
    push(f, file);
  }
  for (const f of report.findings)
    if (f.kind === 'needs-human' && !f.silenced && !ran.has(f.ruleId)) push(f, reportPath(f));
  for (const f of result.files)
    if (f.status === 'error')
      push({ severity: 'high', line: f.line, message: `not changed: ${f.reason ?? 'error'}` }, toPath(f.path));
  return items.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || byPlace(a, b));
}
