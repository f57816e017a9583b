import type { Edit } from '../../../core/edits.js';
import { summarize } from '../../../lang/js/ast.js';
import { indentAt, statement, type CodeStyle } from '../../../core/style.js';

// Editing one handler function so that it calls the rate limiter first, as text splices.

/**
 * Inserts the guard at the top of a handler function: adds a `request` parameter when there is
 * none, makes the function async when it is not (fixing a declared return type), and turns an
 * expression body into a block. `limits`, when given, is the route's own limits, passed to the
 * limiter after the request. Returns a reason when it cannot be done safely.
 */
export function guardFunction(
  source: string,
  fn: any,
  style: CodeStyle,
  kind: 'app' | 'pages',
  nameFor: (key: 'guard' | 'pages') => string,
  edits: Edit[],
  typescript: boolean,
  limits?: string,
): string | undefined {
  if (fn.generator) return 'the handler is a generator function';
  const params = fn.params as any[];
  let request = params[0]?.type === 'Identifier' ? (params[0].name as string) : undefined;
  const response = params[1]?.type === 'Identifier' ? (params[1].name as string) : undefined;
  if (kind === 'pages' && (!request || !response)) return 'it does not take plain (req, res) parameters';
  if (!request) {
    if (params.length) return 'its first parameter is not a plain name we can pass to the limiter';
    request = 'request';
    const open = source.indexOf('(', fn.id ? fn.id.end : fn.start);
    edits.push({ start: open + 1, end: open + 1, text: typescript ? 'request: Request' : 'request' });
  }

  if (!fn.async) edits.push({ start: fn.start, end: fn.start, text: 'async ' });
  edits.push(...widenReturnType(fn, kind));

  const fnIndent = indentAt(source, fn.start);
  const guard =
    kind === 'app'
      ? [
          `const limited = await ${nameFor('guard')}(${[request, limits].filter(Boolean).join(', ')})`,
          'if (limited) return limited',
        ]
      : [`if (await ${nameFor('pages')}(${[request, response, limits].filter(Boolean).join(', ')})) return`];
  const guardLines = kind === 'app' ? uniqueGuard(guard, fn) : guard;

  const body = fn.body;
  if (body.type !== 'BlockStatement') {
    // `async (req) => expr` becomes a block that guards, then returns the expression.
    const [start, end] = expressionRange(source, body);
    const inner = fnIndent + style.indent;
    const text = [
      '{',
      ...guardLines.map((line) => inner + statement(line, style)),
      inner + statement(`return ${source.slice(start, end)}`, style),
      `${fnIndent}}`,
    ].join(style.eol);
    edits.push({ start, end, text });
    return undefined;
  }

  const statements = body.body as any[];
  const anchor = kind === 'pages' ? leadingMethodChecks(source, statements) : undefined;
  const first = statements[0];
  const position = anchor ? anchor.end : body.start + 1;
  const sameLine = first && !source.slice(body.start, first.start).includes('\n');
  if (sameLine) {
    edits.push({ start: position, end: position, text: ` ${guardLines.map((line) => `${line};`).join(' ')}` });
    return undefined;
  }
  const indent = first ? indentAt(source, first.start) : fnIndent + style.indent;
  const text =
    guardLines.map((line) => style.eol + indent + statement(line, style)).join('') +
    (first ? '' : style.eol + fnIndent);
  edits.push({ start: position, end: position, text });
  return undefined;
}

/**
 * A declared return type must still hold once the function is async and may return the
 * limiter's Response: `NextResponse` becomes `Promise<NextResponse | Response>`.
 */
function widenReturnType(fn: any, kind: 'app' | 'pages'): Edit[] {
  const declared = fn.returnType?.typeAnnotation;
  if (!declared) return [];
  const isPromise = declared.type === 'TSTypeReference' && declared.typeName?.name === 'Promise';
  const inner = isPromise ? declared.typeParameters?.params?.[0] : declared;
  const edits: Edit[] = [];
  if (!isPromise) edits.push({ start: declared.start, end: declared.start, text: 'Promise<' });
  const returnsResponse = inner?.type === 'TSTypeReference' && inner.typeName?.name === 'Response';
  if (kind === 'app' && inner && !returnsResponse) {
    const needsParens = ['TSFunctionType', 'TSConstructorType', 'TSConditionalType'].includes(inner.type);
    if (needsParens) edits.push({ start: inner.start, end: inner.start, text: '(' });
    edits.push({ start: inner.end, end: inner.end, text: `${needsParens ? ')' : ''} | Response` });
  }
  if (!isPromise) edits.push({ start: declared.end, end: declared.end, text: '>' });
  return edits;
}

/** The guard's variable must not clash with a name the handler already uses. */
function uniqueGuard(lines: string[], fn: any): string[] {
  const used = (name: string) => summarize(fn).identifiers.has(name);
  const name = ['limited', 'rateLimited', 'tooManyRequests'].find((n) => !used(n)) ?? 'aiSecureLimited';
  return lines.map((line) => line.replaceAll('limited', name));
}

/** The source range of an arrow's expression body, including the parentheses around it. */
function expressionRange(source: string, expression: any): [number, number] {
  let start = expression.start;
  let end = expression.end;
  if (expression.extra?.parenthesized) {
    start = expression.extra.parenStart;
    end = source.indexOf(')', end) + 1;
  }
  return [start, end];
}

/**
 * Leading `if (req.method !== 'POST') return …` checks of a Pages handler: the guard goes after
 * them so that other methods are answered without spending the client's quota, but before the
 * body is read.
 */
function leadingMethodChecks(source: string, statements: any[]): any | undefined {
  let last: any;
  for (const stmt of statements) {
    const code = source.slice(stmt.start, stmt.end);
    const methodCheck =
      stmt.type === 'IfStatement' &&
      /\bmethod\b/.test(source.slice(stmt.test.start, stmt.test.end)) &&
      !/\bbody\b|\bawait\b/.test(code) &&
      /\breturn\b|\.end\(|\.status\(/.test(code);
    const methodRead =
      stmt.type === 'VariableDeclaration' && /^\s*(const|let|var)\s*\{\s*method\s*\}\s*=\s*\w+\s*;?\s*$/.test(code);
    if (!methodCheck && !methodRead) break;
    last = stmt;
  }
  return last && last.type === 'IfStatement' ? last : undefined;
}
