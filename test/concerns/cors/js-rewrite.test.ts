// The CORS rewrites for JavaScript and TypeScript (src/concerns/cors/js/): Express `cors` and
// headers set by hand, Next.js route handlers and middleware through the helper, next.config's
// static headers. Each case asserts the whole output text and the results; every output re-parses,
// and a second run over it changes nothing. Then the helper itself (templates/next/cors.ts): what
// it answers, and that it and the code we write with it type-check.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSource } from '../../../src/lang/js/parse.js';
import { allowedOrigin, corsHeaders } from '../../../templates/next/cors.js';
import type { CorsRewrite } from '../../../src/concerns/cors/result.js';
import { restrictExpressCors } from '../../../src/concerns/cors/js/express.js';
import { removeStaticCorsHeader } from '../../../src/concerns/cors/js/next-config.js';
import { restrictNextCors } from '../../../src/concerns/cors/js/next-handlers.js';
import { ROOT, scratchDir } from '../../templates/helper-loader.js';

const LOCALHOST = { defaultOrigins: ['http://localhost:3000'] };
const HELPER = { helperSpecifier: '@/lib/cors' };
const LIST =
  "const allowedOrigins = (process.env.ALLOWED_ORIGINS || 'http://localhost:3000').split(',').map((origin) => origin.trim()).filter((origin) => origin && origin !== '*');";
const FROM_ENV = '(from ALLOWED_ORIGINS, default http://localhost:3000)';

/** Runs a rewrite, checks that its output parses and that a second run changes nothing. */
function twice<R extends { output: string; results: CorsRewrite[] }>(
  path: string,
  source: string,
  rewrite: (path: string, source: string) => R,
): R & { again: R } {
  const first = rewrite(path, source);
  expect(() => parseSource(path, first.output)).not.toThrow();
  const again = rewrite(path, first.output);
  expect(again.output).toBe(first.output);
  expect(again.results.filter((r) => r.changed)).toEqual([]);
  return { ...first, again };
}

const express = (path: string, source: string, opts = LOCALHOST) =>
  twice(path, source, (p, s) => restrictExpressCors(p, s, opts));
const next = (path: string, source: string, opts = HELPER) =>
  twice(path, source, (p, s) => restrictNextCors(p, s, opts));
const config = (path: string, source: string) => twice(path, source, removeStaticCorsHeader);

