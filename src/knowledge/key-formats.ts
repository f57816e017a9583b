// The shapes of AI providers' secret keys, and the env var each provider's SDK reads. One list
// for masking every output (core/secrets.ts) and for finding keys written into code.

export interface KeyFormat {
  provider: string;
  /** The key's documented shape, anchored: the whole string literal must be the key. */
  pattern: RegExp;
  /** What the mask keeps in front: `sk-ant-…abcd`. */
  prefix: string;
  /** The env var the provider's SDK reads by itself. */
  envName: string;
  /** Where to revoke it. */
  console: string;
  /** Google API keys also serve public browser APIs: a finding only where Gemini uses one. */
  sharedWithPublicApis?: boolean;
}

// Most specific first: an Anthropic key also starts with `sk-`.
export const KEY_FORMATS: KeyFormat[] = [
  {
    provider: 'Anthropic',
    pattern: /^sk-ant-[A-Za-z0-9_-]{16,}$/,
    prefix: 'sk-ant-',
    envName: 'ANTHROPIC_API_KEY',
    console: 'console.anthropic.com/settings/keys',
  },
  {
    provider: 'OpenAI',
    pattern: /^sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}$/,
    prefix: 'sk-',
    envName: 'OPENAI_API_KEY',
    console: 'platform.openai.com/api-keys',
  },
  {
    provider: 'Groq',
    pattern: /^gsk_[A-Za-z0-9]{20,}$/,
    prefix: 'gsk_',
    envName: 'GROQ_API_KEY',
    console: 'console.groq.com/keys',
  },
  {
    provider: 'Hugging Face',
    pattern: /^hf_[A-Za-z0-9]{20,}$/,
    prefix: 'hf_',
    envName: 'HF_TOKEN',
    console: 'huggingface.co/settings/tokens',
  },
  {
    provider: 'Replicate',
    pattern: /^r8_[A-Za-z0-9]{20,}$/,
    prefix: 'r8_',
    envName: 'REPLICATE_API_TOKEN',
    console: 'replicate.com/account/api-tokens',
  },
  {
    provider: 'xAI',
    pattern: /^xai-[A-Za-z0-9]{20,}$/,
    prefix: 'xai-',
    envName: 'XAI_API_KEY',
    console: 'console.x.ai',
  },
  {
    provider: 'Google',
    pattern: /^AIza[0-9A-Za-z_-]{35}$/,
    prefix: 'AIza',
    envName: 'GEMINI_API_KEY',
    console: 'aistudio.google.com/app/apikey',
    sharedWithPublicApis: true,
  },
];

/** The format a string literal has, when the whole string is a key. */
export function keyFormatOf(value: string): KeyFormat | undefined {
  return KEY_FORMATS.find((format) => format.pattern.test(value));
}

/** Substrings at least one key contains: a cheap test before a file is read as text. */
export const KEY_PREFIXES = [...new Set(KEY_FORMATS.map((format) => format.prefix))];

/** The env var each AI SDK reads its key from when none is passed. */
export const KEY_ENV_BY_PACKAGE: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  '@anthropic-ai/sdk': 'ANTHROPIC_API_KEY',
  'groq-sdk': 'GROQ_API_KEY',
  '@google/generative-ai': 'GEMINI_API_KEY',
  '@google/genai': 'GEMINI_API_KEY',
  replicate: 'REPLICATE_API_TOKEN',
  '@mistralai/mistralai': 'MISTRAL_API_KEY',
  'cohere-ai': 'COHERE_API_KEY',
  'together-ai': 'TOGETHER_API_KEY',
  '@huggingface/inference': 'HF_TOKEN',
};
