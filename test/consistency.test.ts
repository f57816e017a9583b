// Detect, the steps and the checklist must tell one story, over every project we have: every
// whole-project fixture (__testfixtures__/<slug>/<case>/input, the detect goldens and the
// pull-request fixtures included), every single-file fixture input put in its fixture project as
// test/fixtures.test.ts puts it, every example app, and the small projects of
// test/data/consistency/ (one CORS configuration each, where detect and the cors step disagreed).
//
// Each project is copied to a temporary folder and run in process through the built package
// (dist/src/index.js: `npm run build` first, as `npm test` does), as `detect` and `all` run it:
//   a. every finding detect reports fixable (a step's `changed` problem) is a file that step,
//      run alone and dry, changes;
//   b. every CORS site that is not `restricted` has an ai-secure/cors finding at its file and line,
//      fixable or needs-human, whose severity follows the verdict (open-with-credentials →
//      critical, open → high, unknown → medium); every endpoint that reaches an AI call and has
//      no limiter has a rate-limit finding at its file;
//   c. after `all` (written to the copy), a fresh detect has nothing fixable left, each checklist
//      item passes exactly when every finding that failed it before was fixable, and no CORS site
//      is open where the cors step said it changed one (its line followed through the edits).
//
// CONSISTENCY_SUMMARY=1 prints the counts of what was checked.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diffArrays } from 'diff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Api from '../src/index.js';
import type * as Checklist from '../src/core/checklist.js';
import type { CorsVerdict, DetectReport, ReportFinding } from '../src/core/report-schema.js';
import type { Severity } from '../src/core/finding.js';
import { SINGLE_FILE_HARNESS } from './helpers/fixture-app.js';
import { commitAll, copyTree, readTree, tempDir, writeTree } from './helpers/project.js';

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(ROOT, '__testfixtures__');
const EXAMPLES = join(ROOT, 'examples');
const DATA = join(ROOT, 'test', 'data', 'consistency');
const DIST = join(ROOT, 'dist', 'src');
/** Build output or installs an example may hold after the e2e tests: not the project. */
const NOT_SOURCE = ['node_modules', '.next', '__pycache__', '.venv', '.pytest_cache'];

if (!existsSync(join(DIST, 'index.js')))
  throw new Error('dist/src/index.js is missing: run `npm run build` first (this test runs the built package)');
const api = (await import(pathToFileURL(join(DIST, 'index.js')).href)) as typeof Api;
// Not part of the public API, but the one definition of which checklist item a rule counts against.
const { checklistOf } = (await import(pathToFileURL(join(DIST, 'core', 'checklist.js')).href)) as typeof Checklist;

const OPTION_DEFS = api.transforms.flatMap((step) => step.options);
const CORS_RULE = 'ai-secure/cors';
const SEVERITY_OF: Record<Exclude<CorsVerdict, 'restricted'>, Severity> = {
  'open-with-credentials': 'critical',
  open: 'high',
  unknown: 'medium',
};
/** The rule that should speak for an endpoint of each framework. */
const RATE_LIMIT_RULE: Record<string, string> = {
  nextjs: 'ai-secure/next-ratelimit',
  fastapi: 'ai-secure/fastapi-ratelimit',
  flask: 'ai-secure/flask-ratelimit',
};

// ---------------------------------------------------------------------------------------------
// The projects
// ---------------------------------------------------------------------------------------------

interface Project {
  name: string;
  /** Writes the project into an empty folder. */
  setup(dir: string): void;
}

const isDir = (path: string) => statSync(path).isDirectory();
const gitSetup = (caseDir: string) =>
  existsSync(join(caseDir, 'setup.json')) && JSON.parse(readFileSync(join(caseDir, 'setup.json'), 'utf8')).git === true;

