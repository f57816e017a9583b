import { jsString, keyName, memberName, unwrap } from '../../../lang/js/ast.js';
import { applyEdits, type Edit } from '../../../core/edits.js';
import { bindsName } from '../../../lang/js/imports.js';
import { patternNames } from '../../../lang/js/module-bindings.js';
import { setsCredentials } from './credentials.js';
import { isEnvAllowlist } from './allowlist.js';
import { ACAO, letsAnyoneIn, originPattern, ALLOWLIST_ENV as ENV, type CorsSeverity as Severity } from '../verdict.js';
import type { CorsRewrite } from '../result.js';
import { detectStyle, quoted, statement, type CodeStyle } from '../../../core/style.js';
import { Module, importedNames } from './module.js';
import { headerValue, isAcaoSetter, isTrue } from './header-value.js';
import { importsFrom, isNestCreate, nestCorsOption } from './nest.js';
import { freeLocal, freeName, insertFirstProperty, replaceStatement, terminated } from './splice.js';

// Express and Node http servers: an open `cors()` (no origin, `*`, `origin: true`, a pattern that
// matches anyone) and Access-Control-Allow-Origin set by hand are restricted to the origins in
// ALLOWED_ORIGINS, as exact text splices on a Babel AST in the file's own style. Only what is
// certain is rewritten; anything else that may be open is reported, never guessed. The Koa, Hono
// and Fastify middleware are reported when open, not rewritten (their options differ).

/**
 * Other CORS middleware: reported when open, not rewritten (their options differ). Module → [export, options
 * argument].
 */
const OTHER_PACKAGES: Record<string, [string, number]> = {
  'hono/cors': ['cors', 0],
  '@koa/cors': ['default', 0],
  kcors: ['default', 0],
  '@fastify/cors': ['default', 1],
  'fastify-cors': ['default', 1],
};

