import { dirname } from 'node:path';
import type { API, FileInfo } from 'jscodeshift';
import { KEY_ENV_BY_PACKAGE, KEY_PREFIXES } from '../../knowledge/key-formats.js';
import { findKeyIn, isPlaceholder, type FoundKey } from './literals.js';
import { replacePythonKeys } from './python-keys.js';
import { parseSource } from '../../lang/js/parse.js';
import { isInside } from '../../core/paths.js';
import { topDirective } from '../../lang/js/scan-module.js';
import { maskSecret } from '../../core/secrets.js';
import { defineStep, type StepContext } from '../../step/contract.js';
import type { Finding } from '../../core/finding.js';
import { forEachChild } from '../../lang/js/ast.js';
import { applyEdits, type Edit } from '../../core/edits.js';
import { addEnvNames, envExampleFor } from '../../project/project-files.js';
import { lineAt } from '../../core/style.js';
import { meta, options } from './hardcoded-keys.meta.js';

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** Option names under which SDK clients take their key. */
const KEY_OPTIONS = new Set(['apiKey', 'api_key', 'auth', 'token', 'accessToken']);

interface FileContext {
  /** Code that runs in the browser cannot read server env vars: we report, never rewrite there. */
  client: () => boolean;
  typescript: boolean;
}

/**
 * Finds provider keys written as string literals (and placeholder keys passed to an AI SDK
 * client) and, in server code, replaces each with `process.env.<NAME>`, the name the provider's
 * SDK reads by itself. Returns the new source and what it found.
 */
export function replaceKeys(path: string, source: string, file: FileContext): { output: string; found: FoundKey[] } {
  const ast = parseSource(path, source);
  const sdkClasses = aiSdkClasses(ast.program);
  const edits: Edit[] = [];
  const found: FoundKey[] = [];
  visitWithAncestors(ast.program, [], (node, ancestors) => {
    const value = literalValue(node);
    if (value === undefined) return;
    const embedded = findKeyIn(value);
    const format = embedded?.format;
    const sdk = sdkOptionOf(node, ancestors, sdkClasses);
    const line = lineAt(source, node.start);
    if (!format && !(sdk && isPlaceholder(value))) return;
    const key = embedded?.key ?? value;
    if (format?.sharedWithPublicApis && !sdk?.gemini) {
      found.push({
        line,
        envName: format.envName,
        shown: maskSecret(key),
        format,
        replaced: false,
        reason:
          'a Google API key outside a Gemini client: it may be a public browser key (Maps, Firebase); if Gemini uses it, move it to GEMINI_API_KEY',
      });
      return;
    }
    const envName = sdk?.envName ?? format!.envName;
    const shown = format ? maskSecret(key) : `placeholder "${value.length > 24 ? `${value.slice(0, 20)}…` : value}"`;
    if (file.client()) {
      found.push({
        line,
        envName,
        shown,
        format,
        replaced: false,
        reason:
          'this code runs in the browser, where a server env var does not exist: move the AI call into a route handler',
      });
      return;
    }
    // SDK options take `string | undefined`; anywhere else (a constant, a constructor argument)
    // a TypeScript value keeps its `string` type with `!`, so the build does not break.
    const assertion = file.typescript && !sdk?.option ? '!' : '';
    const env = `process.env.${envName}`;
    const whole = !embedded || embedded.key === value;
    // `'Bearer sk-…'` becomes `` `Bearer ${process.env.OPENAI_API_KEY}` ``.
    const text = whole
      ? `${env}${assertion}`
      : `\`${templateText(value.slice(0, embedded.index))}\${${env}}${templateText(value.slice(embedded.index + embedded.key.length))}\``;
    edits.push({ start: node.start, end: node.end, text });
    found.push({ line, envName, shown, format, replaced: true, replacement: env });
  });
  return { output: edits.length ? applyEdits(source, edits) : source, found };
}

