import { AI_HOSTS, findAiHost } from '../../../knowledge/ai-providers.js';
import type { Overlay } from '../../../project/overlay.js';
import { AI_MODULES, aiModuleOf } from '../../../project/graph/python.js';
import { importBindings } from '../../../lang/python/import-bindings.js';
import { parsePython, pythonSyntaxError, type PythonNode } from '../../../lang/python/parse.js';
import type { AiCallSite } from '../../../core/report-schema.js';
import { callText, firstOf, HTTP_CALLEE, Memo } from './shared.js';

// AI call sites in Python (see ../ai-calls.ts for what is followed and what not).

/** What a Python file must contain to be worth parsing: the top-level name of an AI module, or an AI host. */
const PY_NEEDLES = [...new Set(AI_MODULES.map((module) => module.split('.')[0]!)), ...AI_HOSTS];

/** Methods and functions that only build a client, model, chat or runnable: their result is followed. */
const PY_BUILDERS = new Set([
  'start_chat',
  'with_structured_output',
  'bind_tools',
  'bind',
  'with_config',
  'with_retry',
  'with_fallbacks',
  'with_listeners',
  'with_options',
  'with_types',
  'as_tool',
  'init_chat_model',
  'patch',
]);
const PY_BUILDER_PATHS = ['chats.create'];
/** Configuration, not requests. */
const PY_NON_CALLS = new Set(['configure', 'set_verbose', 'register_model', 'file_from_path']);

interface PyValue {
  /** The dotted path the value came from: a module (`google.generativeai`) or a name in one. */
  path: string;
  /** The AI package, once the path names one (`import google` is not one yet; `google.genai` is). */
  sdk?: string;
  /** A client or model object (built from a class): every method call on it is a request. */
  instance?: boolean;
}

interface PyScope {
  parent?: PyScope;
  /** Names a `global` statement sends to the module scope. */
  globals?: Set<string>;
  /** Class bodies do not enclose their methods: names resolve past them. */
  isClass: boolean;
  names: Map<string, PyBinding>;
}

interface PyClass {
  /** `self.x = …` in any method, and `x = …` in the class body. */
  attrs: Map<string, PySource[]>;
}

interface PySource {
  node: PythonNode;
  scope: PyScope;
}

interface PyBinding {
  sources: PySource[];
  imports: PyValue[];
  returns?: PySource[];
  /** A method's first parameter (`self`, `cls`): its attributes are the class's. */
  selfOf?: PyClass;
  memo?: PyValue | null;
  busy?: boolean;
}

export function pySites(file: string, overlay: Overlay): (AiCallSite & { column: number })[] {
  if (!overlay.containsAny(file, PY_NEEDLES)) return [];
  const text = overlay.read(file);
  if (text === undefined) return [];
  const tree = parsePython(text);
  try {
    if (pythonSyntaxError(tree)) return [];
    return new PyFile().sites(tree.rootNode).map((site) => ({ file, language: 'python' as const, ...site }));
  } finally {
    tree.delete();
  }
}

class PyFile {
  private readonly memo = new Memo<PyValue>();
  private readonly once = this.memo.once.bind(this.memo);
  private readonly calls: PySource[] = [];

  sites(root: PythonNode): { line: number; column: number; sdk: string; call: string }[] {
    const module: PyScope = { isClass: false, names: new Map() };
    this.walk(root, module, undefined);
    const found: { line: number; column: number; sdk: string; call: string }[] = [];
    for (const call of this.calls) {
      const sdk = this.siteSdk(call);
      if (!sdk) continue;
      const callee = call.node.childForFieldName('function')!;
      found.push({
        line: call.node.startPosition.row + 1,
        column: call.node.startPosition.column,
        sdk,
        call: callText(callee.text, callee.startIndex, pyArgumentCuts(callee)),
      });
    }
    return found;
  }

  // --- Pass over the tree ------------------------------------------------------------------------

