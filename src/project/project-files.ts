import { join } from 'node:path';
import type { Overlay } from './overlay.js';
import { detectStyle } from '../core/style.js';

/** Env files that document names, not values: committed on purpose. `.env.example` first. */
export const ENV_EXAMPLE_FILES = [
  '.env.example',
  '.env.local.example',
  '.env.sample',
  '.env.template',
  'example.env',
  '.env.dist',
];

/** The env example files an app has, in that order. */
export function envExamplesOf(root: string, overlay: Overlay): string[] {
  return ENV_EXAMPLE_FILES.map((name) => join(root, name)).filter((path) => overlay.exists(path));
}

/** Where env var names go: the app's first env example, or a new `.env.example`. */
export function envExampleFor(root: string, overlay: Overlay): string {
  return envExamplesOf(root, overlay)[0] ?? join(root, '.env.example');
}

// Edits to the project files a step touches besides source: package.json and the env example.
// Both are edited as text so that the user's formatting, order and line endings survive.

/**
 * Adds dependencies to a package.json text, keeping its indentation and key order (sorted
 * dependencies stay sorted). Dependencies already present, in any section, are left as they are.
 */
export function addDependencies(text: string, deps: Record<string, string>): string {
  const pkg = JSON.parse(text);
  const present = (name: string) =>
    ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].some((k) => pkg[k]?.[name]);
  const missing = Object.entries(deps).filter(([name]) => !present(name));
  if (!missing.length) return text;
  const current: Record<string, string> = pkg.dependencies ?? {};
  const names = Object.keys(current);
  const sorted = names.every((name, i) => i === 0 || names[i - 1]! <= name);
  const merged = Object.fromEntries(
    sorted
      ? [...Object.entries(current), ...missing].sort(([a], [b]) => (a < b ? -1 : 1))
      : [...Object.entries(current), ...missing],
  );
  pkg.dependencies = merged;
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const eol = detectStyle(text).eol;
  const body = JSON.stringify(pkg, null, indent).replace(/\n/g, eol);
  return body + (/\r?\n$/.test(text) ? eol : '');
}

/**
 * Adds `NAME=` lines (never values) to an env example file, under a comment saying why. Names
 * already documented, set or commented out, are not added again.
 */
export function addEnvNames(text: string | undefined, comment: string, names: string[]): string | undefined {
  const existing = text ?? '';
  const documented = (name: string) =>
    new RegExp(`^[ \\t]*(?:#[ \\t]*)?(export[ \\t]+)?${name}[ \\t]*=`, 'm').test(existing);
  const missing = names.filter((name) => !documented(name));
  if (!missing.length) return text;
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const lead = existing === '' ? '' : existing.endsWith('\n') ? eol : eol + eol;
  return existing + lead + [`# ${comment}`, ...missing.map((name) => `${name}=`)].join(eol) + eol;
}

/**
 * Renames env var names in an env example file (`NEXT_PUBLIC_X=…` → `X=…`), names only: a line
 * whose new name the file already has is dropped. A name in `keep`, which code still reads,
 * stays, and the new name is added on the line after it. Comments and line endings stay.
 */
export function renameEnvNames(
  text: string,
  renames: Map<string, string>,
  keep: ReadonlySet<string> = new Set(),
): string {
  const lines = text.split(/(?<=\n)/);
  const NAME = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=)/;
  const present = new Set(lines.map((line) => NAME.exec(line)?.[2]).filter((name): name is string => Boolean(name)));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return lines
    .flatMap((line) => {
      const match = NAME.exec(line);
      const to = match && renames.get(match[2]!);
      if (!match || !to) return [line];
      if (present.has(to)) return keep.has(match[2]!) ? [line] : [];
      present.add(to);
      if (!keep.has(match[2]!)) return [match[1] + to + line.slice(match[1]!.length + match[2]!.length)];
      const ended = line.endsWith('\n') ? line : line + eol;
      return [ended, `${match[1]}${to}=${line.endsWith('\n') ? eol : ''}`];
    })
    .join('');
}

/**
 * The env vars a render.yaml gives a literal value (`- key: NAME` then `value: …`), with where
 * each entry starts. Entries with `sync: false` or `fromGroup` have no value here.
 */
export function renderEnvValues(text: string): { name: string; value: string; index: number }[] {
  return [...text.matchAll(/-[ \t]*key:[ \t]*["']?([A-Z][A-Z0-9_]*)["']?[ \t]*\r?\n[ \t]*value:[ \t]*(\S.*)/g)].map(
    (m) => ({
      name: m[1]!,
      value: m[2]!,
      index: m.index,
    }),
  );
}
