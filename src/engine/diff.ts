import { lazyRequire } from '../core/lazy-require.js';
import pc from 'picocolors';
import type { FileChange } from '../project/overlay.js';
import { maskSecrets } from '../core/secrets.js';

/**
 * A git-style unified diff of the changes, paths relative to `base` (the repository root, so
 * that `git apply` takes it from there). Colors only when asked, i.e. on a terminal.
 */
export function formatPatch(changes: FileChange[], toPath: (path: string) => string, color = false): string {
  const parts = changes.map((change) => fileDiff(change, toPath(change.path)));
  const patch = maskSecrets(parts.join(''));
  return color ? colorize(patch) : patch;
}

export const diffLib = lazyRequire<typeof import('diff')>('diff');

function fileDiff(change: FileChange, path: string): string {
  const created = change.before === null;
  const body = diffLib()
    .createPatch(path, change.before ?? '', change.after, '', '', { context: 3 })
    .split('\n')
    .slice(4) // createPatch's own Index/===/---/+++ header: we write git's instead
    .join('\n');
  const header = [
    `diff --git a/${path} b/${path}`,
    ...(created ? ['new file mode 100644'] : []),
    `--- ${created ? '/dev/null' : `a/${path}`}`,
    `+++ b/${path}`,
  ].join('\n');
  return `${header}\n${body.endsWith('\n') ? body : `${body}\n`}`;
}

function colorize(patch: string): string {
  return patch
    .split('\n')
    .map((line) => {
      if (/^(diff --git|new file mode|--- |\+\+\+ )/.test(line)) return pc.bold(line);
      if (line.startsWith('@@')) return pc.cyan(line);
      if (line.startsWith('+')) return pc.green(line);
      if (line.startsWith('-')) return pc.red(line);
      return line;
    })
    .join('\n');
}
