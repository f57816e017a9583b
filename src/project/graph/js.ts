import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { isAiImport, isAiPackage } from '../../knowledge/ai-providers.js';
import type { Overlay } from '../overlay.js';
import { isInside } from '../../core/paths.js';
import type { PathAlias } from '../manifests.js';
import { scanModule, type ModuleScan } from '../../lang/js/scan-module.js';

export interface AiReach {
  /** Files from the one asked about to the module that makes the call (just that file when direct). */
  chain: string[];
  /** The AI package imported or the API host called at the end of the chain. */
  via: string;
}

/** An app as the graph needs it: where it is, its path aliases, its files. */
export interface GraphApp {
  root: string;
  aliases: PathAlias[];
  files: string[];
}

/**
 * A framework's entry points, where its browser and server walks start (`'use client'` and
 * `'use server'` modules are entry points whatever the framework; the graph adds those).
 */
export interface EntryPoints {
  browser(isClientModule: (file: string) => boolean): string[];
  server(isClientModule: (file: string) => boolean): string[];
}

const NO_ENTRY_POINTS: EntryPoints = { browser: () => [], server: () => [] };

const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.mts', '.cjs', '.cts'];

/**
 * Local imports between the project's modules, resolved the way Next.js resolves them (relative
 * paths, tsconfig/jsconfig aliases, workspace packages), and which modules reach a paid AI API.
 * Modules are scanned lazily, once each: only what a route actually imports is ever read.
 */
export class ModuleGraph {
  private readonly scans = new Map<string, ModuleScan | undefined>();
  private readonly reaches = new Map<string, AiReach | undefined>();
  private readonly resolved = new Map<string, string | undefined>();
  private readonly entries = new Map<string, string[]>();
  /** Module → the module that first imported it on the walk from the entry points (null: an entry point). */
  private browserParents?: Map<string, string | null>;
  private serverParents?: Map<string, string | null>;
  private directives?: Map<string, 'use client' | 'use server'>;

  /**
   * `known` is every file the walk found, and `walked` the folders it covered: a file inside
   * them exists only if the walk saw it (no disk look-up per candidate path); outside them
   * (an app above the path the user gave) we ask the disk.
   */
  constructor(
    private readonly overlay: Overlay,
    private readonly apps: GraphApp[],
    private readonly packages: Map<string, string>,
    private readonly known: Set<string> = new Set(),
    private readonly walked: string[] = [],
    private readonly entryPoints: EntryPoints = NO_ENTRY_POINTS,
  ) {}

  scan(file: string): ModuleScan | undefined {
    if (!this.scans.has(file)) {
      const text = this.overlay.read(file);
      this.scans.set(file, text === undefined ? undefined : scanModule(text));
    }
    return this.scans.get(file);
  }

  /** The AI package or host a module uses itself, without following imports. */
  directAiUse(file: string): string | undefined {
    const scan = this.scan(file);
    if (!scan) return undefined;
    return (
      scan.imports.find(({ specifier, names }) => isAiImport(specifier, names))?.specifier ??
      scan.aiHost ??
      (scan.aiKey && `a request with ${scan.aiKey}`)
    );
  }

  /**
   * Whether `file` reaches an AI call, itself or through local imports; the shortest chain.
   * Every module a fruitless search visits is remembered as reaching nothing, so each module is
   * searched through once per run, however many routes import it.
   */
  aiReach(file: string): AiReach | undefined {
    if (this.reaches.has(file)) return this.reaches.get(file);
    const parent = new Map<string, string | null>([[file, null]]);
    const chainTo = (module: string) => {
      const chain = [module];
      for (let p = parent.get(module); p; p = parent.get(p)) chain.unshift(p);
      return chain;
    };
    const queue = [file];
    let found: AiReach | undefined;
    for (let i = 0; i < queue.length && !found; i++) {
      const current = queue[i]!;
      const via = this.directAiUse(current);
      if (via) {
        found = { chain: chainTo(current), via };
        break;
      }
      for (const { specifier } of this.scan(current)?.imports ?? []) {
        const target = this.resolve(current, specifier);
        if (!target || parent.has(target)) continue;
        parent.set(target, current);
        if (this.reaches.has(target)) {
          const known = this.reaches.get(target);
          if (known) {
            found = { chain: [...chainTo(current), ...known.chain], via: known.via };
            break;
          }
          continue; // known to reach nothing: no need to look inside
        }
        queue.push(target);
      }
    }
    if (found) this.reaches.set(file, found);
    else for (const visited of queue) this.reaches.set(visited, undefined);
    return found;
  }

