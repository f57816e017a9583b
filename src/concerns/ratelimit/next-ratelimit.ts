import { resolve } from 'node:path';
import type { API, FileInfo, Options } from 'jscodeshift';
import type { AiReach } from '../../project/graph/js.js';
import { ModuleGraph } from '../../project/graph/js.js';
import { Overlay } from '../../project/overlay.js';
import { parseSource } from '../../lang/js/parse.js';
import { discoverFiles } from '../../project/discover.js';
import { findGitRoot } from '../../project/git.js';
import {
  describeApp,
  findAppRootOf,
  nextEntryPoints,
  routeOf,
  type NextApp,
  type RouteKind,
} from '../../frameworks/next/app.js';
import { workspacePackages, workspaceRootOf } from '../../project/manifests.js';
import { readLimitOptions as readOptions } from './options.js';
import { defineStep, type StepContext } from '../../step/contract.js';
import type { Finding } from '../../core/finding.js';
import { applyEdits, type Edit } from '../../core/edits.js';
import {
  judgeLimiter,
  limiterImport,
  moduleLimiter,
  ownAiUse,
  requiredLimiter,
  type LimiterVerdict,
} from './evidence.js';
import { OUR_MARKER } from '../../frameworks/next/helper-module.js';
import { addImport, bindsName } from '../../lang/js/imports.js';
import { propertyOf, spreadProperty, topLevelBindings } from '../../lang/js/module-bindings.js';
import { findMiddlewareLimiter, type MiddlewareLimiter } from './next-ratelimit/middleware.js';
import {
  ensureHelperFiles,
  helperPlan,
  limitsArgument,
  limitsLabel,
  type HelperPlan,
  type Limits,
} from './next-ratelimit/helper.js';
import {
  declaresEdgeRuntime,
  exportedMethodsFromText,
  findAppRouteHandlers,
  findPagesRouteHandler,
  type RouteHandler,
} from '../../frameworks/next/route-handlers.js';
import { guardFunction } from './next-ratelimit/insert-guard.js';
import { reportServerActions, reportTrpcProcedures } from './next-ratelimit/server-actions.js';
import { detectStyle, lineAt, statement } from '../../core/style.js';
import { meta, options } from './next-ratelimit.meta.js';

/** What the per-file transform needs to know about the file's place in the project. */
export interface RouteContext {
  kind: RouteKind;
  /** The URL path the file serves, e.g. `/api/chat`. */
  routePath: string;
  /** A rate limiter in middleware.ts / proxy.ts, if the app has one. */
  middleware?: MiddlewareLimiter;
  /** False when nothing the file imports, loads or fetches can reach an AI API. */
  fileReachesAi: boolean;
  scope: 'ai' | 'post';
  helper: HelperPlan;
  /** The file's limits: a guard passes them when they differ from the helper's. */
  limits: Limits;
  /** Why the config leaves the file's handlers alone, when it does. */
  skip?: string;
  /** What importing `names` from `specifier` reaches (`'*'`, the default: anything it exports). */
  reachOfImport(specifier: string, names?: readonly string[] | '*'): AiReach | undefined;
  /** The limiter a project module the file imports is seen to use (a known package, our helper), if any. */
  limiterOfModule?(specifier: string): string | undefined;
  report(finding: Omit<Finding, 'ruleId' | 'file'>): void;
  /** Records a handler for the detect report: every method, whether it reaches AI, what limits it. */
  endpoint?(endpoint: { method: string; line: number; ai?: AiReach; rateLimitedBy?: string }): void;
}

/** The helper's exports, as the guards call them. */
const HELPER_EXPORTS = { guard: 'rateLimit', wrap: 'withRateLimit', pages: 'rateLimitPages' } as const;

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'default']);
/** Why a mutating handler that reaches no AI call was left, and how to include it anyway. */
const notInScope = (method: string, scope: 'ai' | 'post') =>
  `no AI call reached, left as it is${scope === 'ai' && (method === 'POST' || method === 'default') ? ' (--scope post protects every POST)' : ''}`;

