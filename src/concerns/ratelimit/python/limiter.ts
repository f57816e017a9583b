import { judgePythonLimiter } from './evidence.js';
import { blanksBefore } from '../../../core/style.js';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { packageRoot } from '../../../core/package-root.js';
import { ParseError } from '../../../core/parse-error.js';
import { importBindings } from '../../../lang/python/import-bindings.js';
import { parsePython, pythonSyntaxError, type PythonNode } from '../../../lang/python/parse.js';
import type { StepContext } from '../../../step/contract.js';
import type { Finding } from '../../../core/finding.js';
import { applyEdits, type Edit } from '../../../core/edits.js';
import { addEnvNames, envExamplesOf } from '../../../project/project-files.js';
import {
  addRequirement,
  capsBelowMajor,
  findDependencyFile,
  versionSpecOf,
  type Requirement,
} from '../../../project/python-deps.js';
import { detectPythonStyle, PythonImports, STDLIB, type PythonStyle } from '../../../lang/python/imports.js';
import {
  findModuleRoutes,
  importedFrameworkObject,
  keywordArgument,
  stringValue,
  type AppCreation,
  type Endpoint,
  type PyFramework,
} from '../../../frameworks/python/routes.js';
import { isTestFile } from '../../../knowledge/test-files.js';

// Workflow step 2 for Python backends, shared by fastapi-ratelimit (slowapi) and flask-ratelimit
// (Flask-Limiter): find the endpoints that reach an AI call, put two limit decorators under each
// route decorator, create one Limiter (inline in a single-module app, in rate_limiting.py beside
// the app when routers elsewhere need it), attach it where the app is made, and add the package
// to the app's dependency file. Both libraries count a limit once per decorator, so endpoints
// already limited are left exactly as they are.

export interface PythonRatelimitOptions {
  perMinute: number;
  perDay: number;
  scope: 'ai' | 'post';
  /** Why the config leaves this file's endpoints alone (an override with `"skip": true`). */
  skip?: string;
}

/** What differs between the two libraries. */
export interface LimiterFlavor {
  fw: PyFramework;
  ruleId: string;
  /** The Python package the Limiter class comes from. */
  limiterPackage: string;
  requirement: Requirement;
  /** templates/python/<file>: the module we create, whose `limiter = Limiter(…)` block is also the inline form. */
  template: string;
  limit(count: number, unit: 'minute' | 'day'): string;
  /**
   * The lines that attach the limiter to the app, right after `app = …` (same indentation),
   * leaving out what the module already does (`attached`), so that a second run adds nothing.
   * `use(module, name)` imports a name and returns its local name.
   */
  wiring(app: string, limiter: string, attached: Attached, use: (module: string, name: string) => string): string[];
  /** Whether the inline limiter takes the app itself (`Limiter(…, app=app)` in Flask). */
  inlineTakesApp: boolean;
  /**
   * Edits an endpoint needs besides the decorators (FastAPI: a `request: Request` parameter), or why it is left alone.
   */
  prepareEndpoint?(
    endpoint: Endpoint,
    root: PythonNode,
    source: string,
    imports: PythonImports,
    style: PythonStyle,
  ): Edit[] | string;
  /** What to tell a project deployed behind a proxy (the client address is the proxy's otherwise). */
  proxyAdvice(text: string): string | undefined;
  /**
   * The oldest major version of the framework the limiter release we add installs beside, and why:
   * a project whose dependency file keeps the framework below it is reported, not edited (pip
   * could not resolve the install, and the code we write is for that release).
   */
  frameworkFloor?: { package: string; major: number; why: string };
}

/** What the app module already has of the limiter's wiring (a limiter passed `app=` counts as attached). */
export interface Attached {
  state: boolean;
  handler: boolean;
  initApp: boolean;
}

/** The limiter we use in a project: one the user already has, or ours (inline or in a module). */
type ExistingLimiter = { kind: 'existing'; file: string; name: string; line: number; takesApp: boolean };
type LimiterPlan = ExistingLimiter | { kind: 'inline'; file: string } | { kind: 'module'; file: string };

/** What the analysis keeps of a module once its tree is gone. */
interface FileAnalysis {
  file: string;
  apps: Pick<AppCreation, 'variable' | 'line' | 'factoryName'>[];
  /** The in-scope endpoints, by endpointKey. */
  targets: number[];
  /** The decorators' limit strings for this file's endpoints (the config may give a file its own). */
  limits: string[];
}

const UNCOVERABLE_FIX: Record<'websocket' | 'generated' | 'route', string> = {
  websocket:
    "count messages per client inside the handler (the limiter's storage can do it), or cap what one connection may spend",
  generated:
    "limit these endpoints with a dependency or a middleware on the app (slowapi's SlowAPIMiddleware with default_limits)",
  route:
    'decorate the view with the limiter by hand (class-based views: method_decorators = [limiter.limit("5/minute"), limiter.limit("50/day")])',
};

