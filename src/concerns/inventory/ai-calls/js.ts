import { forEachChild } from '../../../lang/js/ast.js';
import { AI_STEMS, findAiHost, isAiImport, isAiPackage, packageName } from '../../../knowledge/ai-providers.js';
import type { Overlay } from '../../../project/overlay.js';
import { parseSource } from '../../../lang/js/parse.js';
import { scanModule } from '../../../lang/js/scan-module.js';
import type { AiCallSite } from '../../../core/report-schema.js';
import { callText, firstOf, HTTP_CALLEE, Memo } from './shared.js';

// AI call sites in JavaScript and TypeScript (see ../ai-calls.ts for what is followed and what not).

export const JS_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.jsx', '.mjs', '.mts', '.cjs', '.cts']);

/** What a file must contain to be worth reading: a stem of an AI package's name or an AI host. */
const JS_NEEDLES = AI_STEMS;

/** Methods that only build another client or runnable (no request): their result is followed. */
const JS_BUILDERS = new Set([
  'getGenerativeModel',
  'getGenerativeModelFromCachedContent',
  'startChat',
  'withStructuredOutput',
  'bindTools',
  'bind',
  'withConfig',
  'withRetry',
  'withFallbacks',
  'withListeners',
  'withOptions',
  'pipe',
  'asTool',
  'initChatModel',
]);
/** `@google/genai`'s `ai.chats.create({ model })` builds a chat locally; `chat.sendMessage` calls. */
const JS_BUILDER_PATHS = ['chats.create'];
/** Methods on an AI client that send nothing: configuration and helpers. */
const JS_NON_CALLS = new Set(['config', 'configure', 'toFile', 'toJSON', 'toString', 'setApiKey']);
/** The AI SDK and its RSC package: only some of their functions call a model (`streamText`, not `generateId`). */
const AI_SDK_LIKE = (pkg: string) => pkg === 'ai' || pkg === '@ai-sdk/rsc';
/** AI SDK provider packages: their functions name a model (`openai('gpt-4o')`); `streamText` & co. call it. */
const PROVIDER_ONLY = (pkg: string) =>
  (pkg.startsWith('@ai-sdk/') && !AI_SDK_LIKE(pkg)) || pkg === '@openrouter/ai-sdk-provider';
/**
 * Parts of AI packages that call no model: helpers (`openai/helpers/zod`'s `zodResponseFormat`) and
 * the provider-free parts of the `langchain` package (prompts, parsers, loaders).
 */
const JS_HELPER_SPECIFIER =
  /^((openai|@anthropic-ai\/sdk)\/helpers|langchain\/(prompts|schema|output_parsers|text_splitter|document_loaders|documents?|runnables|callbacks|load|util))(\/|$)/;

/** A value rooted in an AI package: the module, one of its exports, or an object built from them. */
interface JsValue {
  /** The import specifier (`ai/rsc`, `openai`). */
  spec: string;
  kind: 'module' | 'export' | 'instance';
  /** For an export: its name (`default` for a default import). */
  name?: string;
}

interface JsClass {
  /** Property name (`#client` for a private one) → the values assigned to it. */
  props: Map<string, JsSource[]>;
}

/** An expression, with the scope its names resolve in and the class `this` means there. */
interface JsSource {
  node: any;
  scope: JsScope;
  cls?: JsClass;
  /** Destructuring: the property names to take from the value, in order. */
  keys?: string[];
}

interface JsBinding {
  sources: JsSource[];
  /** A named import or `import * as`, when the binding is one. */
  imported?: JsValue;
  /** A local function's `return`s (an arrow's body): calling it gives what they give. */
  returns?: JsSource[];
  /** `const`: its initializer is its only value. */
  constant?: boolean;
  memo?: JsValue | null;
  busy?: boolean;
}

interface JsScope {
  parent?: JsScope;
  /** The nearest function (or program) scope: where `var` declares. */
  fn: JsScope;
  names: Map<string, JsBinding>;
}

function newScope(parent: JsScope | undefined, isFunction: boolean): JsScope {
  const scope = { parent, names: new Map() } as JsScope;
  scope.fn = isFunction || !parent ? scope : parent.fn;
  return scope;
}

