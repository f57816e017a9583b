/** How a file writes code, so the lines we insert look like the user's own. */
export interface CodeStyle {
  quote: "'" | '"';
  semi: boolean;
  indent: string;
  eol: '\n' | '\r\n';
}

export const DEFAULT_STYLE: CodeStyle = { quote: "'", semi: true, indent: '  ', eol: '\n' };

const STATEMENT_LINE = /^\s*(import\s|export\s+(const|let|default)\s|const\s|let\s|var\s|return\b|await\s|throw\s)/;

export function detectStyle(source: string, fallback: CodeStyle = DEFAULT_STYLE): CodeStyle {
  const lines = source.split(/\r?\n/).slice(0, 400);
  return {
    eol: source.includes('\r\n') ? '\r\n' : source.includes('\n') ? '\n' : fallback.eol,
    quote: detectQuote(source) ?? fallback.quote,
    semi: detectSemi(lines) ?? fallback.semi,
    indent: detectIndent(lines) ?? fallback.indent,
  };
}

function detectQuote(source: string): CodeStyle['quote'] | undefined {
  // Module specifiers are the most reliable sample: every file has some, and Prettier sets them.
  const fromImports = [...source.matchAll(/\b(?:from|import|require\()\s*(['"])/g)].map((m) => m[1]);
  const sample = fromImports.length
    ? fromImports
    : [...source.matchAll(/(?:^|[(,=:\s])(['"])[^'"\n]*\1/gm)].map((m) => m[1]);
  if (!sample.length) return undefined;
  const single = sample.filter((q) => q === "'").length;
  return single * 2 >= sample.length ? "'" : '"';
}

function detectSemi(lines: string[]): boolean | undefined {
  let withSemi = 0;
  let without = 0;
  for (const line of lines) {
    if (!STATEMENT_LINE.test(line)) continue;
    const comment = line.indexOf('//');
    const end = (comment === -1 ? line : line.slice(0, comment)).trimEnd();
    if (end.endsWith(';')) withSemi++;
    else if (!/[{([,=+\-*/?:&|.>]$/.test(end)) without++;
  }
  if (withSemi + without === 0) return undefined;
  return withSemi >= without;
}

function detectIndent(lines: string[]): string | undefined {
  let smallest: number | undefined;
  for (const line of lines) {
    const match = /^([ \t]+)\S/.exec(line);
    if (!match) continue;
    if (match[1]!.startsWith('\t')) return '\t';
    // Continuation lines of JSDoc (` * text`) are indented by one space: not the unit.
    if (line.trimStart().startsWith('*')) continue;
    if (smallest === undefined || match[1]!.length < smallest) smallest = match[1]!.length;
  }
  return smallest === undefined ? undefined : ' '.repeat(Math.min(smallest, 8));
}

/**
 * The spaces and tabs just before `offset` (the indent of a statement that starts there). A loop:
 * `/[ \t]*$/` on the text before it retried every run of blanks and was quadratic on long ones.
 */
export function blanksBefore(source: string, offset: number): string {
  let start = offset;
  while (start > 0 && (source[start - 1] === ' ' || source[start - 1] === '\t')) start--;
  return source.slice(start, offset);
}

/** The leading whitespace of the line that holds `offset`. */
export function indentAt(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))![0];
}

export function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

export function quoted(value: string, style: CodeStyle): string {
  return style.quote + value.replaceAll('\\', '\\\\').replaceAll(style.quote, `\\${style.quote}`) + style.quote;
}

/** A statement in the file's style: with or without its semicolon. */
export function statement(code: string, style: CodeStyle): string {
  return style.semi ? `${code};` : code;
}

// Strings, comments and template literals of our own templates, found in one pass so that a
// quote inside a comment ("don't") is never taken for a string.
const TEMPLATE_TOKENS = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|`(?:\\[\s\S]|[^`\\])*`|'((?:\\.|[^'\\\n])*)'|"(?:\\.|[^"\\\n])*"/g;

/**
 * Rewrites code we add (written with single quotes, semicolons, two-space indent and LF) in the
 * project's style. Only for our templates: they avoid the constructs where dropping semicolons
 * would change meaning (no line starts with `(`, `[` or a backtick), and a test holds them to it.
 */
export function restyle(code: string, style: CodeStyle): string {
  let out = code;
  if (style.quote === '"') {
    out = out.replace(TEMPLATE_TOKENS, (token, single: string | undefined) =>
      single !== undefined && !single.includes('"') ? `"${single.replaceAll("\\'", "'")}"` : token,
    );
  }
  if (!style.semi) out = out.replace(/;([ \t]*(?:\/\/[^\n]*)?)$/gm, '$1');
  if (style.indent !== '  ')
    out = out.replace(/^((?: {2})+)/gm, (lead: string) => style.indent.repeat(lead.length / 2));
  if (style.eol === '\r\n') out = out.replace(/\r?\n/g, '\r\n');
  return out;
}
