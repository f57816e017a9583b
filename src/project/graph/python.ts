import { dirname, join } from 'node:path';
import { findAiHost } from '../../knowledge/ai-providers.js';
import type { AiReach } from './js.js';
import type { Overlay } from '../overlay.js';
import { parsePython, pythonSyntaxError, type PythonNode } from '../../lang/python/parse.js';
import { importBindings, type PyImportRef } from '../../lang/python/import-bindings.js';

// Which Python code reaches a paid AI API: the Python half of the module graph. A module is
// parsed once, reduced to what it imports and what each top-level name refers to, and the tree
// is dropped; questions ("does this endpoint reach AI, through which files") are answered from
// those summaries, following project-local imports (absolute and relative) through the files
// the walk found.

/** Python packages that call a paid model (top-level module names; prefix match for langchain_*). */
export const AI_MODULES = [
  'openai',
  'anthropic',
  'google.generativeai',
  'google.genai',
  'google.ai.generativelanguage',
  'vertexai',
  'google.cloud.aiplatform',
  'litellm',
  'groq',
  'mistralai',
  'cohere',
  'replicate',
  'together',
  'huggingface_hub',
  'llama_index.llms',
  'instructor',
  'dspy',
  'ollama',
  'fireworks',
  'langchain',
  'langchain_community',
];
/** LangChain and friends' provider packages: `langchain_openai`, `langchain_anthropic`… */
const AI_MODULE_PREFIXES = ['langchain_'];
/** Parts of those packages that call no model: types, prompts, text splitters, graphs. */
const NO_MODEL_MODULES =
  /^(openai\.types|anthropic\.types|langchain_core|langchain_text_splitters|langgraph|langchain_community\.(document_loaders|document_transformers|utilities)|langchain\.(document_loaders|text_splitter|schema|prompts))(\.|$)/;

/** The AI package a Python import names, or undefined. */
export function aiModuleOf(module: string, names: string[] = []): string | undefined {
  if (NO_MODEL_MODULES.test(module)) return undefined;
  const known = AI_MODULES.find((name) => module === name || module.startsWith(`${name}.`));
  if (known) return known;
  if (AI_MODULE_PREFIXES.some((prefix) => module.startsWith(prefix))) return module.split('.')[0];
  // `from google import genai` names the AI module in its imported names.
  const sub = names.map((name) => `${module}.${name}`).find((full) => AI_MODULES.includes(full));
  return sub;
}

/** What a piece of code uses: every name, and for names used only as `name.attr`, which attrs. */
interface Uses {
  refs: Set<string>;
  /** `storage.list_items` → storage → {list_items}. */
  attrs: Map<string, Set<string>>;
  /** Names used other than as the object of an attribute (passed, called, returned). */
  bare: Set<string>;
}

/** A top-level function, class or assignment, reduced to the names it refers to. */
interface PyBinding extends Uses {
  /** Imports made inside the body (lazy imports). */
  imports: PyImportRef[];
  host?: string;
  /** For `name = Callee(...)`: the callee as written (`FastAPI`, `fastapi.APIRouter`). */
  callee?: string;
}

export interface PyModuleScan {
  /** Local name → what the module's top-level imports bind it to (the last import of the name). */
  imports: Map<string, PyImportRef>;
  /** Local name → every import that binds it (`import pkg.llm` and `import pkg.db` both bind `pkg`). */
  importsAll: Map<string, PyImportRef[]>;
  bindings: Map<string, PyBinding>;
  /** The first AI package the module imports anywhere, or an AI host it names. */
  directAi?: string;
  syntaxError?: { line: number; message: string };
}

/** Identifiers a node refers to: names, not attribute names or keyword argument names. */
export function referencedNames(node: PythonNode, into = new Set<string>()): Set<string> {
  if (node.type === 'identifier') {
    const parent = node.parent;
    const isAttributeName = parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === node.id;
    const isKeyword = parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === node.id;
    if (!isAttributeName && !isKeyword) into.add(node.text);
    return into;
  }
  for (const child of node.namedChildren) if (child) referencedNames(child, into);
  return into;
}

