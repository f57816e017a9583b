import { describe, expect, it } from 'vitest';
import {
  AI_HOSTS,
  AI_PACKAGE_SCOPES,
  AI_PACKAGES,
  AI_STEMS,
  isAiImport,
  isAiPackage,
} from '../src/knowledge/ai-providers.js';
import { blankStringsAndComments, scanModule } from '../src/lang/js/scan-module.js';
import { exportedMethodsFromText } from '../src/frameworks/next/route-handlers.js';
import { maskSecrets } from '../src/core/secrets.js';
import { applyEdits } from '../src/core/edits.js';
import { addDependencies, addEnvNames } from '../src/project/project-files.js';
import { matcherToRegExp } from '../src/concerns/ratelimit/next-ratelimit/middleware.js';
import { detectStyle, restyle } from '../src/core/style.js';

describe('scanModule', () => {
  it('finds imports, re-exports, requires and dynamic imports, not those in comments or strings', () => {
    const scan = scanModule(`
      import OpenAI from 'openai';
      import type { X } from "./types";
      export { a } from './a';
      export * from '@/lib/b';
      const c = require('./c');
      const d = await import('./d');
      // import nope from 'nope-comment';
      /* import nope2 from 'nope-block'; */
      const text = \`import nope3 from 'nope-template';\`;
      const s = "import nope4 from 'nope-string'";
    `);
    expect(scan.imports.map((i) => i.specifier)).toEqual(['openai', './a', '@/lib/b', './c', './d']);
  });

  it('keeps the names an import takes, and drops imports of types only', () => {
    const scan = scanModule(`
      import OpenAI, { toFile as tf } from 'openai';
      import { generateId, type UIMessage } from 'ai';
      import { type LanguageModel } from 'ai';
      import type { Tool } from 'ai';
      import * as sdk from '@anthropic-ai/sdk';
      export { streamText } from 'ai';
      export type { CoreMessage } from 'ai';
      import './polyfill';
    `);
    expect(scan.imports).toEqual([
      { specifier: 'openai', names: ['default', 'toFile'] },
      { specifier: 'ai', names: ['generateId'] },
      { specifier: '@anthropic-ai/sdk', names: '*' },
      { specifier: 'ai', names: ['streamText'] },
      { specifier: './polyfill', names: [] },
    ]);
  });

  it('sees a URL literal of an AI host, not a host mentioned inside code text', () => {
    expect(scanModule("fetch('https://api.anthropic.com/v1/messages')").aiHost).toBe('api.anthropic.com');
    expect(scanModule('const u = `https://my.openai.azure.com/openai/deployments`').aiHost).toBe('openai.azure.com');
    expect(
      scanModule("const doc = `const c = new OpenAI({ baseURL: 'https://api.openai.com' })`").aiHost,
    ).toBeUndefined();
    expect(scanModule("const u = 'https://api.openai.com.evil.example'").aiHost).toBeUndefined();
  });

  it('reads a top-level directive after comments', () => {
    expect(scanModule("// header\n'use server';\nexport async function a() {}").directive).toBe('use server');
    expect(scanModule("const x = 'use server';").directive).toBeUndefined();
  });
});

describe('isAiImport', () => {
  it.each([
    ['ai', ['streamText'], true],
    ['ai', ['generateId', 'tool'], false],
    ['ai', '*', true],
    ['ai/rsc', ['streamUI'], true],
    ['openai', ['toFile'], true],
    ['@ai-sdk/react', ['useChat'], false],
    ['@ai-sdk/openai', ['openai'], true],
    ['@langchain/core/prompts', ['PromptTemplate'], false],
    ['@langchain/openai', ['ChatOpenAI'], true],
  ] as const)('%s %j → %s', (specifier, names, expected) =>
    expect(isAiImport(specifier, names as string[] | '*')).toBe(expected),
  );
});

describe('isAiPackage', () => {
  it.each([
    ['openai', true],
    ['openai/resources', true],
    ['@anthropic-ai/sdk', true],
    ['@ai-sdk/openai', true],
    ['@langchain/openai', true],
    ['ai', true],
    ['ai/react', false],
    ['./openai', false],
    ['openai-utils', false],
    ['react', false],
  ])('%s → %s', (specifier, expected) => expect(isAiPackage(specifier)).toBe(expected));
});

describe('maskSecrets', () => {
  it.each([
    ['sk-proj-abcdefghijklmnopqrstuvwxyz0123', 'sk-…0123'],
    ['sk-ant-api03-abcdefghijklmnopqrstuvwx', 'sk-ant-…uvwx'],
    ['gsk_abcdefghijklmnopqrstuvwxyz', 'gsk_…wxyz'],
    ['hf_abcdefghijklmnopqrstuvwxyz', 'hf_…wxyz'],
    ['AIzaSyA1234567890abcdefghijklmnopqrstuv', 'AIza…stuv'],
  ])('%s', (secret, masked) => {
    const out = maskSecrets(`apiKey: '${secret}',`);
    expect(out).toBe(`apiKey: '${masked}',`);
  });

  it('leaves ordinary text alone', () => {
    expect(maskSecrets('task-list sk-short skip-this')).toBe('task-list sk-short skip-this');
  });
});