function templateText(text: string): string {
  return text.replace(/[`\\]|\$\{/g, (m) => `\\${m}`);
}

function literalValue(node: any): string | undefined {
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0)
    return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** Local names bound to AI SDK client classes (`import OpenAI from 'openai'`), with their env var. */
function aiSdkClasses(program: any): Map<string, { envName: string; gemini: boolean }> {
  const classes = new Map<string, { envName: string; gemini: boolean }>();
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration') continue;
    const envName = KEY_ENV_BY_PACKAGE[statement.source.value];
    if (!envName) continue;
    for (const specifier of statement.specifiers ?? [])
      classes.set(specifier.local.name, { envName, gemini: envName === 'GEMINI_API_KEY' });
  }
  return classes;
}

/**
 * The SDK client a literal configures, when it is the key argument: `new OpenAI({ apiKey: … })`,
 * `new GoogleGenerativeAI('…')`. Undefined for any other literal.
 */
function sdkOptionOf(
  node: any,
  ancestors: any[],
  classes: Map<string, { envName: string; gemini: boolean }>,
): { envName: string; gemini: boolean; option: boolean } | undefined {
  const [parent, grandparent, above] = [ancestors.at(-1), ancestors.at(-2), ancestors.at(-3)];
  const isKeyProperty =
    parent?.type === 'ObjectProperty' &&
    parent.value === node &&
    KEY_OPTIONS.has(parent.key?.name ?? parent.key?.value);
  const owner =
    isKeyProperty &&
    grandparent?.type === 'ObjectExpression' &&
    above?.type === 'NewExpression' &&
    above.arguments[0] === grandparent
      ? above
      : parent?.type === 'NewExpression' && parent.arguments[0] === node
        ? parent
        : undefined;
  const name = owner?.callee?.type === 'Identifier' ? owner.callee.name : owner?.callee?.property?.name;
  const sdk = name ? classes.get(name) : undefined;
  return sdk && { ...sdk, option: isKeyProperty };
}

function visitWithAncestors(node: any, ancestors: any[], visit: (node: any, ancestors: any[]) => void): void {
  visit(node, ancestors);
  ancestors.push(node);
  forEachChild(node, (child) => visitWithAncestors(child, ancestors, visit));
  ancestors.pop();
}

/** The jscodeshift entry point: one file, judged on its own directive for client code. */
export function transformer(file: FileInfo, _api: API): string | undefined {
  if (
    !SOURCE.test(file.path) ||
    (!KEY_PREFIXES.some((p) => file.source.includes(p)) && !/api_?key|token/i.test(file.source))
  )
    return undefined;
  const { output } = replaceKeys(file.path, file.source, {
    client: () => topDirective(file.source) === 'use client',
    typescript: /\.(ts|tsx|mts|cts)$/.test(file.path),
  });
  return output === file.source ? undefined : output;
}

/**
 * Every JS/TS file of the project: keys replaced in server code, reported in browser code; the
 * env var names (never values) added to the app's env example; every key found reported, since
 * a key that was ever committed is in git history and must be revoked.
 */
export function run(ctx: StepContext): void {
  for (const path of ctx.model.files) {
    if (
      !(SOURCE.test(path) || path.endsWith('.py')) ||
      !ctx.overlay.containsAny(path, [...KEY_PREFIXES, 'apiKey', 'api_key'])
    )
      continue;
    const app = ctx.model.apps.filter((a) => isInside(path, a.root)).sort((a, b) => b.root.length - a.root.length)[0];
    let found: FoundKey[] = [];
    ctx.transformFile(path, (source) => {
      if (!mayHoldKey(source)) return undefined;
      if (path.endsWith('.py')) {
        const result = replacePythonKeys(source);
        found = result.found;
        return result.output;
      }
      // Whether the browser loads the file is asked only when it holds a key: it walks the imports.
      const result = replaceKeys(path, source, {
        client: () => ctx.model.graph.clientReach(path) !== undefined,
        typescript: /\.(ts|tsx|mts|cts)$/.test(path),
      });
      found = result.found;
      return result.output;
    });
    const root = app?.root ?? ctx.givenDirs.find((dir) => isInside(path, dir)) ?? dirname(path);
    for (const key of found) ctx.report(findingFor(path, key));
    const names = [...new Set(found.filter((k) => k.replaced).map((k) => k.envName))];
    if (names.length) addToEnvExample(ctx, root, names);
  }
}

/**
 * Whether a file is worth parsing: it has a string shaped like a provider key, or it uses an AI
 * SDK (whose key option may hold a placeholder). `sk-` alone is everywhere (`task-list`, `desk-`).
 */
function mayHoldKey(source: string): boolean {
  return (
    findKeyIn(source) !== undefined ||
    /\b(apiKey|api_key|GoogleGenerativeAI|GoogleGenAI|genai\.configure)\b/.test(source)
  );
}

function findingFor(file: string, key: FoundKey): Finding {
  const what = key.format ? `${key.format.provider} key ${key.shown}` : `${key.shown} passed as the key`;
  if (key.replaced) {
    return {
      ruleId: meta.ruleId,
      kind: key.format ? 'needs-human' : 'changed',
      severity: key.format ? 'critical' : 'medium',
      file,
      line: key.line,
      message: `${what} replaced with ${key.replacement}${key.format ? ': it is in your git history' : ''}`,
      problem: {
        message: `${what} is written in the code${key.format ? ': anyone who can read the repository can spend on it' : ''}`,
        severity: key.format ? 'critical' : 'medium',
      },
      fix: key.format
        ? `revoke it now (${key.format.console}) and create a new one; set ${key.envName} in your local env file and in your deployment's env vars`
        : `set ${key.envName} in your local env file and in your deployment's env vars`,
      ...(key.format ? { followsFix: true as const } : {}),
    };
  }
  return {
    ruleId: meta.ruleId,
    kind: 'needs-human',
    severity: key.format?.sharedWithPublicApis ? 'medium' : 'critical',
    file,
    line: key.line,
    message: `${what} left as it is: ${key.reason}`,
    fix:
      key.format && !key.format.sharedWithPublicApis
        ? `revoke it now (${key.format.console}); it is public already`
        : undefined,
  };
}

/** The env example beside the app (created as .env.example when it has none). */
function addToEnvExample(ctx: StepContext, root: string, names: string[]): void {
  const path = envExampleFor(root, ctx.overlay);
  const before = ctx.overlay.read(path);
  const after = addEnvNames(
    before,
    'AI provider keys: set the values in your local env file and in your deployment, never in code',
    names,
  );
  if (after !== undefined && after !== before) {
    ctx.overlay.write(path, after);
    ctx.report({
      ruleId: meta.ruleId,
      kind: 'changed',
      severity: 'info',
      file: path,
      message: `documented ${names.join(', ')} (names only)`,
    });
  }
}

export default defineStep({ meta, options, run, transformFile: transformer });
