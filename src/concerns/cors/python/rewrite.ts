import { codeOnOneLine } from '../../../core/one-line.js';
import { blanksBefore } from '../../../core/style.js';
import { ParseError } from '../../../core/parse-error.js';
import { parsePython, pythonSyntaxError, type PythonNode } from '../../../lang/python/parse.js';
import { applyEdits, type Edit } from '../../../core/edits.js';
import { detectPythonStyle, PythonImports, type PythonStyle } from '../../../lang/python/imports.js';
import {
  collectPythonFacts,
  enclosingScope,
  isEnvAllowlistFunction,
  isPyTrue,
  parameterNames,
  pyString,
  resolveName,
  visitCorsSites,
  type PythonModuleFacts,
} from './facts.js';
import { keywordArgument } from '../../../frameworks/python/routes.js';
import { letsAnyoneIn, originPattern } from '../verdict.js';
import type { CorsRewrite } from '../result.js';

// Workflow step 3 for Python: CORS that lets any website in is restricted to the origins listed
// in ALLOWED_ORIGINS, read by one small function we add after the module's imports. FastAPI and
// Starlette CORSMiddleware (`add_middleware`, `Middleware(...)`, `CORSMiddleware(app, ...)`) and
// Flask-CORS (`CORS(app)`, `init_app`, `resources`, `@cross_origin`, app.config["CORS_ORIGINS"])
// are rewritten at the argument; origins computed where we cannot follow them, `**options`,
// narrower regexes, django-cors-headers and headers set by hand are reported, never edited.
// Everything outside the edited ranges stays byte for byte.

const DEFAULT_ENV = 'ALLOWED_ORIGINS';
/** The names we try for our function, in order, when the module binds the first already. */
const HELPER_NAMES = ['allowed_origins', 'cors_allowed_origins', 'allowed_cors_origins'];
/** flask-cors treats an origin with one of these characters as a regular expression. */
const PROBABLY_REGEX = /[*\\\]?$^[()]/;

/** What the code says about the origins of one option. */
type Origins =
  | { kind: 'any' }
  /** A call to our function (or the module's own function reading the same env var). */
  | { kind: 'ours' }
  | { kind: 'list'; values: string[] }
  | { kind: 'unknown'; why: string };

const ANY: Origins = { kind: 'any' };
const OURS: Origins = { kind: 'ours' };

/**
 * Restricts open CORS configuration in one Python module to ALLOWED_ORIGINS. Returns the new
 * text (or the same text) and what it did or left, per site. Needs loadPythonParser().
 */
export function restrictPythonCors(
  source: string,
  opts: { defaultOrigins: string[]; envName?: string },
): { output: string; results: CorsRewrite[] } {
  const tree = parsePython(source);
  try {
    // tree-sitter always returns a tree; a broken file is reported, never edited.
    const error = pythonSyntaxError(tree);
    if (error) throw new ParseError(error.message, error.line);
    const rewriter = new CorsRewriter(source, tree.rootNode, opts.envName ?? DEFAULT_ENV, opts.defaultOrigins);
    return rewriter.run();
  } finally {
    tree.delete();
  }
}

class CorsRewriter {
  private readonly style: PythonStyle;
  private readonly imports: PythonModuleFacts['imports'];
  private readonly assignments: PythonModuleFacts['assignments'];
  private readonly flaskConfig: PythonModuleFacts['flaskConfig'];
  private readonly calls: PythonNode[];
  private readonly identifiers: Set<string>;
  /** Top-level functions that read our env var: ours from an earlier run (or the user's equivalent). */
  private readonly ourFunctions = new Set<string>();
  private readonly edits = new Map<string, Edit>();
  private readonly results: CorsRewrite[] = [];
  /** Where the first top-level statement that uses our function starts: it is defined above it. */
  private firstUse: number | undefined;
  private helperName: string | undefined;
  private helperNeeded = false;