describe('restrictExpressCors', () => {
  it('cors() with no options: { origin: allowedOrigins }, the list declared once after the imports (ESM, TypeScript)', () => {
    const source = `import express from 'express';
import cors from 'cors';

const app = express();
app.use(cors());
app.use(express.json());

app.listen(3000);
`;
    const result = express('server.ts', source);
    expect(result.output).toBe(`import express from 'express';
import cors from 'cors';

${LIST}

const app = express();
app.use(cors({ origin: allowedOrigins }));
app.use(express.json());

app.listen(3000);
`);
    expect(result.results).toEqual([
      {
        line: 5,
        changed: true,
        severity: 'high',
        message: `cors() lets any website call this server (no origin: the cors package defaults to "*") → cors({ origin: allowedOrigins }) ${FROM_ENV}`,
      },
    ]);
    expect(result.again.results).toEqual([
      {
        line: 7,
        changed: false,
        severity: 'info',
        message: 'cors({ origin: allowedOrigins }) already reads ALLOWED_ORIGINS: left as it is',
      },
    ]);
  });

  it("origin: '*' becomes the list, other options kept; after `import 'dotenv/config'`", () => {
    const source = `import express from 'express';
import cors from 'cors';
import 'dotenv/config';

const app = express();
app.use(
  cors({
    origin: '*',
    methods: ['GET', 'POST'],
  }),
);
`;
    const result = express('server.mjs', source);
    expect(result.output).toBe(`import express from 'express';
import cors from 'cors';
import 'dotenv/config';

${LIST}

const app = express();
app.use(
  cors({
    origin: allowedOrigins,
    methods: ['GET', 'POST'],
  }),
);
`);
    expect(result.results).toEqual([
      {
        line: 8,
        changed: true,
        severity: 'high',
        message: `cors({origin: '*', methods: ['GET', 'POST']}) lets any website call this server (origin: '*') → origin: allowedOrigins ${FROM_ENV}`,
      },
    ]);
  });

  it('origin: true with credentials: critical (any website acts as the logged-in user); credentials and maxAge kept', () => {
    const source = `import express from 'express';
import cors from 'cors';

const app = express();
app.use(cors({ origin: true, credentials: true, maxAge: 600 }));
`;
    const result = express('server.js', source);
    expect(result.output).toBe(`import express from 'express';
import cors from 'cors';

${LIST}

const app = express();
app.use(cors({ origin: allowedOrigins, credentials: true, maxAge: 600 }));
`);
    expect(result.results).toEqual([
      {
        line: 5,
        changed: true,
        severity: 'critical',
        message: `cors({ origin: true, credentials: true, maxAge: 600 }) lets any website call this server (origin: true): it echoes any caller's origin with credentials, so any website can make requests as the logged-in user → origin: allowedOrigins ${FROM_ENV}`,
      },
    ]);
  });

  it("res.setHeader('Access-Control-Allow-Origin', '*') in a handler: only an allowed Origin is sent back, with Vary: Origin", () => {
    const source = `import express from 'express';

const app = express();

app.post('/api/chat', async (req, res) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'POST');
  res.json(await answer(req.body));
});
`;
    const result = express('server.ts', source);
    expect(result.output).toBe(`import express from 'express';

${LIST}

const app = express();

app.post('/api/chat', async (req, res) => {
  const origin = req.headers.origin;
  if (origin && allowedOrigins.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'POST');
  res.json(await answer(req.body));
});
`);
    expect(result.results).toEqual([
      {
        line: 6,
        changed: true,
        severity: 'high',
        message: `res.setHeader('Access-Control-Allow-Origin', '*') lets any website call this server → sent only when the request's Origin is in allowedOrigins, with Vary: Origin ${FROM_ENV}`,
      },
    ]);
    expect(result.again.results).toEqual([
      {
        line: 9,
        changed: false,
        severity: 'info',
        message:
          "res.setHeader('Access-Control-Allow-Origin', origin) already sends only an Origin in allowedOrigins: left as it is",
      },
    ]);
  });

  it('CommonJS without semicolons: after the requires and the dotenv call (its comment kept), options bound to a name, a one-line middleware', () => {
    const source = `const express = require('express')
const cors = require('cors')
require('dotenv').config() // reads .env

const corsOptions = {
  origin: '*',
  credentials: true
}

const app = express()
app.use(cors(corsOptions))
app.use((req, res, next) => { res.header('Access-Control-Allow-Origin', '*'); next() })

module.exports = app
`;
    const result = express('server.js', source);
    expect(result.output).toBe(`const express = require('express')
const cors = require('cors')
require('dotenv').config() // reads .env

${LIST.slice(0, -1)}

const corsOptions = {
  origin: allowedOrigins,
  credentials: true
}

const app = express()
app.use(cors(corsOptions))
app.use((req, res, next) => { const origin = req.headers.origin; if (origin && allowedOrigins.includes(origin)) res.header('Access-Control-Allow-Origin', origin); res.header('Vary', 'Origin'); next() })

module.exports = app
`);
    expect(result.results).toEqual([
      {
        line: 6,
        changed: true,
        severity: 'critical',
        message: `cors(corsOptions) lets any website call this server (origin: '*') with credentials: true → origin: allowedOrigins ${FROM_ENV}`,
      },
      {
        line: 12,
        changed: true,
        severity: 'high',
        message: `res.header('Access-Control-Allow-Origin', '*') lets any website call this server → sent only when the request's Origin is in allowedOrigins, with Vary: Origin ${FROM_ENV}`,
      },
    ]);
  });

  it('CRLF and double quotes: every line we add ends in CRLF and quotes like the file; origin added first in a multi-line object', () => {
    const lines = (...l: string[]) => `${l.join('\r\n')}\r\n`;
    const source = lines(
      'const express = require("express");',
      'const cors = require("cors");',
      '',
      'const app = express();',
      'app.use(cors({',
      '  credentials: true,',
      '}));',
      'app.get("/", function (req, res) {',
      '  res.set("Access-Control-Allow-Origin", "*");',
      '  res.send("ok");',
      '});',
    );
    const result = express('server.js', source);
    expect(result.output).toBe(
      lines(
        'const express = require("express");',
        'const cors = require("cors");',
        '',
        'const allowedOrigins = (process.env.ALLOWED_ORIGINS || "http://localhost:3000").split(",").map((origin) => origin.trim()).filter((origin) => origin && origin !== "*");',
        '',
        'const app = express();',
        'app.use(cors({',
        '  origin: allowedOrigins,',
        '  credentials: true,',
        '}));',
        'app.get("/", function (req, res) {',
        '  const origin = req.headers.origin;',
        '  if (origin && allowedOrigins.includes(origin)) res.set("Access-Control-Allow-Origin", origin);',
        '  res.set("Vary", "Origin");',
        '  res.send("ok");',
        '});',
      ),
    );
    expect(result.output.replaceAll('\r\n', '')).not.toContain('\n');
    expect(result.results.map((r) => [r.line, r.severity, r.changed])).toEqual([
      [5, 'critical', true],
      [9, 'high', true],
    ]);
  });

  it("the default origins come from the caller; a taken `allowedOrigins` (the user's own list, left alone) gives another name", () => {
    const source = `import cors from 'cors';
import express from 'express';

const allowedOrigins = ['https://app.example.com'];
const app = express();
app.use('/public', cors());
app.use('/app', cors({ origin: allowedOrigins }));
`;
    const result = express('server.ts', source, {
      defaultOrigins: ['https://app.example.com', 'https://admin.example.com'],
    });
    expect(result.output).toBe(`import cors from 'cors';
import express from 'express';

const corsAllowedOrigins = (process.env.ALLOWED_ORIGINS || 'https://app.example.com,https://admin.example.com').split(',').map((origin) => origin.trim()).filter((origin) => origin && origin !== '*');

const allowedOrigins = ['https://app.example.com'];
const app = express();
app.use('/public', cors({ origin: corsAllowedOrigins }));
app.use('/app', cors({ origin: allowedOrigins }));
`);
    expect(result.results).toEqual([
      {
        line: 6,
        changed: true,
        severity: 'high',
        message:
          'cors() lets any website call this server (no origin: the cors package defaults to "*") → cors({ origin: corsAllowedOrigins }) (from ALLOWED_ORIGINS, default https://app.example.com,https://admin.example.com)',
      },
      {
        line: 7,
        changed: false,
        severity: 'info',
        message: 'cors({ origin: allowedOrigins }) already lists its origins (origin: allowedOrigins): left as it is',
      },
    ]);
  });

  it('Node http: an Origin echoed unchecked is checked against the list; one compared first is left alone', () => {
    const source = `import http from 'node:http';

http.createServer((req, res) => {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
  res.end('ok');
}).listen(3000);

http.createServer((req, res) => {
  const origin = req.headers.origin;
  if (origin === 'https://app.example.com') res.setHeader('Access-Control-Allow-Origin', origin);
  res.end('ok');
}).listen(3001);
`;
    const result = express('server.ts', source);
    expect(result.output).toBe(`import http from 'node:http';

${LIST}

http.createServer((req, res) => {
  const origin = req.headers.origin;
  if (origin && allowedOrigins.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.end('ok');
}).listen(3000);

http.createServer((req, res) => {
  const origin = req.headers.origin;
  if (origin === 'https://app.example.com') res.setHeader('Access-Control-Allow-Origin', origin);
  res.end('ok');
}).listen(3001);
`);
    expect(result.results).toEqual([
      {
        line: 4,
        changed: true,
        severity: 'high',
        message: `res.setHeader('Access-Control-Allow-Origin', req.headers.origin) lets any website call this server (it echoes any caller's origin unchecked) → sent only when the request's Origin is in allowedOrigins, with Vary: Origin ${FROM_ENV}`,
      },
    ]);
  });

  it('a Pages API route and an Express error handler: the request is the parameter before the response', () => {
    const source = `import type { NextApiRequest, NextApiResponse } from 'next';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.status(200).json({ ok: true });
}

export function onError(err: Error, request: NextApiRequest, response: NextApiResponse) {
  if (err) {
    response.setHeader('Access-Control-Allow-Origin', '*');
  }
  response.status(500).end();
}
`;
    const result = express('pages/api/chat.ts', source);
    expect(result.output).toBe(`import type { NextApiRequest, NextApiResponse } from 'next';

${LIST}

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const origin = req.headers.origin;
  if (origin && allowedOrigins.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.status(200).json({ ok: true });
}

export function onError(err: Error, request: NextApiRequest, response: NextApiResponse) {
  if (err) {
    const origin = request.headers.origin;
    if (origin && allowedOrigins.includes(origin)) response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Vary', 'Origin');
  }
  response.status(500).end();
}
`);
    // The Next.js rewrite has no Request to give the helper there: it reports.
    const viaNext = restrictNextCors('pages/api/chat.ts', source, HELPER);
    expect(viaNext.output).toBe(source);
    expect(
      viaNext.results.map((r) => [
        r.line,
        r.severity,
        r.changed,
        r.message.includes('a Node-style (req, res) handler'),
      ]),
    ).toEqual([
      [4, 'high', false, true],
      [10, 'high', false, true],
    ]);
  });

  it('an ALLOWED_ORIGINS read that may be undefined (then cors lets everyone in) is not taken for the list', () => {
    const source = `import cors from 'cors';
import express from 'express';

const origins = process.env.ALLOWED_ORIGINS?.split(',');
express().use(cors({ origin: origins }));
`;
    const result = express('server.ts', source);
    expect(result.output).toBe(source);
    expect(result.results).toEqual([
      {
        line: 5,
        changed: false,
        severity: 'medium',
        message:
          'cors({ origin: origins }): its origin is computed: not rewritten, we cannot tell which origins it lets in; make sure they are only known ones (ALLOWED_ORIGINS)',
      },
    ]);
  });

  it('reports, never guesses: origin functions and env values, computed options, a header with no request in reach, header objects, other CORS packages', () => {
    const source = `const express = require('express');
const cors = require('cors');
const { cors: honoCors } = require('hono/cors');

const app = express();
app.use(cors({ origin: (origin, callback) => callback(null, true) }));
app.use(cors({ origin: process.env.CORS_ORIGIN }));
app.use(cors(loadOptions()));
hono.use('*', honoCors());

function allowAll(res) {
  res.setHeader('Access-Control-Allow-Origin', '*');
}

app.get('/x', (req, res) => {
  res.writeHead(200, { 'Access-Control-Allow-Origin': '*' });
  res.end();
});
`;
    const result = express('server.js', source);
    expect(result.output).toBe(source);
    const unknown =
      'not rewritten, we cannot tell which origins it lets in; make sure they are only known ones (ALLOWED_ORIGINS)';
    expect(result.results).toEqual([
      {
        line: 6,
        changed: false,
        severity: 'medium',
        message: `cors({ origin: (origin, callback) => callback(null, true) }): its origin is computed: ${unknown}`,
      },
      {
        line: 7,
        changed: false,
        severity: 'medium',
        message: `cors({ origin: process.env.CORS_ORIGIN }): its origin is computed: ${unknown}`,
      },
      {
        line: 8,
        changed: false,
        severity: 'medium',
        message: `cors(loadOptions()): options computed (loadOptions()): ${unknown}`,
      },
      {
        line: 9,
        changed: false,
        severity: 'high',
        message:
          'honoCors() (hono/cors) lets any website call this server; not rewritten: set `origin` to the origins in ALLOWED_ORIGINS',
      },
      {
        line: 12,
        changed: false,
        severity: 'high',
        message:
          "res.setHeader('Access-Control-Allow-Origin', '*') lets any website call this server; no (req, res) handler in reach to read the request's Origin from: send it only when the request's Origin is in ALLOWED_ORIGINS, with Vary: Origin",
      },
      {
        line: 16,
        changed: false,
        severity: 'high',
        message:
          "'Access-Control-Allow-Origin': '*' lets any website call this server; set in an object, not rewritten: send Access-Control-Allow-Origin only when the request's Origin is in ALLOWED_ORIGINS, with Vary: Origin",
      },
    ]);
  });
});

