import { basename } from 'node:path';
import {
  forEachChild,
  isCallerInput,
  isOriginHeaderRead,
  jsString,
  keyName,
  memberName,
  unwrap,
} from '../../../lang/js/ast.js';
import { parseSource } from '../../../lang/js/parse.js';
import { NEXT_CONFIG } from '../../../frameworks/next/app.js';
import { isInside } from '../../../core/paths.js';
import type { CorsSite } from '../../../core/report-schema.js';
import { JS_SETTERS, setsCredentials } from '../js/credentials.js';
import { HELPER, isEnvAllowlist } from '../js/allowlist.js';
import { OUR_MARKER } from '../../../frameworks/next/helper-module.js';
import {
  ACAO,
  ANY,
  combine,
  FROM_ALLOWLIST,
  DYNAMIC,
  list,
  REFLECTED,
  type Origins,
  type StarWithCredentials,
} from '../verdict.js';
import { isNestCreate, nestCorsOption } from '../js/nest.js';
import { type FoundCorsSite, makeSite, patternOrigins } from './site.js';

// CORS in JavaScript and TypeScript: the cors packages (Express, Hono, Koa, Fastify, nextjs-cors)
// and Access-Control-Allow-Origin set by hand (Next.js config, middleware and route handlers, Node).

type CorsPackage = 'express' | 'hono' | 'koa' | 'fastify';

/** Module → [the export that makes the middleware, whose semantics, where its options are]. */
const CORS_MODULES: Record<string, { name: string; pkg: CorsPackage; options: number }> = {
  cors: { name: 'default', pkg: 'express', options: 0 },
  'nextjs-cors': { name: 'default', pkg: 'express', options: 2 },
  'hono/cors': { name: 'cors', pkg: 'hono', options: 0 },
  '@koa/cors': { name: 'default', pkg: 'koa', options: 0 },
  kcors: { name: 'default', pkg: 'koa', options: 0 },
  '@fastify/cors': { name: 'default', pkg: 'fastify', options: 1 },
  'fastify-cors': { name: 'default', pkg: 'fastify', options: 1 },
};

/** Koa echoes the origin for `*` with credentials; the others send `*`, which browsers refuse with credentials. */
const PACKAGE_STAR: Record<CorsPackage, StarWithCredentials> = {
  express: 'refused',
  hono: 'refused',
  koa: 'echo',
  fastify: 'refused',
};

const JS_FUNCTIONS = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

export function jsSites(file: string, text: string, nextRoots: string[]): FoundCorsSite[] {
  let ast: any;
  try {
    ast = parseSource(file, text);
  } catch {
    return [];
  }
  return new JsScan(file, text, ast.program, nextRoots).sites;
}

interface JsBinding {
  init: any;
  scope: any;
}

type JsMode = 'header' | 'list' | CorsPackage;

