import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  const scope = relative(gitRoot, dir) || '.';
  const out = spawnSync('git', ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--', scope], { cwd: gitRoot, maxBuffer: 1 << 30 });
  if (out.status !== 0) return [];
  return out.stdout.toString('utf8').split('\0').filter(Boolean).map((path) => join(gitRoot, path));
}
