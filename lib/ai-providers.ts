// What counts as "calling a paid AI API". One list, shared by every step that asks.

/** Package names (exact) and scopes (prefix match) of AI SDKs for JavaScript and TypeScript. */
export const AI_PACKAGES = [
  'openai', '@anthropic-ai/sdk', '@anthropic-ai/bedrock-sdk', '@anthropic-ai/vertex-sdk',
  '@google/generative-ai', '@google/genai', '@google-cloud/vertexai',
  'ai', 'langchain', 'groq-sdk', 'replicate', 'cohere-ai', '@mistralai/mistralai',
  'together-ai', '@huggingface/inference', '@aws-sdk/client-bedrock-runtime', '@azure/openai',
  '@fal-ai/client', '@fal-ai/serverless-client', 'ollama', '@openrouter/ai-sdk-provider',
];
export const AI_PACKAGE_SCOPES = ['@ai-sdk/', '@langchain/'];

/** API hosts of the paid providers: a raw `fetch` to one of these is an AI call too. */
export const AI_HOSTS = [
  'api.openai.com', 'openai.azure.com', 'api.anthropic.com', 'generativelanguage.googleapis.com',
  'aiplatform.googleapis.com', 'api.groq.com', 'api.replicate.com', 'api.mistral.ai',
  'api.cohere.ai', 'api.cohere.com', 'api.together.xyz', 'openrouter.ai', 'api.deepseek.com',
  'api.perplexity.ai', 'api.fireworks.ai', 'api-inference.huggingface.co', 'api.x.ai',
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
const NO_MODEL_CALLS = /^(ai\/(react|svelte|vue|solid)|@ai-sdk\/(react|vue|svelte|solid|angular|ui-utils)|@langchain\/(core|textsplitters|langgraph))(\/|$)/;

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
  'streamText', 'generateText', 'streamObject', 'generateObject', 'embed', 'embedMany', 'rerank',
  'generateImage', 'experimental_generateImage', 'transcribe', 'experimental_transcribe',
  'generateSpeech', 'experimental_generateSpeech', 'streamUI',
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
