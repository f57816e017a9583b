import { importBindings, type PyImportRef } from '../../lib/python-graph.js';
import type { PythonNode } from '../../lib/python.js';
import { stringValue } from './python-routes.js';

// What the CORS detector (lib/detect/cors.ts) and the cors step (cors-python.ts) both read from a
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
  const facts: PythonModuleFacts = { imports: new Map(), assignments: new Map(), flaskConfig: new Map(), calls: [], identifiers: new Set() };
  const visit = (node: PythonNode): void => {
    if (node.type === 'identifier') facts.identifiers.add(node.text);
    if (node.type === 'import_statement' || node.type === 'import_from_statement') {
      for (const [local, ref] of importBindings(node)) facts.imports.set(local, ref);
    } else if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier') facts.assignments.set(left.text, [...(facts.assignments.get(left.text) ?? []), { node, scope: scopeOf(node) }]);
      const configKey = left?.type === 'subscript' && /\.config$|^config$/.test(left.childForFieldName('value')?.text ?? '') ? pyString(left.childForFieldName('subscript')) : undefined;
      const right = node.childForFieldName('right');
      // `+=` adds to a value we do not see: only a plain assignment says what the config holds.
      if (node.type === 'assignment' && configKey?.startsWith('CORS_') && right) facts.flaskConfig.set(configKey, right);
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
