import pc from 'picocolors';
import { stepOptions } from '../engine/registry.js';
import { transforms } from '../engine/steps.js';
import { ConfigError, loadConfig } from '../engine/config.js';
import { buildDetectReport, firstDir, reportRoot, UNHANDLED_RULE } from '../report/build.js';
import { discoverFiles, MissingPathError } from '../project/discover.js';
import { formatDetectMarkdown } from '../report/format/markdown.js';
import { formatPullRequestBody } from '../report/format/pull-request.js';
import { toSarif, type RuleInfo } from '../report/format/sarif.js';
import { formatCheckText, formatDetectText } from '../report/format/text.js';
import { maskDeep, maskSecrets } from '../core/secrets.js';
import { pathsOf, processIo, runCommand, type Io, type Render } from './run.js';
import { EXIT, type Format } from './command-options.js';
import { packageVersion } from '../core/package-root.js';
import type { DetectReport } from '../core/report-schema.js';

// The `detect` and `check` commands: one report, four formats; `check` exits by the checklist.

/** Every rule a report can name, for SARIF: the steps' own, and what only detect looks at. */
export const RULES: RuleInfo[] = [
  ...transforms.map((t) => ({
    id: t.meta.ruleId,
    title: t.meta.title,
    cwe: t.meta.cwe,
    severity: t.meta.severity,
    help: `npx ai-secure-codemods ${t.meta.slug} fixes what it can and explains the rest`,
  })),
  {
    id: 'ai-secure/deployment-env',
    title: 'Deployment settings expose or commit an API key',
    cwe: 'CWE-798',
    severity: 'high',
    help: 'Set secrets in the platform, never in committed files, never with a browser prefix',
  },
  {
    id: UNHANDLED_RULE,
    title: 'An app of a framework this tool does not handle yet calls a paid AI API',
    cwe: 'CWE-770',
    severity: 'medium',
  },
  { id: 'ai-secure/unreadable', title: 'A file could not be checked', severity: 'medium' },
  { id: 'ai-secure/marker', title: 'An ai-secure-ignore marker without a reason', severity: 'low' },
];

export async function runDetect(
  command: 'detect' | 'check',
  args: Record<string, unknown>,
  io: Io = processIo(),
): Promise<number> {
  const paths = pathsOf(args);
  const format = (args.format as Format | undefined) ?? 'text';
  let report: DetectReport;
  try {
    const { config } = loadConfig(firstDir(paths), reportRoot(paths), stepOptions());
    ({ report } = await buildDetectReport(paths, config));
  } catch (error) {
    if (error instanceof MissingPathError || error instanceof ConfigError) {
      io.err(`${pc.red('error:')} ${maskSecrets((error as Error).message)}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (format === 'json') io.out(`${JSON.stringify(maskDeep(report), null, 2)}\n`);
  else if (format === 'sarif') io.out(`${JSON.stringify(toSarif(report, RULES), null, 2)}\n`);
  else if (format === 'markdown')
    io.out(
      formatDetectMarkdown(report, command === 'check' ? 'ai-secure-codemods check' : 'ai-secure-codemods detect') +
        '\n',
    );
  else
    io.out(
      command === 'check'
        ? formatCheckText(report, { color: io.color })
        : formatDetectText(report, { color: io.color }),
    );
  if (command === 'check' && report.checklist.some((item) => !item.passed)) return EXIT.checksFailed;
  return EXIT.ok;
}

/** The steps `all` runs: every one in the workflow's order, or those --only / --skip name. */
export function selectSteps(only: unknown, skip: unknown): { steps: typeof transforms } | { error: string } {
  const list = (value: unknown) =>
    typeof value === 'string' && value
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  const slugs = transforms.map((t) => t.meta.slug);
  for (const name of [...(list(only) ?? []), ...(list(skip) ?? [])]) {
    if (!slugs.includes(name)) return { error: `unknown step "${name}" (steps: ${slugs.join(', ')})` };
  }
  const steps = transforms.filter(
    (t) => (list(only)?.includes(t.meta.slug) ?? true) && !list(skip)?.includes(t.meta.slug),
  );
  return steps.length ? { steps } : { error: 'no step left to run: --only and --skip exclude every step' };
}

/**
 * `all`: the checklist before, every step as one run (one overlay, one diff, one write), then the
 * checklist after, judged again from the files as written (a dry run changes nothing to judge).
 * `--format markdown` prints a pull-request body instead of the diff and, like --dry, writes nothing.
 */
export async function runAll(args: Record<string, unknown>, io: Io = processIo()): Promise<number> {
  const selected = selectSteps(args.only, args.skip);
  if ('error' in selected) {
    io.err(`${pc.red('error:')} ${selected.error}\n`);
    return EXIT.usage;
  }
  const markdown = args.format === 'markdown';
  if (markdown && (args.json || args.print)) {
    io.err(
      `${pc.red('error:')} --format markdown prints the pull-request body on stdout: not with --json or --print\n`,
    );
    return EXIT.usage;
  }
  const paths = pathsOf(args);
  // Listed once for the checklist before and the run; the checklist after lists again (new files).
  let files: string[] | undefined;
  const checklist = async (title: string, listed?: string[]) => {
    const { config } = loadConfig(firstDir(paths), reportRoot(paths), stepOptions());
    const { report } = await buildDetectReport(paths, config, listed);
    io.err(`${pc.bold(title)}\n${formatCheckText(report, { color: io.color })}\n`);
    return report;
  };
  let render: Render | undefined;
  try {
    files = discoverFiles(paths);
    const before = args.json ? undefined : await checklist('Checklist before', files);
    const steps = selected.steps.map((s) => s.meta);
    if (markdown && before)
      render = (result, toPath) =>
        formatPullRequestBody({ result, report: before, steps, toPath, version: packageVersion() });
  } catch (error) {
    if (error instanceof MissingPathError || error instanceof ConfigError) {
      io.err(`${pc.red('error:')} ${maskSecrets((error as Error).message)}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const code = await runCommand({ slug: 'all', steps: selected.steps, render, files }, args, io);
  const dry = Boolean(args.dry || args.check || args.print || render);
  if (!dry && !args.json && code !== EXIT.usage) await checklist('Checklist after');
  return code;
}
