import type { Collection, JSCodeshift } from 'jscodeshift';

// Names bound at the top of a module and what they depend on. Both "does this handler reach an AI
// call" and "is this handler already rate-limited" are the same question: does the handler refer,
// directly or through module-level functions and variables, to a binding that has the property?

export interface TopLevelBinding {
  name: string;
  /** The node whose code decides the binding's value: a function, class or declarator. */
  node: any;
  /** For imports: the module specifier. */
  source?: string;
}

export function topLevelBindings(j: JSCodeshift, root: Collection): Map<string, TopLevelBinding> {
  const bindings = new Map<string, TopLevelBinding>();
  const program = root.find(j.Program).paths()[0]?.node;
  for (let statement of program?.body ?? []) {
    if (statement.type === 'ImportDeclaration') {
      if (statement.importKind === 'type') continue;
      for (const specifier of statement.specifiers ?? []) {
        if ((specifier as any).importKind === 'type') continue;
        const name = specifier.local?.name;
        if (typeof name === 'string') bindings.set(name, { name, node: specifier, source: String(statement.source.value) });
      }
      continue;
    }
    if ((statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') && statement.declaration) {
      statement = statement.declaration as any;
    }
    if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id) {
      bindings.set(statement.id.name as string, { name: statement.id.name as string, node: statement });
    } else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        for (const name of patternNames((declarator as any).id)) bindings.set(name, { name, node: declarator });
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

const referenceCache = new WeakMap<object, Set<string>>();

/** Identifiers used as values inside `node` (property keys and member names are not references). */
export function referencedNames(j: JSCodeshift, node: any): Set<string> {
  let names = referenceCache.get(node);
  if (names) return names;
  names = new Set<string>();
  if (node.type === 'Identifier') names.add(node.name); // find() searches below the node only
  j(node)
    .find(j.Identifier)
    .forEach((path) => {
      const parent = path.parent?.node;
      if (parent) {
        const isKey = (parent.type === 'ObjectProperty' || parent.type === 'Property' || parent.type === 'ClassProperty' || parent.type === 'ObjectMethod' || parent.type === 'ClassMethod') && parent.key === path.node && !parent.computed && !parent.shorthand;
        const isMember = (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.property === path.node && !parent.computed;
        if (isKey || isMember) return;
      }
      names.add(path.node.name);
    });
  referenceCache.set(node, names);
  return names;
}

/**
 * Spreads a property over module bindings: a binding has it when its code has it (`ownProperty`)
 * or when it refers to a binding that has it. Imports are seeded by `importProperty`.
 */
export function spreadProperty<T>(
  j: JSCodeshift,
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
      for (const name of referencedNames(j, binding.node)) {
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
export function propertyOf<T>(j: JSCodeshift, node: any, has: Map<string, T>, ownProperty: (node: any) => T | undefined): T | undefined {
  const own = ownProperty(node);
  if (own !== undefined) return own;
  for (const name of referencedNames(j, node)) {
    const value = has.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}
