// The check every changed file passes before it is written: it must still parse in its language
// (JS/TS with Babel, Python with tree-sitter once loaded, JSON), or the runner reverts it.
import { basename } from 'node:path';
import { lazyRequire } from '../core/lazy-require.js';
import { ParseError, toParseError } from '../core/parse-error.js';
import { parserFor, parseSource } from '../lang/js/parse.js';
import { isPythonParserLoaded, parsePython, pythonSyntaxError } from '../lang/python/parse.js';

const jsonc = lazyRequire<typeof import('jsonc-parser')>('jsonc-parser');
/** JSON files their readers take with comments (Vercel, TypeScript): checked as those readers parse them. */
const JSON_WITH_COMMENTS = /^(vercel\.json|[jt]sconfig(\..+)?\.json)$/;

/** Throws a ParseError (with the line, when the parser knows it) if `source` does not parse. */
export function assertParses(path: string, source: string): void {
  if (!parserFor(path)) {
    if (path.endsWith('.py') && isPythonParserLoaded()) {
      const error = pythonSyntaxError(parsePython(source));
      if (error) throw new ParseError(error.message, error.line);
    }
    if (JSON_WITH_COMMENTS.test(basename(path))) {
      const errors: import('jsonc-parser').ParseError[] = [];
      jsonc().parse(source, errors, { allowTrailingComma: false });
      if (errors.length) throw new ParseError(`invalid JSON: ${jsonc().printParseErrorCode(errors[0]!.error)}`);
    } else if (path.endsWith('.json')) {
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
