// `detect` golden files: every __testfixtures__/detect/<case>/input is a small project showing one
// behaviour; its report (--format json) must equal <case>/expected.json, with the absolute root
// and the tool version normalised. The same report must pass the SARIF 2.1.0 schema as SARIF and
// never print a key in any format. `setup.json` `{ "git": true }` makes the input a repository.
//
// To regenerate after a deliberate change: UPDATE_GOLDEN=1 npx vitest run test/detect.test.ts,
// then review the diff of expected.json like code.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/engine/config.js';
import { stepOptions } from '../src/engine/registry.js';
import { buildDetectReport } from '../src/report/build.js';
import type { DetectReport } from '../src/core/report-schema.js';
import { RULES } from '../src/cli/detect.js';
import { formatDetectMarkdown } from '../src/report/format/markdown.js';
import { toSarif } from '../src/report/format/sarif.js';
import { formatCheckText, formatDetectText } from '../src/report/format/text.js';
import { KEY_FORMATS } from '../src/knowledge/key-formats.js';
import { commitAll, copyTree, tempDir } from './helpers/project.js';
import { sarifValidator } from './helpers/sarif-schema.js';

const FIXTURES = join(import.meta.dirname, '..', '__testfixtures__', 'detect');
const cases = readdirSync(FIXTURES).filter((name) => existsSync(join(FIXTURES, name, 'input')));
const validateSarif = sarifValidator();
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

async function reportOf(name: string): Promise<DetectReport> {
  const { dir, cleanup } = tempDir('aisc-detect-');
  cleanups.push(cleanup);
  copyTree(join(FIXTURES, name, 'input'), dir);
  if (
    existsSync(join(FIXTURES, name, 'setup.json')) &&
    JSON.parse(readFileSync(join(FIXTURES, name, 'setup.json'), 'utf8')).git
  )
    commitAll(dir);
  const { report } = await buildDetectReport([dir], loadConfig(dir, dir, stepOptions()).config);
  return { ...report, root: '.', tool: { ...report.tool, version: '<version>' } };
}

/** Every key written in a fixture's input, to prove none comes out. */
function keysIn(name: string): string[] {
  const text = readdirSync(join(FIXTURES, name, 'input'), { recursive: true, encoding: 'utf8' })
    .map((file) => {
      try {
        return readFileSync(join(FIXTURES, name, 'input', file), 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
  return KEY_FORMATS.flatMap(({ pattern }) =>
    [...text.matchAll(new RegExp(pattern.source.slice(1, -1), 'g'))].map((m) => m[0]),
  );
}

describe('detect fixtures', () => {
  it('has fixture cases', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  for (const name of cases) {
    it(name, async () => {
      const report = await reportOf(name);
      const json = JSON.parse(JSON.stringify(report));
      const expectedPath = join(FIXTURES, name, 'expected.json');
      if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, `${JSON.stringify(json, null, 2)}\n`);
      expect(json).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));

      const sarif = toSarif(report, RULES);
      expect(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);

      const outputs = [
        JSON.stringify(sarif),
        formatDetectText(report, { color: false }),
        formatCheckText(report, { color: false }),
        formatDetectMarkdown(report),
      ];
      for (const key of keysIn(name)) for (const output of outputs) expect(output).not.toContain(key.slice(8));
    });
  }
});
