import { describe, expect, it } from 'vitest';
import {
  addRequirement,
  capsBelowMajor,
  findDependencyFile,
  versionSpecOf,
  type Requirement,
} from '../../src/project/python-deps.js';

const SLOWAPI: Requirement = { name: 'slowapi', minVersion: '0.1.9' };
const LIMITER: Requirement = { name: 'Flask-Limiter', minVersion: '3.5' };

/** The edited text, failing the test when the result is not an edit. */
function added(kind: Parameters<typeof addRequirement>[0], text: string, req: Requirement = SLOWAPI): string {
  const result = addRequirement(kind, text, req);
  if (!('text' in result)) throw new Error(`expected an edit, got ${JSON.stringify(result)}`);
  return result.text;
}

function unsupported(kind: Parameters<typeof addRequirement>[0], text: string, req: Requirement = SLOWAPI): string {
  const result = addRequirement(kind, text, req);
  if (!('unsupported' in result)) throw new Error(`expected unsupported, got ${JSON.stringify(result)}`);
  return result.unsupported;
}

describe('addRequirement: requirements files', () => {
  it('appends to unsorted requirements, with >=', () => {
    expect(added('requirements', 'openai>=1.0\nfastapi\n')).toBe('openai>=1.0\nfastapi\nslowapi>=0.1.9\n');
  });

  it('keeps sorted requirements sorted, case-insensitively', () => {
    expect(added('requirements', 'fastapi>=0.110\nopenai\nuvicorn\n')).toBe(
      'fastapi>=0.110\nopenai\nslowapi>=0.1.9\nuvicorn\n',
    );
    expect(added('requirements', 'Flask\nopenai\nPyYAML\n', LIMITER)).toBe(
      'Flask\nFlask-Limiter>=3.5\nopenai\nPyYAML\n',
    );
  });

  it('appends last to a sorted file when the name sorts after every requirement', () => {
    expect(added('requirements', 'fastapi\nopenai\n')).toBe('fastapi\nopenai\nslowapi>=0.1.9\n');
  });

  it('pins with == in pip freeze style files, and only there', () => {
    expect(added('requirements', 'fastapi==0.110.0\nuvicorn==0.29.0\n')).toBe(
      'fastapi==0.110.0\nslowapi==0.1.9\nuvicorn==0.29.0\n',
    );
    expect(added('requirements', 'fastapi==0.110.0\nuvicorn>=0.29\n')).toBe(
      'fastapi==0.110.0\nslowapi>=0.1.9\nuvicorn>=0.29\n',
    );
  });

  it('adds one clean line to a file without a final newline, which still has none', () => {
    expect(added('requirements', 'uvicorn==0.29.0\nfastapi==0.110.0')).toBe(
      'uvicorn==0.29.0\nfastapi==0.110.0\nslowapi==0.1.9',
    );
  });

  it('keeps CRLF line endings', () => {
    expect(added('requirements', 'openai\r\nfastapi\r\n')).toBe('openai\r\nfastapi\r\nslowapi>=0.1.9\r\n');
    expect(added('requirements', 'fastapi\r\nuvicorn\r\n')).toBe('fastapi\r\nslowapi>=0.1.9\r\nuvicorn\r\n');
  });

  it('understands -r, -e, index options, markers, extras and inline comments', () => {
    const text = [
      '# Production dependencies',
      '-r base.txt',
      '--index-url https://pypi.org/simple',
      '-e git+https://github.com/org/lib.git#egg=orglib',
      'gunicorn>=21 ; sys_platform != "win32"',
      'uvicorn[standard]>=0.29  # ASGI server',
      '',
    ].join('\n');
    expect(added('requirements', text)).toBe(text.replace('uvicorn[', 'slowapi>=0.1.9\nuvicorn['));
    expect(addRequirement('requirements', text, { name: 'OrgLib', minVersion: '1' })).toEqual({ present: true });
  });

  it('puts a line before the comment that heads the next requirement, not before pip-compile "via" lines', () => {
    expect(added('requirements', 'fastapi\n# the server\nuvicorn\n')).toBe(
      'fastapi\nslowapi>=0.1.9\n# the server\nuvicorn\n',
    );
    const compiled = 'fastapi==0.110.0\n    # via -r requirements.in\nuvicorn==0.29.0\n    # via -r requirements.in\n';
    expect(added('requirements', compiled)).toBe(
      'fastapi==0.110.0\n    # via -r requirements.in\nslowapi==0.1.9\nuvicorn==0.29.0\n    # via -r requirements.in\n',
    );
  });

  it('appends before trailing blank lines, and after a trailing comment', () => {
    expect(added('requirements', 'openai\nfastapi\n\n\n')).toBe('openai\nfastapi\nslowapi>=0.1.9\n\n\n');
    expect(added('requirements', 'openai\nfastapi\n# pytest (dev only)\n')).toBe(
      'openai\nfastapi\n# pytest (dev only)\nslowapi>=0.1.9\n',
    );
  });

  it('fills an empty file and a comment-only file', () => {
    expect(added('requirements', '')).toBe('slowapi>=0.1.9\n');
    expect(added('requirements', '# none yet\n')).toBe('# none yet\nslowapi>=0.1.9\n');
  });

  it('keeps a byte order mark first', () => {
    expect(added('requirements', '\uFEFFfastapi\nuvicorn\n', { name: 'aiohttp', minVersion: '3.9' })).toBe(
      '\uFEFFaiohttp>=3.9\nfastapi\nuvicorn\n',
    );
    expect(added('pyproject-pep621', '\uFEFF[project]\ndependencies = []\n')).toBe(
      '\uFEFF[project]\ndependencies = ["slowapi>=0.1.9"]\n',
    );
  });

  it('joins backslash continuations as pip does', () => {
    expect(added('requirements', 'openai \\\n    >=1.0\nfastapi\n')).toBe(
      'openai \\\n    >=1.0\nfastapi\nslowapi>=0.1.9\n',
    );
  });

  it('finds the package under another spelling, with extras, markers or a direct URL', () => {
    expect(addRequirement('requirements', 'Flask_Limiter[redis]>=3 ; python_version >= "3.8"\n', LIMITER)).toEqual({
      present: true,
    });
    expect(addRequirement('requirements', 'flask.limiter==3.5.0\n', LIMITER)).toEqual({ present: true });
    expect(addRequirement('requirements', 'slowapi @ git+https://github.com/laurentS/slowapi.git\n', SLOWAPI)).toEqual({
      present: true,
    });
    expect(added('requirements', '# slowapi\nfastapi\n')).toBe('# slowapi\nfastapi\nslowapi>=0.1.9\n');
  });

  it('refuses files with hashes, unless the package is already there', () => {
    const hashed =
      'fastapi==0.110.0 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\nuvicorn==0.29.0 \\\n    --hash=sha256:cccc\n';
    expect(unsupported('requirements', hashed)).toMatch(/--hash.*--require-hashes/);
    expect(addRequirement('requirements', hashed, { name: 'Uvicorn', minVersion: '0.29' })).toEqual({ present: true });
  });

  it('refuses pip list output', () => {
    const text = 'Package    Version\n---------- -------\nfastapi    0.110.0\nuvicorn    0.29.0\n';
    expect(unsupported('requirements', text)).toMatch(/^looks like `pip list` output/);
  });

  it('refuses conda list, conda list --export and conda env export output', () => {
    const list =
      '# packages in environment at /opt/conda/envs/app:\n#\n# Name                    Version                   Build  Channel\nnumpy                     1.26.4          py311h64a7726_0    conda-forge\n';
    expect(unsupported('requirements', list)).toMatch(/^looks like `conda list` output/);
    const exported =
      '# This file may be used to create an environment using:\n# $ conda create --name <env> --file <this file>\n# platform: linux-64\nnumpy=1.26.4=py311h64a7726_0\n';
    expect(unsupported('requirements', exported)).toMatch(/^looks like `conda list --export` output/);
    const env =
      'name: app\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip:\n    - fastapi==0.110.0\n';
    expect(unsupported('requirements', env)).toMatch(/^looks like a conda environment file/);
  });

  it('refuses a file with a line that is neither a requirement nor a pip option, and says which', () => {
    expect(unsupported('requirements', 'fastapi\nthis is not a requirement\n')).toMatch(
      /line 2 \("this is not a requirement"\)/,
    );
  });
});

