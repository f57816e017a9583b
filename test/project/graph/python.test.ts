import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AiReach } from '../../../src/project/graph/js.js';
import { Overlay } from '../../../src/project/overlay.js';
import { aiModuleOf, PythonGraph, referencedNames } from '../../../src/project/graph/python.js';
import { importBindings } from '../../../src/lang/python/import-bindings.js';
import { loadPythonParser, parsePython, type PythonNode } from '../../../src/lang/python/parse.js';
import type { StepContext } from '../../../src/step/contract.js';
import { moduleNameFor } from '../../../src/concerns/ratelimit/python/limiter.js';
import { tempDir, writeTree } from '../../helpers/project.js';

// ---------------------------------------------------------------------------------------------
// Helpers: a small Python project on disk, with its graph, and answers in project-relative paths.
// ---------------------------------------------------------------------------------------------

interface Project {
  dir: string;
  files: string[];
  graph: PythonGraph;
  /** Absolute path of a project-relative one. */
  path(rel: string): string;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

beforeAll(async () => {
  await loadPythonParser();
});

/** Writes `tree` (relative path → text) to a fresh folder; the graph knows exactly those files. */
function project(tree: Record<string, string>): Project {
  const { dir, cleanup } = tempDir('aisc-pygraph-');
  cleanups.push(cleanup);
  writeTree(dir, tree);
  const files = Object.keys(tree).map((rel) => join(dir, rel));
  return { dir, files, graph: new PythonGraph(new Overlay(), new Set(files)), path: (rel) => join(dir, rel) };
}

/** A reach with its chain relative to the project, for exact comparison. */
function rel(p: Project, reach: AiReach | undefined): { chain: string[]; via: string } | undefined {
  return reach && { chain: reach.chain.map((file) => relative(p.dir, file)), via: reach.via };
}

/** Runs `use` on the function named `name` in a parsed source, then frees the tree. */
function withFunction<T>(source: string, name: string, use: (fn: PythonNode, root: PythonNode) => T): T {
  const tree = parsePython(source);
  try {
    const fn = tree.rootNode
      .descendantsOfType('function_definition')
      .find((n) => n?.childForFieldName('name')?.text === name);
    if (!fn) throw new Error(`no function ${name}`);
    return use(fn, tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** What the function `name` of project file `file` reaches (reachOfNode, as the rate-limit step asks). */
function reachOfFunction(p: Project, file: string, name: string) {
  return withFunction(readFileSync(p.path(file), 'utf8'), name, (fn) => rel(p, p.graph.reachOfNode(p.path(file), fn)));
}

/** Runs `use` on the first statement of a parsed source, then frees the tree. */
function withStatement<T>(source: string, use: (statement: PythonNode) => T): T {
  const tree = parsePython(source);
  try {
    return use(tree.rootNode.firstNamedChild!);
  } finally {
    tree.delete();
  }
}

/** moduleNameFor over a project, with the only parts of a StepContext it uses. */
function moduleName(p: Project, file: string, target: string): string {
  const ctx = { model: { python: p.graph, files: p.files } } as unknown as StepContext;
  const tree = parsePython(readFileSync(p.path(file), 'utf8'));
  try {
    return moduleNameFor(ctx, p.path(file), p.path(target), tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** The usual module that calls OpenAI: a module-level client and a function using it. */
const LLM =
  'from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef ask(q):\n    return client.chat.completions.create(model="gpt-4o", messages=[q])\n';

/** An `app` package with services/llm.py calling OpenAI, plus `extra` files. */
function appProject(extra: Record<string, string>): Project {
  return project({
    'app/__init__.py': '',
    'app/routers/__init__.py': '',
    'app/services/__init__.py': '',
    'app/services/llm.py': LLM,
    ...extra,
  });
}

// ---------------------------------------------------------------------------------------------

describe('aiModuleOf', () => {
  it('names the AI package of a direct import', () => {
    expect(aiModuleOf('openai', ['OpenAI'])).toBe('openai');
    expect(aiModuleOf('anthropic')).toBe('anthropic');
    expect(aiModuleOf('google', ['genai'])).toBe('google.genai');
    expect(aiModuleOf('google.generativeai')).toBe('google.generativeai');
    expect(aiModuleOf('langchain_openai', ['ChatOpenAI'])).toBe('langchain_openai');
    expect(aiModuleOf('litellm')).toBe('litellm');
    expect(aiModuleOf('openai.resources.chat')).toBe('openai');
  });

  it('leaves out the parts of AI packages that call no model', () => {
    expect(aiModuleOf('openai.types.chat', ['ChatCompletion'])).toBeUndefined();
    expect(aiModuleOf('langchain_core.prompts', ['ChatPromptTemplate'])).toBeUndefined();
    expect(aiModuleOf('langchain_text_splitters')).toBeUndefined();
  });

  it('does not match a package that merely starts like an AI one', () => {
    expect(aiModuleOf('openai_helpers')).toBeUndefined();
    expect(aiModuleOf('google', ['auth'])).toBeUndefined();
    expect(aiModuleOf('requests', ['post'])).toBeUndefined();
    expect(aiModuleOf('.', ['openai'])).toBeUndefined();
  });
});

describe('referencedNames', () => {
  it('collects names, not attribute names or keyword argument names', () => {
    const names = withFunction('def f(x):\n    return client.chat.create(model=MODEL, messages=x)\n', 'f', (fn) =>
      referencedNames(fn),
    );
    expect([...names].sort()).toEqual(['MODEL', 'client', 'f', 'x']);
  });

  it('adds to the set it is given', () => {
    const into = new Set(['already']);
    withStatement('a.b(c=d)\n', (s) => referencedNames(s, into));
    expect([...into].sort()).toEqual(['a', 'already', 'd']);
  });
});

describe('importBindings', () => {
  it('binds the first part of a dotted import to the whole module', () => {
    expect(withStatement('import app.services.llm\n', importBindings)).toEqual([
      ['app', { module: 'app.services.llm', line: 1 }],
    ]);
  });

  it('binds aliases, one pair per name', () => {
    expect(withStatement('import google.generativeai as genai, os\n', importBindings)).toEqual([
      ['genai', { module: 'google.generativeai', line: 1 }],
      ['os', { module: 'os', line: 1 }],
    ]);
  });

  it('keeps the dots of relative imports and the imported name', () => {
    expect(withStatement('from ..services.llm import ask as ask_llm, other\n', importBindings)).toEqual([
      ['ask_llm', { module: '..services.llm', name: 'ask', line: 1 }],
      ['other', { module: '..services.llm', name: 'other', line: 1 }],
    ]);
    expect(withStatement('from . import llm\n', importBindings)).toEqual([
      ['llm', { module: '.', name: 'llm', line: 1 }],
    ]);
  });

  it('reads parenthesized names over several lines, with the statement line', () => {
    const tree = parsePython('import os\n\nfrom app.services import (\n    llm,\n    db,\n)\n');
    try {
      expect(importBindings(tree.rootNode.namedChildren[1]!)).toEqual([
        ['llm', { module: 'app.services', name: 'llm', line: 3 }],
        ['db', { module: 'app.services', name: 'db', line: 3 }],
      ]);
    } finally {
      tree.delete();
    }
  });

  it('binds nothing for a statement that is no import', () => {
    expect(withStatement('x = 1\n', importBindings)).toEqual([]);
  });
});

describe('PythonGraph.scan', () => {
  it('reduces a module to its imports, bindings and first AI package', () => {
    const p = project({ 'main.py': `import os\n${LLM}` });
    const scan = p.graph.scan(p.path('main.py'))!;
    expect([...scan.imports.entries()]).toEqual([
      ['os', { module: 'os', line: 1 }],
      ['OpenAI', { module: 'openai', name: 'OpenAI', line: 2 }],
    ]);
    expect([...scan.bindings.keys()]).toEqual(['client', 'ask']);
    expect(scan.bindings.get('client')!.callee).toBe('OpenAI');
    expect(scan.directAi).toBe('openai');
    expect(scan.syntaxError).toBeUndefined();
  });

  it('sets syntaxError with its line for a broken file', () => {
    const p = project({ 'broken.py': 'import os\n\n\ndef f(:\n    pass\n' });
    const scan = p.graph.scan(p.path('broken.py'))!;
    expect(scan.syntaxError?.line).toBe(4);
  });

  it('returns undefined for a file that does not exist', () => {
    const p = project({ 'main.py': '' });
    expect(p.graph.scan(p.path('missing.py'))).toBeUndefined();
  });

  it('sees `try: import openai / except ImportError: openai = None` at module level', () => {
    const p = project({ 'main.py': 'try:\n    import openai\nexcept ImportError:\n    openai = None\n' });
    const scan = p.graph.scan(p.path('main.py'))!;
    expect(scan.imports.get('openai')).toEqual({ module: 'openai', line: 2 });
    expect(scan.directAi).toBe('openai');
    expect(rel(p, p.graph.reachOfModule(p.path('main.py')))).toEqual({ chain: ['main.py'], via: 'openai' });
  });
});

describe('PythonGraph.resolve', () => {
  const files = {
    'app/__init__.py': '',
    'app/main.py': '',
    'app/routers/__init__.py': '',
    'app/routers/chat.py': '',
    'app/services/__init__.py': '',
    'app/services/llm.py': '',
  };

  it('resolves absolute imports from the nearest folder above that holds the module', () => {
    const p = project(files);
    const chat = p.path('app/routers/chat.py');
    expect(p.graph.resolve(chat, 'app.services.llm')).toBe(p.path('app/services/llm.py'));
    expect(p.graph.resolve(chat, 'app.services')).toBe(p.path('app/services/__init__.py'));
    expect(p.graph.resolve(chat, 'app')).toBe(p.path('app/__init__.py'));
  });

  it('resolves relative imports from the module folder, one level up per extra dot', () => {
    const p = project(files);
    const chat = p.path('app/routers/chat.py');
    expect(p.graph.resolve(chat, '..services.llm')).toBe(p.path('app/services/llm.py'));
    expect(p.graph.resolve(chat, '..')).toBe(p.path('app/__init__.py'));
    expect(p.graph.resolve(chat, '.')).toBe(p.path('app/routers/__init__.py'));
    expect(p.graph.resolve(p.path('app/main.py'), '.routers.chat')).toBe(p.path('app/routers/chat.py'));
  });

  it('returns undefined for modules outside the project', () => {
    const p = project(files);
    const chat = p.path('app/routers/chat.py');
    expect(p.graph.resolve(chat, 'requests')).toBeUndefined();
    expect(p.graph.resolve(chat, 'openai')).toBeUndefined();
    expect(p.graph.resolve(chat, '.llm')).toBeUndefined();
  });

  it('finds packages of a src/ layout', () => {
    const p = project({ 'src/mypkg/__init__.py': '', 'src/mypkg/api.py': '', 'src/mypkg/core.py': '' });
    expect(p.graph.resolve(p.path('src/mypkg/api.py'), 'mypkg.core')).toBe(p.path('src/mypkg/core.py'));
  });

  it('only knows the files it was given, whatever is on disk', () => {
    const { dir, cleanup } = tempDir('aisc-pygraph-');
    cleanups.push(cleanup);
    writeTree(dir, { 'main.py': 'import llm\n', 'llm.py': 'import openai\n' });
    const graph = new PythonGraph(new Overlay(), new Set([join(dir, 'main.py')]));
    expect(graph.resolve(join(dir, 'main.py'), 'llm')).toBeUndefined();
    expect(graph.reachOfModule(join(dir, 'main.py'))).toBeUndefined();
  });
});

describe('PythonGraph.reachOfModule', () => {
  const direct: [string, string][] = [
    ['from openai import OpenAI\n', 'openai'],
    ['import anthropic\n', 'anthropic'],
    ['from google import genai\n', 'google.genai'],
    ['import google.generativeai as genai\n', 'google.generativeai'],
    ['from langchain_openai import ChatOpenAI\n', 'langchain_openai'],
    ['import litellm\n', 'litellm'],
  ];
  it.each(direct)('%s reaches AI via %s', (source, via) => {
    const p = project({ 'main.py': source });
    expect(rel(p, p.graph.reachOfModule(p.path('main.py')))).toEqual({ chain: ['main.py'], via });
  });

  it.each([
    'from openai.types.chat import ChatCompletion\n',
    'from langchain_core.prompts import ChatPromptTemplate\n',
    'from requests import post\n',
  ])('%s reaches nothing', (source) => {
    const p = project({ 'main.py': source });
    expect(p.graph.reachOfModule(p.path('main.py'))).toBeUndefined();
  });

  it('follows imports of local modules, with the chain of files', () => {
    const p = project({ 'main.py': 'import helpers\n', 'helpers.py': 'from llm import ask\n', 'llm.py': LLM });
    expect(rel(p, p.graph.reachOfModule(p.path('main.py')))).toEqual({
      chain: ['main.py', 'helpers.py', 'llm.py'],
      via: 'openai',
    });
  });

  it('counts a lazy import inside a function as the module reaching AI', () => {
    const p = project({ 'main.py': 'def f():\n    import openai\n    return openai.OpenAI()\n' });
    expect(rel(p, p.graph.reachOfModule(p.path('main.py')))).toEqual({ chain: ['main.py'], via: 'openai' });
  });

  it('terminates on an import cycle that calls no AI', () => {
    const p = project({
      'a.py': 'import b\n\n\ndef f():\n    return b.g()\n',
      'b.py': 'import a\n\n\ndef g():\n    return a.f()\n',
    });
    expect(p.graph.reachOfModule(p.path('a.py'))).toBeUndefined();
    expect(p.graph.reachOfModule(p.path('b.py'))).toBeUndefined();
  });

  it('reaches AI through a cycle when one module of it calls AI', () => {
    const p = project({ 'a.py': 'import b\n', 'b.py': 'import a\nimport anthropic\n' });
    expect(rel(p, p.graph.reachOfModule(p.path('a.py')))).toEqual({ chain: ['a.py', 'b.py'], via: 'anthropic' });
  });
});

describe('PythonGraph.reachOfName', () => {
  it('a function using the module-level client reaches AI; one that does not, does not', () => {
    const p = project({ 'main.py': `${LLM}\n\ndef health():\n    return {"ok": True}\n` });
    expect(rel(p, p.graph.reachOfName(p.path('main.py'), 'ask'))).toEqual({ chain: ['main.py'], via: 'openai' });
    expect(rel(p, p.graph.reachOfName(p.path('main.py'), 'client'))).toEqual({ chain: ['main.py'], via: 'openai' });
    expect(p.graph.reachOfName(p.path('main.py'), 'health')).toBeUndefined();
    expect(p.graph.reachOfName(p.path('main.py'), 'nothing_by_that_name')).toBeUndefined();
  });

  it('a name imported from outside the project reaches nothing', () => {
    const p = project({
      'main.py': 'from requests import post\n\n\ndef call():\n    return post("https://example.com")\n',
    });
    expect(p.graph.reachOfName(p.path('main.py'), 'post')).toBeUndefined();
    expect(p.graph.reachOfName(p.path('main.py'), 'call')).toBeUndefined();
  });

  it('a function with a lazy import of an AI package reaches it', () => {
    const p = project({
      'main.py': 'def f():\n    import openai\n    return openai.OpenAI()\n\n\ndef g():\n    return 1\n',
    });
    expect(rel(p, p.graph.reachOfName(p.path('main.py'), 'f'))).toEqual({ chain: ['main.py'], via: 'openai' });
    expect(p.graph.reachOfName(p.path('main.py'), 'g')).toBeUndefined();
  });

  it('a raw HTTP call to an AI host reaches AI via the host', () => {
    const p = project({
      'main.py':
        'import httpx\n\n\ndef f(body):\n    return httpx.post("https://api.anthropic.com/v1/messages", json=body)\n\n\ndef g():\n    return httpx.get("https://example.com")\n',
    });
    expect(rel(p, p.graph.reachOfName(p.path('main.py'), 'f'))).toEqual({
      chain: ['main.py'],
      via: 'api.anthropic.com',
    });
    expect(p.graph.reachOfName(p.path('main.py'), 'g')).toBeUndefined();
  });

  it('follows a re-export through a package __init__.py', () => {
    const p = appProject({ 'app/services/__init__.py': 'from .llm import ask\n' });
    expect(rel(p, p.graph.reachOfName(p.path('app/services/__init__.py'), 'ask'))).toEqual({
      chain: ['app/services/__init__.py', 'app/services/llm.py'],
      via: 'openai',
    });
  });

  it('a function calling into an import cycle where b calls AI reaches it', () => {
    const p = project({
      'a.py': 'from b import g\n\n\ndef f():\n    return g()\n',
      'b.py': 'import openai\nfrom a import f\n\n\ndef g():\n    f()\n    return openai.OpenAI()\n',
    });
    expect(rel(p, p.graph.reachOfName(p.path('a.py'), 'f'))).toEqual({ chain: ['a.py', 'b.py'], via: 'openai' });
  });

  it('terminates on a cycle of functions across modules that calls no AI', () => {
    const p = project({
      'a.py': 'from b import g\n\n\ndef f():\n    return g()\n',
      'b.py': 'from a import f\n\n\ndef g():\n    return f()\n',
    });
    expect(p.graph.reachOfName(p.path('a.py'), 'f')).toBeUndefined();
    expect(p.graph.reachOfName(p.path('b.py'), 'g')).toBeUndefined();
  });
});

describe('PythonGraph.reachOfImport', () => {
  it('an AI package import reaches AI in the importing file itself', () => {
    const p = project({ 'main.py': '' });
    expect(rel(p, p.graph.reachOfImport(p.path('main.py'), { module: 'google', name: 'genai', line: 1 }))).toEqual({
      chain: ['main.py'],
      via: 'google.genai',
    });
  });

  it('an import from outside the project reaches nothing', () => {
    const p = project({ 'main.py': '' });
    expect(p.graph.reachOfImport(p.path('main.py'), { module: 'requests', name: 'post', line: 1 })).toBeUndefined();
  });

  it('`from pkg import mod` takes the submodule when one exists', () => {
    const p = appProject({ 'app/routers/chat.py': '' });
    expect(
      rel(p, p.graph.reachOfImport(p.path('app/routers/chat.py'), { module: 'app.services', name: 'llm', line: 1 })),
    ).toEqual({
      chain: ['app/routers/chat.py', 'app/services/llm.py'],
      via: 'openai',
    });
  });
});

describe('PythonGraph.reachOfNode', () => {
  const endpoint = (imports: string, call: string) =>
    `${imports}\n\n\ndef chat(q):\n    return ${call}\n\n\ndef health():\n    return {"ok": True}\n`;
  const viaLlm = (from: string) => ({ chain: [from, 'app/services/llm.py'], via: 'openai' });

  it('absolute import across packages, from the project root above app/', () => {
    const p = appProject({ 'app/routers/chat.py': endpoint('from app.services.llm import ask', 'ask(q)') });
    expect(reachOfFunction(p, 'app/routers/chat.py', 'chat')).toEqual(viaLlm('app/routers/chat.py'));
    expect(reachOfFunction(p, 'app/routers/chat.py', 'health')).toBeUndefined();
  });

  it('relative import `from ..services.llm import ask`', () => {
    const p = appProject({ 'app/routers/chat.py': endpoint('from ..services.llm import ask', 'ask(q)') });
    expect(reachOfFunction(p, 'app/routers/chat.py', 'chat')).toEqual(viaLlm('app/routers/chat.py'));
  });

  it('relative import of a sibling module `from . import llm`', () => {
    const p = appProject({ 'app/services/handler.py': endpoint('from . import llm', 'llm.ask(q)') });
    expect(reachOfFunction(p, 'app/services/handler.py', 'chat')).toEqual(viaLlm('app/services/handler.py'));
    expect(reachOfFunction(p, 'app/services/handler.py', 'health')).toBeUndefined();
  });

  it('`import app.services.llm as llm`', () => {
    const p = appProject({ 'app/routers/chat.py': endpoint('import app.services.llm as llm', 'llm.ask(q)') });
    expect(reachOfFunction(p, 'app/routers/chat.py', 'chat')).toEqual(viaLlm('app/routers/chat.py'));
  });

  it('`import app.services.llm` used as app.services.llm.ask()', () => {
    const p = appProject({ 'app/routers/chat.py': endpoint('import app.services.llm', 'app.services.llm.ask(q)') });
    expect(reachOfFunction(p, 'app/routers/chat.py', 'chat')).toEqual(viaLlm('app/routers/chat.py'));
  });

  it('`from app.services import llm` (a submodule)', () => {
    const p = appProject({ 'app/routers/chat.py': endpoint('from app.services import llm', 'llm.ask(q)') });
    expect(reachOfFunction(p, 'app/routers/chat.py', 'chat')).toEqual(viaLlm('app/routers/chat.py'));
  });

  it('a re-export through __init__.py: `from app.services import ask`', () => {
    const p = appProject({
      'app/services/__init__.py': 'from .llm import ask\n',
      'app/routers/chat.py': endpoint('from app.services import ask', 'ask(q)'),
    });
    expect(reachOfFunction(p, 'app/routers/chat.py', 'chat')).toEqual({
      chain: ['app/routers/chat.py', 'app/services/__init__.py', 'app/services/llm.py'],
      via: 'openai',
    });
    expect(reachOfFunction(p, 'app/routers/chat.py', 'health')).toBeUndefined();
  });

  it('a src/ layout', () => {
    const p = project({
      'src/mypkg/__init__.py': '',
      'src/mypkg/core.py':
        'import anthropic\n\n_client = anthropic.Anthropic()\n\n\ndef ask(q):\n    return _client.messages.create(messages=[q])\n',
      'src/mypkg/api.py': endpoint('from mypkg.core import ask', 'ask(q)'),
    });
    expect(reachOfFunction(p, 'src/mypkg/api.py', 'chat')).toEqual({
      chain: ['src/mypkg/api.py', 'src/mypkg/core.py'],
      via: 'anthropic',
    });
  });

  it('a lazy import inside the function body', () => {
    const p = project({ 'main.py': 'def f():\n    import openai\n    return openai.OpenAI()\n' });
    expect(reachOfFunction(p, 'main.py', 'f')).toEqual({ chain: ['main.py'], via: 'openai' });
  });

  it('a lazy import of a local module inside the function body', () => {
    const p = appProject({
      'app/routers/chat.py': 'def chat(q):\n    from app.services.llm import ask\n    return ask(q)\n',
    });
    expect(reachOfFunction(p, 'app/routers/chat.py', 'chat')).toEqual(viaLlm('app/routers/chat.py'));
  });

  it('a raw HTTP call to an AI host, via the host', () => {
    const p = project({
      'main.py':
        'import requests\n\n\ndef f():\n    return requests.post("https://api.anthropic.com/v1/messages", json={})\n',
    });
    expect(reachOfFunction(p, 'main.py', 'f')).toEqual({ chain: ['main.py'], via: 'api.anthropic.com' });
  });

  it('a name imported from outside the project reaches nothing', () => {
    const p = project({
      'main.py': 'from requests import post\n\n\ndef f():\n    return post("https://example.com/v1")\n',
    });
    expect(reachOfFunction(p, 'main.py', 'f')).toBeUndefined();
  });

  it('a module that imports OpenAI but whose function uses only types reaches nothing from that function', () => {
    const p = project({
      'main.py': 'from openai.types.chat import ChatCompletion\n\n\ndef f(c: ChatCompletion):\n    return c.id\n',
    });
    expect(reachOfFunction(p, 'main.py', 'f')).toBeUndefined();
  });
});

describe('moduleNameFor', () => {
  it('absolute, from the folder the module’s absolute local imports resolve from', () => {
    const p = appProject({ 'app/routers/chat.py': 'from app.services.llm import ask\n' });
    expect(moduleName(p, 'app/routers/chat.py', 'app/rate_limiting.py')).toBe('app.rate_limiting');
  });

  it('relative when the module imports relatively', () => {
    const p = appProject({ 'app/routers/chat.py': 'from ..services.llm import ask\n' });
    expect(moduleName(p, 'app/routers/chat.py', 'app/rate_limiting.py')).toBe('..rate_limiting');
  });

  it('from the top of the package chain when the module has no local imports', () => {
    const p = project({
      'app/__init__.py': '',
      'app/main.py': 'import os\nfrom fastapi import FastAPI\n\napp = FastAPI()\n',
    });
    expect(moduleName(p, 'app/main.py', 'app/rate_limiting.py')).toBe('app.rate_limiting');
  });

  it('`.rate_limiting` for a target in the module’s own folder, with relative imports', () => {
    const p = appProject({ 'app/main.py': 'from fastapi import FastAPI\nfrom .routers import chat\n' });
    expect(moduleName(p, 'app/main.py', 'app/rate_limiting.py')).toBe('.rate_limiting');
  });

  it('plain `rate_limiting` in a flat project without __init__.py', () => {
    const p = project({ 'main.py': 'from fastapi import FastAPI\nfrom llm import ask\n', 'llm.py': LLM });
    expect(moduleName(p, 'main.py', 'rate_limiting.py')).toBe('rate_limiting');
  });

  it('plain `rate_limiting` in a flat project whose module has no local imports', () => {
    const p = project({ 'main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n' });
    expect(moduleName(p, 'main.py', 'rate_limiting.py')).toBe('rate_limiting');
  });

  it('absolute from a src/ layout', () => {
    const p = project({
      'src/mypkg/__init__.py': '',
      'src/mypkg/core.py': '',
      'src/mypkg/web/__init__.py': '',
      'src/mypkg/web/routes.py': 'from mypkg.core import ask\n',
    });
    expect(moduleName(p, 'src/mypkg/web/routes.py', 'src/mypkg/rate_limiting.py')).toBe('mypkg.rate_limiting');
  });
});

// Endpoints that call AI must never look as if they did not: these shapes once hid the call.
describe('PythonGraph answers that do not depend on how the code is written or asked', () => {
  it('an import cycle gives the same answer whichever module is asked first', () => {
    const tree = { 'a.py': 'import b\nimport c\n', 'b.py': 'import a\n', 'c.py': 'import openai\n' };
    const first = project(tree);
    expect(rel(first, first.graph.reachOfModule(first.path('b.py')))).toEqual({
      chain: ['b.py', 'a.py', 'c.py'],
      via: 'openai',
    });
    const second = project(tree);
    second.graph.reachOfModule(second.path('a.py'));
    expect(rel(second, second.graph.reachOfModule(second.path('b.py')))).toEqual({
      chain: ['b.py', 'a.py', 'c.py'],
      via: 'openai',
    });
  });

  it('a function in a name cycle still reaches AI after the other name was asked', () => {
    const p = project({
      'a.py': 'from b import g\nimport openai\n\ndef f():\n    g()\n    return openai.OpenAI()\n',
      'b.py': 'from a import f\n\ndef g():\n    return f()\n',
    });
    expect(p.graph.reachOfName(p.path('a.py'), 'f')?.via).toBe('openai');
    expect(p.graph.reachOfName(p.path('b.py'), 'g')?.via).toBe('openai');
  });

  it('try: import openai / except ImportError: openai = None still reaches AI from a function', () => {
    const p = project({
      'm.py':
        'try:\n    import openai\nexcept ImportError:\n    openai = None\n\n\ndef f():\n    return openai.OpenAI()\n',
    });
    expect(p.graph.reachOfName(p.path('m.py'), 'f')?.via).toBe('openai');
  });

  it('a client assigned in both branches of an if reaches AI', () => {
    const p = project({
      'm.py':
        'import os\nfrom openai import OpenAI\n\nif os.getenv("K"):\n    client = OpenAI()\nelse:\n    client = None\n\n\ndef f():\n    return client.chat.completions.create()\n',
    });
    expect(p.graph.reachOfName(p.path('m.py'), 'f')?.via).toBe('openai');
  });

  it('import pkg.llm beside import pkg.db: both submodules count', () => {
    const p = project({
      'm.py': 'import pkg.llm\nimport pkg.db\n\n\ndef f():\n    return pkg.llm.ask()\n',
      'pkg/__init__.py': '',
      'pkg/llm.py': 'import openai\n\n\ndef ask():\n    return openai.OpenAI()\n',
      'pkg/db.py': 'ROWS = []\n',
    });
    expect(rel(p, p.graph.reachOfName(p.path('m.py'), 'f'))).toEqual({ chain: ['m.py', 'pkg/llm.py'], via: 'openai' });
  });
});

// Found on real apps: each of these made CRUD endpoints look as if they called AI, so they got
// limits that broke the app's ordinary use.
describe('PythonGraph does not see AI where there is none', () => {
  it('storage.list_items() reaches only what list_items reaches, not the rest of the module', () => {
    const p = project({
      'app/__init__.py': '',
      'app/ai.py':
        'from langchain_openai import ChatOpenAI\n\nllm = ChatOpenAI()\n\n\ndef ask(q):\n    return llm.invoke(q)\n',
      'app/storage.py':
        'from app.ai import ask\n\n\ndef list_items():\n    return []\n\n\ndef answer(q):\n    return ask(q)\n',
      'app/server.py':
        'import app.storage as storage\n\n\ndef list_items():\n    return storage.list_items()\n\n\ndef ask(q):\n    return storage.answer(q)\n\n\ndef handler(q):\n    helper = storage\n    return helper\n',
    });
    expect(p.graph.reachOfName(p.path('app/server.py'), 'list_items')).toBeUndefined();
    expect(rel(p, p.graph.reachOfName(p.path('app/server.py'), 'ask'))).toEqual({
      chain: ['app/server.py', 'app/storage.py', 'app/ai.py'],
      via: 'langchain_openai',
    });
    // The module passed around whole: anything in it may be called.
    expect(p.graph.reachOfName(p.path('app/server.py'), 'handler')?.via).toBe('langchain_openai');
  });

  it('a provider URL as a settings default is configuration, not a call', () => {
    const p = project({
      'settings.py':
        'class Settings:\n    openai_api_base: str = "https://api.openai.com/v1"\n    frontend_url: str = "http://localhost:3000"\n\n\nsettings = Settings()\n',
      'auth.py': 'from settings import settings\n\n\ndef login():\n    return settings.frontend_url\n',
      'raw.py': 'import httpx\n\n\ndef call():\n    return httpx.post("https://api.openai.com/v1/responses")\n',
    });
    expect(p.graph.reachOfName(p.path('auth.py'), 'login')).toBeUndefined();
    expect(p.graph.reachOfName(p.path('raw.py'), 'call')?.via).toBe('api.openai.com');
  });

  it('LangChain document loaders and text splitters call no model', () => {
    expect(aiModuleOf('langchain_community.document_loaders')).toBeUndefined();
    expect(aiModuleOf('langchain.text_splitter')).toBeUndefined();
    expect(aiModuleOf('langchain_community.chat_models')).toBe('langchain_community');
  });
});
