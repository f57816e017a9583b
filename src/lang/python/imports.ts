import { blanksBefore } from '../../core/style.js';
import { importBindings } from './import-bindings.js';
import type { PythonNode } from './parse.js';
import type { Edit } from '../../core/edits.js';

// Imports we add to a Python module: merged into an existing `from module import …` when there
// is one, else new lines after the module's first block of imports. Names the module already
// binds to something else get an alias, so we never shadow the user's own names.

/** Standard-library modules a project module may shadow (`logging.py`, `types.py`…). */
export const STDLIB = new Set(
  (
    'abc argparse array ast asyncio base64 bisect calendar collections concurrent contextlib copy csv dataclasses datetime ' +
    'decimal difflib email enum functools glob hashlib heapq hmac html http importlib inspect io ipaddress itertools json logging ' +
    'math mimetypes multiprocessing numbers operator os pathlib pickle platform pprint queue random re secrets select shutil signal ' +
    'socket sqlite3 ssl statistics string struct subprocess sys tempfile textwrap threading time timeit traceback types typing ' +
    'unittest urllib uuid warnings weakref xml zipfile zoneinfo'
  ).split(' '),
);

export interface PythonStyle {
  quote: '"' | "'";
  eol: '\n' | '\r\n';
  /** One level of block indentation (four spaces unless the file says otherwise). */
  indent: string;
}