describe('applyEdits', () => {
  it('splices right to left, keeps insertion order at one offset, rejects overlaps', () => {
    expect(
      applyEdits('abcdef', [
        { start: 1, end: 1, text: 'X' },
        { start: 1, end: 1, text: 'Y' },
        { start: 3, end: 5, text: '-' },
      ]),
    ).toBe('aXYbc-f');
    expect(() =>
      applyEdits('abcdef', [
        { start: 1, end: 4, text: '' },
        { start: 2, end: 3, text: '' },
      ]),
    ).toThrow('overlapping');
  });
});

describe('detectStyle and restyle', () => {
  it('detects quotes, semicolons, indentation and line endings', () => {
    expect(detectStyle("import a from 'a';\nfunction f() {\n  return 1;\n}\n")).toEqual({
      quote: "'",
      semi: true,
      indent: '  ',
      eol: '\n',
    });
    expect(detectStyle('import a from "a"\r\nfunction f() {\r\n    return 1\r\n}\r\n')).toEqual({
      quote: '"',
      semi: false,
      indent: '    ',
      eol: '\r\n',
    });
    expect(detectStyle('import a from "a";\nfunction f() {\n\treturn 1;\n}\n').indent).toBe('\t');
  });

  it('restyles our code without touching quotes inside comments or templates', () => {
    const code = "// don't\nconst a = 'x';\nif (a) {\n  log(`it's ${a}`);\n}\n";
    expect(restyle(code, { quote: '"', semi: false, indent: '\t', eol: '\r\n' })).toBe(
      '// don\'t\r\nconst a = "x"\r\nif (a) {\r\n\tlog(`it\'s ${a}`)\r\n}\r\n',
    );
  });
});

describe('project files', () => {
  it('adds dependencies in sorted position, keeping indentation and the final newline', () => {
    const text =
      '{\n    "name": "x",\n    "dependencies": {\n        "next": "16.0.0",\n        "zod": "3.0.0"\n    }\n}\n';
    expect(addDependencies(text, { '@upstash/redis': '^1.0.0' })).toBe(
      '{\n    "name": "x",\n    "dependencies": {\n        "@upstash/redis": "^1.0.0",\n        "next": "16.0.0",\n        "zod": "3.0.0"\n    }\n}\n',
    );
  });

  it('does not add a dependency that is already in any section', () => {
    const text = '{\n  "devDependencies": {\n    "@upstash/redis": "1.0.0"\n  }\n}';
    expect(addDependencies(text, { '@upstash/redis': '^1.39.0' })).toBe(text);
  });

  it('adds env names, never values, once', () => {
    const once = addEnvNames('OPENAI_API_KEY=\n', 'Rate limiting', ['A', 'B']);
    expect(once).toBe('OPENAI_API_KEY=\n\n# Rate limiting\nA=\nB=\n');
    expect(addEnvNames(once, 'Rate limiting', ['A', 'B'])).toBe(once);
    expect(addEnvNames('# A=commented\n', 'c', ['A'])).toBe('# A=commented\n');
    expect(addEnvNames(undefined, 'c', ['A'])).toBe('# c\nA=\n');
  });
});

describe('matcherToRegExp (Next.js middleware matchers)', () => {
  it.each([
    ['/api/:path*', '/api', true],
    ['/api/:path*', '/api/chat/x', true],
    ['/api/:path*', '/apix', false],
    ['/api/:path+', '/api', false],
    ['/api/:id', '/api/chat', true],
    ['/api/:id', '/api/chat/x', false],
    ['/((?!_next/static|favicon.ico).*)', '/api/chat', true],
    ['/((?!api|_next).*)', '/api/chat', false],
    ['/dashboard/:path*', '/api/chat', false],
  ])('%s on %s → %s', (matcher, path, expected) => expect(matcherToRegExp(matcher).test(path)).toBe(expected));
});

describe('exportedMethodsFromText (the report for files that cannot reach AI, without parsing)', () => {
  it('finds declared and listed methods with their offsets, not those in strings or comments', () => {
    const source = [
      'export async function GET() {}',
      'export const POST = handler;',
      '// export function PUT() {}',
      'const code = `export function PATCH() {}`;',
      'export { remove as DELETE, list };',
    ].join('\n');
    expect(exportedMethodsFromText(source, 'app').map((m) => [m.method, source.slice(m.offset, m.offset + 6)])).toEqual(
      [
        ['GET', 'export'],
        ['POST', 'export'],
        ['DELETE', 'export'],
      ],
    );
  });

  it('finds a Pages Router default export or module.exports', () => {
    expect(exportedMethodsFromText('const a = 1;\nexport default function handler() {}', 'pages')).toEqual([
      { method: 'default', offset: 13 },
    ]);
    expect(exportedMethodsFromText('module.exports = (req, res) => {}', 'pages')).toEqual([
      { method: 'default', offset: 0 },
    ]);
  });

  it('blankStringsAndComments keeps length and newlines', () => {
    const text = "a('x\\'y') // c\n`t\n${u}`";
    const blank = blankStringsAndComments(text);
    expect(blank.length).toBe(text.length);
    expect(blank).toBe('a(      )     \n  \n     ');
  });
});

describe('AI_STEMS, the prefilter of AI call sites', () => {
  it('every AI package (quoted, as imported) and every AI host contains a stem', () => {
    const quotedPackages = [...AI_PACKAGES, ...AI_PACKAGE_SCOPES.map((scope) => `${scope}x`)].map(
      (name) => `'${name}'`,
    );
    const missed = [...quotedPackages, ...AI_HOSTS].filter((text) => !AI_STEMS.some((stem) => text.includes(stem)));
    expect(missed).toEqual([]);
  });
});
