import { basename } from 'node:path';
import { parseSource } from '../../../lang/js/parse.js';
import {
  forEachChild,
  isOriginHeaderRead,
  jsString,
  keyName,
  memberName,
  summarize,
  unwrap,
  WRAPPERS,
} from '../../../lang/js/ast.js';
import { applyEdits, type Edit } from '../../../core/edits.js';
import { addImport, bindsName } from '../../../lang/js/imports.js';
import { patternNames } from '../../../lang/js/module-bindings.js';
import { findAppRouteHandlers } from '../../../frameworks/next/route-handlers.js';
import { setsCredentials } from './credentials.js';
import { HELPER, isEnvAllowlist } from './allowlist.js';
import { ACAC, ACAO, letsAnyoneIn, originPattern } from '../verdict.js';
import { detectStyle, indentAt, lineAt, quoted, statement, type CodeStyle } from '../../../core/style.js';

// Restricting open CORS in JavaScript and TypeScript to the origins in ALLOWED_ORIGINS, as exact
// text splices on a Babel AST in the file's own style (see insert-guard.ts). Only what is certain
// is rewritten: `*`, `origin: true`, an Origin echoed back unchecked. Anything else that may be
// open is reported, never guessed. Every rewrite leaves code that a second run leaves alone.

export interface CorsRewrite {
  line: number;
  message: string;
  /** False: reported only, the code is as it was. */
  changed: boolean;
  severity: 'critical' | 'high' | 'medium' | 'info';
}

type Severity = CorsRewrite['severity'];

const ENV = 'ALLOWED_ORIGINS';
const FUNCTIONS = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

