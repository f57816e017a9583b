import { extname } from 'node:path';
import { forEachChild } from '../../lang/js/ast.js';
import { AI_HOSTS, AI_STEMS, findAiHost, isAiImport, isAiPackage, packageName } from '../../knowledge/ai-providers.js';
import type { Overlay } from '../../project/overlay.js';
import { parseSource } from '../../lang/js/parse.js';
import { AI_MODULES, aiModuleOf } from '../../project/graph/python.js';
import { importBindings } from '../../lang/python/import-bindings.js';
import { parsePython, pythonSyntaxError, type PythonNode } from '../../lang/python/parse.js';
import { scanModule } from '../../lang/js/scan-module.js';
import type { AiCallSite } from '../../core/report-schema.js';

// Where the project's own code calls a paid AI API: every call rooted in an AI package's import
// (`openai.chat.completions.create(…)`, `streamText(…)`, `client.messages.create(…)`), and every
// HTTP call whose URL is an AI host. Read from the syntax tree of each file on its own: names are
// followed within the file (scopes respected: a parameter named `model` is not the module's
// `model`), never into other files. What is followed:
// - imports (ES, `require`, `import()`) of an AI package, and module-level, function-level or class
//   (`this.x` / `self.x`) variables holding a client built from one (`new OpenAI()`, `OpenAI()`);
// - the methods that only build another client (`getGenerativeModel`, `start_chat`,
//   `withStructuredOutput`, LangChain's `.pipe` / `|` / `RunnableSequence.from`), chained or not,
//   and local functions that return a client (`getClient().chat.completions.create`);
// - a URL in a string, a template or f-string starting with one, or a constant holding one, given
//   to a function named like an HTTP call (`fetch`, `axios.post`, `httpx.post`, `session.get`).
// Constructors, builders and provider functions that only name a model (`openai('gpt-4o')` of
// `@ai-sdk/openai`) are not calls; calls on a call's result (`streamText(…).toTextStreamResponse()`)
// are not either: the first call was the one that reached the provider.
// Not followed: a client imported from another file of the project (`import { openai } from
// '@/lib/openai'`: its calls are not found), a client passed in as a parameter or injected
// (`constructor(private openai: OpenAI)`, `def f(client: OpenAI)`), clients kept in objects, arrays
// or maps (`clients.openai.chat…`), static class properties, agents and graphs built from a model
// by other packages (`createReactAgent({ llm })`), an HTTP client built with the host as its
// base URL (`axios.create({ baseURL })`, `httpx.Client(base_url=…)`), and a URL built any other
// way (`new URL(path, base)`, `os.getenv("URL", "https://…")`).

/** The longest a call text gets: longer ones are cut, ending in `…`. */
const MAX_CALL = 60;

export function findAiCallSites(files: string[], overlay: Overlay): AiCallSite[] {
  const sites: (AiCallSite & { column: number })[] = [];
  for (const file of files) {
    if (JS_EXTENSIONS.has(extname(file))) sites.push(...jsSites(file, overlay));
    else if (file.endsWith('.py')) sites.push(...pySites(file, overlay));
  }
  return sites
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column))
    .map(({ column: _column, ...site }) => site);
}

/**
 * A callee as written (`text`, starting at offset `start` of the file), shortened: the arguments
 * of the calls inside it (`cuts`, file offsets of what is between the parentheses) become `…`,
 * whitespace goes (but for one space between words: `new OpenAI`), and the rest is cut at
 * MAX_CALL characters: `genai.GenerativeModel(…).generate_content`.
 */
function callText(text: string, start: number, cuts: [number, number][]): string {
  let out = text;
  for (const [from, to] of [...cuts].sort((a, b) => b[0] - a[0])) out = `${out.slice(0, from - start)}…${out.slice(to - start)}`;
  const flat = out.replace(/\s+/g, (space: string, at: number, all: string) => (/[\w$]/.test(all[at - 1] ?? '') && /[\w$]/.test(all[at + space.length] ?? '') ? ' ' : ''));
  return flat.length > MAX_CALL ? `${flat.slice(0, MAX_CALL - 1)}…` : flat;
}

/** HTTP functions that take a URL: `fetch`, `axios.post`, `httpx.post`, `session.get`, `fetchWithRetry`, `urlopen`. */
const HTTP_CALLEE = /fetch|request|^(axios|got|ky|superagent|needle|get|post|put|patch|delete|del|head|stream|urlopen)$/i;

