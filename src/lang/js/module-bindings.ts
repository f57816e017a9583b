import { summarize } from './ast.js';

// Names bound at the top of a module and what they depend on. Both "does this handler reach an AI
// call" and "is this handler already rate-limited" are the same question: does the handler refer,
// directly or through module-level functions and variables, to a binding that has the property?

export interface TopLevelBinding {
  name: string;
  /** The node whose code decides the binding's value: a function, class or declarator. */
  node: any;
  /** For imports: the module specifier… */
  source?: string;
  /** …and the name taken from it (`'*'` for a namespace import). */
  imported?: string[] | '*';
}

export function topLevelBindings(program: any): Map<string, TopLevelBinding> {
  const bindings = new Map<string, TopLevelBinding>();
  for (let statement of program.body) {
    if (statement.type === 'ImportDeclaration') {
      if (statement.importKind === 'type') continue;
      for (const specifier of statement.specifiers ?? []) {
        if (specifier.importKind === 'type') continue;
        const name = specifier.local?.name;
        if (typeof name !== 'string') continue;
        const imported =
          specifier.type === 'ImportNamespaceSpecifier'
            ? '*'
            : specifier.type === 'ImportDefaultSpecifier'
              ? ['default']
              : [specifier.imported?.name ?? specifier.imported?.value];
        bindings.set(name, { name, node: specifier, source: String(statement.source.value), imported });
      }
      continue;
    }
    if (
      (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') &&
      statement.declaration
    ) {
      statement = statement.declaration;
    }
    if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id) {
      bindings.set(statement.id.name, { name: statement.id.name, node: statement });
    } else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        for (const name of patternNames(declarator.id)) bindings.set(name, { name, node: declarator });
      }
    }
  }
  return bindings;
}

export function patternNames(pattern: any): string[] {
  if (!pattern) return [];
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap((p: any) => patternNames(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern':
      return pattern.elements.flatMap(patternNames);
    case 'AssignmentPattern':
      return patternNames(pattern.left);
    case 'RestElement':
      return patternNames(pattern.argument);
    default:
      return [];
  }
}

/** Identifiers used as values inside `node`, the node itself included. */
export function referencedNames(node: any): Set<string> {
  return summarize(node).names;
}

/**
 * Spreads a property over module bindings: a binding has it when its code has it (`ownProperty`)
 * or when it refers to a binding that has it. Imports are seeded by `importProperty`.
 */
export function spreadProperty<T>(
  bindings: Map<string, TopLevelBinding>,
  importProperty: (binding: TopLevelBinding) => T | undefined,
  ownProperty: (node: any) => T | undefined,
): Map<string, T> {
  const has = new Map<string, T>();
  for (const binding of bindings.values()) {
    const value = binding.source !== undefined ? importProperty(binding) : ownProperty(binding.node);
    if (value !== undefined) has.set(binding.name, value);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const binding of bindings.values()) {
      if (has.has(binding.name) || binding.source !== undefined) continue;
      for (const name of referencedNames(binding.node)) {
        if (name !== binding.name && has.has(name)) {
          has.set(binding.name, has.get(name)!);
          grew = true;
          break;
        }
      }
    }
  }
  return has;
}

/** The property of `node` itself, or of the first module binding it refers to that has it. */
export function propertyOf<T>(
  node: any,
  has: Map<string, T>,
  ownProperty: (node: any) => T | undefined,
): T | undefined {
  const own = ownProperty(node);
  if (own !== undefined) return own;
  for (const name of referencedNames(node)) {
    const value = has.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}
