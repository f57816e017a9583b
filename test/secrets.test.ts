// Secrets never leave the tool: fake keys of every provider format are seeded where our output
// could pick them up (files we change, files we print, a file that fails to parse, an env file),
// then every transform runs in every output mode and nothing it prints may contain one.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { transforms } from '../src/engine/steps.js';
import { tempDir, writeTree } from './helpers/project.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'bin', 'cli.js');
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

// Built from pieces so that no complete fake key sits in this file as one literal.
const KEYS = {
  openai: 'sk-proj-' + 'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNbVcXz',
  openaiLegacy: 'sk-' + 'Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNbVcXzAa1',
  anthropic: 'sk-ant-api03-' + 'Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNbVcXz-Zx9Qw8AA',
  groq: 'gsk_' + 'Ty6Ui5Op4As3Df2Gh1Jk0LmNbVcXzZx9Qw8Er7',
  huggingface: 'hf_' + 'Ui5Op4As3Df2Gh1Jk0LmNbVcXzZx9Qw8E',
  google: 'AIza' + 'SyOp4As3Df2Gh1Jk0LmNbVcXzZx9Qw8Er7T',
  replicate: 'r8_' + 'As3Df2Gh1Jk0LmNbVcXzZx9Qw8Er7Ty6Ui5',
  xai: 'xai-' + 'Df2Gh1Jk0LmNbVcXzZx9Qw8Er7Ty6Ui5Op4',
};

function appWithKeys(): string {
  const { dir, cleanup } = tempDir('aisc-secrets-');
  cleanups.push(cleanup);
  const keyLines = Object.entries(KEYS)
    .map(([name, key]) => `const ${name}Key = '${key}';`)
    .join('\n');
  writeTree(dir, {
    'package.json': JSON.stringify({ name: 'leaky', dependencies: { next: '16.0.0', openai: '^5.0.0' } }),
    'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
    '.gitignore': 'node_modules\n',
    '.env.local': `${Object.entries(KEYS)
      .map(([name, key]) => `${name.toUpperCase()}_API_KEY=${key}`)
      .join('\n')}\n`,
    'lib/ai.ts': `import OpenAI from 'openai';\n${keyLines}\nexport const openai = new OpenAI({ apiKey: openaiKey });\n`,
    'app/api/chat/route.ts': `import OpenAI from 'openai';\n${keyLines}\nconst openai = new OpenAI({ apiKey: openaiKey });\n\nexport async function POST(req: Request) {\n  return Response.json(await openai.models.list());\n}\n`,
    'app/api/broken/route.ts': `import OpenAI from 'openai';\nconst key = '${KEYS.anthropic}' +;\n`,
    'app/page.tsx': `'use client';\nconst key = process.env.NEXT_PUBLIC_OPENAI_API_KEY ?? '${KEYS.groq}';\nexport default function Page() { return <p>{key}</p>; }\n`,
  });
  return dir;
}

const MODES = [['--dry'], ['--print'], ['--json'], ['--check'], ['--json', '--dry'], ['--force']];

describe('no output of any command contains a secret', () => {
  for (const transform of transforms) {
    for (const mode of MODES) {
      it(`${transform.meta.slug} ${mode.join(' ')}`, () => {
        const dir = appWithKeys();
        const result = spawnSync(process.execPath, [CLI, transform.meta.slug, '.', ...mode], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        });
        const output = result.stdout + result.stderr;
        expect(output.length).toBeGreaterThan(0);
        for (const [provider, key] of Object.entries(KEYS)) {
          expect(output, provider).not.toContain(key);
          expect(output, `${provider} (the part after the prefix)`).not.toContain(key.slice(-24));
        }
      });
    }
  }

  it('masks keys as prefix…last4, so a user can still tell which key is meant', () => {
    const dir = appWithKeys();
    const { stdout } = spawnSync(process.execPath, [CLI, 'next-ratelimit', '.', '--dry'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(stdout).toContain(`'sk-…${KEYS.openai.slice(-4)}'`);
    expect(stdout).toContain(`'sk-ant-…${KEYS.anthropic.slice(-4)}'`);
  });
});
