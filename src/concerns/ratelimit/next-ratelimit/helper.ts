// The rate-limit helper next-ratelimit writes into a Next.js app (templates/next/rate-limit.ts):
// its plan (where, which limits), the argument a route passes for its own limits, and the files
// it brings (the helper, the Upstash packages, the env var names).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../../core/finding.js';
import { packageRoot } from '../../../core/package-root.js';
import { detectStyle, restyle } from '../../../core/style.js';
import { appModulePlan, type AppModulePlan } from '../../../frameworks/next/helper-module.js';
import type { NextApp } from '../../../frameworks/next/app.js';
import type { Overlay } from '../../../project/overlay.js';
import { addDependencies, addEnvNames, envExampleFor } from '../../../project/project-files.js';
import { renderRateLimitHelper } from '../../../../templates/render.js';

/** The versions the template is written and tested against. */
export const UPSTASH_DEPENDENCIES = { '@upstash/ratelimit': '^2.2.0', '@upstash/redis': '^1.39.0' };
export const UPSTASH_ENV = ['UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN'];

export interface HelperPlan extends AppModulePlan {
  limitsLabel: string;
  /** What the helper applies when a guard passes no limits of its own. */
  limits: Limits;
  /** Whether its guards take a route's own limits (a helper of ours written before they did does not). */
  takesLimits: boolean;
}

export interface Limits {
  perMinute: number;
  perDay: number;
}

export const limitsLabel = (limits: Limits) => `${limits.perMinute}/minute + ${limits.perDay}/day per client`;

/**
 * The rate-limit helper's plan: `lib/rate-limit` (see appModulePlan), with its limits: the run's
 * for a new one, its own constants for one already there.
 */
export function helperPlan(app: NextApp, overlay: Overlay, options: Limits): HelperPlan {
  const plan = appModulePlan(app, overlay, 'rate-limit');
  const text = plan.exists ? (overlay.read(plan.path) ?? '') : '';
  const constant = (name: string, fallback: number) =>
    Number(new RegExp(`^const ${name} = (\\d+)`, 'm').exec(text)?.[1] ?? fallback);
  const limits = { perMinute: constant('PER_MINUTE', options.perMinute), perDay: constant('PER_DAY', options.perDay) };
  const takesLimits = !plan.exists || /function rateLimit\(request[^)]*,\s*limits/.test(text);
  return { ...plan, limitsLabel: limitsLabel(limits), limits, takesLimits };
}

/**
 * The argument a guard passes for a route's own limits (`{ perMinute: 20, perDay: 500 }`), when they differ from the
 * helper's.
 */
export function limitsArgument(plan: HelperPlan, route: Limits): string | undefined {
  if (route.perMinute === plan.limits.perMinute && route.perDay === plan.limits.perDay) return undefined;
  return `{ perMinute: ${route.perMinute}, perDay: ${route.perDay} }`;
}

/**
 * Creates the helper module in the app's style, adds the Upstash packages to the app's own
 * package.json and their env var names to its env example (unless the store is memory-only).
 */
export function ensureHelperFiles(
  ctx: { overlay: Overlay; report(finding: Finding): void },
  app: NextApp,
  plan: HelperPlan,
  options: { perMinute: number; perDay: number; store: 'auto' | 'memory' | 'upstash' },
): void {
  const report = (kind: 'changed' | 'note' | 'needs-human', file: string, message: string, fix?: string) =>
    ctx.report({
      ruleId: 'ai-secure/next-ratelimit',
      kind,
      severity: kind === 'needs-human' ? 'medium' : 'info',
      file,
      message,
      fix,
    });

  if (plan.exists) {
    report('note', plan.path, `the rate-limit helper is already there: its limits and store are left as they are`);
  } else {
    const template = readFileSync(
      join(packageRoot(), 'templates', 'next', `rate-limit${app.typescript ? '.ts' : '.js'}`),
      'utf8',
    );
    const projectStyle = detectStyle(app.routes.map((r) => ctx.overlay.read(r.path) ?? '').join('\n'));
    ctx.overlay.write(plan.path, restyle(renderRateLimitHelper(template, options), projectStyle));
    report('changed', plan.path, `rate-limit helper created (${plan.limitsLabel}, store ${options.store})`);
  }
  if (options.store === 'memory') return;

  if (app.packageJson) {
    const text = ctx.overlay.read(app.packageJson);
    if (text !== undefined) {
      const updated = addDependencies(text, UPSTASH_DEPENDENCIES);
      if (updated !== text) {
        ctx.overlay.write(app.packageJson, updated);
        report(
          'changed',
          app.packageJson,
          `added ${Object.keys(UPSTASH_DEPENDENCIES).join(' and ')}: run your package manager's install`,
        );
      }
    }
  } else {
    report(
      'needs-human',
      app.root,
      'no package.json for this app',
      `add ${Object.keys(UPSTASH_DEPENDENCIES).join(' and ')} to its dependencies`,
    );
  }

  const envExample = envExampleFor(app.root, ctx.overlay);
  const before = ctx.overlay.read(envExample);
  const after = addEnvNames(
    before,
    'Rate limiting: Upstash Redis in production (counts in memory when unset)',
    UPSTASH_ENV,
  );
  if (after !== undefined && after !== before) {
    ctx.overlay.write(envExample, after);
    report(
      'changed',
      envExample,
      `documented ${UPSTASH_ENV.join(', ')}: set them in your deployment (e.g. Vercel project settings)`,
    );
  }
}
