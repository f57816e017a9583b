import { basename, dirname, join, relative, resolve } from 'node:path';
import type { API, FileInfo } from 'jscodeshift';
import { CLIENT_ENV_PREFIXES, SHARED_WITH_PUBLIC_APIS } from '../../knowledge/ai-providers.js';
import { discoverFiles } from '../../project/discover.js';
import { findGitRoot } from '../../project/git.js';
import { Overlay } from '../../project/overlay.js';
import { buildProjectModel, type ProjectModel } from '../../frameworks/model.js';
import { findAppRootOf, NEXT_CONFIG, type NextApp } from '../../frameworks/next/app.js';
import { workspaceRootOf } from '../../project/manifests.js';
import { isInside } from '../../core/paths.js';
import { defineStep, type StepContext } from '../../step/contract.js';
import type { Finding } from '../../core/finding.js';
import { applyEdits, type Edit } from '../../core/edits.js';
import { findExposures, type EnvRead, type Exposure } from './env-exposures.js';
import { envExamplesOf, renameEnvNames } from '../../project/project-files.js';
import { meta, options } from './next-public-keys.meta.js';

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** Text a file must contain to be parsed at all. */
const NEEDLES = [...Object.keys(CLIENT_ENV_PREFIXES), 'dangerouslyAllowBrowser'];
/** Env files with real values: never edited, never read into output; only named in the report. */
const REAL_ENV_FILES = [
  '.env',
  '.env.local',
  '.env.development',
  '.env.development.local',
  '.env.production',
  '.env.production.local',
];
const DEPLOYMENT = 'your deployment settings (Vercel → Project → Settings → Environment Variables)';

/** Where a file runs, as far as its importers tell: browser code wins over server code. */
type Place = { side: 'browser' | 'server'; chain: string[] } | { side: 'unknown' };

/** What to do about one exposure: a finding (without rule id and file), a rename, a name still read. */
interface Verdict {
  finding?: Omit<Finding, 'ruleId' | 'file'>;
  rename?: Edit;
  /** A renamed name, old → new. */
  renamed?: [string, string];
  /** A Next.js name that code still reads (or names) after this run: env files keep it. */
  kept?: string;
  /** A member of `interface ProcessEnv`: renamed once every read of its name is. */
  declaration?: Omit<Declaration, 'path' | 'app'>;
}

/** Per app: the Next.js names renamed in code (old → new), and those some code still reads. */
interface AppNames {
  renamed: Map<string, string>;
  kept: Set<string>;
}

/** A `ProcessEnv` member naming a browser-prefixed key, in the file `path`. */
interface Declaration {
  path: string;
  app?: NextApp;
  line: number;
  name: string;
  serverName: string;
}

/** What the verdicts need to know about the file. */
interface Site {
  file: string;
  place: Place;
  app?: NextApp;
  /** Whether the file, or what it imports, calls an AI API. */
  reachesAi: () => boolean;
}

/** The place of a file in the project: loaded by the browser, only by the server, or by nothing we can follow. */
function placeOf(model: ProjectModel, file: string): Place {
  const browser = model.graph.clientReach(file);
  if (browser) return { side: 'browser', chain: browser };
  const server = model.graph.serverReach(file);
  return server ? { side: 'server', chain: server } : { side: 'unknown' };
}

/** The app a file belongs to, or, for a shared package, the app whose code imports it. */
function appOf(model: ProjectModel, file: string, place: Place): NextApp | undefined {
  const owner = (path: string) =>
    model.apps.filter((app) => isInside(path, app.root)).sort((a, b) => b.root.length - a.root.length)[0];
  return owner(file) ?? (place.side !== 'unknown' ? owner(place.chain[0]!) : undefined);
}

