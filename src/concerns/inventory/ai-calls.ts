import { extname } from 'node:path';
import type { AiCallSite } from '../../core/report-schema.js';
import type { Overlay } from '../../project/overlay.js';
import { JS_EXTENSIONS, jsSites } from './ai-calls/js.js';
import { pySites } from './ai-calls/python.js';

// Where the project's own code calls a paid AI API: every call rooted in an AI package's import
// (`openai.chat.completions.create(…)`, `streamText(…)`, `client.messages.create(…)`), and every
// HTTP call whose URL is an AI host. Read from the syntax tree of each file on its own: names are
// followed within the file (scopes respected: a parameter named `model` is not the module's
// `model`), never into other files. What is followed:
// - imports (ES, `require`, `import()`) of an AI package, and module-level, function-level or class
//   (`this.x` / `self.x`) variables holding a client built from one (`new OpenAI()`, `OpenAI()`);
// - the methods that only build another client (`getGenerativeModel`, `start_chat`,
//   `withStructuredOutput`, LangChain's `.pipe` / `|` / `RunnableSequence.from`), chained or not,
//   and local functions that return a client (`getClient().chat.completions.create`);
// - a URL in a string, a template or f-string starting with one, or a constant holding one, given
//   to a function named like an HTTP call (`fetch`, `axios.post`, `httpx.post`, `session.get`).
// Constructors, builders and provider functions that only name a model (`openai('gpt-4o')` of
// `@ai-sdk/openai`) are not calls; calls on a call's result (`streamText(…).toTextStreamResponse()`)
// are not either: the first call was the one that reached the provider.
// Not followed: a client imported from another file of the project (`import { openai } from
// '@/lib/openai'`: its calls are not found), a client passed in as a parameter or injected
// (`constructor(private openai: OpenAI)`, `def f(client: OpenAI)`), clients kept in objects, arrays
// or maps (`clients.openai.chat…`), static class properties, agents and graphs built from a model
// by other packages (`createReactAgent({ llm })`), an HTTP client built with the host as its
// base URL (`axios.create({ baseURL })`, `httpx.Client(base_url=…)`), and a URL built any other
// way (`new URL(path, base)`, `os.getenv("URL", "https://…")`).

export function findAiCallSites(files: string[], overlay: Overlay): AiCallSite[] {
  const sites: (AiCallSite & { column: number })[] = [];
  for (const file of files) {
    if (JS_EXTENSIONS.has(extname(file))) sites.push(...jsSites(file, overlay));
    else if (file.endsWith('.py')) sites.push(...pySites(file, overlay));
  }
  return sites
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column))
    .map(({ column: _column, ...site }) => site);
}