describe('addRequirement: pyproject.toml (PEP 621)', () => {
  it('adds a line to a multi-line array, keeping indentation and trailing comma', () => {
    const text = '[project]\nname = "app"\ndependencies = [\n    "openai>=1.0",\n    "fastapi>=0.110",\n]\n';
    expect(added('pyproject-pep621', text)).toBe(
      '[project]\nname = "app"\ndependencies = [\n    "openai>=1.0",\n    "fastapi>=0.110",\n    "slowapi>=0.1.9",\n]\n',
    );
  });

  it('follows single quotes and no trailing comma', () => {
    const text = "[project]\ndependencies = [\n  'openai',\n  'fastapi'\n]\n";
    expect(added('pyproject-pep621', text)).toBe(
      "[project]\ndependencies = [\n  'openai',\n  'fastapi',\n  'slowapi>=0.1.9'\n]\n",
    );
  });

  it('keeps a sorted multi-line array sorted', () => {
    const text = '[project]\ndependencies = [\n    "fastapi>=0.110",\n    "uvicorn[standard]",\n]\n';
    expect(added('pyproject-pep621', text)).toBe(
      '[project]\ndependencies = [\n    "fastapi>=0.110",\n    "slowapi>=0.1.9",\n    "uvicorn[standard]",\n]\n',
    );
  });

  it('keeps single-line arrays on one line', () => {
    expect(added('pyproject-pep621', '[project]\ndependencies = ["openai>=1", "fastapi"]\n')).toBe(
      '[project]\ndependencies = ["openai>=1", "fastapi", "slowapi>=0.1.9"]\n',
    );
    expect(added('pyproject-pep621', '[project]\ndependencies = ["fastapi","uvicorn"]\n')).toBe(
      '[project]\ndependencies = ["fastapi","slowapi>=0.1.9","uvicorn"]\n',
    );
  });

  it('fills empty arrays, single-line and multi-line', () => {
    expect(added('pyproject-pep621', '[project]\nname = "app"\ndependencies = []\n')).toBe(
      '[project]\nname = "app"\ndependencies = ["slowapi>=0.1.9"]\n',
    );
    expect(added('pyproject-pep621', '[project]\nname = "app"\ndependencies = [\n]\n')).toBe(
      '[project]\nname = "app"\ndependencies = [\n    "slowapi>=0.1.9",\n]\n',
    );
  });

  it('keeps comments inside the array', () => {
    const text = '[project]\ndependencies = [\n    "openai",\n    "fastapi"  # web\n    # "langchain",\n]\n';
    expect(added('pyproject-pep621', text)).toBe(
      '[project]\ndependencies = [\n    "openai",\n    "fastapi",  # web\n    "slowapi>=0.1.9"\n    # "langchain",\n]\n',
    );
  });

  it('keeps CRLF', () => {
    const text = '[project]\r\ndependencies = [\r\n    "openai",\r\n]\r\n';
    expect(added('pyproject-pep621', text)).toBe(
      '[project]\r\ndependencies = [\r\n    "openai",\r\n    "slowapi>=0.1.9",\r\n]\r\n',
    );
  });

  it('is not fooled by headers and keys inside a multi-line string', () => {
    const text =
      '[project]\nname = "app"\ndescription = """\n[tool.poetry.dependencies]\ndependencies = ["nope"]\n"""\ndependencies = ["openai"]\n\n[tool.ruff]\nline-length = 100\n';
    expect(added('pyproject-pep621', text)).toBe(text.replace('["openai"]', '["openai", "slowapi>=0.1.9"]'));
  });

  it('finds the package under another spelling, with extras', () => {
    expect(
      addRequirement('pyproject-pep621', '[project]\ndependencies = ["flask_limiter[redis]>=3"]\n', LIMITER),
    ).toEqual({ present: true });
  });

  it('refuses dynamic dependencies, and says where they live', () => {
    expect(unsupported('pyproject-pep621', '[project]\nname = "app"\ndynamic = ["version", "dependencies"]\n')).toMatch(
      /dynamic.*setup\.py/,
    );
    const setuptools =
      '[project]\ndynamic = ["dependencies"]\n\n[tool.setuptools.dynamic]\ndependencies = {file = ["requirements/main.txt"]}\n';
    expect(unsupported('pyproject-pep621', setuptools)).toMatch(/requirements\/main\.txt/);
  });

  it('prefers PEP 621 dependencies over a Poetry table in the same file', () => {
    const text = '[project]\ndependencies = ["openai"]\n\n[tool.poetry.dependencies]\nopenai = { source = "mirror" }\n';
    expect(added('pyproject-poetry', text)).toBe(text.replace('["openai"]', '["openai", "slowapi>=0.1.9"]'));
  });
});

