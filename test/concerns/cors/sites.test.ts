import { isAbsolute, join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findCorsSites } from '../../../src/concerns/cors/sites.js';
import type { CorsSite } from '../../../src/core/report-schema.js';
import { Overlay } from '../../../src/project/overlay.js';
import { loadPythonParser } from '../../../src/lang/python/parse.js';
import { tempDir, writeTree } from '../../helpers/project.js';

// findCorsSites over small projects written to a temporary folder. Each case asserts the whole
// CorsSite: where, which framework, the origins as configured, credentials, verdict, evidence.

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

beforeAll(async () => {
  await loadPythonParser();
});

/** Writes `tree`, scans every file of it; paths in the answer relative to the folder (they come back absolute). */
function scan(tree: Record<string, string>, overlay = new Overlay()): CorsSite[] {
  const { dir, cleanup } = tempDir('aisc-cors-');
  cleanups.push(cleanup);
  writeTree(dir, tree);
  const sites = findCorsSites(
    Object.keys(tree).map((rel) => join(dir, rel)),
    overlay,
    [dir],
  );
  for (const site of sites) expect(isAbsolute(site.file)).toBe(true);
  for (const site of sites) expect(site.endLine).toBeGreaterThanOrEqual(site.line);
  // The report's fields; endLine (where a fixer's finding may point inside the site) is checked above.
  return sites.map(({ endLine: _, ...site }) => ({ ...site, file: relative(dir, site.file) }));
}

/** One Python file `main.py`. */
const py = (source: string) => scan({ 'main.py': source });

const FASTAPI = 'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\n';

