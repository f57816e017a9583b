// `batch`: many repositories, each on its own, through the compiled CLI (`npm test` builds first)
// and its real worker processes; git URLs are file:// URLs of local bare repositories.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/cli/command-options.js';
import {
  isGitUrl,
  parseShard,
  readRepoFile,
  RepoListError,
  selectShard,
  toEntries,
} from '../src/cli/batch/repo-list.js';
import { readTree, tempDir, writeTree } from './helpers/project.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'bin', 'cli.js');
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
}

function workspace(): string {
  const { dir, cleanup } = tempDir('aisc-batch-');
  cleanups.push(cleanup);
  return dir;
}

const AI_ROUTE = `import OpenAI from 'openai';

const openai = new OpenAI();

export async function POST(req: Request) {
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: await req.text() });
  return Response.json({ text: result.output_text });
}
`;

const NEXT_APP = {
  'package.json': `${JSON.stringify({ name: 'chat', dependencies: { next: '16.0.0', openai: '^5.0.0' } }, null, 2)}\n`,
  'app/api/chat/route.ts': AI_ROUTE,
  '.gitignore': 'node_modules\n',
};

/** A repository with one commit under `root/name`. */
function repo(root: string, name: string, files: Record<string, string> = NEXT_APP): string {
  const dir = join(root, name);
  writeTree(dir, files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

type Summary = {
  totals: Record<string, number>;
  repositories: {
    source: string;
    name: string;
    status: string;
    reason?: string;
    changes: number;
    findings: number;
    fileErrors: number;
    commit?: string;
    patch?: string;
  }[];
};
const summaryOf = (out: string): Summary => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));

describe('the repository list', () => {
  it('tells git URLs from paths', () => {
    for (const url of [
      'https://github.com/acme/chat.git',
      'git@github.com:acme/chat.git',
      'ssh://git@host/x/y',
      'file:///srv/git/chat.git',
      'git://host/x',
    ])
      expect(isGitUrl(url), url).toBe(true);
    for (const path of ['./chat', '/srv/chat', 'chat', 'C:\\code\\chat', 'apps/web'])
      expect(isGitUrl(path), path).toBe(false);
  });

  it('reads one repository per line, without blank lines and # comments', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'repos.txt'), '# our apps\n./a\n\n  https://github.com/acme/chat.git  # the chat\r\n./b\n');
    expect(readRepoFile(join(dir, 'repos.txt'))).toEqual(['./a', 'https://github.com/acme/chat.git', './b']);
  });

  it('refuses a missing or binary list with a clear message', () => {
    const dir = workspace();
    expect(() => readRepoFile(join(dir, 'nope.txt'))).toThrow(/--repos: .*nope\.txt does not exist/);
    writeFileSync(join(dir, 'bin.txt'), Buffer.from([0x61, 0x00, 0x62]));
    expect(() => readRepoFile(join(dir, 'bin.txt'))).toThrow(/binary file/);
  });

  it('names each repository once and uniquely, and drops repeats', () => {
    const entries = toEntries([
      'https://github.com/acme/chat.git',
      'https://github.com/acme/chat',
      '/srv/a/web',
      '/srv/b/web',
      'git@github.com:other/chat.git',
    ]);
    expect(entries.map((e) => e.name)).toEqual(['acme-chat', 'web', 'web-2', 'other-chat']);
    expect(entries.map((e) => e.remote)).toEqual([true, false, false, true]);
    expect(toEntries(['./chat.git/']).map((e) => e.name)).toEqual(['chat']);
  });

  it('rejects a malformed --shard', () => {
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1', '1/2/3', '-1/2'])
      expect(() => parseShard(bad), bad).toThrow(RepoListError);
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
  });

  it('shards cover every repository exactly once, evenly, the same way on every call', () => {
    for (const total of [0, 1, 7, 100, 1001]) {
      const list = Array.from({ length: total }, (_, i) => `repo-${i}`);
      for (const count of [1, 2, 3, 8, 16]) {
        const shards = Array.from({ length: count }, (_, i) => selectShard(list, { index: i + 1, count }));
        const seen = shards.flat();
        expect(seen.length, `${total}/${count}`).toBe(total);
        expect(new Set(seen).size).toBe(total);
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(selectShard(list, { index: 1, count })).toEqual(shards[0]);
      }
    }
  });
});

