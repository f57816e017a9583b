import { classifyEnvName, isAiKeyName } from '../../knowledge/ai-providers.js';
import { parseSource } from '../../lang/js/parse.js';
import { forEachChild } from '../../lang/js/ast.js';
import type { Edit } from '../../core/edits.js';
import { lineAt } from '../../core/style.js';

/** A read of a browser-prefixed AI key: `process.env.NEXT_PUBLIC_X`, `import.meta.env.VITE_X`, … */
export interface EnvRead {
  kind: 'read';
  line: number;
  name: string;
  prefix: string;
  framework: string;
  serverName: string;
  /** The rename to the server name: only for `process.env` reads with the Next.js prefix. */
  edit?: Edit;
  /** Inside JSX: the value is rendered, so it reaches the browser whatever the variable is called. */
  inJsx: boolean;
  /** Inside an exported getServerSideProps / getStaticProps / getStaticPaths (server only in a page). */
  inDataFunction?: string;
  /** Inside next.config's `env` / `publicRuntimeConfig`: reported with its entry. */
  inBrowserConfig: boolean;
}

/** An AI SDK client allowed into the browser: `dangerouslyAllowBrowser: true` (or anything not `false`). */
export interface BrowserSdk {
  kind: 'browser-sdk';
  line: number;
}

/**
 * A browser-prefixed AI key named other than as an env read we rename: a string (`getEnv('…')`),
 * an object key (an env schema), a property of another object (`env.NEXT_PUBLIC_X`), a type.
 */
export interface NameMention {
  kind: 'mention';
  line: number;
  name: string;
  prefix: string;
  serverName: string;
  /** A type member: it reads nothing. */
  type: boolean;
  /** For a member of `interface ProcessEnv`, the rename of its name. */
  processEnvEdit?: Edit;
}

/** An entry of next.config's `env` or `publicRuntimeConfig` that carries an AI key into the browser. */
export interface BrowserConfigEntry {
  kind: 'config-entry';
  line: number;
  config: string;
  entry: string;
  /** The unprefixed key name it carries. */
  serverName: string;
}

export type Exposure = EnvRead | BrowserSdk | NameMention | BrowserConfigEntry;

/** next.config keys whose entries Next.js puts into browser code. */
const BROWSER_CONFIG_KEYS = new Set(['env', 'publicRuntimeConfig']);
/** Pages Router data functions: Next.js leaves them (and what only they use) out of the browser bundle. */
const DATA_FUNCTIONS = new Set(['getServerSideProps', 'getStaticProps', 'getStaticPaths']);

/**
 * Every exposure in one file, found in one walk. Edits rename `process.env.NEXT_PUBLIC_X`,
 * `process.env['NEXT_PUBLIC_X']` and `const { NEXT_PUBLIC_X } = process.env` (to
 * `const { X: NEXT_PUBLIC_X } = process.env`: the local name and its uses stay); the caller
 * decides which to apply.
 */
export function findExposures(path: string, source: string, opts: { nextConfig?: boolean } = {}): Exposure[] {
  const found: Exposure[] = [];
  const handled = new Set<any>();
  const configRanges: [number, number][] = [];
  const line = (node: any) => lineAt(source, node.start);

  const visit = (node: any, ancestors: any[]): void => {
    const parent = ancestors.at(-1);
    const env = envObject(node.object);
    if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && env) {
      const key = keyOf(node.property, node.computed);
      const secret = key && classifyEnvName(key.name);
      if (key && secret?.kind === 'secret' && (env === 'process' || secret.prefix !== 'NEXT_PUBLIC_')) {
        handled.add(node.property);
        const edit =
          env === 'process' && secret.prefix === 'NEXT_PUBLIC_' ? { ...key.range, text: secret.serverName } : undefined;
        found.push({
          kind: 'read',
          line: line(node),
          name: key.name,
          prefix: secret.prefix,
          framework: secret.framework,
          serverName: secret.serverName,
          edit,
          ...context(node, ancestors),
        });
      }
    } else if (
      node.type === 'VariableDeclarator' &&
      node.id?.type === 'ObjectPattern' &&
      envObject(node.init) === 'process'
    ) {
      for (const property of node.id.properties) {
        const key = property.type === 'ObjectProperty' ? keyOf(property.key, property.computed) : undefined;
        const secret = key && classifyEnvName(key.name);
        if (!key || secret?.kind !== 'secret') continue;
        handled.add(property).add(property.key);
        // `{ NEXT_PUBLIC_X }` → `{ X: NEXT_PUBLIC_X }`: one splice; the binding, and every use of it, stay.
        const edit =
          secret.prefix !== 'NEXT_PUBLIC_'
            ? undefined
            : property.shorthand
              ? { start: property.start, end: property.start, text: `${secret.serverName}: ` }
              : { ...key.range, text: secret.serverName };
        found.push({
          kind: 'read',
          line: line(property),
          name: key.name,
          prefix: secret.prefix,
          framework: secret.framework,
          serverName: secret.serverName,
          edit,
          ...context(property, ancestors),
        });
      }
    } else if (
      node.type === 'ObjectProperty' &&
      parent?.type === 'ObjectExpression' &&
      !node.computed &&
      keyOf(node.key, false)?.name === 'dangerouslyAllowBrowser' &&
      !(node.value.type === 'BooleanLiteral' && !node.value.value)
    ) {
      found.push({ kind: 'browser-sdk', line: line(node) });
    } else if (
      opts.nextConfig &&
      node.type === 'ObjectProperty' &&
      !node.computed &&
      BROWSER_CONFIG_KEYS.has(keyOf(node.key, false)?.name ?? '') &&
      node.value.type === 'ObjectExpression'
    ) {
      configRanges.push([node.value.start, node.value.end]);
      for (const entry of node.value.properties) {
        const key = entry.type === 'ObjectProperty' ? keyOf(entry.key, entry.computed) : undefined;
        if (!key) continue;
        const serverName =
          carriedKey(key.name) ??
          (envObject(entry.value?.object)
            ? carriedKey(keyOf(entry.value.property, entry.value.computed)?.name ?? '')
            : undefined);
        if (!serverName) continue;
        handled.add(entry).add(entry.key);
        found.push({
          kind: 'config-entry',
          line: line(entry),
          config: keyOf(node.key, false)!.name,
          entry: key.name,
          serverName,
        });
      }
    } else if (!handled.has(node)) {
      const mentioned = mentionedName(node, parent);
      const secret = mentioned ? classifyEnvName(mentioned) : undefined;
      if (mentioned && secret?.kind === 'secret') {
        if (node.key) handled.add(node.key);
        const type = node.type === 'TSPropertySignature';
        const inProcessEnv =
          type && ancestors.at(-2)?.type === 'TSInterfaceDeclaration' && ancestors.at(-2).id?.name === 'ProcessEnv';
        const processEnvEdit = inProcessEnv
          ? { start: node.key.start, end: node.key.end, text: secret.serverName }
          : undefined;
        found.push({
          kind: 'mention',
          line: line(node),
          name: mentioned,
          prefix: secret.prefix,
          serverName: secret.serverName,
          type,
          processEnvEdit,
        });
      }
    }
    ancestors.push(node);
    forEachChild(node, (child) => visit(child, ancestors));
    ancestors.pop();
  };

  const context = (node: any, ancestors: any[]) => ({
    inJsx: ancestors.some((a) => a.type.startsWith('JSX')),
    inDataFunction: dataFunctionOf(ancestors),
    inBrowserConfig: configRanges.some(([start, end]) => node.start >= start && node.end <= end),
  });

  visit(parseSource(path, source).program, []);
  return found;
}

