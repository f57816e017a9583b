#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import pc from 'picocolors';
import { DEFAULT_BRANCH, EXIT, FORMATS, optionsOf, yargsOption } from '../src/cli/command-options.js';
import { packageVersion } from '../src/core/package-root.js';
import { registry as transforms } from '../src/engine/registry.js';
import { docsUrl } from '../src/step/contract.js';

// The command line is built from the steps' meta and options only; a command loads its code (and
// the steps it runs) when it runs, so `--help`, `--version` and usage errors load no step.

const OUTPUT_OPTIONS = {
  dry: {
    type: 'boolean',
    default: false,
    describe: 'Write nothing; print a unified diff of every change (git apply-able), then a summary',
  },
  print: { type: 'boolean', default: false, describe: 'Write nothing; print each transformed file to stdout' },
  json: {
    type: 'boolean',
    default: false,
    describe: 'Print the result as JSON (files, edits, findings, skips with reasons)',
  },
  check: {
    type: 'boolean',
    default: false,
    describe: `As --dry, but exit ${EXIT.changesNeeded} when changes would be made (for CI)`,
  },
  force: { type: 'boolean', default: false, describe: 'Write even when the git working tree has uncommitted changes' },
  patch: { type: 'string', describe: 'Also write every change as one git apply-able patch to this file' },
} as const;