/** Express (and Node http) servers: restricts open `cors()` / '*' headers to ALLOWED_ORIGINS in one module. */
export function restrictExpressCors(
  path: string,
  source: string,
  opts: { defaultOrigins: string[] },
): { output: string; results: CorsRewrite[] } {
  const m = new Module(path, source);
  const style = detectStyle(source);
  const edits: Edit[] = [];
  const results: CorsRewrite[] = [];
  const report = (node: any, severity: Severity, message: string, changed = false): void =>
    void results.push({ line: m.line(node), severity, message, changed });

  // The allowlist: a module-level binding that reads ALLOWED_ORIGINS (ours from a previous run) is reused.
  const existing = envAllowlist(m);
  let listName: string | undefined;
  const uses: number[] = [];
  const list = (at: number) => {
    uses.push(at);
    return (listName ??=
      existing ??
      freeName((n) => bindsName(m.program, n), ['allowedOrigins', 'corsAllowedOrigins', 'aiSecureAllowedOrigins']));
  };
  const isList = (node: any) => node?.type === 'Identifier' && node.name === existing;

  const factories = importedNames(m.program, { cors: 'default' });
  const others = new Map<string, string>();
  for (const [module, [name]] of Object.entries(OTHER_PACKAGES))
    for (const local of importedNames(m.program, { [module]: name })) others.set(local, module);
  const editedOptions = new Set<any>();
  const introduced = new Map<any, Set<string>>();

  const fromEnv = ` (from ${ENV}, default ${opts.defaultOrigins.join(',')})`;
  const unknown = (what: string) =>
    `${what}: not rewritten, we cannot tell which origins it lets in; make sure they are only known ones (${ENV})`;

  /** `cors(options)`: the package lets every origin in unless `origin` says otherwise. */
  const corsCall = (call: any): void => {
    const arg = call.arguments[0];
    const by = m.short(call);
    if (call.arguments.length > 1 || arg?.type === 'SpreadElement')
      return report(call, 'medium', unknown(`${by}: options we cannot read`));
    if (!arg || (arg.type === 'Identifier' && arg.name === 'undefined')) {
      const open = source.indexOf('(', call.callee.end);
      const [start, end] = arg ? [arg.start, arg.end] : [open + 1, call.end - 1];
      const text = `{ origin: ${list(call.start)} }`;
      edits.push({ start, end, text });
      return report(
        call,
        'high',
        `${by} lets any website call this server (no origin: the cors package defaults to "*") → ${m.short(call.callee)}(${text})${fromEnv}`,
        true,
      );
    }
    corsOptions(call, arg, by);
  };

  /** The options object of the cors package (or of NestJS, which passes them to it). */
  const corsOptions = (call: any, arg: any, by: string): void => {
    let options = unwrap(arg);
    if (options.type === 'Identifier') options = m.topLevelConstInit(options.name) ?? options;
    if (options.type !== 'ObjectExpression')
      return report(call, 'medium', unknown(`${by}: options computed (${m.short(arg)})`));
    if (editedOptions.has(options)) return;
    editedOptions.add(options);
    const props = options.properties as any[];
    const origin = props.find((p) => keyName(p) === 'origin');
    const credentialsProp = props.find((p) => p.type === 'ObjectProperty' && keyName(p) === 'credentials');
    const credentials = credentialsProp ? isTrue(m, credentialsProp.value) : false;
    const severity: Severity = credentials ? 'critical' : 'high';
    if (!origin) {
      if (props.some((p) => p.type === 'SpreadElement'))
        return report(options, 'medium', unknown(`${by}: options spread from another value may set \`origin\``));
      edits.push(insertFirstProperty(source, options, `origin: ${list(call.start)}`, style));
      return report(
        call,
        severity,
        `${by} lets any website call this server (no origin: the cors package defaults to "*")${credentials ? ' with credentials: true' : ''} → origin: ${listName} added${fromEnv}`,
        true,
      );
    }
    if (origin.type !== 'ObjectProperty') return report(origin, 'medium', unknown(`${by}: \`origin\` is a method`));
    const kind = isList(unwrap(origin.value)) ? 'ours' : corsOrigin(m, origin.value);
    if (kind === 'ours' || kind === 'restricted')
      return report(
        origin,
        'info',
        `${by} already ${kind === 'ours' ? `reads ${ENV}` : `lists its origins (${m.short(origin)})`}: left as it is`,
      );
    if (kind === 'dynamic') return report(origin, 'medium', unknown(`${by}: its origin is computed`));
    const before = m.short(origin);
    if (origin.shorthand) edits.push({ start: origin.start, end: origin.end, text: `origin: ${list(origin.start)}` });
    else edits.push({ start: origin.value.start, end: origin.value.end, text: list(origin.start) });
    const why =
      kind === 'any'
        ? credentials
          ? ' with credentials: true'
          : ''
        : `: it echoes any caller's origin${credentials ? ' with credentials, so any website can make requests as the logged-in user' : ''}`;
    report(
      origin,
      severity,
      `${by} lets any website call this server (${before})${why} → origin: ${listName}${fromEnv}`,
      true,
    );
  };

  // NestJS passes `enableCors(options)` and `NestFactory.create(Module, { cors })` to the cors package.
  const nest = importsFrom(m.program, '@nestjs/');
  /** `NestFactory.create(AppModule, { cors: true })`: `true` is the cors package's defaults, `*`. */
  const nestCreate = (call: any): void => {
    const cors = nestCorsOption(call);
    if (!cors) return;
    const by = m.short(cors);
    const value = unwrap(cors.value);
    if (value.type === 'BooleanLiteral' && value.value) {
      const text = `{ origin: ${list(call.start)} }`;
      edits.push({ start: cors.value.start, end: cors.value.end, text });
      return report(
        cors,
        'high',
        `${by} lets any website call this server (the cors package defaults to "*") → cors: ${text}${fromEnv}`,
        true,
      );
    }
    if (value.type !== 'BooleanLiteral') corsOptions(cors, cors.value, by);
  };

  /** `res.setHeader('Access-Control-Allow-Origin', '*')` in a `(req, res)` handler. */
  const headerSetter = (call: any): void => {
    const value = headerValue(m, call.arguments[1], (n) => isAcaoSetter(m.parent(n)) && m.parent(n).arguments[1] === n);
    const set = m.short(call);
    if (value.kind === 'restricted' || value.kind === 'ours') return;
    if (value.kind === 'checked') {
      // Ours from a previous run: the Origin is checked against the allowlist.
      const fn = m.enclosingFunction(call);
      if (existing && fn && m.references(existing, fn).length)
        report(call, 'info', `${set} already sends only an Origin in ${existing}: left as it is`);
      return;
    }
    if (value.kind === 'dynamic') return report(call, 'medium', unknown(`${set}: its value is computed`));
    const fn = m.enclosingFunction(call);
    const credentials = fn ? setsCredentials(fn) : false;
    const severity: Severity = credentials ? 'critical' : 'high';
    const echoed =
      value.kind !== 'echo'
        ? ''
        : value.callerInput
          ? ' (it echoes a value the caller chooses)'
          : " (it echoes any caller's origin unchecked)";
    const problem = `${set} lets any website call this server${echoed}${credentials ? ' with credentials' : ''}`;
    const fix = `send it only when the request's Origin is in ${ENV}, with Vary: Origin`;
    const receiver = call.callee.object;
    const stmt = m.parent(call);
    if (
      stmt?.type !== 'ExpressionStatement' ||
      m.parent(stmt)?.type !== 'BlockStatement' ||
      receiver.type !== 'Identifier' ||
      call.callee.computed
    ) {
      return report(call, severity, `${problem}; not a statement of its own that we can rewrite: ${fix}`);
    }
    const handler = handlerOf(m, call, receiver.name);
    if (!handler)
      return report(
        call,
        severity,
        `${problem}; no (req, res) handler in reach to read the request's Origin from: ${fix}`,
      );
    const setter = m.text(call.callee);
    const name = list(call.start);
    const lines: string[] = [];
    let origin: string;
    if (value.kind === 'echo' && value.name) {
      origin = value.name;
    } else {
      origin = freeLocal(handler.fn, introduced, ['origin', 'requestOrigin', 'corsOrigin']);
      lines.push(
        // The request's own Origin, checked: a value the caller chooses is not one to echo even when listed.
        `const ${origin} = ${value.kind === 'echo' && !value.callerInput ? m.text(call.arguments[1]) : `${handler.request}.headers.origin`}`,
      );
    }
    lines.push(`if (${origin} && ${name}.includes(${origin})) ${setter}(${m.text(call.arguments[0])}, ${origin})`);
    lines.push(`${setter}(${quoted('Vary', style)}, ${quoted('Origin', style)})`);
    edits.push(replaceStatement(source, stmt, lines, style));
    report(
      call,
      severity,
      `${problem} → sent only when the request's Origin is in ${name}, with Vary: Origin${fromEnv}`,
      true,
    );
  };

  for (const node of m.nodes) {
    if (node.type === 'CallExpression' || node.type === 'OptionalCallExpression') {
      const callee = node.callee;
      if (callee.type === 'Identifier' && factories.has(callee.name)) corsCall(node);
      else if (nest && memberName(callee) === 'enableCors') corsCall(node);
      else if (nest && isNestCreate(node)) nestCreate(node);
      else if (isAcaoSetter(node)) headerSetter(node);
      else otherPackage(m, node, others, report);
    } else if (node.type === 'ObjectProperty' && keyName(node)?.toLowerCase() === ACAO) {
      // `res.writeHead(200, { 'Access-Control-Allow-Origin': '*' })`, `res.set({ … })`.
      const value = headerValue(m, node.value, () => false);
      if (value.kind === 'any' || value.kind === 'echo') {
        const fn = m.enclosingFunction(node);
        report(
          node,
          fn && setsCredentials(fn) ? 'critical' : 'high',
          `${m.short(node)} lets any website call this server; set in an object, not rewritten: send Access-Control-Allow-Origin only when the request's Origin is in ${ENV}, with Vary: Origin`,
        );
      }
    }
  }

  if (listName && !existing) {
    const defaults = opts.defaultOrigins.join(',');
    const code = `const ${listName} = (process.env.${ENV} || ${quoted(defaults, style)}).split(${quoted(',', style)}).map((origin) => origin.trim()).filter((origin) => origin && origin !== ${quoted('*', style)})`;
    edits.push(declarationEdit(m, style, code, Math.min(...uses)));
  }
  return { output: applyEdits(source, edits), results: results.sort((a, b) => a.line - b.line) };
}

