#!/usr/bin/env node
// The regression corpus: real public AI apps, judged against expectations written by reading them
// (corpus/apps.json; their code is never committed). Each app is taken at its recorded commit from
// a mirror folder (bare repositories, as the `fetch` tool leaves them: <mirrors>/<owner>+<name>/…),
// copied to a temporary folder, and run through `detect`, `all` (written) and `all --dry` again.
//
//   node scripts/corpus.mjs [--mirrors /work/.mirror] [--cli dist/bin/cli.js] [--out corpus/results.md]
//
// Per app and in total: recall (AI endpoints that end rate-limited), limiters kept (proven ones
// left alone), wrong changes (a guard on an endpoint that reaches no AI, or on one already
// limited), Server Actions reported, errors, whether a second run changes nothing, and the time.
// Not a CI test: CI has no network to fetch the apps.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: '/work/.mirror' },
    cli: { type: 'string', default: join(ROOT, 'dist', 'bin', 'cli.js') },
    out: { type: 'string', default: join(ROOT, 'corpus', 'results.md') },
  },
});
const { apps } = JSON.parse(readFileSync(join(ROOT, 'corpus', 'apps.json'), 'utf8'));

/** The git directory of a mirror: the folder under it that holds HEAD. */
function gitDirOf(mirror) {
  const stack = [mirror];
  while (stack.length) {
    const dir = stack.pop();
    if (existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects'))) return dir;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) stack.push(path);
    }
  }
  return undefined;
}

function cli(args, timeout) {
  const run = spawnSync(process.execPath, [values.cli, ...args], { encoding: 'utf8', timeout, maxBuffer: 1 << 28 });
  return {
    code: run.status ?? -1,
    out: `${run.stdout ?? ''}${run.stderr ?? ''}`,
    timedOut: run.error?.code === 'ETIMEDOUT',
  };
}

const rows = [];
const total = {
  protect: 0,
  protected: 0,
  proven: 0,
  kept: 0,
  wrong: 0,
  human: 0,
  humanReported: 0,
  errors: 0,
  crashes: 0,
  notIdempotent: 0,
};
for (const app of apps) {
  const mirror = join(values.mirrors, app.repo.replace('/', '+'));
  const gitDir = existsSync(mirror) ? gitDirOf(mirror) : undefined;
  if (!gitDir) {
    rows.push({ app, missing: true });
    continue;
  }
  const dir = mkdtempSync(join(tmpdir(), 'aisc-corpus-'));
  try {
    // An archive may stop short (large files left out of the snapshot): what arrived is what we judge.
    spawnSync('sh', ['-c', `git --git-dir="${gitDir}" archive ${app.commit} | tar -x -C "${dir}"`]);
    const started = Date.now();
    const before = cli(['detect', dir, '--format', 'json'], 120_000);
    const all = cli(['all', dir], 600_000);
    const after = cli(['detect', dir, '--format', 'json'], 120_000);
    const second = cli(['all', dir, '--dry'], 600_000);
    const seconds = (Date.now() - started) / 1000;
    const report = JSON.parse(after.out.slice(after.out.indexOf('{')));
    const key = (e) => `${e.file} ${e.method} ${e.route}`;
    const limited = new Set(report.endpoints.filter((e) => e.rateLimitedBy).map(key));
    // The endpoints the run changed, as file:line from its `changed` lines, matched to detect's endpoints.
    const changedAt = new Set(
      [...all.out.matchAll(/^changed\s+(\S+):(\d+)\s/gm)].map((m) => `${relative(dir, resolve(dir, m[1]))}:${m[2]}`),
    );
    // Lines as they were when `all` ran (the written files have moved them).
    const found = JSON.parse(before.out.slice(before.out.indexOf('{')));
    const lineOf = new Map(found.endpoints.map((e) => [key(e), `${e.file}:${e.line}`]));
    const guarded = (k) => changedAt.has(lineOf.get(k));
    // Its own limiter did not count (or it had none): the run must have added ours, and detect must see it.
    const protectedNow = app.protect.filter((k) => guarded(k) && limited.has(k));
    const kept = app.provenLimited.filter((k) => limited.has(k) && !guarded(k));
    const wrong = [...app.leave, ...app.provenLimited].filter(guarded);
    const humanReported = app.needsHuman.filter((file) =>
      new RegExp(`^needs you\\s+\\S*${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm').test(all.out),
    );
    const errors = (all.out.match(/^error\s/gm) ?? []).length;
    const crashed = all.timedOut || /internal error|\n\s+at /.test(all.out) || all.code >= 2;
    const idempotent = /would change 0, would create 0/.test(second.out);
    rows.push({
      app,
      protectedNow,
      kept,
      wrong,
      humanReported,
      errors,
      crashed,
      idempotent,
      seconds,
      missed: app.protect.filter((k) => !protectedNow.includes(k)),
    });
    total.protect += app.protect.length;
    total.protected += protectedNow.length;
    total.proven += app.provenLimited.length;
    total.kept += kept.length;
    total.wrong += wrong.length;
    total.human += app.needsHuman.length;
    total.humanReported += humanReported.length;
    total.errors += errors;
    total.crashes += crashed ? 1 : 0;
    total.notIdempotent += idempotent ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : '—');
const lines = [
  '# Corpus results',
  '',
  `Tool: ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()}, ${new Date().toISOString().slice(0, 10)}, ${apps.length} apps (corpus/apps.json).`,
  '',
  '| app | AI endpoints protected | limiters kept | wrong changes | Server Actions reported | errors | second run | seconds |',
  '|---|---:|---:|---:|---:|---:|---|---:|',
];
for (const r of rows) {
  if (r.missing) {
    lines.push(`| ${r.app.repo} | not in the mirrors | | | | | | |`);
    continue;
  }
  lines.push(
    `| ${r.app.repo} | ${r.protectedNow.length}/${r.app.protect.length} | ${r.kept.length}/${r.app.provenLimited.length} | ${r.wrong.length} | ${r.humanReported.length}/${r.app.needsHuman.length} | ${r.errors}${r.crashed ? ' (crash)' : ''} | ${r.idempotent ? 'no change' : 'CHANGES'} | ${r.seconds.toFixed(1)} |`,
  );
}
lines.push(
  '',
  `**Recall** ${total.protected}/${total.protect} (${pct(total.protected, total.protect)}); limiters kept ${total.kept}/${total.proven}; **wrong changes ${total.wrong}**; Server Actions reported ${total.humanReported}/${total.human}; file errors ${total.errors}; crashes ${total.crashes}; apps a second run would change ${total.notIdempotent}.`,
  '',
);
const missed = rows.filter((r) => r.missed?.length || r.wrong?.length);
if (missed.length) {
  lines.push('Missed or wrongly changed:', '');
  for (const r of missed) {
    for (const k of r.missed ?? []) lines.push(`- ${r.app.repo}: ${k} left without a limit`);
    for (const k of r.wrong ?? []) lines.push(`- ${r.app.repo}: ${k} changed, though it should be left`);
  }
  lines.push('');
}
writeFileSync(values.out, `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
