// The small project every single-file fixture case of a transform runs in, and where its input
// goes (see test/fixtures.test.ts).
export const SINGLE_FILE_APP: Record<string, string> = {
  'package.json': `${JSON.stringify(
    { name: 'fixture-app', private: true, dependencies: { next: '16.0.0', openai: '^5.0.0' } },
    null,
    2,
  )}\n`,
  'tsconfig.json': `${JSON.stringify({ compilerOptions: { strict: true, paths: { '@/*': ['./*'] } } }, null, 2)}\n`,
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

export interface SingleFileHarness {
  files: Record<string, string>;
  /** Where `<case>.input.<ext>` is put in the project. */
  target(name: string, ext: string): string;
}

const MODULE_OR_PAGE: SingleFileHarness = {
  files: { 'package.json': SINGLE_FILE_APP['package.json']!, 'tsconfig.json': SINGLE_FILE_APP['tsconfig.json']! },
  target: (name, ext) => (name.startsWith('pages-') ? `pages/${name}.${ext}` : `lib/${name}.${ext}`),
};

export const SINGLE_FILE_HARNESS: Record<string, SingleFileHarness> = {
  // A route file: App Router `app/api/<case>/route.<ext>`, or Pages Router `pages/api/<case>.<ext>`
  // when the case name starts with `pages-`.
  'next-ratelimit': {
    files: SINGLE_FILE_APP,
    target: (name, ext) => (name.startsWith('pages-') ? `pages/api/${name}.${ext}` : `app/api/${name}/route.${ext}`),
  },
  // A server module `lib/<case>.<ext>` (browser code when it says 'use client'), or a Pages
  // Router page (browser code) for `pages-` cases.
  'hardcoded-keys': MODULE_OR_PAGE,
  // Where the file runs decides everything: a route handler `app/api/<case>/route.<ext>` (server
  // code) by default; `client-` cases are a component `components/<case>.<ext>` (browser code by
  // their 'use client'), `pages-` cases a Pages Router page `pages/<case>.<ext>` (browser code but
  // for its data functions), `middleware-` cases the app's `middleware.<ext>`, `module-` cases a
  // module `lib/<case>.<ext>` that nothing imports.
  'next-public-keys': {
    files: MODULE_OR_PAGE.files,
    target: (name, ext) => {
      const [kind] = name.split('-');
      if (kind === 'client') return `components/${name}.${ext}`;
      if (kind === 'pages') return `pages/${name}.${ext}`;
      if (kind === 'middleware') return `middleware.${ext}`;
      if (kind === 'module') return `lib/${name}.${ext}`;
      return `app/api/${name}/route.${ext}`;
    },
  },
  // The app's own .gitignore, in an app that is not a git repository.
  'gitignore-env': {
    files: { 'package.json': SINGLE_FILE_APP['package.json']! },
    target: () => '.gitignore',
  },
  // The app module `main.py` (Flask: `app.py`) of a small project whose `services/llm.py` calls
  // OpenAI and `services/store.py` calls nothing, with a requirements.txt.
  'fastapi-ratelimit': {
    files: PYTHON_APP_FILES('fastapi'),
    target: (_name, ext) => `main.${ext}`,
  },
  'flask-ratelimit': {
    files: PYTHON_APP_FILES('flask'),
    target: (_name, ext) => `app.${ext}`,
  },
  // One project of each kind, side by side: a Next.js app in web/, an Express server in api/, a
  // Python service in py/. `next-` cases are a route handler web/app/api/<case>/route.<ext>,
  // `middleware-` cases web/middleware.<ext>, `express-` cases api/server.<ext>, Python cases
  // py/main.py.
  cors: {
    files: {
      'web/package.json': `${JSON.stringify({ name: 'web', private: true, dependencies: { next: '16.0.0' } }, null, 2)}\n`,
      'web/tsconfig.json': `${JSON.stringify({ compilerOptions: { strict: true, paths: { '@/*': ['./*'] } } }, null, 2)}\n`,
      'web/app/page.tsx': 'export default function Page() {\n  return <main>home</main>;\n}\n',
      'api/package.json':
        JSON.stringify({ name: 'api', private: true, dependencies: { cors: '^2.8.5', express: '^4.21.0' } }, null, 2) +
        '\n',
      'py/requirements.txt': 'fastapi\nflask\nflask-cors\n',
    },
    target: (name, ext) => {
      if (ext === 'py') return 'py/main.py';
      if (name.startsWith('next-')) return `web/app/api/${name}/route.${ext}`;
      if (name.startsWith('middleware-')) return `web/middleware.${ext}`;
      return `api/server.${ext}`;
    },
  },
};

function PYTHON_APP_FILES(framework: string): Record<string, string> {
  return {
    'requirements.txt': `${framework}\nopenai>=1.0\n`,
    'services/__init__.py': '',
    'services/llm.py': [
      'from openai import OpenAI',
      '',
      'client = OpenAI()',
      '',
      '',
      'def ask(prompt: str) -> str:',
      '    completion = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])',
      '    return completion.choices[0].message.content or ""',
      '',
    ].join('\n'),
    'services/store.py': 'ITEMS: list[str] = []\n\n\ndef save(item: str) -> None:\n    ITEMS.append(item)\n',
  };
}