/** What the `cors` package makes of an `origin` option. */
export function corsOrigin(m: Module, value: any, depth = 0): 'any' | 'reflected' | 'restricted' | 'dynamic' {
  const v = unwrap(value);
  const s = jsString(v);
  if (s !== undefined) return s === '' || s === '*' ? 'any' : 'restricted';
  switch (v?.type) {
    case 'NullLiteral':
      return 'any'; // a falsy origin is the default, `*`
    case 'BooleanLiteral':
      return v.value ? 'reflected' : 'restricted';
    case 'RegExpLiteral':
      return opensToAnyone(v) ? 'reflected' : 'restricted';
    case 'ArrayExpression': {
      // The package compares each string exactly (a '*' item matches nothing) and tests each pattern.
      const kinds = v.elements.map((el: any) =>
        el?.type === 'RegExpLiteral'
          ? opensToAnyone(el)
            ? 'reflected'
            : 'restricted'
          : jsString(el) !== undefined
            ? 'restricted'
            : 'dynamic',
      );
      return kinds.includes('reflected') ? 'reflected' : kinds.includes('dynamic') ? 'dynamic' : 'restricted';
    }
    case 'Identifier': {
      if (v.name === 'undefined') return 'any';
      const init = m.topLevelConstInit(v.name);
      if (init && readsAllowedOrigins(m, init)) return 'restricted';
      return init && depth < 4 ? corsOrigin(m, init, depth + 1) : 'dynamic';
    }
    default:
      return 'dynamic';
  }
}

