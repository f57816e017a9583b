import { blanksBefore } from '../../core/style.js';
import type { PythonNode } from '../../lang/python/parse.js';
import { defineStep, type StepContext } from '../../step/contract.js';
import type { Edit } from '../../core/edits.js';
import { importedAs, type PythonImports, type PythonStyle } from '../../lang/python/imports.js';
import { referencedNames } from '../../project/graph/python.js';
import { runPythonRatelimit, type LimiterFlavor } from './python/limiter.js';
import { FASTAPI, type Endpoint } from '../../frameworks/python/routes.js';
import { readPythonLimitOptions } from './options.js';
import { meta, options } from './fastapi-ratelimit.meta.js';

/**
 * Where FastAPI takes a parameter from when its default says so; the external name is the parameter's unless aliased.
 */
const PARAM_SOURCES = /^(Body|Query|Form|Header|Cookie|File)$/;
const SCALAR =
  /^(Optional\[)?(str|int|float|bool|bytes|UUID|uuid\.UUID|date|datetime|Decimal|(list|List|set|Set)\[(str|int|float)\])\]?(\s*\|\s*None)?$/;
/** Parameter types FastAPI fills itself: never a body, never renamed. */
const INJECTED = /^(Request|Response|WebSocket|BackgroundTasks|HTTPConnection|UploadFile|SecurityScopes)$/;

const nameOfParameter = (p: PythonNode): string | undefined =>
  p.type === 'identifier'
    ? p.text
    : p.type === 'typed_parameter'
      ? p.firstNamedChild?.type === 'identifier'
        ? p.firstNamedChild.text
        : undefined
      : p.childForFieldName('name')?.text;

/**
 * slowapi finds the request through a parameter named exactly `request` that is a Starlette
 * Request. Adds one when absent; when `request` is something else (a pydantic body, a query
 * value) renames it — keeping its external name with an alias where the name is part of the API —
 * and adds the real one. Returns why it cannot, for the cases it leaves alone.
 */
export function requestParameterEdits(
  endpoint: Endpoint,
  root: PythonNode,
  source: string,
  imports: PythonImports,
  style: PythonStyle,
): Edit[] | string {
  const parameters = endpoint.fn.childForFieldName('parameters')!;
  const list = parameters.namedChildren.filter((p): p is PythonNode => Boolean(p) && p!.type !== 'comment');
  const requestTypes = new Set(
    [
      'fastapi.Request',
      'starlette.requests.Request',
      importedAs(root, 'fastapi', 'Request'),
      importedAs(root, 'starlette.requests', 'Request'),
    ].filter(Boolean) as string[],
  );
  const existing = list.find((p) => nameOfParameter(p) === 'request');
  const type = existing?.childForFieldName('type')?.text;
  if (existing && type && requestTypes.has(type)) return [];

  const edits: Edit[] = [];
  const q = style.quote;
  if (existing) {
    const problem = renameRequestParameter(existing, endpoint, list, imports, q, edits);
    if (problem) return problem;
  }
  const requestType =
    ([...requestTypes][0] && importedAs(root, 'fastapi', 'Request')) ||
    importedAs(root, 'starlette.requests', 'Request') ||
    imports.from('fastapi', 'Request', 'FastAPIRequest');
  const first = list[0];
  const open = parameters.startIndex + 1;
  if (!first) {
    edits.push({ start: open, end: open, text: `request: ${requestType}` });
  } else {
    const gap = source.slice(open, first.startIndex);
    const separator = gap.includes('\n') ? `,${style.eol}${blanksBefore(gap, gap.length)}` : ', ';
    edits.push({ start: first.startIndex, end: first.startIndex, text: `request: ${requestType}${separator}` });
  }
  return edits;
}

