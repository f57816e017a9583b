import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { lazyRequire } from '../core/lazy-require.js';
import type { FileChange } from '../project/overlay.js';

const writeFileAtomic = lazyRequire<typeof import('write-file-atomic')>('write-file-atomic');

/**
 * Writes each change atomically (a temp file renamed over the target), keeping the file's mode,
 * so an interrupted run leaves every file either as it was or as we meant it.
 */
export function writeChanges(changes: FileChange[]): void {
  if (!changes.length) return;
  for (const change of changes) {
    mkdirSync(dirname(change.path), { recursive: true });
    const mode = change.before === null ? undefined : statSync(change.path).mode;
    writeFileAtomic().sync(change.path, change.after, { encoding: 'utf8', mode, fsync: true });
  }
}
