// Lint and format run with the tests, so CI fails on code Biome would change or flag (the rules
// and the 120-column format are in biome.jsonc). `biome ci` never writes: `npm run format` fixes
// the format, and the message below names each file and rule it found.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BIOME = join(ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');

describe('lint and format', () => {
  it('biome ci finds nothing: no lint error, warning or note, no file to reformat', () => {
    const run = spawnSync(process.execPath, [BIOME, 'ci', '.', '--colors=off', '--diagnostic-level=info'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${run.stdout}${run.stderr}`;
    // Any diagnostic names its file as path:line:column before the rule.
    const diagnostics = output.split('\n').filter((line) => /^\S+:\d+:\d+ /.test(line));
    expect(diagnostics, output).toEqual([]);
    expect(run.status, output).toBe(0);
  }, 60_000);
});
