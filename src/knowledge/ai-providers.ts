// What counts as "calling a paid AI API". One list, shared by every step that asks.

/** Package names (exact) and scopes (prefix match) of AI SDKs for JavaScript and TypeScript. */
export const AI_PACKAGES = [
  'openai',
  '@anthropic-ai/sdk',
  '@anthropic-ai/bedrock-sdk',
  '@anthropic-ai/vertex-sdk',
  '@google/generative-ai',
  '@google/genai',
  '@google-cloud/vertexai',
  'ai',
  'langchain',
  'groq-sdk',
  'replicate',
  'cohere-ai',
  '@mistralai/mistralai',
  'together-ai',
  '@huggingface/inference',
  '@aws-sdk/client-bedrock-runtime',
  '@azure/openai',
  '@fal-ai/client',
  '@fal-ai/serverless-client',
  'ollama',
  '@openrouter/ai-sdk-provider',
];
export const AI_PACKAGE_SCOPES = ['@ai-sdk/', '@langchain/'];

/** API hosts of the paid providers: a raw `fetch` to one of these is an AI call too. */
export const AI_HOSTS = [
  'api.openai.com',
  'openai.azure.com',
  'api.anthropic.com',
  'generativelanguage.googleapis.com',
  'aiplatform.googleapis.com',
  'api.groq.com',
  'api.replicate.com',
  'api.mistral.ai',
  'api.cohere.ai',
  'api.cohere.com',
  'api.together.xyz',
  'openrouter.ai',
  'api.deepseek.com',
  'api.perplexity.ai',
  'api.fireworks.ai',
  'api-inference.huggingface.co',
  'api.x.ai',
];

/**
 * Substrings one of which every AI package name and API host contains: a prefilter that skips
 * the files of a project that cannot call AI with a handful of byte searches instead of a hundred
 * (a unit test keeps it in step with the lists above).
 */
export const AI_STEMS = [
  'openai',
  'anthropic',
  '@google/',
  'googleapis',
  "'ai'",
  '"ai"',
  "'ai/",
  '"ai/',
  '@ai-sdk/',
  'langchain',
  'groq',
  'replicate',
  'cohere',
  'mistral',
  'together',
  'huggingface',
  'bedrock',
  'vertexai',
  'ollama',
  'fal-ai',
  'openrouter',
  'deepseek',
  'perplexity',
  'fireworks',
  'api.x.ai',
];

/** The package a specifier names: `@scope/pkg/sub` → `@scope/pkg`, `pkg/sub` → `pkg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * AI packages that call no model themselves: browser hooks of the AI SDK (`useChat` calls your
 * route, never the provider) and LangChain's provider-free core (prompts, messages, graphs).
 */
const NO_MODEL_CALLS =
  /^(ai\/(react|svelte|vue|solid)|@ai-sdk\/(react|vue|svelte|solid|angular|ui-utils)|@langchain\/(core|textsplitters|langgraph)|langchain\/(text_splitter|document_loaders|tools\/calculator|schema|prompts))(\/|$)/;

export function isAiPackage(specifier: string): boolean {
  if (specifier.startsWith('.') || specifier.startsWith('/') || NO_MODEL_CALLS.test(specifier)) return false;
  const name = packageName(specifier);
  return AI_PACKAGES.includes(name) || AI_PACKAGE_SCOPES.some((scope) => name.startsWith(scope));
}

/**
 * The functions of the Vercel AI SDK (`ai`) that call a model. The package also exports helpers
 * that call nothing (`generateId`, `tool`, stream utilities, types): importing those is no AI call.
 */
const AI_SDK_CALLS = new Set([
  'streamText',
  'generateText',
  'streamObject',
  'generateObject',
  'embed',
  'embedMany',
  'rerank',
  'generateImage',
  'experimental_generateImage',
  'transcribe',
  'experimental_transcribe',
  'generateSpeech',
  'experimental_generateSpeech',
  'streamUI',
]);

/** Whether importing `names` (`'*'`: everything, or unknown) from `specifier` brings in an AI call. */
export function isAiImport(specifier: string, names: readonly string[] | '*'): boolean {
  if (!isAiPackage(specifier)) return false;
  if (packageName(specifier) !== 'ai') return true;
  return names === '*' || names.some((name) => AI_SDK_CALLS.has(name));
}

/**
 * The AI host a string literal points at. Only a string that *is* a URL or host counts: source
 * code kept in a template string (a code generator) mentions hosts too, and calls nothing.
 */