/**
 * The jscodeshift entry point: protects the route handlers of one file. Run by our runner, it
 * gets the project model through `options.route`; under plain jscodeshift it works the model
 * out for the file's own app (without the helper file, which only our runner creates).
 * jscodeshift's signature, not its Collection API: edits are exact text splices, and the plain
 * AST walk of lang/js/ast.ts is many times faster than ast-types traversals.
 */
export function transformer(file: FileInfo, api: API, opts: Options): string | undefined {
  const route: RouteContext | undefined = opts.route ?? standaloneRoute(file.path, opts, api);
  if (!route) return undefined;
  // Cheap prefilter: a file with no export cannot define a handler.
  if (!/\bexport\b|module\.exports/.test(file.source)) return undefined;

  const source = file.source;
  if (!route.fileReachesAi && route.scope === 'ai') {
    // No handler can reach AI when the whole module cannot: report without parsing.
    for (const { method, offset } of exportedMethodsFromText(source, route.kind)) {
      route.endpoint?.({ method: methodLabel(method), line: lineAt(source, offset) });
      if (MUTATING.has(method))
        route.report({
          kind: 'not-in-scope',
          severity: 'info',
          line: lineAt(source, offset),
          message: `${method === 'default' ? 'handler' : method}: ${notInScope(method, route.scope)}`,
        });
    }
    return undefined;
  }
  const program = parseSource(file.path, source).program;
  const style = detectStyle(source);
  const bindings = topLevelBindings(program);
  const aiOwn = (node: any) => ownAiUse(node, route.reachOfImport);
  const reachesAi = spreadProperty(bindings, (b) => route.reachOfImport(b.source!, b.imported), aiOwn);
  const limited = spreadProperty(
    bindings,
    (b) => limiterImport(b, route.limiterOfModule),
    (node) => requiredLimiter(node, route.limiterOfModule),
  );
  const lineOf = (node: any) => lineAt(source, node.start ?? 0);
  const edgePages = route.kind === 'pages' && declaresEdgeRuntime(program);
  // The route's own limits, passed by its guards when they differ from the helper's (and it takes them).
  const ownLimits = limitsArgument(route.helper, route.limits);
  const limitsArg = route.helper.takesLimits ? ownLimits : undefined;

  const handlers =
    route.kind === 'app'
      ? findAppRouteHandlers(program)
      : [findPagesRouteHandler(program)].filter((h): h is RouteHandler => Boolean(h));
  const targets: RouteHandler[] = [];
  const changed: Parameters<RouteContext['report']>[0][] = []; // reported once the edits are made
  for (const handler of handlers) {
    const label = handler.method === 'default' ? 'handler' : handler.method;
    const reexported = handler.exportNode.source?.value as string | undefined;
    const ai = reexported
      ? route.reachOfImport(reexported, [handler.specifier?.local?.name ?? handler.method])
      : propertyOf(handler.body, reachesAi, aiOwn);
    const inScope = ai !== undefined || (route.scope === 'post' && handlesPost(source, handler));
    const record = (rateLimitedBy?: string) =>
      route.endpoint?.({ method: methodLabel(handler.method), line: lineOf(handler.exportNode), ai, rateLimitedBy });
    if (!inScope) {
      record();
      if (MUTATING.has(handler.method))
        route.report({
          kind: 'not-in-scope',
          severity: 'info',
          line: lineOf(handler.exportNode),
          message: `${label}: ${notInScope(handler.method, route.scope)}`,
        });
      continue;
    }
    const why = ai ? `reaches an AI API (${ai.via})` : 'handles POST';
    if (route.skip) {
      record();
      route.report({
        kind: 'not-in-scope',
        severity: 'info',
        line: lineOf(handler.exportNode),
        message: `${label} ${why}: left as it is, as the config says: ${route.skip}`,
      });
      continue;
    }
    const limiter: LimiterVerdict | undefined =
      judgeLimiter(handler.body, bindings, limited, source) ??
      judgeLimiter(handler.exportNode, bindings, limited, source);
    if (limiter && 'proven' in limiter) {
      record(limiter.proven);
      route.report({
        kind: 'already-protected',
        severity: 'info',
        line: lineOf(handler.exportNode),
        message: `${label} (${why}) is already rate-limited by ${limiter.proven}: left as it is`,
      });
      continue;
    }
    // Named in the finding of the guard we add: what we saw, and why it did not count.
    const middleware = route.middleware;
    const covered = middleware?.covers(route.routePath);
    const seen = limiter && 'rejected' in limiter ? limiter : undefined;
    const inMiddleware = covered !== false && middleware?.rejected ? middleware : undefined;
    const notCounted = seen
      ? `; ${seen.rejected} was not counted as a rate limit: ${seen.why}`
      : inMiddleware
        ? `; ${inMiddleware.evidence} in ${inMiddleware.file} was not counted as a rate limit: ${inMiddleware.rejected}`
        : '';
    if (middleware && covered && !middleware.rejected) {
      record(`${middleware.evidence} in ${middleware.file}`);
      route.report({
        kind: 'already-protected',
        severity: 'info',
        line: lineOf(handler.exportNode),
        message: `${label} (${why}) is already rate-limited by ${middleware.evidence} in ${middleware.file}, whose matcher covers ${route.routePath}: left as it is`,
      });
      continue;
    }
    if (middleware && covered === undefined && !middleware.rejected) {
      route.report({
        kind: 'note',
        severity: 'info',
        line: lineOf(handler.exportNode),
        message: `${middleware.file} rate-limits with ${middleware.evidence}, but its matcher is not a literal we can read: ${label} gets its own guard too`,
      });
    }
    record();
    if (handler.how === 'manual') {
      route.report({
        kind: 'needs-human',
        severity: 'high',
        line: lineOf(handler.exportNode),
        message: `${label} ${why} and is not rate-limited: ${handler.reason}`,
        fix: `call ${HELPER_EXPORTS.guard}(${['request', ownLimits].filter(Boolean).join(', ')}) from ${route.helper.specifierFor(file.path)} at the top of the handler, or wrap it in ${HELPER_EXPORTS.wrap}()`,
      });
      continue;
    }
    targets.push(handler);
    changed.push({
      kind: 'changed',
      severity: 'info',
      line: lineOf(handler.exportNode),
      message: `${label} ${why}: rate-limited (${limitsLabel(limitsArg || !ownLimits ? route.limits : route.helper.limits)})${notCounted}`,
      problem: { message: `${label} ${why} and is not rate-limited${notCounted}`, severity: 'high' },
    });
  }
  if (!targets.length) return undefined;

  const edits: Edit[] = [];
  const names = { guard: '', wrap: '', pages: '' };
  const nameFor = (key: keyof typeof HELPER_EXPORTS) => (names[key] ||= freeName(program, HELPER_EXPORTS[key]));
  const guarded = new Set<any>();
  const rewrittenExports = new Map<any, { specifiers: any[]; wraps: string[] }>();

  for (const handler of targets) {
    // A function exported under several methods is guarded once only if all of them are targets.
    const shared = handler.sharedWith?.some(
      (m) => !targets.some((t) => t.method === m && t.localName === handler.localName),
    );
    if (handler.how === 'guard' && !shared) {
      if (guarded.has(handler.fn)) continue;
      guarded.add(handler.fn);
      const problem = guardFunction(
        source,
        handler.fn,
        style,
        route.kind === 'pages' && !edgePages ? 'pages' : 'app',
        nameFor,
        edits,
        /\.(ts|tsx|mts|cts)$/.test(file.path),
        limitsArg,
      );
      if (problem) {
        route.report({
          kind: 'needs-human',
          severity: 'high',
          line: lineOf(handler.fn),
          message: `${handler.method === 'default' ? 'handler' : handler.method}: ${problem}; nothing in this file was changed`,
          fix: `add the guard by hand: const limited = await ${HELPER_EXPORTS.guard}(request); if (limited) return limited;`,
        });
        return undefined;
      }
    } else if (handler.specifier) {
      const entry = rewrittenExports.get(handler.exportNode) ?? { specifiers: [], wraps: [] };
      entry.specifiers.push(handler.specifier);
      entry.wraps.push(
        statement(
          `export const ${handler.method} = ${nameFor('wrap')}(${[handler.specifier.local.name, limitsArg].filter(Boolean).join(', ')})`,
          style,
        ),
      );
      rewrittenExports.set(handler.exportNode, entry);
    } else {
      const target = handler.target;
      edits.push(
        { start: target.start, end: target.start, text: `${nameFor('wrap')}(` },
        { start: target.end, end: target.end, text: limitsArg ? `, ${limitsArg})` : ')' },
      );
    }
  }
  for (const [exportNode, { specifiers, wraps }] of rewrittenExports) {
    const kept = exportNode.specifiers
      .filter((s: any) => !specifiers.includes(s))
      .map((s: any) => source.slice(s.start, s.end));
    const lines = kept.length ? [statement(`export { ${kept.join(', ')} }`, style), ...wraps] : wraps;
    edits.push({ start: exportNode.start, end: exportNode.end, text: lines.join(style.eol) });
  }

  const imported = (Object.keys(names) as (keyof typeof names)[])
    .filter((key) => names[key])
    .map((key) => ({ name: HELPER_EXPORTS[key], local: names[key] }));
  edits.push(...addImport(program, source, route.helper.specifierFor(file.path), imported, style));
  const output = applyEdits(source, edits);
  changed.forEach(route.report);
  if (ownLimits && !limitsArg) {
    route.report({
      kind: 'needs-human',
      severity: 'low',
      message: `this route's limits are ${limitsLabel(route.limits)}, but ${route.helper.specifierFor(file.path)} was written before a route could have its own: it gets the helper's ${route.helper.limitsLabel}`,
      fix: `delete ${route.helper.specifierFor(file.path)} and run again, or edit its limits by hand`,
    });
  }
  return output;
}