/** Imports anywhere inside a node (a function body's lazy imports). */
function nestedImports(node: PythonNode): PyImportRef[] {
  const found: PyImportRef[] = [];
  const visit = (n: PythonNode): void => {
    if (n.type === 'import_statement' || n.type === 'import_from_statement')
      found.push(...importBindings(n).map(([, ref]) => ref));
    else for (const child of n.namedChildren) if (child) visit(child);
  };
  visit(node);
  return found;
}

/** The names a node uses, with the attributes read from each (see Uses). */
export function usesIn(node: PythonNode): Uses {
  const uses: Uses = { refs: referencedNames(node), attrs: new Map(), bare: new Set() };
  const visit = (n: PythonNode): void => {
    if (n.type === 'identifier' && uses.refs.has(n.text)) {
      const parent = n.parent;
      const object = parent?.type === 'attribute' && parent.childForFieldName('object')?.id === n.id;
      const attributeName = parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === n.id;
      const keyword = parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === n.id;
      if (object)
        uses.attrs.set(n.text, (uses.attrs.get(n.text) ?? new Set()).add(parent!.childForFieldName('attribute')!.text));
      else if (!attributeName && !keyword) uses.bare.add(n.text);
      return;
    }
    for (const child of n.namedChildren) if (child) visit(child);
  };
  visit(node);
  return uses;
}

/**
 * The first AI host named by a string inside a node (a raw `httpx.post("https://api.openai.com/…")`).
 * Strings in class bodies are left out: a settings class naming the provider's base URL as a
 * default configures an SDK, it calls nothing.
 */
function hostIn(node: PythonNode): string | undefined {
  if (node.type === 'class_definition') return undefined;
  if (node.type === 'string') {
    const content = node.namedChildren
      .filter((c) => c?.type === 'string_content')
      .map((c) => c!.text)
      .join('');
    return findAiHost(content);
  }
  for (const child of node.namedChildren) {
    const host = child && hostIn(child);
    if (host) return host;
  }
  return undefined;
}

/** The summary of one module's tree (see PyModuleScan). */
export function scanPythonTree(root: PythonNode): PyModuleScan {
  const imports = new Map<string, PyImportRef>();
  const importsAll = new Map<string, PyImportRef[]>();
  const bindings = new Map<string, PyBinding>();
  // A name bound twice (`try: import openai` / `except: openai = None`, if/else branches) may
  // hold either value: its binding is the union of both.
  const bind = (name: string, binding: PyBinding) => {
    const previous = bindings.get(name);
    if (!previous) return bindings.set(name, binding);
    const attrs = new Map(previous.attrs);
    for (const [key, set] of binding.attrs) attrs.set(key, new Set([...(attrs.get(key) ?? []), ...set]));
    bindings.set(name, {
      refs: new Set([...previous.refs, ...binding.refs]),
      attrs,
      bare: new Set([...previous.bare, ...binding.bare]),
      imports: [...previous.imports, ...binding.imports],
      host: previous.host ?? binding.host,
      callee: previous.callee ?? binding.callee,
    });
  };
  const summarize = (node: PythonNode): PyBinding => ({
    ...usesIn(node),
    imports: nestedImports(node),
    host: hostIn(node),
  });
  let directAi: string | undefined;
  const visitTop = (statement: PythonNode): void => {
    switch (statement.type) {
      case 'import_statement':
      case 'import_from_statement':
        for (const [local, ref] of importBindings(statement)) {
          imports.set(local, ref);
          importsAll.set(local, [...(importsAll.get(local) ?? []), ref]);
        }
        break;
      case 'decorated_definition':
        visitTop(statement.childForFieldName('definition')!);
        break;
      case 'function_definition':
      case 'class_definition':
        bind(statement.childForFieldName('name')!.text, summarize(statement));
        break;
      case 'expression_statement': {
        const assignment = statement.firstNamedChild;
        const built = assignment && graphBuilt(assignment);
        // `workflow.add_node("answer", answer)`: the graph compiled from `workflow` runs `answer`.
        if (built) bind(built, summarize(assignment!));
        if (assignment?.type !== 'assignment') break;
        const value = assignment.childForFieldName('right');
        for (const target of assignmentTargets(assignment.childForFieldName('left'))) {
          const callee = value?.type === 'call' ? value.childForFieldName('function')?.text : undefined;
          bind(
            target,
            value
              ? { ...summarize(value), callee }
              : { refs: new Set(), attrs: new Map(), bare: new Set(), imports: [] },
          );
        }
        break;
      }
      case 'if_statement':
      case 'try_statement':
        // `try: import openai` and `if TYPE_CHECKING:` blocks bind names at module level too.
        for (const block of blocksOf(statement)) for (const inner of block.namedChildren) if (inner) visitTop(inner);
        break;
    }
  };
  for (const statement of root.namedChildren) if (statement) visitTop(statement);
  for (const ref of nestedImports(root)) directAi ??= aiModuleOf(ref.module, ref.name ? [ref.name] : []);
  directAi ??= hostIn(root);
  return { imports, importsAll, bindings, directAi };
}

