import { basename, dirname, join, relative } from 'node:path';
import type { API, FileInfo } from 'jscodeshift';
import { findGitRoot, trackedFiles } from '../../project/git.js';
import { ignoreLevel, isIgnored, type IgnoreLevel } from '../../project/gitignore-rules.js';
import type { Overlay } from '../../project/overlay.js';
import { defineStep, type StepContext } from '../../step/contract.js';
import type { Finding } from '../../core/finding.js';
import { ENV_EXAMPLE_FILES } from '../../project/project-files.js';
import { meta, options } from './gitignore-env.meta.js';

/**
 * The lines the workflow asks for, each with the file names that show whether it is in effect:
 * `.env.*` is judged on the names frameworks and tools really write, as git would match them (a
 * .gitignore listing `.env.production` alone leaves `.env.development` committable).
 */
const REQUIRED = [
  { line: '.env', probes: ['.env'] },
  { line: '.env.local', probes: ['.env.local'] },
  {
    line: '.env.*',
    probes: [
      '.env.development',
      '.env.test',
      '.env.staging',
      '.env.production',
      '.env.development.local',
      '.env.test.local',
      '.env.production.local',
    ],
  },
];

/** The env file names no .gitignore in `levels` ignores, of those REQUIRED probes. */
export function unignoredEnvNames(appDir: string, levels: IgnoreLevel[]): string[] {
  return REQUIRED.flatMap(({ probes }) => probes).filter((name) => !isIgnored(join(appDir, name), false, levels));
}

const HEADER = '# Env files hold secrets: keep them out of git; example files stay committed (ai-secure-codemods)';

/**
 * The lines to add to one .gitignore so that the required env files are ignored and the
 * example files are not, judged with git's rules over every .gitignore that applies (`levels`,
 * outermost first, the edited file among them). Empty when nothing is missing.
 */
export function missingLines(appDir: string, levels: IgnoreLevel[], examples: string[]): string[] {
  // Our lines go last into the nearest .gitignore, so they are judged as the deepest level.
  const ignoredWith = (name: string, added: string[]) =>
    isIgnored(join(appDir, name), false, added.length ? [...levels, ignoreLevel(appDir, added.join('\n'))] : levels);
  const add = REQUIRED.filter(({ probes }) => probes.some((probe) => !ignoredWith(probe, []))).map(({ line }) => line);
  // A line that names the example file itself is a decision we keep; a wildcard hiding it is not.
  const named = (name: string) =>
    levels.some(({ text }) =>
      text.split(/\r?\n/).some((line) => [name, `/${name}`, `**/${name}`].includes(line.trim())),
    );
  const negations = examples.filter((name) => ignoredWith(name, add) && !named(name)).map((name) => `!${name}`);
  return [...add, ...negations];
}

/**
 * The jscodeshift entry point, for a `.gitignore` on its own (without the files above it): adds
 * the missing lines. Our runner uses `run`, which weighs every .gitignore that applies.
 */
export function transformer(file: FileInfo, _api: API): string | undefined {
  if (basename(file.path) !== '.gitignore') return undefined;
  const dir = dirname(file.path);
  const lines = missingLines(dir, [ignoreLevel(dir, file.source)], ['.env.example']);
  return lines.length ? appendBlock(file.source, lines) : undefined;
}

