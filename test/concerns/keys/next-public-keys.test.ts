import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { API } from 'jscodeshift';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyEnvName, isAiKeyName } from '../../../src/knowledge/ai-providers.js';
import { runSteps } from '../../../src/engine/runner.js';
import { findExposures } from '../../../src/concerns/keys/env-exposures.js';
import { applyEdits } from '../../../src/core/edits.js';
import { renameEnvNames } from '../../../src/project/project-files.js';
import * as nextPublicKeys from '../../../src/concerns/keys/next-public-keys.js';
import { tempDir, writeTree } from '../../helpers/project.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

describe('classifyEnvName: AI keys behind a browser prefix are secrets', () => {
  it.each([
    ['NEXT_PUBLIC_OPENAI_API_KEY', 'OPENAI_API_KEY'],
    ['NEXT_PUBLIC_ANTHROPIC_API_KEY', 'ANTHROPIC_API_KEY'],
    ['NEXT_PUBLIC_GEMINI_API_KEY', 'GEMINI_API_KEY'],
    ['NEXT_PUBLIC_GOOGLE_API_KEY', 'GOOGLE_API_KEY'],
    ['NEXT_PUBLIC_GOOGLE_GENERATIVE_AI_API_KEY', 'GOOGLE_GENERATIVE_AI_API_KEY'],
    ['NEXT_PUBLIC_GROQ_API_KEY', 'GROQ_API_KEY'],
    ['NEXT_PUBLIC_MISTRAL_API_KEY', 'MISTRAL_API_KEY'],
    ['NEXT_PUBLIC_COHERE_API_KEY', 'COHERE_API_KEY'],
    ['NEXT_PUBLIC_REPLICATE_API_TOKEN', 'REPLICATE_API_TOKEN'],
    ['NEXT_PUBLIC_HF_TOKEN', 'HF_TOKEN'],
    ['NEXT_PUBLIC_HUGGINGFACE_API_KEY', 'HUGGINGFACE_API_KEY'],
    ['NEXT_PUBLIC_TOGETHER_API_KEY', 'TOGETHER_API_KEY'],
    ['NEXT_PUBLIC_DEEPSEEK_API_KEY', 'DEEPSEEK_API_KEY'],
    ['NEXT_PUBLIC_XAI_API_KEY', 'XAI_API_KEY'],
    ['NEXT_PUBLIC_PERPLEXITY_API_KEY', 'PERPLEXITY_API_KEY'],
    ['NEXT_PUBLIC_OPENROUTER_API_KEY', 'OPENROUTER_API_KEY'],
    ['NEXT_PUBLIC_FIREWORKS_API_KEY', 'FIREWORKS_API_KEY'],
    ['NEXT_PUBLIC_AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_API_KEY'],
    ['NEXT_PUBLIC_FAL_KEY', 'FAL_KEY'],
    // Provider names with the usual secret suffixes, words between allowed.
    ['NEXT_PUBLIC_OPENAI_KEY', 'OPENAI_KEY'],
    ['NEXT_PUBLIC_OPENAI_ADMIN_KEY', 'OPENAI_ADMIN_KEY'],
    ['NEXT_PUBLIC_ANTHROPIC_SECRET', 'ANTHROPIC_SECRET'],
    ['NEXT_PUBLIC_ELEVENLABS_API_KEY', 'ELEVENLABS_API_KEY'],
    ['NEXT_PUBLIC_LANGFUSE_SECRET_KEY', 'LANGFUSE_SECRET_KEY'],
    ['NEXT_PUBLIC_PINECONE_API_KEY', 'PINECONE_API_KEY'],
  ])('%s → %s on the server', (name, serverName) => {
    expect(classifyEnvName(name)).toEqual({ kind: 'secret', prefix: 'NEXT_PUBLIC_', framework: 'Next.js', serverName });
  });

  it.each([
    ['VITE_OPENAI_API_KEY', 'VITE_', 'Vite'],
    ['REACT_APP_ANTHROPIC_API_KEY', 'REACT_APP_', 'Create React App'],
    ['EXPO_PUBLIC_GEMINI_API_KEY', 'EXPO_PUBLIC_', 'Expo'],
  ])('%s is a secret behind the %s prefix (%s)', (name, prefix, framework) => {
    expect(classifyEnvName(name)).toMatchObject({ kind: 'secret', prefix, framework });
  });
});

