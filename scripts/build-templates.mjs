#!/usr/bin/env node
// Generates the JavaScript flavour of each TypeScript template (templates/next/rate-limit.ts →
// rate-limit.js) for users' JS projects.
//
// Why not ts.transpileModule's output as is: TypeScript's printer re-prints the whole file, so the
// blank lines go, indentation becomes 4 spaces and every `if (x) y;` is split over two lines. The
// helper is meant to be read by the user, so instead we delete the TypeScript-only text ranges
// (type declarations, annotations, type parameters and arguments, `as`/`satisfies`/`!`) from the
// original source, found with TypeScript's own parser, which keeps every comment, blank line and
// line break. transpileModule stays the oracle: the result must print to exactly the same program
// as transpileModule's output, or generation fails.
//
//   node scripts/build-templates.mjs           write the .js files
//   node scripts/build-templates.mjs --check   exit 1 when a committed .js file is stale

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The TypeScript templates that get a generated JavaScript twin (paths relative to the root). */
export const TEMPLATES = ['templates/next/rate-limit.ts', 'templates/next/cors.ts'];

const MAX_JOINED_LINE = 100;

/**
 * Strips the types from a TypeScript module, keeping its formatting.
 * @param {string} source TypeScript source
 * @param {string} [fileName] for error messages
 * @returns {string} JavaScript source
 */
export function generateJsTemplate(source, fileName = 'template.ts') {
  const stripped = joinShortParameterLists(applyEdits(source, typeOnlyRanges(source, fileName)));
  // Deleted type declarations leave runs of blank lines behind: keep one (none at the top).
  const js = stripped.replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '');
  assertSameProgram(source, js, fileName);
  return js;
}

/** Writes (or, with check, compares) every generated file; returns the paths that differ. */
export function buildTemplates({ check = false } = {}) {
  const stale = [];
  for (const tsPath of TEMPLATES) {
    const jsPath = tsPath.replace(/\.ts$/, '.js');
    const js = generateJsTemplate(readFileSync(join(ROOT, tsPath), 'utf8'), tsPath);
    let current;
    try {
      current = readFileSync(join(ROOT, jsPath), 'utf8');
    } catch {
      current = undefined;
    }
    if (current === js) continue;
    stale.push(jsPath);
    if (!check) writeFileSync(join(ROOT, jsPath), js);
  }
  return stale;
}

function fail(sourceFile, node, what) {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  throw new Error(
    `${sourceFile.fileName}:${line + 1}:${character + 1}: ${what} is not supported in templates ` +
      '(it has no plain type-stripped JavaScript form)',
  );
}

/** Text ranges [start, end) that exist only in TypeScript. */
function typeOnlyRanges(source, fileName) {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const syntaxErrors = sf.parseDiagnostics ?? [];
  if (syntaxErrors.length > 0) {
    const message = ts.flattenDiagnosticMessageText(syntaxErrors[0].messageText, '\n');
    throw new Error(`${fileName}: does not parse: ${message}`);
  }
  const ranges = [];
  // The ':' before an annotation, found by stepping back over whitespace from the type.
  const fromColon = (type) => {
    let at = type.getStart(sf) - 1;
    while (/\s/.test(source[at])) at -= 1;
    if (source[at] !== ':') fail(sf, type, 'a type annotation without a colon');
    return [at, type.end];
  };
  // '<' … '>' around a list of type parameters or type arguments.
  const angleBrackets = (list) => {
    let start = list.pos - 1;
    while (/\s/.test(source[start])) start -= 1;
    let end = list.end;
    while (/[\s,]/.test(source[end])) end += 1;
    if (source[start] !== '<' || source[end] !== '>') fail(sf, list[0], 'a type list without <>');
    return [start, end + 1];
  };
  // A whole statement; with its line when nothing else is on it.
  const wholeLines = (node) => {
    let start = node.getStart(sf);
    let end = node.end;
    const lineStart = source.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = source.indexOf('\n', end);
    if (/^\s*$/.test(source.slice(lineStart, start)) && /^\s*$/.test(source.slice(end, lineEnd))) {
      start = lineStart;
      end = lineEnd === -1 ? source.length : lineEnd + 1;
    }
    return [start, end];
  };

  const visit = (node) => {
    const modifiers = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
    for (const modifier of modifiers) {
      if (modifier.kind === ts.SyntaxKind.DeclareKeyword) fail(sf, node, '`declare`');
      if (
        ts.isParameter(node) ||
        [ts.SyntaxKind.AbstractKeyword, ts.SyntaxKind.OverrideKeyword].includes(modifier.kind) ||
        [ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.PrivateKeyword].includes(modifier.kind) ||
        [ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.ReadonlyKeyword].includes(modifier.kind)
      ) {
        fail(sf, node, 'a TypeScript-only modifier');
      }
    }
    if (ts.canHaveDecorators(node) && (ts.getDecorators(node) ?? []).length > 0) {
      fail(sf, node, 'a decorator');
    }
    if (ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node)) {
      ranges.push(wholeLines(node));
      return;
    }
    if (
      ts.isEnumDeclaration(node) ||
      ts.isModuleDeclaration(node) ||
      ts.isImportEqualsDeclaration(node) ||
      ts.isExportAssignment(node) ||
      ts.isTypeAssertionExpression(node) ||
      (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ImplementsKeyword)
    ) {
      fail(sf, node, ts.SyntaxKind[node.kind]);
    }
    if (
      (ts.isImportDeclaration(node) && node.importClause?.isTypeOnly) ||
      (ts.isExportDeclaration(node) && node.isTypeOnly)
    ) {
      fail(sf, node, 'a type-only import or export');
    }
    if ((ts.isImportSpecifier(node) || ts.isExportSpecifier(node)) && node.isTypeOnly) {
      fail(sf, node, 'a type-only import or export');
    }
    if (ts.isFunctionLike(node) && 'body' in node && !node.body && !ts.isArrowFunction(node)) {
      fail(sf, node, 'an overload or body-less function');
    }
    if (ts.isParameter(node) && ts.isIdentifier(node.name) && node.name.text === 'this') {
      fail(sf, node, 'a `this` parameter');
    }
    if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) && node.exclamationToken) {
      fail(sf, node, 'a definite assignment assertion');
    }
    if (ts.isPropertyDeclaration(node) && node.questionToken) fail(sf, node, 'an optional property');

    if (ts.isParameter(node) && node.questionToken) {
      ranges.push([node.questionToken.getStart(sf), node.questionToken.end]);
    }
    if (node.typeParameters?.length) ranges.push(angleBrackets(node.typeParameters));
    if (node.typeArguments?.length) ranges.push(angleBrackets(node.typeArguments));
    if (
      node.type &&
      (ts.isFunctionLike(node) ||
        ts.isParameter(node) ||
        ts.isVariableDeclaration(node) ||
        ts.isPropertyDeclaration(node))
    ) {
      ranges.push(fromColon(node.type));
    }
    if (ts.isParenthesizedExpression(node) && isAssertion(node.expression)) {
      // `(x as T).y` becomes `x.y`, as TypeScript emits it, when the parentheses only held the
      // assertion; otherwise they stay.
      let inner = node.expression;
      while (isAssertion(inner)) inner = inner.expression;
      if (ts.isLeftHandSideExpression(inner)) {
        ranges.push([node.getStart(sf), node.getStart(sf) + 1], [node.end - 1, node.end]);
      }
    }
    if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) {
      ranges.push([node.expression.end, node.end]);
      visit(node.expression);
      return;
    }
    if (ts.isNonNullExpression(node)) ranges.push([node.end - 1, node.end]);

    node.forEachChild((child) => {
      // Type nodes are deleted whole, so there is nothing to look at inside them.
      if (!ts.isTypeNode(child) || ts.isExpressionWithTypeArguments(child)) visit(child);
    });
  };
  visit(sf);
  return ranges;
}