  constructor(
    private readonly source: string,
    private readonly root: PythonNode,
    private readonly envName: string,
    private readonly defaultOrigins: string[],
  ) {
    this.style = detectPythonStyle(source);
    ({
      imports: this.imports,
      assignments: this.assignments,
      flaskConfig: this.flaskConfig,
      calls: this.calls,
      identifiers: this.identifiers,
    } = collectPythonFacts(root));
    for (const statement of root.namedChildren) {
      if (statement?.type === 'function_definition' && isEnvAllowlistFunction(statement, envName))
        this.ourFunctions.add(statement.childForFieldName('name')!.text);
    }
  }

  run(): { output: string; results: CorsRewrite[] } {
    visitCorsSites(this.root, this.imports, {
      starlette: (call) => this.starletteSite(call),
      flaskCors: (call, positional) => this.flaskCors(call, positional),
      crossOriginCall: (call) => this.flaskSite(call, [call], '@cross_origin(…)'),
      bareCrossOrigin: (decorator, callee) => this.bareCrossOrigin(decorator, callee),
      header: (at, value) => this.headerSite(at, value),
    });
    this.djangoSettings();
    const results = this.results.sort((a, b) => a.line - b.line);
    if (!this.edits.size) return { output: this.source, results };
    const edits = [...this.edits.values()];
    if (this.helperNeeded) {
      const imports = new PythonImports(this.root, this.style);
      imports.module('os');
      // Imports first: at the end of the import block they come before our function there.
      edits.unshift(...imports.edits(this.source));
      edits.push(this.helperEdit());
    }
    return { output: applyEdits(this.source, edits), results };
  }

  // FastAPI / Starlette ---------------------------------------------------------------------------

  /** `add_middleware(CORSMiddleware, …)`, `Middleware(CORSMiddleware, …)`, `CORSMiddleware(app, …)`. */
  private starletteSite(call: PythonNode): void {
    const line = lineOf(call);
    const reported = this.results.length;
    const originsArg = keywordArgument(call, 'allow_origins');
    const regexArg = keywordArgument(call, 'allow_origin_regex');
    const splat = splatOf(call);
    const credentials = this.isTrue(keywordArgument(call, 'allow_credentials'));
    const origins = originsArg ? this.classify(originsArg, 'starlette') : undefined;
    const pattern =
      regexArg && regexArg.type !== 'none' ? (pyString(regexArg) ?? pyString(this.resolve(regexArg))) : undefined;
    const regex =
      !regexArg || regexArg.type === 'none'
        ? 'none'
        : pattern === undefined
          ? 'unknown'
          : matchesAnyOrigin(pattern, 'full', false)
            ? 'any'
            : 'narrow';
    const problems: string[] = [];
    const changes: string[] = [];

    if (origins?.kind === 'any') {
      const name = this.helper(originsArg!);
      problems.push(`allow_origins=${evidence(originsArg!)}${this.boundNote(originsArg!)}`);
      this.replace(originsArg!, `${name}()`);
      changes.push(`allow_origins=${name}()`);
    }
    if (regex === 'any') {
      problems.push(`allow_origin_regex=${evidence(regexArg!)} matches any origin`);
      const argument = regexArg!.parent!;
      if (originsArg || splat) {
        this.remove(argument);
        changes.push('allow_origin_regex removed');
        if (!originsArg)
          this.note(
            line,
            `CORSMiddleware: allow_origin_regex=${evidence(regexArg!)} was removed, but allow_origins was not added because ${splat!.text} may set it already: check that it lists only your origins (allow_origins=${this.helper(call, false)}() would read ${this.envName})`,
          );
      } else {
        const name = this.helper(argument);
        this.replace(argument, `allow_origins=${name}()`);
        changes.push(`allow_origin_regex replaced by allow_origins=${name}()`);
      }
    }
    if (changes.length) {
      const why = credentials
        ? " with allow_credentials=True: Starlette then echoes any caller's origin with credentials, so any website can make requests as the logged-in user"
        : '';
      this.push({
        line,
        changed: true,
        severity: credentials ? 'critical' : 'high',
        message: `CORSMiddleware lets any website call the API (${problems.join(', ')})${why} → ${changes.join(', ')}${this.fromEnv()}`,
      });
    }

    if (origins?.kind === 'unknown')
      this.unknown(line, 'CORSMiddleware', `allow_origins=${evidence(originsArg!)}`, origins.why, call);
    if (regex === 'narrow') {
      this.note(
        line,
        `CORSMiddleware: allow_origin_regex=${evidence(regexArg!)} was kept: check that it matches only your own sites' origins (Starlette matches it against the whole Origin), or list them in ${this.envName} instead`,
      );
    } else if (regex === 'unknown') {
      this.unknown(
        line,
        'CORSMiddleware',
        `allow_origin_regex=${evidence(regexArg!)}`,
        this.whyUnknown(regexArg!),
        call,
      );
    }
    if (splat && !originsArg && !regexArg) {
      this.note(
        line,
        `CORSMiddleware takes its options from ${splat.text}, which we do not follow: left as it is. Make sure allow_origins there never contains "*" (${this.helper(call, false)}() would read ${this.envName})`,
      );
    } else if (splat && changes.length && regex !== 'any') {
      this.note(
        line,
        `CORSMiddleware also takes ${splat.text}: make sure it does not set allow_origin_regex to a pattern that matches any origin`,
      );
    }
    if (this.results.length === reported) {
      const what = !origins
        ? 'allows no cross-origin caller (no allow_origins)'
        : origins.kind === 'ours'
          ? `reads ${this.envName} (allow_origins=${evidence(originsArg!)})`
          : `lists its origins (allow_origins=${evidence(originsArg!)})`;
      this.push({ line, changed: false, severity: 'info', message: `CORSMiddleware already ${what}: left as it is` });
    }
  }

