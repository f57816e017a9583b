import { lineAt } from './style.js';
import type { NextApp } from '../../lib/project-model.js';
import type { StepContext } from '../../lib/types.js';

/** Server Actions that reach AI are endpoints too, but no route guard covers them: reported. */
export function reportServerActions(ctx: StepContext, app: NextApp, ruleId: string): void {
  for (const file of app.files) {
    if (!ctx.overlay.containsAny(file, ['use server'])) continue;
    const text = ctx.overlay.read(file);
    if (!text) continue;
    const directive = /(['"])use server\1/.exec(text);
    if (!directive) continue;
    const reach = ctx.model.graph.aiReach(file);
    if (!reach) continue;
    ctx.recordEndpoint({ framework: 'nextjs', kind: 'server-action', method: 'POST', route: `server actions in ${file.split(/[\\/]/).pop()}`, file, line: lineAt(text, directive.index), ai: { via: reach.via, chain: reach.chain } });
    ctx.report({
      ruleId,
      kind: 'needs-human',
      severity: 'high',
      file,
      line: lineAt(text, directive.index),
      message: `Server Action reaches ${reach.via}: a route guard cannot protect it`,
      fix: `rate-limit inside the action (key it on the caller from next/headers), or move the AI call into a route handler`,
    });
  }
}
