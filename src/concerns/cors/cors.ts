import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { findCorsSites, type FoundCorsSite } from './sites.js';
import { severityOf } from './verdict.js';
import { packageRoot } from '../../core/package-root.js';
import type { NextApp } from '../../frameworks/next/app.js';
import { isInside } from '../../core/paths.js';
import { defineStep, type StepContext } from '../../step/contract.js';
import type { Finding } from '../../core/finding.js';
import { defaultOrigins, isNextConfig } from './origins.js';
import type { CorsRewrite } from './result.js';
import { restrictExpressCors } from './js/express.js';
import { removeStaticCorsHeader } from './js/next-config.js';
import { restrictNextCors } from './js/next-handlers.js';
import { restrictPythonCors } from './python/rewrite.js';
import { removeVercelCorsHeader } from './vercel-json.js';
import { appModulePlan, type AppModulePlan } from '../../frameworks/next/helper-module.js';
import { addEnvNames, envExampleFor } from '../../project/project-files.js';
import { detectStyle, restyle } from '../../core/style.js';
import { meta, options } from './cors.meta.js';

const ENV_NAME = 'ALLOWED_ORIGINS';
const ENV_COMMENT =
  'CORS: the origins allowed to call this API from a browser, comma-separated (set the production ones in deployment)';

/**
 * Every place that lets any origin in (found as `detect` finds them) is rewritten to read the
 * allowlist from ALLOWED_ORIGINS: FastAPI/Starlette and Flask-CORS in Python, Express `cors`,
 * and Next.js headers through a small helper. What cannot be rewritten safely is reported.
 */
export function run(ctx: StepContext): void {
  const sites = findCorsSites(
    ctx.model.files,
    ctx.overlay,
    ctx.givenDirs,
    ctx.model.apps.map((app) => app.root),
  ).filter((site) => site.verdict !== 'restricted');
  const files = [...new Set(sites.map((site) => site.file))];
  const roots = new Set<string>();
  const helpers = new Map<NextApp, AppModulePlan>();
  for (const file of files) {
    const app = ctx.model.apps.filter((a) => isInside(file, a.root)).sort((a, b) => b.root.length - a.root.length)[0];
    const root = app?.root ?? ctx.givenDirs.find((dir) => isInside(file, dir)) ?? dirname(file);
    const origins = defaultOrigins(root, ctx.overlay, String(ctx.options.origins ?? '') || undefined);
    let changed = false;
    ctx.transformFile(file, (source) => {
      let output: string;
      let results: CorsRewrite[];
      if (file.endsWith('.py')) ({ output, results } = restrictPythonCors(source, { defaultOrigins: origins }));
      else if (basename(file) === 'vercel.json') ({ output, results } = removeVercelCorsHeader(source));
      else if (app && isNextConfig(file)) {
        // Its results say which paths lost the header and that middleware must answer CORS there.
        ({ output, results } = removeStaticCorsHeader(file, source));
      } else if (app && !nodeStyleHandler(app, file, source)) {
        const helper = helpers.get(app) ?? appModulePlan(app, ctx.overlay, 'cors');
        helpers.set(app, helper);
        let usesHelper: boolean;
        ({ output, results, usesHelper } = restrictNextCors(file, source, {
          helperSpecifier: helper.specifierFor(file),
        }));
        if (usesHelper && !helper.exists) ensureHelper(ctx, app, helper, origins);
      } else ({ output, results } = restrictExpressCors(file, source, { defaultOrigins: origins }));
      for (const finding of judge(
        file,
        sites.filter((site) => site.file === file),
        results,
      ))
        ctx.report(finding);
      changed = output !== source;
      return output;
    });
    if (changed) roots.add(root);
  }
  for (const root of roots) {
    const example = envExampleFor(root, ctx.overlay);
    ctx.transformFile(example, (text) => addEnvNames(text, ENV_COMMENT, [ENV_NAME]), { createIfMissing: true });
  }
  for (const app of ctx.model.apps) {
    if (!files.some((file) => isInside(file, app.root))) {
      ctx.report({
        ruleId: meta.ruleId,
        kind: 'note',
        severity: 'info',
        file: app.root,
        message:
          'no CORS configured: the browser lets only the same origin call the API, which is right for a Next.js app and its own pages',
      });
    }
  }
}

