import { join, relative } from 'node:path';
import type { API, FileInfo } from 'jscodeshift';
import { parseSource } from '../lib/parse.js';
import type { NextApp } from '../lib/project-model.js';
import { topDirective } from '../lib/scan-module.js';
import type { Finding, StepContext, TransformMeta, TransformOption } from '../lib/types.js';
import { forEachChild } from './lib/ast.js';
import { applyEdits, type Edit } from './lib/edits.js';
import { clientReachable } from './lib/client-code.js';
import { envExamplesOf } from './lib/project-files.js';
import { lineAt } from './lib/style.js';

export const meta: TransformMeta = {
  slug: 'next-public-keys',
  step: 5,
  title: 'Take AI API keys out of NEXT_PUBLIC_ env vars (the browser bundle) into server-only ones',
  languages: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs'],
  globs: ['**/*.{ts,tsx,js,jsx,mjs,cjs}', '.env.example', '.env.*.example'],
  ruleId: 'ai-secure/next-public-keys',
  cwe: 'CWE-200',
  severity: 'critical',
};

export const options: TransformOption[] = [];

/** Prefixes whose variables the framework inlines into the browser bundle. Only Next.js's is renamed. */
const CLIENT_PREFIXES = ['NEXT_PUBLIC_', 'VITE_', 'REACT_APP_', 'EXPO_PUBLIC_'];

/** Secret AI keys, named without the prefix. */
const AI_SECRET = /^(OPENAI|AZURE_OPENAI|ANTHROPIC|CLAUDE|GEMINI|GOOGLE_GENERATIVE_AI|GOOGLE_AI|GROQ|MISTRAL|COHERE|REPLICATE|HUGGING_?FACE|HF|TOGETHER|DEEPSEEK|XAI|GROK|PERPLEXITY|OPENROUTER|FIREWORKS|ELEVENLABS|STABILITY|FAL|VOYAGE)(_API)?_(KEY|TOKEN|SECRET|SECRET_KEY)$|^HF_TOKEN$/;

/**
 * Keys that are public by design, whatever their prefix: they identify a project to a service
 * that expects them in the browser (and enforces its own rules server-side). Never touched.
 */
export const PUBLIC_BY_DESIGN = [
  /SUPABASE_(ANON|PUBLISHABLE)_KEY$/, /^FIREBASE_/, /STRIPE_PUBLISHABLE_KEY$/, /CLERK_PUBLISHABLE_KEY$/,
  /POSTHOG_(KEY|HOST)$/, /SEGMENT_WRITE_KEY$/, /MIXPANEL_TOKEN$/, /(GA|GTM|GOOGLE_ANALYTICS)_(ID|MEASUREMENT_ID)$/,
  /SENTRY_DSN$/, /MAPBOX_(ACCESS_)?TOKEN$/, /ALGOLIA_(SEARCH|SEARCH_ONLY)_(API_)?KEY$/, /GOOGLE_MAPS_API_KEY$/,
  /(RECAPTCHA|TURNSTILE|HCAPTCHA)_SITE_KEY$/, /PUSHER_(APP_)?KEY$/, /ABLY_PUBLIC_KEY$/,
];

/** The server-side name of a secret AI key read through a client prefix, or undefined. */
export function secretKeyName(name: string): { prefix: string; serverName: string } | undefined {
  const prefix = CLIENT_PREFIXES.find((p) => name.startsWith(p));
  if (!prefix) return undefined;
  const serverName = name.slice(prefix.length);
  if (PUBLIC_BY_DESIGN.some((pattern) => pattern.test(serverName)) || !AI_SECRET.test(serverName)) return undefined;
  return { prefix, serverName };
}

/** One read of a client-prefixed secret, or a browser-enabled SDK client, found in a file. */
interface Exposure {
  line: number;
  name: string;
  serverName?: string;
  prefix?: string;
  edit?: Edit;
  browserSdk?: boolean;
}

/** Reads of `process.env.X`, `process.env['X']`, `import.meta.env.X`, `const { X } = process.env`, and `dangerouslyAllowBrowser: true`. */
export function findExposures(path: string, source: string): Exposure[] {
  const found: Exposure[] = [];
  const visit = (node: any): void => {
    if (node.type === 'MemberExpression' && isEnvObject(node.object)) {
      const key = node.computed ? (node.property.type === 'StringLiteral' ? node.property : undefined) : node.property;
      const name = key && (key.name ?? key.value);
      const secret = name && secretKeyName(name);
      if (secret) {
        // `process.env['NEXT_PUBLIC_X']` keeps its own quotes.
        const text = key.type === 'StringLiteral' ? source[key.start] + secret.serverName + source[key.start] : secret.serverName;
        found.push({ line: lineAt(source, node.start), name, ...secret, edit: { start: key.start, end: key.end, text } });
      }
    } else if (node.type === 'VariableDeclarator' && node.id?.type === 'ObjectPattern' && isEnvObject(node.init)) {
      for (const property of node.id.properties) {
        const name = property.key?.name;
        const secret = name && !property.computed && secretKeyName(name);
        if (!secret) continue;
        // `{ NEXT_PUBLIC_X }` becomes `{ X: NEXT_PUBLIC_X }`: the local name, and every use of it, stay.
        const edit = property.shorthand
          ? { start: property.start, end: property.start, text: `${secret.serverName}: ` }
          : { start: property.key.start, end: property.key.end, text: secret.serverName };
        found.push({ line: lineAt(source, property.start), name, ...secret, edit });
      }
    } else if (node.type === 'ObjectProperty' && (node.key?.name ?? node.key?.value) === 'dangerouslyAllowBrowser' && node.value?.type === 'BooleanLiteral' && node.value.value) {
      found.push({ line: lineAt(source, node.start), name: 'dangerouslyAllowBrowser', browserSdk: true });
    }
    forEachChild(node, visit);
  };
  visit(parseSource(path, source).program);
  return found;
}