describe('FastAPI / Starlette CORSMiddleware', () => {
  it('allow_origins=["*"] is open', () => {
    expect(py(`${FASTAPI}app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"])\n`)).toEqual([
      {
        file: 'main.py',
        line: 5,
        framework: 'fastapi',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: 'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"])',
      },
    ]);
  });

  it('["*"] with allow_credentials=True is open with credentials (Starlette echoes the origin), evidence on one line', () => {
    const source = `${FASTAPI}app.add_middleware(\n    CORSMiddleware,\n    allow_origins=["*"],\n    allow_credentials=True,\n)\n`;
    expect(py(source)).toEqual([
      {
        file: 'main.py',
        line: 5,
        framework: 'fastapi',
        origins: '*',
        credentials: true,
        verdict: 'open-with-credentials',
        evidence: 'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)',
      },
    ]);
  });

  it.each(['.*', '.+', 'https?://.*', 'https://.*'])(
    'allow_origin_regex=%j matches any origin: open (echoed)',
    (regex) => {
      const [site] = py(
        `${FASTAPI}app.add_middleware(CORSMiddleware, allow_origin_regex=r"${regex}", allow_credentials=True)\n`,
      );
      expect(site).toMatchObject({ origins: 'reflected', credentials: true, verdict: 'open-with-credentials' });
    },
  );

  it('allow_origin_regex limited to one domain is restricted, listed as a pattern', () => {
    expect(
      py(`${FASTAPI}app.add_middleware(CORSMiddleware, allow_origin_regex=r"https://.*\\.example\\.com")\n`),
    ).toEqual([
      {
        file: 'main.py',
        line: 5,
        framework: 'fastapi',
        origins: ['/https://.*\\.example\\.com/'],
        credentials: false,
        verdict: 'restricted',
        evidence: 'app.add_middleware(CORSMiddleware, allow_origin_regex=r"https://.*\\.example\\.com")',
      },
    ]);
  });

  it('a literal list of origins is restricted (not a finding)', () => {
    expect(
      py(
        `${FASTAPI}app.add_middleware(CORSMiddleware, allow_origins=["https://ai.example.com"], allow_credentials=True)\n`,
      ),
    ).toEqual([
      {
        file: 'main.py',
        line: 5,
        framework: 'fastapi',
        origins: ['https://ai.example.com'],
        credentials: true,
        verdict: 'restricted',
        evidence:
          'app.add_middleware(CORSMiddleware, allow_origins=["https://ai.example.com"], allow_credentials=True)',
      },
    ]);
  });

  it('a module-level list bound once is followed (the FastAPI docs pattern)', () => {
    const source = `${FASTAPI}origins = [\n    "http://localhost:3000",\n    "https://app.example.com",\n]\napp.add_middleware(CORSMiddleware, allow_origins=origins)\n`;
    expect(py(source)).toEqual([
      {
        file: 'main.py',
        line: 9,
        framework: 'fastapi',
        origins: ['http://localhost:3000', 'https://app.example.com'],
        credentials: false,
        verdict: 'restricted',
        evidence: 'app.add_middleware(CORSMiddleware, allow_origins=origins)',
      },
    ]);
  });

  it('settings and environment variables are dynamic: verdict unknown', () => {
    const source = `import os\n${FASTAPI}app.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS)\napp.add_middleware(CORSMiddleware, allow_origins=os.environ["CORS_ORIGINS"].split(","))\n`;
    expect(py(source)).toEqual([
      {
        file: 'main.py',
        line: 6,
        framework: 'fastapi',
        origins: 'dynamic',
        credentials: false,
        verdict: 'unknown',
        evidence: 'app.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS)',
      },
      {
        file: 'main.py',
        line: 7,
        framework: 'fastapi',
        origins: 'dynamic',
        credentials: false,
        verdict: 'unknown',
        evidence: 'app.add_middleware(CORSMiddleware, allow_origins=os.environ["CORS_ORIGINS"].split(","))',
      },
    ]);
  });

  it('an environment variable whose default is "*" is open', () => {
    const source = `import os\n${FASTAPI}app.add_middleware(CORSMiddleware, allow_origins=os.getenv("ALLOWED_ORIGINS", "*").split(","))\n`;
    expect(py(source)).toEqual([
      {
        file: 'main.py',
        line: 6,
        framework: 'fastapi',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: 'app.add_middleware(CORSMiddleware, allow_origins=os.getenv("ALLOWED_ORIGINS", "*").split(","))',
      },
    ]);
  });

  it('an environment variable with a literal default list stays dynamic', () => {
    const [site] = py(
      `import os\n${FASTAPI}app.add_middleware(CORSMiddleware, allow_origins=os.getenv("ALLOWED_ORIGINS", "http://localhost:3000").split(","))\n`,
    );
    expect(site).toMatchObject({ origins: 'dynamic', verdict: 'unknown' });
  });

  it('Middleware(CORSMiddleware, …) in Starlette(middleware=[…]) is starlette; in FastAPI(middleware=[…]) fastapi', () => {
    const starlette =
      'from starlette.applications import Starlette\nfrom starlette.middleware import Middleware\nfrom starlette.middleware.cors import CORSMiddleware\n\napp = Starlette(middleware=[Middleware(CORSMiddleware, allow_origins=["*"])])\n';
    const fastapi =
      'from fastapi import FastAPI\nfrom starlette.middleware import Middleware\nfrom starlette.middleware.cors import CORSMiddleware as Cors\n\napp = FastAPI(\n    middleware=[\n        Middleware(Cors, allow_origins=["https://a.example"]),\n    ],\n)\n';
    expect(scan({ 'star.py': starlette, 'fast.py': fastapi })).toEqual([
      {
        file: 'star.py',
        line: 5,
        framework: 'starlette',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: 'Middleware(CORSMiddleware, allow_origins=["*"])',
      },
      {
        file: 'fast.py',
        line: 7,
        framework: 'fastapi',
        origins: ['https://a.example'],
        credentials: false,
        verdict: 'restricted',
        evidence: 'Middleware(Cors, allow_origins=["https://a.example"])',
      },
    ]);
  });

  it('no allow_origins at all lets no origin in; **options may hold them', () => {
    const source = `${FASTAPI}app.add_middleware(CORSMiddleware, allow_methods=["GET"])\napp.add_middleware(CORSMiddleware, **cors_options)\n`;
    expect(py(source).map((s) => [s.origins, s.verdict])).toEqual([
      [[], 'restricted'],
      ['dynamic', 'unknown'],
    ]);
  });
});

const FLASK = 'from flask import Flask\nfrom flask_cors import CORS, cross_origin\n\napp = Flask(__name__)\n';