class JsScan {
  readonly sites: FoundCorsSite[] = [];
  private readonly parents = new Map<any, any>();
  private readonly bindings = new Map<string, JsBinding[]>();
  private readonly params = new Map<any, Set<string>>();
  /** Local name → the cors module it makes middleware with. */
  private readonly factories = new Map<string, string>();
  private readonly modules = new Set<string>();
  private readonly framework: CorsSite['framework'];
  /** Local names of our Next.js helper's `allowedOrigin`: imported, or the helper module itself. */
  private readonly allowlistHelpers = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly text: string,
    program: any,
    nextRoots: string[],
  ) {
    this.collect(program, null);
    const next =
      NEXT_CONFIG.test(basename(file)) ||
      [...this.modules].some((m) => m === 'next' || m.startsWith('next/') || m === 'nextjs-cors') ||
      nextRoots.some((root) => isInside(file, root));
    this.framework = this.modules.has('express') ? 'express' : next ? 'nextjs' : 'other';
    this.walk(program);
  }

  private collect(node: any, parent: any): void {
    this.parents.set(node, parent);
    if (node.type === 'ImportDeclaration') {
      const module = node.source.value as string;
      this.modules.add(module);
      for (const spec of node.specifiers) {
        const imported =
          spec.type === 'ImportDefaultSpecifier'
            ? 'default'
            : spec.type === 'ImportSpecifier'
              ? (spec.imported.name ?? spec.imported.value)
              : '*';
        this.addFactory(module, imported, spec.local.name);
        if (imported === HELPER.origin) this.allowlistHelpers.add(spec.local.name);
      }
    } else if (
      node.type === 'CallExpression' &&
      node.callee.type === 'Identifier' &&
      node.callee.name === 'require' &&
      node.arguments[0]?.type === 'StringLiteral'
    ) {
      const module = node.arguments[0].value as string;
      this.modules.add(module);
      if (parent?.type === 'VariableDeclarator' && parent.init === node) {
        if (parent.id.type === 'Identifier') this.addFactory(module, 'default', parent.id.name);
        if (parent.id.type === 'ObjectPattern') {
          for (const prop of parent.id.properties)
            if (prop.type === 'ObjectProperty' && prop.value.type === 'Identifier')
              this.addFactory(module, keyName(prop) ?? '', prop.value.name);
        }
      }
    } else if (
      node.type === 'FunctionDeclaration' &&
      node.id?.name === HELPER.origin &&
      this.text.includes(OUR_MARKER)
    ) {
      this.allowlistHelpers.add(HELPER.origin);
    } else if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier') {
      this.bind(node.id.name, node.init, node);
    } else if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier') {
      this.bind(node.left.name, undefined, node);
    }
    if (JS_FUNCTIONS.has(node.type)) {
      const names = new Set<string>();
      const addPattern = (p: any): void => {
        if (p?.type === 'Identifier') names.add(p.name);
        else if (p?.type === 'AssignmentPattern') addPattern(p.left);
        else if (p?.type === 'ObjectPattern') for (const prop of p.properties) addPattern(prop.value ?? prop.argument);
        else if (p?.type === 'ArrayPattern') for (const el of p.elements) addPattern(el);
        else if (p?.type === 'RestElement' || p?.type === 'TSParameterProperty') addPattern(p.argument ?? p.parameter);
      };
      for (const p of node.params) addPattern(p);
      this.params.set(node, names);
    }
    forEachChild(node, (child) => this.collect(child, node));
  }

  private addFactory(module: string, imported: string, local: string): void {
    const known = CORS_MODULES[module];
    if (known?.name === imported) this.factories.set(local, module);
  }

  private bind(name: string, init: any, at: any): void {
    const entries = this.bindings.get(name) ?? [];
    entries.push({ init, scope: this.scopeOf(at) });
    this.bindings.set(name, entries);
  }

  private scopeOf(node: any): any {
    for (let p = this.parents.get(node); p; p = this.parents.get(p))
      if (JS_FUNCTIONS.has(p.type) || p.type === 'Program') return p;
    return undefined;
  }

  private walk(node: any): void {
    switch (node.type) {
      case 'CallExpression':
      case 'OptionalCallExpression':
        this.onCall(node);
        break;
      case 'ObjectProperty':
        if (keyName(node)?.toLowerCase() === ACAO) this.headerSite(node, node.value, this.scopeOf(node));
        break;
      case 'ObjectExpression': {
        // `{ key: 'Access-Control-Allow-Origin', value: '*' }` (next.config.js headers()).
        const key = node.properties.find((p: any) => p.type === 'ObjectProperty' && keyName(p) === 'key');
        const value = node.properties.find((p: any) => p.type === 'ObjectProperty' && keyName(p) === 'value');
        if (key && value && jsString(key.value)?.toLowerCase() === ACAO) {
          const parent = this.parents.get(node);
          this.headerSite(node, value.value, parent?.type === 'ArrayExpression' ? parent : node);
        }
        break;
      }
      case 'ArrayExpression': {
        // `new Headers([['Access-Control-Allow-Origin', '*'], …])`.
        const parent = this.parents.get(node);
        if (
          node.elements.length === 2 &&
          jsString(node.elements[0])?.toLowerCase() === ACAO &&
          parent?.type === 'ArrayExpression'
        )
          this.headerSite(node, node.elements[1], parent);
        break;
      }
      case 'AssignmentExpression':
        if (
          (node.left.type === 'MemberExpression' || node.left.type === 'OptionalMemberExpression') &&
          node.left.computed &&
          jsString(node.left.property)?.toLowerCase() === ACAO
        ) {
          this.headerSite(node, node.right, this.scopeOf(node));
        }
        break;
    }
    forEachChild(node, (child) => this.walk(child));
  }

  private onCall(call: any): void {
    const callee = call.callee;
    const factory = callee.type === 'Identifier' ? CORS_MODULES[this.factories.get(callee.name) ?? ''] : undefined;
    if (factory && factory.pkg !== 'fastify') {
      const parent = this.parents.get(call);
      const use =
        parent?.type === 'CallExpression' && parent.arguments.includes(call) && memberName(parent.callee) === 'use'
          ? parent
          : call;
      this.packageSite(use, call.arguments[factory.options], factory.pkg);
      return;
    }
    const method = memberName(callee);
    const nest = [...this.modules].some((m) => m.startsWith('@nestjs/'));
    // NestJS: `app.enableCors(options?)`, `NestFactory.create(AppModule, { cors })`, both the cors package's.
    if (nest && method === 'enableCors') return this.packageSite(call, call.arguments[0], 'express');
    if (nest && isNestCreate(call)) {
      const cors = nestCorsOption(call);
      const value = cors && unwrap(cors.value);
      if (value && !(value.type === 'BooleanLiteral' && !value.value))
        this.packageSite(cors, value.type === 'BooleanLiteral' ? undefined : cors.value, 'express');
      return;
    }
    // fastify.register(cors, { … }), or register(require('@fastify/cors'), …).
    if (method === 'register' && call.arguments[0]) {
      const plugin = call.arguments[0];
      const loaded =
        plugin.type === 'CallExpression' && plugin.callee.type === 'Identifier' && plugin.callee.name === 'require'
          ? CORS_MODULES[jsString(plugin.arguments[0]) ?? '']?.pkg
          : undefined;
      if (
        (plugin.type === 'Identifier' && CORS_MODULES[this.factories.get(plugin.name) ?? '']?.pkg === 'fastify') ||
        loaded === 'fastify'
      )
        this.packageSite(call, call.arguments[1], 'fastify');
      return;
    }
    if (
      method &&
      JS_SETTERS.has(method) &&
      call.arguments.length >= 2 &&
      jsString(call.arguments[0])?.toLowerCase() === ACAO
    ) {
      this.headerSite(call, call.arguments[1], this.scopeOf(call));
    }
  }

  /** `cors(options)` of one of the packages: its defaults are `*` (and credentials off). */
  private packageSite(at: any, options: any, pkg: CorsPackage): void {
    let origins: Origins = ANY;
    let credentials = false;
    let opts = options && unwrap(options);
    if (opts?.type === 'Identifier') opts = opts.name === 'undefined' ? undefined : (this.resolve(opts) ?? opts);
    if (opts && opts.type !== 'ObjectExpression') {
      origins = DYNAMIC; // a variable we cannot follow, or a function deciding per request
    } else if (opts) {
      const origin = opts.properties.find((p: any) => keyName(p) === 'origin');
      const spread = opts.properties.some((p: any) => p.type === 'SpreadElement');
      if (origin) origins = origin.type === 'ObjectProperty' ? this.eval(origin.value, pkg) : DYNAMIC;
      else if (spread) origins = DYNAMIC;
      const credentialsProp = opts.properties.find(
        (p: any) => p.type === 'ObjectProperty' && keyName(p) === 'credentials',
      );
      credentials = credentialsProp ? this.isTrue(credentialsProp.value) : false;
    }
    const framework = pkg !== 'express' ? 'other' : this.framework === 'other' ? 'express' : this.framework;
    this.add(at, framework, origins, credentials, PACKAGE_STAR[pkg]);
  }

  /** A header set by hand; `credentialScope`: where an Access-Control-Allow-Credentials beside it would be. */
  private headerSite(at: any, value: any, credentialScope: any): void {
    this.add(at, this.framework, this.eval(value, 'header'), setsCredentials(credentialScope), 'refused');
  }

  // Values ----------------------------------------------------------------------------------------

  private eval(node: any, mode: JsMode, depth = 0): Origins {
    if (!node || depth > 8) return DYNAMIC;
    const next = (n: any): Origins => this.eval(n, mode, depth + 1);
    const n = unwrap(node);
    if (mode === 'header' && isOriginHeaderRead(n)) return this.originChecks(this.scopeOf(n)) ?? REFLECTED;
    if (mode === 'header' && isCallerInput(n)) return REFLECTED; // the caller's own value: any origin they like
    const s = jsString(n);
    if (s !== undefined) return s === '*' ? ANY : list([s]);
    switch (n.type) {
      case 'BooleanLiteral':
        // `origin: true` echoes any origin (cors, @fastify/cors); `false` turns CORS off.
        if (mode === 'express' || mode === 'fastify') return n.value ? REFLECTED : list([]);
        return DYNAMIC;
      case 'RegExpLiteral':
        return patternOrigins(n.pattern, 'search', n.flags, false);
      case 'ArrayExpression':
        return n.elements.length
          ? combine(n.elements.map((el: any) => (el && el.type !== 'SpreadElement' ? next(el) : DYNAMIC)))
          : list([]);
      case 'NewExpression':
        return n.callee.type === 'Identifier' && n.callee.name === 'Set' && n.arguments.length === 1
          ? next(n.arguments[0])
          : DYNAMIC;
      case 'Identifier': {
        if (n.name === 'undefined') return list([]);
        const binding = this.binding(n);
        if (!binding?.init) return DYNAMIC;
        if (isEnvAllowlist(this.text.slice(binding.init.start, binding.init.end))) return FROM_ALLOWLIST;
        if (mode === 'header' && isOriginHeaderRead(binding.init)) return this.originChecks(binding.scope) ?? REFLECTED;
        if (mode === 'header' && isCallerInput(binding.init)) return REFLECTED;
        return next(binding.init);
      }
      case 'LogicalExpression':
        return n.operator === '&&' ? DYNAMIC : combine([next(n.left), next(n.right)]);
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
        // `origin: (origin) => origin`, `(origin, cb) => cb(null, true)`: the package echoes every origin.
        return mode !== 'header' && mode !== 'list' && echoesEveryOrigin(n) ? REFLECTED : DYNAMIC;
      case 'ConditionalExpression':
        return combine([next(n.consequent), next(n.alternate)]);
      case 'CallExpression':
      case 'OptionalCallExpression': {
        if (n.callee.type === 'Identifier' && this.allowlistHelpers.has(n.callee.name)) return FROM_ALLOWLIST;
        const method = memberName(n.callee);
        if (method && ['split', 'trim', 'toLowerCase'].includes(method)) {
          const value = next(n.callee.object);
          return value.kind === 'list' && method === 'split'
            ? list(
                value.values.flatMap((v) => v.split(',')).map((v) => v.trim()),
                value.unjudged,
              )
            : value;
        }
        return DYNAMIC;
      }
      default:
        return DYNAMIC;
    }
  }

  /** What the code checks the request's origin against before echoing it (see the Python twin). */
  private originChecks(scope: any): Origins | undefined {
    if (!scope) return undefined;
    const names = new Set<string>();
    for (const [name, entries] of this.bindings)
      if (entries.some((e) => e.scope === scope && e.init && isOriginHeaderRead(e.init))) names.add(name);
    const checks: Origins[] = [];
    const visit = (node: any): void => {
      const parent = this.parents.get(node);
      const isName =
        node.type === 'Identifier' &&
        names.has(node.name) &&
        !(parent?.type === 'VariableDeclarator' && parent.id === node) &&
        !isKeyPosition(node, parent);
      if (isName || isOriginHeaderRead(node)) {
        const check = this.classifyUse(node, parent);
        if (check) checks.push(check);
        return;
      }
      forEachChild(node, visit);
    };
    visit(scope);
    return checks.length ? combine(checks) : undefined;
  }

  private classifyUse(use: any, parent: any): Origins | undefined {
    if (!parent) return undefined;
    if (
      (parent.type === 'CallExpression' || parent.type === 'OptionalCallExpression') &&
      parent.arguments.includes(use)
    ) {
      const method = memberName(parent.callee);
      const receiver = parent.callee.object;
      if (receiver?.type === 'Identifier' && receiver.name === 'console') return undefined;
      if (method && JS_SETTERS.has(method) && jsString(parent.arguments[0]) !== undefined) return undefined;
      if (method && ['includes', 'has', 'indexOf'].includes(method)) return this.eval(receiver, 'list');
      return DYNAMIC;
    }
    if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === use) {
      const grand = this.parents.get(parent);
      const isCall =
        (grand?.type === 'CallExpression' || grand?.type === 'OptionalCallExpression') && grand.callee === parent;
      return isCall && !['toLowerCase', 'trim', 'toString'].includes(memberName(parent) ?? '') ? DYNAMIC : undefined;
    }
    if (parent.type === 'BinaryExpression') {
      const other = parent.left === use ? parent.right : parent.left;
      if (['===', '!==', '==', '!='].includes(parent.operator)) {
        const o = unwrap(other);
        if (o.type === 'NullLiteral' || (o.type === 'Identifier' && o.name === 'undefined') || jsString(o) === '')
          return undefined;
        return this.eval(other, 'list');
      }
      return parent.operator === 'in' ? DYNAMIC : undefined;
    }
    if (parent.type === 'SwitchStatement' && parent.discriminant === use) return DYNAMIC;
    return undefined;
  }

  /** The one declaration of a name in its function, else in the enclosing ones; none when a parameter. */
  private binding(name: any): JsBinding | undefined {
    const entries = this.bindings.get(name.name) ?? [];
    for (let scope = this.scopeOf(name); scope; scope = scope.type === 'Program' ? undefined : this.scopeOf(scope)) {
      if (this.params.get(scope)?.has(name.name)) return undefined;
      const here = entries.filter((e) => e.scope === scope);
      if (here.length) return here.length === 1 ? here[0] : undefined;
    }
    return undefined;
  }

  private resolve(name: any): any {
    const init = this.binding(name)?.init;
    return init && unwrap(init);
  }

  private isTrue(node: any): boolean {
    const n = unwrap(node);
    if (n?.type === 'Identifier') return this.isTrue(this.resolve(n));
    return n?.type === 'BooleanLiteral' && n.value === true;
  }

  private add(
    at: any,
    framework: CorsSite['framework'],
    origins: Origins,
    credentials: boolean,
    star: StarWithCredentials,
  ): void {
    this.sites.push(
      makeSite(this.file, at.loc.start.line, this.text.slice(at.start, at.end), framework, origins, credentials, star),
    );
  }
}

