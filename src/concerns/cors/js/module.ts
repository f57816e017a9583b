import { codeOnOneLine } from '../../../core/one-line.js';
import { parseSource } from '../../../lang/js/parse.js';
import { forEachChild, jsString, keyName, unwrap } from '../../../lang/js/ast.js';
import { lineAt } from '../../../core/style.js';

// One parsed JS/TS module as the CORS rewrites see it: its nodes, their parents, its bindings and
// imports, and the text of any node, so each rewrite reads the same facts.

export const FUNCTIONS = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

/** One parsed module: its nodes in source order, their parents, and the questions we ask of them. */
export class Module {
  readonly program: any;
  readonly nodes: any[] = [];
  private readonly parents = new Map<any, any>();

  constructor(
    path: string,
    readonly source: string,
  ) {
    this.program = parseSource(path, source).program;
    const visit = (node: any, parent: any): void => {
      this.parents.set(node, parent);
      this.nodes.push(node);
      forEachChild(node, (child) => visit(child, node));
    };
    visit(this.program, undefined);
  }

  parent(node: any): any {
    return this.parents.get(node);
  }

  line(node: any): number {
    return lineAt(this.source, node.start);
  }

  text(node: any): string {
    return this.source.slice(node.start, node.end);
  }

  /** The code on one line, shortened: for messages. */
  short(node: any): string {
    return codeOnOneLine(this.text(node), 100);
  }

  enclosingFunction(node: any): any {
    for (let p = this.parent(node); p; p = this.parent(p)) if (FUNCTIONS.has(p.type)) return p;
    return undefined;
  }

  nodesIn(root: any): any[] {
    return this.nodes.filter((n) => n.start >= root.start && n.end <= root.end);
  }

  /** Identifiers named `name` used as values inside `root` (not keys, member names or declared names). */
  references(name: string, root: any): any[] {
    return this.nodesIn(root).filter((n) => {
      if (n.type !== 'Identifier' || n.name !== name) return false;
      const p = this.parent(n);
      if (!p) return true;
      if (
        (p.type === 'ObjectProperty' ||
          p.type === 'ObjectMethod' ||
          p.type === 'ClassMethod' ||
          p.type === 'ClassProperty') &&
        p.key === n &&
        !p.computed
      )
        return false;
      if ((p.type === 'MemberExpression' || p.type === 'OptionalMemberExpression') && p.property === n && !p.computed)
        return false;
      if (p.type === 'VariableDeclarator' && p.id === n) return false;
      if (FUNCTIONS.has(p.type) && (p.id === n || p.params.includes(n))) return false;
      return !/^(Import\w*Specifier|TSTypeReference|TSQualifiedName|TSPropertySignature|LabeledStatement|BreakStatement|ContinueStatement)$/.test(
        p.type,
      );
    });
  }

  /** The value of a module-level `const name = …` declared once, under its type wrappers. */
  topLevelConstInit(name: string): any {
    const found: any[] = [];
    for (const stmt of this.program.body) {
      const declaration = stmt.type === 'ExportNamedDeclaration' ? stmt.declaration : stmt;
      if (declaration?.type !== 'VariableDeclaration') continue;
      for (const d of declaration.declarations)
        if (d.id.type === 'Identifier' && d.id.name === name)
          found.push(declaration.kind === 'const' ? unwrap(d.init) : undefined);
    }
    return found.length === 1 ? found[0] : undefined;
  }

  /** What an import binds `local` to. */
  importedFrom(local: string): { module: string; imported: string } | undefined {
    for (const stmt of this.program.body) {
      if (stmt.type !== 'ImportDeclaration') continue;
      for (const s of stmt.specifiers) {
        if (s.local.name !== local) continue;
        const imported =
          s.type === 'ImportDefaultSpecifier'
            ? 'default'
            : s.type === 'ImportSpecifier'
              ? (s.imported.name ?? s.imported.value)
              : '*';
        return { module: stmt.source.value, imported };
      }
    }
    return undefined;
  }
}

/**
 * Local names bound to `module`'s exports: `{ cors: 'default' }` finds `import cors from 'cors'` and `const cors =
 * require('cors')`.
 */
export function importedNames(program: any, wanted: Record<string, string>): Set<string> {
  const names = new Set<string>();
  for (const stmt of program.body) {
    if (stmt.type === 'ImportDeclaration' && stmt.importKind !== 'type' && stmt.source.value in wanted) {
      const want = wanted[stmt.source.value];
      for (const s of stmt.specifiers) {
        const imported =
          s.type === 'ImportDefaultSpecifier'
            ? 'default'
            : s.type === 'ImportSpecifier'
              ? (s.imported.name ?? s.imported.value)
              : undefined;
        if (imported === want) names.add(s.local.name);
      }
    } else if (stmt.type === 'VariableDeclaration') {
      for (const d of stmt.declarations) {
        const init = unwrap(d.init);
        const required =
          init?.type === 'CallExpression' && init.callee.type === 'Identifier' && init.callee.name === 'require'
            ? jsString(init.arguments[0])
            : undefined;
        if (required === undefined || !(required in wanted)) continue;
        const want = wanted[required];
        if (d.id.type === 'Identifier' && want === 'default') names.add(d.id.name);
        if (d.id.type === 'ObjectPattern') {
          for (const p of d.id.properties)
            if (p.type === 'ObjectProperty' && keyName(p) === want && p.value.type === 'Identifier')
              names.add(p.value.name);
        }
      }
    }
  }
  return names;
}
