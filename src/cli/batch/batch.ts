import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import { camelKeys, processIo, type Io } from '../run.js';
import { DEFAULT_BRANCH, EXIT, optionsOf } from '../command-options.js';
import { selectSteps } from '../detect.js';
import { optionResolver } from '../../engine/options.js';
import { maskSecrets } from '../../core/secrets.js';
import { runPool } from './pool.js';
import type { RepoJob } from './process-repo.js';
import { createProgress } from './progress.js';
import { parseShard, readRepoFile, RepoListError, selectShard, toEntries } from './repo-list.js';
import { formatSummaryMarkdown, formatSummaryTable, summaryJson } from './summary.js';

// The `batch` command: `all` in each of many repositories, each on its own (one failing never
// stops the others), on worker processes, optionally one shard of the list for a CI matrix.

export async function runBatch(
  args: Record<string, unknown>,
  io: Io = processIo(),
  opts: { tty?: boolean } = {},
): Promise<number> {
  const fail = (message: string) => {
    io.err(`${pc.red('error:')} ${maskSecrets(message)}\n`);
    return EXIT.usage;
  };
  const selected = selectSteps(args.only, args.skip);
  if ('error' in selected) return fail(selected.error);

  let entries: ReturnType<typeof toEntries>;
  let shard: ReturnType<typeof parseShard> | undefined;
  try {
    const sources = [
      ...(typeof args.repos === 'string' ? readRepoFile(args.repos) : []),
      ...((args.paths as string[] | undefined) ?? []).map(String),
    ];
    if (!sources.length) return fail('name the repositories: paths or git URLs, or --repos <file> with one per line');
    entries = toEntries(sources);
    shard = typeof args.shard === 'string' ? parseShard(args.shard) : undefined;
  } catch (error) {
    if (error instanceof RepoListError) return fail(error.message);
    throw error;
  }
  const mine = shard ? selectShard(entries, shard) : entries;

  const concurrency = Number(args.concurrency ?? availableParallelism());
  if (!Number.isInteger(concurrency) || concurrency < 1)
    return fail(`--concurrency must be a whole number of at least 1 (got ${String(args.concurrency)})`);
  const timeout = Number(args.timeout ?? 600);
  if (!Number.isFinite(timeout) || timeout < 0)
    return fail(`--timeout must be a number of seconds, 0 for none (got ${String(args.timeout)})`);
  const branch = args.branch === '' ? DEFAULT_BRANCH : typeof args.branch === 'string' ? args.branch : undefined;
  if (branch && !validBranch(branch)) return fail(`--branch: "${branch}" is not a valid git branch name`);

  const outDir = resolve(String(args.out ?? 'ai-secure-batch'));
  const workDir = resolve(String(args.workDir ?? join(outDir, 'repos')));
  // Flags only: each repository's own config fills in the rest (validated there, per repository).
  const options = camelKeys(args);
  const problem = optionResolver(optionsOf(selected.steps), options, undefined).check();
  if (problem) return fail(problem);
  mkdirSync(outDir, { recursive: true });
  const jobs: RepoJob[] = mine.map((entry) => ({
    entry,
    outDir,
    workDir,
    branch,
    steps: selected.steps.map((s) => s.meta.slug),
    options,
  }));

  io.err(
    `${shard ? `shard ${shard.index}/${shard.count}: ` : ''}${jobs.length} of ${entries.length} repositories, ${Math.min(concurrency, jobs.length || 1)} worker${concurrency === 1 ? '' : 's'}${branch ? `, committing on ${branch}` : ', dry run (patches and summaries only)'}\n`,
  );
  const progress = createProgress(jobs.length, io, opts.tty ?? (Boolean(process.stderr.isTTY) && !process.env.CI));
  const results = await runPool(jobs, {
    concurrency,
    timeoutMs: timeout * 1000,
    onResult: (result) => progress.done(result),
  });
  progress.stop();

  const json = summaryJson(results, { shard, branch, outDir });
  writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(outDir, 'summary.md'), formatSummaryMarkdown(results));
  if (args.json) io.out(`${JSON.stringify(json, null, 2)}\n`);
  else io.out(formatSummaryTable(results, { color: io.color }));
  io.err(`Patches, pull-request bodies and summary.json are in ${outDir}\n`);
  return results.some((r) => r.status === 'error') ? EXIT.fileErrors : EXIT.ok;
}

function validBranch(name: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
