import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The top of the git work tree that holds `dir`, or undefined outside any repository. */
export function findGitRoot(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * Uncommitted changes under `paths` (porcelain lines). Write mode refuses to run on these unless
 * --force: the user must be able to review and undo our edits with git alone.
 */
export function uncommittedChanges(gitRoot: string, paths: string[]): string[] {
  const out = execFileSync('git', ['status', '--porcelain', '--', ...paths], {
    cwd: gitRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split('\n').filter(Boolean);
}

/** Files git tracks under `dir` (absolute paths); empty outside a work tree or without git. */
export function trackedFiles(gitRoot: string, dir: string): string[] {
  const scope = relative(gitRoot, dir).split('\\').join('/');
  const prefix = scope ? `${scope}/` : '';
  return trackedInRepository(gitRoot)
    .filter((path) => path.startsWith(prefix))
    .map((path) => join(gitRoot, path));
}

/**
 * Every path the index holds, listed once per repository and index: each app root of a monorepo
 * asks, and a batch worker asks again for every run. Git replaces the index file whenever it
 * changes it (a new inode), so its inode, size and time tell a stale listing from a good one.
 */
function trackedInRepository(gitRoot: string): string[] {
  const stamp = indexStamp(gitRoot);
  const cached = trackedCache.get(gitRoot);
  if (stamp && cached?.stamp === stamp) return cached.paths;
  const out = spawnSync('git', ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached'], {
    cwd: gitRoot,
    maxBuffer: 1 << 30,
  });
  const paths = out.status === 0 ? out.stdout.toString('utf8').split('\0').filter(Boolean) : [];
  if (stamp) trackedCache.set(gitRoot, { stamp, paths });
  return paths;
}

const trackedCache = new Map<string, { stamp: string; paths: string[] }>();

/** Undefined where the index is not a plain file we can watch (a worktree's `.git` file): no cache. */
function indexStamp(gitRoot: string): string | undefined {
  try {
    const git = statSync(join(gitRoot, '.git'));
    if (!git.isDirectory()) return undefined;
    const index = statSync(join(gitRoot, '.git', 'index'), { throwIfNoEntry: false });
    return index ? `${index.ino}:${index.size}:${index.mtimeMs}` : 'no index';
  } catch {
    return undefined;
  }
}
