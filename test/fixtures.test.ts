// Data-driven fixture runner: every transform's __testfixtures__/<slug>/ folder is its spec.
//
// Single-file cases, `<case>.input.<ext>` → `<case>.output.<ext>` (no output file: the input must
// come out unchanged), run as a route file of a small Next.js app (App Router
// `app/api/<case>/route.<ext>`, or Pages Router `pages/api/<case>.<ext>` when the case name starts
// with `pages-`) whose `lib/` has `ai.ts` and `chat.ts` (they reach OpenAI) and `db.ts` and
// `logging.ts` (they do not), behind the `@/*` alias. `<case>.report.txt` lists the findings for the file,
// `<case>.options.json` sets options.
//
// Whole-project cases, `<case>/input/` → `<case>/output/`, compare every file of the tree, and
// `<case>/report.txt` lists every finding (paths relative to the project).
//
// For every case the runner also checks that each output re-parses and that running the
// transform again on the output changes nothing. A new single-file case: write its input, run
// UPDATE_FIXTURES=1 npx vitest run test/fixtures.test.ts -t <case>, and review what it wrote.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertParses } from '../src/engine/validate.js';
import { loadPythonParser } from '../src/lang/python/parse.js';
import { runSteps } from '../src/engine/runner.js';
import { writeChanges } from '../src/engine/write.js';
import { transforms } from '../src/engine/steps.js';
import { SINGLE_FILE_HARNESS } from './helpers/fixture-app.js';
import { commitAll, copyTree, readTree, tempDir, writeTree } from './helpers/project.js';

const FIXTURES = join(import.meta.dirname, '..', '__testfixtures__');

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));
beforeAll(loadPythonParser);

function optionsOf(path: string): Record<string, unknown> {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}

function findingLines(findings: { kind: string; message: string; file?: string }[], file: string): string {
  return `${findings
    .filter((f) => f.file === file)
    .map((f) => `${f.kind}: ${f.message}`)
    .join('\n')}\n`;
}

for (const transform of transforms) {
  const slug = transform.meta.slug;
  const folder = join(FIXTURES, slug);
  const entries = existsSync(folder) ? readdirSync(folder) : [];

  describe(`${slug} fixtures`, () => {
    it('has fixture cases', () => {
      expect(entries.length).toBeGreaterThan(0);
    });

    for (const input of entries.filter((name) => /\.input\.\w+$/.test(name))) {
      const [, name, ext] = /^(.*)\.input\.(\w+)$/.exec(input)!;
      it(`${name}`, () => {
        const harness = SINGLE_FILE_HARNESS[slug];
        expect(harness, `a single-file harness for ${slug} in test/helpers/fixture-app.ts`).toBeDefined();
        const { dir, cleanup } = tempDir();
        cleanups.push(cleanup);
        writeTree(dir, harness!.files);
        const routePath = harness!.target(name!, ext!);
        const source = readFileSync(join(folder, input), 'utf8');
        writeTree(dir, { [routePath]: source });
        const options = optionsOf(join(folder, `${name}.options.json`));

        const first = runSteps([transform], [dir], options);
        const file = join(dir, routePath);
        const output = first.changes.find((c) => c.path === file)?.after ?? source;
        const expectedPath = join(folder, `${name}.output.${ext}`);
        if (process.env.UPDATE_FIXTURES) {
          // Review the written files like code: they are what the case asserts from now on.
          if (output !== source) writeFileSync(expectedPath, output);
          else rmSync(expectedPath, { force: true });
          writeFileSync(join(folder, `${name}.report.txt`), findingLines(first.findings, file));
        }
        const expected = existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : source;
        expect(first.files.filter((f) => f.status === 'error')).toEqual([]);
        expect(output).toBe(expected);
        assertParses(file, output);

        const reportPath = join(folder, `${name}.report.txt`);
        expect(existsSync(reportPath), `${name}.report.txt lists the findings`).toBe(true);
        expect(findingLines(first.findings, file)).toBe(readFileSync(reportPath, 'utf8'));

        // Second run over the written output: nothing left to change.
        writeChanges(first.changes);
        const second = runSteps([transform], [dir], options);
        expect(second.changes.map((c) => c.path)).toEqual([]);
      });
    }

    for (const name of entries.filter((entry) => existsSync(join(folder, entry, 'input')))) {
      it(`${name} (whole project)`, () => {
        const { dir, cleanup } = tempDir();
        cleanups.push(cleanup);
        copyTree(join(folder, name, 'input'), dir);
        const options = optionsOf(join(folder, name, 'options.json'));
        if (optionsOf(join(folder, name, 'setup.json')).git) commitAll(dir);

        const first = runSteps([transform], [dir], options);
        expect(first.files.filter((f) => f.status === 'error')).toEqual([]);
        writeChanges(first.changes);
        for (const change of first.changes) assertParses(change.path, change.after);
        expect(readTree(dir)).toEqual(readTree(join(folder, name, 'output')));
        const report = `${first.findings
          .map((f) => `${f.kind}: ${f.file ? relative(dir, f.file) : '.'}${f.line ? `:${f.line}` : ''} ${f.message}`)
          .join('\n')}\n`;
        if (process.env.UPDATE_FIXTURES) {
          // The output tree is written by hand (copied from a real run): only the report is rewritten.
          writeFileSync(join(folder, name, 'report.txt'), report);
        }
        expect(report).toBe(readFileSync(join(folder, name, 'report.txt'), 'utf8'));

        const second = runSteps([transform], [dir], options);
        expect(second.changes.map((c) => c.path)).toEqual([]);
      });
    }
  });
}

// tree-sitter accepts some code CPython refuses (and the reverse): every Python output of every
// fixture must also compile with the real interpreter. One python3 process for all of them.
describe('Python fixture outputs', () => {
  const outputs = transforms.flatMap((t) => pythonOutputs(join(FIXTURES, t.meta.slug)));

  it('compile with CPython (ast.parse)', () => {
    expect(outputs.length).toBeGreaterThan(0);
    const script =
      'import ast, sys\nfor path in sys.argv[1:]:\n    ast.parse(open(path, encoding="utf-8-sig").read(), path)\n';
    expect(() => execFileSync('python3', ['-c', script, ...outputs], { stdio: 'pipe' })).not.toThrow();
  });
});

function pythonOutputs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.py') && (/\.output\.py$/.test(path) || path.split(/[\\/]/).includes('output')))
    .map((path) => join(dir, path));
}
