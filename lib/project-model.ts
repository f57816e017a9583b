import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { lazyRequire } from './lazy-require.js';
import { ModuleGraph } from './module-graph.js';
import type { Overlay } from './overlay.js';
import { PythonGraph } from './python-graph.js';

const jsonc = lazyRequire<typeof import('jsonc-parser')>('jsonc-parser');

export interface PathAlias {
  /** `@/` for `"@/*": ["./src/*"]`; the whole key for an alias without a wildcard. */
  prefix: string;
  /** Absolute directory (or file, without wildcard) the prefix maps to. */
  target: string;
  wildcard: boolean;
}

export type RouteKind = 'app' | 'pages';

export interface RouteFile {
  path: string;
  kind: RouteKind;
  /** The URL path it serves, e.g. `/api/chat/[id]` (route groups removed). */
  route: string;
}

export interface NextApp {
  root: string;
  name: string;
  packageJson?: string;
  nextVersion?: string;
  typescript: boolean;
  /** `src/app` or `app`, when the App Router is used. */
  appDir?: string;
  /** `src/pages` or `pages`, when the Pages Router is used. */
  pagesDir?: string;
  /** Where shared code lives: `<root>/src` in a src/ layout, else the root. */
  sourceRoot: string;
  aliases: PathAlias[];
  routes: RouteFile[];
  /** Every discovered JS/TS file that belongs to this app (for Server Actions and the report). */
  files: string[];
}

export interface ProjectModel {
  apps: NextApp[];
  /** Every file the walk found, for steps that look beyond Next.js apps (Python, env files). */
  files: string[];
  graph: ModuleGraph;
  /** The Python side: which modules and names reach AI (modules are parsed when first asked about). */
  python: PythonGraph;
  /** Files that belong to no app: reported, never changed by app-level steps. */
  orphanFiles: string[];
}

export const NEXT_CONFIG = /^next\.config\.(js|mjs|cjs|ts|mts)$/;
const ROUTE_FILE = /^route\.(ts|tsx|js|jsx|mjs)$/;
const PAGES_API_FILE = /\.(ts|tsx|js|jsx|mjs)$/;
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/**
 * The project model: every Next.js app under the given paths with its layout, aliases and route
 * files, plus the module graph that answers "does this reach an AI call". Built once per run and
 * shared by every step. `files` are the files the steps look at; `resolvable` (by default the
 * same) the ones imports may resolve to (files the config excludes are among them).
 */
export function buildProjectModel(files: string[], givenPaths: string[], overlay: Overlay, resolvable: string[] = files): ProjectModel {
  const roots = findAppRoots(files, givenPaths);
  const apps = roots.map((root) => describeApp(root));
  const byDepth = [...apps].sort((a, b) => b.root.length - a.root.length);
  const orphanFiles: string[] = [];
  for (const file of files) {
    if (!SOURCE_FILE.test(file)) continue;
    const app = byDepth.find((candidate) => isInside(file, candidate.root));
    if (!app) {
      orphanFiles.push(file);
      continue;
    }
    app.files.push(file);
    const route = routeOf(app, file);
    if (route) app.routes.push(route);
  }
  const walked = givenPaths.map((p) => resolve(p));
  const known = new Set(resolvable);
  const graph = new ModuleGraph(overlay, apps, workspacePackages(resolvable), known, walked);
  return { apps, files, graph, python: new PythonGraph(overlay, known), orphanFiles };
}

/**
 * An app root is a folder whose package.json depends on `next`, or that has a next.config.*.
 * A given path inside an app (say `my-app/app/api`) still finds the app above it.
 */
