import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findAiCallSites } from '../../../src/concerns/inventory/ai-calls.js';
import type { AiCallSite } from '../../../src/core/report-schema.js';
import { Overlay } from '../../../src/project/overlay.js';
import { loadPythonParser } from '../../../src/lang/python/parse.js';
import { tempDir, writeTree } from '../../helpers/project.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

beforeAll(async () => {
  await loadPythonParser();
});

/** The call sites of a project made of `tree` (relative path → text), with project-relative paths. */
function sitesOf(tree: Record<string, string>): AiCallSite[] {
  const { dir, cleanup } = tempDir('aisc-aicalls-');
  cleanups.push(cleanup);
  writeTree(dir, tree);
  const files = Object.keys(tree).map((rel) => join(dir, rel));
  const sites = findAiCallSites(files, new Overlay());
  for (const site of sites) expect(site.file.startsWith(dir)).toBe(true);
  return sites.map((site) => ({ ...site, file: relative(dir, site.file).split('\\').join('/') }));
}

const js = (file: string, line: number, sdk: string, call: string): AiCallSite => ({
  file,
  line,
  language: 'javascript',
  sdk,
  call,
});
const py = (file: string, line: number, sdk: string, call: string): AiCallSite => ({
  file,
  line,
  language: 'python',
  sdk,
  call,
});

