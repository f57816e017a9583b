import { keyFormatOf, type KeyFormat } from '../../knowledge/key-formats.js';

// Reading string literals for keys, the same way in every language.

/** A provider key inside a string: the whole string, or a part (`Bearer sk-…`). */
export function findKeyIn(value: string): { key: string; index: number; format: KeyFormat } | undefined {
  for (const match of value.matchAll(/[A-Za-z0-9_-]{20,}/g)) {
    const format = keyFormatOf(match[0]);
    if (format) return { key: match[0], index: match.index, format };
  }
  return undefined;
}

/** `your-api-key`, `sk-...`, `<YOUR_KEY>`, `xxx`: text that stands for a key, not a key. */
export function isPlaceholder(value: string): boolean {
  const text = value.trim();
  // A placeholder is short; the cap also keeps the pattern's `.*….*` from backtracking over a long string.
  if (!text || text.length > PLACEHOLDER_MAX) return false;
  return /^(<.*>|\.\.\.|x{3,}|sk-\.\.\.|.*(your|my|insert|replace|placeholder|api[-_ ]?key|token).*)$/i.test(text);
}

const PLACEHOLDER_MAX = 200;

/** A key found in one file, and what we did about it. */
export interface FoundKey {
  line: number;
  envName: string;
  /** What the literal held, masked, or a word for a placeholder. */
  shown: string;
  format?: KeyFormat;
  replaced: boolean;
  /** What the literal became: `process.env.X`, `os.environ["X"]`. */
  replacement?: string;
  reason?: string;
}