function isAssertion(node) {
  return ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node);
}

function applyEdits(source, ranges) {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of sorted) {
    if (start < at) throw new Error(`overlapping type ranges at ${start}`);
    out += source.slice(at, start);
    at = end;
  }
  return out + source.slice(at);
}

/**
 * A parameter list that TypeScript needed several lines for, e.g.
 * `withRateLimit<…>(\n  handler: (…) => …,\n): … {`, can be one short line once the types are
 * gone: join it when the line fits.
 */
function joinShortParameterLists(js) {
  const sf = ts.createSourceFile('out.js', js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.parameters.length > 0) {
      const params = node.parameters;
      let open = params[0].getStart(sf) - 1;
      while (/\s/.test(js[open])) open -= 1;
      let close = params.end;
      while (/[\s,]/.test(js[close])) close += 1;
      const texts = params.map((p) => p.getText(sf));
      if (
        js[open] === '(' &&
        js[close] === ')' &&
        js.slice(open, close).includes('\n') &&
        !texts.some((t) => t.includes('\n'))
      ) {
        const joined = `(${texts.join(', ')})`;
        const lineStart = js.lastIndexOf('\n', open) + 1;
        let lineEnd = js.indexOf('\n', close);
        if (lineEnd === -1) lineEnd = js.length;
        const length = open - lineStart + joined.length + (lineEnd - close - 1);
        if (length <= MAX_JOINED_LINE) edits.push([open, close + 1, joined]);
      }
    }
    node.forEachChild(visit);
  };
  visit(sf);
  let out = js;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) {
    out = out.slice(0, start) + text + out.slice(end);
  }
  return out;
}

/** Both must print to the same program once comments and formatting are set aside. */
function assertSameProgram(tsSource, js, fileName) {
  const oracle = ts.transpileModule(tsSource, {
    fileName,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      verbatimModuleSyntax: true,
    },
    reportDiagnostics: true,
  });
  const errors = oracle.diagnostics ?? [];
  if (errors.length > 0) {
    throw new Error(`${fileName}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, '\n')}`);
  }
  const printer = ts.createPrinter({ removeComments: true });
  const print = (text) =>
    printer.printFile(ts.createSourceFile('x.js', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS));
  const jsSf = ts.createSourceFile('x.js', js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  if ((jsSf.parseDiagnostics ?? []).length > 0) {
    throw new Error(`${fileName}: the generated JavaScript does not parse`);
  }
  if (print(js) !== print(oracle.outputText)) {
    throw new Error(
      `${fileName}: the type-stripped JavaScript differs from ts.transpileModule's output; ` +
        'the template uses a construct that scripts/build-templates.mjs does not handle',
    );
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const check = process.argv.includes('--check');
  const stale = buildTemplates({ check });
  for (const path of stale) {
    console.log(check ? `stale: ${path} (run node scripts/build-templates.mjs)` : `wrote ${path}`);
  }
  if (stale.length === 0)
    console.log(`up to date: ${TEMPLATES.length} template(s) in ${relative(process.cwd(), ROOT) || '.'}`);
  if (check && stale.length > 0) process.exitCode = 1;
}
