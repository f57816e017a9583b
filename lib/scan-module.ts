import { findAiHost } from './ai-providers.js';

export interface ModuleScan {
  /** Every module specifier the file imports, re-exports or requires. */
  specifiers: string[];
  /** An AI API host named in a string literal (a raw fetch to the provider). */
  aiHost?: string;
  /** A top-level 'use server' / 'use client' directive. */
  directive?: 'use server' | 'use client';
}

// One pass over the source that consumes comments and strings whole, so an `import` inside a
// template string (a code generator) or a comment is never taken for a real one. This is the
// cheap look every file gets; only route files are parsed into an AST.
const TOKENS =
  /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'((?:\\.|[^'\\\n])*)'|"((?:\\.|[^"\\\n])*)"|`((?:\\[\s\S]|[^`\\])*)`|\b(?:import|export)\s[^;'"`()]*?\bfrom\s*(['"])([^'"\n]+)\4|\bimport\s*(['"])([^'"\n]+)\6|\b(?:require|import)\s*\(\s*(['"])([^'"\n]+)\8\s*\)/g;

export function scanModule(source: string): ModuleScan {
  const specifiers: string[] = [];
  let aiHost: string | undefined;
  for (const match of source.matchAll(TOKENS)) {
    const specifier = match[5] ?? match[7] ?? match[9];
    if (specifier !== undefined) {
      specifiers.push(specifier);
      continue;
    }
    const literal = match[1] ?? match[2] ?? match[3];
    if (literal !== undefined && !aiHost) aiHost = findAiHost(literal);
  }
  return { specifiers, aiHost, directive: topDirective(source) };
}

/** The directive prologue: leading comments, then 'use server' or 'use client'. */
export function topDirective(source: string): ModuleScan['directive'] {
  const match = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*(['"])(use server|use client)\1/.exec(source);
  return match ? (match[2] as ModuleScan['directive']) : undefined;
}

/**
 * The source with comments and the insides of strings and template literals blanked out (same
 * length, newlines kept), so that a text search sees only code: `export function POST` written
 * inside a template string is not an export.
 */
export function blankStringsAndComments(source: string): string {
  return source.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\[\s\S]|[^`\\])*`/g, (token) =>
    token.replace(/[^\n]/g, ' '),
  );
}
