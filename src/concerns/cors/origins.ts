import { lazyRequire } from '../../core/lazy-require.js';
import { basename, join } from 'node:path';
import type { Overlay } from '../../project/overlay.js';

const jsonc = lazyRequire<typeof import('jsonc-parser')>('jsonc-parser');
import { ENV_EXAMPLE_FILES, renderEnvValues } from '../../project/project-files.js';

// Which origins the allowlist starts with in development: what the user passes (--origins),
// else the origins the project already names for its front end, else the workflow's
// http://localhost:3000. Production sets ALLOWED_ORIGINS; this is only the default.

export const DEFAULT_ORIGIN = 'http://localhost:3000';

/** Env names that hold the front end's origin (or a list of allowed ones). */
const ORIGIN_NAMES =
  /^(ALLOWED_ORIGINS|CORS_ORIGINS|CORS_ALLOWED_ORIGINS|FRONTEND_URL|FRONTEND_ORIGIN|CLIENT_URL|CLIENT_ORIGIN|WEB_URL|APP_URL|SITE_URL|NEXT_PUBLIC_APP_URL|NEXT_PUBLIC_SITE_URL|PUBLIC_URL)$/;

/** `scheme://host[:port]` without a path: what a browser sends as Origin. */
export function asOrigin(value: string): string | undefined {
  const trimmed = value.trim().replace(/^["']|["']$/g, '');
  const match = /^(https?:\/\/[a-z0-9.-]+(?::\d{1,5})?)(?:\/.*)?$/i.exec(trimmed);
  return match ? match[1]!.toLowerCase() : undefined;
}

/** A problem with `--origins`, or undefined when every entry is an origin (and none is `*`). */
export function validateOrigins(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  const entries = String(value)
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.includes('*')) return '--origins must list origins, not "*": a wildcard is what this step removes';
  const bad = entries.find((entry) => asOrigin(entry) !== entry.replace(/\/$/, '').toLowerCase());
  return bad
    ? `--origins takes origins such as https://app.example.com (scheme, host, optional port; no path): got "${bad}"`
    : undefined;
}

/**
 * The default allowlist for a project folder: `--origins` when given, else origins its env
 * example files, vercel.json, render.yaml or fly.toml name under an origin-like name, else
 * http://localhost:3000 (kept first in the list when found beside others).
 */
export function defaultOrigins(root: string, overlay: Overlay, given?: string): string[] {
  if (given)
    return [
      ...new Set(
        given
          .split(',')
          .map((e) => asOrigin(e))
          .filter((e): e is string => Boolean(e)),
      ),
    ];
  const found = new Set<string>();
  const take = (name: string, value: string) => {
    if (!ORIGIN_NAMES.test(name)) return;
    for (const part of value.split(',')) {
      const origin = asOrigin(part);
      if (origin) found.add(origin);
    }
  };
  for (const name of ENV_EXAMPLE_FILES) {
    for (const line of (overlay.read(join(root, name)) ?? '').split(/\r?\n/)) {
      const match = /^[ \t]*(?:export[ \t]+)?([A-Z][A-Z0-9_]*)[ \t]*=(.*)/.exec(line);
      if (match) take(match[1]!, match[2]!);
    }
  }
  const render = overlay.read(join(root, 'render.yaml')) ?? '';
  for (const { name, value } of renderEnvValues(render)) take(name, value);
  const fly = overlay.read(join(root, 'fly.toml')) ?? '';
  for (const match of fly.matchAll(/^[ \t]*([A-Z][A-Z0-9_]*)[ \t]*=[ \t]*["']([^"']*)["']/gm))
    take(match[1]!, match[2]!);
  const vercel = overlay.read(join(root, 'vercel.json'));
  if (vercel) {
    // Read as Vercel reads it (comments allowed); what does not parse names nothing.
    const env = (jsonc().parse(vercel) as { env?: Record<string, unknown> } | undefined)?.env;
    for (const [name, value] of Object.entries(env && typeof env === 'object' ? env : {}))
      if (typeof value === 'string') take(name, value);
  }
  return [DEFAULT_ORIGIN, ...[...found].filter((o) => o !== DEFAULT_ORIGIN)];
}

/** Whether a file is a Next.js app's config (whose static headers cannot check an origin). */
export const isNextConfig = (file: string) => /^next\.config\.(js|mjs|cjs|ts|mts)$/.test(basename(file));
