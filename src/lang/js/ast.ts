import { findAiHost } from '../../knowledge/ai-providers.js';

// Walking Babel ASTs directly. A route file is read in one plain recursive pass per node we ask
// about (cached), instead of one ast-types traversal per question: the traversal machinery was
// most of the time spent on a route.

/** Keys that hold positions, comments and parser extras, never child nodes. */
const NOT_CHILDREN = new Set([
  'loc',
  'start',
  'end',
  'extra',
  'range',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'comments',
  'tokens',
  'errors',
]);

/** Calls `visit` for each direct child node of `node`. */
export function forEachChild(node: any, visit: (child: any, key: string) => void): void {
  for (const key in node) {
    if (NOT_CHILDREN.has(key)) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === 'string') visit(item, key);
    } else if (value && typeof value.type === 'string') {
      visit(value, key);
    }
  }
}

/** What one node's code uses, collected in a single pass. */
export interface NodeSummary {
  /** Identifiers used as values (property keys and member names are not). */
  names: Set<string>;
  /** Every identifier name, bindings included: a name we add must not be one of these. */
  identifiers: Set<string>;
  /** AI API hosts named by a string or template literal that is a URL. */
  aiHosts: string[];
  /** Modules loaded with `require('x')` or `import('x')`. */
  loads: string[];
  /** Calls and constructions, as dotted callee names (`ratelimit.limit`). */
  calls: string[][];
  /** A numeric 429 outside any catch clause: an answer the code gives, not one it caught. */
  answers429: boolean;
}

const summaries = new WeakMap<object, NodeSummary>();

export function summarize(root: any): NodeSummary {
  let summary = summaries.get(root);
  if (summary) return summary;
  summary = { names: new Set(), identifiers: new Set(), aiHosts: [], loads: [], calls: [], answers429: false };
  const s = summary;
  const visit = (node: any, parent: any, key: string | undefined, inCatch: boolean): void => {
    switch (node.type) {
      case 'Identifier': {
        s.identifiers.add(node.name);
        const isKey = key === 'key' && !parent.computed && !parent.shorthand && /Property|Method/.test(parent.type);
        const isMember = key === 'property' && !parent.computed && /MemberExpression/.test(parent.type);
        if (!isKey && !isMember) s.names.add(node.name);
        break;
      }
      case 'StringLiteral':
      case 'TemplateElement': {
        const host = findAiHost(node.type === 'StringLiteral' ? node.value : node.value.raw);
        if (host) s.aiHosts.push(host);
        break;
      }
      case 'NumericLiteral':
        if (node.value === 429 && !inCatch) s.answers429 = true;
        break;
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression':
      case 'ImportExpression': {
        const source = node.type === 'ImportExpression' ? node.source : node.arguments?.[0];
        const loads =
          node.type === 'ImportExpression' ||
          node.callee?.type === 'Import' ||
          (node.callee?.type === 'Identifier' && node.callee.name === 'require');
        if (loads && source?.type === 'StringLiteral') s.loads.push(source.value);
        if (node.callee) s.calls.push(calleeNames(node.callee));
        break;
      }
    }
    const catching = inCatch || node.type === 'CatchClause';
    forEachChild(node, (child, childKey) => visit(child, node, childKey, catching));
  };
  visit(root, null, undefined, false);
  summaries.set(root, summary);
  return summary;
}

/** `ratelimit.limit` → ['ratelimit', 'limit']; `this.limiter.check` → ['limiter', 'check']. */
function calleeNames(callee: any): string[] {
  const names: string[] = [];
  for (let node = callee; node; node = node.object) {
    if (node.type === 'Identifier') names.unshift(node.name);
    else if (node.property?.type === 'Identifier') names.unshift(node.property.name);
    if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') break;
  }
  return names;
}

/** Type assertions and parentheses around an expression: `x as T`, `x!`, `(x)`. */
export const WRAPPERS = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TypeCastExpression',
  'ParenthesizedExpression',
]);

/** The expression inside type assertions and parentheses. */
export function unwrap(node: any): any {
  let n = node;
  while (n && WRAPPERS.has(n.type)) n = n.expression;
  return n;
}

/** The value of a string literal or a template literal without expressions. */
export function jsString(node: any): string | undefined {
  const n = unwrap(node);
  if (n?.type === 'StringLiteral') return n.value;
  if (n?.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** An object member's name: `origin`, `'Access-Control-Allow-Origin'`, `['x']`. */
export function keyName(prop: any): string | undefined {
  if (!prop || (prop.type !== 'ObjectProperty' && prop.type !== 'ObjectMethod')) return undefined;
  if (!prop.computed && prop.key.type === 'Identifier') return prop.key.name;
  return jsString(prop.key);
}

/** `x.set` → 'set'; `x['set']` → 'set'. */
export function memberName(node: any): string | undefined {
  if (node?.type !== 'MemberExpression' && node?.type !== 'OptionalMemberExpression') return undefined;
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  return node.computed ? jsString(node.property) : undefined;
}

/**
 * `request.headers.get('origin')`, `req.get('Origin')`, `c.req.header('origin')`, `req.headers.origin`,
 * `req.headers['origin']`, `… ?? ''`: the request's own Origin header.
 */
/**
 * A value the caller sends as they like, unchecked: `req.query.origin`, `req.body.site`,
 * `req.params.x`, `url.searchParams.get('origin')`, any request header (`req.headers['x-origin']`,
 * `request.headers.get('referer')`). Echoed as an allowed origin, it lets any website in.
 */
export function isCallerInput(node: any): boolean {
  const n = unwrap(node);
  if (!n) return false;
  if (n.type === 'LogicalExpression' && n.operator !== '&&') return isCallerInput(n.left);
  if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') {
    const from = memberName(n.callee.object);
    return ['get', 'header'].includes(memberName(n.callee) ?? '') && (from === 'searchParams' || from === 'headers');
  }
  for (let link = n; link?.type === 'MemberExpression' || link?.type === 'OptionalMemberExpression'; link = link.object)
    if (['query', 'body', 'params', 'headers', 'searchParams'].includes(memberName(link.object) ?? '')) return true;
  return false;
}

export function isOriginHeaderRead(node: any): boolean {
  const n = unwrap(node);
  if (!n) return false;
  if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') {
    return (
      ['get', 'header', 'getHeader'].includes(memberName(n.callee) ?? '') &&
      jsString(n.arguments[0])?.toLowerCase() === 'origin'
    );
  }
  if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression')
    return memberName(n)?.toLowerCase() === 'origin' && memberName(n.object) === 'headers';
  if (n.type === 'LogicalExpression' && n.operator !== '&&') return isOriginHeaderRead(n.left);
  return false;
}
