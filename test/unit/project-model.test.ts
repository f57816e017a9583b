import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../lib/discover.js';
import { Overlay } from '../../lib/overlay.js';
import { buildProjectModel, readAliases } from '../../lib/project-model.js';
import { tempDir, writeTree } from '../helpers/project.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function model(files: Record<string, string>, sub = '') {
  const { dir, cleanup } = tempDir('aisc-model-');
  cleanups.push(cleanup);
  writeTree(dir, files);
  const given = [join(dir, sub)];
  return { dir, model: buildProjectModel(discoverFiles(given), given, new Overlay()) };
}

const next = (name: string) => JSON.stringify({ name, dependencies: { next: '16.0.0' } });

describe('project model', () => {
  it('finds every Next.js app of a monorepo and the routes of each', () => {
    const { dir, model: m } = model({
      'package.json': JSON.stringify({ name: 'root', workspaces: ['apps/*'] }),
      'apps/web/package.json': next('web'),
      'apps/web/app/api/chat/route.ts': '',
      'apps/web/app/(marketing)/api/[id]/route.ts': '',
      'apps/web/app/api/_private/route.ts': '',
      'apps/web/app/page.tsx': '',
      'apps/admin/next.config.mjs': 'export default {}',
      'apps/admin/src/pages/api/users/index.ts': '',
      'apps/admin/src/pages/api/users/[id].ts': '',
      'apps/admin/src/pages/index.tsx': '',
      'apps/web/nested/package.json': next('nested'),
      'apps/web/nested/app/api/x/route.js': '',
      'packages/ui/package.json': JSON.stringify({ name: 'ui' }),
    });
    const apps = Object.fromEntries(m.apps.map((a) => [a.name, a.routes.map((r) => `${r.kind} ${r.route}`).sort()]));
    expect(apps).toEqual({
      web: ['app /api/[id]', 'app /api/chat'],
      admin: ['pages /api/users', 'pages /api/users/[id]'],
      nested: ['app /api/x'],
    });
    const admin = m.apps.find((a) => a.name === 'admin')!;
    expect(admin.sourceRoot).toBe(join(dir, 'apps/admin/src'));
    expect(admin.typescript).toBe(false);
  });

  it('finds the app above a path given inside it', () => {
    const { dir, model: m } = model({ 'package.json': next('web'), 'app/api/chat/route.ts': '', 'app/api/other/route.ts': '' }, 'app/api/chat');
    expect(m.apps.map((a) => a.root)).toEqual([dir]);
    expect(m.apps[0]!.routes.map((r) => r.route)).toEqual(['/api/chat']);
  });

  it('reads path aliases from tsconfig, with comments, baseUrl and extends', () => {
    const { dir } = model({
      'tsconfig.base.json': '{ "compilerOptions": { "baseUrl": "./src", "paths": { "~/*": ["*"], "@ai": ["lib/ai.ts"] } } }',
      'tsconfig.json': '{\n  // comment\n  "extends": "./tsconfig.base.json",\n}\n',
    });
    expect(readAliases(join(dir, 'tsconfig.json'))).toEqual([
      { prefix: '~/', target: join(dir, 'src'), wildcard: true },
      { prefix: '@ai', target: join(dir, 'src/lib/ai.ts'), wildcard: false },
    ]);
  });
});

describe('AI reachability', () => {
  it('follows relative imports, aliases and workspace packages, and gives the chain', () => {
    const { dir, model: m } = model({
      'package.json': JSON.stringify({ name: 'root', workspaces: ['apps/*', 'packages/*'] }),
      'packages/llm/package.json': JSON.stringify({ name: '@acme/llm', main: 'dist/index.js' }),
      'packages/llm/src/index.ts': "export * from './client';\n",
      'packages/llm/src/client.ts': "import Anthropic from '@anthropic-ai/sdk';\nexport const c = new Anthropic();\n",
      'apps/web/package.json': next('web'),
      'apps/web/tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }',
      'apps/web/src/app/api/a/route.ts': "import { x } from '@/server/x';\n",
      'apps/web/src/server/x.ts': "export { y as x } from '../util/y.js';\n",
      'apps/web/src/util/y.ts': "import { c } from '@acme/llm';\nexport const y = c;\n",
      'apps/web/src/app/api/b/route.ts': "import { z } from '../../../server/z';\n",
      'apps/web/src/server/z.ts': "export const z = fetch('https://api.openai.com/v1/models');\n",
      'apps/web/src/app/api/c/route.ts': "import { db } from '@/server/db';\n// import OpenAI from 'openai'\nconst doc = `import OpenAI from 'openai'`;\n",
      'apps/web/src/server/db.ts': 'export const db = 1;\n',
    });
    const rel = (p: string) => p.slice(dir.length + 1);
    const reach = (route: string) => {
      const r = m.graph.aiReach(join(dir, 'apps/web/src/app/api', route, 'route.ts'));
      return r && { via: r.via, chain: r.chain.map(rel) };
    };
    expect(reach('a')).toEqual({
      via: '@anthropic-ai/sdk',
      chain: ['apps/web/src/app/api/a/route.ts', 'apps/web/src/server/x.ts', 'apps/web/src/util/y.ts', 'packages/llm/src/index.ts', 'packages/llm/src/client.ts'],
    });
    expect(reach('b')).toEqual({ via: 'api.openai.com', chain: ['apps/web/src/app/api/b/route.ts', 'apps/web/src/server/z.ts'] });
    expect(reach('c')).toBeUndefined();
  });

  it('survives import cycles', () => {
    const { dir, model: m } = model({
      'package.json': next('web'),
      'app/api/a/route.ts': "import './x';\n",
      'app/api/a/x.ts': "import './y';\n",
      'app/api/a/y.ts': "import './x';\n",
    });
    expect(m.graph.aiReach(join(dir, 'app/api/a/route.ts'))).toBeUndefined();
  });
});