describe('findAiCallSites: JavaScript and TypeScript', () => {
  it('finds calls on an OpenAI client instance, not the constructor', () => {
    const file = 'app/api/chat/route.ts';
    expect(
      sitesOf({
        [file]: [
          "import OpenAI from 'openai';",
          'const openai = new OpenAI();',
          'export async function POST(req: Request) {',
          "  const res = await openai.chat.completions.create({ model: 'gpt-4o', messages: [] });",
          '  return Response.json(res);',
          '}',
        ].join('\n'),
      }),
    ).toEqual([js(file, 4, 'openai', 'openai.chat.completions.create')]);
  });

  it('finds anthropic.messages.create and anthropic.messages.stream', () => {
    const file = 'lib/claude.ts';
    expect(
      sitesOf({
        [file]: [
          "import Anthropic from '@anthropic-ai/sdk';",
          'const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });',
          'export async function ask() {',
          "  const msg = await anthropic.messages.create({ model: 'claude', max_tokens: 10, messages: [] });",
          '  const stream = anthropic.messages',
          "    .stream({ model: 'claude', max_tokens: 10, messages: [] });",
          '  return [msg, stream];',
          '}',
        ].join('\n'),
      }),
    ).toEqual([
      js(file, 4, '@anthropic-ai/sdk', 'anthropic.messages.create'),
      js(file, 5, '@anthropic-ai/sdk', 'anthropic.messages.stream'),
    ]);
  });

  it('follows @google/generative-ai getGenerativeModel to model.generateContent (the builder is no call)', () => {
    const file = 'lib/gemini.ts';
    expect(
      sitesOf({
        [file]: [
          "import { GoogleGenerativeAI } from '@google/generative-ai';",
          'const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);',
          'export async function run(prompt: string) {',
          "  const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });",
          '  const result = await model.generateContent(prompt);',
          '  return result.response.text();',
          '}',
        ].join('\n'),
      }),
    ).toEqual([js(file, 5, '@google/generative-ai', 'model.generateContent')]);
  });

  it('finds @google/genai ai.models.generateContent', () => {
    const file = 'lib/genai.ts';
    expect(
      sitesOf({
        [file]: [
          "import { GoogleGenAI } from '@google/genai';",
          'const ai = new GoogleGenAI({});',
          'export const run = async () =>',
          "  (await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' })).text;",
        ].join('\n'),
      }),
    ).toEqual([js(file, 4, '@google/genai', 'ai.models.generateContent')]);
  });

  it('finds the AI SDK functions that call a model, not provider calls or helpers', () => {
    const route = 'app/api/chat/route.ts';
    const ns = 'lib/summarize.ts';
    expect(
      sitesOf({
        [route]: [
          "import { openai } from '@ai-sdk/openai';",
          "import { streamText, generateId } from 'ai';",
          'export async function POST(req: Request) {',
          '  const { messages } = await req.json();',
          "  const result = streamText({ model: openai('gpt-4o'), messages, id: generateId() });",
          '  return result.toDataStreamResponse();',
          '}',
        ].join('\n'),
        [ns]: [
          "import * as ai from 'ai';",
          "import { anthropic } from '@ai-sdk/anthropic';",
          "const model = anthropic('claude-sonnet-4');",
          'export async function summarize(text: string) {',
          '  const id = ai.generateId();',
          '  const { text: summary } = await ai.generateText({ model, prompt: text });',
          "  const { embedding } = await ai.embed({ model: anthropic.textEmbeddingModel('x'), value: summary });",
          '  return { id, summary, embedding };',
          '}',
        ].join('\n'),
      }),
    ).toEqual([js(route, 5, 'ai', 'streamText'), js(ns, 6, 'ai', 'ai.generateText'), js(ns, 7, 'ai', 'ai.embed')]);
  });

  it('finds LangChain invoke/stream on a chat model and on a chain piped from it', () => {
    const file = 'lib/chain.ts';
    expect(
      sitesOf({
        [file]: [
          "import { ChatOpenAI } from '@langchain/openai';",
          "import { ChatPromptTemplate } from '@langchain/core/prompts';",
          "const llm = new ChatOpenAI({ model: 'gpt-4o' });",
          "const prompt = ChatPromptTemplate.fromTemplate('Tell me about {topic}');",
          'const chain = prompt.pipe(llm);',
          'export async function answer(topic: string) {',
          "  const a = await llm.invoke('hi');",
          '  const b = await chain.invoke({ topic });',
          '  const c = await chain.stream({ topic });',
          '  return [a, b, c, await prompt.invoke({ topic })];',
          '}',
        ].join('\n'),
      }),
    ).toEqual([
      js(file, 7, '@langchain/openai', 'llm.invoke'),
      js(file, 8, '@langchain/openai', 'chain.invoke'),
      js(file, 9, '@langchain/openai', 'chain.stream'),
    ]);
  });

  it('finds calls on groq-sdk, replicate, cohere-ai and mistral clients', () => {
    expect(
      sitesOf({
        'groq.ts':
          "import Groq from 'groq-sdk';\nconst groq = new Groq();\nexport const f = () => groq.chat.completions.create({ model: 'x', messages: [] });\n",
        'replicate.js':
          "const Replicate = require('replicate');\nconst replicate = new Replicate();\nmodule.exports = (input) => replicate.run('owner/model', { input });\n",
        'cohere.ts':
          "import { CohereClient } from 'cohere-ai';\nconst cohere = new CohereClient({ token: 't' });\nexport const f = () => cohere.chat({ message: 'hi' });\n",
        'mistral.mjs':
          "import { Mistral } from '@mistralai/mistralai';\nconst client = new Mistral({ apiKey: 'k' });\nexport const f = () => client.chat.complete({ model: 'x', messages: [] });\n",
      }),
    ).toEqual([
      js('cohere.ts', 3, 'cohere-ai', 'cohere.chat'),
      js('groq.ts', 3, 'groq-sdk', 'groq.chat.completions.create'),
      js('mistral.mjs', 3, '@mistralai/mistralai', 'client.chat.complete'),
      js('replicate.js', 3, 'replicate', 'replicate.run'),
    ]);
  });

  it('finds fetch and axios calls to an AI host: literal, template, constant, not a log line', () => {
    const file = 'lib/raw.ts';
    expect(
      sitesOf({
        [file]: [
          "import axios from 'axios';",
          "const ANTHROPIC_URL = 'https://api.anthropic.com/v1/messages';",
          "const BASE = process.env.GROQ_BASE_URL ?? 'https://api.groq.com/openai/v1';",
          'export async function call() {',
          "  await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST' });",
          '  await fetch(`https://api.mistral.ai/v1/chat/completions`, {});',
          '  await axios.post(ANTHROPIC_URL, {});',
          '  await fetch(`${BASE}/chat/completions`);',
          "  console.log('https://api.openai.com/v1');",
          "  await fetch('https://example.com/api.openai.com');",
          '}',
        ].join('\n'),
      }),
    ).toEqual([
      js(file, 5, 'api.openai.com', 'fetch'),
      js(file, 6, 'api.mistral.ai', 'fetch'),
      js(file, 7, 'api.anthropic.com', 'axios.post'),
      js(file, 8, 'api.groq.com', 'fetch'),
    ]);
  });

  it('follows this.client of a class, a local getClient(), and respects a parameter shadowing the client', () => {
    const file = 'lib/service.ts';
    expect(
      sitesOf({
        [file]: [
          "import OpenAI from 'openai';",
          'const openai = new OpenAI();',
          'function getClient() {',
          '  return new OpenAI({ apiKey: process.env.OPENAI_API_KEY });',
          '}',
          'export class Service {',
          '  private client = new OpenAI();',
          '  #other: OpenAI;',
          '  constructor() { this.#other = new OpenAI(); }',
          "  a() { return this.client.responses.create({ model: 'x', input: 'hi' }); }",
          "  b() { return this.#other.embeddings.create({ model: 'x', input: 'hi' }); }",
          '}',
          "export const c = () => getClient().images.generate({ prompt: 'cat' });",
          'export function d(openai: { chat: { completions: { create(x: unknown): void } } }) {',
          '  return openai.chat.completions.create({});',
          '}',
          "export const e = () => openai.moderations.create({ input: 'x' });",
        ].join('\n'),
      }),
    ).toEqual([
      js(file, 10, 'openai', 'this.client.responses.create'),
      js(file, 11, 'openai', 'this.#other.embeddings.create'),
      js(file, 13, 'openai', 'getClient().images.generate'),
      js(file, 17, 'openai', 'openai.moderations.create'),
    ]);
  });

  it('follows a client created lazily in a let, a destructured require, and the Next.js global singleton', () => {
    const file = 'lib/clients.js';
    expect(
      sitesOf({
        [file]: [
          "const { OpenAI } = require('openai');",
          "const Anthropic = require('@anthropic-ai/sdk');",
          'const g = globalThis;',
          'let client = null;',
          'function getClient() {',
          '  if (!client) client = new OpenAI();',
          '  return client;',
          '}',
          'const claude = g.claude ?? new Anthropic();',
          "exports.a = () => getClient().chat.completions.create({ model: 'x', messages: [] });",
          "exports.b = () => claude.messages.create({ model: 'x', max_tokens: 1, messages: [] });",
        ].join('\n'),
      }),
    ).toEqual([
      js(file, 10, 'openai', 'getClient().chat.completions.create'),
      js(file, 11, '@anthropic-ai/sdk', 'claude.messages.create'),
    ]);
  });

  it('writes the call without whitespace or inner arguments, cut at 60 characters', () => {
    const file = 'lib/long.ts';
    const sites = sitesOf({
      [file]: [
        "import OpenAI from 'openai';",
        'const openai = new OpenAI();',
        'export const f = () => openai',
        '  .beta.threads.runs.steps.list.withSomethingVeryLongIndeed.andMore.andEvenMore({});',
        "export const g = () => new OpenAI({ apiKey: 'k' })",
        '  .models.list();',
        "export const h = async () => (await openai.chat.completions.create({ model: 'x', messages: [] }).withResponse()).response;",
      ].join('\n'),
    });
    expect(sites).toEqual([
      js(file, 3, 'openai', 'openai.beta.threads.runs.steps.list.withSomethingVeryLongIn…'),
      js(file, 5, 'openai', 'new OpenAI(…).models.list'),
      js(file, 7, 'openai', 'openai.chat.completions.create'),
    ]);
    expect(sites[0]!.call).toHaveLength(60);
  });

  it('counts no code kept in strings, and nothing in a file that does not parse', () => {
    const file = 'lib/generator.ts';
    expect(
      sitesOf({
        [file]: [
          "import OpenAI from 'openai';",
          'const openai = new OpenAI();',
          'export const template = `',
          "  const res = await openai.chat.completions.create({ model: 'gpt-4o' });",
          "  await fetch('https://api.openai.com/v1/chat/completions');",
          '`;',
          'export const real = () => openai.chat.completions.create({ model: "gpt-4o", messages: [] });',
        ].join('\n'),
        'lib/broken.ts':
          "import OpenAI from 'openai';\nconst openai = new OpenAI();\nopenai.chat.completions.create({ model: 'x' \n",
      }),
    ).toEqual([js(file, 7, 'openai', 'openai.chat.completions.create')]);
  });

  describe('negatives', () => {
    it('a file importing only types from openai', () => {
      expect(
        sitesOf({
          'lib/types.ts': [
            "import type OpenAI from 'openai';",
            "import type { ChatCompletion } from 'openai/resources';",
            "import { type ChatCompletionMessageParam } from 'openai';",
            'declare const openai: OpenAI;',
            'export const f = (m: ChatCompletionMessageParam): Promise<ChatCompletion> => openai.chat.completions.create(m);',
          ].join('\n'),
        }),
      ).toEqual([]);
    });

    it('useChat from @ai-sdk/react', () => {
      expect(
        sitesOf({
          'app/page.tsx': [
            "'use client';",
            "import { useChat } from '@ai-sdk/react';",
            'export default function Page() {',
            '  const { messages, sendMessage } = useChat();',
            "  return <button onClick={() => sendMessage({ text: 'hi' })}>{messages.length}</button>;",
            '}',
          ].join('\n'),
        }),
      ).toEqual([]);
    });

    it('generateId from ai, and a provider model named with @ai-sdk/openai', () => {
      expect(
        sitesOf({
          'lib/ids.ts': [
            "import { generateId } from 'ai';",
            "import { openai } from '@ai-sdk/openai';",
            "export const model = openai('gpt-4o');",
            'export const id = () => generateId();',
          ].join('\n'),
        }),
      ).toEqual([]);
    });

    it('api.openai.com mentioned in a comment', () => {
      expect(
        sitesOf({
          'lib/proxy.ts': [
            '// Same shape as https://api.openai.com/v1/chat/completions',
            '/* see api.openai.com */',
            "export const f = () => fetch('https://example.com/v1/chat/completions');",
          ].join('\n'),
        }),
      ).toEqual([]);
    });
  });
});