/** Renames a `request` parameter that is not a Request (and its uses), keeping its external name. */
function renameRequestParameter(
  param: PythonNode,
  endpoint: Endpoint,
  list: PythonNode[],
  imports: PythonImports,
  q: string,
  edits: Edit[],
): string | undefined {
  const type = param.childForFieldName('type')?.text;
  const value = param.childForFieldName('value');
  if (!type)
    return 'its parameter `request` has no type, so FastAPI reads it from the query string; rename it and add `request: Request`';
  if (/^Annotated\[/.test(type))
    return 'its parameter `request` is declared with Annotated[…]; rename it (keeping its alias) and add `request: Request`';
  if (endpoint.path.includes('{request}'))
    return 'its path has a `{request}` parameter; rename it in the path and the function, then add `request: Request`';
  const body = endpoint.fn.childForFieldName('body')!;
  const used = referencedNames(body);
  const newName = ['payload', 'body', 'request_body', 'request_payload'].find(
    (n) => !used.has(n) && !list.some((p) => nameOfParameter(p) === n),
  )!;
  const nameNode = param.type === 'typed_parameter' ? param.firstNamedChild! : param.childForFieldName('name')!;
  const alias = `alias=${q}request${q}`;

  if (value?.type === 'call') {
    const callee = value.childForFieldName('function')!.text.split('.').at(-1)!;
    const args = value.childForFieldName('arguments')!;
    if (PARAM_SOURCES.test(callee) && !/\balias\s*=/.test(args.text)) {
      const close = args.endIndex - 1;
      edits.push({ start: close, end: close, text: args.namedChildren.length ? `, ${alias}` : alias });
    } else if (!PARAM_SOURCES.test(callee) && callee !== 'Depends') {
      return `its parameter \`request\` has a default FastAPI does not document (${callee}(…)); rename it and add \`request: Request\``;
    }
  } else if (SCALAR.test(type)) {
    // A query parameter named `request`: the name is the API; keep it with an alias.
    const query = imports.from('fastapi', 'Query');
    if (value) edits.push({ start: value.startIndex, end: value.endIndex, text: `${query}(${value.text}, ${alias})` });
    else {
      const annotated = imports.from('typing', 'Annotated');
      const typeNode = param.childForFieldName('type')!;
      edits.push({
        start: typeNode.startIndex,
        end: typeNode.endIndex,
        text: `${annotated}[${type}, ${query}(${alias})]`,
      });
    }
  } else if (!value && !INJECTED.test(type)) {
    // A body. Alone, FastAPI reads the whole JSON body into it and its name is not part of the
    // API; beside other bodies (or embedded), the name is the JSON key: keep it with an alias.
    const otherBodies = list.filter((p) => p.id !== param.id && isBody(p));
    if (otherBodies.length) {
      const bodyName = imports.from('fastapi', 'Body');
      const annotated = imports.from('typing', 'Annotated');
      const typeNode = param.childForFieldName('type')!;
      edits.push({
        start: typeNode.startIndex,
        end: typeNode.endIndex,
        text: `${annotated}[${type}, ${bodyName}(${alias})]`,
      });
    }
  } else if (value) {
    return 'its parameter `request` has a default value we cannot tell the source of; rename it and add `request: Request`';
  }
  edits.push({ start: nameNode.startIndex, end: nameNode.endIndex, text: newName });
  renameUses(body, 'request', newName, edits);
  return undefined;
}

/** A parameter FastAPI reads from the body: typed with a non-scalar, non-injected type, without a default. */
function isBody(p: PythonNode): boolean {
  const type = p.childForFieldName('type')?.text;
  return (
    p.type === 'typed_parameter' &&
    Boolean(type) &&
    !SCALAR.test(type!) &&
    !INJECTED.test(type!) &&
    !/^Annotated\[/.test(type!)
  );
}

/** Every use of a local name in a function body (not attribute names or keyword argument names). */
function renameUses(node: PythonNode, from: string, to: string, edits: Edit[]): void {
  if (node.type === 'identifier' && node.text === from) {
    const parent = node.parent;
    const attribute = parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === node.id;
    const keyword = parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === node.id;
    if (!attribute && !keyword) edits.push({ start: node.startIndex, end: node.endIndex, text: to });
    return;
  }
  for (const child of node.namedChildren) if (child) renameUses(child, from, to, edits);
}

const flavor: LimiterFlavor = {
  fw: FASTAPI,
  ruleId: meta.ruleId,
  limiterPackage: 'slowapi',
  requirement: { name: 'slowapi', minVersion: '0.1.9', pinVersion: '0.1.10' },
  template: 'slowapi_rate_limiting.py',
  limit: (count, unit) => `${count}/${unit}`,
  inlineTakesApp: false,
  wiring(app, limiter, attached, use) {
    const lines: string[] = [];
    if (!attached.state) lines.push(`${app}.state.limiter = ${limiter}`);
    if (!attached.handler)
      lines.push(
        `${app}.add_exception_handler(${use('slowapi.errors', 'RateLimitExceeded')}, ${use('slowapi', '_rate_limit_exceeded_handler')})`,
      );
    return lines;
  },
  prepareEndpoint: requestParameterEdits,
  proxyAdvice(text) {
    if (!/uvicorn|gunicorn|hypercorn/.test(text) || /forwarded[-_]allow[-_]ips|FORWARDED_ALLOW_IPS/.test(text))
      return undefined;
    return "start uvicorn with --proxy-headers --forwarded-allow-ips=<your proxy's address> (or FORWARDED_ALLOW_IPS) so that get_remote_address sees the client";
  },
};

export function run(ctx: StepContext): void {
  runPythonRatelimit(ctx, flavor, (file) => readPythonLimitOptions(ctx.optionsFor(file)));
}

/**
 * The jscodeshift entry point (`--extensions=py`): the module's own edits; new files and dependencies need our runner.
 */
export default defineStep({ meta, options, run });