describe('Flask-CORS', () => {
  it('CORS(app) with no origins is open (flask-cors defaults to *)', () => {
    expect(py(`${FLASK}CORS(app)\n`)).toEqual([
      {
        file: 'main.py',
        line: 5,
        framework: 'flask',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: 'CORS(app)',
      },
    ]);
  });

  it('origins="*" and resources={…: {"origins": "*"}} are open', () => {
    const source = `${FLASK}CORS(app, origins="*")\nCORS(app, resources={r"/api/*": {"origins": "*"}})\n`;
    expect(py(source)).toEqual([
      {
        file: 'main.py',
        line: 5,
        framework: 'flask',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: 'CORS(app, origins="*")',
      },
      {
        file: 'main.py',
        line: 6,
        framework: 'flask',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: 'CORS(app, resources={r"/api/*": {"origins": "*"}})',
      },
    ]);
  });

  it('supports_credentials=True with an open origin is open with credentials', () => {
    expect(py(`${FLASK}CORS(app, supports_credentials=True)\n`)).toEqual([
      {
        file: 'main.py',
        line: 5,
        framework: 'flask',
        origins: '*',
        credentials: true,
        verdict: 'open-with-credentials',
        evidence: 'CORS(app, supports_credentials=True)',
      },
    ]);
  });

  it('literal origins, in the call or per resource, are restricted', () => {
    const source = `${FLASK}CORS(app, origins=["https://app.example.com"], supports_credentials=True)\nCORS(app, resources={r"/api/*": {"origins": ["https://a.example", "https://b.example"]}})\n`;
    expect(py(source)).toEqual([
      {
        file: 'main.py',
        line: 5,
        framework: 'flask',
        origins: ['https://app.example.com'],
        credentials: true,
        verdict: 'restricted',
        evidence: 'CORS(app, origins=["https://app.example.com"], supports_credentials=True)',
      },
      {
        file: 'main.py',
        line: 6,
        framework: 'flask',
        origins: ['https://a.example', 'https://b.example'],
        credentials: false,
        verdict: 'restricted',
        evidence: 'CORS(app, resources={r"/api/*": {"origins": ["https://a.example", "https://b.example"]}})',
      },
    ]);
  });

  it('one open resource among restricted ones makes the call open', () => {
    const [site] = py(
      `${FLASK}CORS(app, resources={r"/api/*": {"origins": "https://a.example"}, r"/public/*": {"origins": "*", "supports_credentials": True}})\n`,
    );
    expect(site).toMatchObject({ origins: '*', credentials: true, verdict: 'open-with-credentials' });
  });

  it('@cross_origin() is open; @cross_origin(origins=[…]) restricted', () => {
    const source = `${FLASK}@app.route("/a")\n@cross_origin()\ndef a():\n    return "a"\n\n@app.route("/b")\n@cross_origin(origins=["https://app.example.com"])\ndef b():\n    return "b"\n`;
    expect(py(source)).toEqual([
      {
        file: 'main.py',
        line: 6,
        framework: 'flask',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: '@cross_origin()',
      },
      {
        file: 'main.py',
        line: 11,
        framework: 'flask',
        origins: ['https://app.example.com'],
        credentials: false,
        verdict: 'restricted',
        evidence: '@cross_origin(origins=["https://app.example.com"])',
      },
    ]);
  });

  it('bare @cross_origin and flask_cors.CORS through the module are found', () => {
    const source =
      'import flask_cors\nfrom flask import Flask\n\napp = Flask(__name__)\nflask_cors.CORS(app, supports_credentials=True)\n\n@flask_cors.cross_origin\ndef a():\n    return "a"\n';
    expect(py(source).map((s) => [s.line, s.verdict])).toEqual([
      [5, 'open-with-credentials'],
      [7, 'open'],
    ]);
  });

  it('cors = CORS() then cors.init_app(app, …) is read at init_app', () => {
    const source = `${FLASK}cors = CORS(supports_credentials=True)\n\ndef create_app():\n    app = Flask(__name__)\n    cors.init_app(app, origins=["https://app.example.com"])\n    return app\n`;
    expect(py(source)).toEqual([
      {
        file: 'main.py',
        line: 9,
        framework: 'flask',
        origins: ['https://app.example.com'],
        credentials: true,
        verdict: 'restricted',
        evidence: 'cors.init_app(app, origins=["https://app.example.com"])',
      },
    ]);
  });

  it('app.config["CORS_ORIGINS"] is the default Flask-CORS reads', () => {
    expect(py(`${FLASK}app.config["CORS_ORIGINS"] = ["https://app.example.com"]\nCORS(app)\n`)).toEqual([
      {
        file: 'main.py',
        line: 6,
        framework: 'flask',
        origins: ['https://app.example.com'],
        credentials: false,
        verdict: 'restricted',
        evidence: 'CORS(app)',
      },
    ]);
  });

  it('a CORS class from elsewhere is not Flask-CORS', () => {
    expect(py('from mylib import CORS\n\nCORS(app)\n')).toEqual([]);
  });
});

