import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { findDependencyFile } from '../../project/python-deps.js';
import {
  FASTAPI,
  FLASK,
  findModuleRoutes,
  importedFrameworkObject,
  type PyFramework,
} from '../../frameworks/python/routes.js';
import type { Overlay } from '../../project/overlay.js';
import type { ProjectModel } from '../../frameworks/model.js';
import { workspaceRootOf } from '../../project/manifests.js';
import { isInside } from '../../core/paths.js';
import { isTestFile } from '../../knowledge/test-files.js';
import { findGitRoot } from '../../project/git.js';
import { parsePython } from '../../lang/python/parse.js';
import type { AppInfo, Framework } from '../../core/report-schema.js';

// Step 1 of the workflow: what kind of app is this. Next.js apps come from the project model;
// FastAPI and Flask apps from the modules that create them; other servers (Express, Hono,
// Fastify, Koa, Django) are named so the user knows what we do not handle yet.

/** How each framework is written in reports. */
export const FRAMEWORK_NAMES: Record<AppInfo['framework'], string> = {
  nextjs: 'Next.js',
  fastapi: 'FastAPI',
  flask: 'Flask',
  express: 'Express',
  hono: 'Hono',
  fastify: 'Fastify',
  koa: 'Koa',
  django: 'Django',
  streamlit: 'Streamlit',
  gradio: 'Gradio',
  quart: 'Quart',
  sanic: 'Sanic',
  litestar: 'Litestar',
  starlette: 'Starlette',
};

/** JS servers we recognise but do not handle, by the package.json dependency that says so. */
const JS_SERVERS: Record<string, Framework> = { express: 'express', hono: 'hono', fastify: 'fastify', koa: 'koa' };

export function findApps(model: ProjectModel, overlay: Overlay, givenDirs: string[]): AppInfo[] {
  const apps: AppInfo[] = [];
  for (const app of model.apps) {
    const runtimes = new Set<'node' | 'edge'>();
    for (const route of app.routes) {
      runtimes.add(
        overlay.containsAny(route.path, ["'edge'", '"edge"']) &&
          /\bruntime\s*=\s*['"]edge['"]/.test(overlay.read(route.path) ?? '')
          ? 'edge'
          : 'node',
      );
    }
    const workspace = workspaceRootOf(app.root, findGitRoot(app.root) ?? undefined);
    apps.push({
      framework: 'nextjs',
      root: app.root,
      name: app.name,
      version: app.nextVersion,
      language: app.typescript ? 'typescript' : 'javascript',
      routers: [app.appDir && ('app' as const), app.pagesDir && ('pages' as const)].filter((r): r is 'app' | 'pages' =>
        Boolean(r),
      ),
      runtimes: [...runtimes].sort(),
      ...(workspace !== app.root ? { workspace } : {}),
      handled: true,
    });
  }
  for (const fw of [FASTAPI, FLASK]) apps.push(...pythonApps(model, overlay, fw, givenDirs));
  apps.push(...otherServers(model, overlay, givenDirs));
  return apps.sort((a, b) => (a.root + (a.entry ?? '') < b.root + (b.entry ?? '') ? -1 : 1));
}

/** Every `app = FastAPI(...)` / `Flask(__name__)`: one app per creating module. */
function pythonApps(model: ProjectModel, overlay: Overlay, fw: PyFramework, givenDirs: string[]): AppInfo[] {
  const apps: AppInfo[] = [];
  for (const file of model.files) {
    if (!file.endsWith('.py') || isTestFile(file, givenDirs) || !overlay.containsAny(file, [`${fw.app}(`])) continue;
    const text = overlay.read(file);
    if (text === undefined) continue;
    const tree = parsePython(text);
    try {
      const found = findModuleRoutes(tree.rootNode, fw, importedFrameworkObject(model.python, file, fw));
      if (!found.apps.length) continue;
      const stop = givenDirs.find((d) => isInside(file, d)) ?? dirname(file);
      const deps = findDependencyFile(dirname(file), stop, (p) => overlay.read(p));
      const root = deps ? dirname(deps.path) : dirname(file);
      apps.push({
        framework: fw.name === 'FastAPI' ? 'fastapi' : 'flask',
        root,
        entry: file,
        name: found.apps.map((a) => a.variable).join(', '),
        version: deps && 'kind' in deps ? requirementVersion(overlay.read(deps.path) ?? '', fw.package) : undefined,
        language: 'python',
        handled: true,
      });
    } finally {
      tree.delete();
    }
  }
  return apps;
}

/** The version constraint a dependency file gives a package (`>=0.110`, `^3.0`), as written. */
function requirementVersion(text: string, pkg: string): string | undefined {
  const name = pkg.replace(/[-_.]/g, '[-_.]');
  const line = new RegExp(
    `^[ \\t]*["']?${name}(?:\\[[^\\]]*\\])?["']?[ \\t]*(?:=[ \\t]*)?["']?([<>=!~^*][^"',;\\s#]*|\\*)?`,
    'im',
  ).exec(text);
  return line ? (line[1] ?? 'any') : undefined;
}

/** Python servers we recognise but do not handle, by the call that creates the app. */
const PY_SERVERS: { framework: Framework; cls: string }[] = [
  { framework: 'quart', cls: 'Quart' },
  { framework: 'sanic', cls: 'Sanic' },
  { framework: 'litestar', cls: 'Litestar' },
  { framework: 'starlette', cls: 'Starlette' },
];

/** Express & co. by package.json (outside Next.js apps), Django by manage.py: found, not handled. */
function otherServers(model: ProjectModel, overlay: Overlay, givenDirs: string[]): AppInfo[] {
  const apps: AppInfo[] = [];
  // `app = Quart(__name__)` at the start of a line: the module creates the app.
  const createsApp = (file: string, cls: string) =>
    overlay.containsAny(file, [`${cls}(`]) &&
    new RegExp(`^[ \\t]*\\w+[ \\t]*=[ \\t]*${cls}\\(`, 'm').test(overlay.read(file) ?? '');
  for (const file of model.files) {
    const name = basename(file);
    if (name === 'package.json' && !model.apps.some((app) => app.root === dirname(file))) {
      const pkg = readJson(file);
      const deps = { ...pkg?.dependencies, ...pkg?.devDependencies };
      for (const [dep, framework] of Object.entries(JS_SERVERS)) {
        if (!deps[dep]) continue;
        const ts = existsSync(join(dirname(file), 'tsconfig.json'));
        apps.push({
          framework,
          root: dirname(file),
          name: pkg?.name,
          version: deps[dep],
          language: ts ? 'typescript' : 'javascript',
          handled: false,
        });
      }
    }
    if (name === 'manage.py')
      apps.push({ framework: 'django', root: dirname(file), entry: file, language: 'python', handled: false });
    if (file.endsWith('.py') && !isTestFile(file, givenDirs)) {
      const found = PY_SERVERS.find(({ cls }) => createsApp(file, cls));
      if (found)
        apps.push({ framework: found.framework, root: dirname(file), entry: file, language: 'python', handled: false });
    }
  }
  return apps;
}

function readJson(path: string): Record<string, any> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
