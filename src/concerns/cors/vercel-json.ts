import type { Node } from 'jsonc-parser';
import { lazyRequire } from '../../core/lazy-require.js';
import { applyEdits, type Edit } from '../../core/edits.js';
import type { CorsRewrite } from './result.js';
import { ACAC, ACAO } from './verdict.js';

const jsonc = lazyRequire<typeof import('jsonc-parser')>('jsonc-parser');

/**
 * vercel.json is JSON (with comments, as Vercel reads it), and its `headers` are sent by the
 * platform on every response under their `source`, over whatever the code answers. An open
 * `Access-Control-Allow-Origin` there on an API path is removed, like a static next.config header:
 * it cannot check the request's origin, and it would override the allowlist the routes now use.
 * On other paths (pages, files from public/ that may be meant for other sites) it is left, to a human.
 *
 * Before:
 *   { "headers": [{ "source": "/api/(.*)", "headers": [
 *       { "key": "Access-Control-Allow-Origin", "value": "*" },
 *       { "key": "Access-Control-Allow-Methods", "value": "GET,POST" } ] }] }
 * After:
 *   { "headers": [{ "source": "/api/(.*)", "headers": [
 *       { "key": "Access-Control-Allow-Methods", "value": "GET,POST" } ] }] }
 */
export function removeVercelCorsHeader(source: string): { output: string; results: CorsRewrite[] } {
  const root = jsonc().parseTree(source);
  const routes = root && member(root, 'headers');
  if (routes?.type !== 'array') return { output: source, results: [] };
  const results: CorsRewrite[] = [];
  const edits: Edit[] = [];
  const emptied: Node[] = [];
  for (const route of routes.children ?? []) {
    const headers = member(route, 'headers');
    if (headers?.type !== 'array') continue;
    const entries = headers.children ?? [];
    const open = entries.filter((e) => keyOf(e) === ACAO && member(e, 'value')?.value === '*');
    if (!open.length) continue;
    const path = String(member(route, 'source')?.value ?? '');
    const credentials = entries.some((e) => keyOf(e) === ACAC && String(member(e, 'value')?.value) === 'true');
    const line = source.slice(0, open[0]!.offset).split('\n').length;
    const severity = credentials ? 'critical' : 'high';
    if (!/^\/api(\/|\(|$)/.test(path)) {
      results.push({
        line,
        severity,
        changed: false,
        message: `vercel.json: Access-Control-Allow-Origin: * on ${path || 'a path we cannot read'}, not removed: it may serve pages or files meant for other sites; if it reaches server code, remove it and answer CORS in that code`,
      });
      continue;
    }
    if (open.length === entries.length) emptied.push(route);
    else edits.push(...removeItems(source, headers, open));
    results.push({
      line,
      severity,
      changed: true,
      message: `vercel.json: Access-Control-Allow-Origin: * lets any website call ${path}${credentials ? ' with credentials' : ''} → removed: the platform sends it on every response there, over what the routes answer`,
    });
  }
  // Vercel rejects a route with no headers: a route left with none goes whole.
  if (emptied.length) edits.push(...removeItems(source, routes, emptied));
  return { output: applyEdits(source, edits), results };
}

function member(node: Node, name: string): Node | undefined {
  return node.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === name)?.children?.[1];
}

const keyOf = (entry: Node) => String(member(entry, 'key')?.value ?? '').toLowerCase();

/**
 * Removes elements of a JSON array with their commas (JSON allows no trailing comma): whole
 * lines when they have their lines to themselves, `[]` when none is left.
 */
function removeItems(source: string, array: Node, remove: Node[]): Edit[] {
  const items = array.children ?? [];
  if (remove.length === items.length)
    return [{ start: array.offset + 1, end: array.offset + array.length - 1, text: '' }];
  const edits: Edit[] = [];
  const end = (node: Node) => node.offset + node.length;
  for (let i = 0; i < items.length; i++) {
    if (!remove.includes(items[i]!)) continue;
    let j = i;
    while (j + 1 < items.length && remove.includes(items[j + 1]!)) j++;
    const next = items[j + 1];
    const prev = items[i - 1]!;
    if (next) {
      const from = lineStartIfAlone(source, items[i]!.offset);
      const to = from === items[i]!.offset ? next.offset : lineStartIfAlone(source, next.offset);
      edits.push({ start: from, end: to, text: '' });
    } else edits.push({ start: end(prev), end: end(items[j]!), text: '' });
    i = j;
  }
  return edits;
}

/** The start of the line that holds `offset` when only blanks precede it there, else `offset`. */
function lineStartIfAlone(source: string, offset: number): number {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*$/.test(source.slice(lineStart, offset)) ? lineStart : offset;
}