/** Appends our block at the end, in the file's line endings, after a blank line. */
export function appendBlock(text: string, lines: string[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lead = text === '' ? '' : text.endsWith('\n') ? eol : eol + eol;
  return text + lead + [HEADER, ...lines].join(eol) + eol;
}

/** How one project root stands: the lines its nearest .gitignore lacks, and env files git tracks. */
export interface EnvFilesStatus {
  /** The .gitignore our lines go into (the nearest one, or a new one at the root). */
  gitignore: string;
  lines: string[];
  /** Env file names git would not ignore there today (`.env.development`, …). */
  unignored: string[];
  tracked: string[];
  gitRoot?: string;
}

/** Files that mark a Python project's root. */
const PYTHON_PROJECT = /^(requirements[\w.-]*\.txt|pyproject\.toml|Pipfile|setup\.py)$/;

/**
 * The project roots this step judges: every Next.js app and every Python project (a folder with
 * a requirements file, pyproject.toml or Pipfile), or the given folders when there is none.
 */
export function envRoots(ctx: Pick<StepContext, 'model' | 'givenDirs'>): string[] {
  const python = ctx.model.files.filter((file) => PYTHON_PROJECT.test(basename(file))).map(dirname);
  const roots = [...new Set([...ctx.model.apps.map((app) => app.root), ...python])].sort();
  return roots.length ? roots : ctx.givenDirs;
}

/** Judges a root's env files with every .gitignore from the repository root down. */
export function envFilesStatus(root: string, overlay: Overlay): EnvFilesStatus {
  const gitRoot = findGitRoot(root);
  const chain = gitignoreChain(root, gitRoot ?? root);
  const target = [...chain].reverse().find((dir) => overlay.exists(join(dir, '.gitignore'))) ?? root;
  const examples = ENV_EXAMPLE_FILES.filter((name) => name === '.env.example' || overlay.exists(join(root, name)));
  const levels = levelsOf(chain, overlay);
  const lines = missingLines(root, levels, examples);
  const unignored = unignoredEnvNames(root, levels);
  const tracked = gitRoot ? trackedFiles(gitRoot, root).filter(isEnvFile) : [];
  return { gitignore: join(target, '.gitignore'), lines, unignored, tracked, gitRoot: gitRoot ?? undefined };
}

/**
 * For each project root: add what is missing to the nearest .gitignore (created when there is
 * none), and report env files git already tracks.
 */
export function run(ctx: StepContext): void {
  for (const root of envRoots(ctx)) {
    const { gitignore, lines, unignored: names, tracked, gitRoot } = envFilesStatus(root, ctx.overlay);
    const target = dirname(gitignore);
    const report = (
      kind: 'changed' | 'note' | 'needs-human',
      file: string,
      message: string,
      fix?: string,
      problem?: Finding['problem'],
    ) =>
      ctx.report({
        ruleId: meta.ruleId,
        kind,
        severity: kind === 'needs-human' ? 'critical' : 'info',
        file,
        message,
        fix,
        problem,
      });
    const read = ctx.overlay.load(gitignore);
    if (read && 'skip' in read) {
      // We cannot append to a file we cannot read as text, and git reads no pattern from it either.
      ctx.report({
        ruleId: meta.ruleId,
        kind: 'needs-human',
        severity: 'high',
        file: gitignore,
        message: `.gitignore is not UTF-8 text (${read.skip}; some Windows editors save UTF-16): git reads no pattern from it, so env files here can be committed`,
        fix: `save it as UTF-8 with its patterns, then run gitignore-env again to add ${lines.join(', ') || 'what is missing'}`,
      });
      continue;
    }
    if (lines.length) {
      ctx.transformFile(gitignore, (text) => appendBlock(text, lines), { createIfMissing: true });
      const where = target === root ? '' : ` (the .gitignore nearest to ${relative(target, root) || '.'})`;
      const unignored = lines.filter((line) => !line.startsWith('!'));
      const hidden = lines
        .filter((line) => line.startsWith('!') && ctx.overlay.exists(join(root, line.slice(1))))
        .map((line) => line.slice(1));
      // A negation for an example file that does not exist yet is a precaution, not a problem.
      const problem = unignored.length
        ? {
            message: `git does not ignore ${unignored.join(', ')} here${partly(unignored, names)}: a key written into one can be committed`,
            severity: 'high' as const,
          }
        : hidden.length
          ? {
              message: `${hidden.join(', ')} ignored by a wildcard, so the env names the app needs are not committed`,
              severity: 'low' as const,
            }
          : undefined;
      report('changed', gitignore, `added ${lines.join(', ')}${where}`, undefined, problem);
    } else {
      report('note', gitignore, '.env, .env.local and .env.* are already ignored');
    }
    for (const file of tracked) {
      report(
        'needs-human',
        file,
        'this env file is tracked by git: its keys are in the repository history',
        `git rm --cached ${relative(gitRoot!, file)}, commit, then rotate every key it held (ignoring it now does not remove it from history)`,
      );
    }
  }
}

/** `.env`, `.env.local`, `.env.production`, …, but not the example files. */
function isEnvFile(path: string): boolean {
  const name = basename(path);
  return (
    /^\.env(\..+)?$/.test(name) && !ENV_EXAMPLE_FILES.includes(name) && !/\.(example|sample|template|dist)$/.test(name)
  );
}

/** Folders from the repository root down to `dir`, whose .gitignore files apply to it. */
function gitignoreChain(dir: string, top: string): string[] {
  const chain: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    chain.unshift(current);
    if (current === top || dirname(current) === current) return chain;
  }
}

function levelsOf(chain: string[], overlay: Overlay): IgnoreLevel[] {
  return chain.flatMap((dir) => {
    const text = overlay.read(join(dir, '.gitignore'));
    return text === undefined ? [] : [ignoreLevel(dir, text)];
  });
}

export default defineStep({ meta, options, run, transformFile: transformer });

/** `(.env.development, .env.test are not ignored)` when `.env.*` is missing but some names are ignored already. */
function partly(lines: string[], names: string[]): string {
  const dotted = names.filter((name) => name.startsWith('.env.') && name !== '.env.local');
  return lines.includes('.env.*') && dotted.length < REQUIRED[2]!.probes.length
    ? ` (${dotted.join(', ')} ${dotted.length > 1 ? 'are' : 'is'} not)`
    : '';
}
