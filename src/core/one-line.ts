/**
 * Code on one line, for a finding's message: a line break (and the blanks around it) after an
 * opening bracket or before a closing one is dropped, with a trailing comma before the closing
 * one; any other run of whitespace becomes one space. Shortened to `max` characters with `…`.
 *
 *   cors({\n  origin: '*',\n})  →  cors({origin: '*'})
 *
 * One pass, stopping once past `max`: the regular expressions this replaces rescanned every run
 * of blank lines from each of its characters.
 */
export function codeOnOneLine(code: string, max: number): string {
  let out = '';
  for (let i = 0; i < code.length && out.length <= max + 1; ) {
    if (!/\s/.test(code[i]!)) {
      out += code[i++];
      continue;
    }
    let end = i;
    let lineBreak = false;
    for (; end < code.length && /\s/.test(code[end]!); end++) if (code[end] === '\n') lineBreak = true;
    const next = code[end];
    if (lineBreak && next !== undefined && ')]}'.includes(next)) out = out.endsWith(',') ? out.slice(0, -1) : out;
    else if (!(lineBreak && out && '([{'.includes(out.at(-1)!))) out += ' ';
    i = end;
  }
  out = out.trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