describe('classifyEnvName: keys public by design are never secrets', () => {
  it.each([
    ['NEXT_PUBLIC_SUPABASE_URL', 'Supabase'],
    ['NEXT_PUBLIC_SUPABASE_ANON_KEY', 'Supabase'],
    ['NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY', 'Supabase'],
    ['NEXT_PUBLIC_FIREBASE_API_KEY', 'Firebase'],
    ['NEXT_PUBLIC_FIREBASE_AUTH_DOMAIN', 'Firebase'],
    ['NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY', 'Stripe'],
    ['NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY', 'Clerk'],
    ['NEXT_PUBLIC_POSTHOG_KEY', 'PostHog'],
    ['NEXT_PUBLIC_SEGMENT_WRITE_KEY', 'Segment'],
    ['NEXT_PUBLIC_MIXPANEL_TOKEN', 'Mixpanel'],
    ['NEXT_PUBLIC_GA_MEASUREMENT_ID', 'Google Analytics'],
    ['NEXT_PUBLIC_SENTRY_DSN', 'Sentry'],
    ['NEXT_PUBLIC_MAPBOX_ACCESS_TOKEN', 'Mapbox'],
    ['NEXT_PUBLIC_GOOGLE_MAPS_API_KEY', 'Google Maps'],
    ['NEXT_PUBLIC_ALGOLIA_SEARCH_API_KEY', 'Algolia'],
    ['NEXT_PUBLIC_RECAPTCHA_SITE_KEY', 'reCAPTCHA'],
    ['VITE_SUPABASE_ANON_KEY', 'Supabase'],
    // An AI service's browser key: public by design too.
    ['NEXT_PUBLIC_LANGFUSE_PUBLIC_KEY', 'public'],
    ['NEXT_PUBLIC_VAPI_PUBLIC_KEY', 'public'],
  ])('%s (%s)', (name, provider) => {
    const found = classifyEnvName(name);
    expect(found?.kind).toBe('public-by-design');
    expect(found?.kind === 'public-by-design' && found.provider).toContain(provider);
  });

  it.each([
    'NEXT_PUBLIC_SITE_URL',
    'NEXT_PUBLIC_API_BASE_URL',
    'NEXT_PUBLIC_OPENAI_MODEL',
    'NEXT_PUBLIC_OPENAI_ASSISTANT_ID',
    'NEXT_PUBLIC_EXAMPLE_TOKEN',
    'NEXT_PUBLIC_HFX_TOKEN',
    'NEXT_PUBLIC_GOOGLE_CLIENT_ID',
    // Without a browser prefix a key is server-only already.
    'OPENAI_API_KEY',
    'PUBLIC_OPENAI_API_KEY',
  ])('%s is neither: not our business', (name) => expect(classifyEnvName(name)).toBeUndefined());

  it('isAiKeyName judges names without a prefix', () => {
    expect(isAiKeyName('OPENAI_API_KEY')).toBe(true);
    expect(isAiKeyName('CO_API_KEY')).toBe(true);
    expect(isAiKeyName('SITE_URL')).toBe(false);
  });
});

describe('renameEnvNames (env example files: names only)', () => {
  const renames = new Map([
    ['NEXT_PUBLIC_OPENAI_API_KEY', 'OPENAI_API_KEY'],
    ['NEXT_PUBLIC_GROQ_API_KEY', 'GROQ_API_KEY'],
  ]);

  it('renames in place, keeping values, comments, export and line endings', () => {
    const text =
      '# keys\r\nexport NEXT_PUBLIC_OPENAI_API_KEY=sk-your-key\r\n# NEXT_PUBLIC_GROQ_API_KEY=\r\nNEXT_PUBLIC_SITE_URL=x\r\n';
    expect(renameEnvNames(text, renames)).toBe(
      '# keys\r\nexport OPENAI_API_KEY=sk-your-key\r\n# NEXT_PUBLIC_GROQ_API_KEY=\r\nNEXT_PUBLIC_SITE_URL=x\r\n',
    );
  });

  it('drops the old line when the file has the new name already', () => {
    expect(renameEnvNames('NEXT_PUBLIC_GROQ_API_KEY=\nGROQ_API_KEY=\n', renames)).toBe('GROQ_API_KEY=\n');
  });

  it('keeps a name code still reads and adds the new one after it (no value copied)', () => {
    const keep = new Set(['NEXT_PUBLIC_OPENAI_API_KEY']);
    expect(renameEnvNames('NEXT_PUBLIC_OPENAI_API_KEY=sk-x\nA=1\n', renames, keep)).toBe(
      'NEXT_PUBLIC_OPENAI_API_KEY=sk-x\nOPENAI_API_KEY=\nA=1\n',
    );
    expect(renameEnvNames('NEXT_PUBLIC_OPENAI_API_KEY=', renames, keep)).toBe(
      'NEXT_PUBLIC_OPENAI_API_KEY=\nOPENAI_API_KEY=',
    );
    expect(renameEnvNames('NEXT_PUBLIC_OPENAI_API_KEY=\nOPENAI_API_KEY=\n', renames, keep)).toBe(
      'NEXT_PUBLIC_OPENAI_API_KEY=\nOPENAI_API_KEY=\n',
    );
  });
});

