import cliProgress from 'cli-progress';
import type { Io } from '../run.js';
import type { RepoResult } from './process-repo.js';

// Progress of a batch on stderr: a bar on a terminal, one plain line per repository elsewhere
// (CI logs keep every line; a redrawn bar would be noise there).

export interface Progress {
  done(result: RepoResult): void;
  stop(): void;
}

export function createProgress(total: number, io: Io, tty: boolean): Progress {
  let count = 0;
  if (tty) {
    const bar = new cliProgress.SingleBar(
      {
        format: '{bar} {value}/{total} repositories | {last}',
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { last: '' });
    return {
      done: (result) => bar.increment({ last: `${result.name}: ${result.status}` }),
      stop: () => bar.stop(),
    };
  }
  return {
    done(result) {
      count++;
      io.err(`[${count}/${total}] ${result.name}: ${describeResult(result)} (${(result.ms / 1000).toFixed(1)} s)\n`);
    },
    stop() {},
  };
}

/** `changed, 4 files, 2 need a human` or `error: <why>`: one repository's outcome in words. */
export function describeResult(result: RepoResult): string {
  if (result.status === 'error' || result.status === 'skipped') return `${result.status}: ${result.reason}`;
  const parts: string[] = [result.status];
  if (result.changes) parts.push(`${result.changes} file${result.changes === 1 ? '' : 's'}`);
  if (result.findings) parts.push(`${result.findings} need${result.findings === 1 ? 's' : ''} a human`);
  if (result.fileErrors) parts.push(`${result.fileErrors} file${result.fileErrors === 1 ? '' : 's'} not processed`);
  return parts.join(', ');
}