  // Flask-CORS ------------------------------------------------------------------------------------

  /** `CORS`, `cross_origin` from flask_cors (or sanic_cors), by their local name or through the module. */
  /** `CORS(app, …)`; `cors = CORS(…)` then `cors.init_app(app, …)` is handled where init_app is called. */
  private flaskCors(call: PythonNode, positional: PythonNode[]): void {
    const assignment = call.parent?.type === 'assignment' ? call.parent : undefined;
    const target = assignment?.childForFieldName('left');
    if (!positional.length && target?.type === 'identifier') {
      const inits = this.calls.filter((c) => c.childForFieldName('function')?.text === `${target.text}.init_app`);
      for (const init of inits) this.flaskSite(init, [init, call], `${target.text}.init_app(…)`);
      if (inits.length) return;
    }
    this.flaskSite(call, [call], `${call.childForFieldName('function')!.text}(…)`);
  }

  /** `@cross_origin` without a call: `@cross_origin(origins=allowed_origins())`. */
  private bareCrossOrigin(decorator: PythonNode, expression: PythonNode): void {
    const name = this.helper(decorator);
    this.insert(expression.endIndex, `(origins=${name}())`);
    this.push({
      line: lineOf(decorator),
      changed: true,
      severity: 'high',
      message: `@${expression.text} lets any website call this view (flask-cors defaults to origins="*") → @${expression.text}(origins=${name}())${this.fromEnv()}`,
    });
  }