/**
 * The name a top-level call adds steps to, for graphs built one call at a time (LangGraph's
 * `StateGraph.add_node` / `add_edge` / `add_conditional_edges` / `add_sequence`): the functions
 * passed become part of what the name (and the graph compiled from it) runs.
 */
function graphBuilt(expression: PythonNode): string | undefined {
  if (expression.type !== 'call') return undefined;
  const callee = expression.childForFieldName('function');
  if (callee?.type !== 'attribute') return undefined;
  if (!/^add_(node|edge|conditional_edges|sequence)$/.test(callee.childForFieldName('attribute')?.text ?? ''))
    return undefined;
  const object = callee.childForFieldName('object');
  return object?.type === 'identifier' ? object.text : undefined;
}

/** The blocks of an `if` or `try` statement, with those of its elif/else/except/finally clauses. */
function blocksOf(statement: PythonNode): PythonNode[] {
  return statement.namedChildren.flatMap((child) => {
    if (child?.type === 'block') return [child];
    return child && /clause$/.test(child.type)
      ? child.namedChildren.filter((c): c is PythonNode => c?.type === 'block')
      : [];
  });
}

/** Names an assignment's left side binds (`a = …`, `a, b = …`, `a: T = …`). */
function assignmentTargets(left: PythonNode | null): string[] {
  if (!left) return [];
  if (left.type === 'identifier') return [left.text];
  if (left.type === 'pattern_list' || left.type === 'tuple_pattern')
    return left.namedChildren.filter((c) => c?.type === 'identifier').map((c) => c!.text);
  return [];
}

const IN_PROGRESS = Symbol('in progress');
const NONE = Symbol('reaches nothing');
type Memo = AiReach | typeof IN_PROGRESS | typeof NONE;

/**
 * The Python side of the project: scans modules lazily, resolves project-local imports against
 * the files the walk found, and answers which names and modules reach an AI call.
 */
export class PythonGraph {
  private readonly scans = new Map<string, PyModuleScan | undefined>();
  private readonly moduleReach = new Map<string, Memo>();
  private readonly nameReach = new Map<string, Memo>();
  /** Set when a question ran into one still being answered (an import cycle). */
  private cycleSeen = false;
  private depth = 0;

  constructor(
    private readonly overlay: Overlay,
    /** Every file the walk found: a module exists for us only if it is among them. */
    private readonly known: ReadonlySet<string>,
  ) {}

