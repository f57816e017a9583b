import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/core/parse-error.js';
import { loadPythonParser } from '../../../src/lang/python/parse.js';
import type { CorsRewrite } from '../../../src/concerns/cors/result.js';
import { restrictPythonCors } from '../../../src/concerns/cors/python/rewrite.js';

// restrictPythonCors over small modules: the exact text it writes, and what it reports per site.
// Every input of this file is listed in INPUTS, over which a second run must change nothing and
// every output must compile with CPython.

beforeAll(loadPythonParser);

const LOCALHOST = ['http://localhost:3000'];

/** Our function as the module gets it, in its style. */
function helper({
  name = 'allowed_origins',
  origins = 'http://localhost:3000',
  q = '"',
  indent = '    ',
  eol = '\n',
} = {}): string {
  return [
    `def ${name}() -> list[str]:`,
    `${indent}"""The origins that may call this API from a browser: ALLOWED_ORIGINS, comma-separated (${q}*${q} is ignored)."""`,
    `${indent}raw = os.environ.get(${q}ALLOWED_ORIGINS${q}) or ${q}${origins}${q}`,
    `${indent}return [origin.strip() for origin in raw.split(${q},${q}) if origin.strip() and origin.strip() != ${q}*${q}]`,
  ].join(eol);
}

const INPUTS: { name: string; source: string; defaultOrigins: string[] }[] = [];

/** Registers an input (for the second-run and CPython checks) and returns it. */
function input(name: string, source: string, defaultOrigins = LOCALHOST): string {
  INPUTS.push({ name, source, defaultOrigins });
  return source;
}

function run(source: string, defaultOrigins = LOCALHOST): { output: string; results: CorsRewrite[] } {
  return restrictPythonCors(source, { defaultOrigins });
}

// FastAPI / Starlette -------------------------------------------------------------------------------

const FASTAPI_STAR = input(
  'fastapi star',
  `from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])


@app.get("/")
def root():
    return {"ok": True}
`,
);

const FASTAPI_MIDDLEWARE_LIST = input(
  'Middleware() in FastAPI(middleware=[...])',
  `from fastapi import FastAPI
from fastapi.middleware import Middleware
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI(
    middleware=[
        Middleware(CORSMiddleware, allow_origins=("*",), allow_methods=["GET", "POST"]),
    ],
)
`,
);

const FASTAPI_CREDENTIALS = input(
  'credentials',
  `"""The API."""
import logging

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware  # CORS for the front end

app = FastAPI()

app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
    expose_headers=["X-Request-Id"],
)
`,
);

const FASTAPI_REGEX = input(
  'regex',
  `import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origin_regex=r"https?://.*", allow_credentials=True)
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com"],
    allow_origin_regex=".*",  # for previews
    allow_methods=["*"],
)
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_origin_regex=".+")
`,
);

const FASTAPI_BOUND = input(
  'name bound to ["*"]',
  `from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

origins = ["*"]

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=origins)
`,
);

const FASTAPI_TWO = input(
  'two middlewares, two apps',
  `from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"])

admin = FastAPI()
admin.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
`,
);

