import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../core/package-root.js';
import type { RepoJob, RepoResult } from './process-repo.js';

// Runs repository jobs on N worker processes, a new job to each worker as it finishes one. A
// worker that dies or runs past the time limit fails only the repository it was on: it is
// replaced and the batch goes on.

export interface PoolOptions {
  concurrency: number;
  /** Per repository, in milliseconds; 0 for none. */
  timeoutMs: number;
  onStart?(job: RepoJob): void;
  onResult(result: RepoResult): void;
}

/** The compiled worker: workers run plain JavaScript, whether we run from dist/ or from tests. */
export const WORKER_SCRIPT = () => join(packageRoot(), 'dist', 'src', 'cli', 'batch', 'worker.js');

export function runPool(jobs: RepoJob[], options: PoolOptions): Promise<RepoResult[]> {
  const results = new Array<RepoResult>(jobs.length);
  let next = 0;
  let finished = 0;

  return new Promise((resolveAll) => {
    if (!jobs.length) return resolveAll([]);
    const startWorker = () => {
      const worker = fork(WORKER_SCRIPT(), [], {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'advanced',
      });
      let current: { index: number; timer?: NodeJS.Timeout } | undefined;
      let stderr = '';
      worker.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-2000);
      });

      const settle = (result: RepoResult) => {
        if (!current) return;
        clearTimeout(current.timer);
        results[current.index] = result;
        current = undefined;
        finished++;
        options.onResult(result);
        if (finished === jobs.length) resolveAll(results);
      };
      const give = () => {
        if (next >= jobs.length) return worker.disconnect();
        const index = next++;
        const job = jobs[index]!;
        current = { index };
        if (options.timeoutMs > 0) {
          current.timer = setTimeout(() => {
            fail(worker, `timed out after ${options.timeoutMs / 1000} s (--timeout)`);
          }, options.timeoutMs);
        }
        options.onStart?.(job);
        worker.send(job);
      };
      const fail = (w: ChildProcess, reason: string) => {
        const job = current && jobs[current.index]!;
        w.removeAllListeners('exit');
        w.kill('SIGKILL');
        if (job)
          settle({
            source: job.entry.source,
            name: job.entry.name,
            status: 'error',
            reason,
            changes: 0,
            findings: 0,
            fileErrors: 0,
            ms: options.timeoutMs,
          });
        if (next < jobs.length) startWorker();
      };

      worker.on('message', (result: RepoResult) => {
        settle(result);
        give();
      });
      // Could not start (or lost its channel): this repository fails, a new worker takes the next.
      worker.on('error', (error) => fail(worker, `the worker failed: ${error.message}`));
      worker.on('exit', (code, signal) => {
        if (!current) return;
        const last = stderr.trim().split('\n').slice(-1)[0];
        fail(
          worker,
          `the worker stopped (${signal ?? `exit code ${code}`}) while on this repository${last ? `: ${last}` : ''}`,
        );
      });
      give();
    };
    for (let i = 0; i < Math.min(options.concurrency, jobs.length); i++) startWorker();
  });
}
