import { describe, expect, it } from 'vitest';
import { codeOnOneLine } from '../../../src/core/one-line.js';
import { afterLeadingComments, blankStringsAndComments, tokens } from '../../../src/lang/js/lexer.js';
import { parseMarker } from '../../../src/report/suppress.js';

const kinds = (source: string) => [...tokens(source)].map((t) => [t.kind, source.slice(t.start, t.end)]);

describe('the JS lexer', () => {
  it('finds comments, strings and templates', () => {
    expect(kinds("import a from 'a'; // x\n/* 'b' */ const t = `c ${d}`;")).toEqual([
      ['string', "'a'"],
      ['line-comment', '// x'],
      ['block-comment', "/* 'b' */"],
      ['template', '`c ${d}`'],
    ]);
  });

  it('reads a quote the line ends before it closes as code, as JavaScript would fail it', () => {
    expect(kinds("const a = 'open\nconst b = 'shut';")).toEqual([['string', "'shut'"]]);
    expect(kinds("const a = 'line \\\ncontinued';")).toEqual([]);
  });

  it('takes escaped quotes inside a string, and none of a run of them when the string never closes', () => {
    expect(kinds("'it\\'s'")).toEqual([['string', "'it\\'s'"]]);
    expect(kinds(`'${"\\'".repeat(1000)}\nx`)).toEqual([]);
  });

  it('leaves a `/*` and a backtick that never close as code', () => {
    expect(kinds('a /* b /* c')).toEqual([]);
    expect(kinds('a ` b')).toEqual([]);
  });

  it('blanks comments and strings, keeping every offset and line break', () => {
    const source = "x('a'); // b\ny(`c\nd`);";
    const blanked = blankStringsAndComments(source);
    expect(blanked).toBe('x(   );     \ny(  \n  );');
    expect(blanked.length).toBe(source.length);
  });

  it('finds where the code starts: past a #! line, blanks and comments', () => {
    const source = "#!/usr/bin/env node\n// a\n/* b */\n'use client';";
    expect(source.slice(afterLeadingComments(source))).toBe("'use client';");
    expect(afterLeadingComments('/* never closed')).toBe('/* never closed'.length);
  });
});

describe('codeOnOneLine', () => {
  it('drops line breaks inside brackets and a trailing comma, and collapses other whitespace', () => {
    expect(codeOnOneLine("cors({\n  origin: '*',\n  credentials:   true,\n})", 100)).toBe(
      "cors({origin: '*', credentials: true})",
    );
  });

  it('shortens to the limit with an ellipsis', () => {
    expect(codeOnOneLine('a'.repeat(50), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});

describe('parseMarker', () => {
  it('reads the rule and the reason in each comment style', () => {
    expect(parseMarker('x(); // ai-secure-ignore: cors public read-only API')).toEqual({
      rule: 'cors',
      reason: 'public read-only API',
    });
    expect(parseMarker('{/* ai-secure-ignore: ai-secure/cors demo page */}')).toEqual({
      rule: 'ai-secure/cors',
      reason: 'demo page',
    });
    expect(parseMarker('# ai-secure-ignore: fastapi-ratelimit')).toEqual({ rule: 'fastapi-ratelimit' });
  });

  it('is no marker outside a comment, or with a reason that holds a `*`', () => {
    expect(parseMarker("const s = 'ai-secure-ignore: cors x';")).toBeUndefined();
    expect(parseMarker('// ai-secure-ignore: cors a * b')).toBeUndefined();
  });
});