  private walk(node: PythonNode, scope: PyScope, returns: PySource[] | undefined): void {
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
        for (const [local, ref] of importBindings(node)) {
          // `from google import genai` → `google.genai`; `import openai as oa` → `openai`; but
          // `import google.generativeai` binds `google`, whose attributes lead to the module.
          const path = ref.name ? `${ref.module}.${ref.name}` : ref.module.split('.')[0] === local ? local : ref.module;
          pyDeclare(scope, local, { imports: [pyPath(path)] });
        }
        return;
      case 'function_definition':
      case 'lambda':
        this.walkFunction(node, scope);
        return;
      case 'class_definition': {
        pyDeclare(scope, node.childForFieldName('name')!.text, {});
        for (const arg of node.childForFieldName('superclasses')?.namedChildren ?? [])
          if (arg) this.walk(arg, scope, returns);
        const body = node.childForFieldName('body');
        if (body) this.walkClass(body, scope);
        return;
      }
      case 'assignment': {
        const right = node.childForFieldName('right');
        const left = node.childForFieldName('left');
        if (right) this.walk(right, scope, returns);
        if (left) this.assign(left, right ? { node: right, scope } : undefined, scope, returns);
        return;
      }
      case 'augmented_assignment':
        break;
      case 'named_expression': {
        const value = node.childForFieldName('value');
        if (value) this.walk(value, scope, returns);
        pyDeclare(enclosingNonClass(scope), node.childForFieldName('name')!.text, {
          sources: value ? [{ node: value, scope }] : [],
        });
        return;
      }
      case 'for_statement':
      case 'for_in_clause':
        for (const name of targetNames(node.childForFieldName('left'))) pyDeclare(scope, name, {});
        break;
      case 'as_pattern': {
        // `with OpenAI() as client:` holds what the expression gives; `except E as e:` nothing.
        const target = node.childForFieldName('alias');
        const value = node.namedChildren.find((c) => c && c.type !== 'as_pattern_target');
        const names = target ? targetNames(target.namedChildren[0] ?? null) : [];
        const inWith = node.parent?.type === 'with_item';
        for (const name of names) pyDeclare(scope, name, { sources: inWith && value ? [{ node: value, scope }] : [] });
        if (value) this.walk(value, scope, returns);
        return;
      }
      case 'return_statement': {
        const value = node.namedChildren[0];
        if (value && returns) returns.push({ node: value, scope });
        break;
      }
      case 'call':
        this.calls.push({ node, scope });
        break;
      case 'global_statement':
        scope.globals ??= new Set();
        for (const name of node.namedChildren) if (name?.type === 'identifier') scope.globals.add(name.text);
        return;
      case 'nonlocal_statement':
        return;
    }
    for (const child of node.namedChildren) if (child) this.walk(child, scope, returns);
  }

  private walkFunction(node: PythonNode, scope: PyScope, cls?: PyClass): PyScope {
    const returns: PySource[] = [];
    const name = node.childForFieldName('name')?.text;
    if (name) pyDeclare(scope, name, { returns });
    const inner: PyScope = { parent: scope, isClass: false, names: new Map() };
    const params = node.childForFieldName('parameters')?.namedChildren ?? [];
    params.forEach((param, index) => {
      if (!param) return;
      const paramName =
        param.type === 'identifier'
          ? param.text
          : (param.childForFieldName('name') ?? param.namedChildren.find((c) => c?.type === 'identifier'))?.text;
      const isDecorated =
        node.parent?.type === 'decorated_definition' &&
        node.parent.namedChildren.some((d) => d?.type === 'decorator' && /^@staticmethod\b/.test(d.text));
      if (paramName) pyDeclare(inner, paramName, index === 0 && cls && !isDecorated ? { selfOf: cls } : {});
      const fallback = param.childForFieldName('value');
      if (fallback) this.walk(fallback, scope, undefined);
    });
    const body = node.childForFieldName('body');
    if (body && node.type === 'lambda') {
      returns.push({ node: body, scope: inner });
      this.walk(body, inner, returns);
    } else if (body) for (const child of body.namedChildren) if (child) this.walk(child, inner, returns);
    return inner;
  }

  private walkClass(body: PythonNode, outer: PyScope): void {
    const scope: PyScope = { parent: outer, isClass: true, names: new Map() };
    const cls: PyClass = { attrs: new Map() };
    const methods: PythonNode[] = [];
    for (const statement of body.namedChildren) {
      if (!statement) continue;
      const definition =
        statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (definition?.type === 'function_definition') methods.push(definition);
      else {
        this.walk(statement, scope, undefined);
        const assignment = statement.type === 'expression_statement' ? statement.firstNamedChild : undefined;
        const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
        const right = assignment?.childForFieldName('right');
        if (left?.type === 'identifier' && right) addAttr(cls, left.text, { node: right, scope });
      }
    }
    for (const method of methods) {
      if (method.parent?.type === 'decorated_definition')
        for (const d of method.parent.namedChildren) if (d?.type === 'decorator') this.walk(d, scope, undefined);
      const methodScope = this.walkFunction(method, scope, cls);
      // `self.client = OpenAI()` anywhere in the method.
      const self = method.childForFieldName('parameters')?.namedChildren[0];
      const selfName = self?.type === 'identifier' ? self.text : undefined;
      if (!selfName) continue;
      for (const assignment of method.descendantsOfType('assignment')) {
        const left = assignment?.childForFieldName('left');
        const right = assignment?.childForFieldName('right');
        if (left?.type === 'attribute' && right && left.childForFieldName('object')?.text === selfName) {
          addAttr(cls, left.childForFieldName('attribute')!.text, { node: right, scope: methodScope });
        }
      }
    }
  }

  private assign(
    left: PythonNode,
    source: PySource | undefined,
    scope: PyScope,
    returns: PySource[] | undefined,
  ): void {
    if (left.type === 'identifier') {
      // `global client; client = OpenAI()` sets the module's `client`.
      let target = scope;
      if (scope.globals?.has(left.text)) while (target.parent) target = target.parent;
      pyDeclare(target, left.text, { sources: source ? [source] : [] });
    } else if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') {
      for (const name of targetNames(left)) pyDeclare(scope, name, {});
    } else this.walk(left, scope, returns);
  }

  // --- Values and call sites --------------------------------------------------------------------

  private siteSdk(call: PySource): string | undefined {
    const callee = call.node.childForFieldName('function');
    if (!callee) return undefined;
    const host = this.urlHost(call, callee);
    if (host) return host;
    const value = this.value(callee, call.scope);
    if (!value?.sdk) return undefined;
    const name = lastName(callee);
    if (isBuilder(name, callee) || PY_NON_CALLS.has(name)) return undefined;
    // A class: building a client is no request.
    if (/^_*[A-Z]/.test(name)) return undefined;
    return value.sdk;
  }

  private value(raw: PythonNode, scope: PyScope, depth = 0): PyValue | undefined {
    if (depth > 20) return undefined;
    const recurse = (n: PythonNode | null | undefined) => (n ? this.value(n, scope, depth + 1) : undefined);
    switch (raw.type) {
      case 'identifier':
        return this.identifierValue(raw.text, scope);
      case 'parenthesized_expression':
      case 'await':
        return recurse(raw.namedChildren[0]);
      case 'attribute': {
        const object = raw.childForFieldName('object')!;
        const attr = raw.childForFieldName('attribute')!.text;
        if (object.type === 'identifier') {
          const self = lookupPy(scope, object.text)?.selfOf;
          if (self) {
            const sources = self.attrs.get(attr);
            return (
              sources &&
              this.once(sources, () => firstOf(sources, (source) => this.value(source.node, source.scope, depth + 1)))
            );
          }
        }
        const base = recurse(object);
        if (!base) return undefined;
        // A client's parts are the client (`client.chat.completions`); a module's are looked up.
        return base.instance ? base : pyPath(`${base.path}.${attr}`);
      }
      case 'call':
        return this.callValue(raw, scope, depth);
      case 'binary_operator': {
        // LangChain: `prompt | llm | parser` runs the model.
        if (raw.childForFieldName('operator')?.type !== '|') return undefined;
        const found = recurse(raw.childForFieldName('left')) ?? recurse(raw.childForFieldName('right'));
        return found?.instance ? found : undefined;
      }
      case 'assignment':
        return recurse(raw.childForFieldName('right'));
      case 'conditional_expression':
        return recurse(raw.namedChildren[0]) ?? recurse(raw.namedChildren[2]);
      case 'boolean_operator':
        return recurse(raw.childForFieldName('left')) ?? recurse(raw.childForFieldName('right'));
      default:
        return undefined;
    }
  }

  private callValue(call: PythonNode, scope: PyScope, depth: number): PyValue | undefined {
    const callee = call.childForFieldName('function');
    if (!callee) return undefined;
    if (callee.type === 'identifier') {
      const binding = lookupPy(scope, callee.text);
      const returns = binding?.returns;
      if (returns) {
        return this.once(returns, () =>
          firstOf(returns, (ret) => {
            const found = this.value(ret.node, ret.scope, depth + 1);
            return found?.instance ? found : undefined;
          }),
        );
      }
    }
    const value = this.value(callee, scope, depth + 1);
    if (!value?.sdk) return undefined;
    const name = lastName(callee);
    if (value.instance ? isBuilder(name, callee) : /^_*[A-Z]/.test(name) || isBuilder(name, callee))
      return { ...value, instance: true };
    return undefined;
  }

  private identifierValue(name: string, scope: PyScope): PyValue | undefined {
    const binding = lookupPy(scope, name);
    if (!binding) return undefined;
    if (binding.memo !== undefined) return binding.memo ?? undefined;
    if (binding.busy) return undefined;
    binding.busy = true;
    let found = binding.imports.find((value) => value.sdk) ?? binding.imports[0];
    for (const source of binding.sources) {
      if (found?.sdk) break;
      found = this.value(source.node, source.scope) ?? found;
    }
    binding.busy = false;
    binding.memo = found ?? null;
    return found;
  }

  /** `httpx.post("https://api.anthropic.com/…")`, `requests.post(url=URL)`, `session.get(f"{BASE}/…")`. */
  private urlHost(call: PySource, callee: PythonNode): string | undefined {
    if (!HTTP_CALLEE.test(lastName(callee))) return undefined;
    for (const arg of call.node.childForFieldName('arguments')?.namedChildren ?? []) {
      if (!arg) continue;
      const node =
        arg.type === 'keyword_argument'
          ? arg.childForFieldName('name')?.text === 'url'
            ? arg.childForFieldName('value')
            : null
          : arg;
      const host = node ? this.hostOf(node, call.scope, 0) : undefined;
      if (host) return host;
    }
    return undefined;
  }

  private hostOf(node: PythonNode, scope: PyScope, depth: number): string | undefined {
    if (depth > 10) return undefined;
    switch (node.type) {
      case 'string': {
        const first = node.namedChildren.find((c) => c?.type !== 'string_start');
        if (first?.type === 'string_content') return findAiHost(first.text);
        const expression = first?.type === 'interpolation' ? first.childForFieldName('expression') : undefined;
        return expression ? this.hostOf(expression, scope, depth + 1) : undefined;
      }
      case 'concatenated_string':
        return node.namedChildren[0] ? this.hostOf(node.namedChildren[0], scope, depth + 1) : undefined;
      case 'binary_operator':
        return node.childForFieldName('operator')?.type === '+'
          ? this.hostOf(node.childForFieldName('left')!, scope, depth + 1)
          : undefined;
      case 'parenthesized_expression':
        return node.namedChildren[0] ? this.hostOf(node.namedChildren[0], scope, depth + 1) : undefined;
      case 'boolean_operator': {
        // `os.getenv("OPENAI_BASE_URL") or "https://api.openai.com/v1"`
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        return (
          (left && this.hostOf(left, scope, depth + 1)) ?? (right ? this.hostOf(right, scope, depth + 1) : undefined)
        );
      }
      case 'identifier': {
        const binding = lookupPy(scope, node.text);
        const source = binding?.sources.length === 1 && !binding.imports.length ? binding.sources[0] : undefined;
        return source ? this.hostOf(source.node, source.scope, depth + 1) : undefined;
      }
      default:
        return undefined;
    }
  }
}