/** `process.env` or `import.meta.env`. */
function isEnvObject(node: any): boolean {
  if (node?.type !== 'MemberExpression' || node.computed || node.property?.name !== 'env') return false;
  return (node.object?.type === 'Identifier' && node.object.name === 'process') || node.object?.type === 'MetaProperty';
}

/** The jscodeshift entry point: renames in a file that is not a client component itself (no app context). */
export default function transformer(file: FileInfo, _api: API): string | undefined {
  if (!CLIENT_PREFIXES.some((p) => file.source.includes(p)) || topDirective(file.source) === 'use client') return undefined;
  const edits = findExposures(file.path, file.source).filter((e) => e.prefix === 'NEXT_PUBLIC_' && e.edit).map((e) => e.edit!);
  return edits.length ? applyEdits(file.source, edits) : undefined;
}

/**
 * Server-only code gets the server name (and the app's env example files with it); code that the
 * browser loads cannot be fixed by a rename and is reported with the import chain that brings it
 * there; so is every SDK client created with `dangerouslyAllowBrowser: true`.
 */
export function run(ctx: StepContext): void {
  for (const app of ctx.model.apps) {
    const clientChains = clientReachable(ctx, app);
    const renamed = new Set<string>();
    for (const path of app.files) {
      if (!ctx.overlay.containsAny(path, [...CLIENT_PREFIXES, 'dangerouslyAllowBrowser'])) continue;
      const chain = clientChains.get(path);
      let exposures: Exposure[] = [];
      ctx.transformFile(path, (source) => {
        exposures = findExposures(path, source);
        const edits = chain ? [] : exposures.filter((e) => e.prefix === 'NEXT_PUBLIC_' && e.edit).map((e) => e.edit!);
        return edits.length ? applyEdits(source, edits) : undefined;
      });
      for (const exposure of exposures) ctx.report(findingFor(app, path, exposure, chain));
      for (const e of exposures) if (!chain && e.prefix === 'NEXT_PUBLIC_') renamed.add(e.name);
    }
    renameInEnvFiles(ctx, app, renamed);
  }
}

function findingFor(app: NextApp, file: string, exposure: Exposure, chain: string[] | undefined): Finding {
  const base = { ruleId: meta.ruleId, file, line: exposure.line };
  const via = chain && chain.length > 1 ? ` (reached from the browser through ${chain.map((p) => relative(app.root, p)).join(' → ')})` : '';
  if (exposure.browserSdk) {
    return { ...base, kind: 'needs-human', severity: 'critical', message: `an AI SDK client with dangerouslyAllowBrowser: true: its API key is sent to every visitor${via}`, fix: 'create the client in a route handler or Server Action and call that from the browser' };
  }
  if (exposure.prefix !== 'NEXT_PUBLIC_') {
    return { ...base, kind: 'needs-human', severity: 'critical', message: `${exposure.name} is inlined into the browser bundle by the ${exposure.prefix} prefix`, fix: `call the AI API from a server and keep the key there as ${exposure.serverName}` };
  }
  if (chain) {
    return { ...base, kind: 'needs-human', severity: 'critical', message: `${exposure.name} is read in code the browser loads${via}: a rename cannot fix that, the key is in the bundle`, fix: `move the AI call into a route handler that reads process.env.${exposure.serverName}, call it from the component, then revoke the exposed key` };
  }
  return { ...base, kind: 'changed', severity: 'high', message: `${exposure.name} → ${exposure.serverName}: server-only code, the key no longer needs the browser prefix` };
}

/** Env example files get the server names; real env files are only pointed at, never read into output. */
function renameInEnvFiles(ctx: StepContext, app: NextApp, names: Set<string>): void {
  if (!names.size) return;
  for (const path of envExamplesOf(app.root, ctx.overlay)) {
    ctx.transformFile(path, (text) => renameEnvNames(text, names));
    ctx.report({ ruleId: meta.ruleId, kind: 'changed', severity: 'info', file: path, message: `renamed ${[...names].join(', ')} to the server names` });
  }
  for (const name of ['.env', '.env.local', '.env.development', '.env.production', '.env.development.local', '.env.production.local']) {
    const path = join(app.root, name);
    if (ctx.overlay.containsAny(path, [...names])) {
      ctx.report({ ruleId: meta.ruleId, kind: 'needs-human', severity: 'high', file: path, message: `still names ${[...names].join(', ')}`, fix: 'rename it there without the NEXT_PUBLIC_ prefix, and in your deployment settings (Vercel: Project → Settings → Environment Variables)' });
    }
  }
}

/** `NEXT_PUBLIC_X=…` → `X=…` in an env example (dropped when `X` is already there). */
export function renameEnvNames(text: string, names: Set<string>): string {
  const lines = text.split(/(?<=\n)/);
  const defined = (name: string) => lines.some((line) => new RegExp(`^\\s*(export\\s+)?${name}\\s*=`).test(line));
  return lines
    .flatMap((line) => {
      const match = /^(\s*(?:export\s+)?)([A-Z0-9_]+)(\s*=)/.exec(line);
      if (!match || !names.has(match[2]!)) return [line];
      const serverName = secretKeyName(match[2]!)!.serverName;
      return defined(serverName) ? [] : [match[1] + serverName + line.slice(match[1]!.length + match[2]!.length)];
    })
    .join('');
}
