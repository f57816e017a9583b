import { existsSync, statSync } from 'node:fs';
import { MissingPathError } from '../project/discover.js';
import { dirname, relative, resolve } from 'node:path';
import { transforms } from '../engine/steps.js';
import { envFilesStatus, envRoots } from '../concerns/gitignore/gitignore-env.js';
import type { AiSecureConfig } from '../engine/config.js';
import { findGitRoot } from '../project/git.js';
import { packageVersion } from '../core/package-root.js';
import { loadPythonParser } from '../lang/python/parse.js';
import { runSteps, type RunResult } from '../engine/runner.js';
import type { Finding } from '../core/finding.js';
import { findAiCallSites } from '../concerns/inventory/ai-calls.js';
import { findApps, FRAMEWORK_NAMES } from '../concerns/inventory/apps.js';
import { judgeChecklist } from '../core/checklist.js';
import { findCorsSites } from '../concerns/cors/sites.js';
import { findDeployment } from '../concerns/inventory/deployment.js';
import {
  SCHEMA_VERSION,
  type AiCallSite,
  type AppInfo,
  type DetectReport,
  type ReportFinding,
} from '../core/report-schema.js';
import { isInside } from '../core/paths.js';
import { applySuppressions } from './suppress.js';

// `detect`: every step runs as a dry run over one overlay (nothing is written), and what they
// would change, what they leave to a human, and the endpoints they looked at become the report,
// beside what only detect looks for (AI call sites, CORS, deployment). The steps and the report
// cannot disagree: they are the same code.

export const UNHANDLED_RULE = 'ai-secure/unhandled-app';

/** The folder of the first path given (a file's folder); a missing path is a usage error. */
export function firstDir(paths: string[]): string {
  const given = paths[0] ?? '.';
  const first = resolve(given);
  if (!existsSync(first)) throw new MissingPathError(`path not found: ${given}`);
  return statSync(first).isDirectory() ? first : dirname(first);
}

/** Where report paths are relative to: the git root of the first path, else that folder. */
export function reportRoot(paths: string[]): string {
  const dir = firstDir(paths);
  return findGitRoot(dir) ?? dir;
}

export async function buildDetectReport(
  paths: string[],
  config: AiSecureConfig,
  files?: string[],
): Promise<{ report: DetectReport; run: RunResult }> {
  await loadPythonParser();
  const run = runSteps(transforms, paths, {}, { isolated: true, config, files });
  const { model } = run;
  const { overlay } = run;
  const root = reportRoot(paths);
  const rel = (path: string) => relative(root, path).split('\\').join('/') || '.';
  const givenDirs = paths.map((p) => resolve(p)).filter((p) => statSync(p).isDirectory());

  const extra: Finding[] = [];
  const apps = findApps(model, overlay, givenDirs);
  const aiCalls = findAiCallSites(model.files, overlay);
  const cors = findCorsSites(
    model.files,
    overlay,
    givenDirs,
    model.apps.map((app) => app.root),
  );
  const deployment = findDeployment(apps, model.files, aiCalls, overlay, (f) => extra.push(f));

  // CORS findings come from the cors step, like every other step's; `cors` lists the sites.
  const findings: ReportFinding[] = [
    ...run.findings.flatMap(asProblem),
    ...extra.map(asReportFinding),
    ...unhandledApps(apps, aiCalls),
  ];
  for (const file of run.files.filter((f) => f.status === 'error')) {
    findings.push({
      ruleId: 'ai-secure/unreadable',
      kind: 'note',
      severity: 'medium',
      file: file.path,
      line: file.line,
      message: `not checked: ${file.reason}`,
    });
  }
  for (const problem of applySuppressions(findings, overlay, config.dir ?? root, config.ignore)) {
    findings.push({
      ruleId: 'ai-secure/marker',
      kind: 'note',
      severity: 'low',
      file: problem.file,
      line: problem.line,
      message: problem.message,
    });
  }
  const gitignore = envRoots({ model, givenDirs }).map((dir) => {
    const status = envFilesStatus(dir, overlay);
    return {
      root: rel(dir),
      missing: status.lines.filter((l) => !l.startsWith('!')),
      tracked: status.tracked.map(rel),
    };
  });

  const sorted = findings
    .map(
      (f): ReportFinding => ({
        ruleId: f.ruleId,
        kind: f.kind,
        severity: f.severity,
        message: f.message,
        ...(f.fix ? { fix: f.fix } : {}),
        ...(f.file ? { file: rel(f.file) } : {}),
        ...(f.line ? { line: f.line } : {}),
        ...(f.silenced ? { silenced: f.silenced } : {}),
        ...(f.followsFix ? { followsFix: f.followsFix } : {}),
      }),
    )
    .sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
        (a.file ?? '').localeCompare(b.file ?? '') ||
        (a.line ?? 0) - (b.line ?? 0),
    );
  const report: DetectReport = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'ai-secure-codemods', version: packageVersion() },
    root,
    apps: apps.map((app) => ({
      ...app,
      root: rel(app.root),
      ...(app.entry ? { entry: rel(app.entry) } : {}),
      ...(app.workspace ? { workspace: rel(app.workspace) } : {}),
    })),
    // Objects are rebuilt field by field: one key order everywhere, as documented.
    aiCalls: aiCalls.map((call) => ({
      file: rel(call.file),
      line: call.line,
      language: call.language,
      sdk: call.sdk,
      call: call.call,
    })),
    endpoints: run.endpoints
      .map((e) => ({
        framework: e.framework,
        kind: e.kind,
        method: e.method,
        route: e.route,
        file: rel(e.file),
        line: e.line,
        // The chain runs from the endpoint's own file to the module that makes the call.
        ...(e.ai ? { ai: { via: e.ai.via, chain: [e.file, ...e.ai.chain.filter((f) => f !== e.file)].map(rel) } } : {}),
        ...(e.rateLimitedBy ? { rateLimitedBy: e.rateLimitedBy } : {}),
      }))
      .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
    cors: cors.map((s) => ({
      file: rel(s.file),
      line: s.line,
      framework: s.framework,
      origins: s.origins,
      credentials: s.credentials,
      verdict: s.verdict,
      evidence: s.evidence,
    })),
    gitignore,
    deployment: deployment.map((d) => ({ ...d, root: rel(d.root) })),
    findings: sorted,
    checklist: judgeChecklist(sorted),
  };
  return { report, run };
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * A step's finding as detect states it: what a step would change is a problem today (its
 * `problem`), what it leaves to a human stays; the rest (what is already fine, side effects)
 * is in the endpoints and apps, not in the findings.
 */