describe('addRequirement: pyproject.toml (Poetry)', () => {
  const poetry = [
    '[tool.poetry]',
    'name = "app"',
    '',
    '[tool.poetry.dependencies]',
    'python = "^3.11"',
    'openai = "^1.30"',
    'fastapi = { version = "^0.110", extras = ["all"] }',
    'torch = [',
    '    { version = "^2.2", platform = "darwin" },',
    '    { version = "^2.2", platform = "linux", source = "pytorch" },',
    ']',
    '',
    '# Dev tools',
    '[tool.poetry.group.dev.dependencies]',
    'pytest = "^8"',
    '',
  ].join('\n');

  it('adds a caret entry after the last entry, not after the blank lines and comments before the next table', () => {
    expect(added('pyproject-poetry', poetry)).toBe(poetry.replace(']\n\n# Dev', ']\nslowapi = "^0.1.9"\n\n# Dev'));
  });

  it('finds a package among inline tables and sub-tables, under another spelling', () => {
    expect(addRequirement('pyproject-poetry', poetry, { name: 'FastAPI', minVersion: '1' })).toEqual({ present: true });
    expect(
      addRequirement(
        'pyproject-poetry',
        '[tool.poetry.dependencies]\npython = "^3.11"\n\n[tool.poetry.dependencies.flask-limiter]\nversion = "^3"\n',
        LIMITER,
      ),
    ).toEqual({ present: true });
    // A dev-only package is not installed in production: it is added to the main table.
    expect(added('pyproject-poetry', poetry, { name: 'pytest', minVersion: '8' })).toBe(
      poetry.replace(']\n\n# Dev', ']\npytest = "^8"\n\n# Dev'),
    );
  });

  it('writes >= when most entries do, and keeps sorted entries sorted (python aside)', () => {
    const text =
      '[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = ">=0.110"\nopenai = ">=1.0"\nuvicorn = "^0.29"\n';
    expect(added('pyproject-poetry', text)).toBe(
      '[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = ">=0.110"\nopenai = ">=1.0"\nslowapi = ">=0.1.9"\nuvicorn = "^0.29"\n',
    );
  });

  it('skips over multi-line strings in the table, quotes inside them included', () => {
    const table = [
      '[tool.poetry.dependencies]',
      'python = "^3.11"',
      'legacy = { version = "^1", markers = """python_version < "3.12"""" }',
      'notes = """',
      'Say "hi".',
      '[tool.other]',
      'x = 1',
      '"""',
    ].join('\n');
    const text = `${table}\n\n[tool.other]\ny = 2\n`;
    expect(added('pyproject-poetry', text)).toBe(`${table}\nslowapi = "^0.1.9"\n\n[tool.other]\ny = 2\n`);
  });

  it('adds a clean last line to a file without a final newline', () => {
    expect(added('pyproject-poetry', '[tool.poetry.dependencies]\npython = "^3.11"\nopenai = "^1"')).toBe(
      '[tool.poetry.dependencies]\npython = "^3.11"\nopenai = "^1"\nslowapi = "^0.1.9"',
    );
  });

  it('uses the Poetry table when [project] declares its dependencies dynamic (Poetry 2)', () => {
    const text = '[project]\nname = "app"\ndynamic = ["dependencies"]\n\n[tool.poetry.dependencies]\nopenai = "^1"\n';
    expect(added('pyproject-pep621', text)).toBe(
      '[project]\nname = "app"\ndynamic = ["dependencies"]\n\n[tool.poetry.dependencies]\nopenai = "^1"\nslowapi = "^0.1.9"\n',
    );
  });

  it('quotes names that are not bare keys', () => {
    expect(
      added('pyproject-poetry', '[tool.poetry.dependencies]\npython = "^3.11"\n', {
        name: 'zope.interface',
        minVersion: '6',
      }),
    ).toBe('[tool.poetry.dependencies]\npython = "^3.11"\n"zope.interface" = "^6"\n');
  });
});

