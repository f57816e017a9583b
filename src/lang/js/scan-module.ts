import { findAiHost, isAiKeyName } from '../../knowledge/ai-providers.js';
import { afterLeadingComments, blankStringsAndComments, tokens, type Token } from './lexer.js';

export { blankStringsAndComments };

/** One import, re-export or require of a module, with the names it takes (`'*'`: all or unknown). */
export interface ModuleImport {
  specifier: string;
  names: string[] | '*';
}

export interface ModuleScan {
  /** Every module the file imports, re-exports or requires at run time (type-only imports are not). */
  imports: ModuleImport[];
  /** An AI API host named in a string literal (a raw fetch to the provider). */
  aiHost?: string;
  /**
   * An AI provider's key read from the environment in a module that makes HTTP requests
   * (`fetch(\`${process.env.OPENAI_ENDPOINT}/…\`, { headers: { Authorization: \`Bearer ${process.env.OPENAI_API_KEY}\` } })`):
   * a paid call whose host we cannot read.
   */
  aiKey?: string;
  /** A top-level 'use server' / 'use client' directive. */
  directive?: 'use server' | 'use client';
}

// One pass over the source that takes comments and strings whole (lexer.ts), so an `import` inside a
// template string (a code generator) or a comment is never taken for a real one. This is the
// cheap look every file gets; only route files are parsed into an AST. A module specifier is a
// string token; what makes it one is the code just before it (`import … from`, `import`,
// `require(`), read backwards from the string and never past the token before it.
export function scanModule(source: string): ModuleScan {
  const imports: ModuleImport[] = [];
  let aiHost: string | undefined;
  const found = [...tokens(source)];
  const code = blankStringsAndComments(source, found);
  let previousEnd = 0;
  for (const token of found) {
    if (token.kind === 'string' || token.kind === 'template') {
      const found = token.kind === 'string' ? importOf(code, previousEnd, token) : undefined;
      if (found) imports.push(found);
      else if (found === undefined && !aiHost) aiHost = findAiHost(token.body!);
      previousEnd = token.end;
    }
  }
  return { imports, aiHost, aiKey: aiKeyWithRequests(code, source), directive: topDirective(source) };
}

/**
 * The first AI key env var the module reads, when its code also makes HTTP requests (fetch,
 * axios). Read in the source, not the blanked code: the key usually sits in a template literal.
 */
function aiKeyWithRequests(code: string, source: string): string | undefined {
  if (!/\bfetch\s*\(|\baxios\b/.test(code)) return undefined;
  for (const [, name] of source.matchAll(/\bprocess\.env\.([A-Z][A-Z0-9_]*)/g)) if (isAiKeyName(name!)) return name;
  return undefined;
}

/**
 * The import whose specifier is the string `token`, reading `code` (comments blanked) back to
 * `floor`; null for an import of types only (it calls nothing), undefined for a string that is no specifier.
 */
function importOf(code: string, floor: number, token: Token): ModuleImport | null | undefined {
  const specifier = token.body!;
  if (!specifier || /['"\n]/.test(specifier)) return undefined;
  let i = skipSpaceBack(code, token.start, floor);
  if (code[i - 1] === '(') {
    // `require('x')` or `import('x')`: whatever it uses
    const keywordEnd = skipSpaceBack(code, i - 1, floor);
    const called = wordBefore(code, keywordEnd, floor);
    return (called === 'require' || called === 'import') && closesCall(code, token.end)
      ? { specifier, names: '*' }
      : undefined;
  }
  const word = wordBefore(code, i, floor);
  if (word === 'import') return { specifier, names: [] }; // `import 'x'`: for its side effects
  if (word !== 'from') return undefined;
  // `import … from` / `export … from`: the clause holds no `;`, quote or parenthesis.
  i -= word.length;
  let clauseStart = i;
  while (clauseStart > floor && !CLAUSE_ENDS.has(code[clauseStart - 1]!)) clauseStart--;
  const keyword = /\b(import|export)\s/.exec(code.slice(clauseStart, i));
  if (!keyword) return undefined;
  const clause = code.slice(clauseStart + keyword.index + keyword[0].length, i);
  const names = importedNames(keyword[1]!, clause);
  return names ? { specifier, names } : null;
}

const CLAUSE_ENDS = new Set([';', "'", '"', '`', '(', ')']);

function skipSpaceBack(code: string, from: number, floor: number): number {
  let i = from;
  while (i > floor && /\s/.test(code[i - 1]!)) i--;
  return i;
}

/** The identifier that ends at `end`, when it is a whole word there. */
function wordBefore(code: string, end: number, floor: number): string {
  let start = end;
  while (start > floor && /[\w$]/.test(code[start - 1]!)) start--;
  return code.slice(start, end);
}

/** `)` after the specifier, past spaces (and blanked comments). */
function closesCall(code: string, from: number): boolean {
  let i = from;
  while (i < code.length && /\s/.test(code[i]!)) i++;
  return code[i] === ')';
}

/**
 * The names an `import … from` / `export … from` clause takes, or undefined when it takes types
 * only (`import type`, `import { type A }`): those vanish at compile time and call nothing.
 */
function importedNames(keyword: string, clause: string): string[] | '*' | undefined {
  const text = clause.trim();
  if (/^type\b/.test(text)) return undefined;
  if (text.startsWith('*')) return '*';
  const names: string[] = [];
  const open = text.indexOf('{');
  const close = open === -1 ? -1 : text.indexOf('}', open);
  const braces = close === -1 ? undefined : text.slice(open + 1, close);
  const head = (braces === undefined ? text : text.slice(0, open)).trim().replace(/,$/, '').trim();
  if (head && keyword === 'import') {
    if (head.includes('*')) return '*';
    names.push('default');
  }
  for (const part of braces?.split(',') ?? []) {
    const item = part.trim();
    if (!item || /^type\s/.test(item)) continue;
    names.push(item.split(/\sas\s/)[0]!.trim());
  }
  return names.length ? names : undefined;
}

/** The directive prologue: leading comments, then 'use server' or 'use client'. */
export function topDirective(source: string): ModuleScan['directive'] {
  const at = afterLeadingComments(source);
  const match = /^(['"])(use server|use client)\1/.exec(source.slice(at, at + 12));
  return match ? (match[2] as ModuleScan['directive']) : undefined;
}