function judge(exposure: Exposure, site: Site): Verdict {
  switch (exposure.kind) {
    case 'read':
      return exposure.prefix === 'NEXT_PUBLIC_' ? judgeNextRead(exposure, site) : { finding: otherFramework(exposure) };
    case 'browser-sdk':
      return { finding: { kind: 'needs-human', severity: 'critical', line: exposure.line, ...browserSdk(site) } };
    case 'mention':
      // In browser code the reads say it all; elsewhere a name we cannot rename must be renamed by hand.
      if (exposure.prefix !== 'NEXT_PUBLIC_' || site.place.side === 'browser') return {};
      if (exposure.processEnvEdit)
        return { declaration: { line: exposure.line, name: exposure.name, serverName: exposure.serverName } };
      return {
        kept: exposure.type ? undefined : exposure.name,
        finding: {
          kind: 'needs-human',
          severity: 'medium',
          line: exposure.line,
          message: `${exposure.name} is named here, not read as process.env.${exposure.name}: not renamed`,
          fix: `if it names the env var (an env schema, a getEnv('…') helper, a type), rename it to ${exposure.serverName} by hand, with your env files`,
        },
      };
    case 'config-entry':
      return {
        finding: {
          kind: 'needs-human',
          severity: 'critical',
          line: exposure.line,
          message: `${exposure.config}.${exposure.entry} in ${basename(site.file)} exposes an AI key: Next.js inlines ${exposure.config === 'env' ? 'every env entry into the code that reads it, browser code included' : 'publicRuntimeConfig into every page'}`,
          fix: `remove the entry: server code reads process.env.${exposure.serverName} without it; if browser code used it, move that AI call into a route handler and revoke the key`,
        },
      };
  }
}

function judgeNextRead(read: EnvRead, site: Site): Verdict {
  const { name, serverName, line } = read;
  const moveFix = `move the AI call into a route handler that reads process.env.${serverName} and call that route from the browser; then revoke the key: it has been public`;
  if (read.inBrowserConfig) return { kept: name }; // reported with its next.config entry
  if (site.place.side === 'browser') {
    const page =
      site.place.chain.length === 1 &&
      read.inDataFunction &&
      site.app?.pagesDir &&
      isInside(site.file, site.app.pagesDir);
    if (page) {
      return {
        rename: read.edit,
        renamed: [name, serverName],
        finding: {
          kind: 'changed',
          severity: 'info',
          line,
          message: `${name} → ${serverName}: read in ${read.inDataFunction}, which runs on the server only (Next.js leaves it out of the browser bundle)`,
          problem: needlessPublic(name),
        },
      };
    }
    const maybePublic = SHARED_WITH_PUBLIC_APIS.has(serverName) && !site.reachesAi();
    return {
      kept: name,
      finding: maybePublic
        ? {
            kind: 'needs-human',
            severity: 'medium',
            line,
            message: `${name} is read in code the browser loads (${from(site)}): if Gemini uses this key, it is public now (a Google Maps or Firebase browser key restricted by referrer is public by design)`,
            fix: `if it is an AI key: ${moveFix}`,
          }
        : {
            kind: 'needs-human',
            severity: 'critical',
            line,
            message: `${name} is read in code the browser loads (${from(site)}): the key is in the bundle, and a rename cannot take it out`,
            fix: moveFix,
          },
    };
  }
  if (site.place.side === 'server' && read.inJsx) {
    return {
      kept: name,
      finding: {
        kind: 'needs-human',
        severity: 'critical',
        line,
        message: `${name} is passed into JSX: the rendered value reaches the browser whatever the variable is called`,
        fix: "pass the AI call's result to the page, never the key; then revoke the key: it has been public",
      },
    };
  }
  if (site.place.side === 'server') {
    const via = site.place.chain.length > 1 ? ` (${chainText(site.place.chain, site)})` : '';
    return {
      rename: read.edit,
      renamed: [name, serverName],
      finding: {
        kind: 'changed',
        severity: 'info',
        line,
        message: `${name} → ${serverName}: only server code loads this file${via}, so the key needs no browser prefix`,
        problem: needlessPublic(name),
      },
    };
  }
  return {
    kept: name,
    finding: {
      kind: 'needs-human',
      severity: 'high',
      line,
      message: `${name}: no route, page, component, middleware or Server Action imports this file (as far as imports can be followed), so it is not known to be server-only: left as it is`,
      fix: `if only server code or scripts load it, rename it to process.env.${serverName}; if browser code does, ${moveFix}`,
    },
  };
}