function projects(): Project[] {
  const list: Project[] = [];
  for (const slug of readdirSync(FIXTURES).sort()) {
    const folder = join(FIXTURES, slug);
    for (const entry of readdirSync(folder).sort()) {
      const caseDir = join(folder, entry);
      if (existsSync(join(caseDir, 'input'))) {
        list.push({
          name: `__testfixtures__/${slug}/${entry}`,
          setup: (dir) => {
            copyTree(join(caseDir, 'input'), dir);
            if (gitSetup(caseDir)) commitAll(dir);
          },
        });
      }
      const single = /^(.*)\.input\.(\w+)$/.exec(entry);
      if (single) {
        const [, name, ext] = single;
        list.push({
          name: `__testfixtures__/${slug}/${entry}`,
          setup: (dir) => {
            const harness = SINGLE_FILE_HARNESS[slug];
            if (!harness) throw new Error(`no single-file harness for ${slug} in test/helpers/fixture-app.ts`);
            writeTree(dir, harness.files);
            writeTree(dir, { [harness.target(name!, ext!)]: readFileSync(caseDir, 'utf8') });
          },
        });
      }
    }
  }
  for (const [label, folder] of [
    ['examples', EXAMPLES],
    ['test/data/consistency', DATA],
  ] as const) {
    for (const entry of readdirSync(folder).sort()) {
      if (!isDir(join(folder, entry))) continue;
      list.push({ name: `${label}/${entry}`, setup: (dir) => copyTree(join(folder, entry), dir, NOT_SOURCE) });
    }
  }
  return list;
}

const PROJECTS = projects();

// ---------------------------------------------------------------------------------------------
// One project, as detect and all see it
// ---------------------------------------------------------------------------------------------

interface Analysis {
  before: DetectReport;
  /** Rule id → the files (relative to the report's root) its step, run alone and dry, changes. */
  alone: Map<string, Set<string>>;
  /** The files before and after `all` (relative to the report's root). */
  original: Record<string, string>;
  final: Record<string, string>;
  /** Files `all` could not process (relative path → reason). */
  allErrors: [string, string][];
  after: DetectReport;
}

const configOf = (dir: string) => api.loadConfig(dir, dir, OPTION_DEFS).config;
const detect = async (dir: string) => (await api.buildDetectReport([dir], configOf(dir))).report;

async function analyse(dir: string): Promise<Analysis> {
  await api.loadPythonParser();
  const before = await detect(dir);
  const rel = (path: string) => relative(before.root, path).split('\\').join('/');
  const alone = new Map<string, Set<string>>();
  for (const ruleId of new Set(before.findings.filter((f) => f.kind === 'changed').map((f) => f.ruleId))) {
    const step = api.transforms.find((t) => t.meta.ruleId === ruleId);
    if (!step) continue;
    const run = api.runSteps([step], [dir], {}, { config: configOf(dir) });
    alone.set(ruleId, new Set(run.changes.map((change) => rel(change.path))));
  }
  const original = readTree(before.root);
  // `all`, written: every step in order on one overlay, as the CLI runs it without flags.
  const all = api.runSteps(api.transforms, [dir], {}, { config: configOf(dir) });
  writeTree(before.root, Object.fromEntries(all.changes.map((change) => [rel(change.path), change.after])));
  const after = await detect(dir);
  const allErrors = all.files
    .filter((f) => f.status === 'error')
    .map((f): [string, string] => [`${rel(f.path)}${f.line ? `:${f.line}` : ''}`, f.reason ?? '']);
  return { before, alone, original, final: readTree(before.root), allErrors, after };
}

// ---------------------------------------------------------------------------------------------
// The checks: each returns what disagrees, one line per site, naming file:line and rule
// ---------------------------------------------------------------------------------------------

const at = (f: { file?: string; line?: number }) => `${f.file ?? '.'}${f.line ? `:${f.line}` : ''}`;
const describeFinding = (f: ReportFinding) => `${f.kind} ${f.severity} ${at(f)} "${f.message}"`;
const isOpenFinding = (f: ReportFinding) => f.kind === 'changed' || f.kind === 'needs-human';

/** a. What detect calls fixable, its step changes. */
function fixableIsChanged({ before, alone }: Analysis): string[] {
  return before.findings
    .filter((f) => f.kind === 'changed')
    .flatMap((f) => {
      const step = api.transforms.find((t) => t.meta.ruleId === f.ruleId);
      if (!step) return [`${at(f)} ${f.ruleId}: detect reports it fixable ("${f.message}"), but no step has that rule`];
      if (!f.file) return [`${at(f)} ${f.ruleId}: detect reports it fixable ("${f.message}") without naming a file`];
      const changed = alone.get(f.ruleId)!;
      if (changed.has(f.file)) return [];
      return [
        `${at(f)} ${f.ruleId}: detect reports it fixable ("${f.message}"), but ${step.meta.slug} run alone (dry) does not change ${f.file}` +
          ` (it changes ${changed.size ? [...changed].join(', ') : 'nothing'})`,
      ];
    });
}

