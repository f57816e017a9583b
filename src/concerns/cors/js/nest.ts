import { keyName, memberName, unwrap } from '../../../lang/js/ast.js';

// NestJS hands its CORS options to the cors package: `app.enableCors(options)` and
// `NestFactory.create(AppModule, { cors: true | options })`. Detect and the rewrite read them here.

/** Whether the module imports from a package whose name starts with `prefix` (`@nestjs/`). */
export function importsFrom(program: any, prefix: string): boolean {
  return program.body.some((s: any) => s.type === 'ImportDeclaration' && String(s.source.value).startsWith(prefix));
}

/** `NestFactory.create(Module, options)`. */
export function isNestCreate(call: any): boolean {
  return memberName(call.callee) === 'create' && call.callee.object?.name === 'NestFactory';
}

/** The `cors` property of `NestFactory.create`'s options, when they are a literal object. */
export function nestCorsOption(call: any): any {
  const options = unwrap(call.arguments[1]);
  if (options?.type !== 'ObjectExpression') return undefined;
  return options.properties.find((p: any) => p.type === 'ObjectProperty' && keyName(p) === 'cors');
}