  /**
   * One Flask-CORS configuration: the options of `calls` (the first that gives one wins, as
   * init_app's override the constructor's), app.config's CORS_* defaults, and `resources`, whose
   * per-path options override the rest.
   */
  private flaskSite(site: PythonNode, calls: PythonNode[], label: string): void {
    const line = lineOf(site);
    const option = (name: string) => calls.map((c) => keywordArgument(c, name)).find(Boolean);
    const originsArg = option('origins') ?? this.flaskConfig.get('CORS_ORIGINS');
    const credentials = this.isTrue(
      option('supports_credentials') ?? this.flaskConfig.get('CORS_SUPPORTS_CREDENTIALS'),
    );
    const resourcesArg = option('resources') ?? this.flaskConfig.get('CORS_RESOURCES');
    const splat = calls.map(splatOf).find(Boolean);
    const severity = (withCredentials: boolean) => (withCredentials ? 'critical' : 'high');
    const credentialsWhy =
      " with supports_credentials=True: flask-cors then echoes any caller's origin with credentials, so any website can make requests as the logged-in user";

    // Which paths take the top-level origins: all without `resources`, else those whose options lack their own.
    let inherit = !resourcesArg;
    // Whether a path that takes them also supports credentials.
    let inheritCredentials = !resourcesArg && credentials;
    const subject = label.startsWith('@') ? 'this view' : 'the API';
    if (resourcesArg) {
      const resources = resourcesArg.type === 'identifier' ? this.resolve(resourcesArg) : resourcesArg;
      if (resources?.type === 'dictionary') {
        for (const pair of resources.namedChildren) {
          if (pair?.type !== 'pair') continue;
          const path = evidence(pair.childForFieldName('key')!);
          let options = pair.childForFieldName('value');
          if (options?.type === 'identifier') options = this.resolve(options) ?? options;
          if (options?.type !== 'dictionary') {
            this.unknown(
              lineOf(pair),
              label,
              `resources[${path}]=${evidence(pair.childForFieldName('value')!)}`,
              this.whyUnknown(pair.childForFieldName('value')!),
              site,
            );
            inherit = true;
            inheritCredentials ||= credentials;
            continue;
          }
          const entry = (name: string) =>
            options!.namedChildren
              .find((p) => p?.type === 'pair' && pyString(p.childForFieldName('key')) === name)
              ?.childForFieldName('value') ?? undefined;
          const origins = entry('origins');
          const entryCredentials = entry('supports_credentials');
          const withCredentials = entryCredentials ? this.isTrue(entryCredentials) : credentials;
          if (!origins) {
            inherit = true;
            inheritCredentials ||= withCredentials;
            continue;
          }
          const classified = this.classify(origins, 'flask');
          if (classified.kind === 'any') {
            const name = this.helper(origins);
            this.replace(origins, `${name}()`);
            this.push({
              line: lineOf(pair),
              changed: true,
              severity: severity(withCredentials),
              message: `${label} lets any website call ${path} ("origins": ${evidence(origins)}${this.boundNote(origins)})${withCredentials ? credentialsWhy : ''} → "origins": ${name}()${this.fromEnv()}`,
            });
          } else if (classified.kind === 'unknown') {
            this.unknown(
              lineOf(pair),
              label,
              `resources[${path}] "origins": ${evidence(origins)}`,
              classified.why,
              site,
            );
          } else {
            this.push({
              line: lineOf(pair),
              changed: false,
              severity: 'info',
              message: `${label}: ${path} already ${classified.kind === 'ours' ? `reads ${this.envName}` : `lists its origins (${evidence(origins)})`}: left as it is`,
            });
          }
        }
      } else if (resources && ['string', 'list', 'tuple', 'set'].includes(resources.type)) {
        inherit = true; // paths only: they take the options above
        inheritCredentials ||= credentials;
      } else {
        this.unknown(line, label, `resources=${evidence(resourcesArg)}`, this.whyUnknown(resourcesArg), site);
        inherit = true; // whatever they say, a path without its own origins takes the ones above
        inheritCredentials ||= credentials;
      }
    }

    if (originsArg) {
      const classified = this.classify(originsArg, 'flask');
      const config =
        originsArg.parent?.type === 'keyword_argument'
          ? undefined
          : `${originsArg.parent?.childForFieldName('left')?.text} = `;
      const where = config ? `${config}${evidence(originsArg)}` : `origins=${evidence(originsArg)}`;
      const withCredentials = inherit ? inheritCredentials : credentials;
      // app.config's origins serve every CORS() call of the app: reported once, where they are set.
      const at = config ? lineOf(originsArg.parent!) : line;
      const by = config ? 'Flask-CORS' : label;
      if (classified.kind === 'any') {
        const name = this.helper(originsArg);
        this.replace(originsArg, `${name}()`);
        const shown = config ? `${config}${name}()` : `origins=${name}()`;
        this.push({
          line: at,
          changed: true,
          severity: severity(withCredentials),
          message: `${by} lets any website call ${subject} (${where}${this.boundNote(originsArg)})${withCredentials ? credentialsWhy : ''} → ${shown}${this.fromEnv()}`,
        });
      } else if (classified.kind === 'unknown') {
        if (inherit) this.unknown(at, by, where, classified.why, site);
      } else if (inherit) {
        this.push({
          line: at,
          changed: false,
          severity: 'info',
          message: `${by} already ${classified.kind === 'ours' ? `reads ${this.envName}` : 'lists its origins'} (${where}): left as it is`,
        });
      }
    } else if (inherit && splat) {
      this.note(
        line,
        `${label} takes its options from ${splat.text}, which we cannot follow: left as it is; without origins there flask-cors allows any origin ("*"): pass origins=${this.helper(site, false)}() there, reading ${this.envName}`,
      );
    } else if (inherit) {
      const name = this.helper(site);
      const target = calls[0]!;
      this.addKeyword(target, `origins=${name}()`);
      const what = resourcesArg ? 'the paths in resources without their own origins' : subject;
      this.push({
        line,
        changed: true,
        severity: severity(inheritCredentials),
        message: `${label} lets any website call ${what} (no origins: flask-cors defaults to "*")${inheritCredentials ? credentialsWhy : ''} → origins=${name}() added${this.fromEnv()}`,
      });
    }
  }

