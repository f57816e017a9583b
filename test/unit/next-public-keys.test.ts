import { describe, expect, it } from 'vitest';
import { renameEnvNames, secretKeyName } from '../../transforms/next-public-keys.js';

describe('secretKeyName: AI keys behind a browser prefix, not keys public by design', () => {
  it.each([
    ['NEXT_PUBLIC_OPENAI_API_KEY', 'OPENAI_API_KEY'],
    ['NEXT_PUBLIC_ANTHROPIC_API_KEY', 'ANTHROPIC_API_KEY'],
    ['NEXT_PUBLIC_GEMINI_API_KEY', 'GEMINI_API_KEY'],
    ['NEXT_PUBLIC_GROQ_API_KEY', 'GROQ_API_KEY'],
    ['NEXT_PUBLIC_REPLICATE_API_TOKEN', 'REPLICATE_API_TOKEN'],
    ['NEXT_PUBLIC_HF_TOKEN', 'HF_TOKEN'],
    ['VITE_OPENAI_API_KEY', 'OPENAI_API_KEY'],
    ['REACT_APP_OPENAI_API_KEY', 'OPENAI_API_KEY'],
    ['EXPO_PUBLIC_OPENAI_API_KEY', 'OPENAI_API_KEY'],
  ])('%s is a secret (server name %s)', (name, serverName) => expect(secretKeyName(name)?.serverName).toBe(serverName));

  it.each([
    'NEXT_PUBLIC_SUPABASE_ANON_KEY', 'NEXT_PUBLIC_SUPABASE_URL', 'NEXT_PUBLIC_FIREBASE_API_KEY', 'NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY',
    'NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY', 'NEXT_PUBLIC_POSTHOG_KEY', 'NEXT_PUBLIC_SENTRY_DSN', 'NEXT_PUBLIC_GOOGLE_MAPS_API_KEY',
    'NEXT_PUBLIC_SITE_URL', 'OPENAI_API_KEY',
  ])('%s is left alone', (name) => expect(secretKeyName(name)).toBeUndefined());
});

describe('renameEnvNames (env example files: names only)', () => {
  it('renames in place, keeps comments, export and line endings, and drops a name the file already has', () => {
    const text = '# keys\r\nexport NEXT_PUBLIC_OPENAI_API_KEY=\r\nNEXT_PUBLIC_GROQ_API_KEY=\r\nGROQ_API_KEY=\r\n';
    expect(renameEnvNames(text, new Set(['NEXT_PUBLIC_OPENAI_API_KEY', 'NEXT_PUBLIC_GROQ_API_KEY']))).toBe('# keys\r\nexport OPENAI_API_KEY=\r\nGROQ_API_KEY=\r\n');
  });
});