/** `dangerouslyAllowBrowser: true`: a leak in browser code, a loaded gun in server code. */
/** Why a server-only read of a NEXT_PUBLIC_ AI key is still a problem: one client import from leaking. */
function needlessPublic(name: string): Finding['problem'] {
  return {
    message: `${name}: an AI key behind a browser prefix; only server code reads it today, but any client component importing this code would ship it to every visitor`,
    severity: 'medium',
  };
}

function browserSdk(site: Site): Pick<Finding, 'message' | 'fix'> {
  const move =
    'create the client in a route handler or Server Action, call that from the browser, and drop dangerouslyAllowBrowser';
  switch (site.place.side) {
    case 'browser':
      return {
        message: `dangerouslyAllowBrowser: true in code the browser loads (${from(site)}): the SDK calls the AI API from every visitor's browser, with your key`,
        fix: `${move}; then revoke the key: it has been public`,
      };
    case 'server':
      return {
        message:
          "dangerouslyAllowBrowser: true in server-only code switches off the SDK's guard against running in the browser: the first client component that imports this file ships the key",
        fix: 'remove dangerouslyAllowBrowser: server code does not need it',
      };
    default:
      return {
        message: 'dangerouslyAllowBrowser: true lets the SDK run in the browser, where its API key is public',
        fix: `${move}; if this code has run in a browser, revoke the key`,
      };
  }
}

function otherFramework(read: EnvRead): Omit<Finding, 'ruleId' | 'file'> {
  const bundle = read.prefix === 'EXPO_PUBLIC_' ? 'app bundle' : 'browser bundle';
  return {
    kind: 'needs-human',
    severity: 'critical',
    line: read.line,
    message: `${read.name}: ${read.framework} puts every ${read.prefix} variable into the ${bundle}`,
    fix: `call the AI API from your server (an API route or serverless function) that reads ${read.serverName}, without the ${read.prefix} prefix; then revoke the key: it has been public`,
  };
}

/** `the 'use client' module components/chat.tsx → lib/openai.ts`: how the browser gets to the file. */
function from(site: Site): string {
  if (site.place.side === 'unknown') return '';
  const entry = site.place.chain[0]!;
  const pages = site.app?.pagesDir && isInside(entry, site.app.pagesDir);
  const label = pages
    ? 'the Pages Router page'
    : /^instrumentation-client\./.test(basename(entry))
      ? 'the browser instrumentation'
      : "the 'use client' module";
  return `${site.place.chain.length > 1 ? 'from ' : ''}${label} ${chainText(site.place.chain, site)}`;
}

/** The chain's files, relative to the app (or, for a shared package, to the folder that holds both). */
function chainText(chain: string[], site: Site): string {
  let base = site.app?.root ?? dirname(chain[0]!);
  while (chain.some((file) => !isInside(file, base)) && dirname(base) !== base) base = dirname(base);
  return chain.map((file) => relative(base, file).split('\\').join('/')).join(' → ');
}

/** One file: its exposures judged, and the renames applied to its source. */
function fixSource(
  path: string,
  source: string,
  model: ProjectModel,
  site: Site,
): { output: string | undefined; verdicts: Verdict[] } {
  const nextConfig = NEXT_CONFIG.test(basename(path)) && model.apps.some((app) => app.root === dirname(path));
  const verdicts = findExposures(path, source, { nextConfig }).map((exposure) => judge(exposure, site));
  const edits = verdicts.flatMap((v) => (v.rename ? [v.rename] : []));
  return { output: edits.length ? applyEdits(source, edits) : undefined, verdicts };
}

/**
 * A file's site, worked out on first use: most files that mention a browser prefix read no AI key, and need no walk.
 */
function siteOf(model: ProjectModel, path: string): Site {
  let place: Place | undefined;
  let app: { value?: NextApp } | undefined;
  return {
    file: path,
    get place() {
      return (place ??= placeOf(model, path));
    },
    get app() {
      return (app ??= { value: appOf(model, path, this.place) }).value;
    },
    reachesAi: () => model.graph.aiReach(path) !== undefined,
  };
}

