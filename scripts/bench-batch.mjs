#!/usr/bin/env node
// Benchmark report for `batch` (not a timed test: it prints figures and says which targets they
// meet, it never fails a build).
//
// It generates N Next.js monorepos of F files each (scripts/bench.mjs's generator, a different
// seed per repository), each a git repository with one commit as users' repositories are, and
// runs side by side, interleaved round by round (the machine is noisy), each a fresh process:
//   (1) batch --repos <list> --concurrency 1 --out <tmp>        (a dry run: nothing is written)
//   (2) the same with --concurrency 2
//   (3) N sequential `node dist/bin/cli.js all <repo> --dry`, the sum of their wall times
//       (first round only by default: 200 processes are their own average; --single-runs)
//   (4) plain jscodeshift with the compiled next-ratelimit transform over the same N trees (25 per
//       invocation: see JSCODESHIFT_GROUP)
//   (5) linearity: batch --concurrency 2 over the first 1/4 and 1/2 of the list (and all of it, 2)
// Every figure is the median over the rounds (--runs, default 3). The commands run from a copy of
// dist/, templates/ and package.json taken at the start: a build started meanwhile (the run is
// long) cannot change, or break, what is measured halfway through.
//
//   npm run build && node scripts/bench-batch.mjs               # 200 x 500 files; about 15 minutes on 2 cores
//   node scripts/bench-batch.mjs --repos 20 --runs 1 --json out.json
//   node scripts/bench-batch.mjs --keep                          # keep (and reuse) the generated trees
//
// Targets from the issue: t(1 worker) / t(2 workers) >= 1.8 on 2 cores; N single runs / batch >= 3
// (no per-repository start-up); time growing linearly with the number of repositories.

import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateMonorepo } from './bench.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const JSCODESHIFT = path.join(REPO, 'node_modules/jscodeshift/bin/jscodeshift.js');
/** The built CLI, worker and transform, in the package folder `pkg` (REPO, or the snapshot of it). */
const built = (pkg) => ({
  cli: path.join(pkg, 'dist/bin/cli.js'),
  worker: path.join(pkg, 'dist/src/cli/batch/worker.js'),
  transform: path.join(pkg, 'dist/transforms/next-ratelimit.js'),
});

/** A copy of the built package (node_modules linked, not copied) that later builds leave alone. */
function snapshotPackage(into) {
  mkdirSync(into, { recursive: true });
  for (const entry of ['dist', 'templates', 'package.json'])
    cpSync(path.join(REPO, entry), path.join(into, entry), { recursive: true });
  symlinkSync(path.join(REPO, 'node_modules'), path.join(into, 'node_modules'), 'dir');
  const probe = spawnSync(process.execPath, [built(into).cli, '--version'], { encoding: 'utf8' });
  if (probe.status !== 0)
    throw new Error(
      `the built CLI does not start (a build under way?); run \`npm run build\` and try again:\n${probe.stderr.trim().split('\n').slice(-3).join('\n')}`,
    );
  return into;
}

const TARGETS = { oneOverTwo: 1.8, singleOverBatch: 3, linearWithin: 0.15 };

// ---------------------------------------------------------------------------------------------
// The repositories
// ---------------------------------------------------------------------------------------------

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

/** `git init` + one commit of the whole tree (the generated .gitignore keeps node_modules out). */
async function commitTree(dir) {
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['-c', 'commit.gpgsign=false', 'commit', '-qm', 'tree'],
  ]) {
    const code = await new Promise((resolve) =>
      spawn('git', args, { cwd: dir, stdio: 'ignore', env: GIT_ENV }).on('close', resolve),
    );
    if (code !== 0) throw new Error(`git ${args.join(' ')} failed in ${dir}`);
  }
}

/**
 * Writes `repos` monorepos of `files` files under `root` (repo-001, repo-002…; repository i has
 * seed `seed + i`, so they differ), each a git repository with one commit. A repository already
 * there from an earlier run with the same parameters (its `.git/bench-done` stamp) is reused.
 */