export function findAiHost(text: string): string | undefined {
  const match = /^\s*(?:https?:\/\/)?([a-z0-9.-]+)/i.exec(text);
  const host = match?.[1]?.toLowerCase();
  return host ? AI_HOSTS.find((known) => host === known || host.endsWith(`.${known}`)) : undefined;
}

// Env var names. A browser prefix (NEXT_PUBLIC_, VITE_, …) in front of one of the secret names
// below puts an AI provider's key into the JavaScript every visitor downloads.

/** Prefixes whose variables a framework inlines into browser (or app) bundles, with that framework. */
export const CLIENT_ENV_PREFIXES: Record<string, string> = {
  NEXT_PUBLIC_: 'Next.js',
  VITE_: 'Vite',
  REACT_APP_: 'Create React App',
  EXPO_PUBLIC_: 'Expo',
};

/** The names AI SDKs and providers' docs use for secret keys, exactly. */
export const AI_KEY_ENV_NAMES = [
  'OPENAI_API_KEY',
  'AZURE_OPENAI_API_KEY',
  'AZURE_API_KEY',
  'ANTHROPIC_API_KEY',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'GOOGLE_GENERATIVE_AI_API_KEY',
  'GROQ_API_KEY',
  'MISTRAL_API_KEY',
  'COHERE_API_KEY',
  'CO_API_KEY',
  'REPLICATE_API_TOKEN',
  'HF_TOKEN',
  'HUGGINGFACE_API_KEY',
  'HUGGINGFACEHUB_API_TOKEN',
  'TOGETHER_API_KEY',
  'DEEPSEEK_API_KEY',
  'XAI_API_KEY',
  'PERPLEXITY_API_KEY',
  'OPENROUTER_API_KEY',
  'FIREWORKS_API_KEY',
  'FAL_KEY',
];

/**
 * AI providers (and the AI services apps call beside them: speech, images, embeddings, tracing,
 * vector search) as env names start with them: `<STEM>_API_KEY`, `<STEM>_KEY`, `<STEM>_SECRET`,
 * `<STEM>_SECRET_KEY`, `<STEM>_TOKEN`, `<STEM>_ACCESS_TOKEN`, with words between allowed
 * (`OPENAI_ADMIN_KEY`).
 */
export const AI_KEY_STEMS = [
  'OPENAI',
  'AZURE_OPENAI',
  'ANTHROPIC',
  'CLAUDE',
  'GEMINI',
  'GOOGLE_GENERATIVE_AI',
  'GOOGLE_AI',
  'GOOGLE_GEMINI',
  'GROQ',
  'MISTRAL',
  'COHERE',
  'REPLICATE',
  'HUGGINGFACE',
  'HUGGING_FACE',
  'HUGGINGFACEHUB',
  'HF',
  'TOGETHER',
  'TOGETHER_AI',
  'DEEPSEEK',
  'XAI',
  'GROK',
  'PERPLEXITY',
  'PPLX',
  'OPENROUTER',
  'FIREWORKS',
  'FIREWORKS_AI',
  'CEREBRAS',
  'AI21',
  'DEEPINFRA',
  'SAMBANOVA',
  'ELEVENLABS',
  'ELEVEN_LABS',
  'STABILITY',
  'STABILITY_AI',
  'FAL',
  'RUNWAY',
  'LUMA',
  'DEEPGRAM',
  'ASSEMBLYAI',
  'VOYAGE',
  'JINA',
  'LANGSMITH',
  'LANGCHAIN',
  'LANGFUSE',
  'PINECONE',
  'TAVILY',
  'EXA',
];

const SECRET_SUFFIX = '(?:API_KEY|KEY|SECRET|SECRET_KEY|TOKEN|API_TOKEN|ACCESS_TOKEN|ACCESS_KEY)';
const AI_KEY_NAME = new RegExp(`^(?:${AI_KEY_STEMS.join('|')})(?:_[A-Z0-9]+)*?_${SECRET_SUFFIX}$`);

/**
 * Keys that are public by design: they identify a project to a service that expects them in the
 * browser and enforces its own rules (row-level security, domain or referrer restrictions,
 * search-only scopes). Matched against the name without its prefix; never touched, whatever the
 * prefix. The generic entries (`*_PUBLISHABLE_KEY`, `*_PUBLIC_KEY`, `*_ANON_KEY`, `*_SITE_KEY`)
 * cover AI services with a browser key too (a voice agent's public key).
 */