  scan(file: string): PyModuleScan | undefined {
    if (!this.scans.has(file)) {
      const text = this.overlay.read(file);
      let scan: PyModuleScan | undefined;
      if (text !== undefined) {
        const tree = parsePython(text);
        scan = scanPythonTree(tree.rootNode);
        scan.syntaxError = pythonSyntaxError(tree);
        tree.delete();
      }
      this.scans.set(file, scan);
    }
    return this.scans.get(file);
  }

  /**
   * The file a module name refers to from `fromFile`: relative imports from its folder; absolute
   * ones from the nearest folder above it that holds the module (how a project run from its own
   * root, or a src/ layout, finds its packages). Undefined for anything outside the project.
   */
  resolve(fromFile: string, module: string): string | undefined {
    const dots = /^\.*/.exec(module)![0].length;
    const parts = module.slice(dots).split('.').filter(Boolean);
    const candidates = (base: string) => {
      const stem = join(base, ...parts);
      return parts.length ? [`${stem}.py`, join(stem, '__init__.py')] : [join(base, '__init__.py')];
    };
    if (dots) {
      let base = dirname(fromFile);
      for (let i = 1; i < dots; i++) base = dirname(base);
      return candidates(base).find((path) => this.known.has(path));
    }
    for (let dir = dirname(fromFile); ; dir = dirname(dir)) {
      const found = candidates(dir).find((path) => this.known.has(path));
      if (found) return found;
      if (dirname(dir) === dir) return undefined;
    }
  }

  /** What an import ref reaches: an AI package itself, or a local module or name that does. */
  reachOfImport(fromFile: string, ref: PyImportRef): AiReach | undefined {
    const ai = aiModuleOf(ref.module, ref.name ? [ref.name] : []);
    if (ai) return { chain: [fromFile], via: ai };
    if (ref.name) {
      // `from pkg import mod` imports a submodule when one exists by that name.
      const sub = this.resolve(
        fromFile,
        ref.module.endsWith('.') ? ref.module + ref.name : `${ref.module}.${ref.name}`,
      );
      if (sub) return this.prefixed(fromFile, this.reachOfModule(sub));
      const file = this.resolve(fromFile, ref.module);
      return file ? this.prefixed(fromFile, this.reachOfName(file, ref.name)) : undefined;
    }
    const file = this.resolve(fromFile, ref.module);
    return file ? this.prefixed(fromFile, this.reachOfModule(file)) : undefined;
  }

  /** Whether anything in a module reaches AI (for `import module` and `from pkg import module`). */
  reachOfModule(file: string): AiReach | undefined {
    return this.memo(this.moduleReach, file, () => {
      const scan = this.scan(file);
      if (!scan) return undefined;
      if (scan.directAi) return { chain: [file], via: scan.directAi };
      for (const refs of scan.importsAll.values()) {
        for (const ref of refs) {
          const reach = this.reachOfImport(file, ref);
          if (reach) return reach;
        }
      }
      return undefined;
    });
  }

  /** Whether a top-level name of a module (a function, class, client object, re-export) reaches AI. */
  reachOfName(file: string, name: string): AiReach | undefined {
    return this.memo(this.nameReach, `${file}\0${name}`, () => {
      const scan = this.scan(file);
      const binding = scan?.bindings.get(name);
      const reach = binding && this.reachOfSummary(file, binding);
      if (reach) return reach;
      // A name both assigned and imported (`try: import openai` / `except: openai = None`) may be either.
      for (const ref of scan?.importsAll.get(name) ?? []) {
        const imported = this.reachOfImport(file, ref);
        if (imported) return imported;
      }
      return undefined;
    });
  }

