import { readFileSync, statSync } from 'node:fs';

/** Files above this size are generated or vendored code, never a route a user wrote by hand. */
export const MAX_FILE_BYTES = 1024 * 1024;

export type ReadResult = { text: string } | { skip: string };

// ignoreBOM keeps a byte order mark in the text, so that a file we change keeps it too.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a source file the way every transform expects it: UTF-8 text of a sane size.
 * Anything else is reported as a skip with its reason, so the run goes on and loses nothing.
 */
export function readSourceFile(path: string): ReadResult {
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return { skip: 'cannot read: ENOENT (not a file)' };
    size = stats.size;
  } catch (error) {
    return { skip: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  if (size > MAX_FILE_BYTES)
    return { skip: `too large (${Math.ceil(size / 1024)} KiB; the limit is ${MAX_FILE_BYTES / 1024} KiB)` };
  const bytes = readFileSync(path);
  // A NUL byte in the first few KiB is how git itself tells binary from text.
  if (bytes.subarray(0, 8000).includes(0)) return { skip: 'binary file' };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { skip: 'not UTF-8 text' };
  }
}