const EPILOGUE = `Exit codes: ${EXIT.ok} ok · ${EXIT.fileErrors} some file could not be processed · ${EXIT.usage} usage error (bad option, missing path, dirty git tree, bad config) · ${EXIT.changesNeeded} changes needed (--check) · ${EXIT.checksFailed} a check failed (check)`;

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  let cli: Argv = yargs(argv)
    .scriptName('ai-secure-codemods')
    .usage('$0 <transform> [paths..] [options]\n\nCodemods that make AI-powered web apps safe to put on the internet.')
    .command('list', 'List the transforms', {}, () => {
      for (const t of transforms)
        process.stdout.write(
          `${t.meta.slug.padEnd(18)} step ${t.meta.step}: ${t.meta.title}\n${' '.repeat(18)} ${docsUrl(t.meta.slug)}\n`,
        );
    });

  const reportOptions = {
    format: {
      type: 'string',
      choices: FORMATS,
      default: 'text',
      describe: 'text (a terminal), json (documented schema), markdown (a pull request), sarif (GitHub code scanning)',
    },
  } as const;
  cli = cli
    .command(
      'detect [paths..]',
      'Report what the app is, where AI calls are made, which endpoints reach them and what protects them (workflow step 1); changes nothing',
      (y) =>
        y
          .positional('paths', { describe: 'Files or folders to look at', type: 'string', array: true, default: ['.'] })
          .options(reportOptions),
      async (args) => {
        const { runDetect } = await import('../src/cli/detect.js');
        exitCode = await runDetect('detect', args as unknown as Record<string, unknown>);
      },
    )
    .command(
      'check [paths..]',
      `The workflow's final checklist as a gate: exit ${EXIT.checksFailed} when a check fails; changes nothing`,
      (y) =>
        y
          .positional('paths', { describe: 'Files or folders to check', type: 'string', array: true, default: ['.'] })
          .options(reportOptions),
      async (args) => {
        const { runDetect } = await import('../src/cli/detect.js');
        exitCode = await runDetect('check', args as unknown as Record<string, unknown>);
      },
    );

  cli = cli.command(
    'all [paths..]',
    "The whole workflow: every step in order on one overlay (each on the previous one's output), one diff, the checklist before and after",
    (y) => {
      y.positional('paths', { describe: 'Files or folders to transform', type: 'string', array: true, default: ['.'] });
      y.options(OUTPUT_OPTIONS);
      y.option('only', {
        type: 'string',
        describe: `Run only these steps (comma-separated): ${transforms.map((t) => t.meta.slug).join(', ')}`,
      });
      y.option('skip', { type: 'string', describe: 'Run every step but these (comma-separated)' });
      y.option('format', {
        type: 'string',
        choices: ['text', 'markdown'],
        default: 'text',
        describe:
          'markdown: print a pull-request body (checklist before/after, changes per step, dependencies, env vars, what needs a human) instead of the diff; writes nothing',
      });
      for (const option of optionsOf(transforms)) y.option(option.name, yargsOption(option));
      return y;
    },
    async (args) => {
      const { runAll } = await import('../src/cli/detect.js');
      exitCode = await runAll(args as unknown as Record<string, unknown>);
    },
  );

  cli = cli.command(
    'batch [paths..]',
    'Run `all` in many repositories, each on its own: a patch and a pull-request body per repository, a branch with one commit (--branch), a summary table',
    (y) => {
      y.positional('paths', {
        describe: 'Repositories: local folders or git URLs (cloned shallow)',
        type: 'string',
        array: true,
        default: [],
      });
      y.options({
        repos: {
          type: 'string',
          describe: 'A file with one repository (folder or git URL) per line; # starts a comment',
        },
        out: {
          type: 'string',
          default: 'ai-secure-batch',
          describe: 'Where <repo>.patch, <repo>.md, summary.json and summary.md go',
        },
        'work-dir': { type: 'string', describe: 'Where git URLs are cloned (default: <out>/repos)' },
        branch: {
          type: 'string',
          describe: `Commit the changes in each repository on this new branch (${DEFAULT_BRANCH} when no name is given); without it nothing in the repositories changes`,
        },
        concurrency: { type: 'number', describe: 'Worker processes (default: the number of CPUs)' },
        shard: {
          type: 'string',
          describe: 'i/n: process only the i-th of n equal parts of the list (for a CI matrix)',
        },
        timeout: {
          type: 'number',
          default: 600,
          describe: 'Seconds one repository may take before it is stopped and reported (0: no limit)',
        },
        json: { type: 'boolean', default: false, describe: 'Print the summary as JSON' },
      });
      y.option('only', { type: 'string', describe: 'Run only these steps (comma-separated)' });
      y.option('skip', { type: 'string', describe: 'Run every step but these (comma-separated)' });
      for (const option of optionsOf(transforms)) y.option(option.name, yargsOption(option));
      return y;
    },
    async (args) => {
      const { runBatch } = await import('../src/cli/batch/batch.js');
      exitCode = await runBatch(args as unknown as Record<string, unknown>);
    },
  );

  for (const transform of transforms) {
    cli = cli.command(
      `${transform.meta.slug} [paths..]`,
      transform.meta.title,
      (y) => {
        y.positional('paths', {
          describe: 'Files or folders to transform',
          type: 'string',
          array: true,
          default: ['.'],
        });
        y.options(OUTPUT_OPTIONS);
        // No yargs default: a flag left out is filled in by the config, then the default (shown in the help).
        for (const option of transform.options) y.option(option.name, yargsOption(option));
        return y.epilogue(
          `Docs (what it changes, before/after, what it leaves and why): ${docsUrl(transform.meta.slug)}\n\n${EPILOGUE}`,
        );
      },
      async (args) => {
        const [step, { runCommand }] = await Promise.all([transform.load(), import('../src/cli/run.js')]);
        exitCode = await runCommand(step, args as unknown as Record<string, unknown>);
      },
    );
  }

  try {
    await cli
      .demandCommand(1, 'Name a transform (see `ai-secure-codemods list`).')
      .strict()
      .recommendCommands()
      .version(packageVersion())
      .alias('h', 'help')
      .epilogue(EPILOGUE)
      .wrap(Math.min(110, process.stdout.columns || 100))
      // Throwing stops yargs before any command handler runs; main() turns it into exit code 2.
      .fail((message, error) => {
        throw error ?? new UsageError(message);
      })
      .exitProcess(false)
      .parseAsync();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${pc.red('error:')} ${error.message}\nRun \`ai-secure-codemods --help\` for usage.\n`);
    return EXIT.usage;
  }
  return exitCode;
}

class UsageError extends Error {}

// Run when executed, not when imported by a test.
const invoked = process.argv[1] && realpathSync(resolve(process.argv[1]));
const self = realpathSync(new URL(import.meta.url).pathname);
if (invoked === self || relative(invoked || '', self) === '') {
  // `ai-secure-codemods list | head -1`: the reader left, which is no error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(EXIT.ok);
  });
  main(hideBin(process.argv)).then(
    // Not process.exit(): it would cut off output still queued for a pipe (`--dry | git apply`).
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${pc.red('internal error:')} ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(EXIT.fileErrors);
    },
  );
}
