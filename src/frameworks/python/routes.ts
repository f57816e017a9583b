import type { PythonGraph } from '../../project/graph/python.js';
import { importBindings } from '../../lang/python/import-bindings.js';
import type { PythonNode } from '../../lang/python/parse.js';

// Where a FastAPI or Flask project creates its app and routers, and which functions are its
// endpoints. A route decorator is `@<receiver>.<method>(path, …)` whose receiver is an app or a
// router: created in the module, passed in as an annotated parameter (`def register(r: APIRouter)`),
// or imported from another project module (`from main import app`).

export interface PyFramework {
  name: 'FastAPI' | 'Flask';
  /** The package the classes come from. */
  package: string;
  app: string;
  router: string;
  /** Decorator methods that register a route → the HTTP methods they serve (`[]`: from `methods=`). */
  routeMethods: Record<string, string[]>;
  /** Decorator methods that register something a limit decorator cannot cover. */
  uncoverable: Record<string, string>;
  /** The HTTP methods of a `route`/`api_route` decorator without `methods=`. */
  defaultMethods: string[];
  /** The router argument that prefixes its paths. */
  prefixKeyword: string;
}

export const FASTAPI: PyFramework = {
  name: 'FastAPI',
  package: 'fastapi',
  app: 'FastAPI',
  router: 'APIRouter',
  routeMethods: {
    get: ['GET'],
    post: ['POST'],
    put: ['PUT'],
    patch: ['PATCH'],
    delete: ['DELETE'],
    options: ['OPTIONS'],
    head: ['HEAD'],
    trace: ['TRACE'],
    api_route: [],
  },
  uncoverable: { websocket: 'a WebSocket endpoint', websocket_route: 'a WebSocket endpoint' },
  defaultMethods: ['GET'],
  prefixKeyword: 'prefix',
};

export const FLASK: PyFramework = {
  name: 'Flask',
  package: 'flask',
  app: 'Flask',
  router: 'Blueprint',
  routeMethods: { get: ['GET'], post: ['POST'], put: ['PUT'], patch: ['PATCH'], delete: ['DELETE'], route: [] },
  uncoverable: {},
  defaultMethods: ['GET'],
  prefixKeyword: 'url_prefix',
};

/** An `app = FastAPI(...)` (or Flask) statement. */
export interface AppCreation {
  variable: string;
  /** The whole statement, for inserting lines after it. */
  statement: PythonNode;
  line: number;
  /** The function that creates it (an app factory), if any. */
  factory?: PythonNode;
  factoryName?: string;
}

export interface Endpoint {
  decorated: PythonNode;
  fn: PythonNode;
  name: string;
  decorator: PythonNode;
  receiver: string;
  methods: string[];
  path: string;
  line: number;
}

export interface Uncoverable {
  line: number;
  what: string;
  kind: 'websocket' | 'generated' | 'route';
  /** The path it serves, when known. */
  path?: string;
  /** The code whose reach decides whether it matters (a WebSocket function, a Resource class)… */
  code?: PythonNode;
  /** …or the module-level name of the view it registers (`add_url_rule("/x", view_func=chat)`). */
  target?: string;
}

/** What one module holds: app creations, endpoints, and registrations no decorator can cover. */
export interface ModuleRoutes {
  apps: AppCreation[];
  endpoints: Endpoint[];
  uncoverable: Uncoverable[];
  /** `app.include_router(x)` / `app.register_blueprint(x)`: the name x starts with, and where. */
  included: { line: number; name: string }[];
}

/** How code names the framework's app and router classes: `FastAPI`, `fastapi.APIRouter`… */
const classNames = (fw: PyFramework) => [fw.app, fw.router, `${fw.package}.${fw.app}`, `${fw.package}.${fw.router}`];

/** `X(...)` where X is `cls` imported from the framework's package, or `pkg.cls`. */
function isFrameworkCall(node: PythonNode | null, cls: string, fw: PyFramework, root: PythonNode): boolean {
  if (node?.type !== 'call') return false;
  const callee = node.childForFieldName('function')?.text ?? '';
  if (callee === `${fw.package}.${cls}`) return true;
  return localNamesFor(root, fw.package, cls).has(callee);
}

/** The local names a module gives `cls` from `pkg` (also through `from pkg.sub import cls`). */
function localNamesFor(root: PythonNode, pkg: string, cls: string): Set<string> {
  const names = new Set<string>();
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'import_from_statement') continue;
    for (const [local, ref] of importBindings(statement))
      if ((ref.module === pkg || ref.module.startsWith(`${pkg}.`)) && ref.name === cls) names.add(local);
  }
  return names;
}