/**
 * The jscodeshift entry point, for one file: the same judgement as the runner's (the file's app is
 * modelled once per app), so a module the browser loads is never renamed. Env files are the
 * runner's job.
 */
export function transformer(file: FileInfo, api: API): string | undefined {
  if (
    !SOURCE.test(file.path) ||
    (!NEEDLES.some((needle) => file.source.includes(needle)) && !NEXT_CONFIG.test(basename(file.path)))
  )
    return undefined;
  const path = resolve(file.path); // jscodeshift passes paths as the user typed them
  const model = standaloneModel(path);
  if (!model) return undefined;
  const { output, verdicts } = fixSource(path, file.source, model, siteOf(model, path));
  for (const { finding } of verdicts)
    if (finding) api.report(`${finding.kind}: ${finding.message}${finding.fix ? ` → ${finding.fix}` : ''}`);
  return output;
}

/** Under plain jscodeshift: the model of the workspace around the file's app, built once. */
const standaloneModels = new Map<string, ProjectModel>();

function standaloneModel(file: string): ProjectModel | undefined {
  const root = findAppRootOf(file);
  if (!root) return undefined;
  const top = workspaceRootOf(root, findGitRoot(root));
  if (!standaloneModels.has(top))
    standaloneModels.set(top, buildProjectModel(discoverFiles([top]), [top], new Overlay()));
  return standaloneModels.get(top);
}

/**
 * Every JS/TS file that names a browser-prefixed variable or `dangerouslyAllowBrowser` (and
 * next.config): AI keys read only by server code get their server name, in the code and in the
 * app's env example files; what the browser loads is reported with the import chain that brings
 * it there. Real env files are only pointed at.
 */
export function run(ctx: StepContext): void {
  const names = new Map<NextApp, AppNames>();
  const declarations: Declaration[] = [];
  for (const path of ctx.model.files) {
    const nextConfig = NEXT_CONFIG.test(basename(path));
    if (!SOURCE.test(path) || (!nextConfig && !ctx.overlay.containsAny(path, NEEDLES))) continue;
    const site = siteOf(ctx.model, path);
    let verdicts: Verdict[] = [];
    ctx.transformFile(path, (source) => {
      const result = fixSource(path, source, ctx.model, site);
      verdicts = result.verdicts;
      return result.output;
    });
    if (!verdicts.length) continue;
    const app =
      site.app && (names.get(site.app) ?? names.set(site.app, { renamed: new Map(), kept: new Set() }).get(site.app)!);
    for (const verdict of verdicts) {
      if (verdict.finding) ctx.report({ ...verdict.finding, ruleId: meta.ruleId, file: path });
      if (verdict.renamed) app?.renamed.set(...verdict.renamed);
      if (verdict.kept) app?.kept.add(verdict.kept);
      if (verdict.declaration) declarations.push({ path, app: site.app, ...verdict.declaration });
    }
  }
  for (const [app, appNames] of names) if (appNames.renamed.size) updateEnvFiles(ctx, app, appNames);
  updateDeclarations(ctx, declarations, names);
}

/**
 * `interface ProcessEnv { NEXT_PUBLIC_X: string }` follows the reads: renamed when every read of
 * the name was, so that `process.env.X` keeps its `string` type and the project still
 * type-checks. While code still reads the old name, the declaration stays, and the new name
 * needs one of its own.
 */
