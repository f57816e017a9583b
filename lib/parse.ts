import { extname } from 'node:path';
import jscodeshift, { type JSCodeshift } from 'jscodeshift';

export const JS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * The parser for a file, by its extension: tsx only where JSX is allowed in TypeScript (a `.ts`
 * file may use `<T>x` casts that tsx rejects), babel with JSX for JavaScript flavours.
 */
export function parserFor(path: string): 'tsx' | 'ts' | 'babel' | undefined {
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

const cache = new Map<string, JSCodeshift>();

export function jscodeshiftFor(path: string): JSCodeshift {
  const parser = parserFor(path) ?? 'babel';
  let j = cache.get(parser);
  if (!j) cache.set(parser, (j = jscodeshift.withParser(parser)));
  return j;
}

export class ParseError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
  }
}

/** Throws a ParseError (with the line, when the parser knows it) if `source` does not parse. */
export function assertParses(path: string, source: string): void {
  if (!parserFor(path)) {
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
    jscodeshiftFor(path)(source);
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
