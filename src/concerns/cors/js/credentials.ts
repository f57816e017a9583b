import { forEachChild, jsString, keyName, memberName, unwrap } from '../../../lang/js/ast.js';
import { ACAC } from '../verdict.js';

// Whether JavaScript sets Access-Control-Allow-Credentials: read the same way by `detect` and by
// the fixer, so the verdict and the severity of a finding agree.

/** Methods that set a header: `res.setHeader(name, value)`, `headers.set`, `.append`, `.add`… */
export const JS_SETTERS = new Set(['set', 'append', 'setHeader', 'header', 'add']);

/**
 * Whether code in `scope` sets Access-Control-Allow-Credentials to true, in any of the forms a
 * header takes: an object property, `{ key, value }` (next.config.js), a setter call, a
 * `[name, value]` pair, or `headers[name] = value`.
 */
export function setsCredentials(scope: any): boolean {
  let found = false;
  const isTrue = (v: any) =>
    v && (unwrap(v).type === 'BooleanLiteral' ? unwrap(v).value === true : jsString(v)?.toLowerCase() === 'true');
  const isAcac = (node: any) => jsString(node)?.toLowerCase() === ACAC;
  const visit = (node: any): void => {
    if (found) return;
    if (node.type === 'ObjectProperty' && keyName(node)?.toLowerCase() === ACAC && isTrue(node.value)) found = true;
    if (node.type === 'ObjectExpression') {
      const prop = (name: string) =>
        node.properties.find((p: any) => p.type === 'ObjectProperty' && keyName(p) === name)?.value;
      if (isAcac(prop('key')) && isTrue(prop('value'))) found = true;
    }
    const call = node.type === 'CallExpression' || node.type === 'OptionalCallExpression';
    if (
      call &&
      JS_SETTERS.has(memberName(node.callee) ?? '') &&
      isAcac(node.arguments[0]) &&
      isTrue(node.arguments[1])
    ) {
      found = true;
    }
    if (
      node.type === 'ArrayExpression' &&
      node.elements.length === 2 &&
      isAcac(node.elements[0]) &&
      isTrue(node.elements[1])
    ) {
      found = true;
    }
    if (
      node.type === 'AssignmentExpression' &&
      node.left.computed &&
      isAcac(node.left.property) &&
      isTrue(node.right)
    ) {
      found = true;
    }
    forEachChild(node, visit);
  };
  if (scope) visit(scope);
  return found;
}
