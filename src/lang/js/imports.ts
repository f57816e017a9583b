import { summarize } from './ast.js';
import type { Edit } from '../../core/edits.js';
import { quoted, statement, type CodeStyle } from '../../core/style.js';

/** Whether the module already uses `name` anywhere (a binding or a reference). */
export function bindsName(program: any, name: string): boolean {
  return summarize(program).identifiers.has(name);
}

/**
 * Edits that import `names` from `specifier`: added to an existing import of that module, or as
 * a new line after the last import (a `require` in a CommonJS file), in the file's style.
 */
export function addImport(
  program: any,
  source: string,
  specifier: string,
  names: { name: string; local: string }[],
  style: CodeStyle,
): Edit[] {
  if (!names.length) return [];
  const imports = program.body.filter((s: any) => s.type === 'ImportDeclaration');
  const printed = names.map(({ name, local }) => (name === local ? name : `${name} as ${local}`));

  const existing = imports.find(
    (s: any) =>
      s.source.value === specifier &&
      s.importKind !== 'type' &&
      s.specifiers?.some((x: any) => x.type === 'ImportSpecifier'),
  );
  if (existing) {
    const lastNamed = [...existing.specifiers].reverse().find((x: any) => x.type === 'ImportSpecifier');
    return [{ start: lastNamed.end, end: lastNamed.end, text: `, ${printed.join(', ')}` }];
  }

  const commonJs =
    !imports.length && !program.body.some((s: any) => s.type.startsWith('Export')) && /\brequire\s*\(/.test(source);
  const line = commonJs
    ? statement(
        `const { ${names.map(({ name, local }) => (name === local ? name : `${name}: ${local}`)).join(', ')} } = require(${quoted(specifier, style)})`,
        style,
      )
    : statement(`import { ${printed.join(', ')} } from ${quoted(specifier, style)}`, style);

  const requires = commonJs
    ? program.body.filter(
        (s: any) =>
          s.type === 'VariableDeclaration' &&
          s.declarations.every((d: any) => d.init?.type === 'CallExpression' && d.init.callee?.name === 'require'),
      )
    : [];
  const anchor =
    imports[imports.length - 1] ?? requires[requires.length - 1] ?? program.directives?.[program.directives.length - 1];
  if (anchor) return [{ start: anchor.end, end: anchor.end, text: style.eol + line }];
  const first = program.body[0];
  // Keep a leading comment block (license, file header) above our import.
  const start = first ? leadingCommentsEnd(source, first.start) : 0;
  return [{ start, end: start, text: line + style.eol + (source.slice(start).startsWith(style.eol) ? '' : style.eol) }];
}

/**
 * The end of a leading comment block (license, file header) that a blank line separates from the
 * code, or of the `#!` line: our import goes below them. Lines that each hold one comment, then an
 * empty line; read line by line (a regular expression here backtracked on `// //` lines).
 */
function leadingCommentsEnd(source: string, firstStatement: number): number {
  const head = source.slice(0, firstStatement);
  const shebangEnd = head.startsWith('#!') ? head.indexOf('\n') + 1 : 0;
  let i = shebangEnd;
  let lines = 0;
  for (;;) {
    let j = skipBlanks(head, i);
    if (head.startsWith('//', j)) j = head.indexOf('\n', j);
    else if (head.startsWith('/*', j)) {
      const close = head.indexOf('*/', j + 2);
      j = close === -1 ? -1 : skipBlanks(head, close + 2);
      if (head[j] === '\r') j++;
      if (j !== -1 && head[j] !== '\n') j = -1;
    } else break;
    if (j === -1) break;
    i = j + 1;
    lines++;
  }
  const blank = head.startsWith('\r\n', i) ? 2 : head.startsWith('\n', i) ? 1 : 0;
  return lines && blank ? i + blank : shebangEnd;
}

/** Past spaces and tabs. */
function skipBlanks(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}