describe('restrictNextCors', () => {
  it('route handler: the headers object becomes corsHeaders(request, { …the others }); OPTIONS without a parameter gets `request: Request`', () => {
    const source = `import { NextResponse } from 'next/server';

export async function OPTIONS() {
  return new Response(null, {
    status: 204,
    headers: {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
    },
  });
}

export async function POST(req: Request) {
  const { prompt } = await req.json();
  return NextResponse.json({ prompt }, { headers: { 'Access-Control-Allow-Origin': '*' } });
}
`;
    const result = next('app/api/chat/route.ts', source);
    expect(result.output).toBe(ROUTE_OUT);
    expect(result.usesHelper).toBe(true);
    expect(result.again.usesHelper).toBe(false);
    expect(result.results).toEqual([
      {
        line: 7,
        changed: true,
        severity: 'high',
        message:
          "'Access-Control-Allow-Origin': '*' lets any website call the OPTIONS handler → headers: corsHeaders(request, { … }), which sends it only to an origin in ALLOWED_ORIGINS, with Vary: Origin (from ALLOWED_ORIGINS)",
      },
      {
        line: 15,
        changed: true,
        severity: 'high',
        message:
          "'Access-Control-Allow-Origin': '*' lets any website call the POST handler → headers: corsHeaders(req), which sends it only to an origin in ALLOWED_ORIGINS, with Vary: Origin (from ALLOWED_ORIGINS)",
      },
    ]);
  });

  it("headers.set('Access-Control-Allow-Origin', '*'): allowedOrigin(request), in the statement's own indentation", () => {
    const result = next('app/api/models/route.ts', SET_IN);
    expect(result.output).toBe(`import { NextResponse } from 'next/server';
import { allowedOrigin } from '@/lib/cors';

export async function GET(request: Request) {
  const res = NextResponse.json({ ok: request.url.length > 0 });
  if (request.headers.has('x-debug')) {
    const origin = allowedOrigin(request);
    if (origin) res.headers.set('Access-Control-Allow-Origin', origin);
    res.headers.set('Vary', 'Origin');
  }
  res.headers.set('Access-Control-Allow-Methods', 'GET');
  return res;
}
`);
    expect(result.results).toEqual([
      {
        line: 6,
        changed: true,
        severity: 'high',
        message:
          "res.headers.set('Access-Control-Allow-Origin', '*') lets any website call the GET handler → sent only for the origin allowedOrigin(request) allows (one in ALLOWED_ORIGINS), with Vary: Origin (from ALLOWED_ORIGINS)",
      },
    ]);
    expect(result.again.results).toEqual([
      {
        line: 8,
        changed: false,
        severity: 'info',
        message:
          "res.headers.set('Access-Control-Allow-Origin', origin) already sends only an origin in ALLOWED_ORIGINS (origin from allowedOrigin): left as it is",
      },
    ]);
  });

  it('JavaScript handlers without a parameter (a function and an arrow) get an untyped `request`; no semicolons', () => {
    const source = `export function OPTIONS() {
  return new Response(null, { headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Content-Type' } })
}

export const GET = () => Response.json({ ok: true }, { headers: { 'Access-Control-Allow-Origin': '*' } })
`;
    const result = next('app/api/health/route.js', source);
    expect(result.output).toBe(`import { corsHeaders } from '@/lib/cors'

export function OPTIONS(request) {
  return new Response(null, { headers: corsHeaders(request, { 'Access-Control-Allow-Headers': 'Content-Type' }) })
}

export const GET = (request) => Response.json({ ok: true }, { headers: corsHeaders(request) })
`);
    expect(result.results.map((r) => [r.line, r.severity, r.changed])).toEqual([
      [2, 'high', true],
      [5, 'high', true],
    ]);
  });

  it('middleware.ts: its preflight answer and response.headers.set, with its `request`; credentials make it critical', () => {
    const result = next('middleware.ts', MIDDLEWARE_IN);
    expect(result.output).toBe(MIDDLEWARE_OUT);
    expect(result.results).toEqual([
      {
        line: 5,
        changed: true,
        severity: 'critical',
        message:
          "'Access-Control-Allow-Origin': '*' lets any website call the middleware with credentials → headers: corsHeaders(request, { … }), which sends it only to an origin in ALLOWED_ORIGINS, with Vary: Origin (from ALLOWED_ORIGINS)",
      },
      {
        line: 8,
        changed: true,
        severity: 'critical',
        message:
          "response.headers.set('Access-Control-Allow-Origin', '*') lets any website call the middleware with credentials → sent only for the origin allowedOrigin(request) allows (one in ALLOWED_ORIGINS), with Vary: Origin (from ALLOWED_ORIGINS)",
      },
    ]);
  });

  it('a module-level headers object used by the handlers: the header leaves it, each use is wrapped (helper aliased: the name is taken); an echoed origin goes with its variable', () => {
    const source = `import { NextResponse } from 'next/server';

const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};

export async function OPTIONS() {
  return new Response(null, { headers: corsHeaders });
}

export async function POST(request: Request) {
  const origin = request.headers.get('origin');
  const body = await request.json();
  return NextResponse.json(body, { headers: { ...corsHeaders, 'Access-Control-Allow-Origin': origin ?? '*' } });
}
`;
    const result = next('app/api/chat/route.ts', source);
    expect(result.output).toBe(`import { NextResponse } from 'next/server';
import { corsHeaders as aiSecureCorsHeaders } from '@/lib/cors';

const corsHeaders = {
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};

export async function OPTIONS(request: Request) {
  return new Response(null, { headers: aiSecureCorsHeaders(request, corsHeaders) });
}

export async function POST(request: Request) {
  const body = await request.json();
  return NextResponse.json(body, { headers: aiSecureCorsHeaders(request, { ...corsHeaders }) });
}
`);
    expect(result.results).toEqual([
      {
        line: 4,
        changed: true,
        severity: 'high',
        message:
          "'Access-Control-Allow-Origin': '*' in `corsHeaders` lets any website call the OPTIONS handler, the POST handler → removed from `corsHeaders`; where it is used, aiSecureCorsHeaders(request, corsHeaders) sends it only to an origin in ALLOWED_ORIGINS, with Vary: Origin (from ALLOWED_ORIGINS)",
      },
      {
        line: 15,
        changed: true,
        severity: 'high',
        message:
          "'Access-Control-Allow-Origin': origin ?? '*' lets any website call the POST handler (it echoes any caller's origin unchecked) → headers: aiSecureCorsHeaders(request, { … }), which sends it only to an origin in ALLOWED_ORIGINS, with Vary: Origin (from ALLOWED_ORIGINS)",
      },
    ]);
  });

  it('an existing import of the helper is reused and extended', () => {
    const source = `import { corsHeaders } from '@/lib/cors';

export async function OPTIONS(request: Request) {
  return new Response(null, { headers: corsHeaders(request) });
}

export async function POST(request: Request) {
  const res = Response.json({ ok: true });
  res.headers.set('Access-Control-Allow-Origin', '*');
  return res;
}
`;
    const result = next('app/api/chat/route.ts', source);
    expect(result.output).toBe(`import { corsHeaders, allowedOrigin } from '@/lib/cors';

export async function OPTIONS(request: Request) {
  return new Response(null, { headers: corsHeaders(request) });
}

export async function POST(request: Request) {
  const res = Response.json({ ok: true });
  const origin = allowedOrigin(request);
  if (origin) res.headers.set('Access-Control-Allow-Origin', origin);
  res.headers.set('Vary', 'Origin');
  return res;
}
`);
  });

  it('reports what it cannot rewrite safely (no request in reach, a computed value) and leaves fixed origins alone', () => {
    const source = `import { NextResponse } from 'next/server';

function withCors(res: Response) {
  res.headers.set('Access-Control-Allow-Origin', '*');
  return res;
}

export async function GET() {
  return withCors(NextResponse.json({ ok: true }, { headers: { 'Access-Control-Allow-Origin': process.env.APP_ORIGIN ?? '' } }));
}

export async function POST() {
  return NextResponse.json({ ok: true }, { headers: { 'Access-Control-Allow-Origin': 'https://app.example.com' } });
}
`;
    const result = next('app/api/chat/route.ts', source);
    expect(result.output).toBe(source);
    expect(result.usesHelper).toBe(false);
    expect(result.results).toEqual([
      {
        line: 4,
        changed: false,
        severity: 'high',
        message:
          "res.headers.set('Access-Control-Allow-Origin', '*') lets any website call this server; not in a route handler or middleware whose request we can pass: const origin = allowedOrigin(request) from @/lib/cors; set the header only if (origin), with Vary: Origin",
      },
      {
        line: 9,
        changed: false,
        severity: 'medium',
        message:
          "'Access-Control-Allow-Origin': process.env.APP_ORIGIN ?? '': its value is computed: not rewritten, we cannot tell which origins it lets in; make sure they are only known ones (ALLOWED_ORIGINS: allowedOrigin(request) from @/lib/cors gives the allowed one)",
      },
    ]);
  });
});