/** An endpoint as the edit pass finds it again: by its route decorator's offset (the text is the same). */
const endpointKey = (e: Endpoint) => e.decorator.startIndex;

/**
 * The step, for one framework: analysis of every candidate module, then the edits. `optionsFor` gives a module's limits
 * and scope.
 */
export function runPythonRatelimit(
  ctx: StepContext,
  flavor: LimiterFlavor,
  optionsFor: (file: string) => PythonRatelimitOptions,
): void {
  const { fw } = flavor;
  const report = (finding: Omit<Finding, 'ruleId'>) => ctx.report({ ...finding, ruleId: flavor.ruleId });
  const candidates = ctx.model.files.filter(
    (f) => f.endsWith('.py') && !isTestFile(f, ctx.givenDirs) && ctx.overlay.containsAny(f, [fw.package]),
  );
  const analyses: FileAnalysis[] = [];
  const globalLimit = findDefaultLimits(ctx, flavor);
  const mounts = mountPrefixes(ctx, candidates);

  for (const file of candidates) {
    const source = ctx.overlay.read(file);
    if (source === undefined) continue;
    const tree = parsePython(source);
    const error = pythonSyntaxError(tree);
    if (error) {
      // Recorded as this file's error by the runner, with its line; nothing in it is edited.
      ctx.transformFile(file, () => {
        throw new ParseError(error.message, error.line);
      });
      tree.delete();
      continue;
    }
    const routes = findModuleRoutes(tree.rootNode, fw, importedFrameworkObject(ctx.model.python, file, fw));
    const framework = fw.name === 'FastAPI' ? 'fastapi' : 'flask';
    for (const item of routes.uncoverable) {
      // Reported when it reaches AI (or cannot be told: generated endpoints, views we cannot find).
      const ai = item.code
        ? ctx.model.python.reachOfNode(file, item.code)
        : item.target
          ? ctx.model.python.reachOfName(file, item.target)
          : undefined;
      const unknown = !item.code && !item.target;
      ctx.recordEndpoint({
        framework,
        kind: item.kind,
        method: item.kind === 'websocket' ? 'WS' : '*',
        route: item.path ?? '?',
        file,
        line: item.line,
        ai,
      });
      if (!ai && !unknown) continue;
      const why = ai ? `reaches an AI API (${ai.via})` : 'may reach an AI API';
      report({
        kind: 'needs-human',
        severity: ai ? 'high' : 'medium',
        file,
        line: item.line,
        message: `${item.what} ${why} and is not rate-limited: our decorators can only be placed on route functions`,
        fix: UNCOVERABLE_FIX[item.kind],
      });
    }
    reportForeignRouters(ctx, file, routes.included, report);
    const options = optionsFor(file);
    const targets: number[] = [];
    for (const endpoint of routes.endpoints) {
      // The path as served: a router mounted with a prefix (`include_router(r, prefix="/api")`) adds it.
      endpoint.path = (mounts.get(`${file}\0${endpoint.receiver}`) ?? '') + endpoint.path;
      const label = `${endpoint.methods.join(',')} ${endpoint.path} (${endpoint.name})`;
      const ai = ctx.model.python.reachOfNode(file, endpoint.fn);
      const limiter = judgePythonLimiter(endpoint);
      const by = (limiter && 'proven' in limiter ? limiter.proven : undefined) ?? globalLimit;
      // Named in the finding of the decorator we add: what we saw, and why it did not count.
      const notCounted =
        limiter && 'rejected' in limiter ? `; ${limiter.rejected} was not counted as a rate limit: ${limiter.why}` : '';
      ctx.recordEndpoint({
        framework,
        kind: 'route',
        method: endpoint.methods.join(','),
        route: endpoint.path,
        file,
        line: endpoint.line,
        ai,
        rateLimitedBy: by,
      });
      const post = endpoint.methods.includes('POST');
      if (!ai && !(options.scope === 'post' && post)) {
        if (endpoint.methods.some((m) => m !== 'GET' && m !== 'HEAD' && m !== 'OPTIONS')) {
          report({
            kind: 'not-in-scope',
            severity: 'info',
            file,
            line: endpoint.line,
            message: `${label}: no AI call reached, left as it is${options.scope === 'ai' && post ? ' (--scope post limits every POST)' : ''}`,
          });
        }
        continue;
      }
      const why = ai
        ? `reaches an AI API (${ai.via}${
            ai.chain.length > 1
              ? ` via ${ai.chain
                  .slice(1)
                  .map((f) => relative(dirname(file), f))
                  .join(' → ')}`
              : ''
          })`
        : 'handles POST';
      if (options.skip) {
        report({
          kind: 'not-in-scope',
          severity: 'info',
          file,
          line: endpoint.line,
          message: `${label} ${why}: left as it is, as the config says: ${options.skip}`,
        });
        continue;
      }
      if (by) {
        report({
          kind: 'already-protected',
          severity: 'info',
          file,
          line: endpoint.line,
          message: `${label} ${why} and is already rate-limited by ${by}: left as it is`,
        });
        continue;
      }
      const pinnedBelow = frameworkTooOld(ctx, flavor, file);
      if (pinnedBelow) {
        report({
          kind: 'needs-human',
          severity: 'high',
          file,
          line: endpoint.line,
          message: `${label} ${why} and is not rate-limited; nothing was changed: ${pinnedBelow}`,
          fix: `upgrade ${flavor.frameworkFloor!.package} to ${flavor.frameworkFloor!.major} or later, then run this step again`,
        });
        continue;
      }
      targets.push(endpointKey(endpoint));
      report({
        kind: 'changed',
        severity: 'info',
        file,
        line: endpoint.line,
        message: `${label} ${why}: rate-limited (${flavor.limit(options.perMinute, 'minute')} + ${flavor.limit(options.perDay, 'day')} per client)${notCounted}`,
        problem: { message: `${label} ${why} and is not rate-limited${notCounted}`, severity: 'high' },
      });
    }
    const limits = [flavor.limit(options.perDay, 'day'), flavor.limit(options.perMinute, 'minute')];
    analyses.push({
      file,
      apps: routes.apps.map(({ variable, line, factoryName }) => ({ variable, line, factoryName })),
      targets,
      limits,
    });
    tree.delete();
  }

  const appFiles = analyses.filter((a) => a.apps.length);
  if (!appFiles.length) {
    const endpoints = analyses.reduce((n, a) => n + a.targets.length, 0);
    if (endpoints) {
      report({
        kind: 'needs-human',
        severity: 'high',
        message: `${endpoints} ${fw.name} endpoint(s) reach an AI call, but no \`${fw.app}(...)\` app was found to attach a limiter to: nothing was changed`,
        fix: `create the app with ${fw.app}() in a module we can see, or add ${flavor.limiterPackage} by hand`,
      });
    } else if (!candidates.length) {
      report({ kind: 'note', severity: 'info', message: `no ${fw.name} app found (no module imports ${fw.package})` });
    }
    return;
  }
  for (const a of appFiles)
    for (const app of a.apps)
      report({
        kind: 'note',
        severity: 'info',
        file: a.file,
        line: app.line,
        message: `${fw.name} app \`${app.variable}\`${app.factoryName ? ` made in ${app.factoryName}()` : ''}`,
      });

  const targetsAnywhere = analyses.filter((a) => a.targets.length);
  if (!targetsAnywhere.length) return;

  // One limiter per app module; an endpoint module uses the app module nearest above it.
  // The app that serves an endpoint module is one whose module imports it (through any chain of
  // project imports); among several, or none, the nearest by folder.
  const byDistance = (file: string) =>
    [...appFiles]
      .sort((x, y) => y.file.length - x.file.length)
      .filter((a) => file.startsWith(dirname(a.file) + sep) || a.file === file);
  const reachable = new Map(appFiles.map((a) => [a.file, importClosure(ctx, a.file)]));
  const appFor = (file: string) => {
    const serving = appFiles.filter((a) => reachable.get(a.file)!.has(file));
    return byDistance(file).find((a) => serving.includes(a)) ?? serving[0] ?? byDistance(file)[0] ?? appFiles[0]!;
  };
  const existing = findExistingLimiter(ctx, flavor);
  const plans = new Map<string, LimiterPlan>();
  for (const a of appFiles) {
    const served = targetsAnywhere.filter((t) => appFor(t.file) === a);
    if (!served.length) continue;
    if (existing) plans.set(a.file, existing);
    else if (served.every((t) => t.file === a.file)) plans.set(a.file, { kind: 'inline', file: a.file });
    else plans.set(a.file, { kind: 'module', file: moduleFileFor(ctx, dirname(a.file)) });
  }
  if (existing)
    report({
      kind: 'note',
      severity: 'info',
      file: existing.file,
      line: existing.line,
      message: `uses the project's own limiter \`${existing.name}\``,
    });

  for (const a of analyses) {
    const appFile = a.apps.length ? a : appFor(a.file);
    const plan = plans.get(appFile.file);
    const isAppModule = a.apps.length > 0 && plan !== undefined;
    if (!a.targets.length && !isAppModule) continue;
    const keys = new Set(a.targets);
    ctx.transformFile(a.file, (source) =>
      editModule(source, a.file, keys, isAppModule, plan!, flavor, a.limits, ctx, report),
    );
  }

  for (const plan of new Set(plans.values())) {
    if (plan.kind === 'module')
      ctx.transformFile(plan.file, () => templateText(flavor, detectPythonStyle('')), { createIfMissing: true });
  }
  for (const a of appFiles.filter((a) => plans.has(a.file))) {
    addDependency(ctx, flavor, a.file, report);
    const root = dependencyRootOf(ctx, a.file);
    for (const example of nearestEnvExamples(ctx, root)) {
      ctx.transformFile(example, (text) =>
        addEnvNames(
          text,
          'Rate limit counts: shared between workers when set (e.g. redis://localhost:6379), in memory otherwise',
          ['RATE_LIMIT_STORAGE_URI'],
        ),
      );
    }
    reportProxy(ctx, flavor, root, a.file, report);
  }
}