/** Nodes that declare or annotate types: nothing in them runs. */
const TYPE_ONLY = new Set([
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSDeclareFunction',
  'TSDeclareMethod',
  'TSTypeAnnotation',
  'TSTypeParameterDeclaration',
  'TSTypeParameterInstantiation',
  'TypeAnnotation',
  'DeclareVariable',
  'DeclareFunction',
]);
const FUNCTIONS = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);
const BLOCKS = new Set([
  'BlockStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'SwitchStatement',
  'StaticBlock',
]);

export function jsSites(file: string, overlay: Overlay): (AiCallSite & { column: number })[] {
  if (!overlay.containsAny(file, JS_NEEDLES)) return [];
  const text = overlay.read(file);
  if (text === undefined) return [];
  const scan = scanModule(text);
  if (!scan.aiHost && !scan.imports.some(({ specifier, names }) => isAiImport(specifier, names))) return [];
  let ast: any;
  try {
    ast = parseSource(file, text);
  } catch {
    return [];
  }
  return new JsFile(text).sites(ast).map((site) => ({ file, language: 'javascript' as const, ...site }));
}

class JsFile {
  private readonly memo = new Memo<JsValue>();
  private readonly once = this.memo.once.bind(this.memo);
  private readonly calls: JsSource[] = [];
  private readonly assignments: { name: string; source: JsSource }[] = [];
  /** Function node → its `return`s, collected while walking it. */
  private readonly returns = new Map<any, JsSource[]>();

  constructor(private readonly text: string) {}

  sites(ast: any): { line: number; column: number; sdk: string; call: string }[] {
    const program = newScope(undefined, true);
    this.walk(ast.program, program, undefined, undefined);
    for (const { name, source } of this.assignments) {
      const binding = lookup(source.scope, name);
      if (binding && !binding.constant && !binding.imported) binding.sources.push(source);
    }
    const found: { line: number; column: number; sdk: string; call: string }[] = [];
    for (const call of this.calls) {
      const sdk = this.siteSdk(call);
      if (!sdk) continue;
      const { line, column } = call.node.loc.start;
      const callee = call.node.callee;
      found.push({
        line,
        column,
        sdk,
        call: callText(this.text.slice(callee.start, callee.end), callee.start, jsArgumentCuts(callee)),
      });
    }
    return found;
  }

  // --- Pass over the tree: scopes, declarations, assignments, returns, calls ----------------------

  private walk(node: any, scope: JsScope, cls: JsClass | undefined, fn: any): void {
    if (TYPE_ONLY.has(node.type)) return;
    switch (node.type) {
      case 'ImportDeclaration':
        if (node.importKind === 'type' || node.importKind === 'typeof') return;
        this.declareImport(node, scope);
        return;
      case 'TSImportEqualsDeclaration':
        // `import OpenAI = require('openai')`
        if (
          !node.isExport &&
          node.importKind !== 'type' &&
          node.moduleReference?.type === 'TSExternalModuleReference'
        ) {
          const spec = node.moduleReference.expression.value;
          declare(
            scope,
            node.id.name,
            isAiPackage(spec) && !JS_HELPER_SPECIFIER.test(spec)
              ? { sources: [], imported: { spec, kind: 'module' } }
              : { sources: [] },
          );
        }
        return;
      case 'VariableDeclaration': {
        const target = node.kind === 'var' ? scope.fn : scope;
        for (const declarator of node.declarations) {
          this.declarePattern(
            declarator.id,
            target,
            declarator.init ? { node: declarator.init, scope, cls } : undefined,
            node.kind === 'const',
          );
          if (declarator.init) this.walk(declarator.init, scope, cls, fn);
        }
        return;
      }
      case 'ClassDeclaration':
      case 'ClassExpression': {
        if (node.type === 'ClassDeclaration' && node.id) declare(scope, node.id.name, { sources: [] });
        if (node.superClass) this.walk(node.superClass, scope, cls, fn);
        const own: JsClass = { props: new Map() };
        for (const member of node.body.body) {
          if (
            (member.type === 'ClassProperty' || member.type === 'ClassPrivateProperty') &&
            member.value &&
            !member.static
          ) {
            addProp(own, propName(member.key, member.computed), { node: member.value, scope, cls: own });
          }
          this.walk(member, scope, own, fn);
        }
        return;
      }
      case 'AssignmentExpression':
        if (node.operator === '=' || node.operator === '??=' || node.operator === '||=') {
          const left = node.left;
          if (left.type === 'Identifier')
            this.assignments.push({ name: left.name, source: { node: node.right, scope, cls } });
          else if (left.type === 'MemberExpression' && left.object.type === 'ThisExpression' && cls) {
            addProp(cls, propName(left.property, left.computed), { node: node.right, scope, cls });
          }
        }
        break;
      case 'ReturnStatement':
        if (fn && node.argument) this.returns.get(fn)?.push({ node: node.argument, scope, cls });
        break;
      case 'CallExpression':
      case 'OptionalCallExpression':
        this.calls.push({ node, scope, cls });
        break;
      case 'CatchClause': {
        const inner = newScope(scope, false);
        if (node.param) this.declarePattern(node.param, inner, undefined, false);
        this.walk(node.body, inner, cls, fn);
        return;
      }
    }
    if (FUNCTIONS.has(node.type)) {
      this.walkFunction(node, scope, cls);
      return;
    }
    const inner = BLOCKS.has(node.type) ? newScope(scope, false) : scope;
    forEachChild(node, (child) => this.walk(child, inner, cls, fn));
  }

