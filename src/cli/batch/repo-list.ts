import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

// The repositories of a batch: from `--repos <file>` and the paths given, each with the name its
// patch, summary and clone folder get. Names and shards are computed on the whole list, so
// every machine of a CI matrix agrees on them.

export interface RepoEntry {
  /** As the user wrote it: a local path or a git URL. */
  source: string;
  /** A git URL to clone, rather than a local folder. */
  remote: boolean;
  /** Unique within the list, safe as a file name: `owner-repo`, or the folder's name. */
  name: string;
}

export class RepoListError extends Error {}

/** `https://…`, `ssh://…`, `git://…`, `file://…` or scp-like `git@host:owner/repo`. */
export function isGitUrl(source: string): boolean {
  return /^(https?|ssh|git|file):\/\//i.test(source) || /^[\w.-]+@[\w.-]+:[^\\]/.test(source);
}

/** A bare repository on disk (`/srv/git/chat.git`): it has no files to change, so it is cloned like a URL. */
function isBareRepo(path: string): boolean {
  return ['HEAD', 'objects', 'refs'].every((name) => existsSync(join(path, name))) && !existsSync(join(path, '.git'));
}

/** One repository per line; blank lines and `#` comments are skipped. */
export function readRepoFile(file: string): string[] {
  if (!existsSync(file)) throw new RepoListError(`--repos: ${file} does not exist`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RepoListError(`--repos: cannot read ${file}: ${(error as Error).message}`);
  }
  if (text.includes('\0'))
    throw new RepoListError(`--repos: ${file} is a binary file; it should list one path or git URL per line`);
  return text
    .split(/\r?\n/)
    .map((line) => withoutComment(line).trim())
    .filter(Boolean);
}

/** The entries, once each (a repository listed twice is processed once), named uniquely. */
export function toEntries(sources: string[]): RepoEntry[] {
  const seen = new Set<string>();
  const used = new Map<string, number>();
  const entries: RepoEntry[] = [];
  for (const source of sources) {
    const remote = isGitUrl(source) || isBareRepo(source);
    const key = isGitUrl(source)
      ? source.replace(/\/$/, '').replace(/\.git$/, '')
      : resolve(source).replace(/\.git$/, '');
    if (seen.has(key)) continue;
    seen.add(key);
    const base = safeName(isGitUrl(source) ? remoteName(key) : basename(key) || 'root');
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    entries.push({ source, remote, name: count === 1 ? base : `${base}-${count}` });
  }
  return entries;
}

/** `https://github.com/acme/chat.git` → `acme-chat`: owner and repository, the last two parts. */
function remoteName(url: string): string {
  const parts = url.split(/[/:]/).filter(Boolean);
  return parts.slice(-2).join('-');
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'repo';
}

/** `--shard i/n`: 1 ≤ i ≤ n, both whole numbers. */
export function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new RepoListError(`--shard must be i/n with 1 ≤ i ≤ n, such as 1/4 (got "${value}")`);
  }
  return { index, count };
}

/**
 * The repositories shard i of n processes: every n-th one, starting at the i-th, in list order.
 * The same list gives every machine the same split, the shards together cover every repository
 * exactly once, and their sizes differ by one at most.
 */
export function selectShard<T>(entries: T[], shard: { index: number; count: number }): T[] {
  return entries.filter((_, position) => position % shard.count === shard.index - 1);
}

/** The line before a `#` that starts it or follows a blank (a search, then a slice: linear on any line). */
function withoutComment(line: string): string {
  const at = line.search(/(?:^|\s)#/);
  return at === -1 ? line : line.slice(0, at);
}