/**
 * Pages Router API routes (`(req, res)`) and a custom server inside the app set headers on a Node
 * response, as Express does: they take the Express rewrite, not the Request/Response helper.
 */
function nodeStyleHandler(app: NextApp, file: string, source: string): boolean {
  const pagesApi = app.pagesDir !== undefined && isInside(file, join(app.pagesDir, 'api'));
  return pagesApi || /\brequire\(\s*['"](cors|express)['"]\s*\)|\bfrom\s+['"](cors|express)['"]/.test(source);
}

/**
 * The fixer's results, judged as `detect` judges the sites: a result about a site takes the
 * severity of the site's verdict, and an open site the fixer did not change, or an unknown one it
 * said nothing about, becomes a needs-human finding. So `detect`, `check` and `cors` cannot disagree.
 */
function judge(file: string, sites: FoundCorsSite[], results: CorsRewrite[]): Finding[] {
  const about = (site: FoundCorsSite) => results.filter((r) => site.line <= r.line && r.line <= site.endLine);
  const siteOf = (r: CorsRewrite) => sites.find((site) => about(site).includes(r));
  const findings = results.map((r) => {
    const site = siteOf(r);
    return findingOf(file, site && r.severity !== 'info' ? { ...r, severity: severityOf(site.verdict) } : r);
  });
  for (const site of sites) {
    const told = about(site);
    const handled = site.verdict === 'unknown' ? told.length > 0 : told.some((r) => r.severity !== 'info');
    if (!handled) findings.push(unfixed(file, site));
  }
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** An open (or unreadable) site no rewrite covers: a human restricts it. */
function unfixed(file: string, site: FoundCorsSite): Finding {
  const message =
    site.verdict === 'unknown'
      ? `${site.evidence}: we cannot tell which origins it lets in; not rewritten: make sure they are only known ones (${ENV_NAME})`
      : `${site.evidence} lets any website call this server${site.verdict === 'open-with-credentials' ? ' with credentials, so any website can make requests as the logged-in user' : ''}; not rewritten: no safe rewrite of this form`;
  return {
    ruleId: meta.ruleId,
    kind: 'needs-human',
    severity: severityOf(site.verdict),
    file,
    line: site.line,
    message,
    fix: 'list the allowed origins explicitly, read from ALLOWED_ORIGINS (comma-separated)',
  };
}

function findingOf(file: string, r: CorsRewrite): Finding {
  if (r.changed) {
    return {
      ruleId: meta.ruleId,
      kind: 'changed',
      severity: 'info',
      file,
      line: r.line,
      message: r.message,
      problem: { message: r.message.split(' → ')[0]!, severity: r.severity === 'info' ? 'medium' : r.severity },
    };
  }
  if (r.severity === 'info')
    return { ruleId: meta.ruleId, kind: 'already-protected', severity: 'info', file, line: r.line, message: r.message };
  return {
    ruleId: meta.ruleId,
    kind: 'needs-human',
    severity: r.severity,
    file,
    line: r.line,
    message: r.message,
    fix: 'list the allowed origins explicitly, read from ALLOWED_ORIGINS (comma-separated)',
  };
}

/** The CORS helper of a Next.js app, from templates/next/cors.ts in the app's style, with its default origins. */
function ensureHelper(ctx: StepContext, app: NextApp, helper: AppModulePlan, origins: string[]): void {
  const template = readFileSync(join(packageRoot(), 'templates/next', app.typescript ? 'cors.ts' : 'cors.js'), 'utf8');
  // Origins are plain URLs (validated): no quote to escape. restyle turns the quotes into the app's.
  const text = template.replace(/^const DEFAULT_ORIGINS = .*$/m, `const DEFAULT_ORIGINS = '${origins.join(',')}';`);
  ctx.transformFile(helper.path, () => restyle(text, detectStyle(ctx.overlay.read(app.routes[0]?.path ?? '') ?? '')), {
    createIfMissing: true,
  });
  ctx.report({
    ruleId: meta.ruleId,
    kind: 'changed',
    severity: 'info',
    file: helper.path,
    message: `CORS helper created (allowlist from ${ENV_NAME}, default ${origins.join(', ')})`,
  });
}

/** The jscodeshift entry point: the file's own edits; the helper and env example need our runner. */
export default defineStep({ meta, options, run });