  private walkFunction(node: any, scope: JsScope, cls: JsClass | undefined): void {
    const returns: JsSource[] = [];
    this.returns.set(node, returns);
    if (node.type === 'FunctionDeclaration' && node.id) declare(scope, node.id.name, { sources: [], returns });
    const inner = newScope(scope, true);
    if (node.type === 'FunctionExpression' && node.id) declare(inner, node.id.name, { sources: [], returns });
    // `this` inside a plain function is not the class's; an arrow or a method keeps it.
    const innerCls =
      node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ObjectMethod'
        ? undefined
        : cls;
    for (const param of node.params) {
      const pattern = param.type === 'TSParameterProperty' ? param.parameter : param;
      this.declarePattern(pattern, inner, undefined, false);
      if (pattern.type === 'AssignmentPattern') this.walk(pattern.right, inner, innerCls, node);
    }
    if (node.key && node.computed) this.walk(node.key, scope, cls, undefined);
    if (node.body.type === 'BlockStatement')
      forEachChild(node.body, (child) => this.walk(child, inner, innerCls, node));
    else {
      returns.push({ node: node.body, scope: inner, cls: innerCls });
      this.walk(node.body, inner, innerCls, node);
    }
  }

  private declareImport(node: any, scope: JsScope): void {
    const spec: string = node.source.value;
    const ai = isAiPackage(spec) && !JS_HELPER_SPECIFIER.test(spec);
    for (const specifier of node.specifiers) {
      if (specifier.importKind === 'type' || specifier.importKind === 'typeof') continue;
      const name =
        specifier.type === 'ImportDefaultSpecifier'
          ? 'default'
          : specifier.type === 'ImportNamespaceSpecifier'
            ? undefined
            : specifier.imported.type === 'StringLiteral'
              ? specifier.imported.value
              : specifier.imported.name;
      const imported: JsValue | undefined = ai
        ? name
          ? { spec, kind: 'export', name }
          : { spec, kind: 'module' }
        : undefined;
      declare(scope, specifier.local.name, { sources: [], imported });
    }
  }