export function detectPythonStyle(source: string): PythonStyle {
  const doubles = (source.match(/(^|[^"\\])"[^"\n]/g) ?? []).length;
  const singles = (source.match(/(^|[^'\\])'[^'\n]/g) ?? []).length;
  const indent = /^(?:def|class|async def|if|for|while|with|try)\b[^\n]*:\r?\n([ \t]+)\S/m.exec(source)?.[1] ?? '    ';
  return { quote: singles > doubles ? "'" : '"', eol: source.includes('\r\n') ? '\r\n' : '\n', indent };
}

/** Every name the module binds at top level: imports, defs, classes, assignments. */
export function topLevelNames(module: PythonNode): Map<string, PythonNode> {
  const names = new Map<string, PythonNode>();
  for (const statement of module.namedChildren) {
    if (!statement) continue;
    const definition =
      statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'function_definition' || definition?.type === 'class_definition')
      names.set(definition.childForFieldName('name')!.text, statement);
    else if (statement.type === 'import_statement' || statement.type === 'import_from_statement')
      for (const [local] of importBindings(statement)) names.set(local, statement);
    else if (statement.type === 'expression_statement' && statement.firstNamedChild?.type === 'assignment') {
      const left = statement.firstNamedChild.childForFieldName('left');
      if (left?.type === 'identifier') names.set(left.text, statement);
    }
  }
  return names;
}

/** The local name under which `module` imports `name` at top level (`from fastapi import Request as R` → R). */
export function importedAs(root: PythonNode, module: string, name: string): string | undefined {
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'import_from_statement') continue;
    for (const [local, ref] of importBindings(statement)) if (ref.module === module && ref.name === name) return local;
  }
  return undefined;
}

/**
 * Collects the imports a change needs in one module and turns them into edits: each wanted
 * `(module, name)` gets a local name (the existing import's, the name itself, or an alias when
 * the name is taken) and one edit per statement.
 */
export class PythonImports {
  private readonly merged = new Map<PythonNode, string[]>();
  private readonly added = new Map<string, string[]>();
  private readonly bound: Map<string, PythonNode>;
  private readonly plainImports: string[] = [];
  /** Project modules: their imports go last, as isort groups them. */
  private readonly localModules = new Set<string>();

  constructor(
    private readonly root: PythonNode,
    private readonly style: PythonStyle,
    /** Whether a module is the project's own (isort's first-party section). */
    private readonly isLocal: (module: string) => boolean = (module) => module.startsWith('.'),
  ) {
    this.bound = topLevelNames(root);
  }

  /** The local name to use for `name` from `module`, adding the import if needed. */
  from(module: string, name: string, alias?: string, opts: { local?: boolean } = {}): string {
    if (opts.local) this.localModules.add(module);
    const existing = importedAs(this.root, module, name);
    if (existing) return existing;
    const pending = [
      ...(this.added.get(module) ?? []),
      ...[...this.merged.entries()].filter(([s]) => this.moduleOf(s) === module).flatMap(([, n]) => n),
    ];
    const already = pending.find((item) => item === name || item.startsWith(`${name} as `));
    if (already) return already.includes(' as ') ? already.split(' as ')[1]! : name;
    const local = this.bound.has(name) ? (alias ?? `${name}_`) : name;
    const item = local === name ? name : `${name} as ${local}`;
    const statement = this.root.namedChildren.find(
      (s) =>
        s?.type === 'import_from_statement' &&
        this.moduleOf(s) === module &&
        !s.text.includes('*') &&
        !s.descendantsOfType('comment').length,
    );
    if (statement) this.merged.set(statement, [...(this.merged.get(statement) ?? []), item]);
    else this.added.set(module, [...(this.added.get(module) ?? []), item]);
    this.bound.set(local, this.root);
    return local;
  }

  /** `import module` (for `os`), unless the module already imports it. */
  module(module: string): void {
    const has = this.root.namedChildren.some(
      (s) =>
        s?.type === 'import_statement' &&
        importBindings(s).some(([local, ref]) => local === module && ref.module === module),
    );
    if (!has && !this.plainImports.includes(module)) this.plainImports.push(module);
  }

  edits(source: string): Edit[] {
    const { eol } = this.style;
    const edits: Edit[] = [];
    for (const [statement, names] of this.merged) {
      const existing = statement.childrenForFieldName('name').filter((n): n is PythonNode => Boolean(n));
      const last = existing.at(-1)!;
      const multiline = statement.text.includes('\n');
      const indent = multiline ? blanksBefore(source, last.startIndex) : '';
      const separator = multiline ? `,${eol}${indent}` : ', ';
      // Names already in isort's order get the new ones in order; otherwise they go last.
      const sorted = existing.every((n, i) => i === 0 || nameKey(existing[i - 1]!.text) <= nameKey(n.text));
      for (const name of [...names].sort((a, b) => (nameKey(a) < nameKey(b) ? -1 : 1))) {
        const next = sorted ? existing.find((n) => nameKey(n.text) > nameKey(name)) : undefined;
        edits.push(next ? at(next.startIndex, name + separator) : at(last.endIndex, separator + name));
      }
    }
    // Each new line joins its section of the module's first import block, as isort and ruff
    // order them: standard library, then packages, then the project's own modules.
    const local = (module: string) => this.localModules.has(module) || this.isLocal(module);
    const fromLines = (keep: (module: string) => boolean) =>
      [...this.added.entries()].filter(([m]) => keep(m)).map(([m, names]) => `from ${m} import ${names.join(', ')}`);
    const stdlib = (m: string) => !local(m) && STDLIB.has(m.split('.')[0]!);
    const lines: Record<Section, string[]> = {
      stdlib: [...this.plainImports.map((m) => `import ${m}`), ...fromLines(stdlib)].sort((a, b) =>
        sortKey(a) < sortKey(b) ? -1 : 1,
      ),
      package: fromLines((m) => !local(m) && !stdlib(m)).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)),
      local: fromLines(local).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)),
    };
    const block = importBlock(this.root).map((statement) => ({ statement, section: sectionOf(statement, local) }));
    if (!block.length) {
      const all = [...lines.stdlib, ...lines.package, ...lines.local];
      if (all.length) edits.push(insertImportLines(this.root, source, all, eol));
      return edits;
    }
    const order: Section[] = ['stdlib', 'package', 'local'];
    for (const section of order) {
      if (!lines[section].length) continue;
      const own = block.filter((b) => b.section === section).map((b) => b.statement);
      if (own.length) {
        // Sorted into the section: `import x` lines before `from x import` lines, each by module.
        for (const line of lines[section]) {
          const key = sortKey(line);
          const next = own.find((statement) => sortKey(statement.text) > key);
          edits.push(next ? at(next.startIndex, line + eol) : at(own.at(-1)!.endIndex, eol + line));
        }
        continue;
      }
      const text = lines[section].join(eol);
      const before = block
        .filter((b) => b.section !== 'future' && order.indexOf(b.section as Section) < order.indexOf(section))
        .at(-1);
      const after = block.find((b) => order.indexOf(b.section as Section) > order.indexOf(section));
      if (before) edits.push(at(before.statement.endIndex, eol + eol + text));
      else if (after) edits.push(at(after.statement.startIndex, text + eol + eol));
      else edits.push(at(block.at(-1)!.statement.endIndex, eol + eol + text));
    }
    return edits;
  }

  private moduleOf(statement: PythonNode): string {
    return statement.childForFieldName('module_name')?.text ?? '';
  }
}

type Section = 'stdlib' | 'package' | 'local';

/** How isort orders imported names (order_by_type): CONSTANTS, then Classes, then functions. */
function nameKey(item: string): string {
  const name = item.split(/\sas\s/)[0]!.trim();
  const rank = /^[A-Z0-9_]+$/.test(name) && /[A-Z]/.test(name) ? 0 : /^[A-Z]/.test(name) ? 1 : 2;
  return `${rank} ${name.toLowerCase()}`;
}

/** How isort orders a statement in its section: plain imports first, then by module name. */
function sortKey(statement: string): string {
  const from = /^from\s+(\S+)/.exec(statement);
  return from ? `1 ${from[1]!.toLowerCase()}` : `0 ${(/^import\s+(\S+)/.exec(statement)?.[1] ?? '').toLowerCase()}`;
}

const at = (offset: number, text: string): Edit => ({ start: offset, end: offset, text });

/** The module's first run of import statements (comments and blank lines between them allowed). */
function importBlock(root: PythonNode): PythonNode[] {
  const statements = root.namedChildren.filter((n): n is PythonNode => Boolean(n) && n!.type !== 'comment');
  const isImport = (s: PythonNode) => /^(import_statement|import_from_statement|future_import_statement)$/.test(s.type);
  const first = statements.findIndex(isImport);
  if (first < 0) return [];
  const block: PythonNode[] = [];
  for (let i = first; i < statements.length && isImport(statements[i]!); i++) block.push(statements[i]!);
  return block;
}

function sectionOf(statement: PythonNode, local: (module: string) => boolean): Section | 'future' {
  if (statement.type === 'future_import_statement') return 'future';
  const module =
    statement.type === 'import_from_statement'
      ? (statement.childForFieldName('module_name')?.text ?? '')
      : (statement.childForFieldName('name')?.text.split(' ')[0] ?? '');
  if (local(module)) return 'local';
  return STDLIB.has(module.split('.')[0]!) ? 'stdlib' : 'package';
}

/**
 * New import lines go after the module's first block of imports (after `from __future__` and the
 * docstring when there are no imports), so they sit with the imports a reader expects.
 */
function insertImportLines(root: PythonNode, source: string, lines: string[], eol: string): Edit {
  const statements = root.namedChildren.filter((n): n is PythonNode => Boolean(n) && n!.type !== 'comment');
  const isImport = (s: PythonNode) =>
    s.type === 'import_statement' || s.type === 'import_from_statement' || s.type === 'future_import_statement';
  const first = statements.findIndex(isImport);
  if (first >= 0) {
    let last = first;
    while (last + 1 < statements.length && isImport(statements[last + 1]!)) last++;
    const end = statements[last]!.endIndex;
    return { start: end, end, text: eol + lines.join(eol) };
  }
  const docstring =
    statements[0]?.type === 'expression_statement' && statements[0].firstNamedChild?.type === 'string'
      ? statements[0]
      : undefined;
  if (docstring) return { start: docstring.endIndex, end: docstring.endIndex, text: eol + eol + lines.join(eol) };
  const bom = source.startsWith('\uFEFF') ? 1 : 0;
  return { start: bom, end: bom, text: lines.join(eol) + eol + eol };
}