// ---------------------------------------------------------------------------------------------
// Express (and Node http): the `cors` package and the header set by hand.
// ---------------------------------------------------------------------------------------------

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
        `${by} lets any website call this server (no origin: the cors package defaults to "*") → ${call.callee.name}(${text})${fromEnv}`,
        true,
      );
    }
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
    const problem = `${set} lets any website call this server${value.kind === 'echo' ? " (it echoes any caller's origin unchecked)" : ''}${credentials ? ' with credentials' : ''}`;
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
        `const ${origin} = ${value.kind === 'echo' ? m.text(call.arguments[1]) : `${handler.request}.headers.origin`}`,
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
function corsOrigin(m: Module, value: any, depth = 0): 'any' | 'reflected' | 'restricted' | 'dynamic' {
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

// ---------------------------------------------------------------------------------------------
// Next.js route handlers, middleware.ts and proxy.ts: the helper module.
// ---------------------------------------------------------------------------------------------

const RESPONSE_CLASSES = new Set(['Response', 'NextResponse']);
const RESPONSE_FACTORIES = new Set(['json', 'next', 'redirect', 'rewrite']);

/**
 * Next.js: route handlers / middleware / proxy that set Access-Control-Allow-Origin to '*' (or echo the request
 * origin unchecked) get the helper: `corsHeaders(request)` / `allowedOrigin(request)`; returns also whether the
 * helper import was added (`helperSpecifier` given by the caller, e.g. '@/lib/cors').
 */
export function restrictNextCors(
  path: string,
  source: string,
  opts: { helperSpecifier: string },
): { output: string; results: CorsRewrite[]; usesHelper: boolean } {
  const m = new Module(path, source);
  const style = detectStyle(source);
  const typescript = /\.[cm]?tsx?$/.test(path);
  const edits: Edit[] = [];
  const results: CorsRewrite[] = [];
  const report = (node: any, severity: Severity, message: string, changed = false): void =>
    void results.push({ line: m.line(node), severity, message, changed });
  const handlers = /^(middleware|proxy)\.[cm]?[jt]sx?$/.test(basename(path))
    ? middlewareFunctions(m.program)
    : routeFunctions(m.program);

  // The helper's exports as this module calls them: an existing import of them is reused.
  const locals = new Map<string, string>();
  const imported = new Map<string, string>();
  for (const stmt of m.program.body) {
    if (stmt.type !== 'ImportDeclaration' || stmt.source.value !== opts.helperSpecifier || stmt.importKind === 'type')
      continue;
    for (const s of stmt.specifiers)
      if (s.type === 'ImportSpecifier' && s.importKind !== 'type')
        imported.set(s.imported.name ?? s.imported.value, s.local.name);
  }
  const helper = (name: string): string => {
    let local = locals.get(name) ?? imported.get(name);
    if (!local) {
      const taken = (n: string) => bindsName(m.program, n) || [...locals.values()].includes(n);
      local = freeName(taken, [name, `aiSecure${name[0]!.toUpperCase()}${name.slice(1)}`]);
    }
    locals.set(name, local);
    return local;
  };

  // The request each handler is called with; a parameter is added (once) to a handler without one.
  const requests = new Map<any, { name: string; edit?: Edit; used?: boolean }>();
  const requestOf = (fn: any): { name: string; edit?: Edit; used?: boolean } | undefined => {
    if (requests.has(fn)) return requests.get(fn);
    const first = fn.params[0];
    let entry: { name: string; edit?: Edit } | undefined;
    if (first?.type === 'Identifier') entry = { name: first.name };
    else if (first?.type === 'AssignmentPattern' && first.left.type === 'Identifier') entry = { name: first.left.name };
    else if (!first) {
      const name = freeName((n) => summarize(fn).names.has(n), ['request', 'req', 'incomingRequest']);
      const open = source.indexOf('(', fn.typeParameters?.end ?? fn.id?.end ?? (fn.async ? fn.start + 5 : fn.start));
      entry = { name, edit: { start: open + 1, end: open + 1, text: typescript ? `${name}: Request` : name } };
    }
    if (entry) requests.set(fn, entry);
    return entry;
  };
  /** The handler around `node` and its request, when no function in between hides the request's name. */
  const reach = (node: any): { fn: any; request: { name: string; edit?: Edit; used?: boolean } } | undefined => {
    const between: any[] = [];
    for (let fn = m.enclosingFunction(node); fn; fn = m.enclosingFunction(fn)) {
      if (!handlers.has(fn)) {
        between.push(fn);
        continue;
      }
      const request = requestOf(fn);
      if (!request || between.some((inner) => inner.params.flatMap(patternNames).includes(request.name)))
        return undefined;
      return { fn, request };
    }
    return undefined;
  };

  const wrapped = new Set<any>();
  const wrap = (node: any, request: { name: string; used?: boolean }): void => {
    if (wrapped.has(node)) return;
    wrapped.add(node);
    request.used = true;
    edits.push(
      { start: node.start, end: node.start, text: `${helper(HELPER.headers)}(${request.name}, ` },
      { start: node.end, end: node.end, text: ')' },
    );
  };
  const introduced = new Map<any, Set<string>>();
  /** Echoing variables whose every use was rewritten: their declarations go too. */
  const echoVariables = new Map<any, { name: string; fn: any }>();
  const rewrittenValues = new Set<any>();
  const labelOf = (fn: any) => handlers.get(fn) ?? 'the handler';
  const isSetterValue = (n: any) => isAcaoSetter(m.parent(n)) && m.parent(n).arguments[1] === n;
  const isPropertyValue = (n: any) =>
    m.parent(n)?.type === 'ObjectProperty' && m.parent(n).value === n && keyName(m.parent(n))?.toLowerCase() === ACAO;
  const headerValueOf = (n: any) => headerValue(m, n, (x) => isSetterValue(x) || isPropertyValue(x));
  const credentialsIn = (scope: any): boolean => Boolean(scope && setsCredentials(scope));
  /** The problem, as detect states it: who sends the header, to whom. */
  const problemOf = (what: string, value: HeaderValue, subject: string, credentials: boolean) =>
    `${what} lets any website call ${subject}${value.kind === 'echo' ? " (it echoes any caller's origin unchecked)" : ''}${credentials ? ' with credentials' : ''}`;
  const unknown = (what: string) =>
    `${what}: not rewritten, we cannot tell which origins it lets in; make sure they are only known ones (${ENV}: ${HELPER.origin}(request) from ${opts.helperSpecifier} gives the allowed one)`;
  const headersFix = `answer with headers: ${HELPER.headers}(request, { …the other headers }) from ${opts.helperSpecifier}`;
  const setFix = `const origin = ${HELPER.origin}(request) from ${opts.helperSpecifier}; set the header only if (origin), with Vary: Origin`;
  const fromEnv = ` (from ${ENV})`;
  const noteEcho = (value: HeaderValue, valueNode: any, fn: any) => {
    rewrittenValues.add(valueNode);
    if (value.kind === 'echo' && value.declarator) echoVariables.set(value.declarator, { name: value.name!, fn });
  };

  // Objects holding the header: `headers: { 'Access-Control-Allow-Origin': '*', … }`.
  const objects = new Map<any, any[]>();
  for (const node of m.nodes) {
    if (
      node.type === 'ObjectProperty' &&
      keyName(node)?.toLowerCase() === ACAO &&
      m.parent(node)?.type === 'ObjectExpression'
    ) {
      const list = objects.get(m.parent(node)) ?? [];
      list.push(node);
      objects.set(m.parent(node), list);
    }
  }
  for (const [object, props] of objects) {
    const values = props.map((p) => ({ prop: p, value: headerValueOf(p.value) }));
    const open = values.filter((v) => v.value.kind === 'any' || v.value.kind === 'echo' || v.value.kind === 'dynamic');
    if (!open.length) continue;
    const first = open[0]!;
    const what = m.short(first.prop);
    const dynamic = open.find((v) => v.value.kind === 'dynamic');
    if (dynamic) {
      report(dynamic.prop, 'medium', unknown(`${m.short(dynamic.prop)}: its value is computed`));
      continue;
    }
    const credentials = credentialsIn(m.enclosingFunction(object)) || setsCredentials(object);
    const severity: Severity = credentials ? 'critical' : 'high';
    const removals = removeListItems(
      source,
      object.properties,
      open.map((v) => v.prop),
    );
    if (inHeadersPosition(m, object)) {
      const site = reach(object);
      if (!site) {
        report(
          first.prop,
          severity,
          `${problemOf(what, first.value, 'this server', credentials)}; not in a route handler or middleware whose request we can pass: ${headersFix}`,
        );
        continue;
      }
      const remaining = object.properties.length - open.length;
      const call = `${helper(HELPER.headers)}(${site.request.name}${remaining ? ', { … }' : ''})`;
      if (remaining === 0) {
        wrapped.add(object);
        site.request.used = true;
        edits.push({ start: object.start, end: object.end, text: `${helper(HELPER.headers)}(${site.request.name})` });
      } else {
        edits.push(...removals);
        wrap(object, site.request);
      }
      for (const v of open) noteEcho(v.value, v.prop.value, site.fn);
      report(
        first.prop,
        severity,
        `${problemOf(what, first.value, labelOf(site.fn), credentials)} → headers: ${call}, which sends it only to an origin in ${ENV}, with Vary: Origin${fromEnv}`,
        true,
      );
      continue;
    }
    // `const cors = { 'Access-Control-Allow-Origin': '*', … }` used as `headers: cors` in handlers.
    const declarator = m.parent(object);
    const declared =
      declarator?.type === 'VariableDeclarator' &&
      unwrap(declarator.init) === object &&
      declarator.id.type === 'Identifier'
        ? declarator
        : undefined;
    const uses = declared ? headerUses(m, declared) : undefined;
    if (!declared || !uses) {
      report(
        first.prop,
        severity,
        `${problemOf(what, first.value, 'this server', credentials)}; used where we cannot follow it: ${headersFix}`,
      );
      continue;
    }
    const name = declared.id.name;
    const sites = uses.map((use) => ({ use, site: reach(use) }));
    if (!sites.length || sites.some((s) => !s.site)) {
      report(
        first.prop,
        severity,
        `${problemOf(`${what} in \`${name}\``, first.value, 'this server', credentials)}; \`${name}\` is used outside the route handlers or middleware: ${headersFix}`,
      );
      continue;
    }
    edits.push(...removals);
    for (const { use, site } of sites) wrap(use, site!.request);
    for (const v of open) noteEcho(v.value, v.prop.value, sites[0]!.site!.fn);
    const subject = [...new Set(sites.map((s) => labelOf(s.site!.fn)))].join(', ');
    report(
      first.prop,
      severity,
      `${problemOf(`${what} in \`${name}\``, first.value, subject, credentials)} → removed from \`${name}\`; where it is used, ${helper(HELPER.headers)}(request, ${name}) sends it only to an origin in ${ENV}, with Vary: Origin${fromEnv}`,
      true,
    );
  }

  // `response.headers.set('Access-Control-Allow-Origin', '*')`.
  for (const node of m.nodes) {
    if (node.type === 'CallExpression' && isAcaoSetter(node)) {
      const value = headerValueOf(node.arguments[1]);
      const set = m.short(node);
      if (value.kind === 'ours')
        report(
          node,
          'info',
          `${set} already sends only an origin in ${ENV} (${m.text(node.arguments[1])} from ${HELPER.origin}): left as it is`,
        );
      if (value.kind === 'restricted' || value.kind === 'checked' || value.kind === 'ours') continue;
      if (value.kind === 'dynamic') {
        report(node, 'medium', unknown(`${set}: its value is computed`));
        continue;
      }
      const fn = m.enclosingFunction(node);
      const credentials = credentialsIn(fn);
      const severity: Severity = credentials ? 'critical' : 'high';
      const stmt = m.parent(node);
      const target = node.callee.object;
      if (memberName(node.callee) === 'setHeader') {
        // A Node response (a Pages API route): there is no Request to give the helper.
        report(
          node,
          severity,
          `${problemOf(set, value, 'this server', credentials)}; a Node-style (req, res) handler, not rewritten here: send it only when req.headers.origin is in ${ENV}, with Vary: Origin`,
        );
        continue;
      }
      if (
        stmt?.type !== 'ExpressionStatement' ||
        m.parent(stmt)?.type !== 'BlockStatement' ||
        node.callee.computed ||
        !isPlainPath(target)
      ) {
        report(
          node,
          severity,
          `${problemOf(set, value, 'this server', credentials)}; not a statement of its own that we can rewrite: ${setFix}`,
        );
        continue;
      }
      const site = reach(node);
      if (!site) {
        report(
          node,
          severity,
          `${problemOf(set, value, 'this server', credentials)}; not in a route handler or middleware whose request we can pass: ${setFix}`,
        );
        continue;
      }
      site.request.used = true;
      const origin = freeLocal(site.fn, introduced, ['origin', 'allowed', 'corsOrigin']);
      const setter = m.text(node.callee);
      const check = `${helper(HELPER.origin)}(${site.request.name})`;
      const lines = [
        `const ${origin} = ${check}`,
        `if (${origin}) ${setter}(${m.text(node.arguments[0])}, ${origin})`,
        `${setter}(${quoted('Vary', style)}, ${quoted('Origin', style)})`,
      ];
      edits.push(replaceStatement(source, stmt, lines, style));
      noteEcho(value, node.arguments[1], site.fn);
      report(
        node,
        severity,
        `${problemOf(set, value, labelOf(site.fn), credentials)} → sent only for the origin ${check} allows (one in ${ENV}), with Vary: Origin${fromEnv}`,
        true,
      );
    } else if (
      node.type === 'AssignmentExpression' &&
      node.left.type === 'MemberExpression' &&
      node.left.computed &&
      jsString(node.left.property)?.toLowerCase() === ACAO
    ) {
      const value = headerValueOf(node.right);
      const credentials = credentialsIn(m.enclosingFunction(node));
      if (value.kind === 'any' || value.kind === 'echo')
        report(
          node,
          credentials ? 'critical' : 'high',
          `${problemOf(m.short(node), value, 'this server', credentials)}; not rewritten: ${headersFix}`,
        );
    } else if (
      node.type === 'ArrayExpression' &&
      node.elements.length === 2 &&
      jsString(node.elements[0])?.toLowerCase() === ACAO
    ) {
      const value = headerValueOf(node.elements[1]);
      const credentials = credentialsIn(m.enclosingFunction(node));
      if (value.kind === 'any' || value.kind === 'echo')
        report(
          node,
          credentials ? 'critical' : 'high',
          `${problemOf(m.short(node), value, 'this server', credentials)}; not rewritten: ${headersFix}`,
        );
    }
  }

  // A variable that only held the echoed origin is now unused: its declaration goes.
  for (const [declarator, { name, fn }] of echoVariables) {
    const declaration = m.parent(declarator);
    const refs = m.references(name, fn);
    if (
      declaration.declarations.length !== 1 ||
      m.parent(declaration)?.type !== 'BlockStatement' ||
      !refs.every((r) => [...rewrittenValues].some((v) => within(r, v)))
    )
      continue;
    edits.push(removeStatement(source, declaration));
  }

  for (const entry of requests.values()) if (entry.used && entry.edit) edits.push(entry.edit);
  const added = [...locals].filter(([name]) => !imported.has(name)).map(([name, local]) => ({ name, local }));
  if (!edits.length) return { output: source, results: results.sort((a, b) => a.line - b.line), usesHelper: false };
  edits.push(...addImport(m.program, source, opts.helperSpecifier, added, style));
  return { output: applyEdits(source, edits), results: results.sort((a, b) => a.line - b.line), usesHelper: true };
}

