#!/usr/bin/env node
// Compares this checkout's built CLI with another build of the project (an older commit in a git
// worktree, say), side by side in one run: the same generated tree, the two CLIs alternating round
// by round, each a fresh process, medians reported. For changes that must not make anything slower
// (a refactor, a new layout). Not a timed test: it prints figures, it never fails a build.
//
//   git worktree add ../base <commit> && (cd ../base && npm ci && npm run build)
//   npm run build && node scripts/bench-compare.mjs --base ../base [--files 10000] [--runs 7]
//
// Measured: start-up (`--version`), `next-ratelimit --dry` and `detect --format json` on the tree.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMonorepo } from './bench.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = { base: undefined, files: 10_000, runs: 7 };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i];
    if (argv[i] === '--base') opts.base = path.resolve(value());
    else if (argv[i] === '--files') opts.files = Number(value());
    else if (argv[i] === '--runs') opts.runs = Number(value());
    else throw new Error(`unknown option ${argv[i]} (--base <dir> [--files N] [--runs N])`);
  }
  if (!opts.base) throw new Error('--base <dir>: the other build to compare with (its dist/bin/cli.js)');
  return opts;
}

/** Wall time of one fresh process, in ms; its exit code must be one the command documents. */
function timed(cli, args) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && run.status !== 3 && run.status !== 4)
    throw new Error(`${cli} ${args.join(' ')}: exit ${run.status}\n${run.stderr}`);
  return { ms, stdout: run.stdout };
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

const opts = parseArgs(process.argv.slice(2));
const tree = mkdtempSync(path.join(os.tmpdir(), 'ai-secure-compare-'));
try {
  generateMonorepo(tree, { files: opts.files });
  const builds = { base: path.join(opts.base, 'dist/bin/cli.js'), this: path.join(REPO, 'dist/bin/cli.js') };
  const commands = {
    'start-up (--version)': ['--version'],
    'next-ratelimit --dry': ['next-ratelimit', tree, '--dry'],
    'detect --format json': ['detect', tree, '--format', 'json'],
  };
  const times = {};
  const outputs = {};
  for (let round = 0; round < opts.runs; round++) {
    for (const [name, args] of Object.entries(commands)) {
      // Alternate which build goes first, so a slow moment of the machine hits both alike.
      const order = round % 2 ? ['this', 'base'] : ['base', 'this'];
      for (const build of order) {
        const { ms, stdout } = timed(builds[build], args);
        (times[`${name}\0${build}`] ??= []).push(ms);
        outputs[`${name}\0${build}`] ??= stdout;
      }
    }
  }
  console.log(`${opts.files} files, median of ${opts.runs} alternating rounds (ms)\n`);
  console.log(`${'command'.padEnd(24)} ${'base'.padStart(9)} ${'this'.padStart(9)}  this/base  same output`);
  for (const name of Object.keys(commands)) {
    const base = median(times[`${name}\0base`]);
    const mine = median(times[`${name}\0this`]);
    // detect's json names the tool version and paths only; a diff there is a behaviour change.
    const same = outputs[`${name}\0base`] === outputs[`${name}\0this`];
    console.log(
      `${name.padEnd(24)} ${base.toFixed(0).padStart(9)} ${mine.toFixed(0).padStart(9)}  ${(mine / base).toFixed(2).padStart(9)}  ${same ? 'yes' : 'NO'}`,
    );
  }
} finally {
  rmSync(tree, { recursive: true, force: true });
}