  /** Declares the names a pattern binds; `source` is the value the whole pattern receives. */
  private declarePattern(pattern: any, scope: JsScope, source: JsSource | undefined, constant: boolean): void {
    switch (pattern?.type) {
      case 'Identifier':
        declare(scope, pattern.name, { sources: source ? [source] : [], constant });
        break;
      case 'ObjectPattern':
        for (const property of pattern.properties) {
          if (property.type === 'RestElement') this.declarePattern(property.argument, scope, undefined, constant);
          else {
            const key = propName(property.key, property.computed);
            const inner = source && key !== undefined ? { ...source, keys: [...(source.keys ?? []), key] } : undefined;
            this.declarePattern(property.value, scope, inner, constant);
          }
        }
        break;
      case 'ArrayPattern':
        for (const element of pattern.elements) if (element) this.declarePattern(element, scope, undefined, constant);
        break;
      case 'AssignmentPattern':
        this.declarePattern(pattern.left, scope, source, constant);
        break;
      case 'RestElement':
        this.declarePattern(pattern.argument, scope, undefined, constant);
        break;
    }
  }

  // --- Values and call sites --------------------------------------------------------------------

  /** The package (or host) a call sends a request to, when it is a call that sends one. */
  private siteSdk(call: JsSource): string | undefined {
    const host = this.urlHost(call);
    if (host) return host;
    const callee = unwrap(call.node.callee);
    if (callee.type === 'Identifier') {
      // `streamText(…)`, `completion(…)`: an imported function, or a name holding one.
      const value = this.identifierValue(callee.name, call.scope);
      const pkg = value && packageName(value.spec);
      if (!value || !pkg || PROVIDER_ONLY(pkg)) return undefined;
      if (AI_SDK_LIKE(pkg)) return value.kind === 'export' && isAiImport('ai', [value.name!]) ? pkg : undefined;
      return value.kind === 'export' && JS_BUILDERS.has(value.name!) ? undefined : pkg;
    }
    if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return undefined;
    // `openai.chat.completions.create(…)`, `ai.streamText(…)`: a member of a module or client.
    const base = this.valueOf(callee.object, call.scope, call.cls);
    const pkg = base && packageName(base.spec);
    if (!base || !pkg || PROVIDER_ONLY(pkg)) return undefined;
    const method = propName(callee.property, callee.computed);
    if (AI_SDK_LIKE(pkg))
      return base.kind === 'module' && method !== undefined && isAiImport('ai', [method]) ? pkg : undefined;
    if (method !== undefined && (JS_BUILDERS.has(method) || JS_NON_CALLS.has(method))) return undefined;
    if (this.isBuilderPath(callee)) return undefined;
    return pkg;
  }

  private isBuilderPath(callee: any): boolean {
    const path = this.text.slice(callee.start, callee.end).replace(/\s+/g, '');
    return JS_BUILDER_PATHS.some((suffix) => path.endsWith(`.${suffix}`));
  }

  private identifierValue(name: string, scope: JsScope): JsValue | undefined {
    const binding = lookup(scope, name);
    if (!binding) return undefined;
    if (binding.imported) return binding.imported;
    if (binding.memo !== undefined) return binding.memo ?? undefined;
    if (binding.busy) return undefined;
    binding.busy = true;
    let found: JsValue | undefined;
    for (const source of binding.sources) {
      found = this.value(source);
      if (found) break;
    }
    binding.busy = false;
    binding.memo = found ?? null;
    return found;
  }

  /** The AI value an expression holds, if any. */
  private value(source: JsSource): JsValue | undefined {
    const keys = source.keys ?? [];
    let value = this.valueOf(source.node, source.scope, source.cls);
    for (const key of keys) value = value && member(value, key);
    return value;
  }

  private valueOf(raw: any, scope: JsScope, cls: JsClass | undefined, depth = 0): JsValue | undefined {
    if (depth > 20) return undefined;
    const node = unwrap(raw);
    const recurse = (n: any) => this.valueOf(n, scope, cls, depth + 1);
    switch (node.type) {
      case 'Identifier':
        return this.identifierValue(node.name, scope);
      case 'MemberExpression':
      case 'OptionalMemberExpression': {
        const key = propName(node.property, node.computed);
        if (node.object.type === 'ThisExpression') {
          const props = key === undefined ? undefined : cls?.props.get(key);
          return (
            props &&
            this.once(props, () => firstOf(props, (prop) => this.valueOf(prop.node, prop.scope, prop.cls, depth + 1)))
          );
        }
        const base = recurse(node.object);
        return base && (key === undefined ? { spec: base.spec, kind: 'instance' } : member(base, key));
      }
      case 'NewExpression': {
        const ctor = recurse(node.callee);
        return ctor && !PROVIDER_ONLY(packageName(ctor.spec)) ? { spec: ctor.spec, kind: 'instance' } : undefined;
      }
      case 'ImportExpression':
        return moduleValue(node.source);
      case 'CallExpression':
      case 'OptionalCallExpression':
        return this.callValue(node, scope, cls, depth);
      case 'ConditionalExpression':
        return recurse(node.consequent) ?? recurse(node.alternate);
      case 'LogicalExpression':
        return recurse(node.left) ?? recurse(node.right);
      case 'SequenceExpression':
        return recurse(node.expressions[node.expressions.length - 1]);
      case 'AssignmentExpression':
        return recurse(node.right);
      default:
        return undefined;
    }
  }

