// What a Python import statement binds: the one reading of `import a.b` / `from m import x as y`
// that the module graph (which reaches AI) and the import editor (which adds imports) share.
import type { PythonNode } from './parse.js';

/** What a name bound by an import refers to: a module, or a name inside one. */
export interface PyImportRef {
  /** Absolute dotted module, or the relative form with its leading dots (`..services.llm`). */
  module: string;
  /** The imported name (`from m import name`); undefined for `import m`. */
  name?: string;
  line: number;
}

/** The `(local name, ref)` pairs an import statement binds. */
export function importBindings(statement: PythonNode): [string, PyImportRef][] {
  const line = statement.startPosition.row + 1;
  const out: [string, PyImportRef][] = [];
  if (statement.type === 'import_statement') {
    for (const item of statement.childrenForFieldName('name')) {
      if (!item) continue;
      if (item.type === 'aliased_import') {
        out.push([item.childForFieldName('alias')!.text, { module: item.childForFieldName('name')!.text, line }]);
      } else {
        // `import a.b.c` binds `a`; uses look like `a.b.c.fn()`: the module asked about is a.b.c.
        out.push([item.text.split('.')[0]!, { module: item.text, line }]);
      }
    }
  } else if (statement.type === 'import_from_statement') {
    const module = statement.childForFieldName('module_name')?.text.replace(/\s+/g, '') ?? '';
    for (const item of statement.childrenForFieldName('name')) {
      if (!item) continue;
      const name = item.type === 'aliased_import' ? item.childForFieldName('name')!.text : item.text;
      const local = item.type === 'aliased_import' ? item.childForFieldName('alias')!.text : item.text;
      out.push([local, { module, name, line }]);
    }
  }
  return out;
}
