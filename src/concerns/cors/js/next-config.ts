import { jsString, keyName, unwrap } from '../../../lang/js/ast.js';
import { applyEdits, type Edit } from '../../../core/edits.js';
import { ACAC, ACAO } from '../verdict.js';
import type { CorsRewrite } from '../result.js';
import type { CorsSeverity as Severity } from '../verdict.js';
import { Module } from './module.js';
import { removeListItems } from './splice.js';

// next.config: a static headers() entry cannot check the request's origin, so an open
// Access-Control-Allow-Origin there is removed, and the paths it covered are reported for middleware.

/**
 * next.config.(js|mjs|ts): a static `headers()` entry { key: 'Access-Control-Allow-Origin', value: '*' } cannot check
 * the origin: remove it and return which source paths it covered, so the caller can report that middleware must
 * answer CORS for them.
 */
export function removeStaticCorsHeader(
  path: string,
  source: string,
): { output: string; results: CorsRewrite[]; sources: string[] } {
  const m = new Module(path, source);
  const edits: Edit[] = [];
  const results: CorsRewrite[] = [];
  const sources: string[] = [];
  const prop = (object: any, name: string) =>
    object?.type === 'ObjectExpression'
      ? object.properties.find((p: any) => p.type === 'ObjectProperty' && keyName(p) === name)?.value
      : undefined;
  const isAcao = (entry: any) => jsString(prop(entry, 'key'))?.toLowerCase() === ACAO;
  /** Routes left with no header, by the array that holds them: they go. */
  const routesToRemove = new Map<any, any[]>();

  // Each headers array once, with its `*` entries.
  const arrays = new Map<any, any[]>();
  for (const node of m.nodes) {
    if (node.type !== 'ObjectExpression' || !isAcao(node)) continue;
    const value = prop(node, 'value');
    const s = jsString(value);
    if (s === undefined) {
      results.push({
        line: m.line(node),
        severity: 'medium',
        changed: false,
        message: `next.config headers(): Access-Control-Allow-Origin is ${m.short(value ?? node)}, computed; make sure it is never \`*\`: a static header cannot check the request's origin, middleware can`,
      });
      continue;
    }
    if (s !== '*') continue;
    const array = m.parent(node);
    if (array?.type !== 'ArrayExpression') {
      results.push({
        line: m.line(node),
        severity: 'high',
        changed: false,
        message: `next.config headers(): Access-Control-Allow-Origin: * where we cannot follow it, not removed; remove it and answer CORS in middleware`,
      });
      continue;
    }
    arrays.set(array, [...(arrays.get(array) ?? []), node]);
  }

  for (const [array, entries] of arrays) {
    const credentials = array.elements.some(
      (e: any) =>
        jsString(prop(e, 'key'))?.toLowerCase() === ACAC &&
        String(jsString(prop(e, 'value')) ?? unwrap(prop(e, 'value'))?.value) === 'true',
    );
    const severity: Severity = credentials ? 'critical' : 'high';
    const line = m.line(entries[0]);
    // The routes the array belongs to: its own, or those that name it (`headers: corsHeaders`).
    const parent = m.parent(array);
    let routes: any[] | undefined;
    if (parent?.type === 'ObjectProperty' && parent.value === array && keyName(parent) === 'headers')
      routes = [m.parent(parent)];
    else if (parent?.type === 'VariableDeclarator' && parent.init === array && parent.id.type === 'Identifier') {
      const refs = m.references(parent.id.name, m.enclosingFunction(parent) ?? m.program);
      const owners = refs
        .map((r) => m.parent(r))
        .filter((p) => p?.type === 'ObjectProperty' && keyName(p) === 'headers');
      routes = refs.length && owners.length === refs.length ? owners.map((p) => m.parent(p)) : undefined;
    }
    const paths = routes?.map((r) => jsString(prop(r, 'source')));
    if (!routes || !paths || paths.some((p) => p === undefined)) {
      results.push({
        line,
        severity,
        changed: false,
        message: `next.config headers(): Access-Control-Allow-Origin: * for paths we cannot read, not removed; remove it and answer CORS in middleware for those paths`,
      });
      continue;
    }
    const emptied = entries.length === array.elements.length;
    const shared = parent?.type === 'VariableDeclarator';
    if (emptied) {
      // Next.js rejects a route with no headers: the whole route goes.
      const containers = routes.map((r) => m.parent(r));
      if (containers.some((c) => c?.type !== 'ArrayExpression')) {
        results.push({
          line,
          severity,
          changed: false,
          message: `next.config headers(): Access-Control-Allow-Origin: * is the only header for ${paths.join(', ')}, in a route we cannot remove; remove it and answer CORS in middleware`,
        });
        continue;
      }
      for (const route of routes) {
        const container = m.parent(route);
        routesToRemove.set(container, [...(routesToRemove.get(container) ?? []), route]);
      }
    }
    // A named array stays (emptied when it held only this), so that no `*` is left to use again.
    if (!emptied || shared) edits.push(...removeListItems(source, array.elements, entries));
    for (const p of paths as string[]) if (!sources.includes(p)) sources.push(p);
    results.push({
      line,
      severity,
      changed: true,
      message: `next.config headers(): Access-Control-Allow-Origin: * lets any website call ${paths.join(', ')}${credentials ? ' with credentials' : ''} → removed: a static header cannot check the request's origin; middleware must answer CORS for ${paths.length > 1 ? 'these paths' : 'this path'}`,
    });
  }
  for (const [container, routes] of routesToRemove) edits.push(...removeListItems(source, container.elements, routes));
  return { output: applyEdits(source, edits), results: results.sort((a, b) => a.line - b.line), sources };
}