/** `process.env` → 'process', `import.meta.env` → 'import.meta', anything else → undefined. */
function envObject(node: any): 'process' | 'import.meta' | undefined {
  if (!node || !/MemberExpression$/.test(node.type) || node.computed || node.property?.name !== 'env') return undefined;
  if (node.object?.type === 'Identifier' && node.object.name === 'process') return 'process';
  return node.object?.type === 'MetaProperty' ? 'import.meta' : undefined;
}

/**
 * The name a property key spells, and the range that holds just the name: an identifier, or the
 * inside of a string or plain template literal (so a rename keeps the quotes).
 */
function keyOf(key: any, computed: boolean): { name: string; range: { start: number; end: number } } | undefined {
  if (!key) return undefined;
  if (key.type === 'Identifier' && !computed) return { name: key.name, range: { start: key.start, end: key.end } };
  if (key.type === 'StringLiteral') return { name: key.value, range: { start: key.start + 1, end: key.end - 1 } };
  if (key.type === 'TemplateLiteral' && computed && key.expressions.length === 0) {
    const quasi = key.quasis[0];
    return { name: quasi.value.cooked, range: { start: quasi.start, end: quasi.end } };
  }
  return undefined;
}

/** The AI key a next.config entry name carries: `NEXT_PUBLIC_OPENAI_API_KEY` or `OPENAI_API_KEY`. */
function carriedKey(name: string): string | undefined {
  const secret = classifyEnvName(name);
  if (secret) return secret.kind === 'secret' ? secret.serverName : undefined;
  return isAiKeyName(name) ? name : undefined;
}

/** The name a node spells when it names an env var other than as a read we rename. */
function mentionedName(node: any, parent: any): string | undefined {
  switch (node.type) {
    case 'StringLiteral':
      return parent?.type === 'ImportDeclaration' || parent?.type === 'ExportNamedDeclaration' ? undefined : node.value;
    case 'ObjectProperty':
      // `{ NEXT_PUBLIC_X }` in an object literal only names a local variable.
      return node.computed || (node.shorthand && parent?.type === 'ObjectExpression') || node.key.type !== 'Identifier'
        ? undefined
        : node.key.name;
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return node.computed || node.property.type !== 'Identifier' ? undefined : node.property.name;
    case 'TSPropertySignature':
      return node.key?.type === 'Identifier' ? node.key.name : undefined;
    default:
      return undefined;
  }
}

/** The Pages Router data function (`export async function getServerSideProps`) a node is inside. */
function dataFunctionOf(ancestors: any[]): string | undefined {
  const exported = ancestors.find((a) => a.type === 'ExportNamedDeclaration')?.declaration;
  const name =
    exported?.type === 'FunctionDeclaration'
      ? exported.id?.name
      : exported?.type === 'VariableDeclaration' && exported.declarations.length === 1
        ? exported.declarations[0].id?.name
        : undefined;
  return name && DATA_FUNCTIONS.has(name) ? name : undefined;
}