/** Route handlers: the exported HTTP methods defined in the file, by function, with their label. */
function routeFunctions(program: any): Map<any, string> {
  const fns = new Map<any, string>();
  for (const handler of findAppRouteHandlers(program))
    if (handler.fn && !fns.has(handler.fn)) fns.set(handler.fn, `the ${handler.method} handler`);
  return fns;
}

/** middleware.ts / proxy.ts: the exported `middleware` / `proxy` function, or the default export. */
function middlewareFunctions(program: any): Map<any, string> {
  const fns = new Map<any, string>();
  const locals = new Map<string, any>();
  for (const stmt of program.body) {
    const declaration =
      stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? stmt.declaration : stmt;
    if (declaration?.type === 'FunctionDeclaration' && declaration.id) locals.set(declaration.id.name, declaration);
    if (declaration?.type === 'VariableDeclaration') {
      for (const d of declaration.declarations)
        if (d.id.type === 'Identifier' && FUNCTIONS.has(unwrap(d.init)?.type)) locals.set(d.id.name, unwrap(d.init));
    }
  }
  const add = (fn: any, name: string) => fn && FUNCTIONS.has(fn.type) && fns.set(fn, name);
  for (const stmt of program.body) {
    if (stmt.type === 'ExportDefaultDeclaration') {
      const d = unwrap(stmt.declaration);
      add(d.type === 'Identifier' ? locals.get(d.name) : d, 'the middleware');
    } else if (stmt.type === 'ExportNamedDeclaration') {
      const d = stmt.declaration;
      if (d?.type === 'FunctionDeclaration' && ['middleware', 'proxy'].includes(d.id?.name)) add(d, `the ${d.id.name}`);
      if (d?.type === 'VariableDeclaration')
        for (const v of d.declarations)
          if (['middleware', 'proxy'].includes(v.id.name)) add(unwrap(v.init), `the ${v.id.name}`);
      for (const s of stmt.source ? [] : (stmt.specifiers ?? [])) {
        const exported = s.exported?.name ?? s.exported?.value;
        if (['middleware', 'proxy', 'default'].includes(exported))
          add(locals.get(s.local.name), `the ${exported === 'default' ? 'middleware' : exported}`);
      }
    }
  }
  return fns;
}