describe('batch', () => {
  it('processes every repository on its own: a missing one and a broken file stop nothing', () => {
    const root = workspace();
    const good = repo(root, 'good');
    const broken = repo(root, 'broken', {
      ...NEXT_APP,
      'app/api/other/route.ts': `${AI_ROUTE}export async function PUT( {\n`,
    });
    writeFileSync(join(root, 'repos.txt'), `${good}\n${join(root, 'missing')}\n${broken}\n`);
    const before = readTree(good);

    const { code, stdout, stderr } = run(['batch', '--repos', 'repos.txt', '--concurrency', '2', '--out', 'out'], root);
    expect(code, stderr).toBe(EXIT.fileErrors);
    const summary = summaryOf(join(root, 'out'));
    const byName = Object.fromEntries(summary.repositories.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['broken', 'good', 'missing']);
    expect(byName.missing).toMatchObject({ status: 'error', reason: expect.stringMatching(/path not found/) });
    expect(byName.good).toMatchObject({ status: 'changed', fileErrors: 0 });
    expect(byName.good!.changes).toBeGreaterThanOrEqual(3);
    // The broken file is reported; the rest of that repository is still done.
    expect(byName.broken).toMatchObject({ status: 'changed', fileErrors: 1 });
    expect(summary.totals).toMatchObject({ repositories: 3, changed: 2, error: 1 });
    // The table: one row per repository, in list order.
    expect(
      stdout
        .split('\n')
        .slice(1, 4)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['good', 'missing', 'broken']);
    expect(stdout).toMatch(/3 repositories: 1 error, 2 changed/);
    // Plain progress lines outside a terminal, one per repository.
    expect(stderr.match(/^\[\d\/3\] /gm)).toHaveLength(3);
    // Without --branch the repositories are left as they were; the patch holds the change.
    expect(readTree(good)).toEqual(before);
    const patch = readFileSync(join(root, 'out', 'good.patch'), 'utf8');
    expect(patch).toMatch(/\+\+\+ b\/app\/api\/chat\/route\.ts/);
    git(good, 'apply', '--check', join(root, 'out', 'good.patch'));
    // The pull-request body names the step's files and the dependency it adds.
    const body = readFileSync(join(root, 'out', 'good.md'), 'utf8');
    expect(body).toMatch(/^## ai-secure-codemods: rate-limit the AI endpoints/m);
    expect(body).toContain('app/api/chat/route.ts');
    expect(byName.good).toMatchObject({ title: expect.stringMatching(/^Rate-limit the AI endpoints/) });
  });

  it('--branch: one commit on a new branch per repository, the working tree as it was; a dirty one is skipped and kept', () => {
    const root = workspace();
    const clean = repo(root, 'clean');
    const dirty = repo(root, 'dirty');
    writeFileSync(join(dirty, 'notes.txt'), 'work in progress\n');
    const dirtyBefore = readTree(dirty);
    const cleanBefore = readTree(clean);

    const { code, stderr } = run(['batch', clean, dirty, '--branch', '--out', 'out', '--concurrency', '1'], root);
    expect(code, stderr).toBe(EXIT.ok);
    const [c, d] = summaryOf(join(root, 'out')).repositories;
    expect(c).toMatchObject({ status: 'changed', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(d).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/uncommitted changes/) });
    expect(readTree(dirty)).toEqual(dirtyBefore);

    // Back on main with the files as they were; the branch holds exactly the patch's change.
    expect(git(clean, 'branch', '--show-current').trim()).toBe('main');
    expect(readTree(clean)).toEqual(cleanBefore);
    expect(git(clean, 'status', '--porcelain')).toBe('');
    expect(git(clean, 'rev-list', '--count', 'main..ai-secure/hardening').trim()).toBe('1');
    expect(git(clean, 'log', '-1', '--format=%s%n%b', 'ai-secure/hardening')).toMatch(/app\/api\/chat\/route\.ts/);
    const committed = git(clean, 'diff', 'main', 'ai-secure/hardening', '--name-only').trim().split('\n').sort();
    const patched = [...readFileSync(join(root, 'out', 'clean.patch'), 'utf8').matchAll(/^\+\+\+ b\/(.+)$/gm)]
      .map((m) => m[1])
      .sort();
    expect(committed).toEqual(patched);
    expect(git(clean, 'show', 'ai-secure/hardening:app/api/chat/route.ts')).toMatch(/rateLimit/);

    // A second run finds the branch there and says so, changing nothing.
    const again = run(['batch', clean, '--branch', '--out', 'out2'], root);
    expect(again.code).toBe(EXIT.ok);
    expect(summaryOf(join(root, 'out2')).repositories[0]).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/branch ai-secure\/hardening already exists/),
    });
  });

  it('clones git URLs shallow into the work folder, and commits there', () => {
    const root = workspace();
    const origin = repo(root, 'origin');
    git(root, 'clone', '-q', '--bare', origin, join(root, 'acme', 'chat.git'));
    const url = `file://${join(root, 'acme', 'chat.git')}`;

    const { code, stderr } = run(['batch', url, '--branch', 'sec/limits', '--out', 'out'], root);
    expect(code, stderr).toBe(EXIT.ok);
    const [result] = summaryOf(join(root, 'out')).repositories;
    expect(result).toMatchObject({ name: 'acme-chat', status: 'changed' });
    const clone = join(root, 'out', 'repos', 'acme-chat');
    expect(git(clone, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    expect(git(clone, 'log', '--format=%s', 'sec/limits').split('\n')[0]).toMatch(/^Rate-limit the AI endpoints/);
    // The remote itself is untouched: pushing is the platform team's call.
    expect(git(join(root, 'acme', 'chat.git'), 'branch', '--list', 'sec/limits').trim()).toBe('');

    // A bare repository given as a path is cloned the same way (it has no files to change).
    const bare = run(['batch', join(root, 'acme', 'chat.git'), '--out', 'out-bare'], root);
    expect(bare.code, bare.stderr).toBe(EXIT.ok);
    expect(summaryOf(join(root, 'out-bare')).repositories[0]).toMatchObject({
      name: 'chat',
      status: 'changed',
      dir: join(root, 'out-bare', 'repos', 'chat'),
    });
    expect(git(join(root, 'out-bare', 'repos', 'chat'), 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
  });

  it("applies each repository's own config; a bad config fails only its repository", () => {
    const root = workspace();
    const tuned = repo(root, 'tuned', {
      ...NEXT_APP,
      'ai-secure.config.json': JSON.stringify({ limits: { perMinute: 20, perDay: 500 } }),
    });
    const bad = repo(root, 'bad', {
      ...NEXT_APP,
      'ai-secure.config.json': JSON.stringify({ limits: { perMinute: 0 } }),
    });
    const plain = repo(root, 'plain');
    const { code, stderr } = run(['batch', tuned, bad, plain, '--out', 'out'], root);
    expect(code, stderr).toBe(EXIT.fileErrors);
    const [t, b, p] = summaryOf(join(root, 'out')).repositories;
    expect(b).toMatchObject({ status: 'error', reason: expect.stringMatching(/ai-secure\.config\.json.*perMinute/) });
    expect(t).toMatchObject({ status: 'changed' });
    expect(p).toMatchObject({ status: 'changed' });
    const limits = (name: string) =>
      [...readFileSync(join(root, 'out', `${name}.patch`), 'utf8').matchAll(/^\+.*PER_(MINUTE|DAY)\b.*?(\d+)/gm)].map(
        (m) => `${m[1]}=${m[2]}`,
      );
    expect(limits('tuned')).toEqual(expect.arrayContaining(['MINUTE=20', 'DAY=500']));
    expect(limits('plain')).toEqual(expect.arrayContaining(['MINUTE=5', 'DAY=50']));
    // A flag still wins over every repository's config.
    run(['batch', tuned, '--out', 'out-flag', '--per-minute', '7'], root);
    expect(readFileSync(join(root, 'out-flag', 'tuned.patch'), 'utf8')).toMatch(/^\+.*PER_MINUTE\b.*7/m);
  });

  it('shards of a CI matrix together process every repository exactly once', () => {
    const root = workspace();
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const name of names) repo(root, name);
    writeFileSync(join(root, 'repos.txt'), `${names.map((n) => `./${n}`).join('\n')}\n`);
    const seen: string[] = [];
    for (const shard of ['1/3', '2/3', '3/3']) {
      const { code, stderr } = run(
        ['batch', '--repos', 'repos.txt', '--shard', shard, '--out', `out-${shard[0]}`, '--json'],
        root,
      );
      expect(code, stderr).toBe(EXIT.ok);
      expect(stderr).toMatch(new RegExp(`shard ${shard}: \\d of 5 repositories`));
      seen.push(...summaryOf(join(root, `out-${shard[0]}`)).repositories.map((r) => r.name));
    }
    expect(seen.sort()).toEqual(names);
  });

  it('stops a repository that runs past --timeout and goes on with the others', () => {
    const root = workspace();
    const repos = ['a', 'b', 'c'].map((n) => repo(root, n));
    const { code, stderr } = run(['batch', ...repos, '--timeout', '0.001', '--concurrency', '2', '--out', 'out'], root);
    expect(code).toBe(EXIT.fileErrors);
    const results = summaryOf(join(root, 'out')).repositories;
    expect(results).toHaveLength(3);
    for (const r of results)
      expect(r, stderr).toMatchObject({ status: 'error', reason: expect.stringMatching(/timed out/) });
  });

  it('refuses bad options before doing anything', () => {
    const root = workspace();
    const good = repo(root, 'good');
    const cases: [string[], RegExp][] = [
      [['batch'], /name the repositories/],
      [['batch', '--repos', 'nope.txt'], /nope\.txt does not exist/],
      [['batch', good, '--shard', '3/2'], /--shard must be i\/n/],
      [['batch', good, '--concurrency', '0'], /--concurrency must be/],
      [['batch', good, '--branch', 'bad..name'], /not a valid git branch name/],
      [['batch', good, '--only', 'nope'], /unknown step "nope"/],
      [['batch', good, '--per-minute', '-1'], /per-minute/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = run([...args, '--out', 'out'], root);
      expect(code, args.join(' ')).toBe(EXIT.usage);
      expect(stderr, args.join(' ')).toMatch(message);
    }
    expect(existsSync(join(root, 'out', 'summary.json'))).toBe(false);
  });
});