/**
 * The prefixes routers are mounted with: `app.include_router(chat.router, prefix="/api")`,
 * `app.register_blueprint(bp, url_prefix="/v1")`, keyed by the router's module and variable.
 * One level: a router mounted inside another router keeps only its own prefix.
 */
function mountPrefixes(ctx: StepContext, candidates: string[]): Map<string, string> {
  const mounts = new Map<string, string>();
  for (const file of candidates) {
    if (!ctx.overlay.containsAny(file, ['include_router', 'register_blueprint'])) continue;
    const source = ctx.overlay.read(file);
    if (source === undefined) continue;
    const tree = parsePython(source);
    const scan = ctx.model.python.scan(file);
    for (const call of tree.rootNode.descendantsOfType('call')) {
      const method = call?.childForFieldName('function');
      const name = method?.type === 'attribute' ? method.childForFieldName('attribute')!.text : '';
      if (name !== 'include_router' && name !== 'register_blueprint') continue;
      const prefix = stringValue(keywordArgument(call!, name === 'include_router' ? 'prefix' : 'url_prefix'));
      const router = call!.childForFieldName('arguments')?.namedChildren[0];
      if (!prefix || !router) continue;
      const [head, attr] = router.text.split('.');
      const refs = scan?.importsAll.get(head!) ?? [];
      if (attr !== undefined) {
        // `chat.router`: `chat` is a module.
        for (const ref of refs) {
          const module = ctx.model.python.resolve(
            file,
            ref.name ? (ref.module.endsWith('.') ? ref.module + ref.name : `${ref.module}.${ref.name}`) : ref.module,
          );
          if (module) mounts.set(`${module}\0${attr}`, prefix);
        }
      } else if (refs.some((ref) => ref.name)) {
        // `from .views import router as agent_router`: the name in its module.
        for (const ref of refs.filter((r) => r.name)) {
          const module = ctx.model.python.resolve(file, ref.module);
          if (module) mounts.set(`${module}\0${ref.name}`, prefix);
        }
      } else mounts.set(`${file}\0${head}`, prefix);
    }
    tree.delete();
  }
  return mounts;
}

