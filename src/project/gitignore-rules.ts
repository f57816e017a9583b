import { sep } from 'node:path';
import type { Ignore } from 'ignore';
import { lazyRequire } from '../core/lazy-require.js';

// .gitignore rules with git's precedence, for the walk (discover.ts) and for the steps that ask
// "would git ignore this path?" about files that may not exist yet (gitignore-env).

const ignore = lazyRequire<typeof import('ignore')>('ignore');

/** One .gitignore file: the folder it sits in and its rules. */
export interface IgnoreLevel {
  dir: string;
  text: string;
  rules: Ignore;
}

export function ignoreLevel(dir: string, text: string): IgnoreLevel {
  return { dir, text, rules: ignore()().add(text) };
}

const toPosix = sep === '/' ? (path: string) => path : (path: string) => path.split(sep).join('/');

/**
 * Whether git would ignore `path` given the .gitignore files that apply to it, outermost first:
 * the deepest file that has a say (a match, or a `!` negation) decides. `path` must lie under
 * every level's folder; its parent folders are taken as not ignored (the walk never enters one
 * that is).
 */
export function isIgnored(path: string, isDir: boolean, levels: IgnoreLevel[]): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const { dir, rules } = levels[i]!;
    const rel = toPosix(path.slice(dir.length + 1)) + (isDir ? '/' : '');
    const verdict = rules.test(rel);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}