/** The value of `headers` in a Response's init, or what `new Headers()` is given. */
function inHeadersPosition(m: Module, node: any): boolean {
  const parent = m.parent(node);
  if (
    parent?.type === 'NewExpression' &&
    parent.callee.type === 'Identifier' &&
    parent.callee.name === 'Headers' &&
    parent.arguments[0] === node
  )
    return true;
  if (parent?.type !== 'ObjectProperty' || parent.value !== node || keyName(parent) !== 'headers') return false;
  const init = m.parent(parent);
  const call = m.parent(init);
  if (
    init?.type !== 'ObjectExpression' ||
    !call ||
    !['NewExpression', 'CallExpression'].includes(call.type) ||
    !call.arguments.includes(init)
  )
    return false;
  const callee = call.callee;
  if (call.type === 'NewExpression') return callee.type === 'Identifier' && RESPONSE_CLASSES.has(callee.name);
  return (
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    RESPONSE_CLASSES.has(callee.object.name) &&
    RESPONSE_FACTORIES.has(memberName(callee) ?? '')
  );
}

/**
 * Where a headers object bound to a name is used, each one to wrap in corsHeaders(): `headers: x`
 * or `new Headers(x)` (the name itself), `headers: { ...x, … }` (that object). Undefined when any
 * use is something else, or the name is exported: other code would still see the header.
 */