export const PUBLIC_BY_DESIGN: { provider: string; pattern: RegExp }[] = [
  {
    provider: 'Supabase URL and anon / publishable key',
    pattern: /(^|_)SUPABASE_(URL|ANON_KEY|PUBLISHABLE_KEY|PUBLISHABLE_DEFAULT_KEY)$/,
  },
  {
    provider: 'Firebase web config',
    pattern:
      /(^|_)FIREBASE_(API_KEY|AUTH_DOMAIN|PROJECT_ID|STORAGE_BUCKET|MESSAGING_SENDER_ID|APP_ID|MEASUREMENT_ID|DATABASE_URL|VAPID_KEY|CONFIG)$/,
  },
  { provider: 'Stripe publishable key', pattern: /(^|_)STRIPE_(PUBLISHABLE|PUBLIC)_KEY$/ },
  { provider: 'Clerk publishable key', pattern: /(^|_)CLERK_(PUBLISHABLE_KEY|FRONTEND_API)$/ },
  { provider: 'PostHog project key', pattern: /(^|_)POSTHOG_(KEY|API_KEY|PROJECT_API_KEY|HOST)$/ },
  { provider: 'Segment write key', pattern: /(^|_)SEGMENT_(WRITE_KEY|KEY)$/ },
  { provider: 'Mixpanel project token', pattern: /(^|_)MIXPANEL_(TOKEN|PROJECT_TOKEN)$/ },
  {
    provider: 'Google Analytics / Tag Manager id',
    pattern: /(^|_)(GA|GA4|GTM|GOOGLE_ANALYTICS|GOOGLE_TAG_MANAGER)(_[A-Z]+)?_ID$/,
  },
  { provider: 'Sentry DSN', pattern: /(^|_)SENTRY_DSN$/ },
  { provider: 'Mapbox public token', pattern: /(^|_)MAPBOX_(ACCESS_|PUBLIC_)?TOKEN$/ },
  { provider: 'Google Maps browser key', pattern: /(^|_)GOOGLE_MAPS_(API_)?KEY$/ },
  {
    provider: 'Algolia app id and search-only key',
    pattern: /(^|_)ALGOLIA_(APP_ID|APPLICATION_ID|SEARCH_KEY|SEARCH_API_KEY|SEARCH_ONLY_API_KEY|SEARCH_ONLY_KEY)$/,
  },
  { provider: 'Pusher / Ably client key', pattern: /(^|_)(PUSHER_(APP_)?KEY|ABLY_PUBLIC_KEY)$/ },
  { provider: 'reCAPTCHA / Turnstile / hCaptcha site key', pattern: /(^|_)(RECAPTCHA|TURNSTILE|HCAPTCHA)_SITE_KEY$/ },
  { provider: 'any publishable, public, anon or site key', pattern: /(^|_)(PUBLISHABLE|PUBLIC|ANON|SITE)_KEY$/ },
];

/**
 * Google API keys also serve browser APIs (Maps, Places, Firebase) restricted by referrer: a
 * `GOOGLE_API_KEY` in browser code is a leak only where Gemini uses it.
 */
export const SHARED_WITH_PUBLIC_APIS = new Set(['GOOGLE_API_KEY']);

export type EnvNameClass =
  | { kind: 'secret'; prefix: string; framework: string; serverName: string }
  | { kind: 'public-by-design'; prefix: string; provider: string };

/**
 * What a browser-prefixed env var name holds: an AI provider's secret key (with the name it
 * should have on the server), a key public by design, or neither (undefined: not our business,
 * and so is every name without a browser prefix).
 */
/** A name without its browser prefix: `NEXT_PUBLIC_OPENAI_API_KEY` → `OPENAI_API_KEY`. */
export function withoutClientPrefix(name: string): string {
  const prefix = Object.keys(CLIENT_ENV_PREFIXES).find((p) => name.startsWith(p));
  return prefix ? name.slice(prefix.length) : name;
}

export function classifyEnvName(name: string): EnvNameClass | undefined {
  const prefix = Object.keys(CLIENT_ENV_PREFIXES).find((p) => name.startsWith(p));
  if (!prefix) return undefined;
  const bare = name.slice(prefix.length);
  const open = PUBLIC_BY_DESIGN.find(({ pattern }) => pattern.test(bare));
  if (open) return { kind: 'public-by-design', prefix, provider: open.provider };
  if (isAiKeyName(bare)) return { kind: 'secret', prefix, framework: CLIENT_ENV_PREFIXES[prefix]!, serverName: bare };
  return undefined;
}

/** Whether a name (without any prefix) is an AI provider's secret key. */
export function isAiKeyName(name: string): boolean {
  return AI_KEY_ENV_NAMES.includes(name) || AI_KEY_NAME.test(name);
}
