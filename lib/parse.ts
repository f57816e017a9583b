import { createRequire } from 'node:module';
import { extname } from 'node:path';
import jscodeshift, { type JSCodeshift } from 'jscodeshift';

const require = createRequire(import.meta.url);
const getParser = require('jscodeshift/src/getParser.js') as (name: string) => { parse(code: string): any };

export const JS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * The parser for a file, by its extension: tsx only where JSX is allowed in TypeScript (a `.ts`
 * file may use `<T>x` casts that tsx rejects), Babel's own parser with JSX for JavaScript
 * flavours (jscodeshift's `babylon`; its `babel` parser gives ESTree nodes, another AST shape).
 */
export function parserFor(path: string): 'tsx' | 'ts' | 'babylon' | undefined {
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
      return 'babylon';
    default:
      return undefined;
  }
}

const cache = new Map<string, JSCodeshift>();

export function jscodeshiftFor(path: string): JSCodeshift {
  const parser = parserFor(path) ?? 'babylon';
  let j = cache.get(parser);
  if (!j) cache.set(parser, (j = jscodeshift.withParser(parser)));
  return j;
}

const parsers = new Map<string, { parse(code: string): any }>();

/**
 * The AST of a source file, from jscodeshift's own parser for its extension but without recast's
 * reprinting layer: recast hands the parser a copy with tabs expanded and line endings
 * normalised, so its node offsets do not index the real text. Ours do, so edits are exact splices.
 */
export function parseSource(path: string, source: string): any {
  const name = parserFor(path) ?? 'babylon';
  let parser = parsers.get(name);
  if (!parser) parsers.set(name, (parser = getParser(name)));
  return parser.parse(source);
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
