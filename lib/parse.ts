import { extname } from 'node:path';
import type { ParserOptions, ParserPlugin } from '@babel/parser';
import { lazyRequire } from './lazy-require.js';
import { isPythonParserLoaded, parsePython, pythonSyntaxError } from './python.js';

const babel = lazyRequire<typeof import('@babel/parser')>('@babel/parser');

type ParserName = 'tsx' | 'ts' | 'babel';

/**
 * The parser for a file, by its extension: tsx only where JSX is allowed in TypeScript (a `.ts`
 * file may use `<T>x` casts that tsx rejects), Babel with JSX (and Flow annotations) for
 * JavaScript flavours: the parsers jscodeshift offers as tsx, ts and babylon.
 */
export function parserFor(path: string): ParserName | undefined {
  switch (extname(path)) {
    case '.tsx':
      return 'tsx';
    case '.ts':
    case '.mts':
    case '.cts':
      return 'ts';
    case '.js':
    case '.jsx':
    case '.mjs':
    case '.cjs':
      return 'babel';
    default:
      return undefined;
  }
}

const PLUGINS: Record<ParserName, ParserPlugin[]> = {
  tsx: ['typescript', 'jsx', 'decorators-legacy'],
  ts: ['typescript', 'decorators-legacy'],
  babel: ['jsx', 'flow', 'decorators-legacy', 'exportDefaultFrom'],
};

/**
 * The Babel AST of a source file. Babel directly, not through recast: recast hands the parser a
 * copy with tabs expanded and line endings normalised, so its node offsets do not index the real
 * text. Ours do, so edits are exact splices. No token list: we never reprint.
 */
export function parseSource(path: string, source: string): any {
  const options: ParserOptions = {
    sourceType: 'module',
    allowImportExportEverywhere: true,
    allowReturnOutsideFunction: true,
    plugins: PLUGINS[parserFor(path) ?? 'babel'],
  };
  return babel().parse(source, options);
}

export class ParseError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
  }
}

/** Throws a ParseError (with the line, when the parser knows it) if `source` does not parse. */
export function assertParses(path: string, source: string): void {
  if (!parserFor(path)) {
    if (path.endsWith('.py') && isPythonParserLoaded()) {
      const error = pythonSyntaxError(parsePython(source));
      if (error) throw new ParseError(error.message, error.line);
    }
    if (path.endsWith('.json')) {
      try {
        JSON.parse(source);
      } catch (error) {
        throw new ParseError(`invalid JSON: ${(error as Error).message}`);
      }
    }
    return;
  }
  try {
    parseSource(path, source);
  } catch (error) {
    throw toParseError(error);
  }
}

export function toParseError(error: unknown): ParseError {
  if (error instanceof ParseError) return error;
  const err = error as { message?: string; loc?: { line?: number }; lineNumber?: number };
  const line = err.loc?.line ?? err.lineNumber;
  const message = String(err.message ?? error).replace(/\s*\(\d+:\d+\)$/, '');
  return new ParseError(message, line);
}