describe('django-cors-headers settings', () => {
  it('CORS_ALLOW_ALL_ORIGINS = True with credentials is open with credentials; an allowlist is restricted', () => {
    const open = 'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n';
    const closed = 'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = [\n    "https://app.example.com",\n]\n';
    expect(scan({ 'a/settings.py': open, 'b/settings.py': closed })).toEqual([
      {
        file: 'a/settings.py',
        line: 2,
        framework: 'other',
        origins: '*',
        credentials: true,
        verdict: 'open-with-credentials',
        evidence: 'CORS_ALLOW_ALL_ORIGINS = True',
      },
      {
        file: 'b/settings.py',
        line: 2,
        framework: 'other',
        origins: ['https://app.example.com'],
        credentials: false,
        verdict: 'restricted',
        evidence: 'CORS_ALLOWED_ORIGINS = ["https://app.example.com"]',
      },
    ]);
  });

  it('the same names in a FastAPI config module are not Django settings', () => {
    expect(
      scan({ 'settings.py': 'from pydantic_settings import BaseSettings\n\nCORS_ALLOWED_ORIGINS = ["*"]\n' }),
    ).toEqual([]);
  });
});

describe('Access-Control-Allow-Origin set by hand in Python', () => {
  it('a Flask after_request setting * is open (framework from the imports)', () => {
    const source =
      'from flask import Flask\n\napp = Flask(__name__)\n\n@app.after_request\ndef cors(response):\n    response.headers["Access-Control-Allow-Origin"] = "*"\n    return response\n';
    expect(py(source)).toEqual([
      {
        file: 'main.py',
        line: 7,
        framework: 'flask',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: 'response.headers["Access-Control-Allow-Origin"] = "*"',
      },
    ]);
  });

  it('the request origin echoed with credentials is open with credentials; checked against a list it is restricted', () => {
    const source = [
      'ALLOWED = ["https://app.example.com"]',
      '',
      'def echo(request, response):',
      '    origin = request.headers.get("origin")',
      '    response.headers["Access-Control-Allow-Origin"] = origin',
      '    response.headers["Access-Control-Allow-Credentials"] = "true"',
      '',
      'def checked(request, response):',
      '    origin = request.headers.get("origin")',
      '    if origin in ALLOWED:',
      '        response.headers.set("Access-Control-Allow-Origin", origin)',
      '',
    ].join('\n');
    expect(py(source)).toEqual([
      {
        file: 'main.py',
        line: 5,
        framework: 'other',
        origins: 'reflected',
        credentials: true,
        verdict: 'open-with-credentials',
        evidence: 'response.headers["Access-Control-Allow-Origin"] = origin',
      },
      {
        file: 'main.py',
        line: 11,
        framework: 'other',
        origins: ['https://app.example.com'],
        credentials: false,
        verdict: 'restricted',
        evidence: 'response.headers.set("Access-Control-Allow-Origin", origin)',
      },
    ]);
  });

  it('a headers dict in a response is found', () => {
    const source =
      'from fastapi.responses import JSONResponse\n\ndef ok():\n    return JSONResponse({}, headers={"Access-Control-Allow-Origin": "https://app.example.com"})\n';
    expect(py(source)).toEqual([
      {
        file: 'main.py',
        line: 4,
        framework: 'fastapi',
        origins: ['https://app.example.com'],
        credentials: false,
        verdict: 'restricted',
        evidence: '"Access-Control-Allow-Origin": "https://app.example.com"',
      },
    ]);
  });
});