/** The string value of a string literal node (no f-strings), or undefined. */
export function stringValue(node: PythonNode | null | undefined): string | undefined {
  if (node?.type !== 'string' || node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return node.namedChildren
    .filter((c) => c?.type === 'string_content')
    .map((c) => c!.text)
    .join('');
}

/** A keyword argument of a call, by name. */
export function keywordArgument(call: PythonNode, name: string): PythonNode | undefined {
  const args = call.childForFieldName('arguments');
  return (
    args?.namedChildren
      .find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)
      ?.childForFieldName('value') ?? undefined
  );
}

/**
 * Finds the app creations, endpoints and uncoverable registrations of one parsed module.
 * `importedObjects` answers whether a name imported from another project module is an app or
 * router of this framework.
 */
export function findModuleRoutes(
  root: PythonNode,
  fw: PyFramework,
  importedObjects: (local: string) => boolean,
): ModuleRoutes {
  const objects = new Set<string>(); // names bound to an app or router
  const prefixes = new Map<string, string>(); // router name → its path prefix
  const apps: AppCreation[] = [];
  const endpoints: Endpoint[] = [];
  const uncoverable: Uncoverable[] = [];
  const included: ModuleRoutes['included'] = [];
  const isObject = (name: string) => objects.has(name) || importedObjects(name);

  const visit = (node: PythonNode, factory: PythonNode | undefined): void => {
    if (node.type === 'expression_statement' && node.firstNamedChild?.type === 'assignment') {
      const assignment = node.firstNamedChild;
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left?.type === 'identifier') {
        if (isFrameworkCall(right, fw.app, fw, root)) {
          objects.add(left.text);
          apps.push({
            variable: left.text,
            statement: node,
            line: node.startPosition.row + 1,
            factory,
            factoryName: factory?.childForFieldName('name')?.text,
          });
        } else if (isFrameworkCall(right, fw.router, fw, root)) {
          objects.add(left.text);
          const prefix = stringValue(keywordArgument(right!, fw.prefixKeyword));
          if (prefix) prefixes.set(left.text, prefix);
        }
      }
    }
    if (node.type === 'typed_parameter' || node.type === 'typed_default_parameter') {
      const type = node.childForFieldName('type')?.text ?? '';
      const name = node.type === 'typed_parameter' ? node.firstNamedChild?.text : node.childForFieldName('name')?.text;
      if (name && classNames(fw).includes(type)) objects.add(name);
    }
    if (node.type === 'decorated_definition') {
      const fn = node.childForFieldName('definition');
      if (fn?.type === 'function_definition') recordEndpoint(node, fn);
      if (fn?.type === 'class_definition') recordResource(node, fn);
    }
    if (node.type === 'call') recordRegistration(node);
    const inner = node.type === 'function_definition' ? node : factory;
    for (const child of node.namedChildren) if (child) visit(child, inner);
  };

  // A function under several route decorators is one endpoint: the limit decorators go under
  // the lowest one, and every route above gets the limited function (route decorators return
  // the function they are given).
  const recordEndpoint = (decorated: PythonNode, fn: PythonNode): void => {
    const name = fn.childForFieldName('name')!.text;
    let found: Endpoint | undefined;
    for (const decorator of decorated.namedChildren) {
      if (decorator?.type !== 'decorator') continue;
      const call = decorator.firstNamedChild;
      if (call?.type !== 'call') continue;
      const callee = call.childForFieldName('function');
      if (callee?.type !== 'attribute') continue;
      const receiver = callee.childForFieldName('object')!.text;
      const method = callee.childForFieldName('attribute')!.text;
      if (!isObject(receiver)) continue;
      const line = decorator.startPosition.row + 1;
      const path =
        (prefixes.get(receiver) ?? '') +
        (stringValue(call.childForFieldName('arguments')?.namedChildren[0]) ??
          keywordValue(call, 'path') ??
          keywordValue(call, 'rule') ??
          '?');
      if (fw.uncoverable[method]) {
        uncoverable.push({
          line,
          what: `${fw.uncoverable[method]} (${path}, ${name})`,
          kind: 'websocket',
          path,
          code: fn,
        });
        continue;
      }
      const fixed = fw.routeMethods[method];
      if (!fixed) continue;
      const methods = fixed.length ? fixed : (methodsArgument(call) ?? fw.defaultMethods);
      if (!found) found = { decorated, fn, name, decorator, receiver, methods, path, line };
      else
        found = {
          ...found,
          decorator,
          methods: [...new Set([...found.methods, ...methods])],
          path: `${found.path}, ${path}`,
        };
    }
    if (found) endpoints.push(found);
  };

  const keywordValue = (call: PythonNode, name: string) => stringValue(keywordArgument(call, name));

  // Class-based views (flask-restx / Flask-RESTful `Resource`, `MethodView`) under `@ns.route`:
  // their methods are endpoints a function decorator placed by us cannot reach.
  const recordResource = (decorated: PythonNode, cls: PythonNode): void => {
    const bases = cls.childForFieldName('superclasses')?.text ?? '';
    if (!/\b(Resource|MethodView|View)\b/.test(bases)) return;
    for (const decorator of decorated.namedChildren) {
      const call = decorator?.type === 'decorator' ? decorator.firstNamedChild : null;
      const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
      if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')!.text !== 'route') continue;
      const path = stringValue(call!.childForFieldName('arguments')?.namedChildren[0]) ?? '?';
      uncoverable.push({
        line: decorator!.startPosition.row + 1,
        what: `class-based view ${cls.childForFieldName('name')!.text} (${path})`,
        kind: 'route',
        path,
        code: cls,
      });
    }
  };

  const recordRegistration = (call: PythonNode): void => {
    const callee = call.childForFieldName('function');
    const line = call.startPosition.row + 1;
    if (callee?.type === 'identifier' && callee.text === 'add_routes') {
      uncoverable.push({
        line,
        what: 'langserve add_routes (its endpoints are generated: limit them with a middleware or a dependency)',
        kind: 'generated',
        path: stringValue(keywordArgument(call, 'path')),
      });
    } else if (callee?.type === 'attribute' && isObject(callee.childForFieldName('object')!.text)) {
      const method = callee.childForFieldName('attribute')!.text;
      if (method === 'add_api_route' || method === 'add_url_rule' || method === 'add_api_websocket_route') {
        const args =
          call.childForFieldName('arguments')?.namedChildren.filter((a): a is PythonNode => Boolean(a)) ?? [];
        const view =
          keywordArgument(call, 'view_func') ??
          keywordArgument(call, 'endpoint') ??
          args.filter((a) => a.type !== 'keyword_argument')[method === 'add_url_rule' ? 2 : 1];
        // `view_func=chat` or `view_func=Summary.as_view("summary")`: the function or class it names.
        const named = view?.type === 'call' ? view.childForFieldName('function')?.childForFieldName('object') : view;
        uncoverable.push({
          line,
          what: `${method}(${view?.text ?? '…'})`,
          kind: method.includes('websocket') ? 'websocket' : 'route',
          path: stringValue(args[0]),
          target: named?.type === 'identifier' ? named.text : undefined,
        });
      }
      const first = call.childForFieldName('arguments')?.namedChildren[0];
      if (
        (method === 'include_router' || method === 'register_blueprint') &&
        first &&
        /^(identifier|attribute)$/.test(first.type)
      ) {
        included.push({ line, name: first.text.split('.')[0]! });
      }
    }
  };

  for (const child of root.namedChildren) if (child) visit(child, undefined);
  return { apps, endpoints, uncoverable, included };
}

/** `methods=["GET", "POST"]` → ['GET', 'POST']; undefined when absent or not a literal list. */
function methodsArgument(call: PythonNode): string[] | undefined {
  const value = keywordArgument(call, 'methods');
  if (!value || (value.type !== 'list' && value.type !== 'tuple' && value.type !== 'set')) return undefined;
  return value.namedChildren.map((item) => stringValue(item)?.toUpperCase()).filter((m): m is string => Boolean(m));
}

/**
 * Whether a name imported into `file` is an app or router of the framework in the module it
 * comes from (`from main import app`, `from .routes import router`).
 */
export function importedFrameworkObject(graph: PythonGraph, file: string, fw: PyFramework): (local: string) => boolean {
  const scan = graph.scan(file);
  return (local) => {
    const ref = scan?.imports.get(local);
    if (!ref?.name) return false;
    const source = graph.resolve(file, ref.module);
    const binding = source ? graph.scan(source)?.bindings.get(ref.name) : undefined;
    return Boolean(binding?.callee && classNames(fw).includes(binding.callee));
  };
}