describe('removeStaticCorsHeader', () => {
  it('removes the `*` entries, and a route left with no header, and returns the paths they covered', () => {
    const source = `/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [
      {
        source: '/api/:path*',
        headers: [
          { key: 'Access-Control-Allow-Credentials', value: 'true' },
          { key: 'Access-Control-Allow-Origin', value: '*' },
          { key: 'Access-Control-Allow-Methods', value: 'GET,OPTIONS,POST' },
        ],
      },
      {
        source: '/embed/:id',
        headers: [{ key: 'Access-Control-Allow-Origin', value: '*' }],
      },
      {
        source: '/(.*)',
        headers: [{ key: 'X-Frame-Options', value: 'DENY' }],
      },
    ];
  },
};

module.exports = nextConfig;
`;
    const result = config('next.config.js', source);
    expect(result.output).toBe(`/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [
      {
        source: '/api/:path*',
        headers: [
          { key: 'Access-Control-Allow-Credentials', value: 'true' },
          { key: 'Access-Control-Allow-Methods', value: 'GET,OPTIONS,POST' },
        ],
      },
      {
        source: '/(.*)',
        headers: [{ key: 'X-Frame-Options', value: 'DENY' }],
      },
    ];
  },
};

module.exports = nextConfig;
`);
    expect(result.sources).toEqual(['/api/:path*', '/embed/:id']);
    expect(result.again.sources).toEqual([]);
    expect(result.results).toEqual([
      {
        line: 9,
        changed: true,
        severity: 'critical',
        message:
          "next.config headers(): Access-Control-Allow-Origin: * lets any website call /api/:path* with credentials → removed: a static header cannot check the request's origin; middleware must answer CORS for this path",
      },
      {
        line: 15,
        changed: true,
        severity: 'high',
        message:
          "next.config headers(): Access-Control-Allow-Origin: * lets any website call /embed/:id → removed: a static header cannot check the request's origin; middleware must answer CORS for this path",
      },
    ]);
  });

  it('a headers array bound to a name (next.config.ts): removed from it, the paths of every route that uses it', () => {
    const source = `import type { NextConfig } from 'next'

const cors = [
  { key: 'Access-Control-Allow-Origin', value: '*' },
  { key: 'Access-Control-Allow-Methods', value: 'GET' },
]

const config: NextConfig = {
  headers: async () => [
    { source: '/api/:path*', headers: cors },
    { source: '/v1/:path*', headers: cors },
  ],
}

export default config
`;
    const result = config('next.config.ts', source);
    expect(result.output).toBe(source.replace("  { key: 'Access-Control-Allow-Origin', value: '*' },\n", ''));
    expect(result.sources).toEqual(['/api/:path*', '/v1/:path*']);
    expect(result.results.map((r) => [r.line, r.severity, r.changed])).toEqual([[4, 'high', true]]);
  });

  it('leaves a fixed origin alone and reports a computed one', () => {
    const source = `export default {
  async headers() {
    return [
      { source: '/api/:path*', headers: [{ key: 'Access-Control-Allow-Origin', value: 'https://app.example.com' }] },
      { source: '/v2/:path*', headers: [{ key: 'Access-Control-Allow-Origin', value: process.env.ORIGIN }] },
    ];
  },
};
`;
    const result = config('next.config.mjs', source);
    expect(result.output).toBe(source);
    expect(result.sources).toEqual([]);
    expect(result.results).toEqual([
      {
        line: 5,
        changed: false,
        severity: 'medium',
        message:
          "next.config headers(): Access-Control-Allow-Origin is process.env.ORIGIN, computed; make sure it is never `*`: a static header cannot check the request's origin, middleware can",
      },
    ]);
  });
});