function headerUses(m: Module, declarator: any): any[] | undefined {
  const declaration = m.parent(declarator);
  if (declaration?.kind !== 'const' || m.parent(declaration)?.type === 'ExportNamedDeclaration') return undefined;
  const scope = m.enclosingFunction(declarator) ?? m.program;
  const uses: any[] = [];
  for (const ref of m.references(declarator.id.name, scope)) {
    const parent = m.parent(ref);
    if (inHeadersPosition(m, ref)) uses.push(ref);
    else if (parent?.type === 'SpreadElement' && inHeadersPosition(m, m.parent(parent))) uses.push(m.parent(parent));
    else return undefined;
  }
  return uses;
}

/** `a`, `a.b`, `a.b.c`: safe to write more than once. */
function isPlainPath(node: any): boolean {
  if (node.type === 'Identifier') return true;
  return (
    node.type === 'MemberExpression' &&
    !node.computed &&
    node.property.type === 'Identifier' &&
    isPlainPath(node.object)
  );
}

// ---------------------------------------------------------------------------------------------
// next.config: static headers() entries.
// ---------------------------------------------------------------------------------------------

/**
 * next.config.(js|mjs|ts): a static `headers()` entry { key: 'Access-Control-Allow-Origin', value: '*' } cannot check
 * the origin: remove it and return which source paths it covered, so the caller can report that middleware must
 * answer CORS for them.
 */
export function removeStaticCorsHeader(
  path: string,
  source: string,
): { output: string; results: CorsRewrite[]; sources: string[] } {
  const m = new Module(path, source);
  const edits: Edit[] = [];
  const results: CorsRewrite[] = [];
  const sources: string[] = [];
  const prop = (object: any, name: string) =>
    object?.type === 'ObjectExpression'
      ? object.properties.find((p: any) => p.type === 'ObjectProperty' && keyName(p) === name)?.value
      : undefined;
  const isAcao = (entry: any) => jsString(prop(entry, 'key'))?.toLowerCase() === ACAO;
  /** Routes left with no header, by the array that holds them: they go. */
  const routesToRemove = new Map<any, any[]>();

  // Each headers array once, with its `*` entries.
  const arrays = new Map<any, any[]>();
  for (const node of m.nodes) {
    if (node.type !== 'ObjectExpression' || !isAcao(node)) continue;
    const value = prop(node, 'value');
    const s = jsString(value);
    if (s === undefined) {
      results.push({
        line: m.line(node),
        severity: 'medium',
        changed: false,
        message: `next.config headers(): Access-Control-Allow-Origin is ${m.short(value ?? node)}, computed; make sure it is never \`*\`: a static header cannot check the request's origin, middleware can`,
      });
      continue;
    }
    if (s !== '*') continue;
    const array = m.parent(node);
    if (array?.type !== 'ArrayExpression') {
      results.push({
        line: m.line(node),
        severity: 'high',
        changed: false,
        message: `next.config headers(): Access-Control-Allow-Origin: * where we cannot follow it, not removed; remove it and answer CORS in middleware`,
      });
      continue;
    }
    arrays.set(array, [...(arrays.get(array) ?? []), node]);
  }

  for (const [array, entries] of arrays) {
    const credentials = array.elements.some(
      (e: any) =>
        jsString(prop(e, 'key'))?.toLowerCase() === ACAC &&
        String(jsString(prop(e, 'value')) ?? unwrap(prop(e, 'value'))?.value) === 'true',
    );
    const severity: Severity = credentials ? 'critical' : 'high';
    const line = m.line(entries[0]);
    // The routes the array belongs to: its own, or those that name it (`headers: corsHeaders`).
    const parent = m.parent(array);
    let routes: any[] | undefined;
    if (parent?.type === 'ObjectProperty' && parent.value === array && keyName(parent) === 'headers')
      routes = [m.parent(parent)];
    else if (parent?.type === 'VariableDeclarator' && parent.init === array && parent.id.type === 'Identifier') {
      const refs = m.references(parent.id.name, m.enclosingFunction(parent) ?? m.program);
      const owners = refs
        .map((r) => m.parent(r))
        .filter((p) => p?.type === 'ObjectProperty' && keyName(p) === 'headers');
      routes = refs.length && owners.length === refs.length ? owners.map((p) => m.parent(p)) : undefined;
    }
    const paths = routes?.map((r) => jsString(prop(r, 'source')));
    if (!routes || !paths || paths.some((p) => p === undefined)) {
      results.push({
        line,
        severity,
        changed: false,
        message: `next.config headers(): Access-Control-Allow-Origin: * for paths we cannot read, not removed; remove it and answer CORS in middleware for those paths`,
      });
      continue;
    }
    const emptied = entries.length === array.elements.length;
    const shared = parent?.type === 'VariableDeclarator';
    if (emptied) {
      // Next.js rejects a route with no headers: the whole route goes.
      const containers = routes.map((r) => m.parent(r));
      if (containers.some((c) => c?.type !== 'ArrayExpression')) {
        results.push({
          line,
          severity,
          changed: false,
          message: `next.config headers(): Access-Control-Allow-Origin: * is the only header for ${paths.join(', ')}, in a route we cannot remove; remove it and answer CORS in middleware`,
        });
        continue;
      }
      for (const route of routes) {
        const container = m.parent(route);
        routesToRemove.set(container, [...(routesToRemove.get(container) ?? []), route]);
      }
    }
    // A named array stays (emptied when it held only this), so that no `*` is left to use again.
    if (!emptied || shared) edits.push(...removeListItems(source, array.elements, entries));
    for (const p of paths as string[]) if (!sources.includes(p)) sources.push(p);
    results.push({
      line,
      severity,
      changed: true,
      message: `next.config headers(): Access-Control-Allow-Origin: * lets any website call ${paths.join(', ')}${credentials ? ' with credentials' : ''} → removed: a static header cannot check the request's origin; middleware must answer CORS for ${paths.length > 1 ? 'these paths' : 'this path'}`,
    });
  }
  for (const [container, routes] of routesToRemove) edits.push(...removeListItems(source, container.elements, routes));
  return { output: applyEdits(source, edits), results: results.sort((a, b) => a.line - b.line), sources };
}

