import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import { ConfigError, loadConfig, type AiSecureConfig } from '../engine/config.js';
import { stepOptions } from '../engine/registry.js';
import { optionResolver } from '../engine/options.js';
import { optionKey } from '../step/contract.js';
import { firstDir, reportRoot } from '../report/build.js';
import { formatPatch } from '../engine/diff.js';
import { MissingPathError } from '../project/discover.js';
import { findGitRoot, uncommittedChanges } from '../project/git.js';
import { packageVersion } from '../core/package-root.js';
import { formatReport, formatTotals, toJson } from '../report/format/run-summary.js';
import { loadPythonParser } from '../lang/python/parse.js';
import { runSteps, type RunResult } from '../engine/runner.js';
import { maskSecrets } from '../core/secrets.js';
import type { Step } from '../step/contract.js';
import { writeChanges } from '../engine/write.js';
import { EXIT, optionsOf } from './command-options.js';

/** What a command prints on stdout instead of the diff, from the run and the patch's path formatter. */
export type Render = (result: RunResult, toPath: (path: string) => string) => string;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  color: boolean;
}

export const processIo = (): Io => ({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  color: Boolean(process.stdout.isTTY) && pc.isColorSupported,
});

/**
 * One transform command, or several steps run as one (`all`: one overlay, each step on the
 * previous one's output, one diff per file, one write), from parsed arguments to exit code.
 */
export async function runCommand(
  step: Step | { slug: string; steps: Step[]; render?: Render; files?: string[] },
  args: Record<string, unknown>,
  io: Io = processIo(),
): Promise<number> {
  const steps = 'steps' in step ? step.steps : [step];
  const label = 'steps' in step ? step.slug : step.meta.slug;
  const fail = (message: string) => {
    io.err(`${pc.red('error:')} ${maskSecrets(message)}\n`);
    return EXIT.usage;
  };
  const paths = pathsOf(args);
  // The project's config fills in the options no flag gives (per file with its overrides).
  let config: AiSecureConfig;
  try {
    ({ config } = loadConfig(firstDir(paths), reportRoot(paths), stepOptions()));
  } catch (error) {
    if (error instanceof MissingPathError || error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  const options = optionResolver(optionsOf(steps), camelKeys(args), config);
  const problem = options.check();
  if (problem) return fail(problem);
  // A renderer (`all --format markdown`) prints instead of the diff, and like --dry writes nothing.
  const render = 'steps' in step ? step.render : undefined;
  const dry = Boolean(args.dry || args.check || args.print || render);

  if (!dry && !args.force) {
    for (const path of paths) {
      const gitRoot = findGitRoot(resolve(path));
      if (!gitRoot) continue;
      const dirty = uncommittedChanges(gitRoot, [relative(gitRoot, resolve(path)) || '.']);
      if (dirty.length) {
        return fail(
          `the git working tree has uncommitted changes under ${path}:\n${dirty
            .slice(0, 10)
            .map((l) => `  ${l}`)
            .join('\n')}\n` +
            'Commit or stash them first so that our changes can be reviewed and undone with git, or run with --force (or --dry to only look).',
        );
      }
    }
  }

  let result: RunResult;
  try {
    if (steps.some((s) => s.meta.languages.includes('py'))) await loadPythonParser();
    result = runSteps(steps, paths, camelKeys(args), { config, files: 'steps' in step ? step.files : undefined });
  } catch (error) {
    if (error instanceof MissingPathError) return fail(error.message);
    throw error;
  }

  // Diff paths are relative to the repository root, so `git apply` takes the patch from anywhere
  // in it; outside git, to where we ran, or to the folder given when that lies elsewhere (a
  // patch with `../` paths applies nowhere).
  const given = resolve(paths[0]!);
  const base =
    findGitRoot(given) ??
    (result.changes.every((c) => !relative(process.cwd(), c.path).startsWith('..')) ? process.cwd() : given);
  const diffPath = (path: string) => relative(base, path).split('\\').join('/');
  const shownPath = (path: string) => {
    const rel = relative(process.cwd(), path).split('\\').join('/');
    return rel.startsWith('..') ? path : rel;
  };

  if (!args.json) io.err(`${formatReport(result, shownPath, { color: io.color })}\n`);
  if (args.json) {
    const json = toJson(result, shownPath, {
      transform: label,
      version: packageVersion(),
      options: optionValues(steps, options.top),
      dry,
    });
    io.out(`${JSON.stringify(json, null, 2)}\n`);
  } else if (args.print) {
    for (const change of result.changes) io.out(maskSecrets(change.after));
  } else if (render) {
    io.out(render(result, diffPath));
  } else if (dry) {
    io.out(formatPatch(result.changes, diffPath, io.color));
  }

  // A patch of every change, whatever the mode: the file a reviewer applies with `git apply`.
  if (args.patch) writeFileSync(String(args.patch), formatPatch(result.changes, diffPath, false));
  if (!dry) writeChanges(result.changes);
  if (!args.json) io.err(formatTotals(result, shownPath, { color: io.color, dry }));

  if (result.files.some((f) => f.status === 'error')) return EXIT.fileErrors;
  if (args.check && result.changes.length) return EXIT.changesNeeded;
  return EXIT.ok;
}

/** The paths a command was given, `.` when none. */
export function pathsOf(args: Record<string, unknown>): string[] {
  return ((args.paths as string[] | undefined)?.length ? (args.paths as string[]) : ['.']).map(String);
}

export function camelKeys(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [optionKey(k), v]));
}

/** The effective whole-run values of the steps' options. */
function optionValues(steps: Step[], values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(optionsOf(steps).map((o) => [optionKey(o.name), values[optionKey(o.name)]]));
}