// Shared with the type check below: outputs that must compile against the helper.
const ROUTE_OUT = `import { NextResponse } from 'next/server';
import { corsHeaders } from '@/lib/cors';

export async function OPTIONS(request: Request) {
  return new Response(null, {
    status: 204,
    headers: corsHeaders(request, {
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
    }),
  });
}

export async function POST(req: Request) {
  const { prompt } = await req.json();
  return NextResponse.json({ prompt }, { headers: corsHeaders(req) });
}
`;

const SET_IN = `import { NextResponse } from 'next/server';

export async function GET(request: Request) {
  const res = NextResponse.json({ ok: request.url.length > 0 });
  if (request.headers.has('x-debug')) {
    res.headers.set('Access-Control-Allow-Origin', '*');
  }
  res.headers.set('Access-Control-Allow-Methods', 'GET');
  return res;
}
`;

const MIDDLEWARE_IN = `import { NextResponse, type NextRequest } from 'next/server'

export function middleware(request: NextRequest) {
  if (request.method === 'OPTIONS') {
    return new NextResponse(null, { status: 204, headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' } })
  }
  const response = NextResponse.next()
  response.headers.set('Access-Control-Allow-Origin', '*')
  return response
}

export const config = { matcher: '/api/:path*' }
`;

const MIDDLEWARE_OUT = `import { NextResponse, type NextRequest } from 'next/server'
import { corsHeaders, allowedOrigin } from '@/lib/cors'

export function middleware(request: NextRequest) {
  if (request.method === 'OPTIONS') {
    return new NextResponse(null, { status: 204, headers: corsHeaders(request, { 'Access-Control-Allow-Credentials': 'true' }) })
  }
  const response = NextResponse.next()
  const origin = allowedOrigin(request)
  if (origin) response.headers.set('Access-Control-Allow-Origin', origin)
  response.headers.set('Vary', 'Origin')
  return response
}

export const config = { matcher: '/api/:path*' }
`;