function asProblem(finding: Finding): ReportFinding[] {
  const slug = finding.ruleId.replace(/^ai-secure\//, '');
  if (finding.kind === 'changed' && finding.problem) {
    return [
      {
        ruleId: finding.ruleId,
        kind: 'changed',
        severity: finding.problem.severity,
        message: finding.problem.message,
        fix: finding.fix ?? `npx ai-secure-codemods ${slug} fixes it`,
        file: finding.file,
        line: finding.line,
      },
    ];
  }
  // A human's finding may describe what the step did too ("replaced…, rotate it"): say the problem.
  if (finding.kind === 'needs-human')
    return [
      {
        ...asReportFinding(finding),
        ...(finding.problem ? { message: finding.problem.message, severity: finding.problem.severity } : {}),
      },
    ];
  return [];
}

function asReportFinding(finding: Finding): ReportFinding {
  const { ruleId, kind, severity, message, fix, file, line, followsFix } = finding;
  return {
    ruleId,
    kind,
    severity,
    message,
    ...(fix ? { fix } : {}),
    ...(file ? { file } : {}),
    ...(line ? { line } : {}),
    ...(followsFix ? { followsFix } : {}),
  };
}

/** A well-kept limiter for each framework we do not handle yet. */
const LIMITERS: Partial<Record<AppInfo['framework'], string>> = {
  express: 'express-rate-limit',
  hono: 'hono-rate-limiter',
  fastify: '@fastify/rate-limit',
  koa: 'koa-ratelimit',
  django: 'django-ratelimit',
  quart: 'quart-rate-limiter',
  starlette: 'slowapi',
  litestar: "Litestar's RateLimitConfig",
  sanic: 'a Sanic middleware',
};

/** Apps of frameworks we do not handle yet, that call a paid API: their endpoints are not checked. */
function unhandledApps(apps: AppInfo[], aiCalls: AiCallSite[]): ReportFinding[] {
  return apps.flatMap((app) => {
    const calls = aiCalls.filter((call) => app.handled === false && isInside(call.file, app.root));
    if (!calls.length) return [];
    // High, so the gate fails: a paid endpoint we could not check is not a passing one.
    return [
      {
        ruleId: UNHANDLED_RULE,
        kind: 'needs-human',
        severity: 'high',
        file: calls[0]!.file,
        line: calls[0]!.line,
        message: `${/^[AEIOU]/.test(FRAMEWORK_NAMES[app.framework]) ? 'an' : 'a'} ${FRAMEWORK_NAMES[app.framework]} app calls a paid AI API (${calls.length} call site${calls.length > 1 ? 's' : ''}): its endpoints are not checked by this tool yet`,
        fix: `rate-limit the endpoints that reach these calls by hand (${LIMITERS[app.framework] ?? 'a limiter keyed on the client address'}): 5 per minute and 50 per day per client`,
      },
    ];
  });
}