  /**
   * What a call returns, when it builds a client: `require('openai')`, `genAI.getGenerativeModel()`,
   * `prompt.pipe(llm)`, `getClient()`.
   */
  private callValue(node: any, scope: JsScope, cls: JsClass | undefined, depth: number): JsValue | undefined {
    const recurse = (n: any) => this.valueOf(n, scope, cls, depth + 1);
    const callee = unwrap(node.callee);
    if (
      callee.type === 'Import' ||
      (callee.type === 'Identifier' && callee.name === 'require' && !lookup(scope, 'require'))
    ) {
      return moduleValue(node.arguments[0]);
    }
    if (callee.type === 'Identifier') {
      const binding = lookup(scope, callee.name);
      const returns = binding?.returns;
      if (returns) {
        return this.once(returns, () =>
          firstOf(returns, (ret) => {
            const found = this.valueOf(ret.node, ret.scope, ret.cls, depth + 1);
            return found?.kind === 'instance' ? found : undefined;
          }),
        );
      }
      const value = recurse(callee);
      // `initChatModel('gpt-4o')` from langchain builds a model.
      return value && value.kind === 'export' && JS_BUILDERS.has(value.name ?? '')
        ? { spec: value.spec, kind: 'instance' }
        : undefined;
    }
    if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return undefined;
    const method = propName(callee.property, callee.computed);
    const base = recurse(callee.object);
    if (base && (JS_BUILDERS.has(method ?? '') || this.isBuilderPath(callee))) {
      return PROVIDER_ONLY(packageName(base.spec)) ? undefined : { spec: base.spec, kind: 'instance' };
    }
    // LangChain: `prompt.pipe(llm)`, `RunnableSequence.from([prompt, llm])` run the model they hold.
    if (
      method === 'pipe' ||
      (method === 'from' && callee.object.type === 'Identifier' && callee.object.name === 'RunnableSequence')
    ) {
      const parts = node.arguments.flatMap((arg: any) =>
        arg.type === 'ArrayExpression' ? arg.elements.filter(Boolean) : [arg],
      );
      for (const part of parts) {
        const found = recurse(part);
        if (found?.kind === 'instance') return found;
      }
    }
    return undefined;
  }

  /**
   * The AI host a call's URL argument names: `fetch('https://api.openai.com/…')`, `axios.post(URL, …)`,
   * `axios({ url })`.
   */
  private urlHost(call: JsSource): string | undefined {
    const callee = unwrap(call.node.callee);
    const name = callee.type === 'Identifier' ? callee.name : propName(callee.property, callee.computed);
    if (!name || !HTTP_CALLEE.test(name)) return undefined;
    const first = call.node.arguments[0];
    if (!first) return undefined;
    if (first.type === 'ObjectExpression') {
      const url = first.properties.find(
        (p: any) => p.type === 'ObjectProperty' && propName(p.key, p.computed) === 'url',
      );
      return url ? this.hostOf(url.value, call.scope, 0) : undefined;
    }
    return this.hostOf(first, call.scope, 0);
  }