/**
 * Routers included from installed packages (`app.include_router(package.router)`): their
 * endpoints live outside the project, where no decorator of ours can go.
 */
function reportForeignRouters(
  ctx: StepContext,
  file: string,
  included: { line: number; name: string }[],
  report: (finding: Omit<Finding, 'ruleId'>) => void,
): void {
  const scan = ctx.model.python.scan(file);
  for (const { line, name } of included) {
    const ref = scan?.imports.get(name);
    if (!ref || ref.module.startsWith('.') || ctx.model.python.resolve(file, ref.module)) continue;
    report({
      kind: 'needs-human',
      severity: 'medium',
      file,
      line,
      message: `a router from the installed package ${ref.module.split('.')[0]} (${name}): its endpoints are outside the project, a limit decorator cannot cover them`,
      fix: 'check whether they call a paid API; if so, limit them with a dependency on the include_router call or a middleware',
    });
  }
}

/** The module text of one file with our decorators, imports and wiring. */
function editModule(
  source: string,
  file: string,
  targetKeys: Set<number>,
  isAppModule: boolean,
  plan: LimiterPlan,
  flavor: LimiterFlavor,
  limits: string[],
  ctx: StepContext,
  report: (finding: Omit<Finding, 'ruleId'>) => void,
): string | undefined {
  const tree = parsePython(source);
  try {
    const root = tree.rootNode;
    const style = detectPythonStyle(source);
    const imports = new PythonImports(
      root,
      style,
      (module) => module.startsWith('.') || Boolean(ctx.model.python.resolve(file, module)),
    );
    const routes = findModuleRoutes(root, flavor.fw, importedFrameworkObject(ctx.model.python, file, flavor.fw));
    const targets = routes.endpoints.filter((e) => targetKeys.has(endpointKey(e)));
    const edits: Edit[] = [];
    // Imported only when something here uses it, so that a module needing nothing gets nothing.
    let name: string | undefined;
    const limiter = () => (name ??= limiterNameIn(plan, file, root, imports, ctx));
    for (const endpoint of targets) {
      const extra = flavor.prepareEndpoint?.(endpoint, root, source, imports, style) ?? [];
      if (typeof extra === 'string') {
        report({
          kind: 'needs-human',
          severity: 'high',
          file,
          line: endpoint.line,
          message: `${endpoint.methods.join(',')} ${endpoint.path} (${endpoint.name}) was not rate-limited: ${extra}`,
          fix: `add the two @limiter.limit(…) decorators under the route decorator by hand once that is fixed`,
        });
        continue;
      }
      edits.push(...extra, limitDecorators(endpoint, limiter(), limits, source, style));
    }
    if (isAppModule)
      edits.push(...wiringEdits(routes.apps, root, source, plan, flavor, limiter, imports, style, targets));
    if (!edits.length) return undefined;
    // Imports first: at the end of the import block they come before an inline limiter there.
    return applyEdits(source, [...imports.edits(source), ...edits]);
  } finally {
    tree.delete();
  }
}

