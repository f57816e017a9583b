// The package as npm ships it: `npm pack`, then the tarball run through npx on a real app.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree, tempDir, writeTree } from './helpers/project.js';

const ROOT = join(import.meta.dirname, '..');
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const work = tempDir('aisc-pack-');
let tarball = '';

beforeAll(() => {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work.dir], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [info] = JSON.parse(out);
  tarball = join(work.dir, info.filename);
}, 300_000);
afterAll(() => work.cleanup());

/** `npx ./ai-secure-codemods-<version>.tgz …` from the tarball's folder, or through --package from elsewhere. */
function npx(args: string[], cwd: string) {
  const target = cwd === work.dir ? [`./${basename(tarball)}`] : ['--package', tarball, '--', 'ai-secure-codemods'];
  // A private npm cache keeps the run independent of whatever npx cached before.
  return spawnSync('npx', ['--yes', ...target, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_cache: join(work.dir, 'npm-cache'), NO_COLOR: '1' },
    timeout: 300_000,
  });
}

describe('npm pack', () => {
  it('ships the compiled CLI and the templates, not the tests', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(tarball.endsWith(`ai-secure-codemods-${version}.tgz`)).toBe(true);
    expect(listing).toEqual(
      expect.arrayContaining([
        'package/dist/bin/cli.js',
        'package/templates/next/rate-limit.ts',
        'package/templates/next/rate-limit.js',
        'package/README.md',
      ]),
    );
    expect(listing.some((f) => f.startsWith('package/test/') || f.startsWith('package/__testfixtures__/'))).toBe(false);
  });

  it('npx ./ai-secure-codemods-<version>.tgz --help works', () => {
    const result = npx(['--help'], work.dir);
    expect(result.stderr).not.toMatch(/ERR!/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/next-ratelimit \[paths\.\.\]/);
  }, 300_000);

  it('the packed CLI protects an app (templates are found inside the package)', () => {
    const app = join(work.dir, 'app');
    writeTree(app, {
      'package.json': `${JSON.stringify({ name: 'packed-app', dependencies: { next: '16.0.0', openai: '^5.0.0' } }, null, 2)}\n`,
      'app/api/chat/route.js':
        "import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport async function POST(req) {\n  return Response.json(await openai.models.list());\n}\n",
    });
    const result = npx(['next-ratelimit', '.', '--store', 'memory'], app);
    expect(result.status).toBe(0);
    const tree = readTree(app);
    expect(tree['app/api/chat/route.js']).toContain("import { rateLimit } from '../../../lib/rate-limit';");
    expect(tree['lib/rate-limit.js']).toContain('export async function rateLimit(request, limits)');
  }, 300_000);
});
