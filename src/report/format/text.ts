import pc from 'picocolors';
import type { AppInfo, DetectReport, EndpointInfo, ReportFinding } from '../../core/report-schema.js';
import { FRAMEWORK_NAMES } from '../../concerns/inventory/apps.js';
import { maskSecrets } from '../../core/secrets.js';

// The detect report for a person at a terminal: one block per app (what it is, its AI calls,
// its endpoints and whether they are limited, CORS, env files, deployment), then what needs
// doing, then the checklist as a table. Colors only on a TTY.

/** Whether a report path lies in an app's folder. */
export function inApp(path: string, app: Pick<AppInfo, 'root'>): boolean {
  return app.root === '.' || path === app.root || path.startsWith(`${app.root}/`);
}

/** The app a path belongs to: the deepest whose folder holds it. */
export function appOf<T extends Pick<AppInfo, 'root'>>(apps: T[], path: string): T | undefined {
  return apps.filter((app) => inApp(path, app)).sort((a, b) => b.root.length - a.root.length)[0];
}

export function describeApp(app: AppInfo): string {
  const parts = [
    app.version ? `${app.framework === 'nextjs' ? 'next' : app.framework} ${app.version}` : undefined,
    app.routers?.length ? app.routers.map((r) => (r === 'app' ? 'App Router' : 'Pages Router')).join(' + ') : undefined,
    app.language === 'python' ? 'Python' : app.language === 'typescript' ? 'TypeScript' : 'JavaScript',
    app.runtimes?.includes('edge') ? 'Edge runtime routes' : undefined,
    app.workspace ? `workspace ${app.workspace}` : undefined,
    app.entry ? `app in ${app.entry}${app.name ? ` (${app.name})` : ''}` : undefined,
    app.handled ? undefined : 'found, not handled yet',
  ];
  return parts.filter(Boolean).join(' · ');
}

/** A long import chain, cut in the middle: the first file, the count, the file that calls. */
function shortChain(chain: string[]): string {
  return chain.length <= 3 ? chain.join(' → ') : `${chain[0]} → … → ${chain.at(-1)} (${chain.length} files)`;
}

export function endpointStatus(e: EndpointInfo): 'unprotected' | 'limited' | 'uncoverable' | 'no-ai' {
  if (e.kind !== 'route') return 'uncoverable';
  if (!e.ai) return 'no-ai';
  return e.rateLimitedBy ? 'limited' : 'unprotected';
}

