import { spawnSync } from 'node:child_process';
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { findGitRoot } from './git.js';
import { ignoreLevel, isIgnored, type IgnoreLevel } from './gitignore-rules.js';

/** Build output, dependencies and virtualenvs: never user source, whatever .gitignore says. */
export const ALWAYS_SKIPPED_DIRS = new Set([
  'node_modules',
  '.next',
  'dist',
  'build',
  'out',
  '.venv',
  'venv',
  '.git',
  '.turbo',
  '.vercel',
  '.svelte-kit',
  '__pycache__',
  'coverage',
]);

export class MissingPathError extends Error {}

/**
 * Every file under `paths` that git would consider: inside a git work tree, git itself lists them
 * (tracked files, and untracked ones its ignore rules keep), which is exact and fast; elsewhere a
 * walk applies .gitignore files with git's precedence (the deepest .gitignore that has a say
 * about a path wins, and those above the given path, up to the repository root, count too).
 * A path named explicitly is always included, as with jscodeshift.
 */
export function discoverFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const given of paths) {
    const start = resolve(given);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(start);
    } catch {
      throw new MissingPathError(`path not found: ${given}`);
    }
    if (!stats.isDirectory()) {
      files.push(start);
      continue;
    }
    const gitRoot = findGitRoot(start);
    const listed = gitRoot ? gitListFiles(gitRoot, start) : undefined;
    if (listed) files.push(...listed);
    else walk(start, inheritedIgnores(start, gitRoot), files);
  }
  return [...new Set(files)];
}

/**
 * `git ls-files` for the files under `start`: tracked ones (not submodules, links or deleted
 * files) and untracked ones that no ignore rule covers. Undefined when git cannot answer (no
 * git on PATH, not a work tree it knows): the caller walks instead.
 */
function gitListFiles(gitRoot: string, start: string): string[] | undefined {
  const scope = relative(gitRoot, start) || '.';
  const git = (...args: string[]) =>
    spawnSync('git', ['-c', 'core.quotepath=off', 'ls-files', '-z', ...args, '--', scope], {
      cwd: gitRoot,
      maxBuffer: 1 << 30,
    });
  const tracked = git('--cached', '--stage');
  const untracked = git('--others', '--exclude-standard');
  const deleted = git('--deleted');
  if (tracked.status !== 0 || untracked.status !== 0 || deleted.status !== 0) return undefined;
  const gone = new Set(split(deleted.stdout));
  const paths = [
    // `<mode> <object> <stage>\t<path>`: regular files only (100644, 100755), once each.
    ...new Set(
      split(tracked.stdout).flatMap((entry) =>
        /^100\d{3} /.test(entry) ? [entry.slice(entry.indexOf('\t') + 1)] : [],
      ),
    ),
    ...split(untracked.stdout),
  ];
  return paths
    .filter((path) => !gone.has(path) && !path.split('/').some((segment) => ALWAYS_SKIPPED_DIRS.has(segment)))
    .map((path) => join(gitRoot, path));
}

function split(output: Buffer): string[] {
  return output.toString('utf8').split('\0').filter(Boolean);
}

function walk(dir: string, levels: IgnoreLevel[], files: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // unreadable directory: nothing of ours to change there
  }
  const own = loadGitignore(dir);
  const active = own ? [...levels, own] : levels;
  for (const entry of entries) {
    const isDir = entry.isDirectory();
    if (isDir && ALWAYS_SKIPPED_DIRS.has(entry.name)) continue;
    if (!isDir && !entry.isFile()) continue; // symlinks and sockets: not followed
    const path = join(dir, entry.name);
    if (isIgnored(path, isDir, active)) continue;
    if (isDir) walk(path, active, files);
    else files.push(path);
  }
}

/** .gitignore files from the repository root down to (not including) `start`. */
function inheritedIgnores(start: string, gitRoot: string | undefined): IgnoreLevel[] {
  if (!gitRoot || gitRoot === start) return [];
  const chain: string[] = [];
  for (let dir = dirname(start); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dir === gitRoot || dirname(dir) === dir) break;
  }
  return chain.map(loadGitignore).filter((level): level is IgnoreLevel => level !== undefined);
}

function loadGitignore(dir: string): IgnoreLevel | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return ignoreLevel(dir, text);
}