// ---------------------------------------------------------------------------------------------
// Header values and shared helpers.
// ---------------------------------------------------------------------------------------------

/**
 * What a header value sends: `*`; the request's Origin echoed unchecked (directly, or through a
 * variable that holds only it: `name`); an origin the code checks first; a fixed origin; or
 * something computed we do not follow.
 */
type HeaderValue =
  | { kind: 'any' | 'checked' | 'restricted' | 'dynamic' | 'ours' }
  | { kind: 'echo'; name?: string; declarator?: any };

/** `isSite(node)`: whether `node` is the value of a header site (those are not checks). */
function headerValue(m: Module, value: any, isSite: (node: any) => boolean, depth = 0): HeaderValue {
  const v = unwrap(value);
  const s = jsString(v);
  if (s !== undefined) return { kind: s === '*' ? 'any' : 'restricted' };
  if (!v || depth > 4) return { kind: 'dynamic' };
  const fn = m.enclosingFunction(v);
  // Uses of the origin elsewhere than in header values: presumably a check.
  const inSite = (n: any) => isSite(siteValue(m, n));
  if (isOriginHeaderRead(v)) {
    const others = m
      .nodesIn(fn ?? m.program)
      .filter((n) => isOriginHeaderRead(n) && !isOriginHeaderRead(m.parent(n)) && !inSite(n) && !within(n, v));
    return { kind: others.length ? 'checked' : 'echo' };
  }
  // `a || b`, `a ?? b`, `test ? a : b`: open when every branch is; one fixed and one open branch is not ours to decide.
  const branches =
    v.type === 'LogicalExpression' && v.operator !== '&&'
      ? [v.left, v.right]
      : v.type === 'ConditionalExpression'
        ? [v.consequent, v.alternate]
        : undefined;
  if (branches) {
    const kinds = branches.map((b) => headerValue(m, b, isSite, depth + 1));
    if (kinds.some((k) => k.kind === 'checked')) return { kind: 'checked' };
    if (!kinds.every((k) => k.kind === 'any' || k.kind === 'echo'))
      return { kind: kinds.every((k) => k.kind === 'restricted') ? 'restricted' : 'dynamic' };
    const echo = kinds.find((k): k is Extract<HeaderValue, { kind: 'echo' }> => k.kind === 'echo');
    return echo ? { kind: 'echo', ...(echo.declarator ? { declarator: echo.declarator } : {}) } : { kind: 'any' };
  }
  if (v.type === 'Identifier' && fn) {
    const declarators = m
      .nodesIn(fn)
      .filter((n) => n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === v.name);
    const init = declarators.length === 1 ? unwrap(declarators[0].init) : undefined;
    if (!init) return { kind: 'dynamic' };
    const callee = init.type === 'CallExpression' && init.callee.type === 'Identifier' ? init.callee.name : '';
    if (callee && m.importedFrom(callee)?.imported === HELPER.origin) return { kind: 'ours' };
    if (!isOriginHeaderRead(init)) return { kind: 'dynamic' };
    const others = m.references(v.name, fn).filter((r) => !inSite(r));
    return others.length ? { kind: 'checked' } : { kind: 'echo', name: v.name, declarator: declarators[0] };
  }
  return { kind: 'dynamic' };
}

/** The header value a node is part of: up through type wrappers and the branches of `||`, `??` and `?:`. */
function siteValue(m: Module, node: any): any {
  let n = node;
  for (;;) {
    const p = m.parent(n);
    const branch =
      (p?.type === 'LogicalExpression' && p.operator !== '&&') || (p?.type === 'ConditionalExpression' && p.test !== n);
    if (!p || !(WRAPPERS.has(p.type) || branch)) return n;
    n = p;
  }
}

function within(node: any, outer: any): boolean {
  return node.start >= outer.start && node.end <= outer.end;
}

