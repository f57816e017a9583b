import { basename } from 'node:path';
import { jsString, keyName, memberName, summarize, unwrap } from '../../../lang/js/ast.js';
import { applyEdits, type Edit } from '../../../core/edits.js';
import { addImport, bindsName } from '../../../lang/js/imports.js';
import { patternNames } from '../../../lang/js/module-bindings.js';
import { findAppRouteHandlers } from '../../../frameworks/next/route-handlers.js';
import { setsCredentials } from './credentials.js';
import { HELPER } from './allowlist.js';
import { ACAO, ALLOWLIST_ENV as ENV, type CorsSeverity as Severity } from '../verdict.js';
import type { CorsRewrite } from '../result.js';
import { detectStyle, quoted } from '../../../core/style.js';
import { FUNCTIONS, Module } from './module.js';
import { type HeaderValue, headerValue, isAcaoSetter, within } from './header-value.js';
import { freeLocal, freeName, removeListItems, removeStatement, replaceStatement } from './splice.js';

// Next.js route handlers, middleware.ts and proxy.ts: a `*` or an echoed Origin in response headers
// is answered through the app's CORS helper (templates/next/cors.ts): `corsHeaders(request, …)` or
// `allowedOrigin(request)`, which send the header only to an origin in ALLOWED_ORIGINS. What cannot
// be rewritten safely is reported, with the helper call that would fix it.

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