export function formatDetectText(report: DetectReport, opts: { color: boolean }): string {
  const c = opts.color ? pc : pc.createColors(false);
  const out: string[] = [];
  const line = (text = '') => out.push(text);
  const loc = (file: string, l?: number) => c.dim(`${file}${l ? `:${l}` : ''}`);

  line(c.bold(`ai-secure-codemods detect: ${report.root}`));
  if (!report.apps.length)
    line(
      c.yellow(
        'No app found: no Next.js, FastAPI or Flask app (nor Express, Hono, Fastify, Koa, Django) under the given paths.',
      ),
    );

  const groups = [...report.apps.map((app) => ({ app, key: app.root })), { app: undefined, key: '' }];
  for (const { app } of groups) {
    const mine = <T extends { file: string }>(items: T[]) =>
      items.filter((item) => appOf(report.apps, item.file) === app);
    const calls = mine(report.aiCalls);
    const endpoints = mine(report.endpoints);
    const cors = mine(report.cors);
    if (!app && !calls.length && !endpoints.length && !cors.length) continue;
    line();
    line(
      app
        ? `${c.bold(`${FRAMEWORK_NAMES[app.framework]} ${app.root}`)}  ${c.dim(describeApp(app))}`
        : c.bold('Outside any app'),
    );

    if (calls.length) {
      line(`  AI calls (${calls.length})`);
      for (const call of calls) line(`    ${loc(call.file, call.line)}  ${call.sdk}  ${call.call}`);
    } else if (app?.handled) line(`  AI calls: none found`);

    if (endpoints.length) {
      const reaching = endpoints.filter((e) => e.ai);
      const notLimited = endpoints.filter((e) => e.ai && endpointStatus(e) !== 'limited');
      line(
        `  Endpoints (${endpoints.length}; ${reaching.length} reach${reaching.length === 1 ? 'es' : ''} a paid AI API, ${notLimited.length} of them not rate-limited)`,
      );
      // The endpoints that matter are listed; the rest are counted (json has them all).
      const quiet = endpoints.filter((e) => endpointStatus(e) === 'no-ai');
      for (const e of endpoints.filter((e) => endpointStatus(e) !== 'no-ai' || quiet.length <= 8)) {
        const status = endpointStatus(e);
        const mark = {
          unprotected: c.red('✘'),
          limited: c.green('✔'),
          uncoverable: c.yellow('!'),
          'no-ai': c.dim('·'),
        }[status];
        const what = {
          unprotected: c.red('not rate-limited'),
          limited: c.green(`rate-limited by ${e.rateLimitedBy}`),
          uncoverable: c.yellow(`${e.kind === 'server-action' ? 'Server Actions' : e.kind}: no route guard covers it`),
          'no-ai': c.dim(e.rateLimitedBy ? `no AI call; rate-limited by ${e.rateLimitedBy}` : 'no AI call'),
        }[status];
        const via = e.ai
          ? `reaches ${e.ai.via}${e.ai.chain.length > 1 ? ` via ${shortChain(e.ai.chain.slice(1))}` : ''}  `
          : '';
        line(
          `    ${mark} ${`${e.method === '*' ? 'ANY' : e.method} ${e.route}`.padEnd(28)} ${loc(e.file, e.line)}  ${via}${what}`,
        );
      }
      if (quiet.length > 8)
        line(c.dim(`    · and ${quiet.length} other endpoints that reach no AI call (--format json lists them)`));
    }

    for (const site of cors) {
      const mark =
        site.verdict === 'restricted' ? c.green('✔') : site.verdict === 'unknown' ? c.yellow('?') : c.red('✘');
      line(`  CORS ${mark} ${loc(site.file, site.line)}  ${site.verdict.replace(/-/g, ' ')}: ${site.evidence}`);
    }
    if (app?.handled && !cors.length)
      line(
        `  CORS: not configured${app.framework === 'nextjs' ? ' (same-origin only, as Next.js is by default: fine)' : ' (browsers allow same-origin calls only: fine)'}`,
      );

    if (app) {
      const env =
        report.gitignore.find((g) => g.root === app.root) ??
        report.gitignore.find((g) => inApp(app.root, { root: g.root }));
      if (env) {
        const ok = !env.missing.length && !env.tracked.length;
        line(
          `  .gitignore ${ok ? c.green('✔ .env, .env.local and .env.* ignored') : c.red(`✘ ${[env.missing.length ? `not ignored: ${env.missing.join(', ')}` : '', env.tracked.length ? `tracked by git: ${env.tracked.join(', ')}` : ''].filter(Boolean).join('; ')}`)}`,
        );
      }
      const deployment = report.deployment.find((d) => d.root === app.root);
      if (deployment?.env.length) {
        line(
          `  Deployment${deployment.platforms.length ? ` (${deployment.platforms.join(', ')})` : ''}: set ${deployment.env.map((e) => e.name).join(', ')} in ${deployment.env[0]!.where}`,
        );
      }
    }
  }

  const open = report.findings.filter((f) => !f.silenced && (f.kind === 'needs-human' || f.kind === 'changed'));
  const silenced = report.findings.filter((f) => f.silenced);
  const notes = report.findings.filter((f) => !f.silenced && f.kind === 'note');
  if (open.length || notes.length) {
    line();
    line(c.bold(`To do (${open.length})`));
    for (const f of [...open, ...notes]) writeFinding(f);
  }
  if (silenced.length)
    line(
      c.dim(`\n${silenced.length} finding(s) silenced by markers or the config (listed in --format json and sarif)`),
    );

  line();
  line(c.bold('Checklist'));
  const width = Math.max(...report.checklist.map((i) => i.title.length));
  line(`  ┌${'─'.repeat(width + 2)}┬────────┐`);
  for (const item of report.checklist) {
    const status = item.passed ? c.green(' ✔ pass ') : c.red(` ✘ ${String(item.failing.length).padStart(2)}   `);
    line(`  │ ${item.title.padEnd(width)} │${status}│`);
  }
  line(`  └${'─'.repeat(width + 2)}┴────────┘`);
  return `${maskSecrets(out.join('\n'))}\n`;

  function writeFinding(f: ReportFinding): void {
    const color =
      f.severity === 'critical' || f.severity === 'high' ? c.red : f.severity === 'medium' ? c.yellow : c.dim;
    const label = f.kind === 'changed' ? 'fixable' : f.kind === 'note' ? 'note' : 'needs you';
    line(`  ${color(f.severity.padEnd(8))} ${label.padEnd(9)} ${f.file ? loc(f.file, f.line) : ''}  ${f.message}`);
    if (f.fix) line(`  ${' '.repeat(19)}${c.dim(`→ ${f.fix}`)}`);
  }
}

/** `check`: the checklist, one ✔/✘ line each, with the findings behind every ✘. */
export function formatCheckText(report: DetectReport, opts: { color: boolean }): string {
  const c = opts.color ? pc : pc.createColors(false);
  const out: string[] = [];
  for (const item of report.checklist) {
    out.push(`${item.passed ? c.green('✔') : c.red('✘')} ${item.title}`);
    for (const index of item.failing) {
      const f = report.findings[index]!;
      out.push(`    ${c.dim(`${f.file ?? '.'}${f.line ? `:${f.line}` : ''}`)}  ${f.message}`);
      if (f.fix) out.push(`      ${c.dim(`→ ${f.fix}`)}`);
    }
  }
  const silenced = report.findings.filter((f) => f.silenced).length;
  const failed = report.checklist.filter((i) => !i.passed).length;
  out.push(
    '',
    failed
      ? c.red(`${failed} of ${report.checklist.length} checks fail.`)
      : c.green(`All ${report.checklist.length} checks pass.`) +
          (silenced ? c.dim(` (${silenced} finding(s) silenced)`) : ''),
  );
  return `${maskSecrets(out.join('\n'))}\n`;
}
