// A Next.js app as the steps see it: its root, routers, aliases and route files, found from the
// files the walk listed (package.json depending on next, or a next.config.*).
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isInside } from '../../core/paths.js';
import type { EntryPoints } from '../../project/graph/js.js';
import { readAliases, readJson, type PathAlias } from '../../project/manifests.js';

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

export const NEXT_CONFIG = /^next\.config\.(js|mjs|cjs|ts|mts)$/;
const ROUTE_FILE = /^route\.(ts|tsx|js|jsx|mjs)$/;
const PAGES_API_FILE = /\.(ts|tsx|js|jsx|mjs)$/;
/**
 * An app root is a folder whose package.json depends on `next`, or that has a next.config.*.
 * A given path inside an app (say `my-app/app/api`) still finds the app above it.
 */
export function findAppRoots(files: string[], givenPaths: string[]): string[] {
  const roots = new Set<string>();
  // A package that depends on next without app/ or pages/ is a library for apps (a monorepo's
  // ui or seo package), not an app.
  const candidates = files.filter((file) => basename(file) === 'package.json' && dependsOnNext(file)).map(dirname);
  const routerDirs = new Set(
    candidates.flatMap((dir) => ['app', 'pages', 'src/app', 'src/pages'].map((r) => join(dir, r) + sep)),
  );
  const withRouter = new Set(files.flatMap((file) => [...routerDirs].filter((r) => file.startsWith(r)).map((r) => r)));
  for (const file of files) if (NEXT_CONFIG.test(basename(file))) roots.add(dirname(file));
  for (const dir of candidates)
    if (['app', 'pages', 'src/app', 'src/pages'].some((r) => withRouter.has(join(dir, r) + sep))) roots.add(dir);
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

export function dependsOnNext(packageJson: string): boolean {
  const pkg = readJson(packageJson);
  return Boolean(pkg?.dependencies?.next ?? pkg?.devDependencies?.next);
}

/** The layout of the Next.js app at `root`: routers, source root, aliases (the model adds files and routes). */
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

/** The route a file of the app serves, when it is an App Router route file or a Pages API route. */
export function routeOf(app: NextApp, file: string): RouteFile | undefined {
  const name = basename(file);
  if (app.appDir && isInside(file, app.appDir) && ROUTE_FILE.test(name)) {
    const segments = relative(app.appDir, dirname(file)).split(sep).filter(Boolean);
    // `_folder` is private in the App Router: never routed.
    if (segments.some((segment) => segment.startsWith('_'))) return undefined;
    const visible = segments.filter((segment) => !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
    return { path: file, kind: 'app', route: `/${visible.join('/')}` };
  }
  const apiDir = app.pagesDir && join(app.pagesDir, 'api');
  if (apiDir && isInside(file, apiDir) && PAGES_API_FILE.test(name) && !name.endsWith('.d.ts')) {
    const rest = relative(app.pagesDir!, file).split(sep).join('/').replace(PAGES_API_FILE, '');
    return { path: file, kind: 'pages', route: `/${rest.replace(/\/index$/, '')}` };
  }
  return undefined;
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
    if (
      (existsSync(pkg) && dependsOnNext(pkg)) ||
      ['js', 'mjs', 'cjs', 'ts', 'mts'].some((ext) => existsSync(join(dir, `next.config.${ext}`)))
    ) {
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
 * Where Next.js starts loading code, for the module graph's browser/server walks. Browser: Pages
 * Router pages (not API routes, not `_document`) and `instrumentation-client`. Server: App Router
 * files that are not `'use client'` modules, `pages/api`, `_document`, middleware / proxy,
 * instrumentation and next.config. (`'use client'` / `'use server'` modules anywhere are entry
 * points too; the graph adds those itself.)
 */
export function nextEntryPoints(apps: NextApp[]): EntryPoints {
  const atTop = (app: NextApp, file: string) => dirname(file) === app.root || dirname(file) === app.sourceRoot;
  return {
    browser: () =>
      apps.flatMap((app) => {
        const api = app.pagesDir && join(app.pagesDir, 'api');
        return app.files.filter((file) => {
          const name = basename(file);
          const page =
            app.pagesDir &&
            isInside(file, app.pagesDir) &&
            !isInside(file, api!) &&
            !/^_document\./.test(name) &&
            !name.endsWith('.d.ts');
          return page || (atTop(app, file) && /^instrumentation-client\.\w+$/.test(name));
        });
      }),
    server: (isClientModule) =>
      apps.flatMap((app) =>
        app.files.filter((file) => {
          const name = basename(file);
          return (
            (app.appDir && isInside(file, app.appDir) && !isClientModule(file)) ||
            (app.pagesDir &&
              (isInside(file, join(app.pagesDir, 'api')) ||
                (dirname(file) === app.pagesDir && /^_document\./.test(name)))) ||
            (atTop(app, file) && /^(middleware|proxy|instrumentation)\.\w+$/.test(name)) ||
            (dirname(file) === app.root && NEXT_CONFIG.test(name))
          );
        }),
      ),
  };
}