/** `x.setHeader('Access-Control-Allow-Origin', v)`, `.header`, `.set`, `.append`. */
function isAcaoSetter(node: any): boolean {
  if (node?.type !== 'CallExpression' && node?.type !== 'OptionalCallExpression') return false;
  return (
    ['setHeader', 'header', 'set', 'append'].includes(memberName(node.callee) ?? '') &&
    node.arguments.length === 2 &&
    jsString(node.arguments[0])?.toLowerCase() === ACAO
  );
}

function isTrue(m: Module, node: any): boolean {
  const n = unwrap(node);
  if (n?.type === 'Identifier') {
    const init = m.topLevelConstInit(n.name);
    return init ? isTrue(m, init) : false;
  }
  return n?.type === 'BooleanLiteral' && n.value === true;
}

/**
 * Local names bound to `module`'s exports: `{ cors: 'default' }` finds `import cors from 'cors'` and `const cors =
 * require('cors')`.
 */
function importedNames(program: any, wanted: Record<string, string>): Set<string> {
  const names = new Set<string>();
  for (const stmt of program.body) {
    if (stmt.type === 'ImportDeclaration' && stmt.importKind !== 'type' && stmt.source.value in wanted) {
      const want = wanted[stmt.source.value];
      for (const s of stmt.specifiers) {
        const imported =
          s.type === 'ImportDefaultSpecifier'
            ? 'default'
            : s.type === 'ImportSpecifier'
              ? (s.imported.name ?? s.imported.value)
              : undefined;
        if (imported === want) names.add(s.local.name);
      }
    } else if (stmt.type === 'VariableDeclaration') {
      for (const d of stmt.declarations) {
        const init = unwrap(d.init);
        const required =
          init?.type === 'CallExpression' && init.callee.type === 'Identifier' && init.callee.name === 'require'
            ? jsString(init.arguments[0])
            : undefined;
        if (required === undefined || !(required in wanted)) continue;
        const want = wanted[required];
        if (d.id.type === 'Identifier' && want === 'default') names.add(d.id.name);
        if (d.id.type === 'ObjectPattern') {
          for (const p of d.id.properties)
            if (p.type === 'ObjectProperty' && keyName(p) === want && p.value.type === 'Identifier')
              names.add(p.value.name);
        }
      }
    }
  }
  return names;
}

/** The first of `candidates` (then numbered after the last) that `taken` says is free. */
function freeName(taken: (name: string) => boolean, candidates: string[]): string {
  for (const name of candidates) if (!taken(name)) return name;
  const last = candidates[candidates.length - 1]!;
  for (let i = 2; ; i++) if (!taken(`${last}${i}`)) return `${last}${i}`;
}

/** A name for a new local in `fn`: unused there, and not one we already added to it. */
function freeLocal(fn: any, introduced: Map<any, Set<string>>, candidates: string[]): string {
  const ours = introduced.get(fn) ?? new Set<string>();
  introduced.set(fn, ours);
  const name = freeName((n) => summarize(fn).names.has(n) || ours.has(n), candidates);
  ours.add(name);
  return name;
}

