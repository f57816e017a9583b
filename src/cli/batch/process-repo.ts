import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stepOptions } from '../../engine/registry.js';
import { transforms } from '../../engine/steps.js';
import { optionsOf } from '../command-options.js';
import { loadConfig } from '../../engine/config.js';
import { buildDetectReport } from '../../report/build.js';
import { formatPatch } from '../../engine/diff.js';
import { discoverFiles } from '../../project/discover.js';
import { findGitRoot, uncommittedChanges } from '../../project/git.js';
import { optionResolver } from '../../engine/options.js';
import { packageVersion } from '../../core/package-root.js';
import { runSteps } from '../../engine/runner.js';
import { maskSecrets } from '../../core/secrets.js';
import { writeChanges } from '../../engine/write.js';
import { changeTitle, changesPerStep, formatPullRequestBody } from '../../report/format/pull-request.js';
import { isGitUrl, type RepoEntry } from './repo-list.js';

// One repository of a batch, start to end: clone it when it is a URL, run every step as `all`
// does, write its patch and pull-request body, and commit the changes on their own branch.
// Whatever goes wrong is this repository's result, never an exception: the batch goes on.

export interface RepoJob {
  entry: RepoEntry;
  /** Where `<name>.patch` and `<name>.md` go (absolute). */
  outDir: string;
  /** Where URLs are cloned, one folder per repository (absolute). */
  workDir: string;
  /** Commit the changes on this new branch; unset: change nothing in the repository. */
  branch?: string;
  /** The slugs of the steps to run, in workflow order. */
  steps: string[];
  /** Transform options, camelCase, as the single commands take them. */
  options: Record<string, unknown>;
}

export type RepoStatus = 'changed' | 'unchanged' | 'skipped' | 'error';

export interface RepoResult {
  source: string;
  name: string;
  status: RepoStatus;
  /** The folder processed: the path given, or the clone of a URL. */
  dir?: string;
  /** Why it was skipped or failed. */
  reason?: string;
  /** Files changed or created. */
  changes: number;
  /** Findings left to a human. */
  findings: number;
  /** Files a step could not process (the rest of the repository was still done). */
  fileErrors: number;
  /** Checklist items failing before the change. */
  checksFailing?: number;
  /** What the change does, for the pull request's title (`Rate-limit the AI endpoints, …`). */
  title?: string;
  branch?: string;
  commit?: string;
  patch?: string;
  summary?: string;
  ms: number;
}

