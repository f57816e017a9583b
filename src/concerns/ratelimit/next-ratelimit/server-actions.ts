import { basename } from 'node:path';
import { lineAt } from '../../../core/style.js';
import type { NextApp } from '../../../frameworks/next/app.js';
import type { StepContext } from '../../../step/contract.js';

// Endpoints that are not route files: a guard in a route handler cannot cover them, so they are
// reported with what to do instead (and recorded for the detect report).

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
    ctx.recordEndpoint({
      framework: 'nextjs',
      kind: 'server-action',
      method: 'POST',
      route: `server actions in ${basename(file)}`,
      file,
      line: lineAt(text, directive.index),
      ai: { via: reach.via, chain: reach.chain },
    });
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

/**
 * tRPC procedures that reach AI: they are served by one catch-all route, whose guard would limit
 * every procedure alike (the cheap ones too). The limit belongs in a tRPC middleware on the AI
 * procedures.
 */
export function reportTrpcProcedures(ctx: StepContext, app: NextApp, ruleId: string): void {
  for (const file of app.files) {
    if (!ctx.overlay.containsAny(file, ['Procedure'])) continue;
    const text = ctx.overlay.read(file);
    const procedure = text && /\b\w*[pP]rocedure\b[\s\S]{0,400}?\.(mutation|query|subscription)\s*\(/.exec(text);
    if (!procedure) continue;
    const reach = ctx.model.graph.aiReach(file);
    if (!reach) continue;
    const line = lineAt(text!, procedure.index + procedure[0].lastIndexOf(`.${procedure[1]}`));
    ctx.recordEndpoint({
      framework: 'nextjs',
      kind: 'trpc',
      method: 'POST',
      route: `tRPC procedures in ${basename(file)}`,
      file,
      line,
      ai: { via: reach.via, chain: reach.chain },
    });
    ctx.report({
      ruleId,
      kind: 'needs-human',
      severity: 'high',
      file,
      line,
      message: `tRPC procedures here reach ${reach.via}: the one tRPC route serves every procedure, so a route guard cannot limit just these`,
      fix: "add a rate-limit middleware to the AI procedures (e.g. const limited = t.middleware(…) calling rateLimit with the caller's key), 5/minute and 50/day",
    });
  }
}
