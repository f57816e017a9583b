import { ParseError } from '../../core/parse-error.js';
import { parsePython, pythonSyntaxError, type PythonNode } from '../../lang/python/parse.js';
import { maskSecret } from '../../core/secrets.js';
import type { FoundKey } from './literals.js';
import { applyEdits, type Edit } from '../../core/edits.js';
import { findKeyIn, isPlaceholder } from './literals.js';
import { detectPythonStyle, PythonImports } from '../../lang/python/imports.js';

// hardcoded-keys for Python: the same findings as for JavaScript, with os.environ.

/** SDK clients (by the name called) and the env var each reads its key from. */
const PY_CLIENTS: Record<string, string> = {
  OpenAI: 'OPENAI_API_KEY',
  AsyncOpenAI: 'OPENAI_API_KEY',
  AzureOpenAI: 'AZURE_OPENAI_API_KEY',
  ChatOpenAI: 'OPENAI_API_KEY',
  Anthropic: 'ANTHROPIC_API_KEY',
  AsyncAnthropic: 'ANTHROPIC_API_KEY',
  ChatAnthropic: 'ANTHROPIC_API_KEY',
  Groq: 'GROQ_API_KEY',
  AsyncGroq: 'GROQ_API_KEY',
  Mistral: 'MISTRAL_API_KEY',
  Together: 'TOGETHER_API_KEY',
  'genai.Client': 'GEMINI_API_KEY',
  'genai.configure': 'GOOGLE_API_KEY',
  ChatGoogleGenerativeAI: 'GOOGLE_API_KEY',
  'cohere.Client': 'COHERE_API_KEY',
  'cohere.ClientV2': 'COHERE_API_KEY',
};
const KEY_KEYWORDS = new Set(['api_key', 'openai_api_key', 'anthropic_api_key', 'google_api_key', 'groq_api_key']);

/**
 * The SDK call a string configures as its key (`OpenAI(api_key="…")`), with the env var and whether Gemini uses
 * it.
 */
function sdkCallOf(node: PythonNode): { envName: string; gemini: boolean } | undefined {
  const argument = node.parent;
  if (argument?.type !== 'keyword_argument' || !KEY_KEYWORDS.has(argument.childForFieldName('name')?.text ?? ''))
    return undefined;
  const call = argument.parent?.parent;
  if (call?.type !== 'call') return undefined;
  const callee = call.childForFieldName('function')?.text ?? '';
  const name = Object.keys(PY_CLIENTS).find((client) => callee === client || callee.endsWith(`.${client}`));
  return name
    ? { envName: PY_CLIENTS[name]!, gemini: name.startsWith('genai.') || name === 'ChatGoogleGenerativeAI' }
    : undefined;
}

/**
 * Replaces keys in Python string literals with `os.environ["NAME"]` (adding `import os` when the
 * module lacks it); a key inside a larger string becomes an f-string. f-strings that already
 * interpolate, and bytes, are reported, not rewritten.
 */
export function replacePythonKeys(source: string): { output: string; found: FoundKey[] } {
  const tree = parsePython(source);
  // tree-sitter always returns a tree; a broken file is reported, never edited.
  const error = pythonSyntaxError(tree);
  if (error) throw new ParseError(error.message, error.line);
  const edits: Edit[] = [];
  const found: FoundKey[] = [];
  const visit = (node: PythonNode): void => {
    if (node.type === 'string') handleString(node);
    for (const child of node.namedChildren) if (child) visit(child);
  };
  const handleString = (node: PythonNode): void => {
    const start = node.children.find((c) => c?.type === 'string_start');
    const end = node.children.find((c) => c?.type === 'string_end');
    if (!start || !end) return;
    const content = source.slice(start.endIndex, end.startIndex);
    const embedded = findKeyIn(content);
    const sdk = sdkCallOf(node);
    if (!embedded && !(sdk && isPlaceholder(content))) return;
    const line = node.startPosition.row + 1;
    const format = embedded?.format;
    const key = embedded?.key ?? content;
    const shown = format
      ? maskSecret(key)
      : `placeholder "${content.length > 24 ? `${content.slice(0, 20)}…` : content}"`;
    if (format?.sharedWithPublicApis && !sdk?.gemini) {
      found.push({
        line,
        envName: format.envName,
        shown,
        format,
        replaced: false,
        reason:
          'a Google API key outside a Gemini client: it may be a public key (Maps, Firebase); if Gemini uses it, move it to GEMINI_API_KEY',
      });
      return;
    }
    const envName = sdk?.envName ?? format!.envName;
    const prefix = start.text.replace(/["']+$/, '').toLowerCase();
    const quote = start.text.slice(prefix.length);
    if (prefix.includes('b') || node.children.some((c) => c?.type === 'interpolation')) {
      found.push({
        line,
        envName,
        shown,
        format,
        replaced: false,
        reason: 'inside a bytes or f-string: replace it by hand with os.environ',
      });
      return;
    }
    const q = quote[0]!;
    const other = q === '"' ? "'" : '"';
    const whole = !embedded || embedded.key === content;
    const text = whole
      ? `os.environ[${q}${envName}${q}]`
      : `f${quote}${braces(content.slice(0, embedded.index))}{os.environ[${other}${envName}${other}]}${braces(content.slice(embedded.index + embedded.key.length))}${quote}`;
    edits.push({ start: node.startIndex, end: node.endIndex, text });
    found.push({ line, envName, shown, format, replaced: true, replacement: `os.environ[${q}${envName}${q}]` });
  };
  visit(tree.rootNode);
  if (!edits.length) return { output: source, found };
  const imports = new PythonImports(tree.rootNode, detectPythonStyle(source));
  imports.module('os');
  edits.push(...imports.edits(source));
  return { output: applyEdits(source, edits), found };
}

function braces(text: string): string {
  return text.replace(/[{}]/g, (b) => b + b);
}