/** The arguments of the calls along a callee's spine (`a(x).b(y).c` → `x`, `y`), as offset ranges. */
function pyArgumentCuts(callee: PythonNode): [number, number][] {
  const cuts: [number, number][] = [];
  for (let node: PythonNode | null = callee; node; ) {
    if (node.type === 'call') {
      const args = node.childForFieldName('arguments');
      if (args?.type === 'argument_list' && args.namedChildCount) cuts.push([args.startIndex + 1, args.endIndex - 1]);
      node = node.childForFieldName('function');
    } else if (node.type === 'attribute') node = node.childForFieldName('object');
    else if (node.type === 'subscript') node = node.childForFieldName('value');
    else if (node.type === 'parenthesized_expression' || node.type === 'await') node = node.namedChildren[0] ?? null;
    else node = null;
  }
  return cuts;
}

/** A value for a dotted path; `sdk` once the path is an AI module or inside one (`openai.types` is not). */
function pyPath(path: string): PyValue {
  return { path, sdk: aiModuleOf(path) };
}

function isBuilder(name: string, callee: PythonNode): boolean {
  if (PY_BUILDERS.has(name) || /^from_/.test(name)) return true;
  const path = callee.text.replace(/\s+/g, '');
  return PY_BUILDER_PATHS.some((suffix) => path.endsWith(`.${suffix}`));
}

