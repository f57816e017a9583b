import { findAiHost } from '../../knowledge/ai-providers.js';

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
  /** A top-level 'use server' / 'use client' directive. */
  directive?: 'use server' | 'use client';
}

// One pass over the source that consumes comments and strings whole, so an `import` inside a
// template string (a code generator) or a comment is never taken for a real one. This is the
// cheap look every file gets; only route files are parsed into an AST.
const TOKENS =
  /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'((?:\\.|[^'\\\n])*)'|"((?:\\.|[^"\\\n])*)"|`((?:\\[\s\S]|[^`\\])*)`|\b(import|export)\s([^;'"`()]*?)\bfrom\s*(['"])([^'"\n]+)\6|\bimport\s*(['"])([^'"\n]+)\8|\b(?:require|import)\s*\(\s*(['"])([^'"\n]+)\10\s*\)/g;

export function scanModule(source: string): ModuleScan {
  const imports: ModuleImport[] = [];
  let aiHost: string | undefined;
  for (const match of source.matchAll(TOKENS)) {
    if (match[7] !== undefined) {
      const names = importedNames(match[4]!, match[5]!);
      if (names) imports.push({ specifier: match[7], names });
    } else if (match[9] !== undefined) {
      imports.push({ specifier: match[9], names: [] }); // `import 'x'`: for its side effects
    } else if (match[11] !== undefined) {
      imports.push({ specifier: match[11], names: '*' }); // require() or import(): whatever it uses
    } else {
      const literal = match[1] ?? match[2] ?? match[3];
      if (literal !== undefined && !aiHost) aiHost = findAiHost(literal);
    }
  }
  return { imports, aiHost, directive: topDirective(source) };
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
  const braces = /\{([^}]*)\}/.exec(text);
  const head = (braces ? text.slice(0, braces.index) : text).replace(/,\s*$/, '').trim();
  if (head && keyword === 'import') {
    if (head.includes('*')) return '*';
    names.push('default');
  }
  for (const part of braces?.[1]?.split(',') ?? []) {
    const item = part.trim();
    if (!item || /^type\s/.test(item)) continue;
    names.push(item.split(/\s+as\s+/)[0]!.trim());
  }
  return names.length ? names : undefined;
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
  return source.replace(
    /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\[\s\S]|[^`\\])*`/g,
    (token) => token.replace(/[^\n]/g, ' '),
  );
}