/** `@limiter.limit("50/day")` then `@limiter.limit("5/minute")` right under the route decorator. */
function limitDecorators(
  endpoint: Endpoint,
  limiter: string,
  limits: string[],
  source: string,
  style: PythonStyle,
): Edit {
  const decorators = endpoint.decorated.namedChildren.filter((c): c is PythonNode => c?.type === 'decorator');
  const next = decorators[decorators.indexOf(endpoint.decorator) + 1] ?? endpoint.fn;
  const indent = blanksBefore(source, endpoint.decorated.startIndex);
  const q = style.quote;
  // The minute limit innermost: slowapi checks limits in the order the decorators were applied
  // (bottom up) and stops at the first one exceeded, so a request refused for the minute does
  // not use up the day's allowance (in the other order it does). Flask-Limiter sorts them itself.
  const text = limits.map((limit) => `@${limiter}.limit(${q}${limit}${q})${style.eol}${indent}`).join('');
  return { start: next.startIndex, end: next.startIndex, text };
}

/**
 * The limiter's name in a module, adding its import: from our module (relative or absolute, the
 * way the module imports its neighbours), from the project's existing limiter, or none when the
 * limiter is created inline in this very module.
 */
function limiterNameIn(
  plan: LimiterPlan,
  file: string,
  root: PythonNode,
  imports: PythonImports,
  ctx: StepContext,
): string {
  if (plan.kind === 'inline') return 'limiter';
  const name = plan.kind === 'existing' ? plan.name : 'limiter';
  if (plan.file === file) return name;
  return imports.from(moduleNameFor(ctx, file, plan.file, root), name, `ai_secure_${name}`, { local: true });
}

/** The wiring lines after `app = …`, and the inline limiter when the plan says so. */
function wiringEdits(
  apps: AppCreation[],
  root: PythonNode,
  source: string,
  plan: LimiterPlan,
  flavor: LimiterFlavor,
  limiter: () => string,
  imports: PythonImports,
  style: PythonStyle,
  targets: Endpoint[],
): Edit[] {
  const edits: Edit[] = [];
  const inline = plan.kind === 'inline';
  const attached = attachedIn(source, plan);
  let limiterDone = !inline;
  for (const app of apps) {
    const indent = blanksBefore(source, app.statement.startIndex);
    const lines: string[] = [];
    // The inline limiter goes right after the app when every decorated endpoint comes later in
    // the module; otherwise (endpoints above the app, an app factory) after the imports.
    const afterApp = !app.factory && targets.every((t) => t.decorated.startIndex > app.statement.endIndex);
    if (!limiterDone) {
      const block = inlineLimiter(flavor, style, imports, afterApp && flavor.inlineTakesApp ? app.variable : undefined);
      if (afterApp) lines.push(...block.split(style.eol).map((l) => (l ? indent + l : l)));
      else edits.push(afterImports(root, source, block, style));
      limiterDone = true;
      if (afterApp && flavor.inlineTakesApp) {
        edits.push(insertAfter(source, app.statement, lines, style));
        continue;
      }
    }
    lines.push(
      ...flavor
        .wiring(app.variable, limiter(), attached, (module, name) => imports.from(module, name))
        .map((l) => indent + l),
    );
    if (lines.length) edits.push(insertAfter(source, app.statement, lines, style));
  }
  return edits;
}

/** Lines after a statement: after the end of its last line, so a trailing comment stays with it. */
function insertAfter(source: string, statement: PythonNode, lines: string[], style: PythonStyle): Edit {
  const newline = source.indexOf('\n', statement.endIndex);
  const end = newline < 0 ? source.length : source[newline - 1] === '\r' ? newline - 1 : newline;
  return { start: end, end, text: lines.map((l) => style.eol + l).join('') };
}