export async function processRepo(job: RepoJob): Promise<RepoResult> {
  const started = performance.now();
  let base: Pick<RepoResult, 'source' | 'name' | 'changes' | 'findings' | 'fileErrors' | 'dir'> = {
    source: job.entry.source,
    name: job.entry.name,
    changes: 0,
    findings: 0,
    fileErrors: 0,
  };
  const done = (
    result: Omit<RepoResult, 'source' | 'name' | 'ms' | 'changes' | 'findings' | 'fileErrors'> & Partial<RepoResult>,
  ): RepoResult => ({
    ...base,
    ...result,
    ...(result.reason ? { reason: maskSecrets(result.reason) } : {}),
    ms: Math.round(performance.now() - started),
  });
  try {
    const dir = job.entry.remote ? cloneOrUpdate(job.entry, job.workDir) : resolve(job.entry.source);
    if (!existsSync(dir)) return done({ status: 'error', reason: `path not found: ${job.entry.source}` });
    base = { ...base, dir };
    const gitRoot = findGitRoot(dir);

    if (job.branch) {
      if (!gitRoot)
        return done({
          status: 'skipped',
          reason: `not a git repository: --branch needs one (run without --branch for a patch only)`,
        });
      const dirty = uncommittedChanges(gitRoot, ['.']);
      if (dirty.length)
        return done({
          status: 'skipped',
          reason: `uncommitted changes (${dirty.length} files): commit or stash them first`,
        });
      if (git(gitRoot, ['branch', '--list', job.branch]).trim())
        return done({
          status: 'skipped',
          reason: `branch ${job.branch} already exists: delete it or choose another --branch`,
        });
    }

    // The repository's own config applies as in a single run; a bad one fails only this repository.
    const { config } = loadConfig(dir, gitRoot ?? dir, stepOptions());
    const steps = transforms.filter((t) => job.steps.includes(t.meta.slug));
    const problem = optionResolver(optionsOf(steps), job.options, config).check();
    if (problem) return done({ status: 'error', reason: problem });
    // Listed once for both passes: the report of the files as they are, then the steps in order.
    const files = discoverFiles([dir]);
    const { report } = await buildDetectReport([dir], config, files);
    const result = runSteps(steps, [dir], job.options, { config, files });
    const root = gitRoot ?? dir;
    const rel = (path: string) => relative(root, path).split('\\').join('/');

    const counts = {
      changes: result.changes.length,
      findings: result.findings.filter((f) => f.kind === 'needs-human').length,
      fileErrors: result.files.filter((f) => f.status === 'error').length,
      checksFailing: report.checklist.filter((item) => !item.passed).length,
    };
    mkdirSync(job.outDir, { recursive: true });
    const summary = join(job.outDir, `${job.entry.name}.md`);
    const metas = steps.map((s) => s.meta);
    writeFileSync(
      summary,
      formatPullRequestBody({ result, report, steps: metas, toPath: rel, version: packageVersion() }),
    );
    if (!result.changes.length) return done({ status: 'unchanged', ...counts, summary });

    const patch = join(job.outDir, `${job.entry.name}.patch`);
    writeFileSync(patch, formatPatch(result.changes, rel, false));
    const what = changeTitle(changesPerStep(result, metas, rel));
    const title = what.charAt(0).toUpperCase() + what.slice(1);
    if (!job.branch) return done({ status: 'changed', ...counts, title, patch, summary });

    const commit = commitOnBranch(
      root,
      job.branch,
      result.changes,
      commitMessage(
        title,
        result.changes.map((c) => rel(c.path)),
      ),
    );
    return done({ status: 'changed', ...counts, title, patch, summary, branch: job.branch, commit });
  } catch (error) {
    return done({ status: 'error', reason: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * A shallow clone in the work folder; on a later run the same folder is brought up to the
 * remote's default branch (when it holds no work of ours: a dirty clone is left as it is).
 */
function cloneOrUpdate(entry: RepoEntry, workDir: string): string {
  const dir = join(workDir, entry.name);
  if (!existsSync(join(dir, '.git'))) {
    mkdirSync(workDir, { recursive: true });
    // A bare repository on disk as a file:// URL: git makes local clones shallow only that way.
    const url = isGitUrl(entry.source) ? entry.source : pathToFileURL(resolve(entry.source)).href;
    git(workDir, ['clone', '--quiet', '--depth', '1', '--no-tags', '--', url, dir]);
    return dir;
  }
  if (uncommittedChanges(dir, ['.']).length)
    throw new Error(`the clone in ${dir} has uncommitted changes; remove it to clone again`);
  git(dir, ['fetch', '--quiet', '--depth', '1', '--no-tags', 'origin', 'HEAD']);
  git(dir, ['switch', '--quiet', '--detach', 'FETCH_HEAD']);
  return dir;
}

/**
 * Writes the changes on a new branch with one commit, then goes back to where the repository
 * was, so its working tree is as we found it and the branch waits for review (or a push).
 */
function commitOnBranch(
  root: string,
  branch: string,
  changes: ReturnType<typeof runSteps>['changes'],
  message: string,
): string {
  const back =
    git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], true).trim() || git(root, ['rev-parse', 'HEAD']).trim();
  git(root, ['switch', '--quiet', '-c', branch]);
  try {
    writeChanges(changes);
    // -f: a created .env.example must be committed even where a broad `.env*` rule ignores it.
    git(root, ['add', '-f', '--', ...changes.map((c) => relative(root, c.path))]);
    git(root, [...identity(root), 'commit', '--quiet', '--no-verify', '-m', message]);
    return git(root, ['rev-parse', 'HEAD']).trim();
  } catch (error) {
    // Nothing committed: take our created files away too (the switch back restores the rest).
    for (const change of changes) if (change.before === null) rmSync(change.path, { force: true });
    throw error;
  } finally {
    // Back to the branch (or commit) we started on; our files go with the branch we made.
    git(
      root,
      ['switch', '--quiet', '--discard-changes', ...(/^[0-9a-f]{40}$/.test(back) ? ['--detach'] : []), back],
      true,
    );
  }
}

/** The repository's own author when it has one; ours otherwise (a fresh CI clone has none). */
function identity(root: string): string[] {
  const has = (key: string) => git(root, ['config', '--get', key], true).trim() !== '';
  return has('user.email') && has('user.name')
    ? []
    : ['-c', 'user.name=ai-secure-codemods', '-c', 'user.email=ai-secure-codemods@users.noreply.github.com'];
}

/** The title, then the files, for `git log` and reviewers. */
export function commitMessage(title: string, files: string[]): string {
  const shown = files.slice(0, 20).map((f) => `- ${f}`);
  if (files.length > shown.length) shown.push(`- and ${files.length - shown.length} more`);
  return [
    title,
    '',
    `Made by ai-secure-codemods ${packageVersion()}, which applies the API security workflow (rate`,
    'limiting, CORS, env files, server-side keys). The pull-request body lists what still needs a',
    'human and the env vars to set in deployment.',
    '',
    ...shown,
    '',
  ].join('\n');
}

/** Runs git; its stderr becomes the error message. `quiet`: a failure gives '' instead. */
function git(cwd: string, args: string[], quiet = false): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
  } catch (error) {
    if (quiet) return '';
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    throw new Error(`git ${args[0]} failed${stderr ? `: ${stderr.split('\n').slice(-3).join(' ')}` : ''}`);
  }
}
