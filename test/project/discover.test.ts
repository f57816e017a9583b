import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverFiles, MissingPathError } from '../../src/project/discover.js';
import { tempDir, writeTree } from '../helpers/project.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function tree(files: Record<string, string>): string {
  const { dir, cleanup } = tempDir('aisc-walk-');
  cleanups.push(cleanup);
  writeTree(dir, files);
  return dir;
}

const found = (root: string, paths = [root]) =>
  discoverFiles(paths)
    .map((p) => relative(root, p))
    .sort();

describe('discoverFiles', () => {
  it('always skips dependency, build and virtualenv folders', () => {
    const root = tree({
      'app/page.tsx': '',
      'node_modules/openai/index.js': '',
      '.next/server/app.js': '',
      'dist/index.js': '',
      'build/x.js': '',
      'out/x.js': '',
      '.venv/lib/x.py': '',
      'venv/lib/x.py': '',
      'packages/ui/node_modules/x/index.js': '',
    });
    expect(found(root)).toEqual(['app/page.tsx']);
  });

  it('honours nested .gitignore files with git precedence (deeper wins, negations count)', () => {
    const root = tree({
      '.gitignore': '*.log\ngenerated/\n',
      'a.log': '',
      'keep.ts': '',
      'generated/route.ts': '',
      'apps/web/.gitignore': '!important.log\n/local/\n',
      'apps/web/important.log': '',
      'apps/web/other.log': '',
      'apps/web/local/x.ts': '',
      'apps/web/src/local/y.ts': '',
    });
    expect(found(root)).toEqual([
      '.gitignore',
      'apps/web/.gitignore',
      'apps/web/important.log',
      'apps/web/src/local/y.ts',
      'keep.ts',
    ]);
  });

  it('applies .gitignore files above the given path, up to the repository root', () => {
    const root = tree({ '.gitignore': 'secret-dir/\n', 'apps/web/secret-dir/a.ts': '', 'apps/web/b.ts': '' });
    execFileSync('git', ['init', '-q'], { cwd: root });
    expect(found(root, [`${root}/apps/web`])).toEqual(['apps/web/b.ts']);
  });

  it('includes a file named explicitly even when it is ignored', () => {
    const root = tree({ '.gitignore': 'x.ts\n', 'x.ts': '' });
    expect(found(root, [`${root}/x.ts`])).toEqual(['x.ts']);
  });

  it('reports a missing path clearly', () => {
    expect(() => discoverFiles(['/definitely/not/here'])).toThrow(MissingPathError);
    expect(() => discoverFiles(['/definitely/not/here'])).toThrow('path not found: /definitely/not/here');
  });
});

describe('discoverFiles inside a git work tree (git ls-files)', () => {
  const files = {
    '.gitignore': '*.log\ngenerated/\n',
    'a.log': '',
    'keep.ts': '',
    'generated/route.ts': '',
    'apps/web/.gitignore': '!important.log\n/local/\n',
    'apps/web/important.log': '',
    'apps/web/local/x.ts': '',
    'apps/web/src/local/y.ts': '',
    'apps/web/node_modules/x/index.js': '',
    'apps/web/dist/index.js': '',
  };

  it('lists what the walk lists, for untracked files', () => {
    const root = tree(files);
    const walked = found(root);
    execFileSync('git', ['init', '-q'], { cwd: root });
    expect(found(root)).toEqual(walked);
  });

  it('follows git: tracked files count even when ignored, deleted ones do not, build folders never', () => {
    const root = tree({ ...files, 'gone.ts': '', 'dist/committed.js': '' });
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: root,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.com',
        },
      });
    git('init', '-q');
    git('add', '-A');
    git('add', '-f', 'a.log', 'dist/committed.js');
    git('commit', '-qm', 'init');
    execFileSync('rm', ['gone.ts'], { cwd: root });
    expect(found(root)).toEqual([
      '.gitignore',
      'a.log',
      'apps/web/.gitignore',
      'apps/web/important.log',
      'apps/web/src/local/y.ts',
      'keep.ts',
    ]);
    expect(found(root, [`${root}/apps/web`])).toEqual([
      'apps/web/.gitignore',
      'apps/web/important.log',
      'apps/web/src/local/y.ts',
    ]);
  });
});