describe('Express cors', () => {
  const EXPRESS = "import express from 'express';\nimport cors from 'cors';\n\nconst app = express();\n";
  const js = (body: string) => scan({ 'server.js': EXPRESS + body });

  it('app.use(cors()) is open', () => {
    expect(js('app.use(cors());\n')).toEqual([
      {
        file: 'server.js',
        line: 5,
        framework: 'express',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: 'app.use(cors())',
      },
    ]);
  });

  it("cors({ origin: '*' }) is open; with credentials still open (browsers refuse credentials with *)", () => {
    expect(js("app.use(cors({ origin: '*' }));\napp.use(cors({ origin: '*', credentials: true }));\n")).toEqual([
      {
        file: 'server.js',
        line: 5,
        framework: 'express',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: "app.use(cors({ origin: '*' }))",
      },
      {
        file: 'server.js',
        line: 6,
        framework: 'express',
        origins: '*',
        credentials: true,
        verdict: 'open',
        evidence: "app.use(cors({ origin: '*', credentials: true }))",
      },
    ]);
  });

  it('origin: true reflects any origin: open, and open with credentials with credentials: true', () => {
    expect(
      js('app.use(cors({ origin: true }));\napp.use(cors({\n  origin: true,\n  credentials: true,\n}));\n'),
    ).toEqual([
      {
        file: 'server.js',
        line: 5,
        framework: 'express',
        origins: 'reflected',
        credentials: false,
        verdict: 'open',
        evidence: 'app.use(cors({ origin: true }))',
      },
      {
        file: 'server.js',
        line: 6,
        framework: 'express',
        origins: 'reflected',
        credentials: true,
        verdict: 'open-with-credentials',
        evidence: 'app.use(cors({origin: true, credentials: true}))',
      },
    ]);
  });

  it('a string, an array or a regex of origins is restricted; origin: false turns CORS off', () => {
    const body =
      "app.use(cors({ origin: 'https://app.example.com' }));\napp.use(cors({ origin: ['https://a.example', /\\.example\\.com$/] }));\napp.use(cors({ origin: false }));\n";
    expect(js(body).map((s) => [s.line, s.origins, s.verdict])).toEqual([
      [5, ['https://app.example.com'], 'restricted'],
      [6, ['https://a.example', '/\\.example\\.com$/'], 'restricted'],
      [7, [], 'restricted'],
    ]);
  });

  it('an options object bound to a name is followed, and so is a list it names', () => {
    const body =
      "const allowed = ['https://app.example.com'];\nconst corsOptions = { origin: allowed, credentials: true };\napp.use(cors(corsOptions));\n";
    expect(js(body)).toEqual([
      {
        file: 'server.js',
        line: 7,
        framework: 'express',
        origins: ['https://app.example.com'],
        credentials: true,
        verdict: 'restricted',
        evidence: 'app.use(cors(corsOptions))',
      },
    ]);
  });

  it('an origin function that allows whatever it is given echoes every origin; one that decides is dynamic', () => {
    const body =
      'app.use(cors({ origin: (origin, cb) => cb(null, true) }));\napp.use(cors({ origin: function (origin, callback) { callback(null, origin); } }));\napp.use(cors({ origin: (origin, cb) => cb(null, allowed.includes(origin)) }));\n';
    expect(js(body).map((s) => [s.line, s.verdict])).toEqual([
      [5, 'open'],
      [6, 'open'],
      [7, 'unknown'],
    ]);
  });

  it('an environment variable is dynamic; an env var with a * fallback is open', () => {
    const body =
      "app.use(cors({ origin: (o, cb) => { if (ok(o)) cb(null, true); } }));\napp.use(cors({ origin: process.env.CLIENT_URL }));\napp.use(cors({ origin: process.env.CLIENT_URL || '*' }));\napp.use(cors(delegate));\n";
    expect(js(body).map((s) => [s.line, s.origins, s.verdict])).toEqual([
      [5, 'dynamic', 'unknown'],
      [6, 'dynamic', 'unknown'],
      [7, '*', 'open'],
      [8, 'dynamic', 'unknown'],
    ]);
  });

  it('require("cors") under another name, used on one route', () => {
    const source =
      "const express = require('express');\nconst allowCors = require('cors');\nconst app = express();\napp.get('/api/chat', allowCors(), handler);\n";
    expect(scan({ 'server.cjs': source })).toEqual([
      {
        file: 'server.cjs',
        line: 4,
        framework: 'express',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: 'allowCors()',
      },
    ]);
  });

  it("res.setHeader / res.header('Access-Control-Allow-Origin', '*') is open", () => {
    const body =
      "app.use((req, res, next) => {\n  res.setHeader('Access-Control-Allow-Origin', '*');\n  next();\n});\napp.get('/x', (req, res) => res.header('Access-Control-Allow-Origin', req.headers.origin).header('Access-Control-Allow-Credentials', 'true').end());\n";
    expect(js(body)).toEqual([
      {
        file: 'server.js',
        line: 6,
        framework: 'express',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: "res.setHeader('Access-Control-Allow-Origin', '*')",
      },
      {
        file: 'server.js',
        line: 9,
        framework: 'express',
        origins: 'reflected',
        credentials: true,
        verdict: 'open-with-credentials',
        evidence: "res.header('Access-Control-Allow-Origin', req.headers.origin)",
      },
    ]);
  });
});