describe('FastAPI / Starlette CORSMiddleware', () => {
  it('add_middleware with allow_origins=["*"]: our function after the imports, import os, the argument replaced (high)', () => {
    const { output, results } = run(FASTAPI_STAR);
    expect(output).toBe(`import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware


${helper()}


app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=allowed_origins(), allow_methods=["*"], allow_headers=["*"])


@app.get("/")
def root():
    return {"ok": True}
`);
    expect(results).toEqual([
      {
        line: 5,
        changed: true,
        severity: 'high',
        message:
          'CORSMiddleware lets any website call the API (allow_origins=["*"]) → allow_origins=allowed_origins() (from ALLOWED_ORIGINS, default http://localhost:3000)',
      },
    ]);
  });

  it('Middleware(CORSMiddleware, …) in FastAPI(middleware=[...]) with a tuple ("*",)', () => {
    const { output, results } = run(FASTAPI_MIDDLEWARE_LIST);
    expect(output).toBe(`import os

from fastapi import FastAPI
from fastapi.middleware import Middleware
from fastapi.middleware.cors import CORSMiddleware


${helper()}


app = FastAPI(
    middleware=[
        Middleware(CORSMiddleware, allow_origins=allowed_origins(), allow_methods=["GET", "POST"]),
    ],
)
`);
    expect(results).toMatchObject([{ line: 7, changed: true, severity: 'high' }]);
  });

  it('"*" with allow_credentials=True is critical; the other arguments, the docstring and comments stay as they are', () => {
    const { output, results } = run(FASTAPI_CREDENTIALS);
    expect(output).toBe(`"""The API."""
import logging
import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware  # CORS for the front end


${helper()}


app = FastAPI()

app.add_middleware(
    CORSMiddleware,
    allow_origins=allowed_origins(),
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
    expose_headers=["X-Request-Id"],
)
`);
    expect(results).toEqual([
      {
        line: 9,
        changed: true,
        severity: 'critical',
        message:
          'CORSMiddleware lets any website call the API (allow_origins=["*"]) with allow_credentials=True: Starlette then echoes any caller\'s origin with credentials, so any website can make requests as the logged-in user → allow_origins=allowed_origins() (from ALLOWED_ORIGINS, default http://localhost:3000)',
      },
    ]);
  });

  it('a match-anything allow_origin_regex is replaced by allow_origins, or removed (its whole line) when allow_origins is there', () => {
    const { output, results } = run(FASTAPI_REGEX);
    expect(output).toBe(`import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware


${helper()}


app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=allowed_origins(), allow_credentials=True)
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com"],
    allow_methods=["*"],
)
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"])
`);
    expect(results.map((r) => [r.line, r.changed, r.severity])).toEqual([
      [7, true, 'critical'],
      [8, true, 'high'],
      [14, true, 'high'],
    ]);
    expect(results[0]!.message).toContain('allow_origin_regex=r"https?://.*" matches any origin');
    expect(results[0]!.message).toContain('→ allow_origin_regex replaced by allow_origins=allowed_origins()');
    expect(results[1]!.message).toContain('→ allow_origin_regex removed');
  });

  it('a name bound in the module to ["*"]: the argument becomes the call, the binding stays', () => {
    const { output, results } = run(FASTAPI_BOUND);
    expect(output).toBe(`import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware


${helper()}


origins = ["*"]

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=allowed_origins())
`);
    expect(results).toMatchObject([{ line: 7, changed: true, severity: 'high' }]);
    expect(results[0]!.message).toContain('(allow_origins=origins, origins = ["*"])');
  });

  it('two middlewares on two apps: both rewritten, one function, each with its own severity', () => {
    const { output, results } = run(FASTAPI_TWO);
    expect(output).toBe(`import os

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware


${helper()}


app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=allowed_origins())

admin = FastAPI()
admin.add_middleware(CORSMiddleware, allow_origins=allowed_origins(), allow_credentials=True)
`);
    expect(results.map((r) => [r.line, r.changed, r.severity])).toEqual([
      [5, true, 'high'],
      [8, true, 'critical'],
    ]);
  });
});

// Flask-CORS ----------------------------------------------------------------------------------------

const FLASK_HEAD = 'from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\n';
const FLASK_OUT_HEAD = `import os\n\nfrom flask import Flask\nfrom flask_cors import CORS\n\n\n${helper()}\n\n\napp = Flask(__name__)\n`;

const FLASK_BARE = input('flask bare', `${FLASK_HEAD}CORS(app)\n`);
const FLASK_STAR = input('flask origins="*"', `${FLASK_HEAD}CORS(app, origins="*", supports_credentials=True)\n`);
const FLASK_STAR_LIST = input('flask origins=["*"]', `${FLASK_HEAD}CORS(app, origins=["*"])\n`);
const FLASK_MULTILINE = input(
  'flask multi-line',
  `${FLASK_HEAD}CORS(\n    app,\n    supports_credentials=True  # cookies\n)\n`,
);
const FLASK_RESOURCES = input(
  'flask resources',
  `${FLASK_HEAD}CORS(app, resources={r"/api/*": {"origins": "*"}, r"/admin/*": {"origins": ["https://admin.example.com"]}})\n`,
);
const FLASK_RESOURCES_INHERIT = input(
  'flask resources without origins',
  `${FLASK_HEAD}CORS(app, resources={r"/api/*": {"supports_credentials": True}})\n`,
);
const FLASK_INIT_APP = input(
  'flask init_app',
  `from flask import Flask
from flask_cors import CORS

cors = CORS()


def create_app():
    app = Flask(__name__)
    cors.init_app(app)
    return app
`,
);
const FLASK_CROSS_ORIGIN = input(
  'flask cross_origin',
  `from flask import Flask
from flask_cors import cross_origin

app = Flask(__name__)


@app.route("/a")
@cross_origin()
def a():
    return "a"


@app.route("/b")
@cross_origin
def b():
    return "b"
`,
);