function updateDeclarations(ctx: StepContext, declarations: Declaration[], names: Map<NextApp, AppNames>): void {
  const byPath = new Map<string, Declaration[]>();
  for (const declaration of declarations)
    byPath.set(declaration.path, [...(byPath.get(declaration.path) ?? []), declaration]);
  for (const [path, found] of byPath) {
    const state = (d: Declaration) => {
      const app = d.app && names.get(d.app);
      return !app?.renamed.has(d.name) ? 'untouched' : app.kept.has(d.name) ? 'kept' : 'rename';
    };
    const renames = new Set(found.filter((d) => state(d) === 'rename').map((d) => d.name));
    if (renames.size) {
      ctx.transformFile(path, (source) => {
        const edits = findExposures(path, source).flatMap((e) =>
          e.kind === 'mention' && e.processEnvEdit && renames.has(e.name) ? [e.processEnvEdit] : [],
        );
        return edits.length ? applyEdits(source, edits) : undefined;
      });
    }
    for (const d of found) {
      const base = { ruleId: meta.ruleId, file: path, line: d.line };
      if (state(d) === 'rename')
        ctx.report({
          ...base,
          kind: 'changed',
          severity: 'info',
          message: `${d.name} → ${d.serverName} in ProcessEnv, as every read of it was renamed`,
        });
      if (state(d) === 'kept')
        ctx.report({
          ...base,
          kind: 'needs-human',
          severity: 'medium',
          message: `${d.name} stays declared in ProcessEnv, since code still reads it; process.env.${d.serverName} has no declaration`,
          fix: `declare ${d.serverName} beside it`,
        });
    }
  }
}

/**
 * The app's env example files get the new names (names only; a name browser code still reads
 * stays, with the new one beside it). Real env files are never edited, and their values never
 * read into output: we say which ones still name the old variable, and to rename it in the
 * deployment too.
 */
function updateEnvFiles(ctx: StepContext, app: NextApp, { renamed, kept }: AppNames): void {
  const report = (finding: Omit<Finding, 'ruleId'>) => ctx.report({ ...finding, ruleId: meta.ruleId });
  const pairs = (filter: (old: string) => boolean) => [...renamed].filter(([old]) => filter(old));
  for (const path of envExamplesOf(app.root, ctx.overlay)) {
    const before = ctx.overlay.read(path) ?? '';
    ctx.transformFile(path, (text) => renameEnvNames(text, renamed, kept));
    if (ctx.overlay.read(path) === before) continue;
    const listed = (old: string) => new RegExp(`^[ \\t]*(export[ \\t]+)?${old}[ \\t]*=`, 'm').test(before);
    const moved = pairs((old) => listed(old) && !kept.has(old)).map(([old, to]) => `${old} → ${to}`);
    const added = pairs((old) => listed(old) && kept.has(old)).map(
      ([old, to]) => `added ${to} beside ${old}, which code still reads`,
    );
    report({
      kind: 'changed',
      severity: 'info',
      file: path,
      message: `${[...moved, ...added].join(', ')} (names only; values untouched)`,
    });
  }
  const advice = (file: string, olds: string[]) => {
    const rename = pairs((old) => olds.includes(old) && !kept.has(old)).map(([old, to]) => `${old} to ${to}`);
    const add = pairs((old) => olds.includes(old) && kept.has(old)).map(
      ([old, to]) => `${to} (same value) beside ${old}`,
    );
    return [
      rename.length ? `rename ${rename.join(', ')} in your ${file} and in ${DEPLOYMENT}` : '',
      add.length
        ? `add ${add.join(', ')} in your ${file} and in ${DEPLOYMENT}; drop the NEXT_PUBLIC_ one once no browser code reads it, and revoke that key`
        : '',
    ]
      .filter(Boolean)
      .join('; ');
  };
  let named = false;
  for (const name of REAL_ENV_FILES) {
    const path = join(app.root, name);
    const olds = [...renamed.keys()].filter((old) => ctx.overlay.containsAny(path, [old]));
    if (!olds.length) continue;
    named = true;
    report({
      kind: 'needs-human',
      severity: 'high',
      file: path,
      message: `still names ${olds.join(', ')} (not edited; its values are never read into our output)`,
      fix: advice(name, olds),
      followsFix: true,
    });
  }
  if (!named) {
    report({
      kind: 'needs-human',
      severity: 'high',
      file: app.packageJson,
      message: `server code now reads ${[...renamed.values()].join(', ')} instead of ${[...renamed.keys()].join(', ')}`,
      fix: advice('local env file', [...renamed.keys()]),
      followsFix: true,
    });
  }
}

export default defineStep({ meta, options, run, transformFile: transformer });