describe('other cors packages', () => {
  it('Hono cors() is open; Koa cors({ credentials: true }) echoes with credentials; Fastify register with a list; nextjs-cors options are its third argument', () => {
    const tree = {
      'hono.ts':
        "import { Hono } from 'hono';\nimport { cors } from 'hono/cors';\nconst app = new Hono();\napp.use('/api/*', cors());\n",
      'koa.js':
        "const Koa = require('koa');\nconst cors = require('@koa/cors');\nconst app = new Koa();\napp.use(cors({ credentials: true }));\n",
      'fastify.js':
        "import Fastify from 'fastify';\nimport cors from '@fastify/cors';\nconst fastify = Fastify();\nawait fastify.register(cors, { origin: ['https://app.example.com'] });\n",
      'pages/api/chat.ts':
        "import NextCors from 'nextjs-cors';\nexport default async function handler(req, res) {\n  await NextCors(req, res, { origin: true, credentials: true });\n}\n",
    };
    expect(scan(tree)).toEqual([
      {
        file: 'hono.ts',
        line: 4,
        framework: 'other',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: "app.use('/api/*', cors())",
      },
      {
        file: 'koa.js',
        line: 4,
        framework: 'other',
        origins: '*',
        credentials: true,
        verdict: 'open-with-credentials',
        evidence: 'app.use(cors({ credentials: true }))',
      },
      {
        file: 'fastify.js',
        line: 4,
        framework: 'other',
        origins: ['https://app.example.com'],
        credentials: false,
        verdict: 'restricted',
        evidence: "fastify.register(cors, { origin: ['https://app.example.com'] })",
      },
      {
        file: 'pages/api/chat.ts',
        line: 3,
        framework: 'nextjs',
        origins: 'reflected',
        credentials: true,
        verdict: 'open-with-credentials',
        evidence: 'NextCors(req, res, { origin: true, credentials: true })',
      },
    ]);
  });
});

