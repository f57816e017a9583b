import { resolve } from 'node:path';
import { isInside } from '../core/paths.js';
import { ModuleGraph } from '../project/graph/js.js';
import { workspacePackages } from '../project/manifests.js';
import type { Overlay } from '../project/overlay.js';
import { PythonGraph } from '../project/graph/python.js';
import { describeApp, findAppRoots, nextEntryPoints, routeOf, type NextApp } from './next/app.js';

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

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/**
 * The project model: every Next.js app under the given paths with its layout, aliases and route
 * files, plus the module graph that answers "does this reach an AI call". Built once per run and
 * shared by every step. `files` are the files the steps look at; `resolvable` (by default the
 * same) the ones imports may resolve to (files the config excludes are among them).
 */
export function buildProjectModel(
  files: string[],
  givenPaths: string[],
  overlay: Overlay,
  resolvable: string[] = files,
): ProjectModel {
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
  const graph = new ModuleGraph(overlay, apps, workspacePackages(resolvable), known, walked, nextEntryPoints(apps));
  return { apps, files, graph, python: new PythonGraph(overlay, known), orphanFiles };
}