describe('Flask-CORS', () => {
  it('bare CORS(app) (flask-cors defaults to "*") gets origins=allowed_origins()', () => {
    const { output, results } = run(FLASK_BARE);
    expect(output).toBe(`${FLASK_OUT_HEAD}CORS(app, origins=allowed_origins())\n`);
    expect(results).toEqual([
      {
        line: 5,
        changed: true,
        severity: 'high',
        message:
          'CORS(…) lets any website call the API (no origins: flask-cors defaults to "*") → origins=allowed_origins() added (from ALLOWED_ORIGINS, default http://localhost:3000)',
      },
    ]);
  });

  it('origins="*" (critical with supports_credentials=True) and origins=["*"] are replaced', () => {
    const star = run(FLASK_STAR);
    expect(star.output).toBe(`${FLASK_OUT_HEAD}CORS(app, origins=allowed_origins(), supports_credentials=True)\n`);
    expect(star.results).toMatchObject([{ line: 5, changed: true, severity: 'critical' }]);
    const list = run(FLASK_STAR_LIST);
    expect(list.output).toBe(`${FLASK_OUT_HEAD}CORS(app, origins=allowed_origins())\n`);
    expect(list.results).toMatchObject([{ line: 5, changed: true, severity: 'high' }]);
  });

  it("a call with one argument per line gets origins on a line of its own, after the last one's comment", () => {
    const { output, results } = run(FLASK_MULTILINE);
    expect(output).toBe(
      `${FLASK_OUT_HEAD}CORS(\n    app,\n    supports_credentials=True,  # cookies\n    origins=allowed_origins()\n)\n`,
    );
    expect(results).toMatchObject([{ line: 5, changed: true, severity: 'critical' }]);
  });

  it('resources={r"/api/*": {"origins": "*"}}: the "*" replaced, a restricted path left alone (info)', () => {
    const { output, results } = run(FLASK_RESOURCES);
    expect(output).toBe(
      `${FLASK_OUT_HEAD}CORS(app, resources={r"/api/*": {"origins": allowed_origins()}, r"/admin/*": {"origins": ["https://admin.example.com"]}})\n`,
    );
    expect(results).toEqual([
      {
        line: 5,
        changed: true,
        severity: 'high',
        message:
          'CORS(…) lets any website call r"/api/*" ("origins": "*") → "origins": allowed_origins() (from ALLOWED_ORIGINS, default http://localhost:3000)',
      },
      {
        line: 5,
        changed: false,
        severity: 'info',
        message: 'CORS(…): r"/admin/*" already lists its origins (["https://admin.example.com"]): left as it is',
      },
    ]);
  });

  it('resources whose paths have no origins of their own take the top-level ones: origins added (critical with their credentials)', () => {
    const { output, results } = run(FLASK_RESOURCES_INHERIT);
    expect(output).toBe(
      `${FLASK_OUT_HEAD}CORS(app, resources={r"/api/*": {"supports_credentials": True}}, origins=allowed_origins())\n`,
    );
    expect(results).toMatchObject([{ line: 5, changed: true, severity: 'critical' }]);
  });

  it('cors = CORS() then cors.init_app(app): origins added where the app is given', () => {
    const { output, results } = run(FLASK_INIT_APP);
    expect(output).toBe(`import os

from flask import Flask
from flask_cors import CORS


${helper()}


cors = CORS()


def create_app():
    app = Flask(__name__)
    cors.init_app(app, origins=allowed_origins())
    return app
`);
    expect(results).toMatchObject([{ line: 9, changed: true, severity: 'high' }]);
    expect(results[0]!.message).toMatch(/^cors\.init_app\(…\) lets any website call the API/);
  });

  it('@cross_origin() and bare @cross_origin get origins=allowed_origins()', () => {
    const { output, results } = run(FLASK_CROSS_ORIGIN);
    expect(output).toBe(`import os

from flask import Flask
from flask_cors import cross_origin


${helper()}


app = Flask(__name__)


@app.route("/a")
@cross_origin(origins=allowed_origins())
def a():
    return "a"


@app.route("/b")
@cross_origin(origins=allowed_origins())
def b():
    return "b"
`);
    expect(results.map((r) => [r.line, r.changed, r.severity])).toEqual([
      [8, true, 'high'],
      [14, true, 'high'],
    ]);
    expect(results[0]!.message).toContain('lets any website call this view');
  });
});

