import { basename, dirname } from 'node:path';
import { forEachChild, isOriginHeaderRead, jsString, keyName, memberName, unwrap } from '../../lang/js/ast.js';
import { keywordArgument, stringValue } from '../../frameworks/python/routes.js';
import { lazyRequire } from '../../core/lazy-require.js';
import type { Overlay } from '../../project/overlay.js';
import { parserFor, parseSource } from '../../lang/js/parse.js';
import { NEXT_CONFIG } from '../../frameworks/next/app.js';
import { isInside } from '../../core/paths.js';
import { isTestFile } from '../../knowledge/test-files.js';
import {
  collectPythonFacts,
  enclosingScope,
  isEnvAllowlistFunction,
  isPyTrue,
  positionalArguments,
  pyString,
  PY_SETTERS,
  resolveName,
  visitCorsSites,
  type PythonModuleFacts,
} from './python/facts.js';
import { parsePython, type PythonNode } from '../../lang/python/parse.js';
import type { CorsSite } from '../../core/report-schema.js';
import { JS_SETTERS, setsCredentials } from './js/credentials.js';
import { HELPER, isEnvAllowlist } from './js/allowlist.js';
import { OUR_MARKER } from '../../frameworks/next/helper-module.js';
import {
  ACAC,
  ACAO,
  ALLOWLIST_ENV,
  ANY,
  combine,
  FROM_ALLOWLIST,
  DYNAMIC,
  judge,
  letsAnyoneIn,
  list,
  originPattern,
  REFLECTED,
  VERDICT_RANK,
  type Origins,
  type PatternMatch,
  type StarWithCredentials,
} from './verdict.js';

// Where a project configures CORS, and whether any website may call it from a visitor's browser.
// Read from the code, never run: FastAPI/Starlette CORSMiddleware, Flask-CORS, django-cors-headers
// settings, the JS `cors` packages (Express, Hono, Koa, Fastify), and the Access-Control-Allow-Origin
// header set by hand (Next.js config, middleware and route handlers, Node, Python responses,
// vercel.json). Origins are followed through literals and names bound once in the file; anything
// computed further away is `dynamic`, its verdict `unknown`.

const jsonc = lazyRequire<typeof import('jsonc-parser')>('jsonc-parser');

/** Only files with one of these are parsed. */
const NEEDLES = ['cors', 'CORS', 'Cors', 'cross_origin', 'llow-Origin', 'llow-origin', 'LLOW-ORIGIN'];
const EVIDENCE_MAX = 100;

/**
 * Every place the project configures CORS, with whether it lets any origin in; tests are skipped
 * (judged inside `roots`, the folders the user named). Python needs loadPythonParser() first.
 */
export function findCorsSites(files: string[], overlay: Overlay, roots: readonly string[]): FoundCorsSite[] {
  const nextRoots = files.filter((file) => NEXT_CONFIG.test(basename(file))).map((file) => dirname(file));
  const sites: FoundCorsSite[] = [];
  for (const file of files) {
    if (isTestFile(file, roots)) continue;
    const kind = file.endsWith('.py')
      ? 'python'
      : parserFor(file)
        ? 'js'
        : basename(file) === 'vercel.json'
          ? 'vercel'
          : undefined;
    if (!kind || !overlay.containsAny(file, NEEDLES)) continue;
    const text = overlay.read(file);
    if (text === undefined) continue;
    const found =
      kind === 'python'
        ? pythonSites(file, text)
        : kind === 'js'
          ? jsSites(file, text, nextRoots)
          : vercelSites(file, text);
    sites.push(...found.sort((a, b) => a.line - b.line));
  }
  return sites;
}