describe('Next.js', () => {
  it('next.config.js headers() with * is open; Access-Control-Allow-Credentials beside it is recorded (browsers refuse it with *)', () => {
    const config = [
      'module.exports = {',
      '  async headers() {',
      '    return [',
      '      {',
      "        source: '/api/:path*',",
      '        headers: [',
      "          { key: 'Access-Control-Allow-Origin', value: '*' },",
      "          { key: 'Access-Control-Allow-Credentials', value: 'true' },",
      '        ],',
      '      },',
      "      { source: '/other', headers: [{ key: 'Access-Control-Allow-Origin', value: 'https://app.example.com' }] },",
      '    ];',
      '  },',
      '};',
      '',
    ].join('\n');
    expect(scan({ 'next.config.js': config })).toEqual([
      {
        file: 'next.config.js',
        line: 7,
        framework: 'nextjs',
        origins: '*',
        credentials: true,
        verdict: 'open',
        evidence: "{ key: 'Access-Control-Allow-Origin', value: '*' }",
      },
      {
        file: 'next.config.js',
        line: 11,
        framework: 'nextjs',
        origins: ['https://app.example.com'],
        credentials: false,
        verdict: 'restricted',
        evidence: "{ key: 'Access-Control-Allow-Origin', value: 'https://app.example.com' }",
      },
    ]);
  });

  it("middleware.ts: response.headers.set('Access-Control-Allow-Origin', '*') is open", () => {
    const source =
      "import { NextResponse } from 'next/server';\n\nexport function middleware() {\n  const response = NextResponse.next();\n  response.headers.set('Access-Control-Allow-Origin', '*');\n  return response;\n}\n";
    expect(scan({ 'middleware.ts': source })).toEqual([
      {
        file: 'middleware.ts',
        line: 5,
        framework: 'nextjs',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: "response.headers.set('Access-Control-Allow-Origin', '*')",
      },
    ]);
  });

  it('route handlers: new Response(…, { headers: {…} }) and a headers constant given to NextResponse.json', () => {
    const route = [
      "import { NextResponse } from 'next/server';",
      '',
      'const corsHeaders = {',
      "  'Access-Control-Allow-Origin': '*',",
      "  'Access-Control-Allow-Methods': 'POST, OPTIONS',",
      '};',
      '',
      'export async function OPTIONS() {',
      "  return new Response(null, { headers: { 'Access-Control-Allow-Origin': 'https://app.example.com' } });",
      '}',
      '',
      'export async function POST() {',
      '  return NextResponse.json({ ok: true }, { headers: corsHeaders });',
      '}',
      '',
    ].join('\n');
    expect(scan({ 'next.config.mjs': 'export default {};\n', 'app/api/chat/route.ts': route })).toEqual([
      {
        file: 'app/api/chat/route.ts',
        line: 4,
        framework: 'nextjs',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: "'Access-Control-Allow-Origin': '*'",
      },
      {
        file: 'app/api/chat/route.ts',
        line: 9,
        framework: 'nextjs',
        origins: ['https://app.example.com'],
        credentials: false,
        verdict: 'restricted',
        evidence: "'Access-Control-Allow-Origin': 'https://app.example.com'",
      },
    ]);
  });

  it('the request origin echoed unchecked is reflected; with Allow-Credentials true open with credentials', () => {
    const route = [
      "import { NextRequest, NextResponse } from 'next/server';",
      '',
      'export async function GET(request: NextRequest) {',
      "  const origin = request.headers.get('origin') ?? '*';",
      '  return NextResponse.json({}, { headers: { "Access-Control-Allow-Origin": origin } });',
      '}',
      '',
      'export async function POST(request: NextRequest) {',
      '  const res = NextResponse.json({});',
      "  res.headers.set('Access-Control-Allow-Origin', request.headers.get('origin')!);",
      "  res.headers.set('Access-Control-Allow-Credentials', 'true');",
      '  return res;',
      '}',
      '',
    ].join('\n');
    expect(scan({ 'app/api/x/route.ts': route })).toEqual([
      {
        file: 'app/api/x/route.ts',
        line: 5,
        framework: 'nextjs',
        origins: 'reflected',
        credentials: false,
        verdict: 'open',
        evidence: '"Access-Control-Allow-Origin": origin',
      },
      {
        file: 'app/api/x/route.ts',
        line: 10,
        framework: 'nextjs',
        origins: 'reflected',
        credentials: true,
        verdict: 'open-with-credentials',
        evidence: "res.headers.set('Access-Control-Allow-Origin', request.headers.get('origin')!)",
      },
    ]);
  });

  it('the origin checked against a literal list is restricted to it (the Next.js docs middleware); another check is dynamic', () => {
    const middleware = [
      "import { NextResponse, type NextRequest } from 'next/server';",
      '',
      "const allowedOrigins = ['https://acme.com', 'https://my-app.org'];",
      '',
      'export function middleware(request: NextRequest) {',
      "  const origin = request.headers.get('origin') ?? '';",
      '  const isAllowedOrigin = allowedOrigins.includes(origin);',
      '  const response = NextResponse.next();',
      "  if (isAllowedOrigin) response.headers.set('Access-Control-Allow-Origin', origin);",
      '  return response;',
      '}',
      '',
    ].join('\n');
    const proxy = [
      "import { NextResponse, type NextRequest } from 'next/server';",
      "import { isTrusted } from './trust';",
      '',
      'export function proxy(request: NextRequest) {',
      "  const origin = request.headers.get('origin');",
      '  const response = NextResponse.next();',
      "  if (origin && isTrusted(origin)) response.headers.set('Access-Control-Allow-Origin', origin);",
      '  return response;',
      '}',
      '',
    ].join('\n');
    expect(scan({ 'middleware.ts': middleware, 'proxy.ts': proxy })).toEqual([
      {
        file: 'middleware.ts',
        line: 9,
        framework: 'nextjs',
        origins: ['https://acme.com', 'https://my-app.org'],
        credentials: false,
        verdict: 'restricted',
        evidence: "response.headers.set('Access-Control-Allow-Origin', origin)",
      },
      {
        file: 'proxy.ts',
        line: 7,
        framework: 'nextjs',
        origins: 'dynamic',
        credentials: false,
        verdict: 'unknown',
        evidence: "response.headers.set('Access-Control-Allow-Origin', origin)",
      },
    ]);
  });

  it('a route handler in an app the project model found is nextjs, with no next.config and no import from next', () => {
    const { dir, cleanup } = tempDir('aisc-cors-');
    cleanups.push(cleanup);
    const route =
      "export async function POST() {\n  return new Response('ok', { headers: [['Access-Control-Allow-Origin', '*']] });\n}\n";
    writeTree(dir, { 'web/app/api/chat/route.ts': route });
    const file = join(dir, 'web/app/api/chat/route.ts');
    expect(findCorsSites([file], new Overlay(), [dir]).map((s) => s.framework)).toEqual(['other']);
    expect(findCorsSites([file], new Overlay(), [dir], [join(dir, 'web')]).map((s) => s.framework)).toEqual(['nextjs']);
  });

  it('a Pages Router API route inside a Next.js app is nextjs (res.setHeader)', () => {
    const handler =
      "export default function handler(req, res) {\n  res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');\n  res.json({});\n}\n";
    expect(scan({ 'web/next.config.ts': 'export default {};\n', 'web/pages/api/x.ts': handler })).toEqual([
      {
        file: 'web/pages/api/x.ts',
        line: 2,
        framework: 'nextjs',
        origins: ['https://app.example.com'],
        credentials: false,
        verdict: 'restricted',
        evidence: "res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com')",
      },
    ]);
  });
});

