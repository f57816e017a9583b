import { isCallerInput, isOriginHeaderRead, jsString, memberName, unwrap, WRAPPERS } from '../../../lang/js/ast.js';
import { HELPER } from './allowlist.js';
import { ACAO } from '../verdict.js';
import type { Module } from './module.js';

// What an Access-Control-Allow-Origin value sends, read the way the rewrites need it: `*`, the
// request's Origin echoed unchecked (and through which variable), an origin checked first, ours.

/**
 * What a header value sends: `*`; the request's Origin echoed unchecked (directly, or through a
 * variable that holds only it: `name`); an origin the code checks first; a fixed origin; or
 * something computed we do not follow.
 */
export type HeaderValue =
  | { kind: 'any' | 'checked' | 'restricted' | 'dynamic' | 'ours' }
  | { kind: 'echo'; name?: string; declarator?: any; callerInput?: true };

/** `isSite(node)`: whether `node` is the value of a header site (those are not checks). */
export function headerValue(m: Module, value: any, isSite: (node: any) => boolean, depth = 0): HeaderValue {
  const v = unwrap(value);
  const s = jsString(v);
  if (s !== undefined) return { kind: s === '*' ? 'any' : 'restricted' };
  if (!v || depth > 4) return { kind: 'dynamic' };
  const fn = m.enclosingFunction(v);
  // Uses of the origin elsewhere than in header values: presumably a check.
  const inSite = (n: any) => isSite(siteValue(m, n));
  if (isOriginHeaderRead(v)) {
    const others = m
      .nodesIn(fn ?? m.program)
      .filter((n) => isOriginHeaderRead(n) && !isOriginHeaderRead(m.parent(n)) && !inSite(n) && !within(n, v));
    return { kind: others.length ? 'checked' : 'echo' };
  }
  // `req.query.origin`, a header other than Origin: the caller's own choice, echoed as any origin is.
  if (isCallerInput(v)) return { kind: 'echo', callerInput: true };
  // `a || b`, `a ?? b`, `test ? a : b`: open when every branch is; one fixed and one open branch is not ours to decide.
  const branches =
    v.type === 'LogicalExpression' && v.operator !== '&&'
      ? [v.left, v.right]
      : v.type === 'ConditionalExpression'
        ? [v.consequent, v.alternate]
        : undefined;
  if (branches) {
    const kinds = branches.map((b) => headerValue(m, b, isSite, depth + 1));
    if (kinds.some((k) => k.kind === 'checked')) return { kind: 'checked' };
    if (!kinds.every((k) => k.kind === 'any' || k.kind === 'echo'))
      return { kind: kinds.every((k) => k.kind === 'restricted') ? 'restricted' : 'dynamic' };
    const echo = kinds.find((k): k is Extract<HeaderValue, { kind: 'echo' }> => k.kind === 'echo');
    return echo ? { kind: 'echo', ...(echo.declarator ? { declarator: echo.declarator } : {}) } : { kind: 'any' };
  }
  if (v.type === 'Identifier' && fn) {
    const declarators = m
      .nodesIn(fn)
      .filter((n) => n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === v.name);
    const init = declarators.length === 1 ? unwrap(declarators[0].init) : undefined;
    if (!init) return { kind: 'dynamic' };
    const callee = init.type === 'CallExpression' && init.callee.type === 'Identifier' ? init.callee.name : '';
    if (callee && m.importedFrom(callee)?.imported === HELPER.origin) return { kind: 'ours' };
    if (!isOriginHeaderRead(init)) return { kind: 'dynamic' };
    const others = m.references(v.name, fn).filter((r) => !inSite(r));
    return others.length ? { kind: 'checked' } : { kind: 'echo', name: v.name, declarator: declarators[0] };
  }
  return { kind: 'dynamic' };
}

/** The header value a node is part of: up through type wrappers and the branches of `||`, `??` and `?:`. */
function siteValue(m: Module, node: any): any {
  let n = node;
  for (;;) {
    const p = m.parent(n);
    const branch =
      (p?.type === 'LogicalExpression' && p.operator !== '&&') || (p?.type === 'ConditionalExpression' && p.test !== n);
    if (!p || !(WRAPPERS.has(p.type) || branch)) return n;
    n = p;
  }
}

export function within(node: any, outer: any): boolean {
  return node.start >= outer.start && node.end <= outer.end;
}

/** `x.setHeader('Access-Control-Allow-Origin', v)`, `.header`, `.set`, `.append`. */
export function isAcaoSetter(node: any): boolean {
  if (node?.type !== 'CallExpression' && node?.type !== 'OptionalCallExpression') return false;
  return (
    ['setHeader', 'header', 'set', 'append'].includes(memberName(node.callee) ?? '') &&
    node.arguments.length === 2 &&
    jsString(node.arguments[0])?.toLowerCase() === ACAO
  );
}

export function isTrue(m: Module, node: any): boolean {
  const n = unwrap(node);
  if (n?.type === 'Identifier') {
    const init = m.topLevelConstInit(n.name);
    return init ? isTrue(m, init) : false;
  }
  return n?.type === 'BooleanLiteral' && n.value === true;
}
