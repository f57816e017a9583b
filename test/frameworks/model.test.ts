import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/project/discover.js';
import { Overlay } from '../../src/project/overlay.js';
import { buildProjectModel } from '../../src/frameworks/model.js';
import { readAliases } from '../../src/project/manifests.js';
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
    const { dir, model: m } = model(
      { 'package.json': next('web'), 'app/api/chat/route.ts': '', 'app/api/other/route.ts': '' },
      'app/api/chat',
    );
    expect(m.apps.map((a) => a.root)).toEqual([dir]);
    expect(m.apps[0]!.routes.map((r) => r.route)).toEqual(['/api/chat']);
  });

  it('reads path aliases from tsconfig, with comments, baseUrl and extends', () => {
    const { dir } = model({
      'tsconfig.base.json':
        '{ "compilerOptions": { "baseUrl": "./src", "paths": { "~/*": ["*"], "@ai": ["lib/ai.ts"] } } }',
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
      'apps/web/src/app/api/c/route.ts':
        "import { db } from '@/server/db';\n// import OpenAI from 'openai'\nconst doc = `import OpenAI from 'openai'`;\n",
      'apps/web/src/server/db.ts': 'export const db = 1;\n',
    });
    const rel = (p: string) => p.slice(dir.length + 1);
    const reach = (route: string) => {
      const r = m.graph.aiReach(join(dir, 'apps/web/src/app/api', route, 'route.ts'));
      return r && { via: r.via, chain: r.chain.map(rel) };
    };
    expect(reach('a')).toEqual({
      via: '@anthropic-ai/sdk',
      chain: [
        'apps/web/src/app/api/a/route.ts',
        'apps/web/src/server/x.ts',
        'apps/web/src/util/y.ts',
        'packages/llm/src/index.ts',
        'packages/llm/src/client.ts',
      ],
    });
    expect(reach('b')).toEqual({
      via: 'api.openai.com',
      chain: ['apps/web/src/app/api/b/route.ts', 'apps/web/src/server/z.ts'],
    });
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

describe('browser and server reach', () => {
  const app = () =>
    model({
      'package.json': next('web'),
      'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }',
      'src/app/page.tsx': "import { Chat } from '@/components/chat';\nimport { render } from '@/lib/render';\n",
      'src/app/api/chat/route.ts': "import { openai } from '@/lib/openai';\n",
      'src/app/actions.ts': "'use server';\nimport { openai } from '@/lib/action-ai';\n",
      'src/components/chat.tsx':
        "'use client';\nimport { ask } from '../app/actions';\nimport { shared } from '@/lib/shared';\nimport type { Model } from '@/lib/types';\n",
      'src/lib/openai.ts': "import { shared } from './shared';\n",
      'src/lib/shared.ts': 'export const shared = 1;\n',
      'src/lib/action-ai.ts': 'export const openai = 1;\n',
      'src/lib/render.ts': 'export const render = 1;\n',
      'src/lib/types.ts': 'export type Model = string;\n',
      'src/lib/unused.ts': 'export const unused = 1;\n',
      'src/pages/legacy.tsx': "import { legacy } from '../lib/legacy';\n",
      'src/pages/_document.tsx': "import { doc } from '../lib/doc';\n",
      'src/pages/api/old.ts': "import { old } from '../../lib/old';\n",
      'src/lib/legacy.ts': '',
      'src/lib/doc.ts': '',
      'src/lib/old.ts': '',
      'src/middleware.ts': "import { mw } from './lib/mw';\n",
      'src/lib/mw.ts': '',
      'src/instrumentation-client.ts': "import { tracking } from './lib/tracking';\n",
      'src/lib/tracking.ts': '',
    });

  it('walks from every browser entry point, with the chain, and not into Server Actions', () => {
    const { dir, model: m } = app();
    const chain = (file: string) => m.graph.clientReach(join(dir, 'src', file))?.map((p) => p.slice(dir.length + 5));
    expect(chain('lib/shared.ts')).toEqual(['components/chat.tsx', 'lib/shared.ts']);
    expect(chain('components/chat.tsx')).toEqual(['components/chat.tsx']);
    expect(chain('lib/legacy.ts')).toEqual(['pages/legacy.tsx', 'lib/legacy.ts']);
    expect(chain('lib/tracking.ts')).toEqual(['instrumentation-client.ts', 'lib/tracking.ts']);
    for (const file of [
      'app/actions.ts',
      'lib/action-ai.ts',
      'lib/types.ts',
      'lib/openai.ts',
      'app/page.tsx',
      'lib/doc.ts',
      'lib/old.ts',
      'lib/mw.ts',
      'lib/unused.ts',
    ]) {
      expect(chain(file), file).toBeUndefined();
    }
  });

  it('walks from every server entry point, and not into client components', () => {
    const { dir, model: m } = app();
    const chain = (file: string) => m.graph.serverReach(join(dir, 'src', file))?.map((p) => p.slice(dir.length + 5));
    expect(chain('lib/openai.ts')).toEqual(['app/api/chat/route.ts', 'lib/openai.ts']);
    expect(chain('lib/shared.ts')).toEqual(['app/api/chat/route.ts', 'lib/openai.ts', 'lib/shared.ts']);
    expect(chain('lib/render.ts')).toEqual(['app/page.tsx', 'lib/render.ts']);
    expect(chain('lib/action-ai.ts')).toEqual(['app/actions.ts', 'lib/action-ai.ts']);
    expect(chain('lib/doc.ts')).toEqual(['pages/_document.tsx', 'lib/doc.ts']);
    expect(chain('lib/old.ts')).toEqual(['pages/api/old.ts', 'lib/old.ts']);
    expect(chain('lib/mw.ts')).toEqual(['middleware.ts', 'lib/mw.ts']);
    for (const file of ['components/chat.tsx', 'lib/legacy.ts', 'lib/tracking.ts', 'lib/unused.ts'])
      expect(chain(file), file).toBeUndefined();
  });
});