/** `default` (a Pages Router handler) takes every method. */
const methodLabel = (method: string) => (method === 'default' ? '*' : method);

/** A local name for one of the helper's exports that the module does not use yet. */
function freeName(program: any, name: string): string {
  if (!bindsName(program, name)) return name;
  const alias = `aiSecure${name[0]!.toUpperCase()}${name.slice(1)}`;
  for (let i = 2; ; i++) {
    const candidate = i === 2 ? alias : `${alias}${i}`;
    if (!bindsName(program, candidate)) return candidate;
  }
}

/** Whether a handler serves POST: App Router by its name; a Pages handler unless it only takes other methods. */
function handlesPost(source: string, handler: RouteHandler): boolean {
  if (handler.method !== 'default') return handler.method === 'POST';
  const code = source.slice(handler.body.start, handler.body.end);
  return /['"]POST['"]/.test(code) || !/\.method\b|\bmethod\s*[!=]==/.test(code);
}

/** Under plain jscodeshift: the file's app, found on disk, and its module graph, kept per app. */
const standaloneApps = new Map<
  string,
  { app: NextApp; graph: ModuleGraph; overlay: Overlay; helper: HelperPlan; middleware?: MiddlewareLimiter }
>();

function standaloneRoute(given: string, opts: Options, api: API): RouteContext | undefined {
  const path = resolve(given); // jscodeshift passes paths as the user typed them
  const root = findAppRootOf(path);
  if (!root) return undefined;
  let entry = standaloneApps.get(root);
  if (!entry) {
    const app = describeApp(root);
    const overlay = new Overlay();
    // Once per app and worker: the monorepo's package.json files, for its workspace packages.
    const top = workspaceRootOf(root, findGitRoot(root));
    const files = discoverFiles([top]);
    const graph = new ModuleGraph(
      overlay,
      [app],
      workspacePackages(files),
      new Set(files),
      [top],
      nextEntryPoints([app]),
    );
    entry = {
      app,
      graph,
      overlay,
      helper: helperPlan(app, overlay, readOptions(opts)),
      middleware: findMiddlewareLimiter(app, overlay),
    };
    standaloneApps.set(root, entry);
  }
  const { app, graph, overlay, helper, middleware } = entry;
  const file = routeOf(app, path);
  if (!file) return undefined;
  return {
    kind: file.kind,
    routePath: file.route,
    middleware,
    fileReachesAi: graph.aiReach(path) !== undefined,
    scope: readOptions(opts).scope,
    helper,
    limits: readOptions(opts),
    reachOfImport: (specifier, names) => graph.aiReachOfImport(path, specifier, names),
    limiterOfModule: (specifier) => limiterOfModule(graph, overlay, path, specifier),
    report: (finding) => api.report(`${finding.kind}: ${finding.message}`),
  };
}

/**
 * The whole-project step: every route file of every Next.js app, then, for each app where a
 * handler now calls the helper, the helper module, its dependencies and the env example.
 */
export function run(ctx: StepContext): void {
  const options = readOptions(ctx.options);
  for (const app of ctx.model.apps) {
    const helper = helperPlan(app, ctx.overlay, options);
    const middleware = findMiddlewareLimiter(app, ctx.overlay);
    let usesHelper = false;
    for (const file of app.routes) {
      // The config may give a route file its own limits and scope, or leave it alone.
      const own = readOptions(ctx.optionsFor(file.path));
      ctx.transformFile(file.path, (source) => {
        const route: RouteContext = {
          kind: file.kind,
          routePath: file.route,
          middleware,
          fileReachesAi: ctx.model.graph.aiReach(file.path) !== undefined,
          scope: own.scope,
          helper,
          limits: own,
          ...(own.skip ? { skip: own.skip } : {}),
          reachOfImport: (specifier, names) => ctx.model.graph.aiReachOfImport(file.path, specifier, names),
          limiterOfModule: (specifier) => limiterOfModule(ctx.model.graph, ctx.overlay, file.path, specifier),
          report: (finding) => {
            const where = `${file.kind === 'app' ? '' : 'Pages '}${file.route}: `;
            const problem = finding.problem && { ...finding.problem, message: where + finding.problem.message };
            ctx.report({
              ...finding,
              ruleId: meta.ruleId,
              file: file.path,
              message: where + finding.message,
              ...(problem ? { problem } : {}),
            });
          },
          endpoint: (e) =>
            ctx.recordEndpoint({
              framework: 'nextjs',
              kind: 'route',
              route: file.route,
              file: file.path,
              ...e,
              ai: e.ai && { via: e.ai.via, chain: e.ai.chain },
            }),
        };
        // Our runner hands the model in through options.route; the jscodeshift API is not used.
        const api = { stats: () => {}, report: () => {} } as unknown as API;
        const output = transformer({ path: file.path, source }, api, { ...ctx.options, route });
        if (output !== undefined && output !== source) usesHelper = true;
        return output;
      });
    }
    reportServerActions(ctx, app, meta.ruleId);
    reportTrpcProcedures(ctx, app, meta.ruleId);
    if (usesHelper) ensureHelperFiles(ctx, app, helper, options);
  }
}

export default defineStep({ meta, options, run, transformFile: transformer });

/** The limiter the project module `specifier` (imported by `from`) uses, read from its text. */
function limiterOfModule(graph: ModuleGraph, overlay: Overlay, from: string, specifier: string): string | undefined {
  const target = graph.resolve(from, specifier);
  const text = target && overlay.read(target);
  return text ? moduleLimiter(text, OUR_MARKER) : undefined;
}
