import { extname } from 'node:path';
import type { ParserOptions, ParserPlugin } from '@babel/parser';
import { lazyRequire } from '../../core/lazy-require.js';

const babel = lazyRequire<typeof import('@babel/parser')>('@babel/parser');

type ParserName = 'tsx' | 'ts' | 'babel';

/**
 * The parser for a file, by its extension: tsx only where JSX is allowed in TypeScript (a `.ts`
 * file may use `<T>x` casts that tsx rejects), Babel with JSX (and Flow annotations) for
 * JavaScript flavours: the parsers jscodeshift offers as tsx, ts and babylon.
 */
export function parserFor(path: string): ParserName | undefined {
  switch (extname(path)) {
    case '.tsx':
      return 'tsx';
    case '.ts':
    case '.mts':
    case '.cts':
      return 'ts';
    case '.js':
    case '.jsx':
    case '.mjs':
    case '.cjs':
      return 'babel';
    default:
      return undefined;
  }
}

const PLUGINS: Record<ParserName, ParserPlugin[]> = {
  tsx: ['typescript', 'jsx', 'decorators-legacy'],
  ts: ['typescript', 'decorators-legacy'],
  babel: ['jsx', 'flow', 'decorators-legacy', 'exportDefaultFrom'],
};

/**
 * The Babel AST of a source file. Babel directly, not through recast: recast hands the parser a
 * copy with tabs expanded and line endings normalised, so its node offsets do not index the real
 * text. Ours do, so edits are exact splices. No token list: we never reprint.
 */
export function parseSource(path: string, source: string): any {
  const options: ParserOptions = {
    sourceType: 'module',
    allowImportExportEverywhere: true,
    allowReturnOutsideFunction: true,
    plugins: PLUGINS[parserFor(path) ?? 'babel'],
  };
  return babel().parse(source, options);
}
