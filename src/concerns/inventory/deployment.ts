import { join } from 'node:path';
import { isAiKeyName, withoutClientPrefix } from '../../knowledge/ai-providers.js';
import { KEY_ENV_BY_PACKAGE } from '../../knowledge/key-formats.js';
import type { Overlay } from '../../project/overlay.js';
import { renderEnvValues } from '../../project/project-files.js';
import { isInside } from '../../core/paths.js';
import type { Finding } from '../../core/finding.js';
import type { AiCallSite, AppInfo, DeploymentInfo } from '../../core/report-schema.js';

// The workflow's deployment notes: which env vars each app needs at run time, and where they
// must be set on the platforms its files point at. Values are never read: names only.

const RULE = 'ai-secure/deployment-env';

/** Platform files, and where secrets go on each. */
const PLATFORMS: { platform: string; files: string[]; where: string }[] = [
  {
    platform: 'vercel',
    files: ['vercel.json', '.vercel/project.json'],
    where: 'Vercel → Project → Settings → Environment Variables (never with a NEXT_PUBLIC_ prefix)',
  },
  {
    platform: 'render',
    files: ['render.yaml'],
    where: 'render.yaml envVars with `sync: false`, the value set in the Render dashboard',
  },
  { platform: 'fly', files: ['fly.toml'], where: '`fly secrets set NAME=…`' },
  { platform: 'heroku', files: ['Procfile', 'app.json'], where: '`heroku config:set NAME=…`' },
  { platform: 'netlify', files: ['netlify.toml'], where: 'Netlify → Site configuration → Environment variables' },
  { platform: 'railway', files: ['railway.json', 'railway.toml'], where: 'Railway → service → Variables' },
  {
    platform: 'docker',
    files: ['Dockerfile', 'docker-compose.yml', 'compose.yaml'],
    where:
      'the container environment (`docker run -e`, compose `environment:` from a secret store), never baked into the image',
  },
];

/** Python AI packages and the env var each reads its key from. */
const PY_KEY_ENV: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  'google.generativeai': 'GOOGLE_API_KEY',
  'google.genai': 'GEMINI_API_KEY',
  groq: 'GROQ_API_KEY',
  mistralai: 'MISTRAL_API_KEY',
  cohere: 'COHERE_API_KEY',
  replicate: 'REPLICATE_API_TOKEN',
  together: 'TOGETHER_API_KEY',
  langchain_openai: 'OPENAI_API_KEY',
  langchain_anthropic: 'ANTHROPIC_API_KEY',
  langchain_google_genai: 'GOOGLE_API_KEY',
};

const ENV_READ =
  /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])|os\.(?:environ(?:\.get)?\s*[[(]\s*|getenv\s*\(\s*)['"]([A-Z][A-Z0-9_]*)['"]/g;

export function findDeployment(
  apps: AppInfo[],
  files: string[],
  aiCalls: AiCallSite[],
  overlay: Overlay,
  report: (f: Finding) => void,
): DeploymentInfo[] {
  return apps
    .filter((app) => app.handled)
    .map((app) => {
      const platforms = PLATFORMS.filter(({ files: names }) =>
        names.some((name) => overlay.exists(join(app.root, name))),
      );
      const env = new Map<string, { name: string; purpose: string; secret: boolean }>();
      const add = (name: string, purpose: string, secret: boolean) =>
        env.has(name) || env.set(name, { name, purpose, secret });
      const own = files.filter((file) => isInside(file, app.root) && /\.(py|[cm]?[jt]sx?)$/.test(file));
      for (const call of aiCalls) {
        if (!isInside(call.file, app.root)) continue;
        // @google/generative-ai reads no env var itself: the code passes whatever it reads (seen below).
        const name =
          call.sdk === '@google/generative-ai' ? undefined : (KEY_ENV_BY_PACKAGE[call.sdk] ?? PY_KEY_ENV[call.sdk]);
        if (name) add(name, `${call.sdk} API key`, true);
      }
      for (const file of own) {
        if (!overlay.containsAny(file, ['process.env', 'os.environ', 'os.getenv'])) continue;
        for (const match of (overlay.read(file) ?? '').matchAll(ENV_READ)) {
          const name = match[1] ?? match[2] ?? match[3]!;
          const bare = withoutClientPrefix(name);
          if (isAiKeyName(bare)) add(bare, 'AI API key', true);
          else if (/^(UPSTASH_REDIS_REST_(URL|TOKEN)|KV_REST_API_(URL|TOKEN))$/.test(name))
            add(name, 'rate limit store (Upstash Redis): shared counts in production', name.endsWith('TOKEN'));
          else if (name === 'RATE_LIMIT_STORAGE_URI')
            add(name, 'rate limit store (redis://…): shared counts between workers', true);
          else if (name === 'ALLOWED_ORIGINS') add(name, 'CORS allowlist, comma-separated origins', false);
        }
      }
      const where = platforms.map((p) => p.where).join('; ') || "your host's environment settings";
      checkPlatformFiles(app, overlay, report);
      return {
        root: app.root,
        platforms: platforms.map((p) => p.platform),
        env: [...env.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((e) => ({ ...e, where })),
      };
    });
}

/** Secrets committed in platform files, and secret names given a browser prefix there. */
function checkPlatformFiles(app: AppInfo, overlay: Overlay, report: (f: Finding) => void): void {
  const render = join(app.root, 'render.yaml');
  const text = overlay.read(render);
  if (text !== undefined) {
    // A key with its value in the file (not `sync: false` / `fromGroup`): committed.
    for (const { name, index } of renderEnvValues(text)) {
      if (!isAiKeyName(withoutClientPrefix(name))) continue;
      const line = text.slice(0, index).split('\n').length;
      report({
        ruleId: RULE,
        kind: 'needs-human',
        severity: 'critical',
        file: render,
        line,
        message: `${name} has its value written in render.yaml: the key is in the repository`,
        fix: `replace \`value:\` with \`sync: false\`, set the value in the Render dashboard, and rotate the key`,
      });
    }
  }
  for (const file of [join(app.root, 'vercel.json'), render]) {
    const content = overlay.read(file);
    if (content === undefined) continue;
    for (const match of content.matchAll(/\b(NEXT_PUBLIC_|VITE_|REACT_APP_)([A-Z][A-Z0-9_]*)/g)) {
      if (!isAiKeyName(match[2]!)) continue;
      report({
        ruleId: RULE,
        kind: 'needs-human',
        severity: 'high',
        file,
        line: content.slice(0, match.index).split('\n').length,
        message: `${match[0]} is set for the deployment: a browser prefix puts the AI key into the JavaScript every visitor downloads`,
        fix: `name it ${match[2]} on the platform and read it only in server code`,
      });
    }
  }
  // The rate limiter keys on X-Forwarded-For, which `next start` exposed directly keeps as sent.
  if (app.framework === 'nextjs' && !overlay.exists(join(app.root, 'vercel.json'))) {
    const docker = overlay.read(join(app.root, 'Dockerfile'));
    if (docker && /next\s+start|node\s+server\.js|npm\s+(run\s+)?start/.test(docker)) {
      report({
        ruleId: RULE,
        kind: 'note',
        severity: 'medium',
        file: join(app.root, 'Dockerfile'),
        message:
          'self-hosted Next.js: without a proxy in front, a caller can choose its X-Forwarded-For and so its rate-limit key',
        fix: 'put a reverse proxy (nginx, a load balancer) in front that sets X-Forwarded-For, and set RATE_LIMIT_TRUSTED_PROXY_HOPS to the number of proxies',
      });
    }
  }
}