describe('findAiCallSites: Python', () => {
  it('finds client = OpenAI() then client.chat.completions.create, awaited too', () => {
    const file = 'app/main.py';
    expect(
      sitesOf({
        [file]: [
          'from fastapi import FastAPI',
          'from openai import AsyncOpenAI, OpenAI',
          '',
          'app = FastAPI()',
          'client = OpenAI()',
          'aclient = AsyncOpenAI()',
          '',
          '@app.post("/chat")',
          'async def chat(prompt: str):',
          '    a = client.chat.completions.create(model="gpt-4o", messages=[])',
          '    b = await aclient.chat.completions.create(',
          '        model="gpt-4o", messages=[]',
          '    )',
          '    return a, b',
        ].join('\n'),
      }),
    ).toEqual([
      py(file, 10, 'openai', 'client.chat.completions.create'),
      py(file, 11, 'openai', 'aclient.chat.completions.create'),
    ]);
  });

  it('finds openai.chat.completions.create on the module, and anthropic.Anthropic().messages.create', () => {
    expect(
      sitesOf({
        'a.py': 'import openai\n\nopenai.chat.completions.create(model="gpt-4o", messages=[])\n',
        'b.py':
          'import anthropic\n\nmsg = anthropic.Anthropic().messages.create(model="claude", max_tokens=10, messages=[])\n',
      }),
    ).toEqual([
      py('a.py', 3, 'openai', 'openai.chat.completions.create'),
      py('b.py', 3, 'anthropic', 'anthropic.Anthropic().messages.create'),
    ]);
  });

  it('finds google.generativeai generate_content on GenerativeModel(...) and on a model variable', () => {
    const file = 'gemini.py';
    expect(
      sitesOf({
        [file]: [
          'import os',
          'import google.generativeai as genai',
          'genai.configure(api_key=os.environ["GEMINI_API_KEY"])',
          'genai.GenerativeModel("gemini-1.5-flash").generate_content("hi")',
          'model = genai.GenerativeModel("gemini-1.5-flash")',
          'chat = model.start_chat()',
          'def ask(q):',
          '    return model.generate_content(q).text',
          'chat.send_message("hello")',
        ].join('\n'),
      }),
    ).toEqual([
      py(file, 4, 'google.generativeai', 'genai.GenerativeModel(…).generate_content'),
      py(file, 8, 'google.generativeai', 'model.generate_content'),
      py(file, 9, 'google.generativeai', 'chat.send_message'),
    ]);
  });

  it('finds google.genai client.models.generate_content', () => {
    const file = 'genai_app.py';
    expect(
      sitesOf({
        [file]: [
          'from google import genai',
          'from google.genai import types',
          'client = genai.Client()',
          'config = types.GenerateContentConfig(temperature=0)',
          'resp = client.models.generate_content(model="gemini-2.5-flash", contents="hi", config=config)',
        ].join('\n'),
      }),
    ).toEqual([py(file, 5, 'google.genai', 'client.models.generate_content')]);
  });

  it('finds litellm.completion and an imported acompletion', () => {
    const file = 'llm.py';
    expect(
      sitesOf({
        [file]: [
          'import litellm',
          'from litellm import acompletion',
          'litellm.set_verbose = True',
          'def sync(messages):',
          '    return litellm.completion(model="gpt-4o", messages=messages)',
          'async def run(messages):',
          '    return await acompletion(model="gpt-4o", messages=messages)',
        ].join('\n'),
      }),
    ).toEqual([py(file, 5, 'litellm', 'litellm.completion'), py(file, 7, 'litellm', 'acompletion')]);
  });

  it('finds LangChain ChatOpenAI(...).invoke, llm.invoke and chain.invoke with chain = prompt | llm', () => {
    const file = 'chain.py';
    expect(
      sitesOf({
        [file]: [
          'from langchain_openai import ChatOpenAI',
          'from langchain_core.prompts import ChatPromptTemplate',
          'from langchain_core.output_parsers import StrOutputParser',
          'llm = ChatOpenAI(model="gpt-4o")',
          'prompt = ChatPromptTemplate.from_template("Tell me about {topic}")',
          'chain = prompt | llm | StrOutputParser()',
          'ChatOpenAI().invoke("hi")',
          'llm.invoke("hi")',
          'chain.invoke({"topic": "bears"})',
          'prompt.invoke({"topic": "bears"})',
        ].join('\n'),
      }),
    ).toEqual([
      py(file, 7, 'langchain_openai', 'ChatOpenAI().invoke'),
      py(file, 8, 'langchain_openai', 'llm.invoke'),
      py(file, 9, 'langchain_openai', 'chain.invoke'),
    ]);
  });

  it('finds httpx and requests calls to an AI host: literal, constant, f-string, url= keyword', () => {
    const file = 'raw.py';
    expect(
      sitesOf({
        [file]: [
          'import httpx',
          'import requests',
          'import os',
          'URL = "https://api.openai.com/v1/chat/completions"',
          'BASE = os.getenv("GROQ_BASE") or "https://api.groq.com/openai/v1"',
          'async def a(client: httpx.AsyncClient):',
          '    await client.post("https://api.anthropic.com/v1/messages", json={})',
          '    httpx.post(f"{BASE}/chat/completions", json={})',
          'def b():',
          '    requests.post(URL, json={})',
          '    requests.request("POST", url="https://api.mistral.ai/v1/chat/completions")',
          '    print("https://api.openai.com/v1")',
        ].join('\n'),
      }),
    ).toEqual([
      py(file, 7, 'api.anthropic.com', 'client.post'),
      py(file, 8, 'api.groq.com', 'httpx.post'),
      py(file, 10, 'api.openai.com', 'requests.post'),
      py(file, 11, 'api.mistral.ai', 'requests.request'),
    ]);
  });

  it('follows self.client of a class and a local get_client(); a parameter named client is not the client', () => {
    const file = 'service.py';
    expect(
      sitesOf({
        [file]: [
          'from functools import lru_cache',
          'from anthropic import Anthropic',
          'client = Anthropic()',
          '@lru_cache',
          'def get_client():',
          '    return Anthropic()',
          'class Bot:',
          '    def __init__(self):',
          '        self.llm = Anthropic()',
          '    def ask(self, q):',
          '        return self.llm.messages.create(model="claude", max_tokens=5, messages=[])',
          'def other(client):',
          '    return client.messages.create()',
          'get_client().messages.create(model="claude", max_tokens=5, messages=[])',
        ].join('\n'),
      }),
    ).toEqual([
      py(file, 11, 'anthropic', 'self.llm.messages.create'),
      py(file, 14, 'anthropic', 'get_client().messages.create'),
    ]);
  });

  it('follows a client created lazily (global), one from a with statement, and a try/except import', () => {
    const file = 'lazy.py';
    expect(
      sitesOf({
        [file]: [
          'try:',
          '    import anthropic',
          'except ImportError:',
          '    anthropic = None',
          'from openai import OpenAI',
          '_client = None',
          'def get():',
          '    global _client',
          '    if _client is None:',
          '        _client = OpenAI()',
          '    return _client',
          'def ask():',
          '    return _client.responses.create(model="x", input="hi")',
          'with anthropic.Anthropic() as claude:',
          '    claude.messages.create(model="x", max_tokens=1, messages=[])',
        ].join('\n'),
      }),
    ).toEqual([
      py(file, 13, 'openai', '_client.responses.create'),
      py(file, 15, 'anthropic', 'claude.messages.create'),
    ]);
  });

  it('negatives: only types from openai, a host in a comment, a file that does not parse', () => {
    expect(
      sitesOf({
        'types_only.py': [
          'from openai.types import ChatModel',
          'from openai.types.chat import ChatCompletionMessageParam',
          'def build(m: ChatModel) -> ChatCompletionMessageParam:',
          '    message = ChatCompletionMessageParam(role="user", content=m)',
          '    return message.get("content")',
        ].join('\n'),
        'comment.py': '# like https://api.openai.com/v1\nimport requests\nrequests.post("https://example.com/v1")\n',
        'broken.py': 'from openai import OpenAI\nclient = OpenAI()\ndef f(:\n    client.chat.completions.create()\n',
      }),
    ).toEqual([]);
  });
});

describe('findAiCallSites: order', () => {
  it('sorts by file, then line, across languages', () => {
    expect(
      sitesOf({
        'z.ts': "import OpenAI from 'openai';\nconst o = new OpenAI();\no.models.list();\no.files.list();\n",
        'a.py': 'import openai\n\n\nopenai.models.list()\nopenai.files.list()\n',
        'm/b.py': 'import litellm\nlitellm.completion(model="x", messages=[])\n',
      }),
    ).toEqual([
      py('a.py', 4, 'openai', 'openai.models.list'),
      py('a.py', 5, 'openai', 'openai.files.list'),
      py('m/b.py', 2, 'litellm', 'litellm.completion'),
      js('z.ts', 3, 'openai', 'o.models.list'),
      js('z.ts', 4, 'openai', 'o.files.list'),
    ]);
  });
});
