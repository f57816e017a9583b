// The regular expressions in src/, bin/, transforms/ and templates/ that recheck cannot call
// linear, each with the reason its input is bounded (test/regex-safety.test.ts reads this list).
// An exponential one is never listed: it is rewritten. Keys: the file, then the pattern as
// written (`/…/flags` for a literal, the first argument's code for `new RegExp(…)`).

export const POLYNOMIAL_ALLOWED: Record<string, string> = {
  'src/concerns/keys/literals.ts /^(<.*>|\\.\\.\\.|x{3,}|sk-\\.\\.\\.|.*(your|my|insert|replace|placeholder|api[-_ ]?key|token).*)$/i':
    'isPlaceholder() returns before it on values over 200 characters',
  'src/concerns/keys/python-keys.ts /["\']+$/': "a string's start token: an f/r/b prefix and one to three quotes",
  'src/concerns/ratelimit/next-ratelimit/helper.ts /function rateLimit\\(request[^)]*,\\s*limits/':
    'starts only at `function rateLimit(request` and stops at the first `)`: the parameter list of our helper',
  'src/concerns/ratelimit/next-ratelimit/insert-guard.ts /^\\s*(const|let|var)\\s*\\{\\s*method\\s*\\}\\s*=\\s*\\w+\\s*;?\\s*$/':
    "one declaration's code, which the parser ends at its last token (no trailing blanks to backtrack over)",
  'src/concerns/ratelimit/next-ratelimit/server-actions.ts /\\b\\w*[pP]rocedure\\b[\\s\\S]{0,400}?\\.(mutation|query|subscription)\\s*\\(/':
    'starts only at a word ending in `procedure`; the gap after it is capped at 400 characters',
  'src/concerns/ratelimit/python/limiter.ts /^limiter = Limiter\\([\\s\\S]*?^\\)$/m': 'runs on our own template',
  'src/concerns/ratelimit/python/limiter.ts /pip3?\\s+install\\b[^\\n]*?\\s-r\\s+(\\S+)/g':
    'a Dockerfile; each attempt starts at `pip install` and ends with its line',
  'src/core/parse-error.ts /\\s*\\(\\d+:\\d+\\)$/': "a parser's error message, one short line",
  'src/core/style.ts /\\/\\/[^\\n]*|\\/\\*[\\s\\S]*?\\*\\/|`(?:\\\\[\\s\\S]|[^`\\\\])*`|\'((?:\\\\.|[^\'\\\\\\n])*)\'|"(?:\\\\.|[^"\\\\\\n])*"/g':
    'restyle() runs on our own templates only',
  'src/lang/python/imports.ts /^(?:def|class|async def|if|for|while|with|try)\\b[^\\n]*:\\r?\\n([ \\t]+)\\S/m':
    'anchored at line starts: one attempt per line, each within its line',
  'src/project/python-deps.ts /\\bfile\\s*=\\s*(\\[[^\\]]*\\]|"[^"]*"|\'[^\']*\')/':
    'one TOML value; starts only at the word `file`, each branch stops at its first closing character',
  'src/report/format/pull-request.ts /^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*=\\s*(.+)$/': 'lines our steps added',
  'src/report/format/pull-request.ts /^([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(\\[[^\\]]*\\])?(.*)$/':
    'lines our steps added, trimmed',
};

export const DYNAMIC_ALLOWED: Record<string, string> = {
  'src/concerns/cors/js/allowlist.ts `^\\\\(\\\\s*process\\\\.env\\\\.${ALLOWLIST_ENV}\\\\s*(\\\\|\\\\||\\\\?\\\\?)`':
    'a constant name inside a fixed pattern (checked below)',
  'src/concerns/inventory/apps.ts `^[ \\\\t]*["\']?${name}(?:\\\\[[^\\\\]]*\\\\])?["\']?[ \\\\t]*(?:=[ \\\\t]*)?["\']?([<>=!~^*][^"\',;\\\\s#]*|\\\\*)?`':
    'a package name from our list inside a fixed pattern (checked below)',
  'src/concerns/inventory/apps.ts `^[ \\\\t]*\\\\w+[ \\\\t]*=[ \\\\t]*${cls}\\\\(`':
    'a class name from our list (checked below)',
  'src/concerns/keys/next-public-keys.ts `^[ \\\\t]*(export[ \\\\t]+)?${old}[ \\\\t]*=`':
    'an env var name (`[A-Z0-9_]+`) inside a fixed pattern (checked below)',
  'src/concerns/ratelimit/next-ratelimit/helper.ts `^const ${name} = (\\\\d+)`':
    'PER_MINUTE or PER_DAY (checked below)',
  'src/concerns/ratelimit/next-ratelimit/middleware.ts `^${out}$`':
    "a Next.js matcher from the app's middleware, tested against one route path of ours, a few dozen characters",
  'src/concerns/ratelimit/python/limiter.ts `\\\\b${name}\\\\.init_app\\\\(`': 'a Python identifier (checked below)',
  'src/core/secrets.ts `\\\\b${pattern.source.slice(1, -1)}`': 'the key formats (each checked below)',
  'src/frameworks/next/route-handlers.ts `^[ \\\\t]*export\\\\s+(?:async\\\\s+)?(?:function\\\\s*(?:\\\\*\\\\s*)?|const\\\\s+|let\\\\s+|var\\\\s+)(${methods})\\\\b`':
    'the HTTP method names (checked below)',
  'src/frameworks/next/route-handlers.ts `(?:\\\\bas\\\\s+|^\\\\s*|,\\\\s*)(${methods})\\\\s*(?=,|$)`':
    'the HTTP method names (checked below)',
  "src/knowledge/ai-providers.ts `^(?:${AI_KEY_STEMS.join('|')})(?:_[A-Z0-9]+)*?_${SECRET_SUFFIX}$`":
    'fixed lists (checked below), run on env var names',
  'src/project/project-files.ts `^[ \\\\t]*(?:#[ \\\\t]*)?(export[ \\\\t]+)?${name}[ \\\\t]*=`':
    'an env var name (`[A-Z0-9_]+`) inside a fixed pattern (checked below)',
  'src/project/python-deps.ts `^(${NAME})\\\\s*(?:\\\\[[^\\\\]]*\\\\]\\\\s*)?(?:(?:\\\\(\\\\s*(${SPECS})\\\\s*\\\\)|(${SPECS})|@\\\\s*([^\\\\s;]+))\\\\s*)?(?:;\\\\s*\\\\S.*)?$`':
    'PEP 508, built from constants (checked below)',
  'src/project/python-deps.ts `^\\\\s*(${NAME})`': 'a package name pattern, anchored (checked below)',
};