/** b. Every open CORS site has its finding, as severe as the verdict says. */
function openCorsHasFinding({ before }: Analysis): string[] {
  return before.cors.flatMap((site) => {
    if (site.verdict === 'restricted') return [];
    const expected = SEVERITY_OF[site.verdict];
    const inFile = before.findings.filter((f) => f.ruleId === CORS_RULE && f.file === site.file);
    const here = inFile.filter((f) => f.line === site.line && isOpenFinding(f));
    const where = `${site.file}:${site.line} ${CORS_RULE}`;
    const what = `detect's CORS section says "${site.verdict}" (origins ${JSON.stringify(site.origins)}, credentials ${site.credentials}: ${site.evidence})`;
    if (!here.length)
      return [
        `${where}: ${what}, but no fixable or needs-human ${CORS_RULE} finding at that line` +
          ` (its ${CORS_RULE} findings in the file: ${inFile.map(describeFinding).join('; ') || 'none'})`,
      ];
    if (here.some((f) => f.severity === expected)) return [];
    return [
      `${where}: ${what}, so the finding should be ${expected}, but it is ${here.map(describeFinding).join('; ')}`,
    ];
  });
}

/** b. Every endpoint that reaches AI without a limiter has a rate-limit finding in its file. */
function unlimitedEndpointHasFinding({ before }: Analysis): string[] {
  return before.endpoints.flatMap((e) => {
    if (!e.ai || e.rateLimitedBy) return [];
    const found = before.findings.some(
      (f) => f.file === e.file && isOpenFinding(f) && checklistOf(f.ruleId) === 'rate-limit',
    );
    if (found) return [];
    return [
      `${e.file}:${e.line} ${RATE_LIMIT_RULE[e.framework] ?? 'ai-secure/unhandled-app'}: ${e.method} ${e.route} reaches ${e.ai.via} and nothing limits it,` +
        ` but no fixable or needs-human rate-limit finding in ${e.file}`,
    ];
  });
}

/** c. After all, nothing is left that a step says it would fix (and all could process every file). */
function nothingFixableAfterAll({ after, allErrors }: Analysis): string[] {
  return [
    ...allErrors.map(([where, reason]) => `${where}: all could not process it: ${reason}`),
    ...after.findings
      .filter((f) => f.kind === 'changed')
      .map((f) => `${at(f)} ${f.ruleId}: still fixable after all: "${f.message}"`),
  ];
}

/** c. An item passes after all exactly when every finding that failed it before was fixable. */
function checklistFollowsFixers({ before, after }: Analysis): string[] {
  return before.checklist.flatMap((item) => {
    const failing = item.failing.map((i) => before.findings[i]!);
    // A human's half of a fix (revoke the key the step moved out) goes with the fix: it counts as fixed.
    const shouldPass = failing.every((f) => f.kind === 'changed' || f.followsFix);
    const now = after.checklist.find((c) => c.id === item.id)!;
    const stayed = failing.filter(
      (f) =>
        f.followsFix &&
        after.findings.some((g) => g.ruleId === f.ruleId && g.file === f.file && g.message === f.message),
    );
    if (stayed.length) return stayed.map((f) => `${at(f)} ${f.ruleId}: follows a fix, but is still there after all`);
    if (now.passed === shouldPass) return [];
    const was = failing.length
      ? `before all it failed on ${failing.map((f) => `${f.ruleId} ${describeFinding(f)}`).join('; ')}`
      : 'before all it passed';
    const is = now.passed
      ? 'it passes'
      : `it fails on ${now.failing.map((i) => `${after.findings[i]!.ruleId} ${describeFinding(after.findings[i]!)}`).join('; ')}`;
    return [`checklist ${item.id}: ${was}, so it should ${shouldPass ? 'pass' : 'fail'} after all, but ${is}`];
  });
}

/** c. Where the cors step said it changed a site, detect finds no open site after all. */
function changedCorsIsClosed({ before, after, original, final }: Analysis): string[] {
  return before.findings
    .filter((f) => f.ruleId === CORS_RULE && f.kind === 'changed' && f.file && f.line)
    .flatMap((f) => {
      const [from, to] = followLine(original[f.file!] ?? '', final[f.file!] ?? '', f.line!);
      const open = after.cors.filter(
        (site) => site.file === f.file && site.verdict !== 'restricted' && site.line >= from && site.line <= to,
      );
      return open.map((site) => {
        const said = after.findings.filter(
          (g) => g.ruleId === CORS_RULE && g.file === site.file && g.line === site.line,
        );
        return (
          `${at(f)} ${CORS_RULE}: the cors step changed it ("${f.message}"), but after all detect's CORS section` +
          ` judges ${site.file}:${site.line} "${site.verdict}", not restricted (origins ${JSON.stringify(site.origins)}: ${site.evidence});` +
          ` its findings there: ${said.map(describeFinding).join('; ') || 'none'}`
        );
      });
    });
}