describe('addRequirement: Pipfile', () => {
  const pipfile = [
    '[[source]]',
    'url = "https://pypi.org/simple"',
    'verify_ssl = true',
    'name = "pypi"',
    '',
    '[packages]',
    'openai = "*"',
    'fastapi = "*"',
    '',
    '[dev-packages]',
    'pytest = "*"',
    '',
    '[requires]',
    'python_version = "3.11"',
    '',
  ].join('\n');

  it('writes "*" when every package does', () => {
    expect(added('pipfile', pipfile)).toBe(pipfile.replace('fastapi = "*"\n', 'fastapi = "*"\nslowapi = "*"\n'));
  });

  it('writes >= otherwise, and == when every package pins', () => {
    expect(added('pipfile', '[packages]\nopenai = ">=1.0"\nfastapi = "*"\n')).toBe(
      '[packages]\nopenai = ">=1.0"\nfastapi = "*"\nslowapi = ">=0.1.9"\n',
    );
    expect(
      added('pipfile', '[packages]\nopenai = "==1.30.0"\nfastapi = {version = "==0.110.0", extras = ["all"]}\n'),
    ).toBe(
      '[packages]\nopenai = "==1.30.0"\nfastapi = {version = "==0.110.0", extras = ["all"]}\nslowapi = "==0.1.9"\n',
    );
  });

  it('appends a [packages] table when there is none', () => {
    expect(added('pipfile', '[requires]\npython_version = "3.11"\n')).toBe(
      '[requires]\npython_version = "3.11"\n\n[packages]\nslowapi = ">=0.1.9"\n',
    );
    expect(added('pipfile', '[requires]\r\npython_version = "3.11"')).toBe(
      '[requires]\r\npython_version = "3.11"\r\n\r\n[packages]\r\nslowapi = ">=0.1.9"',
    );
  });

  it('adds under an empty [packages] header', () => {
    expect(added('pipfile', '[packages]\n\n[dev-packages]\npytest = "*"\n')).toBe(
      '[packages]\nslowapi = ">=0.1.9"\n\n[dev-packages]\npytest = "*"\n',
    );
  });

  it('counts [packages] only: a dev package is still added', () => {
    expect(addRequirement('pipfile', '[packages]\nflask_limiter = "*"\n', LIMITER)).toEqual({ present: true });
    expect(added('pipfile', pipfile, { name: 'pytest', minVersion: '8' })).toBe(
      pipfile.replace('fastapi = "*"\n', 'fastapi = "*"\npytest = "*"\n'),
    );
  });
});