  // Reported only ---------------------------------------------------------------------------------

  /** Access-Control-Allow-Origin set by hand: a literal origin is fine, anything else is reported. */
  private headerSite(at: PythonNode, value: PythonNode): void {
    const literal = pyString(value);
    if (literal !== undefined && literal !== '*') return;
    this.note(
      lineOf(at),
      `Access-Control-Allow-Origin is set by hand to ${evidence(value)}: left as it is; send it only with an origin listed in ${this.envName} (or use the framework's CORS support, which this step restricts)`,
    );
  }

  /** django-cors-headers' allow-all switch, in a settings module. */
  private djangoSettings(): void {
    for (const statement of this.root.namedChildren) {
      const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
      if (!left || !/^(CORS_ALLOW_ALL_ORIGINS|CORS_ORIGIN_ALLOW_ALL)$/.test(left.text)) continue;
      const right = assignment!.childForFieldName('right');
      if (right?.type === 'false') continue;
      this.note(
        lineOf(assignment!),
        `django-cors-headers lets any website call the API (${evidence(assignment!)}): left as it is; set it to False and CORS_ALLOWED_ORIGINS to the origins in ${this.envName} (comma-separated)`,
      );
    }
  }

  // Values ----------------------------------------------------------------------------------------

  private classify(node: PythonNode, mode: 'starlette' | 'flask', depth = 0, item = false): Origins {
    if (depth > 8) return { kind: 'unknown', why: 'bound through too many names' };
    const next = (n: PythonNode) => this.classify(n, mode, depth + 1, item);
    switch (node.type) {
      case 'string': {
        const value = pyString(node);
        if (value === undefined) return { kind: 'unknown', why: 'built by an f-string' };
        if (value === '*') return ANY;
        if (mode === 'starlette')
          return item
            ? { kind: 'list', values: [value] }
            : { kind: 'unknown', why: 'a string, not a list: Starlette tests each Origin as a substring of it' };
        if (PROBABLY_REGEX.test(value)) {
          return matchesAnyOrigin(value, 'prefix', true)
            ? ANY
            : {
                kind: 'unknown',
                why: 'a regular expression flask-cors matches Origins against (from their start): check that it matches only your own sites',
              };
        }
        return { kind: 'list', values: [value] };
      }
      case 'list':
      case 'tuple':
      case 'set': {
        const items = node.namedChildren.filter((c): c is PythonNode => Boolean(c) && c!.type !== 'comment');
        const classified = items.map((n) => this.classify(n, mode, depth + 1, true));
        if (classified.some((c) => c.kind === 'any')) return ANY;
        const unknown = classified.find((c) => c.kind === 'unknown');
        if (unknown) return unknown;
        if (classified.some((c) => c.kind === 'ours')) return { kind: 'unknown', why: 'a list around a call' };
        return { kind: 'list', values: classified.flatMap((c) => (c.kind === 'list' ? c.values : [])) };
      }
      case 'parenthesized_expression':
        return node.namedChildren[0] ? next(node.namedChildren[0]) : { kind: 'unknown', why: 'empty' };
      case 'none':
        return mode === 'starlette' ? { kind: 'list', values: [] } : { kind: 'unknown', why: 'None' };
      case 'identifier': {
        const value = this.resolve(node);
        return value ? next(value) : { kind: 'unknown', why: this.whyUnknown(node) };
      }
      case 'call': {
        const fn = node.childForFieldName('function');
        if (
          fn?.type === 'identifier' &&
          this.ourFunctions.has(fn.text) &&
          !node.childForFieldName('arguments')?.namedChildren.some((a) => a && a.type !== 'comment')
        )
          return OURS;
        return { kind: 'unknown', why: this.whyUnknown(node) };
      }
      default:
        return { kind: 'unknown', why: this.whyUnknown(node) };
    }
  }