  private hostOf(raw: any, scope: JsScope, depth: number): string | undefined {
    if (depth > 10 || !raw) return undefined;
    const node = unwrap(raw);
    switch (node.type) {
      case 'StringLiteral':
        return findAiHost(node.value);
      case 'TemplateLiteral': {
        const head = node.quasis[0].value.cooked ?? node.quasis[0].value.raw;
        if (head) return findAiHost(head);
        return node.expressions.length ? this.hostOf(node.expressions[0], scope, depth + 1) : undefined;
      }
      case 'BinaryExpression':
        return node.operator === '+' ? this.hostOf(node.left, scope, depth + 1) : undefined;
      case 'LogicalExpression':
        // `process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1'`
        return this.hostOf(node.left, scope, depth + 1) ?? this.hostOf(node.right, scope, depth + 1);
      case 'ConditionalExpression':
        return this.hostOf(node.consequent, scope, depth + 1) ?? this.hostOf(node.alternate, scope, depth + 1);
      case 'Identifier': {
        const binding = lookup(scope, node.name);
        const source =
          binding?.constant && binding.sources.length === 1 && !binding.sources[0]!.keys
            ? binding.sources[0]
            : undefined;
        return source ? this.hostOf(source.node, source.scope, depth + 1) : undefined;
      }
      default:
        return undefined;
    }
  }
}

/** The arguments of the calls along a callee's spine (`a(x).b(y).c` → `x`, `y`), as offset ranges. */
function jsArgumentCuts(callee: any): [number, number][] {
  const cuts: [number, number][] = [];
  for (let node = callee; node; ) {
    if (node.type === 'CallExpression' || node.type === 'OptionalCallExpression' || node.type === 'NewExpression') {
      const args = node.arguments ?? [];
      if (args.length) cuts.push([args[0].start, args[args.length - 1].end]);
      node = node.callee;
    } else if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') node = node.object;
    else if (node.type === 'AwaitExpression') node = node.argument;
    else node = node.expression;
  }
  return cuts;
}

/** An expression without the wrappers that do not change its value (`await`, `x!`, `x as T`, parentheses). */
function unwrap(node: any): any {
  while (
    node &&
    (node.type === 'AwaitExpression' ||
      node.type === 'TSNonNullExpression' ||
      node.type === 'TSAsExpression' ||
      node.type === 'TSSatisfiesExpression' ||
      node.type === 'TSTypeAssertion' ||
      node.type === 'TSInstantiationExpression' ||
      node.type === 'TypeCastExpression' ||
      node.type === 'ParenthesizedExpression')
  ) {
    node = node.type === 'AwaitExpression' ? node.argument : node.expression;
  }
  return node;
}

/** A member's name: `a.b`, `a['b']`, `this.#b` → `b`, `b`, `#b`; undefined when computed from a variable. */
function propName(key: any, computed: boolean): string | undefined {
  if (!key) return undefined;
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'PrivateName') return `#${key.id.name}`;
  if (key.type === 'StringLiteral') return key.value;
  return undefined;
}

/** `obj.key` of an AI value: an export of a module, or a part of a client (`openai.chat`). */
function member(value: JsValue, key: string): JsValue {
  return value.kind === 'module'
    ? { spec: value.spec, kind: 'export', name: key }
    : { spec: value.spec, kind: 'instance' };
}

function moduleValue(arg: any): JsValue | undefined {
  const spec = arg?.type === 'StringLiteral' ? arg.value : undefined;
  return spec && isAiPackage(spec) && !JS_HELPER_SPECIFIER.test(spec) ? { spec, kind: 'module' } : undefined;
}

function declare(scope: JsScope, name: string, binding: JsBinding): void {
  const previous = scope.names.get(name);
  // `var x` twice, or a function declared twice: either value may be the one in use.
  if (previous && !previous.imported) {
    previous.sources.push(...binding.sources);
    previous.returns ??= binding.returns;
    previous.constant = false;
  } else scope.names.set(name, binding);
}

function lookup(scope: JsScope | undefined, name: string): JsBinding | undefined {
  for (let s = scope; s; s = s.parent) {
    const binding = s.names.get(name);
    if (binding) return binding;
  }
  return undefined;
}

function addProp(cls: JsClass, name: string | undefined, source: JsSource): void {
  if (name === undefined) return;
  cls.props.set(name, [...(cls.props.get(name) ?? []), source]);
}
