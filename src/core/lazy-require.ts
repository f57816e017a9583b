import { createRequire } from 'node:module';

// CommonJS dependencies are loaded with require(), on first use: importing them as ES modules
// costs a lexer pass over each at every start, even in runs that never call them.
const require = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
