import { importBindings } from '../../lib/python-graph.js';
import type { PythonNode } from '../../lib/python.js';
import type { Edit } from './edits.js';

// Imports we add to a Python module: merged into an existing `from module import …` when there
// is one, else new lines after the module's first block of imports. Names the module already
// binds to something else get an alias, so we never shadow the user's own names.

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
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'function_definition' || definition?.type === 'class_definition') names.set(definition.childForFieldName('name')!.text, statement);
    else if (statement.type === 'import_statement' || statement.type === 'import_from_statement') for (const [local] of importBindings(statement)) names.set(local, statement);
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
  ) {
    this.bound = topLevelNames(root);
  }

  /** The local name to use for `name` from `module`, adding the import if needed. */
  from(module: string, name: string, alias?: string, opts: { local?: boolean } = {}): string {
    if (opts.local) this.localModules.add(module);
    const existing = importedAs(this.root, module, name);
    if (existing) return existing;
    const pending = [...(this.added.get(module) ?? []), ...[...this.merged.entries()].filter(([s]) => this.moduleOf(s) === module).flatMap(([, n]) => n)];
    const already = pending.find((item) => item === name || item.startsWith(`${name} as `));
    if (already) return already.includes(' as ') ? already.split(' as ')[1]! : name;
    const local = this.bound.has(name) ? (alias ?? `${name}_`) : name;
    const item = local === name ? name : `${name} as ${local}`;
    const statement = this.root.namedChildren.find(
      (s) => s?.type === 'import_from_statement' && this.moduleOf(s) === module && !s.text.includes('*') && !s.descendantsOfType('comment').length,
    );
    if (statement) this.merged.set(statement, [...(this.merged.get(statement) ?? []), item]);
    else this.added.set(module, [...(this.added.get(module) ?? []), item]);
    this.bound.set(local, this.root);
    return local;
  }

  /** `import module` (for `os`), unless the module already imports it. */
  module(module: string): void {
    const has = this.root.namedChildren.some((s) => s?.type === 'import_statement' && importBindings(s).some(([local, ref]) => local === module && ref.module === module));
    if (!has && !this.plainImports.includes(module)) this.plainImports.push(module);
  }

  edits(source: string): Edit[] {
    const { eol } = this.style;
    const edits: Edit[] = [];
    for (const [statement, names] of this.merged) {
      const last = statement.childrenForFieldName('name').at(-1)!;
      const multiline = statement.text.includes('\n');
      const indent = multiline ? /[ \t]*$/.exec(source.slice(0, last.startIndex))![0] : '';
      edits.push({ start: last.endIndex, end: last.endIndex, text: names.map((n) => (multiline ? `,${eol}${indent}${n}` : `, ${n}`)).join('') });
    }
    // Standard-library `import x` lines open the import block (after `from __future__`), as
    // isort orders them; packages, then project modules, go at its end. Each group sorted.
    const order = ([a]: [string, string[]], [b]: [string, string[]]) => Number(this.localModules.has(a)) - Number(this.localModules.has(b)) || (a < b ? -1 : 1);
    const plain = [...this.plainImports].sort().map((m) => `import ${m}`);
    const from = [...this.added.entries()].sort(order).map(([module, names]) => `from ${module} import ${names.join(', ')}`);
    const firstImport = this.root.namedChildren.find((s) => s?.type === 'import_statement' || s?.type === 'import_from_statement');
    if (plain.length && firstImport) edits.push({ start: firstImport.startIndex, end: firstImport.startIndex, text: plain.map((line) => line + eol).join('') });
    const rest = plain.length && firstImport ? from : [...plain, ...from];
    if (rest.length) edits.push(insertImportLines(this.root, source, rest, eol));
    return edits;
  }

  private moduleOf(statement: PythonNode): string {
    return statement.childForFieldName('module_name')?.text ?? '';
  }
}

/**
 * New import lines go after the module's first block of imports (after `from __future__` and the
 * docstring when there are no imports), so they sit with the imports a reader expects.
 */
function insertImportLines(root: PythonNode, source: string, lines: string[], eol: string): Edit {
  const statements = root.namedChildren.filter((n): n is PythonNode => Boolean(n) && n!.type !== 'comment');
  const isImport = (s: PythonNode) => s.type === 'import_statement' || s.type === 'import_from_statement' || s.type === 'future_import_statement';
  const first = statements.findIndex(isImport);
  if (first >= 0) {
    let last = first;
    while (last + 1 < statements.length && isImport(statements[last + 1]!)) last++;
    const end = statements[last]!.endIndex;
    return { start: end, end, text: eol + lines.join(eol) };
  }
  const docstring = statements[0]?.type === 'expression_statement' && statements[0].firstNamedChild?.type === 'string' ? statements[0] : undefined;
  if (docstring) return { start: docstring.endIndex, end: docstring.endIndex, text: eol + eol + lines.join(eol) };
  const bom = source.startsWith('\uFEFF') ? 1 : 0;
  return { start: bom, end: bom, text: lines.join(eol) + eol + eol };
}