  /** Why we cannot tell what an expression holds, for the report. */
  private whyUnknown(node: PythonNode): string {
    if (/\b(getenv|environ)\b/.test(node.text)) {
      const star = node.descendantsOfType('string').some((s) => s && pyString(s) === '*');
      return `read from the environment by code of its own${star ? ', falling back to "*"' : ''}`;
    }
    if (node.type === 'identifier') {
      const ref = this.imports.get(node.text);
      if (ref) return `${node.text} is imported from ${ref.module}, which we do not follow`;
      if (this.isParameter(node)) return `${node.text} is a parameter`;
      return (this.assignments.get(node.text)?.length ?? 0) > 1
        ? `${node.text} is assigned more than once`
        : `${node.text} is not bound to a literal here`;
    }
    if (node.type === 'attribute') return `read from ${node.text}, which we do not follow`;
    if (node.type === 'call') return `computed by ${node.childForFieldName('function')?.text ?? 'a call'}()`;
    if (node.type === 'conditional_expression' || node.type === 'boolean_operator') return 'chosen at run time';
    return 'computed in a way we do not follow';
  }

  /** ` (ORIGINS = ["*"])` when the value is a name bound to the open literal. */
  private boundNote(node: PythonNode): string {
    if (node.type !== 'identifier') return '';
    const value = this.resolve(node);
    return value ? `, ${node.text} = ${evidence(value)}` : '';
  }

  private resolve(name: PythonNode | null | undefined): PythonNode | undefined {
    return resolveName(name, this.assignments);
  }

  private isParameter(name: PythonNode): boolean {
    for (let scope = enclosingScope(name); scope; scope = enclosingScope(scope))
      if (parameterNames(scope).has(name.text)) return true;
    return false;
  }

  private isTrue(node: PythonNode | null | undefined): boolean {
    return isPyTrue(node, this.assignments);
  }

  // Results ---------------------------------------------------------------------------------------