describe('the helper (templates/next/cors.ts)', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.ALLOWED_ORIGINS;
    delete process.env.ALLOWED_ORIGINS;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.ALLOWED_ORIGINS;
    else process.env.ALLOWED_ORIGINS = saved;
  });
  const from = (origin?: string) => new Request('http://localhost/api/chat', { headers: origin ? { origin } : {} });

  it('allowedOrigin: the Origin when ALLOWED_ORIGINS lists it (trimmed, empty entries dropped), else null', () => {
    process.env.ALLOWED_ORIGINS = ' https://app.example.com ,, https://admin.example.com';
    expect(allowedOrigin(from('https://app.example.com'))).toBe('https://app.example.com');
    expect(allowedOrigin(from('https://admin.example.com'))).toBe('https://admin.example.com');
    expect(allowedOrigin(from('https://evil.example'))).toBeNull();
    expect(allowedOrigin(from('http://localhost:3000'))).toBeNull(); // the default is not added to a set list
    expect(allowedOrigin(from())).toBeNull();
    expect(allowedOrigin(from(''))).toBeNull();
  });

  it('allowedOrigin: `*` in ALLOWED_ORIGINS lets no one in; unset, the development default', () => {
    process.env.ALLOWED_ORIGINS = '*';
    expect(allowedOrigin(from('https://evil.example'))).toBeNull();
    expect(allowedOrigin(from('*'))).toBeNull();
    delete process.env.ALLOWED_ORIGINS;
    expect(allowedOrigin(from('http://localhost:3000'))).toBe('http://localhost:3000');
    expect(allowedOrigin(from('https://evil.example'))).toBeNull();
  });

  it('corsHeaders: the allowed origin, Vary: Origin always, the other headers kept; a `*` in them never survives', () => {
    process.env.ALLOWED_ORIGINS = 'https://app.example.com';
    const allowed = corsHeaders(from('https://app.example.com'), {
      'Content-Type': 'application/json',
      Vary: 'Accept-Encoding',
    });
    expect([...allowed]).toEqual([
      ['access-control-allow-origin', 'https://app.example.com'],
      ['content-type', 'application/json'],
      ['vary', 'Accept-Encoding, Origin'],
    ]);
    const refused = corsHeaders(from('https://evil.example'), {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'POST',
    });
    expect([...refused]).toEqual([
      ['access-control-allow-methods', 'POST'],
      ['vary', 'Origin'],
    ]);
    expect([...corsHeaders(from())]).toEqual([['vary', 'Origin']]);
  });
});