/** Where line `line` of `before` is in `after`: its own line, or the lines that replaced it. */
function followLine(before: string, after: string, line: number): [number, number] {
  const parts = diffArrays(before.split('\n'), after.split('\n'));
  let oldLine = 1;
  let newLine = 1;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.added) {
      newLine += part.count;
      continue;
    }
    if (part.removed) {
      const next = parts[i + 1];
      const added = next?.added ? next.count : 0;
      if (line < oldLine + part.count) return [newLine, newLine + Math.max(added - 1, 0)];
      oldLine += part.count;
      continue;
    }
    if (line < oldLine + part.count) return [newLine + line - oldLine, newLine + line - oldLine];
    oldLine += part.count;
    newLine += part.count;
  }
  return [newLine, newLine];
}

// ---------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------

const totals = {
  projects: 0,
  checks: 0,
  fixable: 0,
  openCors: 0,
  unlimitedEndpoints: 0,
  gitignoreGaps: 0,
  corsChanged: 0,
};
const CHECKS: [string, (a: Analysis) => string[]][] = [
  ['a. every finding detect reports fixable is a file its step changes', fixableIsChanged],
  ['b. every open CORS site has a finding at its line, as severe as its verdict', openCorsHasFinding],
  ['b. every endpoint that reaches AI unlimited has a rate-limit finding', unlimitedEndpointHasFinding],
  ['c. after all, nothing is fixable', nothingFixableAfterAll],
  ['c. after all, each checklist item passes iff its failures were all fixable', checklistFollowsFixers],
  ['c. after all, no CORS site is open where the cors step changed one', changedCorsIsClosed],
];

describe('consistency: detect, the steps and the checklist agree', () => {
  it('covers every kind of project', () => {
    const names = PROJECTS.map((p) => p.name);
    for (const prefix of [
      '__testfixtures__/detect/',
      '__testfixtures__/pull-request/',
      '__testfixtures__/cors/',
      'examples/',
      'test/data/consistency/',
    ])
      expect(names.filter((n) => n.startsWith(prefix)).length, prefix).toBeGreaterThan(0);
    expect(names.filter((n) => /\.input\.\w+$/.test(n)).length).toBeGreaterThan(50);
  });

  for (const project of PROJECTS) {
    describe(project.name, () => {
      let analysis: Analysis;
      const { dir, cleanup } = tempDir('aisc-consistency-');
      afterAll(cleanup);
      beforeAll(async () => {
        project.setup(dir);
        analysis = await analyse(dir);
        const { before } = analysis;
        totals.projects++;
        totals.fixable += before.findings.filter((f) => f.kind === 'changed').length;
        totals.openCors += before.cors.filter((s) => s.verdict !== 'restricted').length;
        totals.unlimitedEndpoints += before.endpoints.filter((e) => e.ai && !e.rateLimitedBy).length;
        totals.gitignoreGaps += before.gitignore.filter((g) => g.missing.length).length;
        totals.corsChanged += before.findings.filter((f) => f.ruleId === CORS_RULE && f.kind === 'changed').length;
      });

      for (const [title, check] of CHECKS) {
        it(title, () => {
          const problems = check(analysis);
          totals.checks++;
          expect(problems.map((p) => `${project.name}: ${p}`)).toEqual([]);
        });
      }
    });
  }

  it('found something to check in each kind of check', () => {
    if (process.env.CONSISTENCY_SUMMARY) console.log('consistency totals', totals);
    expect(totals.projects).toBe(PROJECTS.length);
    expect(totals.fixable).toBeGreaterThan(0);
    expect(totals.openCors).toBeGreaterThan(0);
    expect(totals.unlimitedEndpoints).toBeGreaterThan(0);
    expect(totals.gitignoreGaps).toBeGreaterThan(0);
    expect(totals.corsChanged).toBeGreaterThan(0);
  });
});
