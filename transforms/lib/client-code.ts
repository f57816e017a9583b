import { join } from 'node:path';
import { isInside, type NextApp } from '../../lib/project-model.js';
import type { StepContext } from '../../lib/types.js';

/**
 * Files the browser loads: every `'use client'` module and Pages Router page (not `pages/api`),
 * and what they import, each with the shortest chain from such an entry point.
 */
export function clientReachable(ctx: StepContext, app: NextApp): Map<string, string[]> {
  const graph = ctx.model.graph;
  const pagesApi = app.pagesDir && join(app.pagesDir, 'api');
  const roots = app.files.filter((file) =>
    (app.pagesDir && isInside(file, app.pagesDir) && !(pagesApi && isInside(file, pagesApi)) && !/\/_document\.\w+$/.test(file)) ||
    (ctx.overlay.containsAny(file, ['use client']) && graph.scan(file)?.directive === 'use client'),
  );
  const chains = new Map<string, string[]>(roots.map((root) => [root, [root]]));
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i]!;
    for (const { specifier } of graph.scan(current)?.imports ?? []) {
      const target = graph.resolve(current, specifier);
      if (!target || chains.has(target)) continue;
      chains.set(target, [...chains.get(current)!, target]);
      queue.push(target);
    }
  }
  return chains;
}