  /** What importing `specifier` from `from` brings in: an AI package directly, or a local module's reach. */
  aiReachOfImport(from: string, specifier: string, names: readonly string[] | '*' = '*'): AiReach | undefined {
    if (isAiImport(specifier, names)) return { chain: [], via: specifier };
    if (isAiPackage(specifier)) return undefined;
    const target = this.resolve(from, specifier);
    return target ? this.aiReach(target) : undefined;
  }

  /**
   * Whether the browser loads `file`: the chain of local imports from a browser entry point (a
   * `'use client'` module, a Pages Router page, `instrumentation-client`) to it, or undefined.
   * A `'use server'` module ends the walk: the browser gets references to its Server Actions, not
   * their code. A module that server code imports too is browser code all the same. Walked once
   * per run, from every entry point at once, the first time anyone asks.
   */
  clientReach(file: string): string[] | undefined {
    this.browserParents ??= this.walkFrom(this.browserEntries(), 'use server');
    return chainIn(this.browserParents, file);
  }

  /**
   * Whether server code loads `file`: the chain from a server entry point (an App Router file
   * that is no `'use client'` module, a `pages/api` route, `_document`, middleware / proxy,
   * instrumentation, a `'use server'` module, next.config) to it, or undefined. A `'use client'`
   * module ends the walk. Ask `clientReach` first: what both load is browser code.
   */
  serverReach(file: string): string[] | undefined {
    this.serverParents ??= this.walkFrom(this.serverEntries(), 'use client');
    return chainIn(this.serverParents, file);
  }

  private browserEntries(): string[] {
    const isClient = (file: string) => this.hasDirective(file, 'use client');
    return [...new Set([...this.sourceFiles().filter(isClient), ...this.entryPoints.browser(isClient)])];
  }

  private serverEntries(): string[] {
    const isClient = (file: string) => this.hasDirective(file, 'use client');
    const useServer = this.sourceFiles().filter((file) => this.hasDirective(file, 'use server'));
    return [...new Set([...this.entryPoints.server(isClient), ...useServer])];
  }

  /** Every JS/TS file the walk found (and those of the apps, for a model built without a walk). */
  private sourceFiles(): string[] {
    return [...new Set([...this.known, ...this.apps.flatMap((app) => app.files)])].filter(
      (file) => EXTENSIONS.includes(extname(file)) && !file.endsWith('.d.ts'),
    );
  }

  /** A top-level directive, found once for every module: only files that contain one's text are read. */
  private hasDirective(file: string, directive: 'use client' | 'use server'): boolean {
    if (!this.directives) {
      this.directives = new Map();
      for (const path of this.sourceFiles()) {
        const found = this.overlay.containsAny(path, ['use client', 'use server'])
          ? this.scan(path)?.directive
          : undefined;
        if (found) this.directives.set(path, found);
      }
    }
    return this.directives.get(file) === directive;
  }

  /** Breadth first from `entries` over local imports, not into modules that declare `boundary`. */
  private walkFrom(entries: string[], boundary: 'use client' | 'use server'): Map<string, string | null> {
    const parents = new Map<string, string | null>(entries.map((entry) => [entry, null]));
    const queue = [...entries];
    for (let i = 0; i < queue.length; i++) {
      const current = queue[i]!;
      for (const { specifier } of this.scan(current)?.imports ?? []) {
        const target = this.resolve(current, specifier);
        if (!target || parents.has(target) || this.scan(target)?.directive === boundary) continue;
        parents.set(target, current);
        queue.push(target);
      }
    }
    return parents;
  }

