import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Ignore } from 'ignore';
import { findGitRoot } from './git.js';
import { lazyRequire } from './lazy-require.js';

const ignore = lazyRequire<typeof import('ignore')>('ignore');

/** Build output, dependencies and virtualenvs: never user source, whatever .gitignore says. */
export const ALWAYS_SKIPPED_DIRS = new Set([
  'node_modules', '.next', 'dist', 'build', 'out', '.venv', 'venv', '.git',
  '.turbo', '.vercel', '.svelte-kit', '__pycache__', 'coverage',
]);

interface IgnoreLevel {
  dir: string;
  rules: Ignore;
}

export class MissingPathError extends Error {}

/**
 * Every file under `paths`, honouring .gitignore files with git's precedence: the deepest
 * .gitignore that has a say about a path wins, and .gitignore files above the given path (up to
 * the repository root) count too, because git applies them there. A path named explicitly is
 * always included, as with jscodeshift.
 */
export function discoverFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const given of paths) {
    const start = resolve(given);
    let stats;
    try {
      stats = statSync(start);
    } catch {
      throw new MissingPathError(`path not found: ${given}`);
    }
    if (!stats.isDirectory()) {
      files.push(start);
      continue;
    }
    walk(start, inheritedIgnores(start), files);
  }
  return [...new Set(files)];
}

function walk(dir: string, levels: IgnoreLevel[], files: string[]): void {
  let entries;
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

function isIgnored(path: string, isDir: boolean, levels: IgnoreLevel[]): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const { dir, rules } = levels[i]!;
    // `path` was joined under `dir` by the walk, so slicing gives the relative path cheaply.
    const rel = toPosix(path.slice(dir.length + 1)) + (isDir ? '/' : '');
    const verdict = rules.test(rel);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

const toPosix = sep === '/' ? (path: string) => path : (path: string) => path.split(sep).join('/');

/** .gitignore files from the repository root down to (not including) `start`. */
function inheritedIgnores(start: string): IgnoreLevel[] {
  const gitRoot = findGitRoot(start);
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
  return { dir, rules: ignore()().add(text) };
}