/** Whether a regex literal given as `origin` lets any website in. */
function opensToAnyone(regex: any): boolean {
  const pattern = originPattern(regex.pattern, 'search', String(regex.flags), false);
  return pattern ? letsAnyoneIn(pattern) : false;
}

/** The Koa, Hono and Fastify CORS middleware: reported when open. */
function otherPackage(
  m: Module,
  call: any,
  others: Map<string, string>,
  report: (node: any, severity: Severity, message: string) => void,
): void {
  let module = call.callee.type === 'Identifier' ? others.get(call.callee.name) : undefined;
  let options = module ? call.arguments[OTHER_PACKAGES[module]![1]] : undefined;
  if (module?.includes('fastify')) return; // a plugin, registered below
  if (!module && memberName(call.callee) === 'register' && call.arguments[0]?.type === 'Identifier') {
    module = others.get(call.arguments[0].name);
    if (!module?.includes('fastify')) return;
    options = call.arguments[1];
  }
  if (!module) return;
  const opts = unwrap(options);
  if (opts && opts.type !== 'ObjectExpression') return;
  const origin = opts?.properties.find((p: any) => p.type === 'ObjectProperty' && keyName(p) === 'origin');
  if (opts?.properties.some((p: any) => p.type === 'SpreadElement' || p.type === 'ObjectMethod') && !origin) return;
  const value = origin && unwrap(origin.value);
  const open = !origin || jsString(value) === '*' || (value?.type === 'BooleanLiteral' && value.value);
  if (open)
    report(
      call,
      'high',
      `${m.short(call)} (${module}) lets any website call this server; not rewritten: set \`origin\` to the origins in ${ENV}`,
    );
}

