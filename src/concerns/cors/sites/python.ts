import { basename } from 'node:path';
import { keywordArgument, stringValue } from '../../../frameworks/python/routes.js';
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
} from '../python/facts.js';
import { parsePython, type PythonNode } from '../../../lang/python/parse.js';
import type { CorsSite } from '../../../core/report-schema.js';
import {
  ACAC,
  ALLOWLIST_ENV,
  ANY,
  combine,
  FROM_ALLOWLIST,
  DYNAMIC,
  list,
  REFLECTED,
  type Origins,
  type StarWithCredentials,
} from '../verdict.js';
import { type FoundCorsSite, makeSite, patternOrigins, worst } from './site.js';

// CORS in Python: Starlette/FastAPI CORSMiddleware, Flask-CORS (CORS, init_app, resources,
// @cross_origin, app.config), django-cors-headers settings, and the header set by hand on a response.

export function pythonSites(file: string, text: string): FoundCorsSite[] {
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