describe('findDependencyFile', () => {
  const reader = (files: Record<string, string>) => (path: string) => files[path];
  const PEP621 = '[project]\nname = "app"\ndependencies = ["openai"]\n';
  const TOOL_ONLY = '[tool.ruff]\nline-length = 100\n';

  it('takes the nearest folder, up to stopDir and no further', () => {
    const read = reader({
      '/repo/requirements.txt': 'fastapi\n',
      '/repo/apps/api/requirements.txt': 'fastapi\n',
      '/requirements.txt': 'x\n',
    });
    expect(findDependencyFile('/repo/apps/api', '/repo', read)).toEqual({
      path: '/repo/apps/api/requirements.txt',
      kind: 'requirements',
    });
    expect(findDependencyFile('/repo/apps/web', '/repo', read)).toEqual({
      path: '/repo/requirements.txt',
      kind: 'requirements',
    });
    expect(findDependencyFile('/other/app', '/other', read)).toBeUndefined();
    expect(findDependencyFile('/other/app', '/other/', read)).toBeUndefined();
  });

  it('prefers requirements.txt, then shared requirements/ files, then other production files, never dev/test/docs', () => {
    expect(
      findDependencyFile(
        '/app',
        '/app',
        reader({ '/app/requirements/prod.txt': '', '/app/requirements/base.txt': '', '/app/requirements.txt': '' }),
      ),
    ).toEqual({ path: '/app/requirements.txt', kind: 'requirements' });
    expect(
      findDependencyFile(
        '/app',
        '/app',
        reader({ '/app/requirements/prod.txt': '', '/app/requirements/base.txt': '' }),
      ),
    ).toEqual({ path: '/app/requirements/base.txt', kind: 'requirements' });
    expect(
      findDependencyFile(
        '/app',
        '/app',
        reader({
          '/app/requirements-dev.txt': '',
          '/app/requirements-test.txt': '',
          '/app/requirements-docs.txt': '',
          '/app/requirements-prod.txt': '',
        }),
      ),
    ).toEqual({ path: '/app/requirements-prod.txt', kind: 'requirements' });
    expect(
      findDependencyFile('/repo/app', '/repo', reader({ '/repo/app/requirements-dev.txt': '', '/repo/Pipfile': '' })),
    ).toEqual({ path: '/repo/Pipfile', kind: 'pipfile' });
  });

  it('uses a pyproject only when it declares dependencies', () => {
    expect(
      findDependencyFile(
        '/repo/app',
        '/repo',
        reader({ '/repo/app/pyproject.toml': TOOL_ONLY, '/repo/requirements.txt': '' }),
      ),
    ).toEqual({ path: '/repo/requirements.txt', kind: 'requirements' });
    expect(
      findDependencyFile('/app', '/app', reader({ '/app/pyproject.toml': TOOL_ONLY, '/app/Pipfile': '' })),
    ).toEqual({ path: '/app/Pipfile', kind: 'pipfile' });
    expect(findDependencyFile('/app', '/app', reader({ '/app/pyproject.toml': PEP621, '/app/Pipfile': '' }))).toEqual({
      path: '/app/pyproject.toml',
      kind: 'pyproject-pep621',
    });
    expect(
      findDependencyFile(
        '/app',
        '/app',
        reader({ '/app/pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\n' }),
      ),
    ).toEqual({ path: '/app/pyproject.toml', kind: 'pyproject-poetry' });
    expect(
      findDependencyFile('/app', '/app', reader({ '/app/pyproject.toml': PEP621, '/app/requirements.txt': '' })),
    ).toEqual({ path: '/app/requirements.txt', kind: 'requirements' });
  });

  it('follows dynamic dependencies to their requirements file, or reports them', () => {
    const dynamic =
      '[project]\ndynamic = ["dependencies"]\n\n[tool.setuptools.dynamic]\ndependencies = {file = ["deps/main.txt"]}\n';
    expect(
      findDependencyFile('/app', '/app', reader({ '/app/pyproject.toml': dynamic, '/app/deps/main.txt': '' })),
    ).toEqual({ path: '/app/deps/main.txt', kind: 'requirements' });
    expect(findDependencyFile('/app', '/app', reader({ '/app/pyproject.toml': dynamic }))).toEqual({
      path: '/app/pyproject.toml',
      unsupported: expect.stringMatching(/deps\/main\.txt/),
    });
  });

  it('goes to the source of a pip-compile output', () => {
    const compiled =
      '#\n# This file is autogenerated by pip-compile with Python 3.11\n# by the following command:\n#\n#    pip-compile requirements.in\n#\nfastapi==0.110.0\n';
    expect(
      findDependencyFile(
        '/app',
        '/app',
        reader({ '/app/requirements.txt': compiled, '/app/requirements.in': 'fastapi\n' }),
      ),
    ).toEqual({ path: '/app/requirements.in', kind: 'requirements' });
    expect(findDependencyFile('/app', '/app', reader({ '/app/requirements.txt': compiled }))).toEqual({
      path: '/app/requirements.txt',
      unsupported: expect.stringMatching(/pip-compile/),
    });
  });

  it('reports setup.py dependencies instead of looking further up', () => {
    const read = reader({
      '/repo/app/setup.py': 'setup(install_requires=["fastapi"])\n',
      '/repo/requirements.txt': '',
    });
    expect(findDependencyFile('/repo/app', '/repo', read)).toEqual({
      path: '/repo/app/setup.py',
      unsupported: expect.stringMatching(/setup\.py/),
    });
  });
});