  /**
   * Answers each question once. A question that meets itself (an import cycle) gets "nothing" for
   * the inner occurrence; an answer that depended on that is not kept unless it is the outermost
   * question's, which has then seen the whole cycle — so the order of questions never changes answers.
   */
  private memo(cache: Map<string, Memo>, key: string, compute: () => AiReach | undefined): AiReach | undefined {
    const cached = cache.get(key);
    if (cached === IN_PROGRESS) {
      this.cycleSeen = true;
      return undefined;
    }
    if (cached === NONE) return undefined;
    if (cached) return cached;
    cache.set(key, IN_PROGRESS);
    const outer = this.cycleSeen;
    this.cycleSeen = false;
    this.depth++;
    let reach: AiReach | undefined;
    try {
      reach = compute();
    } finally {
      this.depth--;
    }
    if (reach) cache.set(key, reach);
    else if (this.cycleSeen && this.depth > 0) cache.delete(key);
    else cache.set(key, NONE);
    this.cycleSeen = this.depth > 0 && (outer || this.cycleSeen);
    return reach;
  }

  /** What a piece of code in `file` reaches, from the names it uses, its own imports and hosts. */
  reachOfSummary(file: string, summary: Uses & { imports: PyImportRef[]; host?: string }): AiReach | undefined {
    if (summary.host) return { chain: [file], via: summary.host };
    for (const ref of summary.imports) {
      const reach = this.reachOfImport(file, ref);
      if (reach) return reach;
    }
    const scan = this.scan(file);
    if (!scan) return undefined;
    for (const name of summary.refs) {
      if (!scan.bindings.has(name) && !scan.importsAll.has(name)) continue;
      const attrs = summary.bare.has(name) ? undefined : summary.attrs.get(name);
      const reach = attrs ? this.reachOfAttributes(file, name, attrs) : this.reachOfName(file, name);
      if (reach) return reach;
    }
    return undefined;
  }

  /**
   * `storage.list_items()` where `storage` is a project module: what those names reach in it,
   * not whatever else the module holds (one AI helper beside twenty CRUD functions).
   */
  private reachOfAttributes(file: string, name: string, attrs: Set<string>): AiReach | undefined {
    const scan = this.scan(file)!;
    if (scan.bindings.has(name)) return this.reachOfName(file, name);
    for (const ref of scan.importsAll.get(name) ?? []) {
      const module = this.moduleFileOf(file, ref);
      if (!module) {
        const reach = this.reachOfImport(file, ref);
        if (reach) return reach;
        continue;
      }
      for (const attr of attrs) {
        const reach = this.prefixed(file, this.reachOfName(module, attr) ?? this.submoduleReach(module, attr));
        if (reach) return reach;
      }
    }
    return undefined;
  }

  /** The project file an import binds as a module object (`import m as x`, `import m`, `from pkg import m`), if any. */
  private moduleFileOf(file: string, ref: PyImportRef): string | undefined {
    if (ref.name) {
      const sub = ref.module.endsWith('.') ? ref.module + ref.name : `${ref.module}.${ref.name}`;
      return this.resolve(file, sub);
    }
    // `import a.b.c` binds `a`: its attributes are subpackages, not names of a.b.c.
    return ref.module.includes('.') && !this.isAliased(file, ref) ? undefined : this.resolve(file, ref.module);
  }

  private isAliased(file: string, ref: PyImportRef): boolean {
    const scan = this.scan(file)!;
    return [...scan.importsAll.entries()].some(
      ([local, refs]) => refs.includes(ref) && local !== ref.module.split('.')[0],
    );
  }

  /** `pkg.sub` where `pkg` is a package and `sub` its submodule. */
  private submoduleReach(packageFile: string, attr: string): AiReach | undefined {
    if (!packageFile.endsWith('__init__.py')) return undefined;
    const sub = this.resolve(packageFile, `.${attr}`);
    return sub ? this.reachOfModule(sub) : undefined;
  }

  /** What a node of `file`'s tree (an endpoint function) reaches. */
  reachOfNode(file: string, node: PythonNode): AiReach | undefined {
    return this.reachOfSummary(file, { ...usesIn(node), imports: nestedImports(node), host: hostIn(node) });
  }

  private prefixed(file: string, reach: AiReach | undefined): AiReach | undefined {
    return reach && (reach.chain[0] === file ? reach : { chain: [file, ...reach.chain], via: reach.via });
  }
}