  /** The project file an import specifier points at, or undefined for external packages. */
  resolve(from: string, specifier: string): string | undefined {
    const key = `${specifier.startsWith('.') ? dirname(from) : this.appOf(from)?.root}\0${specifier}`;
    if (!this.resolved.has(key)) this.resolved.set(key, this.resolveUncached(from, specifier));
    return this.resolved.get(key);
  }

  private appOf(file: string): GraphApp | undefined {
    let best: GraphApp | undefined;
    for (const app of this.apps)
      if (isInside(file, app.root) && (!best || app.root.length > best.root.length)) best = app;
    return best;
  }

  private resolveUncached(from: string, specifier: string): string | undefined {
    if (specifier.startsWith('.')) return this.resolveFile(resolve(dirname(from), specifier));
    for (const alias of this.appOf(from)?.aliases ?? []) {
      if (alias.wildcard ? specifier.startsWith(alias.prefix) : specifier === alias.prefix) {
        const hit = this.resolveFile(
          alias.wildcard ? join(alias.target, specifier.slice(alias.prefix.length)) : alias.target,
        );
        if (hit) return hit;
      }
    }
    return this.resolveWorkspacePackage(specifier);
  }

  private resolveWorkspacePackage(specifier: string): string | undefined {
    const parts = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    const dir = this.packages.get(parts.slice(0, nameLength).join('/'));
    if (!dir) return undefined;
    const subpath = parts.slice(nameLength).join('/');
    if (subpath) return this.resolveFile(join(dir, subpath)) ?? this.resolveFile(join(dir, 'src', subpath));
    if (!this.entries.has(dir)) this.entries.set(dir, [...packageEntries(dir), 'index', 'src/index']);
    return this.entries
      .get(dir)!
      .map((entry) => this.resolveFile(join(dir, entry)))
      .find(Boolean);
  }

  private resolveFile(base: string): string | undefined {
    const candidates = [
      base,
      ...EXTENSIONS.map((ext) => base + ext),
      ...EXTENSIONS.map((ext) => join(base, `index${ext}`)),
    ];
    // TypeScript ESM style: `./util.js` in source means `./util.ts`.
    const ext = extname(base);
    if (['.js', '.jsx', '.mjs', '.cjs'].includes(ext)) {
      const stem = base.slice(0, -ext.length);
      candidates.splice(1, 0, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`);
    }
    return candidates.find((candidate) => EXTENSIONS.includes(extname(candidate)) && this.exists(candidate));
  }

  private exists(path: string): boolean {
    if (this.known.has(path)) return true;
    if (this.walked.some((dir) => isInside(path, dir))) return false;
    return this.overlay.exists(path) || existsSync(path);
  }
}

/** The chain from an entry point to `file`, by the parents a walk recorded. */
function chainIn(parents: Map<string, string | null>, file: string): string[] | undefined {
  if (!parents.has(file)) return undefined;
  const chain = [file];
  for (let p = parents.get(file); p; p = parents.get(p)) chain.unshift(p);
  return chain;
}

/** Entry points a package.json declares, source first: `exports["."]`, `module`, `main`. */
function packageEntries(dir: string): string[] {
  let pkg: Record<string, any>;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return [];
  }
  const dot = typeof pkg.exports === 'string' ? pkg.exports : pkg.exports?.['.'];
  const fromExports =
    typeof dot === 'string'
      ? [dot]
      : dot && typeof dot === 'object'
        ? Object.values(dot).filter((v): v is string => typeof v === 'string')
        : [];
  return [...fromExports, pkg.module, pkg.main, pkg.types].filter((v): v is string => typeof v === 'string');
}
