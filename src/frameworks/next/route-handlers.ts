import { blankStringsAndComments } from '../../lang/js/scan-module.js';
import { jsString, keyName } from '../../lang/js/ast.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/**
 * One exported handler of a route file, and how it can be protected:
 * - `guard`: we can insert the guard at the top of `fn`, a function defined in this file;
 * - `wrap`: the handler is a value we cannot edit inside (a factory call, an imported or shared
 *   function), so the export's value `target` is wrapped in `withRateLimit(...)`;
 * - `manual`: neither is safe; `reason` says why.
 */
export interface RouteHandler {
  /** HTTP method for App Router exports, `default` for a Pages Router handler. */
  method: string;
  /** Where the handler is exported (for the report). */
  exportNode: any;
  /** The code whose references decide whether the handler reaches AI or is protected. */
  body: any;
  how: 'guard' | 'wrap' | 'manual';
  fn?: any;
  target?: any;
  /** `export { handler as POST }`: the specifier to rewrite when wrapping. */
  specifier?: any;
  /** The local name the export refers to (`handler` in `export { handler as POST }`). */
  localName?: string;
  /** Every method exported from the same local function (`export { handler as GET, handler as POST }`). */
  sharedWith?: string[];
  reason?: string;
}

function isFunction(node: any): boolean {
  return Boolean(node && FUNCTION_TYPES.has(node.type));
}

/** The top-level function or value a local name is bound to. */
function localDefinition(program: any, name: string): { fn?: any; value?: any; imported?: boolean } {
  for (let statement of program.body as any[]) {
    if (statement.type === 'ImportDeclaration' && statement.specifiers?.some((s: any) => s.local?.name === name))
      return { imported: true };
    if (
      (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') &&
      statement.declaration
    )
      statement = statement.declaration;
    if (statement.type === 'FunctionDeclaration' && statement.id?.name === name) return { fn: statement };
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        if (declarator.id?.type !== 'Identifier' || declarator.id.name !== name) continue;
        const init = unwrapTypeCasts(declarator.init);
        if (isFunction(init)) return { fn: init };
        if (init?.type === 'Identifier' && init.name !== name) return localDefinition(program, init.name);
        return { value: init };
      }
    }
  }
  return {};
}

/** `module.exports = …` */
function isModuleExports(expression: any): boolean {
  const left = expression.type === 'AssignmentExpression' ? expression.left : undefined;
  return left?.type === 'MemberExpression' && left.object?.name === 'module' && left.property?.name === 'exports';
}

/** `handler as RouteHandler`, `handler satisfies X`, `(handler)`: the value underneath. */
export function unwrapTypeCasts(node: any): any {
  while (
    node &&
    [
      'TSAsExpression',
      'TSSatisfiesExpression',
      'TSNonNullExpression',
      'ParenthesizedExpression',
      'TypeCastExpression',
    ].includes(node.type)
  ) {
    node = node.expression;
  }
  return node;
}

/** App Router: `export async function POST`, `export const POST = …`, `export { handler as POST }`. */
export function findAppRouteHandlers(program: any): RouteHandler[] {
  const handlers: RouteHandler[] = [];
  const exportsOf = new Map<string, string[]>(); // local function name → exported method names

  // `ref` is what the export itself holds: the identifier in `export const POST = handler`, or
  // the specifier in `export { handler as POST }`. Wrapping rewrites that, never the definition.
  const fromLocal = (
    method: string,
    exportNode: any,
    localName: string,
    ref: { init?: any; specifier?: any },
  ): RouteHandler => {
    const found = localDefinition(program, localName);
    const common = { method, exportNode, localName, target: ref.init, specifier: ref.specifier };
    if (found.fn) {
      exportsOf.set(localName, [...(exportsOf.get(localName) ?? []), method]);
      return { ...common, body: found.fn, how: 'guard', fn: found.fn };
    }
    if (found.imported) return { ...common, body: ref.specifier?.local ?? ref.init, how: 'wrap' };
    if (found.value) return { ...common, body: found.value, how: 'wrap' };
    return { ...common, body: exportNode, how: 'manual', reason: `cannot find what ${method} is` };
  };

  for (const statement of program.body as any[]) {
    if (statement.type !== 'ExportNamedDeclaration') continue;
    const declaration = statement.declaration;
    if (declaration?.type === 'FunctionDeclaration' && HTTP_METHODS.includes(declaration.id?.name)) {
      handlers.push({
        method: declaration.id.name,
        exportNode: statement,
        body: declaration,
        how: 'guard',
        fn: declaration,
      });
    } else if (declaration?.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === 'ObjectPattern') {
          const methods = declarator.id.properties
            .map((p: any) => p.value?.name ?? p.key?.name)
            .filter((n: string) => HTTP_METHODS.includes(n));
          for (const method of methods) {
            handlers.push({
              method,
              exportNode: statement,
              body: declarator,
              how: 'manual',
              reason: `${method} is destructured from another value (\`export const { ${methods.join(', ')} } = …\`): wrap it by hand with withRateLimit`,
            });
          }
          continue;
        }
        const method = declarator.id.name;
        if (!HTTP_METHODS.includes(method)) continue;
        const init = unwrapTypeCasts(declarator.init);
        if (isFunction(init)) handlers.push({ method, exportNode: statement, body: init, how: 'guard', fn: init });
        else if (init?.type === 'Identifier')
          handlers.push(fromLocal(method, statement, init.name, { init: declarator.init }));
        else if (init)
          handlers.push({ method, exportNode: statement, body: init, how: 'wrap', target: declarator.init });
      }
    } else if (!declaration && statement.specifiers?.length) {
      for (const specifier of statement.specifiers) {
        const method = specifier.exported?.name ?? specifier.exported?.value;
        if (!HTTP_METHODS.includes(method)) continue;
        if (statement.source) {
          handlers.push({
            method,
            exportNode: statement,
            body: statement,
            how: 'manual',
            reason: `${method} is re-exported from ${statement.source.value}: protect it where it is defined`,
          });
        } else {
          handlers.push(fromLocal(method, statement, specifier.local.name, { specifier }));
        }
      }
    }
  }

  // A local function exported under several methods is guarded once when all of them are
  // protected; when only some are, those exports are wrapped instead (the transform decides).
  for (const handler of handlers) {
    if (handler.localName) handler.sharedWith = exportsOf.get(handler.localName);
  }
  return handlers;
}

