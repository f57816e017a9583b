import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { FileChange } from './overlay.js';

/**
 * Writes each change atomically (a temp file renamed over the target), keeping the file's mode,
 * so an interrupted run leaves every file either as it was or as we meant it.
 */
export function writeChanges(changes: FileChange[]): void {
  if (!changes.length) return;
  // Only write mode needs it: loaded here, not at every start.
  const writeFileAtomic = createRequire(import.meta.url)('write-file-atomic') as typeof import('write-file-atomic');
  for (const change of changes) {
    mkdirSync(dirname(change.path), { recursive: true });
    const mode = change.before === null ? undefined : statSync(change.path).mode;
    writeFileAtomic.sync(change.path, change.after, { encoding: 'utf8', mode, fsync: true });
  }
}
