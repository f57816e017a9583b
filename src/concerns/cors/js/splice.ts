import { summarize } from '../../../lang/js/ast.js';
import type { Edit } from '../../../core/edits.js';
import { indentAt, statement, type CodeStyle } from '../../../core/style.js';

// Text splices the CORS rewrites share: free names, whole statements replaced or removed, list items
// dropped, a first property added, all in the file's own style.

/** The first of `candidates` (then numbered after the last) that `taken` says is free. */
export function freeName(taken: (name: string) => boolean, candidates: string[]): string {
  for (const name of candidates) if (!taken(name)) return name;
  const last = candidates[candidates.length - 1]!;
  for (let i = 2; ; i++) if (!taken(`${last}${i}`)) return `${last}${i}`;
}

/** A name for a new local in `fn`: unused there, and not one we already added to it. */
export function freeLocal(fn: any, introduced: Map<any, Set<string>>, candidates: string[]): string {
  const ours = introduced.get(fn) ?? new Set<string>();
  introduced.set(fn, ours);
  const name = freeName((n) => summarize(fn).names.has(n) || ours.has(n), candidates);
  ours.add(name);
  return name;
}

/** A statement in the file's style, with a semicolon anyway when the code that follows needs one. */
export function terminated(code: string, style: CodeStyle, after: string): string {
  return style.semi || /^\s*(?:[([`+-]|\/(?![/*]))/.test(after) ? `${code};` : code;
}

/**
 * Replaces a statement by `lines`, each on its own line at the statement's indentation (on one line when it shared
 * its line).
 */
export function replaceStatement(source: string, stmt: any, lines: string[], style: CodeStyle): Edit {
  const lineStart = source.lastIndexOf('\n', stmt.start - 1) + 1;
  const rest = /^[^\r\n]*/.exec(source.slice(stmt.end))![0];
  const ownLine = /^[ \t]*$/.test(source.slice(lineStart, stmt.start)) && /^\s*(\/\/.*)?$/.test(rest);
  if (!ownLine) return { start: stmt.start, end: stmt.end, text: lines.map((line) => `${line};`).join(' ') };
  const indent = indentAt(source, stmt.start);
  const text = lines
    .map((line, i) =>
      i === lines.length - 1 ? terminated(line, style, source.slice(stmt.end)) : statement(line, style),
    )
    .join(style.eol + indent);
  return { start: stmt.start, end: stmt.end, text };
}

/** Removes a statement, with its line when it has one to itself. */
export function removeStatement(source: string, stmt: any): Edit {
  const lineStart = source.lastIndexOf('\n', stmt.start - 1) + 1;
  const after = /^[ \t]*(\/\/[^\r\n]*)?\r?\n/.exec(source.slice(stmt.end));
  if (/^[ \t]*$/.test(source.slice(lineStart, stmt.start)) && after)
    return { start: lineStart, end: stmt.end + after[0].length, text: '' };
  return { start: stmt.start, end: stmt.end, text: '' };
}

/**
 * Removes items of a comma-separated list (array elements, object properties) with their commas:
 * each run of neighbours as one edit, whole lines when the run has its lines to itself.
 */
export function removeListItems(source: string, items: any[], remove: any[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 0; i < items.length; i++) {
    if (!remove.includes(items[i])) continue;
    let j = i;
    while (j + 1 < items.length && remove.includes(items[j + 1])) j++;
    const [first, last, prev, next] = [items[i], items[j], items[i - 1], items[j + 1]];
    const lineStart = source.lastIndexOf('\n', first.start - 1) + 1;
    const after = /^[ \t]*(?:,[ \t]*)?(\/\/[^\r\n]*)?\r?\n/.exec(source.slice(last.end));
    if (/^[ \t]*$/.test(source.slice(lineStart, first.start)) && after)
      edits.push({ start: lineStart, end: last.end + after[0].length, text: '' });
    else if (next) edits.push({ start: first.start, end: next.start, text: '' });
    else if (prev) edits.push({ start: prev.end, end: last.end, text: '' });
    else
      edits.push({
        start: first.start,
        end: last.end + (/^\s*,\s*/.exec(source.slice(last.end))?.[0].length ?? 0),
        text: '',
      });
    i = j;
  }
  return edits;
}

/** Inserts a property first in an object literal: on its own line when the first property has one. */
export function insertFirstProperty(source: string, object: any, code: string, style: CodeStyle): Edit {
  const first = object.properties[0];
  if (!first) return { start: object.start, end: object.end, text: `{ ${code} }` };
  const lineStart = source.lastIndexOf('\n', first.start - 1) + 1;
  const ownLine = /^[ \t]*$/.test(source.slice(lineStart, first.start));
  return {
    start: first.start,
    end: first.start,
    text: ownLine ? `${code},${style.eol}${indentAt(source, first.start)}` : `${code}, `,
  };
}