/** A block after the module's imports (where a module-level limiter must be, before any decorator uses it). */
function afterImports(root: PythonNode, source: string, block: string, style: PythonStyle): Edit {
  const statements = root.namedChildren.filter((n): n is PythonNode => Boolean(n) && n!.type !== 'comment');
  const isImport = (s: PythonNode) => /import/.test(s.type);
  let last = -1;
  for (
    let i = 0;
    i < statements.length &&
    (isImport(statements[i]!) ||
      (i === 0 && statements[i]!.type === 'expression_statement' && statements[i]!.firstNamedChild?.type === 'string'));
    i++
  )
    last = i;
  const end = last >= 0 ? statements[last]!.endIndex : source.startsWith('\uFEFF') ? 1 : 0;
  return { start: end, end, text: `${style.eol}${style.eol}${block}` };
}

/** The `limiter = Limiter(…)` block of the template, in the module's style, with its imports. */
function inlineLimiter(flavor: LimiterFlavor, style: PythonStyle, imports: PythonImports, app?: string): string {
  const block = /^limiter = Limiter\([\s\S]*?^\)$/m.exec(templateText(flavor, style))![0];
  imports.module('os');
  imports.from(flavor.limiterPackage, 'Limiter');
  imports.from(`${flavor.limiterPackage}.util`, 'get_remote_address');
  const withApp = app ? block.replace(/(get_remote_address,)/, `$1${style.eol}${style.indent}app=${app},`) : block;
  return withApp;
}

/** Our module's text in the project's style (quotes, line endings, indentation). */
function templateText(flavor: LimiterFlavor, style: PythonStyle): string {
  const text = readFileSync(join(packageRoot(), 'templates/python', flavor.template), 'utf8');
  const quoted = style.quote === "'" ? text.replace(/"(?!"")([^"\n]*)"/g, "'$1'") : text;
  return quoted.replace(/^ {4}/gm, style.indent).replace(/\n/g, style.eol);
}