/** The configuring code on one line: line breaks inside brackets dropped, whitespace collapsed, shortened. */
function evidenceOf(code: string): string {
  const one = code
    .replace(/,?\s*\n\s*(?=[)\]}])/g, '')
    .replace(/([([{])\s*\n\s*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return one.length > EVIDENCE_MAX ? `${one.slice(0, EVIDENCE_MAX - 1)}…` : one;
}

/** A pattern the server tests the request's origin against (and echoes when it matches). */
function patternOrigins(source: string, match: PatternMatch, flags: string, python: boolean): Origins {
  const shown = `/${source}/${python ? '' : flags}`;
  const pattern = originPattern(source, match, flags, python);
  if (!pattern) return list([shown], true);
  return letsAnyoneIn(pattern) ? REFLECTED : list([shown]);
}

/** A site as found: the report's fields, and the last line of its code (a fixer may report any line of it). */
export type FoundCorsSite = CorsSite & { endLine: number };

function makeSite(
  file: string,
  line: number,
  code: string,
  framework: CorsSite['framework'],
  origins: Origins,
  credentials: boolean,
  star: StarWithCredentials,
): FoundCorsSite {
  const endLine = line + (code.match(/\n/g)?.length ?? 0);
  return {
    file,
    line,
    framework,
    ...judge(origins, credentials, star),
    credentials,
    evidence: evidenceOf(code),
    endLine,
  };
}

/** The worst of several readings of one configuration (Flask-CORS resources); restricted lists merged. */
function worst(
  readings: { origins: Origins; credentials: boolean }[],
  star: StarWithCredentials,
): { origins: Origins; credentials: boolean } {
  const judged = readings.map((r) => ({ ...r, verdict: judge(r.origins, r.credentials, star).verdict }));
  const top = Math.max(...judged.map((r) => VERDICT_RANK[r.verdict]));
  const chosen = judged.filter((r) => VERDICT_RANK[r.verdict] === top);
  if (top > VERDICT_RANK.restricted) return chosen[0]!;
  return { origins: combine(chosen.map((r) => r.origins)), credentials: chosen.some((r) => r.credentials) };
}

// ---------------------------------------------------------------------------------------------
// Python: Starlette/FastAPI CORSMiddleware, Flask-CORS, django-cors-headers, headers by hand.
// ---------------------------------------------------------------------------------------------

function pythonSites(file: string, text: string): FoundCorsSite[] {
  const tree = parsePython(text);
  try {
    if (tree.rootNode.hasError) return [];
    return new PythonScan(file, tree.rootNode).sites;
  } finally {
    tree.delete();
  }
}

/** Flask-CORS and its Sanic port take the same options. */
/** The framework a Flask-CORS package serves. */
const FLASK_CORS_FRAMEWORK: Record<string, CorsSite['framework']> = { flask_cors: 'flask', sanic_cors: 'other' };
/** flask-cors treats an origin with one of these characters as a regular expression. */
const PROBABLY_REGEX = /[*\\\]?$^[()]/;

interface PyMode {
  /** How a string origin reads in this option. */
  str: (value: string) => Origins;
  /** Header values: the request's own Origin header is an echo. */
  header?: boolean;
}

const PLAIN: PyMode = { str: (s) => (s === '*' ? ANY : list([s])) };
const FLASK: PyMode = {
  str: (s) => (s === '*' ? ANY : PROBABLY_REGEX.test(s) ? patternOrigins(s, 'prefix', 'i', true) : list([s])),
};
const HEADER: PyMode = { ...PLAIN, header: true };

class PythonScan {
  readonly sites: FoundCorsSite[] = [];
  private readonly imports: PythonModuleFacts['imports'];
  private readonly assignments: PythonModuleFacts['assignments'];
  private readonly flaskConfig: PythonModuleFacts['flaskConfig'];
  private readonly calls: PythonNode[];
  private readonly framework: CorsSite['framework'];
  /** Top-level functions that return the ALLOWED_ORIGINS allowlist without `*` (ours, from the cors step). */
  private readonly allowlistFunctions = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly root: PythonNode,
  ) {
    ({
      imports: this.imports,
      assignments: this.assignments,
      flaskConfig: this.flaskConfig,
      calls: this.calls,
    } = collectPythonFacts(root));
    for (const statement of root.namedChildren) {
      if (statement?.type === 'function_definition' && isEnvAllowlistFunction(statement, ALLOWLIST_ENV))
        this.allowlistFunctions.add(statement.childForFieldName('name')!.text);
    }
    const modules = [...this.imports.values()].map((ref) => ref.module.split('.')[0]);
    this.framework = modules.includes('fastapi')
      ? 'fastapi'
      : modules.includes('starlette')
        ? 'starlette'
        : modules.includes('flask')
          ? 'flask'
          : 'other';
    visitCorsSites(root, this.imports, {
      starlette: (call) => this.starletteSite(call),
      flaskCors: (call, positional, callee) => this.flaskCorsSites(call, positional, this.flaskFramework(callee.text)),
      crossOriginCall: (call, callee) =>
        this.flaskSite(
          call.parent?.type === 'decorator' ? call.parent : call,
          [call],
          this.flaskFramework(callee.text),
        ),
      bareCrossOrigin: (decorator, callee) => this.flaskSite(decorator, [], this.flaskFramework(callee.text)),
      header: (at, value) => this.headerSite(at, value),
    });
    this.djangoSettings();
  }

  // FastAPI / Starlette -------------------------------------------------------------------------

  /** `add_middleware(CORSMiddleware, …)`, `Middleware(CORSMiddleware, …)`, `CORSMiddleware(app, …)`. */
  private starletteSite(call: PythonNode): void {
    const origins = keywordArgument(call, 'allow_origins');
    const regex = keywordArgument(call, 'allow_origin_regex');
    const parts: Origins[] = [];
    if (origins) parts.push(this.eval(origins, PLAIN));
    if (regex) {
      const pattern = pyString(regex) ?? pyString(this.resolve(regex));
      parts.push(pattern !== undefined ? patternOrigins(pattern, 'full', '', true) : this.eval(regex, PLAIN));
    }
    // `**options`: the origins may be in there.
    if (!parts.length && call.childForFieldName('arguments')?.namedChildren.some((a) => a?.type === 'dictionary_splat'))
      parts.push(DYNAMIC);
    const framework = this.framework === 'fastapi' ? 'fastapi' : 'starlette';
    this.add(
      call,
      framework,
      parts.length ? combine(parts) : list([]),
      this.isTrue(keywordArgument(call, 'allow_credentials')),
      'echo',
    );
  }

  // Flask-CORS ----------------------------------------------------------------------------------

  private flaskFramework(callee: string): CorsSite['framework'] {
    const ref = this.imports.get(callee) ?? this.imports.get(callee.split('.')[0]!);
    return FLASK_CORS_FRAMEWORK[ref?.module ?? ''] ?? 'flask';
  }

  /** `CORS(app, …)`; `cors = CORS()` then `cors.init_app(app, …)` is read where init_app is called. */
  private flaskCorsSites(call: PythonNode, positional: PythonNode[], framework: CorsSite['framework']): void {
    const assignment = call.parent?.type === 'assignment' ? call.parent : undefined;
    const target = assignment?.childForFieldName('left');
    if (!positional.length && target?.type === 'identifier') {
      const inits = this.calls.filter((c) => c.childForFieldName('function')?.text === `${target.text}.init_app`);
      for (const init of inits) this.flaskSite(init, [init, call], framework);
      if (inits.length) return;
    }
    this.flaskSite(call, [call], framework);
  }

  /** Flask-CORS options, the first call that gives one winning; `resources` may override them per path. */
  private flaskSite(at: PythonNode, calls: PythonNode[], framework: CorsSite['framework']): void {
    const option = (name: string) => calls.map((c) => keywordArgument(c, name)).find(Boolean);
    const originsArg = option('origins') ?? this.flaskConfig.get('CORS_ORIGINS');
    const credentialsArg = option('supports_credentials') ?? this.flaskConfig.get('CORS_SUPPORTS_CREDENTIALS');
    const base = { origins: originsArg ? this.eval(originsArg, FLASK) : ANY, credentials: this.isTrue(credentialsArg) };
    const readings = [base];
    const resourcesArg = option('resources') ?? this.flaskConfig.get('CORS_RESOURCES');
    const resources = resourcesArg && (resourcesArg.type === 'identifier' ? this.resolve(resourcesArg) : resourcesArg);
    // Paths only (a string or a list) keep the options above; per-path options we cannot read may set any origins.
    if (resourcesArg && !['dictionary', 'string', 'list', 'tuple'].includes(resources?.type ?? ''))
      readings.splice(0, 1, { ...base, origins: DYNAMIC });
    if (resources?.type === 'dictionary') {
      readings.length = 0;
      for (const pair of resources.namedChildren) {
        if (pair?.type !== 'pair') continue;
        let options = pair.childForFieldName('value');
        if (options?.type === 'identifier') options = this.resolve(options) ?? null;
        if (options?.type !== 'dictionary') {
          readings.push({ ...base, origins: DYNAMIC });
          continue;
        }
        const entry = (name: string) =>
          options!.namedChildren
            .find((p) => p?.type === 'pair' && pyString(p.childForFieldName('key')) === name)
            ?.childForFieldName('value') ?? undefined;
        const origins = entry('origins');
        const credentials = entry('supports_credentials');
        readings.push({
          origins: origins ? this.eval(origins, FLASK) : base.origins,
          credentials: credentials ? this.isTrue(credentials) : base.credentials,
        });
      }
      if (!readings.length) readings.push(base);
    }
    const { origins, credentials } = worst(readings, 'echo');
    this.add(at, framework, origins, credentials, 'echo');
  }

  // django-cors-headers ------------------------------------------------------------------------

  /** django-cors-headers reads module-level settings; other apps' config modules use the same names for their own. */
  private djangoSettings(): void {
    const text = this.root.text;
    const modules = [...this.imports.values()].map((ref) => ref.module.split('.')[0]!);
    const django =
      /corsheaders|INSTALLED_APPS|ROOT_URLCONF/.test(text) ||
      (/settings/i.test(basename(this.file)) &&
        !modules.some((m) => ['fastapi', 'flask', 'starlette', 'pydantic', 'pydantic_settings'].includes(m)));
    if (!django) return;
    const settings = new Map<string, PythonNode>();
    for (const statement of this.root.namedChildren) {
      const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
      if (left?.type === 'identifier' && left.text.startsWith('CORS_')) settings.set(left.text, assignment!);
    }
    const get = (...names: string[]) => names.map((n) => settings.get(n)).find(Boolean);
    const value = (assignment: PythonNode | undefined) => assignment?.childForFieldName('right') ?? undefined;
    const credentials = this.isTrue(value(get('CORS_ALLOW_CREDENTIALS')));
    const allowAll = get('CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL');
    const allowAllValue = value(allowAll);
    if (allowAll && allowAllValue && allowAllValue.type !== 'false') {
      // With credentials it echoes the origin instead of `*`.
      this.add(allowAll, 'other', allowAllValue.type === 'true' ? ANY : DYNAMIC, credentials, 'echo');
      if (allowAllValue.type === 'true') return;
    }
    const origins = get('CORS_ALLOWED_ORIGINS', 'CORS_ORIGIN_WHITELIST');
    const regexes = get('CORS_ALLOWED_ORIGIN_REGEXES', 'CORS_ORIGIN_REGEX_WHITELIST');
    const parts: Origins[] = [];
    if (origins) parts.push(this.eval(value(origins)!, PLAIN));
    if (regexes) parts.push(this.eval(value(regexes)!, { str: (s) => patternOrigins(s, 'prefix', '', true) }));
    const at = [origins, regexes]
      .filter((n): n is PythonNode => Boolean(n))
      .sort((a, b) => a.startIndex - b.startIndex)[0];
    if (at) this.add(at, 'other', combine(parts), credentials, 'echo');
  }

  // Access-Control-Allow-Origin by hand -----------------------------------------------------------

  private headerSite(at: PythonNode, value: PythonNode): void {
    const scope = enclosingScope(at) ?? this.root;
    this.add(at, this.framework, this.eval(value, HEADER), this.setsCredentials(scope), 'refused');
  }

  /** Whether code in `scope` sets Access-Control-Allow-Credentials to true. */
  private setsCredentials(scope: PythonNode): boolean {
    let found = false;
    const visit = (node: PythonNode): void => {
      if (found) return;
      let key: PythonNode | null | undefined;
      let value: PythonNode | null | undefined;
      if (node.type === 'pair') [key, value] = [node.childForFieldName('key'), node.childForFieldName('value')];
      else if (node.type === 'assignment' && node.childForFieldName('left')?.type === 'subscript')
        [key, value] = [
          node.childForFieldName('left')!.childForFieldName('subscript'),
          node.childForFieldName('right'),
        ];
      else if (node.type === 'call' && node.childForFieldName('function')?.type === 'attribute')
        [key, value] = positionalArguments(node);
      if (
        pyString(key)?.toLowerCase() === ACAC &&
        value &&
        (value.type === 'true' || pyString(value)?.toLowerCase() === 'true')
      )
        found = true;
      for (const child of node.namedChildren) if (child) visit(child);
    };
    visit(scope);
    return found;
  }

  // Values ----------------------------------------------------------------------------------------

  private eval(node: PythonNode, mode: PyMode, depth = 0): Origins {
    if (depth > 8) return DYNAMIC;
    const next = (n: PythonNode | null | undefined): Origins => (n ? this.eval(n, mode, depth + 1) : DYNAMIC);
    if (mode.header && isPyOriginRead(node)) return this.originChecks(enclosingScope(node) ?? this.root) ?? REFLECTED;
    switch (node.type) {
      case 'string': {
        const value = pyString(node);
        return value === undefined ? DYNAMIC : mode.str(value);
      }
      case 'list':
      case 'tuple':
      case 'set': {
        const items = node.namedChildren.filter((c): c is PythonNode => Boolean(c) && c!.type !== 'comment');
        return items.length ? combine(items.map(next)) : list([]);
      }
      case 'parenthesized_expression':
        return next(node.namedChildren[0]);
      case 'none':
        return list([]);
      case 'identifier': {
        const value = this.resolve(node);
        if (mode.header && value && isPyOriginRead(value))
          return this.originChecks(enclosingScope(value) ?? this.root) ?? REFLECTED;
        return value ? next(value) : DYNAMIC;
      }
      case 'boolean_operator':
        return node.childForFieldName('operator')?.type === 'or'
          ? combine([next(node.childForFieldName('left')), next(node.childForFieldName('right'))])
          : DYNAMIC;
      case 'conditional_expression': {
        const [then, , otherwise] = node.namedChildren;
        return combine([next(then), next(otherwise)]);
      }
      case 'call': {
        const fn = node.childForFieldName('function');
        const args = positionalArguments(node);
        const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
        if (fn?.type === 'identifier' && this.allowlistFunctions.has(fn.text)) return FROM_ALLOWLIST;
        // os.getenv("X", "*"), os.environ.get("X", "*"), settings.get(…): whatever is set, else the default.
        if (fn && /(^|\.)(getenv|get)$/.test(fn.text)) {
          const fallback = args[1] ?? keywordArgument(node, 'default');
          return fallback ? combine([DYNAMIC, next(fallback)]) : DYNAMIC;
        }
        if (method && ['split', 'strip', 'rstrip', 'lower'].includes(method)) {
          const value = next(fn!.childForFieldName('object'));
          return value.kind === 'list' && method === 'split'
            ? list(
                value.values.flatMap((v) => v.split(',')).map((v) => v.trim()),
                value.unjudged,
              )
            : value;
        }
        if (fn && ['list', 'tuple', 'set', 'frozenset'].includes(fn.text) && args.length === 1) return next(args[0]);
        if (fn?.text === 're.compile') {
          const pattern = pyString(args[0]);
          return pattern === undefined ? DYNAMIC : patternOrigins(pattern, 'prefix', 'i', true);
        }
        return DYNAMIC;
      }
      default:
        return DYNAMIC;
    }
  }

  /**
   * What the code checks the request's origin against before echoing it: the origins of a literal
   * list it must be in (`origin in ALLOWED`, `origin == "https://…"`), `dynamic` for any other
   * check, undefined when nothing checks it.
   */
  private originChecks(scope: PythonNode): Origins | undefined {
    const names = new Set<string>();
    for (const [name, entries] of this.assignments) {
      if (
        entries.some(
          (e) =>
            e.scope === scope.id && e.node.type === 'assignment' && isPyOriginRead(e.node.childForFieldName('right')),
        )
      )
        names.add(name);
    }
    const checks: Origins[] = [];
    const visit = (node: PythonNode): void => {
      const isName =
        node.type === 'identifier' &&
        names.has(node.text) &&
        !(node.parent?.type === 'assignment' && node.parent.childForFieldName('left')?.id === node.id);
      if (isName || isPyOriginRead(node)) {
        const check = this.classifyUse(node);
        if (check) checks.push(check);
        return;
      }
      for (const child of node.namedChildren) if (child) visit(child);
    };
    visit(scope);
    return checks.length ? combine(checks) : undefined;
  }

  private classifyUse(use: PythonNode): Origins | undefined {
    const parent = use.parent;
    if (!parent) return undefined;
    if (parent.type === 'comparison_operator') {
      const operators = parent.childrenForFieldName('operators').map((o) => o?.type);
      const other = parent.namedChildren.find((n) => n && n.id !== use.id);
      if (
        !other ||
        operators.some((o) => o === 'is' || o === 'is not') ||
        other.type === 'none' ||
        pyString(other) === ''
      )
        return undefined;
      if (operators.some((o) => o === 'in' || o === 'not in' || o === '==' || o === '!='))
        return this.eval(other, PLAIN);
      return DYNAMIC;
    }
    if (parent.type === 'argument_list') {
      const callee = parent.parent?.childForFieldName('function')?.text ?? '';
      const header = positionalArguments(parent.parent!)[0];
      if (
        /^(print|logging\.\w+|log\w*\.\w+|logger\.\w+)$/.test(callee) ||
        (header && pyString(header) !== undefined && PY_SETTERS.has(callee.split('.').pop()!))
      )
        return undefined;
      return DYNAMIC;
    }
    if (
      parent.type === 'attribute' &&
      parent.childForFieldName('object')?.id === use.id &&
      parent.parent?.type === 'call'
    ) {
      return ['lower', 'strip', 'rstrip'].includes(parent.childForFieldName('attribute')?.text ?? '')
        ? undefined
        : DYNAMIC;
    }
    return undefined;
  }

  private resolve(name: PythonNode | null | undefined): PythonNode | undefined {
    return resolveName(name, this.assignments);
  }

  private isTrue(node: PythonNode | null | undefined): boolean {
    return isPyTrue(node, this.assignments);
  }

  /** A string literal's value (escapes of non-raw strings undone), or a name bound to one. */

  private add(
    at: PythonNode,
    framework: CorsSite['framework'],
    origins: Origins,
    credentials: boolean,
    star: StarWithCredentials,
  ): void {
    this.sites.push(makeSite(this.file, at.startPosition.row + 1, at.text, framework, origins, credentials, star));
  }
}

/**
 * `request.headers.get("origin")`, `request.headers["Origin"]`, `request.environ.get("HTTP_ORIGIN")`,
 * `request.origin`.
 */
function isPyOriginRead(node: PythonNode | null | undefined): boolean {
  if (!node) return false;
  const isOrigin = (n: PythonNode | null | undefined) =>
    n?.type === 'string' && /^(origin|http_origin)$/i.test(stringValue(n) ?? '');
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    return (
      fn?.type === 'attribute' &&
      fn.childForFieldName('attribute')?.text === 'get' &&
      /(headers|environ|META)$/.test(fn.childForFieldName('object')?.text ?? '') &&
      isOrigin(positionalArguments(node)[0])
    );
  }
  if (node.type === 'subscript')
    return (
      /(headers|environ|META)$/.test(node.childForFieldName('value')?.text ?? '') &&
      isOrigin(node.childForFieldName('subscript'))
    );
  if (node.type === 'attribute')
    return (
      node.childForFieldName('attribute')?.text === 'origin' && node.childForFieldName('object')?.text === 'request'
    );
  return false;
}

// ---------------------------------------------------------------------------------------------
// JavaScript and TypeScript: the cors packages, and the header set by hand.
// ---------------------------------------------------------------------------------------------

type CorsPackage = 'express' | 'hono' | 'koa' | 'fastify';

/** Module → [the export that makes the middleware, whose semantics, where its options are]. */
const CORS_MODULES: Record<string, { name: string; pkg: CorsPackage; options: number }> = {
  cors: { name: 'default', pkg: 'express', options: 0 },
  'nextjs-cors': { name: 'default', pkg: 'express', options: 2 },
  'hono/cors': { name: 'cors', pkg: 'hono', options: 0 },
  '@koa/cors': { name: 'default', pkg: 'koa', options: 0 },
  kcors: { name: 'default', pkg: 'koa', options: 0 },
  '@fastify/cors': { name: 'default', pkg: 'fastify', options: 1 },
  'fastify-cors': { name: 'default', pkg: 'fastify', options: 1 },
};

/** Koa echoes the origin for `*` with credentials; the others send `*`, which browsers refuse with credentials. */
const PACKAGE_STAR: Record<CorsPackage, StarWithCredentials> = {
  express: 'refused',
  hono: 'refused',
  koa: 'echo',
  fastify: 'refused',
};
const JS_FUNCTIONS = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

function jsSites(file: string, text: string, nextRoots: string[]): FoundCorsSite[] {
  let ast: any;
  try {
    ast = parseSource(file, text);
  } catch {
    return [];
  }
  return new JsScan(file, text, ast.program, nextRoots).sites;
}

interface JsBinding {
  init: any;
  scope: any;
}

type JsMode = 'header' | 'list' | CorsPackage;

class JsScan {
  readonly sites: FoundCorsSite[] = [];
  private readonly parents = new Map<any, any>();
  private readonly bindings = new Map<string, JsBinding[]>();
  private readonly params = new Map<any, Set<string>>();
  /** Local name → the cors module it makes middleware with. */
  private readonly factories = new Map<string, string>();
  private readonly modules = new Set<string>();
  private readonly framework: CorsSite['framework'];
  /** Local names of our Next.js helper's `allowedOrigin`: imported, or the helper module itself. */
  private readonly allowlistHelpers = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly text: string,
    program: any,
    nextRoots: string[],
  ) {
    this.collect(program, null);
    const next =
      NEXT_CONFIG.test(basename(file)) ||
      [...this.modules].some((m) => m === 'next' || m.startsWith('next/') || m === 'nextjs-cors') ||
      nextRoots.some((root) => isInside(file, root));
    this.framework = this.modules.has('express') ? 'express' : next ? 'nextjs' : 'other';
    this.walk(program);
  }

  private collect(node: any, parent: any): void {
    this.parents.set(node, parent);
    if (node.type === 'ImportDeclaration') {
      const module = node.source.value as string;
      this.modules.add(module);
      for (const spec of node.specifiers) {
        const imported =
          spec.type === 'ImportDefaultSpecifier'
            ? 'default'
            : spec.type === 'ImportSpecifier'
              ? (spec.imported.name ?? spec.imported.value)
              : '*';
        this.addFactory(module, imported, spec.local.name);
        if (imported === HELPER.origin) this.allowlistHelpers.add(spec.local.name);
      }
    } else if (
      node.type === 'CallExpression' &&
      node.callee.type === 'Identifier' &&
      node.callee.name === 'require' &&
      node.arguments[0]?.type === 'StringLiteral'
    ) {
      const module = node.arguments[0].value as string;
      this.modules.add(module);
      if (parent?.type === 'VariableDeclarator' && parent.init === node) {
        if (parent.id.type === 'Identifier') this.addFactory(module, 'default', parent.id.name);
        if (parent.id.type === 'ObjectPattern') {
          for (const prop of parent.id.properties)
            if (prop.type === 'ObjectProperty' && prop.value.type === 'Identifier')
              this.addFactory(module, keyName(prop) ?? '', prop.value.name);
        }
      }
    } else if (
      node.type === 'FunctionDeclaration' &&
      node.id?.name === HELPER.origin &&
      this.text.includes(OUR_MARKER)
    ) {
      this.allowlistHelpers.add(HELPER.origin);
    } else if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier') {
      this.bind(node.id.name, node.init, node);
    } else if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier') {
      this.bind(node.left.name, undefined, node);
    }
    if (JS_FUNCTIONS.has(node.type)) {
      const names = new Set<string>();
      const addPattern = (p: any): void => {
        if (p?.type === 'Identifier') names.add(p.name);
        else if (p?.type === 'AssignmentPattern') addPattern(p.left);
        else if (p?.type === 'ObjectPattern') for (const prop of p.properties) addPattern(prop.value ?? prop.argument);
        else if (p?.type === 'ArrayPattern') for (const el of p.elements) addPattern(el);
        else if (p?.type === 'RestElement' || p?.type === 'TSParameterProperty') addPattern(p.argument ?? p.parameter);
      };
      for (const p of node.params) addPattern(p);
      this.params.set(node, names);
    }
    forEachChild(node, (child) => this.collect(child, node));
  }

  private addFactory(module: string, imported: string, local: string): void {
    const known = CORS_MODULES[module];
    if (known?.name === imported) this.factories.set(local, module);
  }

  private bind(name: string, init: any, at: any): void {
    const entries = this.bindings.get(name) ?? [];
    entries.push({ init, scope: this.scopeOf(at) });
    this.bindings.set(name, entries);
  }

  private scopeOf(node: any): any {
    for (let p = this.parents.get(node); p; p = this.parents.get(p))
      if (JS_FUNCTIONS.has(p.type) || p.type === 'Program') return p;
    return undefined;
  }

  private walk(node: any): void {
    switch (node.type) {
      case 'CallExpression':
      case 'OptionalCallExpression':
        this.onCall(node);
        break;
      case 'ObjectProperty':
        if (keyName(node)?.toLowerCase() === ACAO) this.headerSite(node, node.value, this.scopeOf(node));
        break;
      case 'ObjectExpression': {
        // `{ key: 'Access-Control-Allow-Origin', value: '*' }` (next.config.js headers()).
        const key = node.properties.find((p: any) => p.type === 'ObjectProperty' && keyName(p) === 'key');
        const value = node.properties.find((p: any) => p.type === 'ObjectProperty' && keyName(p) === 'value');
        if (key && value && jsString(key.value)?.toLowerCase() === ACAO) {
          const parent = this.parents.get(node);
          this.headerSite(node, value.value, parent?.type === 'ArrayExpression' ? parent : node);
        }
        break;
      }
      case 'ArrayExpression': {
        // `new Headers([['Access-Control-Allow-Origin', '*'], …])`.
        const parent = this.parents.get(node);
        if (
          node.elements.length === 2 &&
          jsString(node.elements[0])?.toLowerCase() === ACAO &&
          parent?.type === 'ArrayExpression'
        )
          this.headerSite(node, node.elements[1], parent);
        break;
      }
      case 'AssignmentExpression':
        if (
          (node.left.type === 'MemberExpression' || node.left.type === 'OptionalMemberExpression') &&
          node.left.computed &&
          jsString(node.left.property)?.toLowerCase() === ACAO
        ) {
          this.headerSite(node, node.right, this.scopeOf(node));
        }
        break;
    }
    forEachChild(node, (child) => this.walk(child));
  }

  private onCall(call: any): void {
    const callee = call.callee;
    const factory = callee.type === 'Identifier' ? CORS_MODULES[this.factories.get(callee.name) ?? ''] : undefined;
    if (factory && factory.pkg !== 'fastify') {
      const parent = this.parents.get(call);
      const use =
        parent?.type === 'CallExpression' && parent.arguments.includes(call) && memberName(parent.callee) === 'use'
          ? parent
          : call;
      this.packageSite(use, call.arguments[factory.options], factory.pkg);
      return;
    }
    const method = memberName(callee);
    // fastify.register(cors, { … }), or register(require('@fastify/cors'), …).
    if (method === 'register' && call.arguments[0]) {
      const plugin = call.arguments[0];
      const loaded =
        plugin.type === 'CallExpression' && plugin.callee.type === 'Identifier' && plugin.callee.name === 'require'
          ? CORS_MODULES[jsString(plugin.arguments[0]) ?? '']?.pkg
          : undefined;
      if (
        (plugin.type === 'Identifier' && CORS_MODULES[this.factories.get(plugin.name) ?? '']?.pkg === 'fastify') ||
        loaded === 'fastify'
      )
        this.packageSite(call, call.arguments[1], 'fastify');
      return;
    }
    if (
      method &&
      JS_SETTERS.has(method) &&
      call.arguments.length >= 2 &&
      jsString(call.arguments[0])?.toLowerCase() === ACAO
    ) {
      this.headerSite(call, call.arguments[1], this.scopeOf(call));
    }
  }

  /** `cors(options)` of one of the packages: its defaults are `*` (and credentials off). */
  private packageSite(at: any, options: any, pkg: CorsPackage): void {
    let origins: Origins = ANY;
    let credentials = false;
    let opts = options && unwrap(options);
    if (opts?.type === 'Identifier') opts = opts.name === 'undefined' ? undefined : (this.resolve(opts) ?? opts);
    if (opts && opts.type !== 'ObjectExpression') {
      origins = DYNAMIC; // a variable we cannot follow, or a function deciding per request
    } else if (opts) {
      const origin = opts.properties.find((p: any) => keyName(p) === 'origin');
      const spread = opts.properties.some((p: any) => p.type === 'SpreadElement');
      if (origin) origins = origin.type === 'ObjectProperty' ? this.eval(origin.value, pkg) : DYNAMIC;
      else if (spread) origins = DYNAMIC;
      const credentialsProp = opts.properties.find(
        (p: any) => p.type === 'ObjectProperty' && keyName(p) === 'credentials',
      );
      credentials = credentialsProp ? this.isTrue(credentialsProp.value) : false;
    }
    const framework = pkg !== 'express' ? 'other' : this.framework === 'other' ? 'express' : this.framework;
    this.add(at, framework, origins, credentials, PACKAGE_STAR[pkg]);
  }

  /** A header set by hand; `credentialScope`: where an Access-Control-Allow-Credentials beside it would be. */
  private headerSite(at: any, value: any, credentialScope: any): void {
    this.add(at, this.framework, this.eval(value, 'header'), setsCredentials(credentialScope), 'refused');
  }

  // Values ----------------------------------------------------------------------------------------

  private eval(node: any, mode: JsMode, depth = 0): Origins {
    if (!node || depth > 8) return DYNAMIC;
    const next = (n: any): Origins => this.eval(n, mode, depth + 1);
    const n = unwrap(node);
    if (mode === 'header' && isOriginHeaderRead(n)) return this.originChecks(this.scopeOf(n)) ?? REFLECTED;
    const s = jsString(n);
    if (s !== undefined) return s === '*' ? ANY : list([s]);
    switch (n.type) {
      case 'BooleanLiteral':
        // `origin: true` echoes any origin (cors, @fastify/cors); `false` turns CORS off.
        if (mode === 'express' || mode === 'fastify') return n.value ? REFLECTED : list([]);
        return DYNAMIC;
      case 'RegExpLiteral':
        return patternOrigins(n.pattern, 'search', n.flags, false);
      case 'ArrayExpression':
        return n.elements.length
          ? combine(n.elements.map((el: any) => (el && el.type !== 'SpreadElement' ? next(el) : DYNAMIC)))
          : list([]);
      case 'NewExpression':
        return n.callee.type === 'Identifier' && n.callee.name === 'Set' && n.arguments.length === 1
          ? next(n.arguments[0])
          : DYNAMIC;
      case 'Identifier': {
        if (n.name === 'undefined') return list([]);
        const binding = this.binding(n);
        if (!binding?.init) return DYNAMIC;
        if (isEnvAllowlist(this.text.slice(binding.init.start, binding.init.end))) return FROM_ALLOWLIST;
        if (mode === 'header' && isOriginHeaderRead(binding.init)) return this.originChecks(binding.scope) ?? REFLECTED;
        return next(binding.init);
      }
      case 'LogicalExpression':
        return n.operator === '&&' ? DYNAMIC : combine([next(n.left), next(n.right)]);
      case 'ConditionalExpression':
        return combine([next(n.consequent), next(n.alternate)]);
      case 'CallExpression':
      case 'OptionalCallExpression': {
        if (n.callee.type === 'Identifier' && this.allowlistHelpers.has(n.callee.name)) return FROM_ALLOWLIST;
        const method = memberName(n.callee);
        if (method && ['split', 'trim', 'toLowerCase'].includes(method)) {
          const value = next(n.callee.object);
          return value.kind === 'list' && method === 'split'
            ? list(
                value.values.flatMap((v) => v.split(',')).map((v) => v.trim()),
                value.unjudged,
              )
            : value;
        }
        return DYNAMIC;
      }
      default:
        return DYNAMIC;
    }
  }

  /** What the code checks the request's origin against before echoing it (see the Python twin). */
  private originChecks(scope: any): Origins | undefined {
    if (!scope) return undefined;
    const names = new Set<string>();
    for (const [name, entries] of this.bindings)
      if (entries.some((e) => e.scope === scope && e.init && isOriginHeaderRead(e.init))) names.add(name);
    const checks: Origins[] = [];
    const visit = (node: any): void => {
      const parent = this.parents.get(node);
      const isName =
        node.type === 'Identifier' &&
        names.has(node.name) &&
        !(parent?.type === 'VariableDeclarator' && parent.id === node) &&
        !isKeyPosition(node, parent);
      if (isName || isOriginHeaderRead(node)) {
        const check = this.classifyUse(node, parent);
        if (check) checks.push(check);
        return;
      }
      forEachChild(node, visit);
    };
    visit(scope);
    return checks.length ? combine(checks) : undefined;
  }

  private classifyUse(use: any, parent: any): Origins | undefined {
    if (!parent) return undefined;
    if (
      (parent.type === 'CallExpression' || parent.type === 'OptionalCallExpression') &&
      parent.arguments.includes(use)
    ) {
      const method = memberName(parent.callee);
      const receiver = parent.callee.object;
      if (receiver?.type === 'Identifier' && receiver.name === 'console') return undefined;
      if (method && JS_SETTERS.has(method) && jsString(parent.arguments[0]) !== undefined) return undefined;
      if (method && ['includes', 'has', 'indexOf'].includes(method)) return this.eval(receiver, 'list');
      return DYNAMIC;
    }
    if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === use) {
      const grand = this.parents.get(parent);
      const isCall =
        (grand?.type === 'CallExpression' || grand?.type === 'OptionalCallExpression') && grand.callee === parent;
      return isCall && !['toLowerCase', 'trim', 'toString'].includes(memberName(parent) ?? '') ? DYNAMIC : undefined;
    }
    if (parent.type === 'BinaryExpression') {
      const other = parent.left === use ? parent.right : parent.left;
      if (['===', '!==', '==', '!='].includes(parent.operator)) {
        const o = unwrap(other);
        if (o.type === 'NullLiteral' || (o.type === 'Identifier' && o.name === 'undefined') || jsString(o) === '')
          return undefined;
        return this.eval(other, 'list');
      }
      return parent.operator === 'in' ? DYNAMIC : undefined;
    }
    if (parent.type === 'SwitchStatement' && parent.discriminant === use) return DYNAMIC;
    return undefined;
  }

  /** The one declaration of a name in its function, else in the enclosing ones; none when a parameter. */
  private binding(name: any): JsBinding | undefined {
    const entries = this.bindings.get(name.name) ?? [];
    for (let scope = this.scopeOf(name); scope; scope = scope.type === 'Program' ? undefined : this.scopeOf(scope)) {
      if (this.params.get(scope)?.has(name.name)) return undefined;
      const here = entries.filter((e) => e.scope === scope);
      if (here.length) return here.length === 1 ? here[0] : undefined;
    }
    return undefined;
  }

  private resolve(name: any): any {
    const init = this.binding(name)?.init;
    return init && unwrap(init);
  }

  private isTrue(node: any): boolean {
    const n = unwrap(node);
    if (n?.type === 'Identifier') return this.isTrue(this.resolve(n));
    return n?.type === 'BooleanLiteral' && n.value === true;
  }

  private add(
    at: any,
    framework: CorsSite['framework'],
    origins: Origins,
    credentials: boolean,
    star: StarWithCredentials,
  ): void {
    this.sites.push(
      makeSite(this.file, at.loc.start.line, this.text.slice(at.start, at.end), framework, origins, credentials, star),
    );
  }
}