  private unknown(line: number, label: string, what: string, why: string, near: PythonNode): void {
    this.note(
      line,
      `${label}: ${what}: ${why}; left as it is. Make sure "*" can never get in, or use ${this.helper(near, false)}() (reads ${this.envName}, ignores "*")`,
    );
  }

  private note(line: number, message: string): void {
    this.push({ line, changed: false, severity: 'medium', message });
  }

  /** A result, once (one configuration may serve several sites). */
  private push(result: CorsRewrite): void {
    if (!this.results.some((r) => r.line === result.line && r.message === result.message)) this.results.push(result);
  }

  private fromEnv(): string {
    return ` (from ${this.envName}, default ${this.defaultOrigins.join(',')})`;
  }

  // Edits -----------------------------------------------------------------------------------------

  /**
   * The name of our function; `use` (the default) marks it needed, defined before the top-level
   * statement holding `at`. Ours from an earlier run when the module has it, else a free name.
   */
  private helper(at: PythonNode, use = true): string {
    if (!this.helperName) {
      const existing = [...this.ourFunctions][0];
      if (existing) this.helperName = existing;
      else {
        this.helperName = HELPER_NAMES.find((n) => !this.identifiers.has(n));
        for (let i = 2; !this.helperName; i++)
          if (!this.identifiers.has(`allowed_origins_${i}`)) this.helperName = `allowed_origins_${i}`;
      }
    }
    if (use && !this.ourFunctions.has(this.helperName)) {
      this.helperNeeded = true;
      const statement = topLevelStatement(at);
      if (statement && (this.firstUse === undefined || statement.startIndex < this.firstUse))
        this.firstUse = statement.startIndex;
    }
    return this.helperName;
  }

  private replace(node: PythonNode, text: string): void {
    this.edits.set(`${node.startIndex}:${node.endIndex}`, { start: node.startIndex, end: node.endIndex, text });
  }

  private insert(offset: number, text: string): void {
    this.edits.set(`${offset}:${offset}:${text}`, { start: offset, end: offset, text });
  }