function isKeyPosition(node: any, parent: any): boolean {
  if (!parent) return false;
  if (parent.type === 'ObjectProperty' && parent.key === node && !parent.computed && !parent.shorthand) return true;
  return (
    (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') &&
    parent.property === node &&
    !parent.computed
  );
}

/**
 * An origin function with no condition that allows whatever it is given: it returns its first
 * parameter (Hono, Koa), or calls its callback with that parameter or `true` (cors, @fastify/cors).
 */
function echoesEveryOrigin(fn: any): boolean {
  const [origin, , third] = fn.params.map((p: any) => (p.type === 'Identifier' ? p.name : undefined));
  const body = fn.body.type === 'BlockStatement' && fn.body.body.length === 1 ? fn.body.body[0] : fn.body;
  const expression = unwrap(
    body.type === 'ReturnStatement' || body.type === 'ExpressionStatement' ? (body.argument ?? body.expression) : body,
  );
  if (!origin || !expression) return false;
  if (expression.type === 'Identifier') return expression.name === origin;
  const callback = fn.params.length >= 2 ? fn.params[fn.params.length - 1]?.name : undefined;
  const call = expression.type === 'CallExpression' && expression.callee.type === 'Identifier' ? expression : undefined;
  if (!call || !callback || call.callee.name !== callback || third === callback) return false;
  const allowed = unwrap(call.arguments[1]);
  return (
    (allowed?.type === 'BooleanLiteral' && allowed.value) || (allowed?.type === 'Identifier' && allowed.name === origin)
  );
}