function isKeyPosition(node: any, parent: any): boolean {
  if (!parent) return false;
  if (parent.type === 'ObjectProperty' && parent.key === node && !parent.computed && !parent.shorthand) return true;
  return (
    (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') &&
    parent.property === node &&
    !parent.computed
  );
}

// ---------------------------------------------------------------------------------------------
// vercel.json: `headers: [{ source, headers: [{ key, value }] }]`.
// ---------------------------------------------------------------------------------------------

function vercelSites(file: string, text: string): FoundCorsSite[] {
  const root = jsonc().parseTree(text);
  if (!root) return [];
  const sites: FoundCorsSite[] = [];
  const member = (node: import('jsonc-parser').Node, name: string) =>
    node.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === name)?.children?.[1];
  const visit = (node: import('jsonc-parser').Node, parent: import('jsonc-parser').Node | undefined): void => {
    if (node.type === 'object' && String(member(node, 'key')?.value).toLowerCase() === ACAO) {
      const value = member(node, 'value')?.value;
      const origins = typeof value !== 'string' ? DYNAMIC : value === '*' ? ANY : list([value]);
      const credentials = (parent?.type === 'array' ? (parent.children ?? []) : []).some(
        (o) =>
          String(member(o, 'key')?.value).toLowerCase() === ACAC &&
          String(member(o, 'value')?.value).toLowerCase() === 'true',
      );
      const line = text.slice(0, node.offset).split('\n').length;
      sites.push(
        makeSite(
          file,
          line,
          text.slice(node.offset, node.offset + node.length),
          'other',
          origins,
          credentials,
          'refused',
        ),
      );
    }
    for (const child of node.children ?? []) visit(child, node);
  };
  visit(root, undefined);
  return sites;
}
