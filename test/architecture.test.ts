// The layers of src/ (written down in .dependency-cruiser.cjs) hold: no import cycle, no import
// that points up a layer, no concern importing another. dependency-cruiser reads the real import
// graph, type-only imports included. A second case builds a tree that breaks the rules on purpose,
// so a config that silently stopped matching anything would fail here too.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

/** The rule violations dependency-cruiser finds under `dir` (its exit code is the count: read the json instead). */
function violations(dir: string, paths: string[]): Violation[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', ...paths], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    out = (error as { stdout: string }).stdout;
  }
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

const scratch = mkdtempSync(join(tmpdir(), 'ai-secure-arch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('architecture', () => {
  it('src/ has no cycle and no import up a layer or across concerns', () => {
    const found = violations(ROOT, ['src', 'bin', 'transforms']);
    const lines = found.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    expect(lines).toEqual([]);
  }, 120_000);

  it('catches each kind of break: a cycle, core importing the engine, a concern importing another, a step loaded eagerly', () => {
    const files: Record<string, string> = {
      'tsconfig.json': '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext" } }',
      'src/core/util.ts': "import { run } from '../engine/runner.js';\nexport const util = run;\n",
      'src/engine/runner.ts': "import { util } from '../core/util.js';\nexport const run = () => util;\n",
      'src/concerns/cors/cors.ts': "import { limit } from '../ratelimit/limit.js';\nexport const cors = limit;\n",
      'src/concerns/ratelimit/limit.ts': 'export const limit = 1;\n',
      'src/concerns/keys/keys.ts': "import { report } from '../../report/build.js';\nexport const keys = report;\n",
      'src/report/build.ts': 'export const report = 1;\n',
      'src/engine/options.ts': "import { cors } from '../concerns/cors/cors.js';\nexport const options = cors;\n",
      // The registry may name a step's meta, never load its code but by import().
      'src/engine/registry.ts':
        "import * as meta from '../concerns/cors/cors.meta.js';\nimport { cors } from '../concerns/cors/cors.js';\nexport const registry = [meta, cors, () => import('../concerns/ratelimit/limit.js')];\n",
      'src/concerns/cors/cors.meta.ts': "import { cors } from './cors.js';\nexport const meta = cors;\n",
      'bin/cli.ts':
        "import { run } from '../src/engine/runner.js';\nexport const main = () => [run, import('../src/report/build.js')];\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    }
    const found = violations(scratch, ['src', 'bin']);
    const names = new Set(found.map((v) => v.rule.name));
    // The dynamic import() beside each static one is allowed: only the static ones break a rule.
    expect(found.filter((v) => v.rule.name === 'registry-loads-steps-lazily').map((v) => v.to)).toEqual([
      'src/concerns/cors/cors.ts',
    ]);
    expect(found.filter((v) => v.rule.name === 'cli-loads-commands-lazily').map((v) => v.to)).toEqual([
      'src/engine/runner.ts',
    ]);
    for (const rule of [
      'no-circular',
      'core-imports-nothing',
      'concerns-apart',
      'concerns-layer',
      'only-registry-knows-concerns',
      'registry-loads-steps-lazily',
      'meta-without-code',
      'cli-loads-commands-lazily',
    ]) {
      expect(names, rule).toContain(rule);
    }
  }, 120_000);
});