// Left alone ----------------------------------------------------------------------------------------

const RESTRICTED = input(
  'restricted',
  `from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask_cors import CORS, cross_origin

ORIGINS = ["https://app.example.com", "https://admin.example.com"]

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
app.add_middleware(CORSMiddleware, allow_origins=ORIGINS)
CORS(flask_app, origins="https://app.example.com")
CORS(flask_app, resources={r"/api/*": {"origins": ORIGINS}})


@cross_origin(origins=["https://app.example.com"])
def view():
    return "ok"
`,
);

const DYNAMIC = input(
  'dynamic',
  `import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from .config import settings, CORS_OPTIONS

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins)
app.add_middleware(CORSMiddleware, allow_origins=os.getenv("CORS_ORIGINS", "*").split(","))
app.add_middleware(CORSMiddleware, allow_origins=load_origins())
app.add_middleware(CORSMiddleware, **CORS_OPTIONS)
app.add_middleware(CORSMiddleware, allow_origin_regex=r"https://.*\\.example\\.com")
`,
);

describe('left alone', () => {
  it('literal origin lists (inline, bound to a name, per resource, in a decorator): nothing changed, info results', () => {
    const { output, results } = run(RESTRICTED);
    expect(output).toBe(RESTRICTED);
    expect(results).toEqual([
      {
        line: 8,
        changed: false,
        severity: 'info',
        message: 'CORSMiddleware already lists its origins (allow_origins=["https://app.example.com"]): left as it is',
      },
      {
        line: 9,
        changed: false,
        severity: 'info',
        message: 'CORSMiddleware already lists its origins (allow_origins=ORIGINS): left as it is',
      },
      {
        line: 10,
        changed: false,
        severity: 'info',
        message: 'CORS(…) already lists its origins (origins="https://app.example.com"): left as it is',
      },
      {
        line: 11,
        changed: false,
        severity: 'info',
        message: 'CORS(…): r"/api/*" already lists its origins (ORIGINS): left as it is',
      },
      {
        line: 14,
        changed: false,
        severity: 'info',
        message: '@cross_origin(…) already lists its origins (origins=["https://app.example.com"]): left as it is',
      },
    ]);
  });

  it('origins we cannot follow (settings, an env var read of its own, a call, **options, a narrower regex): reported medium, nothing changed', () => {
    const { output, results } = run(DYNAMIC);
    expect(output).toBe(DYNAMIC);
    expect(results.map((r) => [r.line, r.changed, r.severity])).toEqual([
      [9, false, 'medium'],
      [10, false, 'medium'],
      [11, false, 'medium'],
      [12, false, 'medium'],
      [13, false, 'medium'],
    ]);
    const [settings, env, call, splat, regex] = results.map((r) => r.message);
    expect(settings).toBe(
      'CORSMiddleware: allow_origins=settings.cors_origins: read from settings.cors_origins, which we do not follow; left as it is. Make sure "*" can never get in, or use allowed_origins() (reads ALLOWED_ORIGINS, ignores "*")',
    );
    expect(env).toContain('read from the environment by code of its own, falling back to "*"');
    expect(call).toContain('computed by load_origins()');
    expect(splat).toContain('takes its options from **CORS_OPTIONS');
    expect(regex).toContain('allow_origin_regex=r"https://.*\\.example\\.com" was kept');
  });

  it('django-cors-headers allow-all and a header set by hand are reported, not edited', () => {
    const source = input(
      'reported only',
      `CORS_ALLOW_ALL_ORIGINS = True


def add_cors(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Origin"] = "https://app.example.com"
    return response
`,
    );
    const { output, results } = run(source);
    expect(output).toBe(source);
    expect(results.map((r) => [r.line, r.changed, r.severity])).toEqual([
      [1, false, 'medium'],
      [5, false, 'medium'],
    ]);
  });

  it('a module that does not parse throws ParseError with the line', () => {
    const source =
      'from fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI(\napp.add_middleware(CORSMiddleware, allow_origins=["*"])\ndef\n';
    let caught: unknown;
    try {
      run(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect((caught as ParseError).line).toBe(3);
  });
});

// Style ---------------------------------------------------------------------------------------------

describe("the module's style", () => {
  it('CRLF line endings (and a BOM) are kept everywhere, the inserted lines included', () => {
    const source = input('crlf', `\uFEFF${FLASK_HEAD}CORS(app)\n`.replace(/\n/g, '\r\n'));
    const { output } = run(source);
    expect(output).toBe(`\uFEFF${FLASK_OUT_HEAD}CORS(app, origins=allowed_origins())\n`.replace(/\n/g, '\r\n'));
    expect(output.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('single quotes and two-space indentation: the function is written in them', () => {
    const source = input(
      'single quotes',
      `from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=['*'])


@app.get('/')
def root():
  return {'ok': True}
`,
    );
    expect(run(source).output).toBe(`import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware


${helper({ q: "'", indent: '  ' })}


app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=allowed_origins())


@app.get('/')
def root():
  return {'ok': True}
`);
  });

  it('custom default origins are the fallback, comma-separated, and named in the message', () => {
    const origins = ['https://app.example.com', 'http://localhost:5173'];
    const source = input('custom default', FASTAPI_STAR, origins);
    const { output, results } = run(source, origins);
    expect(output).toContain(
      `raw = os.environ.get("ALLOWED_ORIGINS") or "https://app.example.com,http://localhost:5173"\n`,
    );
    expect(output).toBe(
      run(FASTAPI_STAR).output.replace('"http://localhost:3000"', '"https://app.example.com,http://localhost:5173"'),
    );
    expect(results[0]!.message).toContain(
      '(from ALLOWED_ORIGINS, default https://app.example.com,http://localhost:5173)',
    );
  });

  it('a module that binds allowed_origins gets our function under a free name; an existing one of ours is reused', () => {
    const source = input(
      'name taken',
      `import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

allowed_origins = ["*"]
app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=allowed_origins)
`,
    );
    const { output } = run(source);
    expect(output).toBe(`import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware


${helper({ name: 'cors_allowed_origins' })}


allowed_origins = ["*"]
app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=cors_allowed_origins())
`);
    // A new site in a module that has our function: it is used, not written again.
    const more = `${output}admin = FastAPI()\nadmin.add_middleware(CORSMiddleware, allow_origins=["*"])\n`;
    expect(run(more).output).toBe(
      `${output}admin = FastAPI()\nadmin.add_middleware(CORSMiddleware, allow_origins=cors_allowed_origins())\n`,
    );
  });

  it('a function reading ALLOWED_ORIGINS that keeps "*" is not taken for ours', () => {
    const source = input(
      'not ours',
      `import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware


def origins():
    return os.getenv("ALLOWED_ORIGINS", "*").split(",")


app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=origins())
`,
    );
    const { output, results } = run(source);
    expect(output).toBe(source);
    expect(results).toMatchObject([{ line: 12, changed: false, severity: 'medium' }]);
  });
});

// Every output ----------------------------------------------------------------------------------------

describe('every output', () => {
  it('a second run changes nothing, reports no change, and finds what it wrote restricted (no new warnings)', () => {
    expect(INPUTS.length).toBeGreaterThan(15);
    for (const { name, source, defaultOrigins } of INPUTS) {
      const first = run(source, defaultOrigins);
      const second = run(first.output, defaultOrigins);
      expect(second.output, name).toBe(first.output);
      expect(
        second.results.filter((r) => r.changed),
        name,
      ).toEqual([]);
      const warnings = (results: CorsRewrite[]) => results.filter((r) => r.severity !== 'info').length;
      expect(warnings(second.results), name).toBe(
        warnings(first.results) - first.results.filter((r) => r.changed).length,
      );
    }
  });

  it('compiles with CPython (ast.parse), and so does each input', () => {
    const texts = INPUTS.flatMap(({ source, defaultOrigins }) => [source, run(source, defaultOrigins).output]);
    expect(texts.length).toBeGreaterThan(30);
    const script =
      'import ast, json, sys\nfor i, text in enumerate(json.load(sys.stdin)):\n    ast.parse(text.lstrip("\\ufeff"), f"<output {i}>")\n';
    expect(() =>
      execFileSync('python3', ['-c', script], { input: JSON.stringify(texts), stdio: 'pipe' }),
    ).not.toThrow();
  });
});