/** Where a `(req, res)` handler gives us the request: the function whose second parameter is `res`. */
function handlerOf(m: Module, node: any, response: string): { fn: any; request: string } | undefined {
  const between: any[] = [];
  for (let fn = m.enclosingFunction(node); fn; fn = m.enclosingFunction(fn)) {
    const names = fn.params.flatMap(patternNames);
    if (!names.includes(response)) {
      between.push(fn);
      continue;
    }
    // `(req, res)`, or `(err, req, res, next)` for an error handler: the request comes just before.
    const at = fn.params.findIndex((p: any) => p.type === 'Identifier' && p.name === response);
    const req = fn.params[at - 1];
    if (at < 1 || req?.type !== 'Identifier') return undefined;
    // A function in between that binds the same name hides the request.
    if (between.some((inner) => inner.params.flatMap(patternNames).includes(req.name))) return undefined;
    return { fn, request: req.name };
  }
  return undefined;
}

/** A module-level binding whose value reads ALLOWED_ORIGINS: the allowlist, ours or the user's. */
function envAllowlist(m: Module): string | undefined {
  for (const stmt of m.program.body) {
    const declaration = stmt.type === 'ExportNamedDeclaration' ? stmt.declaration : stmt;
    if (declaration?.type !== 'VariableDeclaration' || declaration.kind !== 'const') continue;
    for (const d of declaration.declarations)
      if (d.id.type === 'Identifier' && d.init && readsAllowedOrigins(m, d.init)) return d.id.name;
  }
  return undefined;
}

/** `(process.env.ALLOWED_ORIGINS || '…')…`: the list as we write it (see allowlist.ts). */
function readsAllowedOrigins(m: Module, node: any): boolean {
  return isEnvAllowlist(m.text(node));
}

/**
 * Where the allowlist goes: after the module's imports and requires (and a `dotenv` config call,
 * so ALLOWED_ORIGINS from .env is read), before its first use.
 */
function declarationEdit(m: Module, style: CodeStyle, code: string, firstUse: number): Edit {
  const source = m.source;
  const body = m.program.body as any[];
  const using = body.find((s) => s.start <= firstUse && firstUse < s.end) ?? body[body.length - 1];
  const setup = body.filter((s) => s.start < using.start && isSetup(s));
  const anchor = setup[setup.length - 1];
  if (anchor) {
    let at = anchor.end;
    const comment = /^[ \t]*\/\/[^\r\n]*/.exec(source.slice(at));
    if (comment) at += comment[0].length;
    return { start: at, end: at, text: style.eol + style.eol + terminated(code, style, source.slice(at)) };
  }
  const start = using.leadingComments?.[0]?.start ?? using.start;
  return { start, end: start, text: statement(code, style) + style.eol + style.eol };
}

/** Imports, requires, and the `dotenv` calls that fill process.env. */
function isSetup(stmt: any): boolean {
  if (stmt.type === 'ImportDeclaration') return true;
  if (stmt.type === 'VariableDeclaration')
    return stmt.declarations.every((d: any) => requireRoot(d.init) !== undefined);
  if (stmt.type !== 'ExpressionStatement') return false;
  const root = requireRoot(stmt.expression);
  if (root !== undefined) return true;
  const call = stmt.expression;
  return (
    call.type === 'CallExpression' &&
    memberName(call.callee) === 'config' &&
    /^dotenv/i.test(call.callee.object?.name ?? '')
  );
}

/** `require('x')`, `require('x').y`, `require('x')()`: the module required; undefined for anything else. */
function requireRoot(node: any): string | undefined {
  let n = unwrap(node);
  while (n) {
    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require')
      return jsString(n.arguments[0]) ?? '';
    if (n.type === 'MemberExpression') n = n.object;
    else if (n.type === 'CallExpression') n = n.callee;
    else if (n.type === 'AwaitExpression') n = n.argument;
    else return undefined;
  }
  return undefined;
}