/** The called name: `create` of `client.chat.completions.create`, `completion` of `completion`. */
function lastName(callee: PythonNode): string {
  if (callee.type === 'attribute') return callee.childForFieldName('attribute')?.text ?? '';
  return callee.type === 'identifier' ? callee.text : '';
}

function targetNames(node: PythonNode | null): string[] {
  if (!node) return [];
  if (node.type === 'identifier') return [node.text];
  if (
    /pattern_list|tuple_pattern|list_pattern|tuple|list|list_splat_pattern|parenthesized_expression/.test(node.type)
  ) {
    return node.namedChildren.flatMap((c) => targetNames(c));
  }
  return [];
}

/** Where a walrus binds: the nearest scope that is not a class body. */
function enclosingNonClass(scope: PyScope): PyScope {
  let s = scope;
  while (s.isClass && s.parent) s = s.parent;
  return s;
}

function pyDeclare(
  scope: PyScope,
  name: string,
  add: { sources?: PySource[]; imports?: PyValue[]; returns?: PySource[]; selfOf?: PyClass },
): void {
  const binding = scope.names.get(name) ?? { sources: [], imports: [] };
  // A name bound twice (`try: import openai` / `except: openai = None`, if/else clients) may hold either.
  binding.sources.push(...(add.sources ?? []));
  binding.imports.push(...(add.imports ?? []));
  binding.returns ??= add.returns;
  binding.selfOf ??= add.selfOf;
  scope.names.set(name, binding);
}

/** A name's binding: the scope's own, then enclosing functions' and the module's (class bodies do not enclose). */
function lookupPy(scope: PyScope, name: string): PyBinding | undefined {
  for (let s: PyScope | undefined = scope, first = true; s; s = s.parent, first = false) {
    if (s.isClass && !first) continue;
    const binding = s.names.get(name);
    if (binding) return binding;
  }
  return undefined;
}

function addAttr(cls: PyClass, name: string, source: PySource): void {
  cls.attrs.set(name, [...(cls.attrs.get(name) ?? []), source]);
}
