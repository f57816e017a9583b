import { createRequire } from 'node:module';
import type { Node, Parser as ParserType, Tree } from 'web-tree-sitter';

// Python source, parsed with tree-sitter (web-tree-sitter + tree-sitter-python, WebAssembly: no
// native build). Node offsets are JavaScript string indices, so `source.slice(start, end)` and
// our text splices line up with the nodes.

const require = createRequire(import.meta.url);
let parser: ParserType | undefined;

/** Loads the grammar once per process (asynchronous: WebAssembly). Steps that parse Python need it first. */
export async function loadPythonParser(): Promise<void> {
  if (parser) return;
  const { Parser, Language } = await import('web-tree-sitter');
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const instance = new Parser();
  instance.setLanguage(language);
  parser = instance;
}

export function isPythonParserLoaded(): boolean {
  return parser !== undefined;
}

export function parsePython(source: string): Tree {
  if (!parser) throw new Error('the Python parser is not loaded (call loadPythonParser first)');
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** The first syntax error of a tree (tree-sitter always returns a tree), or undefined. */
export function pythonSyntaxError(tree: Tree): { line: number; message: string } | undefined {
  if (!tree.rootNode.hasError) return undefined;
  let found: Node | undefined;
  const visit = (node: Node): void => {
    if (found) return;
    if (node.type === 'ERROR' || node.isMissing) {
      found = node;
      return;
    }
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  const line = (found?.startPosition.row ?? 0) + 1;
  return { line, message: found?.isMissing ? `missing ${found.type}` : 'invalid Python syntax' };
}

export type { Node as PythonNode, Tree as PythonTree };
