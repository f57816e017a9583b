// A file that does not parse, in any language: the message and, when the parser knows it, the line.

export class ParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Any parser's error (Babel's `loc`, tree-sitter's line) as a ParseError, without the `(line:col)` tail. */
export function toParseError(error: unknown): ParseError {
  if (error instanceof ParseError) return error;
  const err = error as { message?: string; loc?: { line?: number }; lineNumber?: number };
  const line = err.loc?.line ?? err.lineNumber;
  const message = String(err.message ?? error).replace(/\s*\(\d+:\d+\)$/, '');
  return new ParseError(message, line);
}