describe('the header anywhere else', () => {
  it("a plain Node server's writeHead is other", () => {
    const source =
      "import http from 'node:http';\nhttp.createServer((req, res) => {\n  res.writeHead(200, { 'Access-Control-Allow-Origin': '*' });\n  res.end();\n});\n";
    expect(scan({ 'server.mjs': source })).toEqual([
      {
        file: 'server.mjs',
        line: 3,
        framework: 'other',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: "'Access-Control-Allow-Origin': '*'",
      },
    ]);
  });

  it('vercel.json headers are other', () => {
    const json =
      '{\n  "headers": [\n    {\n      "source": "/api/(.*)",\n      "headers": [\n        { "key": "Access-Control-Allow-Origin", "value": "*" }\n      ]\n    }\n  ]\n}\n';
    expect(scan({ 'vercel.json': json })).toEqual([
      {
        file: 'vercel.json',
        line: 6,
        framework: 'other',
        origins: '*',
        credentials: false,
        verdict: 'open',
        evidence: '{ "key": "Access-Control-Allow-Origin", "value": "*" }',
      },
    ]);
  });
});

describe('what is not a CORS configuration', () => {
  it('comments and strings that mention CORS', () => {
    const tree = {
      'main.py':
        '# TODO: add CORSMiddleware with allow_origins=["*"]\nDOC = "CORS(app) lets everyone in"\nprint("Access-Control-Allow-Origin: *")\n',
      'server.ts':
        "// app.use(cors())\nconst doc = \"res.setHeader('Access-Control-Allow-Origin', '*')\";\nconsole.log(doc, 'cors');\n",
    };
    expect(scan(tree)).toEqual([]);
  });

  it('reading the header is not setting it', () => {
    expect(scan({ 'check.ts': "const v = response.headers.get('Access-Control-Allow-Origin');\n" })).toEqual([]);
  });

  it('a file that does not parse yields nothing, and the others are still read', () => {
    const tree = {
      'broken.py':
        'from fastapi.middleware.cors import CORSMiddleware\napp.add_middleware(CORSMiddleware, allow_origins=["*"])\n\ndef later(:\n    pass\n',
      'broken.ts': "app.use(cors({ origin: '*' );\n",
      'ok.js': "import cors from 'cors';\napp.use(cors());\n",
    };
    expect(scan(tree).map((s) => s.file)).toEqual(['ok.js']);
  });

  it('test files are skipped', () => {
    const tree = {
      'server.test.ts': "import cors from 'cors';\napp.use(cors());\n",
      'tests/test_api.py': 'from flask_cors import CORS\nCORS(app)\n',
      'tests/app.py': 'from flask_cors import CORS\nCORS(app)\n',
      '__mocks__/server.js': "import cors from 'cors';\napp.use(cors());\n",
    };
    expect(scan(tree)).toEqual([]);
  });

  it('a project that lives under a folder named test is not a test: only its own path counts', () => {
    const { dir, cleanup } = tempDir('aisc-cors-');
    cleanups.push(cleanup);
    const root = join(dir, 'test', 'app');
    writeTree(root, { 'server.js': "import cors from 'cors';\napp.use(cors());\n" });
    expect(findCorsSites([join(root, 'server.js')], new Overlay(), [root])).toHaveLength(1);
    expect(findCorsSites([join(root, 'server.js')], new Overlay(), [dir])).toEqual([]);
  });

  it('only files that mention CORS are read', () => {
    const read: string[] = [];
    class Recording extends Overlay {
      override read(path: string): string | undefined {
        read.push(relative(dir, path));
        return super.read(path);
      }
    }
    const { dir, cleanup } = tempDir('aisc-cors-');
    cleanups.push(cleanup);
    writeTree(dir, {
      'a.ts': 'export const a = 1;\n',
      'b.py': 'x = 1\n',
      'c.ts': "import cors from 'cors';\napp.use(cors());\n",
    });
    const sites = findCorsSites(
      ['a.ts', 'b.py', 'c.ts'].map((f) => join(dir, f)),
      new Recording(),
      [dir],
    );
    expect(read).toEqual(['c.ts']);
    expect(sites).toHaveLength(1);
  });

  it('long configurations are shortened to about 100 characters', () => {
    const [site] = py(
      `${FASTAPI}app.add_middleware(\n    CORSMiddleware,\n    allow_origins=["*"],\n    allow_credentials=True,\n    allow_methods=["GET", "POST", "OPTIONS"],\n    allow_headers=["Authorization", "Content-Type"],\n)\n`,
    );
    expect(site!.evidence).toBe(
      'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["GET…',
    );
    expect(site!.evidence).toHaveLength(100);
  });
});