  /** Removes one argument with its comma: its whole line when it has one to itself. */
  private remove(argument: PythonNode): void {
    const { source } = this;
    const lineStart = source.lastIndexOf('\n', argument.startIndex - 1) + 1;
    const after = /^[ \t]*(?:,[ \t]*)?(#[^\r\n]*)?(\r?\n)/.exec(source.slice(argument.endIndex));
    if (/^[ \t]*$/.test(source.slice(lineStart, argument.startIndex)) && after) {
      this.edits.set(`${lineStart}:remove`, { start: lineStart, end: argument.endIndex + after[0].length, text: '' });
      return;
    }
    const siblings = argument.parent!.namedChildren.filter((c): c is PythonNode => Boolean(c) && c!.type !== 'comment');
    const index = siblings.findIndex((s) => s.id === argument.id);
    const next = siblings[index + 1];
    const previous = siblings[index - 1];
    if (next)
      this.edits.set(`${argument.startIndex}:remove`, { start: argument.startIndex, end: next.startIndex, text: '' });
    else if (previous)
      this.edits.set(`${previous.endIndex}:remove`, { start: previous.endIndex, end: argument.endIndex, text: '' });
    else this.replace(argument, '');
  }

  /** Appends `keyword=value` to a call's arguments, on a line of its own when they are one per line. */
  private addKeyword(call: PythonNode, text: string): void {
    const args = call.childForFieldName('arguments')!;
    const items = args.namedChildren.filter((c): c is PythonNode => Boolean(c) && c!.type !== 'comment');
    const last = items.at(-1);
    if (!last) {
      this.insert(args.startIndex + 1, text);
      return;
    }
    const close = args.children.at(-1)!;
    const between = this.source.slice(last.endIndex, close.startIndex);
    const trailingComma = /^\s*,/.test(between);
    const ownLines = this.source.slice(args.startIndex + 1, items[0]!.startIndex).includes('\n');
    if (ownLines) {
      // On a line of its own after the last one (after its comment, if any), with a comma as the others have.
      const indent = blanksBefore(this.source, last.startIndex);
      const comma = trailingComma ? last.endIndex + between.indexOf(',') + 1 : last.endIndex;
      const newline = this.source.indexOf('\n', comma);
      const lineEnd =
        newline < 0 || newline > close.startIndex ? comma : this.source[newline - 1] === '\r' ? newline - 1 : newline;
      if (!trailingComma) this.insert(comma, ',');
      this.insert(lineEnd, `${this.style.eol}${indent}${text}${trailingComma ? ',' : ''}`);
    } else if (trailingComma) {
      this.insert(last.endIndex + between.indexOf(',') + 1, ` ${text}`);
    } else {
      this.insert(last.endIndex, `, ${text}`);
    }
  }

  /** Our function, after the last import above its first use, two blank lines around it. */
  private helperEdit(): Edit {
    const { source, style } = this;
    const { eol, indent, quote: q } = style;
    const statements = this.root.namedChildren.filter((n): n is PythonNode => Boolean(n) && n!.type !== 'comment');
    const limit = this.firstUse ?? Infinity;
    let anchor: PythonNode | undefined;
    for (const [i, s] of statements.entries()) {
      if (s.startIndex >= limit) break;
      const docstring = i === 0 && s.type === 'expression_statement' && s.firstNamedChild?.type === 'string';
      if (docstring || /^(import_statement|import_from_statement|future_import_statement)$/.test(s.type)) anchor = s;
    }
    const name = this.helperName!;
    const block = [
      `def ${name}() -> list[str]:`,
      `${indent}"""The origins that may call this API from a browser: ${this.envName}, comma-separated (${q}*${q} is ignored)."""`,
      `${indent}raw = os.environ.get(${q}${this.envName}${q}) or ${q}${this.defaultOrigins.join(',')}${q}`,
      `${indent}return [origin.strip() for origin in raw.split(${q},${q}) if origin.strip() and origin.strip() != ${q}*${q}]`,
    ].join(eol);
    if (!anchor) {
      const start = source.startsWith('\uFEFF') ? 1 : 0;
      return { start, end: start, text: block + eol + eol + eol };
    }
    // After the end of the anchor's last line, so a trailing comment stays with it.
    const newline = source.indexOf('\n', anchor.endIndex);
    const end = newline < 0 ? source.length : source[newline - 1] === '\r' ? newline - 1 : newline;
    const rest = source.slice(end);
    const blank = /^(?:[ \t]*\r?\n)*/.exec(rest)![0];
    const newlines = (blank.match(/\n/g) ?? []).length;
    const tail = rest.length === blank.length ? (newlines ? '' : eol) : eol.repeat(Math.max(0, 3 - newlines));
    return { start: end, end, text: eol + eol + eol + block + tail };
  }
}

// Helpers -------------------------------------------------------------------------------------------

/** Whether a pattern the server matches Origins against lets any website in. */
function matchesAnyOrigin(source: string, match: 'full' | 'prefix', ignoreCase: boolean): boolean {
  const pattern = originPattern(source, match, ignoreCase ? 'i' : '', true);
  return pattern ? letsAnyoneIn(pattern) : false;
}

/** The code of a node on one line, shortened. */
function evidence(node: PythonNode): string {
  return codeOnOneLine(node.text, 60);
}

function lineOf(node: PythonNode): number {
  return node.startPosition.row + 1;
}

/** The `**options` of a call, if any. */
function splatOf(call: PythonNode): PythonNode | undefined {
  return call.childForFieldName('arguments')?.namedChildren.find((a) => a?.type === 'dictionary_splat') ?? undefined;
}

function topLevelStatement(node: PythonNode): PythonNode | undefined {
  let n: PythonNode | null = node;
  while (n?.parent && n.parent.type !== 'module') n = n.parent;
  return n ?? undefined;
}