function attachedIn(source: string, plan: LimiterPlan): Attached {
  const name = plan.kind === 'existing' ? plan.name : 'limiter';
  return {
    state: /\.state\.limiter\s*=/.test(source),
    handler: /exception_handler\(\s*RateLimitExceeded/.test(source),
    initApp: (plan.kind === 'existing' && plan.takesApp) || new RegExp(`\\b${name}\\.init_app\\(`).test(source),
  };
}

/** A limit every route gets without a decorator: `Limiter(…, default_limits=[…])` with its middleware. */
function findDefaultLimits(ctx: StepContext, flavor: LimiterFlavor): string | undefined {
  for (const file of ctx.model.files) {
    if (!file.endsWith('.py') || !ctx.overlay.containsAny(file, ['default_limits'])) continue;
    const text = ctx.overlay.read(file) ?? '';
    if (!text.includes(flavor.limiterPackage) || !/default_limits\s*=\s*\[\s*\S/.test(text)) continue;
    // slowapi applies default limits only through its middleware; Flask-Limiter to every route.
    if (flavor.fw.name === 'FastAPI' && !/SlowAPI(ASGI)?Middleware/.test(text)) continue;
    return `default_limits in ${basename(file)}`;
  }
  return undefined;
}

/** A module-level `name = Limiter(…)` from the library, anywhere in the project. */
function findExistingLimiter(ctx: StepContext, flavor: LimiterFlavor): ExistingLimiter | undefined {
  for (const file of ctx.model.files) {
    if (!file.endsWith('.py') || !ctx.overlay.containsAny(file, [flavor.limiterPackage])) continue;
    const scan = ctx.model.python.scan(file);
    if (!scan || scan.syntaxError) continue;
    for (const [name, binding] of scan.bindings) {
      const callee = binding.callee;
      if (!callee) continue;
      const ref = scan.imports.get(callee.split('.')[0]!);
      const fromLibrary =
        ref &&
        (ref.module === flavor.limiterPackage ||
          ref.module.startsWith(`${flavor.limiterPackage}.`) ||
          ref.name === flavor.limiterPackage);
      if (fromLibrary && /(^|\.)Limiter$/.test(callee)) {
        const tree = parsePython(ctx.overlay.read(file) ?? '');
        const assignment = tree.rootNode
          .descendantsOfType('assignment')
          .find((n) => n?.childForFieldName('left')?.text === name);
        const line = (assignment?.startPosition.row ?? 0) + 1;
        const call = assignment?.childForFieldName('right');
        const takesApp = Boolean(call?.type === 'call' && keywordArgument(call, 'app'));
        tree.delete();
        return { kind: 'existing', file, name, line, takesApp };
      }
    }
  }
  return undefined;
}

/** `rate_limiting.py` beside the app, or a name that is free when the project has its own. */
function moduleFileFor(ctx: StepContext, dir: string): string {
  for (const name of ['rate_limiting.py', 'ai_rate_limiting.py', 'ai_secure_rate_limiting.py']) {
    const path = join(dir, name);
    if (!ctx.overlay.exists(path)) return path;
  }
  return join(dir, 'ai_secure_rate_limiting.py');
}

/**
 * The dotted name under which `file` can import `target`: relative when the module already
 * imports its neighbours relatively; else absolute from the folder its own absolute local
 * imports resolve from; else from the top of the package chain above the target (the folder a
 * project is run from).
 */
export function moduleNameFor(ctx: StepContext, file: string, target: string, root: PythonNode): string {
  const refs = root.namedChildren.flatMap((s) =>
    s && /import/.test(s.type) ? importBindings(s).map(([, ref]) => ref) : [],
  );
  const stem = target.replace(/\.py$/, '').replace(/[\\/]__init__$/, '');
  if (refs.some((ref) => ref.module.startsWith('.'))) {
    const from = dirname(file);
    const rel = relative(from, dirname(stem)).split(sep).filter(Boolean);
    const up = rel.filter((p) => p === '..').length;
    const down = rel.filter((p) => p !== '..');
    return `${'.'.repeat(up + 1)}${[...down, basename(stem)].join('.')}`;
  }
  // Dotted imports pin the root best; a one-word import may be the standard library's (`import
  // logging` beside a project's own logging.py), so those come last and stdlib names never count.
  const absolute = refs
    .filter((ref) => !STDLIB.has(ref.module))
    .sort((a, b) => b.module.split('.').length - a.module.split('.').length);
  for (const ref of absolute) {
    const resolved = ctx.model.python.resolve(file, ref.module);
    if (!resolved) continue;
    const parts = ref.module.split('.').length;
    let base = resolved.endsWith(`${sep}__init__.py`) ? dirname(resolved) : resolved.replace(/\.py$/, '');
    for (let i = 0; i < parts; i++) base = dirname(base);
    if (stem.startsWith(base + sep)) return relative(base, stem).split(sep).join('.');
  }
  let base = dirname(target);
  while (ctx.model.files.includes(join(base, '__init__.py')) && dirname(base) !== base) base = dirname(base);
  return relative(base, stem).split(sep).join('.');
}

/** Every project module a module imports, directly or through others (itself included). */
function importClosure(ctx: StepContext, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length) {
    const file = queue.pop()!;
    const scan = ctx.model.python.scan(file);
    for (const refs of scan?.importsAll.values() ?? []) {
      for (const ref of refs) {
        const targets = [
          ctx.model.python.resolve(file, ref.module),
          ref.name &&
            ctx.model.python.resolve(
              file,
              ref.module.endsWith('.') ? ref.module + ref.name : `${ref.module}.${ref.name}`,
            ),
        ];
        for (const target of targets) {
          if (!target || seen.has(target)) continue;
          seen.add(target);
          queue.push(target);
        }
      }
    }
  }
  return seen;
}

/**
 * The folder whose dependency file and env example belong to an app module: the nearest with one, up to what the user
 * gave.
 */
function dependencyRootOf(ctx: StepContext, appFile: string): string {
  const stop = ctx.givenDirs.find((d) => appFile.startsWith(d + sep)) ?? dirname(appFile);
  const found = findDependencyFile(dirname(appFile), stop, (p) => ctx.overlay.read(p));
  return found ? dirname(found.path) : stop;
}

/** Why the app's dependency file keeps the framework too old for the limiter we add, if it does. */
function frameworkTooOld(ctx: StepContext, flavor: LimiterFlavor, appFile: string): string | undefined {
  const floor = flavor.frameworkFloor;
  if (!floor) return undefined;
  const stop = ctx.givenDirs.find((d) => appFile.startsWith(d + sep)) ?? dirname(appFile);
  const found = findDependencyFile(dirname(appFile), stop, (p) => ctx.overlay.read(p));
  if (!found || 'unsupported' in found) return undefined;
  const spec = versionSpecOf(found.kind, ctx.overlay.read(found.path) ?? '', floor.package);
  if (!spec || !capsBelowMajor(spec, floor.major)) return undefined;
  return `${relative(dirname(appFile), found.path) || found.path} keeps ${floor.package} ${spec} (${floor.why})`;
}

function addDependency(
  ctx: StepContext,
  flavor: LimiterFlavor,
  appFile: string,
  report: (finding: Omit<Finding, 'ruleId'>) => void,
): void {
  const appDir = dirname(appFile);
  const stop = ctx.givenDirs.find((d) => appDir === d || appDir.startsWith(d + sep)) ?? appDir;
  const found = findDependencyFile(appDir, stop, (p) => ctx.overlay.read(p));
  const wanted = `${flavor.requirement.name}>=${flavor.requirement.minVersion}`;
  if (!found) {
    report({
      kind: 'needs-human',
      severity: 'medium',
      file: appFile,
      message: `no dependency file found (requirements.txt, pyproject.toml, Pipfile): ${flavor.requirement.name} was not added`,
      fix: `add ${wanted} to how you install the app's dependencies`,
    });
    return;
  }
  if ('unsupported' in found) {
    report({
      kind: 'needs-human',
      severity: 'medium',
      file: found.path,
      message: `${found.unsupported}: ${flavor.requirement.name} was not added`,
      fix: `add ${wanted} by hand`,
    });
    return;
  }
  ctx.transformFile(found.path, (text) => {
    const result = addRequirement(found.kind, text, flavor.requirement);
    if ('unsupported' in result) {
      report({
        kind: 'needs-human',
        severity: 'medium',
        file: found.path,
        message: `${result.unsupported}: ${flavor.requirement.name} was not added`,
        fix: `add ${wanted} by hand`,
      });
      return undefined;
    }
    if ('present' in result) return undefined;
    report({
      kind: 'changed',
      severity: 'info',
      file: found.path,
      message: `added ${flavor.requirement.name}: install the app's dependencies again before you run it`,
    });
    return result.text;
  });
  reportOtherInstalls(ctx, flavor, found.path, stop, report);
}

/**
 * A Dockerfile that installs another requirements file than the one we edited (an app in
 * `backend/` built from the repository root's requirements.txt) would ship without the limiter
 * package and crash at import: say where it must go too.
 */
function reportOtherInstalls(
  ctx: StepContext,
  flavor: LimiterFlavor,
  edited: string,
  stop: string,
  report: (finding: Omit<Finding, 'ruleId'>) => void,
): void {
  for (let dir = dirname(edited); ; dir = dirname(dir)) {
    const dockerfile = join(dir, 'Dockerfile');
    const text = ctx.overlay.read(dockerfile);
    for (const match of text?.matchAll(/pip3?\s+install\b[^\n]*?\s-r\s+(\S+)/g) ?? []) {
      const installed = join(dir, match[1]!.replace(/^\.\//, ''));
      const content = ctx.overlay.read(installed);
      if (installed === edited || content === undefined) continue;
      const found = findDependencyFile(dirname(installed), dirname(installed), (p) =>
        p === installed ? content : undefined,
      );
      if (found && 'kind' in found && 'present' in addRequirement(found.kind, content, flavor.requirement)) continue;
      report({
        kind: 'needs-human',
        severity: 'high',
        file: dockerfile,
        message: `the image installs ${relative(dir, installed)}, which does not list ${flavor.requirement.name}: the app would fail to start in it`,
        fix: `add ${flavor.requirement.name}>=${flavor.requirement.minVersion} to ${relative(dir, installed)} too`,
      });
    }
    if (dir === stop || dirname(dir) === dir) return;
  }
}

/** The env example of the app's folder, or of the nearest folder above it up to what the user gave. */
function nearestEnvExamples(ctx: StepContext, root: string): string[] {
  const stop = ctx.givenDirs.find((d) => root === d || root.startsWith(d + sep)) ?? root;
  for (let dir = root; ; dir = dirname(dir)) {
    const found = envExamplesOf(dir, ctx.overlay);
    if (found.length || dir === stop || dirname(dir) === dir) return found;
  }
}

/** Deployment files that put a proxy in front of the app; the advice when they do not pass the client address on. */
const DEPLOY_FILES = [
  'render.yaml',
  'Procfile',
  'fly.toml',
  'Dockerfile',
  'docker-compose.yml',
  'app.yaml',
  'railway.toml',
  'railway.json',
  'vercel.json',
];

function reportProxy(
  ctx: StepContext,
  flavor: LimiterFlavor,
  root: string,
  appFile: string,
  report: (finding: Omit<Finding, 'ruleId'>) => void,
): void {
  const dirs = new Set([root, dirname(appFile), ...ctx.givenDirs.filter((d) => root.startsWith(d))]);
  for (const dir of dirs) {
    for (const name of DEPLOY_FILES) {
      const path = join(dir, name);
      const text = ctx.overlay.read(path);
      if (text === undefined) continue;
      // The start command may sit in a script the deployment file runs (`CMD ./entrypoint.sh`).
      // Path-like words ending in .sh (word by word: `[\w./-]+\.sh` backtracked over long words).
      const scripts = [...text.matchAll(/[\w./-]+/g)]
        .map(([word]) => /^.*\.sh(?!\w)/.exec(word)?.[0])
        .filter((script): script is string => script !== undefined)
        .map((script) => ctx.overlay.read(join(dir, script.replace(/^\.\//, ''))) ?? '');
      const advice = flavor.proxyAdvice([text, ...scripts, ctx.overlay.read(appFile)].join('\n'));
      if (advice)
        report({
          kind: 'needs-human',
          severity: 'medium',
          file: path,
          message: `deployed behind a proxy: the limiter sees the proxy's address, so every client shares one limit`,
          fix: advice,
        });
      return;
    }
  }
}
