// trackedFiles: one listing per repository and index state, never a stale one.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trackedFiles } from '../../src/project/git.js';
import { tempDir, writeTree } from '../helpers/project.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });

describe('trackedFiles', () => {
  it('lists the tracked files under a folder, and sees every later git add and git rm', () => {
    const { dir, cleanup } = tempDir('aisc-git-');
    cleanups.push(cleanup);
    writeTree(dir, { 'apps/web/.env': 'A=1\n', 'apps/web/page.ts': '', 'apps/website/.env': '', 'api/.env': '' });
    git(dir, 'init', '-q');
    expect(trackedFiles(dir, join(dir, 'apps', 'web'))).toEqual([]);

    git(dir, 'add', 'apps/web/.env', 'apps/website/.env');
    // `apps/web` is a folder: `apps/website` is not under it.
    expect(trackedFiles(dir, join(dir, 'apps', 'web'))).toEqual([join(dir, 'apps/web/.env')]);
    expect(trackedFiles(dir, dir).sort()).toEqual([join(dir, 'apps/web/.env'), join(dir, 'apps/website/.env')]);

    git(dir, 'commit', '-qm', 'env');
    git(dir, 'add', 'api/.env');
    expect(trackedFiles(dir, join(dir, 'api'))).toEqual([join(dir, 'api/.env')]);
    git(dir, 'rm', '-q', '--cached', 'apps/web/.env');
    expect(trackedFiles(dir, join(dir, 'apps', 'web'))).toEqual([]);
  });

  it('is empty outside a repository git knows', () => {
    const { dir, cleanup } = tempDir('aisc-git-none-');
    cleanups.push(cleanup);
    expect(trackedFiles(dir, dir)).toEqual([]);
  });
});