function findAppRoots(files: string[], givenPaths: string[]): string[] {
  const roots = new Set<string>();
  // A package that depends on next without app/ or pages/ is a library for apps (a monorepo's
  // ui or seo package), not an app.
  const candidates = files.filter((file) => basename(file) === 'package.json' && dependsOnNext(file)).map(dirname);
  const routerDirs = new Set(candidates.flatMap((dir) => ['app', 'pages', 'src/app', 'src/pages'].map((r) => join(dir, r) + sep)));
  const withRouter = new Set(files.flatMap((file) => [...routerDirs].filter((r) => file.startsWith(r)).map((r) => r)));
  for (const file of files) if (NEXT_CONFIG.test(basename(file))) roots.add(dirname(file));
  for (const dir of candidates) if (['app', 'pages', 'src/app', 'src/pages'].some((r) => withRouter.has(join(dir, r) + sep))) roots.add(dir);
  for (const given of givenPaths) {
    for (let dir = resolve(given); ; dir = dirname(dir)) {
      if (roots.has(dir)) break;
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg) && dependsOnNext(pkg)) {
        roots.add(dir);
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  return [...roots].sort();
}

function readJson(path: string): Record<string, any> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const value = jsonc().parse(readFileSync(path, 'utf8'));
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function dependsOnNext(packageJson: string): boolean {
  const pkg = readJson(packageJson);
  return Boolean(pkg?.dependencies?.next ?? pkg?.devDependencies?.next);
}

export function describeApp(root: string): NextApp {
  const packageJson = existsSync(join(root, 'package.json')) ? join(root, 'package.json') : undefined;
  const pkg = packageJson ? readJson(packageJson) : undefined;
  const firstDir = (...candidates: string[]) => candidates.map((c) => join(root, c)).find((dir) => existsSync(dir));
  const appDir = firstDir('src/app', 'app');
  const pagesDir = firstDir('src/pages', 'pages');
  const srcLayout = [appDir, pagesDir].some((dir) => dir?.startsWith(join(root, 'src') + sep));
  const typescript = existsSync(join(root, 'tsconfig.json'));
  return {
    root,
    name: pkg?.name ?? basename(root),
    packageJson,
    nextVersion: pkg?.dependencies?.next ?? pkg?.devDependencies?.next,
    typescript,
    appDir,
    pagesDir,
    sourceRoot: srcLayout ? join(root, 'src') : root,
    aliases: readAliases(join(root, typescript ? 'tsconfig.json' : 'jsconfig.json')),
    routes: [],
    files: [],
  };
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

export function routeOf(app: NextApp, file: string): RouteFile | undefined {
  const name = basename(file);
  if (app.appDir && isInside(file, app.appDir) && ROUTE_FILE.test(name)) {
    const segments = relative(app.appDir, dirname(file)).split(sep).filter(Boolean);
    // `_folder` is private in the App Router: never routed.
    if (segments.some((segment) => segment.startsWith('_'))) return undefined;
    const visible = segments.filter((segment) => !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
    return { path: file, kind: 'app', route: '/' + visible.join('/') };
  }
  const apiDir = app.pagesDir && join(app.pagesDir, 'api');
  if (apiDir && isInside(file, apiDir) && PAGES_API_FILE.test(name) && !name.endsWith('.d.ts')) {
    const rest = relative(app.pagesDir!, file).split(sep).join('/').replace(PAGES_API_FILE, '');
    return { path: file, kind: 'pages', route: '/' + rest.replace(/\/index$/, '') };
  }
  return undefined;
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

export function isInside(file: string, dir: string): boolean {
  return file.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** The Next.js app a file belongs to, found by walking up from it (for per-file use without a model). */
export function findAppRootOf(file: string): string | undefined {
  const visited: string[] = [];
  let found: string | undefined;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (appRootCache.has(dir)) {
      found = appRootCache.get(dir);
      break;
    }
    visited.push(dir);
    const pkg = join(dir, 'package.json');
    if ((existsSync(pkg) && dependsOnNext(pkg)) || ['js', 'mjs', 'cjs', 'ts', 'mts'].some((ext) => existsSync(join(dir, `next.config.${ext}`)))) {
      found = dir;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  for (const dir of visited) appRootCache.set(dir, found);
  return found;
}

/** Folder → the app root above it (or none): per-file callers ask about the same folders often. */
const appRootCache = new Map<string, string | undefined>();

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