export async function generateRepos(
  root,
  { repos = 200, files = 500, seed = 1, concurrency = os.availableParallelism(), onProgress } = {},
) {
  const width = Math.max(3, String(repos).length);
  const list = Array.from({ length: repos }, (_, i) => ({
    dir: path.join(root, `repo-${String(i + 1).padStart(width, '0')}`),
    seed: seed + i,
  }));
  const stamp = (repo) => path.join(repo.dir, '.git', 'bench-done');
  const stampText = (repo) => JSON.stringify({ files, seed: repo.seed });
  const manifests = new Array(repos);
  let reused = 0;
  let next = 0;
  let done = 0;
  // Generation is synchronous and git runs in child processes: a few repositories in flight keep both cores busy.
  const lane = async () => {
    while (next < list.length) {
      const index = next++;
      const repo = list[index];
      if (existsSync(stamp(repo)) && readFileSync(stamp(repo), 'utf8') === stampText(repo)) {
        reused++;
      } else {
        rmSync(repo.dir, { recursive: true, force: true });
        const manifest = generateMonorepo(repo.dir, { files, seed: repo.seed });
        manifests[index] = { aiRoutes: manifest.aiRoutes, routes: manifest.routes.length, bytes: manifest.bytes };
        await commitTree(repo.dir);
        writeFileSync(stamp(repo), stampText(repo));
      }
      onProgress?.(++done, repos);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return { dirs: list.map((r) => r.dir), reused, manifests };
}

// ---------------------------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------------------------

// Every Node process (the batch parent and each worker it forks, which inherit NODE_OPTIONS)
// appends its pid, its parent's pid and its peak RSS on exit: a worker's peak apart from its parent's.
const RSS_HOOK = `import { appendFileSync } from 'node:fs';
process.on('exit', () => {
  try { appendFileSync(process.env.BENCH_RSS_FILE, process.pid + ' ' + process.ppid + ' ' + process.resourceUsage().maxRSS + '\\n'); } catch {}
});
`;

/** CPU time of the whole machine so far (Linux /proc/stat, in seconds): what else ran beside us. */
function machineBusySeconds() {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .map(Number);
    return (user + nice + system + irq + softirq + steal) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

function hasGnuTime() {
  if (!existsSync('/usr/bin/time')) return false;
  const probe = spawnSync('/usr/bin/time', ['-f', '%U %S', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && /^[\d.]+ [\d.]+\s*$/m.test(probe.stderr);
}

/**
 * Runs one command in a fresh process; returns its wall time (ms), exit status, its CPU time
 * (user + sys of it and its children, when GNU time is there), the CPU time other processes took
 * meanwhile (`othersCores`: how many cores, on average, went to someone else), and with `rss` the
 * peak RSS (MB) of the process itself and of the largest child Node process it started.
 */
function measure(work, args, { keepStdout = false, rss = false } = {}) {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  const tmp = path.join(work.root, `m-${Math.random().toString(36).slice(2)}`);
  const rssFile = `${tmp}.rss`;
  const timeFile = `${tmp}.time`;
  if (rss) {
    env.BENCH_RSS_FILE = rssFile;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(work.rssHook).href}`.trim();
  }
  const [file, argv] = work.gnuTime
    ? ['/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, ...args]]
    : [process.execPath, args];
  // Captured stdout goes to a file, not a pipe: a CLI that ends with process.exit() loses piped output.
  const outFile = keepStdout ? `${tmp}.out` : undefined;
  const outFd = outFile ? openSync(outFile, 'w') : 'ignore';
  const busyBefore = machineBusySeconds();
  const started = process.hrtime.bigint();
  const result = spawnSync(file, argv, {
    cwd: REPO,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', outFd, 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // Ctrl-C reaches the children too; stop here rather than measure the rest as failures.
  if (result.signal === 'SIGINT' || result.status === 130) throw new Error('interrupted');
  const busy = machineBusySeconds() - busyBefore;
  let stdout = '';
  if (outFile) {
    closeSync(outFd);
    stdout = readFileSync(outFile, 'utf8');
    rmSync(outFile);
  }
  let cpuMs = NaN;
  if (work.gnuTime && existsSync(timeFile)) {
    const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpuMs = (user + sys) * 1000;
    rmSync(timeFile);
  }
  const othersCores = Math.max(0, busy - cpuMs / 1000) / (ms / 1000);
  let parentMB = NaN;
  let childMB = NaN;
  if (rss && existsSync(rssFile)) {
    const rows = readFileSync(rssFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number));
    rmSync(rssFile);
    // The command's own process is the one whose parent is not among them (under GNU time it is not result.pid).
    const pids = new Set(rows.map(([pid]) => pid));
    const top = rows.find(([, ppid]) => !pids.has(ppid));
    parentMB = (top?.[2] ?? NaN) / 1024;
    const children = rows.filter((row) => row !== top).map(([, , kb]) => kb / 1024);
    if (children.length) childMB = Math.max(...children);
  }
  return { ms, cpuMs, othersCores, status: result.status, stdout, stderr: result.stderr ?? '', parentMB, childMB };
}

const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((x, y) => x - y);
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function jscodeshiftCounts(stdout) {
  const count = (label) => Number(new RegExp(`^(\\d+) ${label}\\s*$`, 'm').exec(stdout)?.[1] ?? NaN);
  return {
    ok: count('ok'),
    error: count('errors'),
    skipped: count('skipped'),
    unmodified: count('unmodified'),
    processed: Number(/Processing (\d+) files/.exec(stdout)?.[1] ?? NaN),
  };
}

/** A batch dry run over `list`; its summary.json says what it did (checked, then removed). */
function runBatch(work, list, concurrency, label) {
  const out = path.join(work.root, `out-${label}`);
  rmSync(out, { recursive: true, force: true });
  const m = measure(work, [work.cli, 'batch', '--repos', list, '--concurrency', String(concurrency), '--out', out], {
    rss: true,
  });
  let statuses = {};
  // Time inside processRepo, summed over the repositories: the rest of the wall time is start-up,
  // forking the workers, IPC and the summary.
  let repoMs = NaN;
  let repoTimes = [];
  try {
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    for (const repo of summary.repositories) statuses[repo.status] = (statuses[repo.status] ?? 0) + 1;
    repoTimes = summary.repositories.map((repo) => repo.ms);
    repoMs = repoTimes.reduce((sum, ms) => sum + ms, 0);
  } catch {
    statuses = { 'no summary.json': 1 };
  }
  rmSync(out, { recursive: true, force: true });
  return { ...m, statuses, repoMs, repoTimes };
}

/** N `all <repo> --dry` processes one after another: the sum of their wall times. */
function runSingles(work, dirs, onEach) {
  let ms = 0;
  let cpuMs = 0;
  let othersMs = 0;
  const exits = {};
  const each = [];
  for (const [i, dir] of dirs.entries()) {
    const m = measure(work, [work.cli, 'all', dir, '--dry']);
    ms += m.ms;
    cpuMs += m.cpuMs;
    othersMs += m.othersCores * m.ms;
    each.push(m.ms);
    exits[m.status] = (exits[m.status] ?? 0) + 1;
    onEach?.(i + 1, dirs.length);
  }
  return {
    ms,
    cpuMs,
    othersCores: othersMs / ms,
    exits,
    medianEach: median(each),
    status: Object.keys(exits).every((code) => code === '0') ? 0 : 1,
  };
}

// The same flags as scripts/bench.mjs's (c): --no-babel (with jscodeshift's default --babel the
// worker dies loading our ESM build), node_modules ignored. Not --silent: its counts are read.
// At most JSCODESHIFT_GROUP trees per invocation, one invocation after another: over all 200 trees
// (94,400 files) at once its worker holds a descriptor open for every file queued to it and runs
// out (EMFILE under `ulimit -n` 20000), and 59,940 files fail; 25 at a time none does.
const JSCODESHIFT_GROUP = 25;
function runJscodeshift(work, dirs) {
  const total = {
    ms: 0,
    cpuMs: 0,
    othersMs: 0,
    status: 0,
    childMB: NaN,
    parentMB: NaN,
    invocations: 0,
    counts: { ok: 0, error: 0, skipped: 0, unmodified: 0, processed: 0 },
  };
  for (let i = 0; i < dirs.length; i += JSCODESHIFT_GROUP) {
    const m = measure(
      work,
      [
        JSCODESHIFT,
        '--no-babel',
        '-t',
        work.transform,
        '--extensions=ts,tsx,js,jsx',
        '--parser=tsx',
        '--dry',
        '--ignore-pattern=**/node_modules/**',
        ...dirs.slice(i, i + JSCODESHIFT_GROUP),
      ],
      { keepStdout: true, rss: true },
    );
    const counts = jscodeshiftCounts(m.stdout);
    for (const key of Object.keys(total.counts)) total.counts[key] += counts[key];
    total.ms += m.ms;
    total.cpuMs += m.cpuMs;
    total.othersMs += m.othersCores * m.ms;
    total.status ||= m.status;
    total.childMB = Math.max(...[total.childMB, m.childMB].filter(Number.isFinite));
    total.parentMB = Math.max(...[total.parentMB, m.parentMB].filter(Number.isFinite));
    total.invocations++;
  }
  const { othersMs, ...rest } = total;
  return { ...rest, othersCores: othersMs / total.ms };
}

/** Nothing in the repositories changed: a dry run must leave every tree clean. */
function dirtyRepos(dirs) {
  return dirs.filter(
    (dir) => spawnSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' }).stdout.trim() !== '',
  );
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const fmtMs = (ms) =>
  !Number.isFinite(ms)
    ? '—'
    : ms >= 10_000
      ? `${(ms / 1000).toFixed(1)} s`
      : ms >= 1000
        ? `${(ms / 1000).toFixed(2)} s`
        : `${Math.round(ms)} ms`;
const fmtX = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '—');
const fmtMB = (mb) => (Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : '—');
const fmtCores = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—');
/** One measurement for the progress log: wall time, CPU time, what else ran, exit status. */
const brief = (m) =>
  `${fmtMs(m.ms)} (CPU ${fmtMs(m.cpuMs)}, other processes ${fmtCores(m.othersCores)} cores, exit ${m.status}${Number.isFinite(m.childMB) ? `, largest worker ${fmtMB(m.childMB)}` : ''}${Number.isFinite(m.repoMs) ? `, in processRepo ${fmtMs(m.repoMs)}` : ''})`;
const yes = (ok) => (ok ? 'met' : 'MISSED');
const log = (text) => process.stderr.write(`${text}\n`);

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function parseArgs(argv) {
  const opts = {
    repos: 200,
    files: 500,
    runs: 3,
    singleRuns: 1,
    seed: 1,
    json: undefined,
    keep: false,
    jscodeshift: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--repos':
        opts.repos = Number(value());
        break;
      case '--files':
        opts.files = Number(value());
        break;
      case '--runs':
        opts.runs = Number(value());
        break;
      case '--single-runs':
        opts.singleRuns = Number(value());
        break;
      case '--seed':
        opts.seed = Number(value());
        break;
      case '--json':
        opts.json = value();
        break;
      case '--keep':
        opts.keep = true;
        break;
      case '--no-jscodeshift':
        opts.jscodeshift = false;
        break;
      case '-h':
      // biome-ignore lint/suspicious/noFallthroughSwitchClause: it ends in process.exit(0)
      case '--help':
        process.stdout.write(`Usage: node scripts/bench-batch.mjs [--repos 200] [--files 500] [--runs 3] [--single-runs 1] [--seed 1] [--json out.json] [--keep] [--no-jscodeshift]

Generates --repos Next.js monorepos of --files files (git repositories, one commit each) and reports,
interleaved round by round, the median of --runs rounds of: (1) batch --concurrency 1, (2) batch
--concurrency 2, (3) the sum of --repos sequential \`all <repo> --dry\` processes (in the first
--single-runs rounds only: one round is already --repos processes), (4) plain jscodeshift with the
compiled next-ratelimit transform over the same trees, (5) batch --concurrency 2 over 1/4 and 1/2
of the list. Run \`npm run build\` first. Trees are removed at the end unless --keep, which keeps
them in ${path.join(os.tmpdir(), 'ai-secure-bench-batch-<repos>x<files>-seed<seed>')} and reuses them next time.
`);
        process.exit(0);
      default:
        throw new Error(`unknown option ${arg} (see --help)`);
    }
  }
  if (!Number.isInteger(opts.repos) || opts.repos < 4) throw new Error('--repos: a whole number of at least 4');
  if (!Number.isInteger(opts.files) || opts.files < 250)
    throw new Error("--files: a whole number of at least 250 (the generator's minimum)");
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs: a whole number of at least 1');
  if (!Number.isInteger(opts.singleRuns) || opts.singleRuns < 0)
    throw new Error('--single-runs: a whole number, 0 for none');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { cli, worker, transform } = built(REPO);
  for (const needed of [cli, worker, transform, ...(opts.jscodeshift ? [JSCODESHIFT] : [])]) {
    if (!existsSync(needed))
      throw new Error(`${path.relative(REPO, needed)} is missing: run \`npm run build\` (and npm install) first`);
  }
  const keptTrees = path.join(os.tmpdir(), `ai-secure-bench-batch-${opts.repos}x${opts.files}-seed${opts.seed}`);
  const root = mkdtempSync(path.join(os.tmpdir(), 'ai-secure-bench-batch-run-'));
  const treesRoot = opts.keep ? keptTrees : path.join(root, 'trees');
  const cleanup = () => {
    rmSync(root, { recursive: true, force: true });
    if (!opts.keep) rmSync(treesRoot, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  let pkg;
  try {
    pkg = snapshotPackage(path.join(root, 'package'));
  } catch (error) {
    cleanup();
    throw error;
  }
  const work = { root, rssHook: path.join(root, 'rss-hook.mjs'), gnuTime: hasGnuTime(), ...built(pkg) };
  writeFileSync(work.rssHook, RSS_HOOK);
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  log(
    `bench-batch: ${machine.cpus} CPUs, Node ${machine.node}, ${opts.repos} repositories of ${opts.files} files, ${opts.runs} round(s), trees in ${treesRoot}`,
  );
  const totalStart = Date.now();

  try {
    // ---- the repositories and their lists -----------------------------------------------
    let t = Date.now();
    let shown = 0;
    const generated = await generateRepos(treesRoot, {
      repos: opts.repos,
      files: opts.files,
      seed: opts.seed,
      onProgress: (done, all) => {
        if (done === all || Date.now() - shown > 10_000) {
          shown = Date.now();
          log(`  generated ${done}/${all}`);
        }
      },
    });
    const generateMs = Date.now() - t;
    const made = generated.manifests.filter(Boolean);
    log(
      `${opts.repos} repositories ready in ${fmtMs(generateMs)} (${generated.reused} reused${made.length ? `; new ones: ${(made.reduce((s, m) => s + m.bytes, 0) / made.length / 1e6).toFixed(2)} MB, ${(made.reduce((s, m) => s + m.routes, 0) / made.length).toFixed(0)} route files, ${(made.reduce((s, m) => s + m.aiRoutes, 0) / made.length).toFixed(0)} calling AI on average` : ''})`,
    );
    const dirs = generated.dirs;
    const sizes = [...new Set([Math.round(opts.repos / 4), Math.round(opts.repos / 2), opts.repos])];
    const lists = Object.fromEntries(
      sizes.map((n) => {
        const file = path.join(root, `repos-${n}.txt`);
        writeFileSync(file, `${dirs.slice(0, n).join('\n')}\n`);
        return [n, file];
      }),
    );
    const full = lists[opts.repos];

    // ---- untimed warm-up: page cache for everyone, and what a batch does --------------------
    t = Date.now();
    const warm = runBatch(work, full, 2, 'warm');
    const dirty = dirtyRepos(dirs);
    log(
      `warm-up batch (2 workers, untimed) ${fmtMs(Date.now() - t)}: exit ${warm.status}, repositories ${JSON.stringify(warm.statuses)}; ${dirty.length ? `${dirty.length} repositories CHANGED by a dry run, e.g. ${dirty[0]}` : 'every repository left clean'}`,
    );
    if (warm.status !== 0) log(warm.stderr.split('\n').slice(-5).join('\n'));

    // ---- the rounds: every configuration once per round ---------------------------------
    const runs = {
      one: [],
      two: [],
      single: [],
      jscodeshift: [],
      ...Object.fromEntries(sizes.filter((n) => n !== opts.repos).map((n) => [`two@${n}`, []])),
    };
    for (let r = 0; r < opts.runs; r++) {
      const tag = `round ${r + 1}/${opts.runs}`;
      // (1) and (2) swap places every other round, so that neither always follows the same neighbour.
      const pair = [
        () => {
          runs.one.push(runBatch(work, full, 1, 'one'));
          log(`[${tag}] (1) batch, 1 worker: ${brief(runs.one.at(-1))}`);
        },
        () => {
          runs.two.push(runBatch(work, full, 2, 'two'));
          log(`[${tag}] (2) batch, 2 workers: ${brief(runs.two.at(-1))}`);
        },
      ];
      for (const run of r % 2 ? pair.reverse() : pair) run();
      if (r < opts.singleRuns) {
        let last = Date.now();
        runs.single.push(
          runSingles(work, dirs, (i, n) => {
            if (Date.now() - last > 30_000) {
              last = Date.now();
              log(`[${tag}] (3) single runs: ${i}/${n}`);
            }
          }),
        );
        log(
          `[${tag}] (3) ${opts.repos} single runs: ${brief(runs.single.at(-1))}; median ${fmtMs(runs.single.at(-1).medianEach)} each, exits ${JSON.stringify(runs.single.at(-1).exits)}`,
        );
      }
      if (opts.jscodeshift) {
        runs.jscodeshift.push(runJscodeshift(work, dirs));
        log(
          `[${tag}] (4) jscodeshift: ${brief(runs.jscodeshift.at(-1))}; ${JSON.stringify(runs.jscodeshift.at(-1).counts)}`,
        );
      }
      for (const n of sizes.filter((s) => s !== opts.repos)) {
        runs[`two@${n}`].push(runBatch(work, lists[n], 2, `two-${n}`));
        log(`[${tag}] (5) batch, 2 workers, ${n} repositories: ${brief(runs[`two@${n}`].at(-1))}`);
      }
    }

    // ---- figures --------------------------------------------------------------------------
    const med = (list) => median(list.map((m) => m.ms));
    const one = med(runs.one);
    const two = med(runs.two);
    const single = med(runs.single);
    const jscs = med(runs.jscodeshift);
    const perRepo = sizes.map((n) => {
      const ms = n === opts.repos ? two : med(runs[`two@${n}`]);
      return { repos: n, ms, perRepoMs: ms / n };
    });
    const slopes = perRepo.slice(1).map((p, i) => ({
      from: perRepo[i].repos,
      to: p.repos,
      msPerRepo: (p.ms - perRepo[i].ms) / (p.repos - perRepo[i].repos),
    }));
    const [lo, hi] = [perRepo[0], perRepo.at(-1)];
    const workerMB = Math.max(...[...runs.one, ...runs.two].map((m) => m.childMB).filter(Number.isFinite));
    const parentMB = Math.max(...[...runs.one, ...runs.two].map((m) => m.parentMB).filter(Number.isFinite));
    const statusesOk = [warm, ...runs.one, ...runs.two].every(
      (m) => m.status === 0 && !m.statuses.error && !m.statuses['no summary.json'],
    );

    const out = [];
    const roundsNote = `median of ${opts.runs} round(s), the configurations interleaved in each round; (3) measured in ${Math.min(opts.singleRuns, opts.runs)} round(s)`;
    out.push(
      `## batch benchmark`,
      '',
      `${opts.repos} generated Next.js monorepos x ${opts.files} files (git repositories, one commit each); ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}; ${roundsNote}; each command a fresh process.`,
      '',
    );
    const spread = (list) =>
      list.length > 1
        ? `${fmtMs(Math.min(...list.map((m) => m.ms)))}–${fmtMs(Math.max(...list.map((m) => m.ms)))}`
        : '';
    const row = (label, list, rssText) => {
      const ms = med(list);
      return [
        label,
        fmtMs(ms),
        fmtMs(ms / opts.repos),
        fmtMs(median(list.map((m) => m.cpuMs)) / opts.repos),
        fmtCores(median(list.map((m) => m.othersCores))),
        spread(list),
        rssText,
      ];
    };
    const rssOf = (list) =>
      `worker ${fmtMB(Math.max(...list.map((m) => m.childMB)))}, parent ${fmtMB(Math.max(...list.map((m) => m.parentMB)))}`;
    out.push(
      table(
        [
          'configuration',
          'wall time',
          'per repository',
          'CPU per repository',
          'other load (cores)',
          'range over rounds',
          'peak RSS',
        ],
        [
          row('(1) batch --concurrency 1', runs.one, rssOf(runs.one)),
          row('(2) batch --concurrency 2', runs.two, rssOf(runs.two)),
          row(`(3) ${opts.repos} x all --dry`, runs.single, ''),
          ...(opts.jscodeshift
            ? [row('(4) jscodeshift (next-ratelimit only)', runs.jscodeshift, rssOf(runs.jscodeshift))]
            : []),
        ],
      ),
    );
    out.push(
      '',
      `"CPU per repository": user + sys of every process of the command (GNU time${work.gnuTime ? '' : ': not found here'}); "other load": cores busy with processes not ours meanwhile (/proc/stat), the noise.`,
    );
    const inRepo = (list) => median(list.map((m) => m.repoMs)) / opts.repos;
    out.push(
      `Inside processRepo (the worker's own clock, per repository): 1 worker ${fmtMs(inRepo(runs.one))}, 2 workers ${fmtMs(inRepo(runs.two))}; the rest of (1)'s wall time, ${fmtMs(one - median(runs.one.map((m) => m.repoMs)))}, is start-up, forking, IPC and the summary.`,
    );
    // One worker takes the repositories in list order: a worker that slows down as it goes (caches
    // that keep growing, GC) shows as the last quarter taking longer than the second.
    const quarter = Math.max(1, Math.floor(opts.repos / 4));
    const early = median(runs.one.map((m) => median(m.repoTimes.slice(quarter, 2 * quarter))));
    const late = median(runs.one.map((m) => median(m.repoTimes.slice(-quarter))));
    const first = median(runs.one.map((m) => m.repoTimes[0]));
    out.push(
      `One worker over time (processRepo, median per repository): the first repository ${fmtMs(first)} (cold: parsers and templates load), the second quarter of the list ${fmtMs(early)}, the last quarter ${fmtMs(late)}.`,
    );
    if (opts.jscodeshift && runs.jscodeshift.length) {
      const c = runs.jscodeshift.at(-1).counts;
      out.push(
        '',
        `(4) ${runs.jscodeshift.at(-1).invocations} invocations of at most ${JSCODESHIFT_GROUP} trees each; counts: ok ${c.ok}, error ${c.error}, skipped ${c.skipped}, unmodified ${c.unmodified} of ${c.processed} files (it runs one step, next-ratelimit, on each file; batch runs every step plus the detect report).`,
      );
    }
    out.push(
      '',
      'Linearity (batch --concurrency 2):',
      '',
      table(
        ['repositories', 'wall time', 'per repository'],
        perRepo.map((p) => [p.repos, fmtMs(p.ms), fmtMs(p.perRepoMs)]),
      ),
    );
    if (slopes.length)
      out.push(
        '',
        `Marginal cost per added repository (start-up excluded): ${slopes.map((s) => `${s.from} → ${s.to}: ${fmtMs(s.msPerRepo)}`).join('; ')}.`,
      );

    const targets = [
      {
        target: `t(1 worker) / t(2 workers) >= ${TARGETS.oneOverTwo}`,
        value: fmtX(one / two),
        met: one / two >= TARGETS.oneOverTwo,
      },
      {
        target: `${opts.repos} single runs / batch (2 workers) >= ${TARGETS.singleOverBatch}`,
        value: fmtX(single / two),
        met: single / two >= TARGETS.singleOverBatch,
      },
      {
        target: `${opts.repos} single runs / batch (1 worker) >= ${TARGETS.singleOverBatch}`,
        value: fmtX(single / one),
        met: single / one >= TARGETS.singleOverBatch,
      },
      // Linear: 4x the repositories take at most 4x the time (+15% for noise). Less is start-up paid once, not a
      // curve, so a smaller batch's higher time per repository does not count against it.
      {
        target: `time grows at most linearly: t(${hi.repos}) / t(${lo.repos}) <= ${hi.repos / lo.repos} x ${1 + TARGETS.linearWithin}`,
        value: `${fmtX(hi.ms / lo.ms)} for ${hi.repos / lo.repos}x the repositories`,
        met: hi.ms / lo.ms <= (hi.repos / lo.repos) * (1 + TARGETS.linearWithin),
      },
      {
        target: `a worker does not slow down as it goes: last quarter <= ${1 + TARGETS.linearWithin} x second quarter`,
        value: `${fmtMs(late)} vs ${fmtMs(early)}`,
        met: late <= early * (1 + TARGETS.linearWithin),
      },
    ];
    out.push(
      '',
      'Targets:',
      '',
      table(
        ['target', 'value', ''],
        targets.map((tg) => [tg.target, tg.value, tg.value === '—' ? 'not measured' : yes(tg.met)]),
      ),
    );
    // The 2-core target is the one the noise hurts most: per round, with what else ran meanwhile.
    out.push(
      '',
      `Per round, t1/t2 (other load during 1 / 2, cores): ${runs.one.map((m, i) => `${fmtX(m.ms / runs.two[i].ms)} (${fmtCores(m.othersCores)} / ${fmtCores(runs.two[i].othersCores)})`).join('; ')}. ` +
        `Cores (2) kept busy, CPU time / wall time: ${runs.two.map((m) => fmtCores(m.cpuMs / m.ms)).join(', ')}; (1): ${runs.one.map((m) => fmtCores(m.cpuMs / m.ms)).join(', ')}.`,
    );
    out.push(
      `Other ratios: jscodeshift / batch (2 workers) ${fmtX(jscs / two)}, jscodeshift / batch (1 worker) ${fmtX(jscs / one)}; peak RSS of a batch worker ${fmtMB(workerMB)} (parent ${fmtMB(parentMB)}).`,
    );
    out.push(
      `Correctness: every batch run ${statusesOk ? 'exited 0 with no repository in error' : 'DID NOT exit cleanly'} (repositories ${JSON.stringify(warm.statuses)}); ${dirty.length ? `${dirty.length} repositories changed by a dry run` : 'the dry runs left every repository clean'}.`,
    );
    out.push(
      '',
      `Generating the repositories took ${fmtMs(generateMs)} (${generated.reused} reused); total bench time ${fmtMs(Date.now() - totalStart)}.`,
    );
    process.stdout.write(`${out.join('\n')}\n`);

    if (opts.json) {
      const strip = (list) => list.map(({ stdout, stderr, repoTimes, ...rest }) => rest);
      writeFileSync(
        opts.json,
        `${JSON.stringify(
          {
            machine,
            options: opts,
            generateMs,
            runs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, strip(v)])),
            figures: { one, two, single, jscodeshift: jscs, perRepo, slopes, workerMB, parentMB },
            targets,
          },
          null,
          2,
        )}\n`,
      );
      log(`wrote ${opts.json}`);
    }
  } finally {
    cleanup();
  }
}

const invoked = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  main().catch((error) => {
    process.stderr.write(`bench-batch: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