/**
 * Pages Router: `export default function handler(req, res)`, `export default withX(handler)`, `module.exports =
 * …`.
 */
export function findPagesRouteHandler(program: any): RouteHandler | undefined {
  let exportNode: any;
  let value: any;
  for (const statement of program.body as any[]) {
    if (statement.type === 'ExportDefaultDeclaration') {
      exportNode = statement;
      value = statement.declaration;
    } else if (statement.type === 'ExpressionStatement' && isModuleExports(statement.expression)) {
      exportNode = statement;
      value = statement.expression.right;
    }
  }
  if (!exportNode) return undefined;
  const handler = (fnOrValue: { fn?: any; value?: any; imported?: boolean }): RouteHandler => {
    if (fnOrValue.fn) return { method: 'default', exportNode, body: fnOrValue.fn, how: 'guard', fn: fnOrValue.fn };
    return {
      method: 'default',
      exportNode,
      body: fnOrValue.value ?? exportNode,
      how: 'manual',
      reason: fnOrValue.imported
        ? 'the handler is imported from another module: protect it where it is defined'
        : 'the handler is built by a call we cannot see into: add the guard where it is defined',
    };
  };
  // `withAuth(withLogging(handler))`: the guard goes into the innermost local handler.
  for (let current = unwrapTypeCasts(value); ; ) {
    if (isFunction(current) || current?.type === 'FunctionDeclaration') return handler({ fn: current });
    if (current?.type === 'Identifier') return handler(localDefinition(program, current.name));
    if (current?.type === 'CallExpression') {
      const inner = current.arguments.find(
        (arg: any) => isFunction(arg) || arg.type === 'Identifier' || arg.type === 'CallExpression',
      );
      if (inner) {
        current = unwrapTypeCasts(inner);
        continue;
      }
    }
    return handler({ value: current });
  }
}

/**
 * The exported methods of a route file and where, read from the text without parsing: for the
 * report on files that cannot reach an AI call, where parsing would only confirm it.
 */
export function exportedMethodsFromText(text: string, kind: 'app' | 'pages'): { method: string; offset: number }[] {
  const source = blankStringsAndComments(text);
  if (kind === 'pages') {
    const match = /^[ \t]*(export\s+default\b|module\.exports\s*=)/m.exec(source);
    return match ? [{ method: 'default', offset: match.index + match[0].length - match[1]!.length }] : [];
  }
  const methods = HTTP_METHODS.join('|');
  const found: { method: string; offset: number }[] = [];
  const declared = new RegExp(
    `^[ \\t]*export\\s+(?:async\\s+)?(?:function\\s*(?:\\*\\s*)?|const\\s+|let\\s+|var\\s+)(${methods})\\b`,
    'gm',
  );
  for (const m of source.matchAll(declared))
    found.push({ method: m[1]!, offset: m.index + m[0].length - m[0].trimStart().length });
  for (const list of source.matchAll(/^[ \t]*export\s*\{/gm)) {
    // The list up to its `}` (found by indexOf: `[^}]*` in the pattern rescanned the rest of the file
    // for every `export {` left open).
    const close = source.indexOf('}', list.index + list[0].length);
    if (close === -1) break;
    const names = source.slice(list.index + list[0].length, close);
    for (const m of names.matchAll(new RegExp(`(?:\\bas\\s+|^\\s*|,\\s*)(${methods})\\s*(?=,|$)`, 'g'))) {
      found.push({ method: m[1]!, offset: list.index + list[0].length - list[0].trimStart().length });
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

/**
 * Whether a route module runs on the Edge runtime, read from its top-level code: `export const
 * runtime = 'edge'`, or a `config` with `runtime: 'edge'` (or `'experimental-edge'`) that the
 * module exports, directly or by `export { config }`. A Pages API route there takes a web Request.
 */
export function declaresEdgeRuntime(program: any): boolean {
  const isEdge = (node: any) => /^(experimental-)?edge$/.test(jsString(unwrapTypeCasts(node)) ?? '');
  const exported = new Set<string>();
  const declarators: any[] = [];
  for (const statement of program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (statement.type === 'ExportNamedDeclaration' && !statement.source)
      for (const s of statement.specifiers ?? []) if (s.local?.name) exported.add(s.local.name);
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const d of declaration.declarations) {
      if (d.id?.type !== 'Identifier') continue;
      if (statement.type === 'ExportNamedDeclaration') exported.add(d.id.name);
      declarators.push(d);
    }
  }
  return declarators.some((d) => {
    if (!exported.has(d.id.name)) return false;
    if (d.id.name === 'runtime') return isEdge(d.init);
    const config = d.id.name === 'config' ? unwrapTypeCasts(d.init) : undefined;
    const runtime = config?.type === 'ObjectExpression' && config.properties.find((p: any) => keyName(p) === 'runtime');
    return Boolean(runtime) && isEdge(runtime.value);
  });
}