/** A statement in the file's style, with a semicolon anyway when the code that follows needs one. */
function terminated(code: string, style: CodeStyle, after: string): string {
  return style.semi || /^\s*(?:[([`+-]|\/(?![/*]))/.test(after) ? `${code};` : code;
}

/**
 * Replaces a statement by `lines`, each on its own line at the statement's indentation (on one line when it shared
 * its line).
 */
function replaceStatement(source: string, stmt: any, lines: string[], style: CodeStyle): Edit {
  const lineStart = source.lastIndexOf('\n', stmt.start - 1) + 1;
  const rest = /^[^\r\n]*/.exec(source.slice(stmt.end))![0];
  const ownLine = /^[ \t]*$/.test(source.slice(lineStart, stmt.start)) && /^\s*(\/\/.*)?$/.test(rest);
  if (!ownLine) return { start: stmt.start, end: stmt.end, text: lines.map((line) => `${line};`).join(' ') };
  const indent = indentAt(source, stmt.start);
  const text = lines
    .map((line, i) =>
      i === lines.length - 1 ? terminated(line, style, source.slice(stmt.end)) : statement(line, style),
    )
    .join(style.eol + indent);
  return { start: stmt.start, end: stmt.end, text };
}

/** Removes a statement, with its line when it has one to itself. */
function removeStatement(source: string, stmt: any): Edit {
  const lineStart = source.lastIndexOf('\n', stmt.start - 1) + 1;
  const after = /^[ \t]*(\/\/[^\r\n]*)?\r?\n/.exec(source.slice(stmt.end));
  if (/^[ \t]*$/.test(source.slice(lineStart, stmt.start)) && after)
    return { start: lineStart, end: stmt.end + after[0].length, text: '' };
  return { start: stmt.start, end: stmt.end, text: '' };
}

/**
 * Removes items of a comma-separated list (array elements, object properties) with their commas:
 * each run of neighbours as one edit, whole lines when the run has its lines to itself.
 */
function removeListItems(source: string, items: any[], remove: any[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 0; i < items.length; i++) {
    if (!remove.includes(items[i])) continue;
    let j = i;
    while (j + 1 < items.length && remove.includes(items[j + 1])) j++;
    const [first, last, prev, next] = [items[i], items[j], items[i - 1], items[j + 1]];
    const lineStart = source.lastIndexOf('\n', first.start - 1) + 1;
    const after = /^[ \t]*,?[ \t]*(\/\/[^\r\n]*)?\r?\n/.exec(source.slice(last.end));
    if (/^[ \t]*$/.test(source.slice(lineStart, first.start)) && after)
      edits.push({ start: lineStart, end: last.end + after[0].length, text: '' });
    else if (next) edits.push({ start: first.start, end: next.start, text: '' });
    else if (prev) edits.push({ start: prev.end, end: last.end, text: '' });
    else
      edits.push({
        start: first.start,
        end: last.end + (/^\s*,\s*/.exec(source.slice(last.end))?.[0].length ?? 0),
        text: '',
      });
    i = j;
  }
  return edits;
}

/** Inserts a property first in an object literal: on its own line when the first property has one. */
function insertFirstProperty(source: string, object: any, code: string, style: CodeStyle): Edit {
  const first = object.properties[0];
  if (!first) return { start: object.start, end: object.end, text: `{ ${code} }` };
  const lineStart = source.lastIndexOf('\n', first.start - 1) + 1;
  const ownLine = /^[ \t]*$/.test(source.slice(lineStart, first.start));
  return {
    start: first.start,
    end: first.start,
    text: ownLine ? `${code},${style.eol}${indentAt(source, first.start)}` : `${code}, `,
  };
}

/** One parsed module: its nodes in source order, their parents, and the questions we ask of them. */
class Module {
  readonly program: any;
  readonly nodes: any[] = [];
  private readonly parents = new Map<any, any>();

  constructor(
    path: string,
    readonly source: string,
  ) {
    this.program = parseSource(path, source).program;
    const visit = (node: any, parent: any): void => {
      this.parents.set(node, parent);
      this.nodes.push(node);
      forEachChild(node, (child) => visit(child, node));
    };
    visit(this.program, undefined);
  }

  parent(node: any): any {
    return this.parents.get(node);
  }

  line(node: any): number {
    return lineAt(this.source, node.start);
  }

  text(node: any): string {
    return this.source.slice(node.start, node.end);
  }

  /** The code on one line, shortened: for messages. */
  short(node: any): string {
    const one = this.text(node)
      .replace(/,?\s*\n\s*(?=[)\]}])/g, '')
      .replace(/([([{])\s*\n\s*/g, '$1')
      .replace(/\s+/g, ' ')
      .trim();
    return one.length > 100 ? `${one.slice(0, 99)}…` : one;
  }

  enclosingFunction(node: any): any {
    for (let p = this.parent(node); p; p = this.parent(p)) if (FUNCTIONS.has(p.type)) return p;
    return undefined;
  }

  nodesIn(root: any): any[] {
    return this.nodes.filter((n) => n.start >= root.start && n.end <= root.end);
  }

  /** Identifiers named `name` used as values inside `root` (not keys, member names or declared names). */
  references(name: string, root: any): any[] {
    return this.nodesIn(root).filter((n) => {
      if (n.type !== 'Identifier' || n.name !== name) return false;
      const p = this.parent(n);
      if (!p) return true;
      if (
        (p.type === 'ObjectProperty' ||
          p.type === 'ObjectMethod' ||
          p.type === 'ClassMethod' ||
          p.type === 'ClassProperty') &&
        p.key === n &&
        !p.computed
      )
        return false;
      if ((p.type === 'MemberExpression' || p.type === 'OptionalMemberExpression') && p.property === n && !p.computed)
        return false;
      if (p.type === 'VariableDeclarator' && p.id === n) return false;
      if (FUNCTIONS.has(p.type) && (p.id === n || p.params.includes(n))) return false;
      return !/^(Import\w*Specifier|TSTypeReference|TSQualifiedName|TSPropertySignature|LabeledStatement|BreakStatement|ContinueStatement)$/.test(
        p.type,
      );
    });
  }

  /** The value of a module-level `const name = …` declared once, under its type wrappers. */
  topLevelConstInit(name: string): any {
    const found: any[] = [];
    for (const stmt of this.program.body) {
      const declaration = stmt.type === 'ExportNamedDeclaration' ? stmt.declaration : stmt;
      if (declaration?.type !== 'VariableDeclaration') continue;
      for (const d of declaration.declarations)
        if (d.id.type === 'Identifier' && d.id.name === name)
          found.push(declaration.kind === 'const' ? unwrap(d.init) : undefined);
    }
    return found.length === 1 ? found[0] : undefined;
  }

  /** What an import binds `local` to. */
  importedFrom(local: string): { module: string; imported: string } | undefined {
    for (const stmt of this.program.body) {
      if (stmt.type !== 'ImportDeclaration') continue;
      for (const s of stmt.specifiers) {
        if (s.local.name !== local) continue;
        const imported =
          s.type === 'ImportDefaultSpecifier'
            ? 'default'
            : s.type === 'ImportSpecifier'
              ? (s.imported.name ?? s.imported.value)
              : '*';
        return { module: stmt.source.value, imported };
      }
    }
    return undefined;
  }
}
