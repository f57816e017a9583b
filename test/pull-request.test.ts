// `all --format markdown` golden files: every __testfixtures__/pull-request/<case>/input is a small
// project; `all` on it, in process as the CLI runs it, must print <case>/expected.md (the
// pull-request body) and write <case>/expected.patch (--patch), and write nothing else. The patch
// must apply with `git apply` to a copy of the input and give the files `all` writes.
//
// To regenerate after a deliberate change: UPDATE_GOLDEN=1 npx vitest run test/pull-request.test.ts,
// then review the diff of expected.md and expected.patch like code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAll } from '../src/cli/detect.js';
import type { Io } from '../src/cli/run.js';
import { optionsOf } from '../src/cli/command-options.js';
import { KEY_FORMATS } from '../src/knowledge/key-formats.js';
import { packageVersion } from '../src/core/package-root.js';
import { maskSecrets } from '../src/core/secrets.js';
import { transforms } from '../src/engine/steps.js';
import { copyTree, readTree, tempDir, writeTree } from './helpers/project.js';

const FIXTURES = join(import.meta.dirname, '..', '__testfixtures__', 'pull-request');
const cases = readdirSync(FIXTURES).filter((name) => existsSync(join(FIXTURES, name, 'input')));
// The steps' options as the command line gives them when no flag is passed.
const DEFAULTS = Object.fromEntries(
  optionsOf(transforms).map((option) => [
    option.name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
    option.default,
  ]),
);
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

function fresh(prefix: string): string {
  const { dir, cleanup } = tempDir(prefix);
  cleanups.push(cleanup);
  return dir;
}

function capture(): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    color: false,
    stdout: () => out,
    stderr: () => err,
  };
}

function golden(path: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('all --format markdown: pull-request body and patch', () => {
  it('has fixture cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(2);
  });

  for (const name of cases) {
    it(name, async () => {
      const input = join(FIXTURES, name, 'input');
      const dir = fresh('aisc-pr-');
      copyTree(input, dir);
      const patchFile = join(fresh('aisc-pr-patch-'), 'changes.patch');
      const io = capture();
      const code = await runAll({ ...DEFAULTS, paths: [dir], format: 'markdown', patch: patchFile }, io);
      expect(code, io.stderr()).toBe(0);

      // The version moves with every release; the body must not depend on the machine.
      const body = io.stdout().replaceAll(`ai-secure-codemods ${packageVersion()} ·`, 'ai-secure-codemods <version> ·');
      expect(body).not.toContain(dir);
      expect(body.startsWith('## ai-secure-codemods: ')).toBe(true);
      golden(join(FIXTURES, name, 'expected.md'), body);
      const patch = readFileSync(patchFile, 'utf8');
      golden(join(FIXTURES, name, 'expected.patch'), patch);

      // Like --dry: nothing written.
      expect(readTree(dir)).toEqual(readTree(input));
      // No key comes out whole, in the body or the patch.
      const keys = KEY_FORMATS.flatMap(({ pattern }) =>
        Object.values(readTree(input)).flatMap((text) =>
          [...text.matchAll(new RegExp(pattern.source.slice(1, -1), 'g'))].map((m) => m[0]),
        ),
      );
      for (const key of keys) for (const output of [body, patch]) expect(output).not.toContain(key.slice(8));

      // The patch gives the files `all` writes. It is masked like every output, so it applies to
      // the input with its keys masked too: a line that held a key is one the patch replaces.
      const written = fresh('aisc-pr-written-');
      copyTree(input, written);
      expect(await runAll({ ...DEFAULTS, paths: [written], force: true }, capture())).toBe(0);
      const applied = fresh('aisc-pr-applied-');
      writeTree(
        applied,
        Object.fromEntries(Object.entries(readTree(input)).map(([path, text]) => [path, maskSecrets(text)])),
      );
      execFileSync('git', ['init', '-q'], { cwd: applied });
      execFileSync('git', ['apply', '--check', join(FIXTURES, name, 'expected.patch')], { cwd: applied });
      execFileSync('git', ['apply', join(FIXTURES, name, 'expected.patch')], { cwd: applied });
      expect(readTree(applied)).toEqual(readTree(written));
    });
  }
});
