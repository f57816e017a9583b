import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
