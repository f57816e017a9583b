// The cheap look at a JS/TS file that every file gets (only route files are parsed into an AST):
// where its comments, strings and template literals are, found in one left-to-right pass. It
// reads as the regular expressions it replaces did (a string ends at its line; a quote, `/*` or
// backtick that never closes is code), but those backtracked on hostile input (a file of `// //`
// lines, a line of escaped quotes, an unclosed comment) and this cannot: a token that failed to
// close tells us every later one of its kind fails too, so no character is read more than twice.
//
// Like them, it does not know regex literals or `${}` nesting in templates.

export type TokenKind = 'line-comment' | 'block-comment' | 'string' | 'template';

export interface Token {
  kind: TokenKind;
  start: number;
  /** Offset just past the token. */
  end: number;
  /** For strings and templates: the text between the quotes, escapes as written. */
  body?: string;
}

/** Every comment, string and template literal of `source`, in order. Code is what lies between them. */
export function* tokens(source: string): Generator<Token> {
  const length = source.length;
  // Past these offsets a `/*`, a backtick or a quote of that kind is known not to close.
  let commentsClose = true;
  let templatesClose = true;
  const stringFailsBefore = { [QUOTE]: -1, [DOUBLE_QUOTE]: -1 } as Record<number, number>;
  // Code between tokens is skipped by the regex engine (one search for the next `/`, quote or
  // backtick), not character by character: most of a file is code.
  const next = /[/'"`]/g;
  let i = 0;
  while (i < length) {
    next.lastIndex = i;
    const found = next.exec(source);
    if (!found) break;
    i = found.index;
    const c = source.charCodeAt(i);
    if (c === SLASH && source.charCodeAt(i + 1) === SLASH) {
      const end = lineEnd(source, i);
      yield { kind: 'line-comment', start: i, end };
      i = end;
    } else if (c === SLASH && source.charCodeAt(i + 1) === STAR && commentsClose) {
      const close = source.indexOf('*/', i + 2);
      if (close === -1) {
        commentsClose = false; // no `*/` after here: no later `/*` closes either
        i++;
        continue;
      }
      yield { kind: 'block-comment', start: i, end: close + 2 };
      i = close + 2;
    } else if ((c === QUOTE || c === DOUBLE_QUOTE) && i >= stringFailsBefore[c]!) {
      const end = stringEnd(source, i, c);
      if (end < 0) {
        // Every quote of this kind up to where it failed was escaped: each of those fails the same way.
        stringFailsBefore[c] = -end;
        i++;
        continue;
      }
      yield { kind: 'string', start: i, end, body: source.slice(i + 1, end - 1) };
      i = end;
    } else if (c === BACKTICK && templatesClose) {
      const end = templateEnd(source, i);
      if (end === -1) {
        templatesClose = false;
        i++;
        continue;
      }
      yield { kind: 'template', start: i, end, body: source.slice(i + 1, end - 1) };
      i = end;
    } else i++;
  }
}

const SLASH = 0x2f;
const STAR = 0x2a;
const QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

function lineEnd(source: string, from: number): number {
  const end = source.indexOf('\n', from);
  return end === -1 ? source.length : end;
}

/** Past the closing quote; when a line break or the end comes first, minus the offset it failed at. */
function stringEnd(source: string, start: number, quote: number): number {
  let i = start + 1;
  for (; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c === NEWLINE) return -i;
    if (c === BACKSLASH) {
      if (LINE_BREAKS.has(source.charCodeAt(i + 1))) return -(i + 1);
      i++;
    }
  }
  return -i;
}

/** `\.` in the regular expression it replaces: `.` takes no line terminator. */
const LINE_BREAKS = new Set([0x0a, 0x0d, 0x2028, 0x2029]);

/** Past the closing backtick, or -1 when none closes it. */
function templateEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === BACKTICK) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/**
 * The source with comments and the insides of strings and template literals blanked out (same
 * length, newlines kept), so that a text search sees only code: `export function POST` written
 * inside a template string is not an export.
 */
export function blankStringsAndComments(source: string, found: Iterable<Token> = tokens(source)): string {
  const parts: string[] = [];
  let at = 0;
  for (const token of found) {
    parts.push(source.slice(at, token.start), source.slice(token.start, token.end).replace(/[^\n]/g, ' '));
    at = token.end;
  }
  parts.push(source.slice(at));
  return parts.join('');
}

/**
 * Where the code starts: past whitespace and comments at the top of the file (and a `#!` line).
 * The directive prologue ('use client') and the first statement are found from here.
 */
export function afterLeadingComments(source: string): number {
  let i = source.startsWith('#!') ? lineEnd(source, 0) : 0;
  for (;;) {
    while (i < source.length && /\s/.test(source[i]!)) i++;
    if (source.startsWith('//', i)) i = lineEnd(source, i);
    else if (source.startsWith('/*', i)) {
      const close = source.indexOf('*/', i + 2);
      if (close === -1) return source.length;
      i = close + 2;
    } else return i;
  }
}