describe('findExposures', () => {
  const renamed = (source: string, path = 'route.ts') =>
    applyEdits(
      source,
      findExposures(path, source).flatMap((e) => (e.kind === 'read' && e.edit ? [e.edit] : [])),
    );

  it('renames every form of a process.env read, keeping quotes and local names', () => {
    expect(renamed('const a = process.env.NEXT_PUBLIC_OPENAI_API_KEY;')).toBe('const a = process.env.OPENAI_API_KEY;');
    expect(renamed('const a = process.env?.NEXT_PUBLIC_OPENAI_API_KEY;')).toBe(
      'const a = process.env?.OPENAI_API_KEY;',
    );
    expect(renamed("const a = process.env['NEXT_PUBLIC_OPENAI_API_KEY'];")).toBe(
      "const a = process.env['OPENAI_API_KEY'];",
    );
    expect(renamed('const a = process.env[`NEXT_PUBLIC_OPENAI_API_KEY`];')).toBe(
      'const a = process.env[`OPENAI_API_KEY`];',
    );
    expect(renamed('const { NEXT_PUBLIC_OPENAI_API_KEY } = process.env;')).toBe(
      'const { OPENAI_API_KEY: NEXT_PUBLIC_OPENAI_API_KEY } = process.env;',
    );
    expect(renamed('const { NEXT_PUBLIC_OPENAI_API_KEY: key } = process.env;')).toBe(
      'const { OPENAI_API_KEY: key } = process.env;',
    );
    expect(renamed("const { 'NEXT_PUBLIC_OPENAI_API_KEY': key } = process.env;")).toBe(
      "const { 'OPENAI_API_KEY': key } = process.env;",
    );
  });

  it('reports other frameworks’ prefixes without an edit, and ignores keys public by design', () => {
    const found = findExposures(
      'app.ts',
      'const a = import.meta.env.VITE_OPENAI_API_KEY, b = process.env.REACT_APP_GROQ_API_KEY, c = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY;',
    );
    expect(found.map((e) => e.kind === 'read' && [e.name, e.edit])).toEqual([
      ['VITE_OPENAI_API_KEY', undefined],
      ['REACT_APP_GROQ_API_KEY', undefined],
    ]);
  });

  it('finds names it cannot rename: env schemas, helpers, other objects, type declarations', () => {
    const source = [
      'export const env = createEnv({ client: { NEXT_PUBLIC_OPENAI_API_KEY: z.string() } });',
      "const key = getEnv('NEXT_PUBLIC_GROQ_API_KEY');",
      'const other = env.NEXT_PUBLIC_GEMINI_API_KEY;',
      'declare global { namespace NodeJS { interface ProcessEnv { NEXT_PUBLIC_XAI_API_KEY: string } } }',
    ].join('\n');
    expect(findExposures('env.ts', source).map((e) => e.kind === 'mention' && `${e.line} ${e.name}`)).toEqual([
      '1 NEXT_PUBLIC_OPENAI_API_KEY',
      '2 NEXT_PUBLIC_GROQ_API_KEY',
      '3 NEXT_PUBLIC_GEMINI_API_KEY',
      '4 NEXT_PUBLIC_XAI_API_KEY',
    ]);
  });

  it('offers the rename of a ProcessEnv member, and of no other type', () => {
    const source =
      'declare namespace NodeJS { interface ProcessEnv { NEXT_PUBLIC_XAI_API_KEY: string } }\ntype Keys = { NEXT_PUBLIC_XAI_API_KEY: string };\n';
    const edits = findExposures('env.d.ts', source).flatMap((e) => (e.kind === 'mention' ? [e.processEnvEdit] : []));
    expect(edits.length).toBe(2);
    expect(
      applyEdits(
        source,
        edits.filter((e) => e !== undefined),
      ),
    ).toBe(source.replace('NEXT_PUBLIC_XAI_API_KEY', 'XAI_API_KEY'));
  });

  it('knows reads inside JSX and inside Pages Router data functions', () => {
    const source = [
      'export const getStaticProps = async () => ({ props: { k: process.env.NEXT_PUBLIC_OPENAI_API_KEY } });',
      'export default function Page() { return <Chat apiKey={process.env.NEXT_PUBLIC_OPENAI_API_KEY} />; }',
    ].join('\n');
    const reads = findExposures('page.tsx', source).filter((e) => e.kind === 'read');
    expect(reads.map((e) => e.kind === 'read' && [e.inDataFunction, e.inJsx])).toEqual([
      ['getStaticProps', false],
      [undefined, true],
    ]);
  });

  it('finds dangerouslyAllowBrowser unless it is false', () => {
    const kinds = (source: string) => findExposures('a.ts', source).map((e) => e.kind);
    expect(kinds('new OpenAI({ dangerouslyAllowBrowser: true })')).toEqual(['browser-sdk']);
    expect(kinds('new OpenAI({ dangerouslyAllowBrowser: isDev })')).toEqual(['browser-sdk']);
    expect(kinds('new OpenAI({ dangerouslyAllowBrowser: false })')).toEqual([]);
  });

  it('finds next.config env entries that carry an AI key, by name or by value', () => {
    const source =
      'module.exports = { env: { NEXT_PUBLIC_OPENAI_API_KEY: "x", GROQ_API_KEY: process.env.GROQ_API_KEY, MY_KEY: process.env.ANTHROPIC_API_KEY, SITE: "a" } };';
    expect(
      findExposures('next.config.js', source, { nextConfig: true }).map(
        (e) => e.kind === 'config-entry' && `${e.entry} ${e.serverName}`,
      ),
    ).toEqual(['NEXT_PUBLIC_OPENAI_API_KEY OPENAI_API_KEY', 'GROQ_API_KEY GROQ_API_KEY', 'MY_KEY ANTHROPIC_API_KEY']);
  });
});

