import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { MAX_FILE_BYTES, readSourceFile } from '../../src/project/file-checks.js';
import { Overlay } from '../../src/project/overlay.js';
import { tempDir } from '../helpers/project.js';

const { dir, cleanup } = tempDir('aisc-files-');
afterAll(cleanup);

it.each([
  ['text.ts', Buffer.from('export const a = "café";\n'), { text: 'export const a = "café";\n' }],
  ['binary.ts', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), { skip: 'binary file' }],
  ['latin1.ts', Buffer.from('export const a = "caf\xe9";\n', 'latin1'), { skip: 'not UTF-8 text' }],
  ['huge.ts', Buffer.alloc(MAX_FILE_BYTES + 1, 'a'), { skip: 'too large (1025 KiB; the limit is 1024 KiB)' }],
])('readSourceFile(%s)', (name, bytes, expected) => {
  writeFileSync(join(dir, name), bytes);
  expect(readSourceFile(join(dir, name))).toEqual(expected);
});

it('the overlay serves edits over the disk, knows created files, and forgets an edit that restores the original', () => {
  const overlay = new Overlay();
  const existing = join(dir, 'existing.ts');
  writeFileSync(existing, 'a\n');
  const created = join(dir, 'new/created.ts');
  expect(overlay.exists(created)).toBe(false);
  overlay.write(existing, 'b\n');
  overlay.write(created, 'c\n');
  expect(overlay.read(existing)).toBe('b\n');
  expect(overlay.changes()).toEqual([
    { path: existing, before: 'a\n', after: 'b\n' },
    { path: created, before: null, after: 'c\n' },
  ]);
  overlay.write(existing, 'a\n');
  expect(overlay.changes().map((c) => c.path)).toEqual([created]);
});
