import { importBindings, type PyImportRef } from '../../../lang/python/import-bindings.js';
import type { PythonNode } from '../../../lang/python/parse.js';
import { stringValue } from '../../../frameworks/python/routes.js';
import { ACAO } from '../verdict.js';

// What the CORS detector (sites.ts) and the Python fixer (python/rewrite.ts) both read from a
// Python module before judging it: one pass over the tree, the same answers for both.

export interface PythonModuleFacts {
  /** Local name → the import that binds it. */
  imports: Map<string, PyImportRef>;
  /** Name → every assignment to it, with the function (or lambda) it happens in. */
  assignments: Map<string, { node: PythonNode; scope: number }[]>;
  /** `app.config["CORS_ORIGINS"] = …` and friends: Flask-CORS reads its defaults from there. */
  flaskConfig: Map<string, PythonNode>;
  calls: PythonNode[];
  /** Every identifier in the module (to pick a name nothing uses). */
  identifiers: Set<string>;
}

const SCOPES = new Set(['function_definition', 'lambda']);

export function collectPythonFacts(root: PythonNode): PythonModuleFacts {
  const facts: PythonModuleFacts = {
    imports: new Map(),
    assignments: new Map(),
    flaskConfig: new Map(),
    calls: [],
    identifiers: new Set(),
  };
  const visit = (node: PythonNode): void => {
    if (node.type === 'identifier') facts.identifiers.add(node.text);
    if (node.type === 'import_statement' || node.type === 'import_from_statement') {
      for (const [local, ref] of importBindings(node)) facts.imports.set(local, ref);
    } else if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier')
        facts.assignments.set(left.text, [...(facts.assignments.get(left.text) ?? []), { node, scope: scopeOf(node) }]);
      const configKey =
        left?.type === 'subscript' && /\.config$|^config$/.test(left.childForFieldName('value')?.text ?? '')
          ? pyString(left.childForFieldName('subscript'))
          : undefined;
      const right = node.childForFieldName('right');
      // `+=` adds to a value we do not see: only a plain assignment says what the config holds.
      if (node.type === 'assignment' && configKey?.startsWith('CORS_') && right)
        facts.flaskConfig.set(configKey, right);
    } else if (node.type === 'call') {
      facts.calls.push(node);
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(root);
  return facts;
}

/** A string literal's value with its escapes undone (raw strings kept as written). */
export function pyString(node: PythonNode | null | undefined): string | undefined {
  const value = stringValue(node);
  if (value === undefined || !node) return undefined;
  const raw = /^[a-zA-Z]*[rR]/.test(node.firstChild?.text ?? '');
  return raw ? value : value.replace(/\\([\\'"])/g, '$1');
}

/** The function or lambda a node is in. */
export function enclosingScope(node: PythonNode | null): PythonNode | null {
  for (let p = node?.parent ?? null; p; p = p.parent) if (SCOPES.has(p.type)) return p;
  return null;
}

/** An id for the scope a node is in: its function's, or -1 at module level. */
export function scopeOf(node: PythonNode): number {
  return enclosingScope(node)?.id ?? -1;
}

/** Methods that set a header: `headers.set(name, value)`, `add_header`, `setdefault`… */
export const PY_SETTERS = new Set(['set', 'add', 'setdefault', 'add_header', 'append', '__setitem__']);
/** The packages whose `CORS` and `cross_origin` are Flask-CORS's (sanic_cors is its port). */
export const FLASK_CORS_MODULES = new Set(['flask_cors', 'sanic_cors']);

/** What a module does to set CORS, as the detector and the cors step both look for it. */
export interface PythonCorsHooks {
  /** `add_middleware(CORSMiddleware, …)`, `Middleware(CORSMiddleware, …)`, `CORSMiddleware(app, …)`. */
  starlette(call: PythonNode): void;
  /** `CORS(app, …)`, `CORS()`, `flask_cors.CORS(…)`. */
  flaskCors(call: PythonNode, positional: PythonNode[], callee: PythonNode): void;
  /** `@cross_origin(…)` (or a plain call to it). */
  crossOriginCall(call: PythonNode, callee: PythonNode): void;
  /** `@cross_origin` without parentheses: any origin. */
  bareCrossOrigin(decorator: PythonNode, callee: PythonNode): void;
  /** Access-Control-Allow-Origin set by hand: `headers[…] = v`, `{…: v}`, `headers.set(…, v)`. */
  header(at: PythonNode, value: PythonNode): void;
}

/** Walks a module and calls a hook at every place that sets CORS. */
export function visitCorsSites(root: PythonNode, imports: PythonModuleFacts['imports'], hooks: PythonCorsHooks): void {
  const onCall = (call: PythonNode) => {
    const fn = call.childForFieldName('function');
    if (!fn) return;
    const positional = positionalArguments(call);
    if (isCorsMiddleware(fn, imports) || (positional[0] && isCorsMiddleware(positional[0], imports)))
      hooks.starlette(call);
    else if (isFlaskCorsName(fn, 'CORS', imports)) hooks.flaskCors(call, positional, fn);
    else if (isFlaskCorsName(fn, 'cross_origin', imports)) hooks.crossOriginCall(call, fn);
    else if (
      fn.type === 'attribute' &&
      PY_SETTERS.has(fn.childForFieldName('attribute')?.text ?? '') &&
      pyString(positional[0])?.toLowerCase() === ACAO &&
      positional[1]
    )
      hooks.header(call, positional[1]);
  };
  const walk = (node: PythonNode): void => {
    switch (node.type) {
      case 'call':
        onCall(node);
        break;
      case 'decorator': {
        const expression = node.namedChildren[0];
        if (expression && expression.type !== 'call' && isFlaskCorsName(expression, 'cross_origin', imports))
          hooks.bareCrossOrigin(node, expression);
        break;
      }
      case 'assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (
          left?.type === 'subscript' &&
          right &&
          pyString(left.childForFieldName('subscript'))?.toLowerCase() === ACAO
        )
          hooks.header(node, right);
        break;
      }
      case 'pair': {
        const value = node.childForFieldName('value');
        if (value && pyString(node.childForFieldName('key'))?.toLowerCase() === ACAO) hooks.header(node, value);
        break;
      }
    }
    for (const child of node.namedChildren) if (child) walk(child);
  };
  walk(root);
}

function isCorsMiddleware(node: PythonNode, imports: PythonModuleFacts['imports']): boolean {
  if (node.type === 'attribute') return node.childForFieldName('attribute')?.text === 'CORSMiddleware';
  return (
    node.type === 'identifier' && (node.text === 'CORSMiddleware' || imports.get(node.text)?.name === 'CORSMiddleware')
  );
}

/** `CORS` / `cross_origin` imported from Flask-CORS, or `flask_cors.CORS`. */
function isFlaskCorsName(
  node: PythonNode,
  name: 'CORS' | 'cross_origin',
  imports: PythonModuleFacts['imports'],
): boolean {
  const callee = node.text;
  const ref = imports.get(callee);
  if (ref) return ref.name === name && FLASK_CORS_MODULES.has(ref.module);
  const dot = callee.lastIndexOf('.');
  if (node.type !== 'attribute' || dot < 0 || callee.slice(dot + 1) !== name) return false;
  const module = imports.get(callee.slice(0, dot));
  return Boolean(module && !module.name && FLASK_CORS_MODULES.has(module.module));
}

/** A call's positional arguments (no keywords, splats or comments). */
export function positionalArguments(call: PythonNode): PythonNode[] {
  const args = call.childForFieldName('arguments');
  if (args?.type !== 'argument_list') return [];
  return args.namedChildren.filter(
    (a): a is PythonNode =>
      Boolean(a) && !['keyword_argument', 'list_splat', 'dictionary_splat', 'comment'].includes(a!.type),
  );
}

/** What a name is bound to: the one assignment in its function, else in the enclosing ones. */
export function resolveName(
  name: PythonNode | null | undefined,
  assignments: PythonModuleFacts['assignments'],
): PythonNode | undefined {
  if (name?.type !== 'identifier') return undefined;
  const entries = assignments.get(name.text) ?? [];
  for (let scope = enclosingScope(name); ; scope = enclosingScope(scope)) {
    if (scope && parameterNames(scope).has(name.text)) return undefined;
    const here = entries.filter((e) => e.scope === (scope?.id ?? -1));
    if (here.length > 1) return undefined;
    if (here.length === 1)
      return here[0]!.node.type === 'assignment' ? (here[0]!.node.childForFieldName('right') ?? undefined) : undefined;
    if (!scope) return undefined;
  }
}

/** `True`, or a name bound to it. */
export function isPyTrue(node: PythonNode | null | undefined, assignments: PythonModuleFacts['assignments']): boolean {
  if (node?.type === 'identifier') return resolveName(node, assignments)?.type === 'true';
  return node?.type === 'true';
}

/** The names a function or lambda takes. */
export function parameterNames(fn: PythonNode): Set<string> {
  const names = new Set<string>();
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    const name =
      p.type === 'identifier'
        ? p
        : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier'));
    if (name) names.add(name.text);
  }
  return names;
}

/**
 * Ours (from an earlier run, or the user's equivalent): a top-level function without required
 * parameters that reads `envName` from the environment and drops "*" (`… != "*"`).
 */
export function isEnvAllowlistFunction(fn: PythonNode, envName: string): boolean {
  const params = fn.childForFieldName('parameters')?.namedChildren.filter((p) => p && p.type !== 'comment') ?? [];
  if (params.some((p) => p!.type !== 'default_parameter' && p!.type !== 'typed_default_parameter')) return false;
  const body = fn.childForFieldName('body');
  if (!body || !/\b(environ|getenv)\b/.test(body.text)) return false;
  const readsEnv = body.descendantsOfType('string').some((s) => s && stringValue(s) === envName);
  const dropsStar = body.descendantsOfType('comparison_operator').some((c) => {
    const operators = c!.childrenForFieldName('operators').map((o) => o?.type);
    return (
      operators.length === 1 &&
      operators[0] === '!=' &&
      c!.namedChildren.some((n) => n?.type === 'string' && stringValue(n) === '*')
    );
  });
  return readsEnv && dropsStar;
}
