import { basename, dirname } from 'node:path';
import type { Overlay } from '../../project/overlay.js';
import { parserFor } from '../../lang/js/parse.js';
import { NEXT_CONFIG } from '../../frameworks/next/app.js';
import { isTestFile } from '../../knowledge/test-files.js';
import type { FoundCorsSite } from './sites/site.js';
import { pythonSites } from './sites/python.js';
import { jsSites } from './sites/js.js';
import { vercelSites } from './sites/vercel.js';

export type { FoundCorsSite } from './sites/site.js';

// Where a project configures CORS, and whether any website may call it from a visitor's browser.
// Read from the code, never run: FastAPI/Starlette CORSMiddleware, Flask-CORS, django-cors-headers
// settings, the JS `cors` packages (Express, Hono, Koa, Fastify), and the Access-Control-Allow-Origin
// header set by hand (Next.js config, middleware and route handlers, Node, Python responses,
// vercel.json). Origins are followed through literals and names bound once in the file; anything
// computed further away is `dynamic`, its verdict `unknown`.

/** Only files with one of these are parsed. */
const NEEDLES = ['cors', 'CORS', 'Cors', 'cross_origin', 'llow-Origin', 'llow-origin', 'LLOW-ORIGIN'];

/**
 * Every place the project configures CORS, with whether it lets any origin in; tests are skipped
 * (judged inside `roots`, the folders the user named). `nextApps`: the roots of the Next.js apps
 * the project model found (a route handler there is Next.js even when it imports nothing from
 * next); a folder with a next.config counts too. Python needs loadPythonParser() first.
 */
export function findCorsSites(
  files: string[],
  overlay: Overlay,
  roots: readonly string[],
  nextApps: readonly string[] = [],
): FoundCorsSite[] {
  const configured = files.filter((file) => NEXT_CONFIG.test(basename(file))).map((file) => dirname(file));
  const nextRoots = [...new Set([...nextApps, ...configured])];
  const sites: FoundCorsSite[] = [];
  for (const file of files) {
    if (isTestFile(file, roots)) continue;
    const kind = file.endsWith('.py')
      ? 'python'
      : parserFor(file)
        ? 'js'
        : basename(file) === 'vercel.json'
          ? 'vercel'
          : undefined;
    if (!kind || !overlay.containsAny(file, NEEDLES)) continue;
    const text = overlay.read(file);
    if (text === undefined) continue;
    const found =
      kind === 'python'
        ? pythonSites(file, text)
        : kind === 'js'
          ? jsSites(file, text, nextRoots)
          : vercelSites(file, text);
    sites.push(...found.sort((a, b) => a.line - b.line));
  }
  return sites;
}
