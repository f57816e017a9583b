// Secret values must never leave the tool: every text we print goes through maskSecrets.
// The formats are the providers' documented key shapes; the mask keeps the prefix and the
// last four characters so a user can still tell which key is meant.

import { KEY_FORMATS } from '../knowledge/key-formats.js';

// The key shapes, unanchored: keys are found anywhere in a text, not only as a whole string.
const SECRET_PATTERNS = KEY_FORMATS.map(({ pattern }) => new RegExp(`\\b${pattern.source.slice(1, -1)}`, 'g'));

/** `sk-proj-abc…wxyz` → `sk-…wxyz`: enough to recognise a key, not enough to use it. */
export function maskSecret(value: string): string {
  const prefix = KEY_FORMATS.find((format) => value.startsWith(format.prefix))?.prefix ?? '';
  return `${prefix}…${value.slice(-4)}`;
}

export function maskSecrets(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, maskSecret);
  return out;
}

/**
 * A value about to be printed as JSON, masked string by string: masking the serialized text
 * alone misses a key right after an escape (`"\\nsk-…"`: the `n` hides the word boundary).
 */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskSecrets(value) as T;
  if (Array.isArray(value)) return value.map(maskDeep) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskSecrets(k), maskDeep(v)])) as T;
  return value;
}