describe('tsc', { timeout: 120_000 }, () => {
  const scratch = scratchDir('cors-typecheck');
  afterAll(() => scratch.remove());
  // `@/lib/cors` → ./lib/cors.ts in the scratch dir, as in an app.
  beforeAll(() => {
    mkdirSync(join(scratch.dir, 'lib'), { recursive: true });
    scratch.write('lib/cors.ts', readFileSync(join(ROOT, 'templates/next/cors.ts'), 'utf8'));
  });
  const TSC = join(ROOT, 'node_modules/.bin/tsc');

  function tsc(project: string): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
      execFile(TSC, ['-p', project, '--pretty', 'false'], { cwd: ROOT, timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
      });
    });
  }

  /** A project like templates/tsconfig.json (strict, Edge globals only) over `files`, `@/` mapped to the scratch dir. */
  function project(name: string, files: string[]): string {
    const compilerOptions = { paths: { '@/*': ['./*'] } };
    const edge = join(ROOT, 'templates/edge-runtime.d.ts');
    return scratch.write(
      `${name}.tsconfig.json`,
      JSON.stringify({
        extends: join(ROOT, 'templates/tsconfig.json'),
        compilerOptions,
        include: [],
        files: [edge, ...files],
      }),
    );
  }

  it('the helper type-checks strictly with Edge globals only (templates/tsconfig.json covers templates/**/*.ts too)', async () => {
    expect(await tsc(project('helper', [join(ROOT, 'templates/next/cors.ts')]))).toEqual({ code: 0, output: '' });
  });

  it('the route handlers and middleware we write type-check against it', async () => {
    const nextTypes = scratch.write(
      'next-server.d.ts',
      `declare module 'next/server' {
  export class NextRequest extends Request { readonly nextUrl: URL }
  export class NextResponse<Body = unknown> extends Response {
    static json<Body>(body: Body, init?: ResponseInit): NextResponse<Body>;
    static next(init?: ResponseInit): NextResponse;
  }
}
`,
    );
    const outputs = [
      scratch.write('route.ts', ROUTE_OUT),
      scratch.write('set-route.ts', restrictNextCors('app/api/models/route.ts', SET_IN, HELPER).output),
      scratch.write('middleware.ts', MIDDLEWARE_OUT),
    ];
    expect(await tsc(project('outputs', [nextTypes, ...outputs]))).toEqual({ code: 0, output: '' });
  });

  it('does fail on a misuse of the helper (the check is live)', async () => {
    const broken = scratch.write(
      'broken.ts',
      `import { corsHeaders } from '@/lib/cors';\nexport const h: Headers = corsHeaders('not a request');\n`,
    );
    const result = await tsc(project('broken', [broken]));
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('TS2345');
  });
});
