// The small Next.js app every single-file fixture case runs in (see test/fixtures.test.ts).
export const SINGLE_FILE_APP: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fixture-app', private: true, dependencies: { next: '16.0.0', openai: '^5.0.0' } }, null, 2) + '\n',
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, paths: { '@/*': ['./*'] } } }, null, 2) + '\n',
  'lib/ai.ts': "import OpenAI from 'openai';\n\nexport const openai = new OpenAI();\n",
  'lib/db.ts': 'export const db = { todos: [] as string[] };\n',
  'lib/chat.ts': [
    "import { openai } from './ai';",
    '',
    'export async function chat(req: Request) {',
    "  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: await req.text() });",
    '  return Response.json({ text: result.output_text });',
    '}',
    '',
    'export const createChatHandler = (options: { model: string }) => async (req: Request) =>',
    '  Response.json(await openai.responses.create({ model: options.model, input: await req.text() }));',
    '',
    'export const createAiRoutes = (options: { model: string }) => ({ GET: createChatHandler(options), POST: createChatHandler(options) });',
    '',
  ].join('\n'),
  'lib/logging.ts': 'export const withLogging = <H extends (...args: any[]) => unknown>(handler: H): H => handler;\n',
};