/**
 * Values computed once per list of sources (a class property's assignments, a function's returns):
 * a list met again while being computed (`this.a = this.a ?? new OpenAI()`, a recursive function)
 * gives nothing there, so no question is asked twice and none loops.
 */
class Memo<T> {
  private readonly known = new Map<object, T | null>();
  private readonly busy = new Set<object>();

  once(key: object, compute: () => T | undefined): T | undefined {
    const known = this.known.get(key);
    if (known !== undefined) return known ?? undefined;
    if (this.busy.has(key)) return undefined;
    this.busy.add(key);
    const value = compute();
    this.busy.delete(key);
    this.known.set(key, value ?? null);
    return value;
  }
}

function firstOf<S, T>(items: S[], get: (item: S) => T | undefined): T | undefined {
  for (const item of items) {
    const found = get(item);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// JavaScript and TypeScript
// ---------------------------------------------------------------------------------------------

const JS_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.jsx', '.mjs', '.mts', '.cjs', '.cts']);

/** What a file must contain to be worth reading: a stem of an AI package's name or an AI host. */
const JS_NEEDLES = AI_STEMS;

/** Methods that only build another client or runnable (no request): their result is followed. */
const JS_BUILDERS = new Set([
  'getGenerativeModel', 'getGenerativeModelFromCachedContent', 'startChat', 'withStructuredOutput', 'bindTools', 'bind',
  'withConfig', 'withRetry', 'withFallbacks', 'withListeners', 'withOptions', 'pipe', 'asTool', 'initChatModel',
]);
/** `@google/genai`'s `ai.chats.create({ model })` builds a chat locally; `chat.sendMessage` calls. */
const JS_BUILDER_PATHS = ['chats.create'];
/** Methods on an AI client that send nothing: configuration and helpers. */
const JS_NON_CALLS = new Set(['config', 'configure', 'toFile', 'toJSON', 'toString', 'setApiKey']);
/** The AI SDK and its RSC package: only some of their functions call a model (`streamText`, not `generateId`). */
const AI_SDK_LIKE = (pkg: string) => pkg === 'ai' || pkg === '@ai-sdk/rsc';
/** AI SDK provider packages: their functions name a model (`openai('gpt-4o')`); `streamText` & co. call it. */
const PROVIDER_ONLY = (pkg: string) => (pkg.startsWith('@ai-sdk/') && !AI_SDK_LIKE(pkg)) || pkg === '@openrouter/ai-sdk-provider';
/**
 * Parts of AI packages that call no model: helpers (`openai/helpers/zod`'s `zodResponseFormat`) and
 * the provider-free parts of the `langchain` package (prompts, parsers, loaders).
 */
const JS_HELPER_SPECIFIER = /^((openai|@anthropic-ai\/sdk)\/helpers|langchain\/(prompts|schema|output_parsers|text_splitter|document_loaders|documents?|runnables|callbacks|load|util))(\/|$)/;

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
const TYPE_ONLY = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction', 'TSDeclareMethod', 'TSTypeAnnotation', 'TSTypeParameterDeclaration', 'TSTypeParameterInstantiation', 'TypeAnnotation', 'DeclareVariable', 'DeclareFunction']);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod']);
const BLOCKS = new Set(['BlockStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'SwitchStatement', 'StaticBlock']);

function jsSites(file: string, overlay: Overlay): (AiCallSite & { column: number })[] {
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
      found.push({ line, column, sdk, call: callText(this.text.slice(callee.start, callee.end), callee.start, jsArgumentCuts(callee)) });
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
        if (!node.isExport && node.importKind !== 'type' && node.moduleReference?.type === 'TSExternalModuleReference') {
          const spec = node.moduleReference.expression.value;
          declare(scope, node.id.name, isAiPackage(spec) && !JS_HELPER_SPECIFIER.test(spec) ? { sources: [], imported: { spec, kind: 'module' } } : { sources: [] });
        }
        return;
      case 'VariableDeclaration': {
        const target = node.kind === 'var' ? scope.fn : scope;
        for (const declarator of node.declarations) {
          this.declarePattern(declarator.id, target, declarator.init ? { node: declarator.init, scope, cls } : undefined, node.kind === 'const');
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
          if ((member.type === 'ClassProperty' || member.type === 'ClassPrivateProperty') && member.value && !member.static) {
            addProp(own, propName(member.key, member.computed), { node: member.value, scope, cls: own });
          }
          this.walk(member, scope, own, fn);
        }
        return;
      }
      case 'AssignmentExpression':
        if (node.operator === '=' || node.operator === '??=' || node.operator === '||=') {
          const left = node.left;
          if (left.type === 'Identifier') this.assignments.push({ name: left.name, source: { node: node.right, scope, cls } });
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
    const innerCls = node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ObjectMethod' ? undefined : cls;
    for (const param of node.params) {
      const pattern = param.type === 'TSParameterProperty' ? param.parameter : param;
      this.declarePattern(pattern, inner, undefined, false);
      if (pattern.type === 'AssignmentPattern') this.walk(pattern.right, inner, innerCls, node);
    }
    if (node.key && node.computed) this.walk(node.key, scope, cls, undefined);
    if (node.body.type === 'BlockStatement') forEachChild(node.body, (child) => this.walk(child, inner, innerCls, node));
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
        specifier.type === 'ImportDefaultSpecifier' ? 'default'
        : specifier.type === 'ImportNamespaceSpecifier' ? undefined
        : specifier.imported.type === 'StringLiteral' ? specifier.imported.value : specifier.imported.name;
      const imported: JsValue | undefined = ai ? (name ? { spec, kind: 'export', name } : { spec, kind: 'module' }) : undefined;
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
    if (AI_SDK_LIKE(pkg)) return base.kind === 'module' && method !== undefined && isAiImport('ai', [method]) ? pkg : undefined;
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
          return props && this.once(props, () => firstOf(props, (prop) => this.valueOf(prop.node, prop.scope, prop.cls, depth + 1)));
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

  /** What a call returns, when it builds a client: `require('openai')`, `genAI.getGenerativeModel()`, `prompt.pipe(llm)`, `getClient()`. */
  private callValue(node: any, scope: JsScope, cls: JsClass | undefined, depth: number): JsValue | undefined {
    const recurse = (n: any) => this.valueOf(n, scope, cls, depth + 1);
    const callee = unwrap(node.callee);
    if (callee.type === 'Import' || (callee.type === 'Identifier' && callee.name === 'require' && !lookup(scope, 'require'))) {
      return moduleValue(node.arguments[0]);
    }
    if (callee.type === 'Identifier') {
      const binding = lookup(scope, callee.name);
      const returns = binding?.returns;
      if (returns) {
        return this.once(returns, () => firstOf(returns, (ret) => {
          const found = this.valueOf(ret.node, ret.scope, ret.cls, depth + 1);
          return found?.kind === 'instance' ? found : undefined;
        }));
      }
      const value = recurse(callee);
      // `initChatModel('gpt-4o')` from langchain builds a model.
      return value && value.kind === 'export' && JS_BUILDERS.has(value.name ?? '') ? { spec: value.spec, kind: 'instance' } : undefined;
    }
    if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return undefined;
    const method = propName(callee.property, callee.computed);
    const base = recurse(callee.object);
    if (base && (JS_BUILDERS.has(method ?? '') || this.isBuilderPath(callee))) {
      return PROVIDER_ONLY(packageName(base.spec)) ? undefined : { spec: base.spec, kind: 'instance' };
    }
    // LangChain: `prompt.pipe(llm)`, `RunnableSequence.from([prompt, llm])` run the model they hold.
    if (method === 'pipe' || (method === 'from' && callee.object.type === 'Identifier' && callee.object.name === 'RunnableSequence')) {
      const parts = node.arguments.flatMap((arg: any) => (arg.type === 'ArrayExpression' ? arg.elements.filter(Boolean) : [arg]));
      for (const part of parts) {
        const found = recurse(part);
        if (found?.kind === 'instance') return found;
      }
    }
    return undefined;
  }

  /** The AI host a call's URL argument names: `fetch('https://api.openai.com/…')`, `axios.post(URL, …)`, `axios({ url })`. */
  private urlHost(call: JsSource): string | undefined {
    const callee = unwrap(call.node.callee);
    const name = callee.type === 'Identifier' ? callee.name : propName(callee.property, callee.computed);
    if (!name || !HTTP_CALLEE.test(name)) return undefined;
    const first = call.node.arguments[0];
    if (!first) return undefined;
    if (first.type === 'ObjectExpression') {
      const url = first.properties.find((p: any) => p.type === 'ObjectProperty' && propName(p.key, p.computed) === 'url');
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
        const source = binding?.constant && binding.sources.length === 1 && !binding.sources[0]!.keys ? binding.sources[0] : undefined;
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
    (node.type === 'AwaitExpression' || node.type === 'TSNonNullExpression' || node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression' ||
      node.type === 'TSTypeAssertion' || node.type === 'TSInstantiationExpression' || node.type === 'TypeCastExpression' || node.type === 'ParenthesizedExpression')
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
  return value.kind === 'module' ? { spec: value.spec, kind: 'export', name: key } : { spec: value.spec, kind: 'instance' };
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

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

/** What a Python file must contain to be worth parsing: the top-level name of an AI module, or an AI host. */
const PY_NEEDLES = [...new Set(AI_MODULES.map((module) => module.split('.')[0]!)), ...AI_HOSTS];

/** Methods and functions that only build a client, model, chat or runnable: their result is followed. */
const PY_BUILDERS = new Set([
  'start_chat', 'with_structured_output', 'bind_tools', 'bind', 'with_config', 'with_retry', 'with_fallbacks', 'with_listeners',
  'with_options', 'with_types', 'as_tool', 'init_chat_model', 'patch',
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

function pySites(file: string, overlay: Overlay): (AiCallSite & { column: number })[] {
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
      found.push({ line: call.node.startPosition.row + 1, column: call.node.startPosition.column, sdk, call: callText(callee.text, callee.startIndex, pyArgumentCuts(callee)) });
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
        for (const arg of node.childForFieldName('superclasses')?.namedChildren ?? []) if (arg) this.walk(arg, scope, returns);
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
        pyDeclare(enclosingNonClass(scope), node.childForFieldName('name')!.text, { sources: value ? [{ node: value, scope }] : [] });
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
      const paramName = param.type === 'identifier' ? param.text : (param.childForFieldName('name') ?? param.namedChildren.find((c) => c?.type === 'identifier'))?.text;
      const isDecorated = node.parent?.type === 'decorated_definition' && node.parent.namedChildren.some((d) => d?.type === 'decorator' && /^@staticmethod\b/.test(d.text));
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
      const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
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
      if (method.parent?.type === 'decorated_definition') for (const d of method.parent.namedChildren) if (d?.type === 'decorator') this.walk(d, scope, undefined);
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

  private assign(left: PythonNode, source: PySource | undefined, scope: PyScope, returns: PySource[] | undefined): void {
    if (left.type === 'identifier') {
      // `global client; client = OpenAI()` sets the module's `client`.
      let target = scope;
      if (scope.globals?.has(left.text)) while (target.parent) target = target.parent;
      pyDeclare(target, left.text, { sources: source ? [source] : [] });
    }
    else if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') {
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
            return sources && this.once(sources, () => firstOf(sources, (source) => this.value(source.node, source.scope, depth + 1)));
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
        return this.once(returns, () => firstOf(returns, (ret) => {
          const found = this.value(ret.node, ret.scope, depth + 1);
          return found?.instance ? found : undefined;
        }));
      }
    }
    const value = this.value(callee, scope, depth + 1);
    if (!value?.sdk) return undefined;
    const name = lastName(callee);
    if (value.instance ? isBuilder(name, callee) : /^_*[A-Z]/.test(name) || isBuilder(name, callee)) return { ...value, instance: true };
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
      const node = arg.type === 'keyword_argument' ? (arg.childForFieldName('name')?.text === 'url' ? arg.childForFieldName('value') : null) : arg;
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
        return node.childForFieldName('operator')?.type === '+' ? this.hostOf(node.childForFieldName('left')!, scope, depth + 1) : undefined;
      case 'parenthesized_expression':
        return node.namedChildren[0] ? this.hostOf(node.namedChildren[0], scope, depth + 1) : undefined;
      case 'boolean_operator': {
        // `os.getenv("OPENAI_BASE_URL") or "https://api.openai.com/v1"`
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        return (left && this.hostOf(left, scope, depth + 1)) ?? (right ? this.hostOf(right, scope, depth + 1) : undefined);
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
  if (/pattern_list|tuple_pattern|list_pattern|tuple|list|list_splat_pattern|parenthesized_expression/.test(node.type)) {
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

function pyDeclare(scope: PyScope, name: string, add: { sources?: PySource[]; imports?: PyValue[]; returns?: PySource[]; selfOf?: PyClass }): void {
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
