// What a JavaScript project's manifests say: package.json (names, workspaces) and
// tsconfig/jsconfig path aliases. Read leniently (JSON with comments), never written here.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { lazyRequire } from '../core/lazy-require.js';

const jsonc = lazyRequire<typeof import('jsonc-parser')>('jsonc-parser');

export interface PathAlias {
  /** `@/` for `"@/*": ["./src/*"]`; the whole key for an alias without a wildcard. */
  prefix: string;
  /** Absolute directory (or file, without wildcard) the prefix maps to. */
  target: string;
  wildcard: boolean;
}

/** A JSON or JSONC file's object, or undefined when it is missing or not an object. */
export function readJson(path: string): Record<string, any> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const value = jsonc().parse(readFileSync(path, 'utf8'));
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `compilerOptions.paths` of a tsconfig/jsconfig, following `extends` to local files. */
export function readAliases(configPath: string, depth = 0): PathAlias[] {
  const config = existsSync(configPath) ? readJson(configPath) : undefined;
  if (!config || depth > 5) return [];
  const dir = dirname(configPath);
  let inherited: PathAlias[] = [];
  const parents = [config.extends].flat().filter((p): p is string => typeof p === 'string' && p.startsWith('.'));
  for (const parent of parents) {
    inherited = readAliases(resolve(dir, parent.endsWith('.json') ? parent : `${parent}.json`), depth + 1);
  }
  const options = config.compilerOptions ?? {};
  if (!options.paths) return inherited;
  const base = resolve(dir, options.baseUrl ?? '.');
  const own: PathAlias[] = [];
  for (const [key, targets] of Object.entries(options.paths as Record<string, string[]>)) {
    const target = Array.isArray(targets) ? targets[0] : undefined;
    if (typeof target !== 'string') continue;
    const wildcard = key.endsWith('*') && target.endsWith('*');
    own.push({
      prefix: wildcard ? key.slice(0, -1) : key,
      target: resolve(base, wildcard ? target.slice(0, -1) : target),
      wildcard,
    });
  }
  return own;
}

/** Package name → folder of every package.json found: workspace packages of a monorepo. */
export function workspacePackages(files: string[]): Map<string, string> {
  const packages = new Map<string, string>();
  for (const file of files) {
    if (basename(file) !== 'package.json') continue;
    const name = readJson(file)?.name;
    if (typeof name === 'string' && !packages.has(name)) packages.set(name, dirname(file));
  }
  return packages;
}

/**
 * The folder a monorepo's workspaces hang from: the highest folder above `appRoot`, within its
 * git repository, whose package.json declares workspaces (or that has a pnpm-workspace.yaml).
 */
export function workspaceRootOf(appRoot: string, gitRoot: string | undefined): string {
  let top = appRoot;
  for (let dir = dirname(appRoot); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml')) || readJson(join(dir, 'package.json'))?.workspaces) top = dir;
    if (dir === gitRoot || dirname(dir) === dir) return top;
  }
}