describe('next-public-keys', () => {
  const app = (browser = true) => {
    const { dir, cleanup } = tempDir('aisc-npk-');
    cleanups.push(cleanup);
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'app', dependencies: { next: '16.0.0', openai: '^5.0.0' } }),
      'app/api/chat/route.ts':
        "import { openai } from '../../../lib/server-ai';\nexport async function POST() { return Response.json(await openai.models.list()); }\n",
      'lib/server-ai.ts':
        "import OpenAI from 'openai';\nexport const openai = new OpenAI({ apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY });\n",
      ...(browser && {
        'components/chat.tsx':
          "'use client';\nimport { browserAi } from '../lib/browser-ai';\nexport const Chat = () => <button onClick={() => browserAi.models.list()}>Ask</button>;\n",
        'lib/browser-ai.ts':
          "import OpenAI from 'openai';\nexport const browserAi = new OpenAI({ apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY, dangerouslyAllowBrowser: true });\n",
      }),
    });
    return dir;
  };

  it('under plain jscodeshift, renames only where the server alone loads the file', () => {
    const dir = app();
    const reports: string[] = [];
    const api = { report: (message: string) => reports.push(message) } as unknown as API;
    const run = (path: string) =>
      nextPublicKeys.transformer({ path: join(dir, path), source: readFileSync(join(dir, path), 'utf8') }, api);
    expect(run('lib/server-ai.ts')).toContain('apiKey: process.env.OPENAI_API_KEY');
    expect(run('lib/browser-ai.ts')).toBeUndefined();
    expect(reports.filter((r) => r.startsWith('needs-human')).length).toBe(2);
  });

  it('never edits a real env file, and never puts its values into any output', () => {
    const dir = app(false);
    const key = 'sk-proj-' + 'Qm4Wn8Xr2Ty6Uv0Zs3Ab7Cd1Ef5Gh9';
    writeTree(dir, {
      '.env.local': `NEXT_PUBLIC_OPENAI_API_KEY=${key}\n`,
      '.env': `NEXT_PUBLIC_OPENAI_API_KEY=${key}\n`,
    });
    const result = runSteps([nextPublicKeys.default], [dir], {});
    expect(result.changes.map((c) => c.path)).toEqual([join(dir, 'lib/server-ai.ts')]);
    expect(JSON.stringify([result.findings, result.changes, result.files])).not.toContain(key.slice(-12));
    expect(result.findings.filter((f) => f.file?.includes('.env')).map((f) => f.fix)).toEqual([
      'rename NEXT_PUBLIC_OPENAI_API_KEY to OPENAI_API_KEY in your .env and in your deployment settings (Vercel → Project → Settings → Environment Variables)',
      'rename NEXT_PUBLIC_OPENAI_API_KEY to OPENAI_API_KEY in your .env.local and in your deployment settings (Vercel → Project → Settings → Environment Variables)',
    ]);
  });
});