describe('versionSpecOf and capsBelowMajor: what a project pins its framework to', () => {
  it('reads the constraint in each kind of dependency file', () => {
    expect(versionSpecOf('requirements', 'Flask==1.1.4  # old\nopenai\n', 'flask')).toBe('==1.1.4');
    expect(versionSpecOf('requirements', 'openai\n', 'flask')).toBeUndefined();
    expect(versionSpecOf('requirements', 'flask\n', 'flask')).toBeUndefined();
    expect(versionSpecOf('pyproject-pep621', '[project]\ndependencies = ["flask>=1.1,<2", "openai"]\n', 'flask')).toBe(
      '>=1.1,<2',
    );
    expect(versionSpecOf('pyproject-poetry', '[tool.poetry.dependencies]\nFlask = "^1.1"\n', 'flask')).toBe('^1.1');
    expect(versionSpecOf('pipfile', '[packages]\nflask = {version = "==1.1.2", extras = []}\n', 'flask')).toBe(
      '==1.1.2',
    );
    expect(versionSpecOf('pipfile', '[packages]\nflask = "*"\n', 'flask')).toBeUndefined();
  });

  it('tells a constraint that keeps the major version below the floor from one that allows it', () => {
    for (const spec of ['==1.1.4', '<2', '<2.0', '<=1.9', '~=1.1', '^1.1', '~1.1', '1.1.4', '>=1.0,<2'])
      expect([spec, capsBelowMajor(spec, 2)]).toEqual([spec, true]);
    for (const spec of ['>=1.1', '>=1.1,<4', '<2.1', '~=2.0', '^2.0', '!=1.0', '==2.3.3'])
      expect([spec, capsBelowMajor(spec, 2)]).toEqual([spec, false]);
  });
});
