// Where a module we add to a Next.js app goes (lib/rate-limit, lib/cors) and how its files import
// it: shared by every step that writes one, so they agree on the folder and the aliases.
import { dirname, join, relative, resolve, sep } from 'node:path';
import { isInside } from '../../core/paths.js';
import type { Overlay } from '../../project/overlay.js';
import type { NextApp } from './app.js';

/** Shows that a file is the helper we wrote (its header says so), not a user's own module. */
export const OUR_MARKER = 'added by ai-secure-codemods';

/** A helper module of ours in an app: where it goes, whether it is there, how a file imports it. */
export interface AppModulePlan {
  path: string;
  exists: boolean;
  specifierFor(file: string): string;
}

/**
 * Where a helper of ours lives: `lib/<stem>` beside the app's code (`src/lib` in a src/ layout),
 * `.js` in a JavaScript app. A module of the user's own with that name is never overwritten: we
 * pick `lib/ai-<stem>` (then numbered) instead.
 */
export function appModulePlan(app: NextApp, overlay: Overlay, stem: string): AppModulePlan {
  const ext = app.typescript ? '.ts' : '.js';
  let path = '';
  let exists = false;
  const stems = [stem, `ai-${stem}`, ...Array.from({ length: 8 }, (_, i) => `ai-${stem}-${i + 2}`)];
  for (const candidate of stems) {
    const base = join(app.sourceRoot, 'lib', candidate);
    const taken = ['.ts', '.tsx', '.js', '.jsx', '.mjs'].map((e) => base + e).find((p) => overlay.exists(p));
    if (!taken) {
      path = base + ext;
      break;
    }
    if (overlay.read(taken)?.includes(OUR_MARKER)) {
      path = taken;
      exists = true;
      break;
    }
  }
  if (!path) throw new Error(`lib/${stem} and ${stems.length - 1} other helper names are all taken in ${app.root}`);
  const withoutExt = path.replace(/\.(ts|tsx|js|jsx|mjs)$/, '');
  return {
    path,
    exists,
    specifierFor(file) {
      for (const alias of app.aliases) {
        if (alias.wildcard && isInside(withoutExt, alias.target))
          return alias.prefix + toPosix(relative(alias.target, withoutExt));
      }
      const rel = toPosix(relative(dirname(resolve(file)), withoutExt));
      return rel.startsWith('.') ? rel : `./${rel}`;
    },
  };
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
