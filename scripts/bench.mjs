#!/usr/bin/env node
// Benchmark report for `next-ratelimit` (issue 2, "Benchmark"). Not a timed test: it prints figures
// and says which targets they meet, it never fails a build.
//
// It generates a Next.js monorepo of N files (deterministic for a given size and seed) and runs,
// each in a fresh child process so that Node's start-up is counted and peak RSS is per process:
//   (a) a plain recursive walk + read of the same files: the floor;
//   (b) node dist/bin/cli.js next-ratelimit <tree> --dry;
//   (c) the plain jscodeshift CLI with our compiled transform (at one size only, 10k by default);
//   (d) node dist/bin/cli.js detect <tree> --format json: every step as a dry run, plus the report.
// Every measurement is repeated (--runs, default 3) and the median is reported.
//
//   npm run build && node scripts/bench.mjs                       # 1k, 10k, 50k; a few minutes
//   node scripts/bench.mjs --sizes 10000 --runs 1 --json bench.json
//   node scripts/bench.mjs --generate /tmp/tree --files 10000      # only write a tree (for profiling)
//
// Targets from the issues: b <= 3x a, c >= 5x b, peak RSS of (b) under 400 MB, time growing no
// faster than linearly from 1k to 50k files (issue 2); d <= 3x a (issue 3).

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO, 'dist/bin/cli.js');
const TRANSFORM = path.join(REPO, 'dist/transforms/next-ratelimit.js');
const JSCODESHIFT = path.join(REPO, 'node_modules/jscodeshift/bin/jscodeshift.js');

const TARGETS = { bOverA: 3, cOverB: 5, rssMB: 400, dOverA: 3 };

// ---------------------------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------------------------

/** Small, fast, seedable PRNG (mulberry32): the same seed gives the same tree on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

const NOUNS = [
  'account',
  'invoice',
  'project',
  'team',
  'message',
  'order',
  'product',
  'customer',
  'report',
  'ticket',
  'document',
  'workspace',
  'payment',
  'subscription',
  'notification',
  'comment',
  'task',
  'event',
  'upload',
  'member',
  'session',
  'dashboard',
  'setting',
  'integration',
  'webhook',
  'campaign',
  'lead',
  'deal',
  'contact',
  'asset',
  'review',
  'survey',
  'schedule',
  'shipment',
  'inventory',
  'coupon',
  'metric',
  'audit',
  'billing',
  'profile',
];
const APP_NAMES = [
  'web',
  'dashboard',
  'admin',
  'docs',
  'studio',
  'support',
  'marketing',
  'console',
  'portal',
  'playground',
  'partners',
  'mobile-web',
];
const COMPONENT_SUFFIXES = [
  'List',
  'Card',
  'Form',
  'Table',
  'Header',
  'Panel',
  'Dialog',
  'Summary',
  'Row',
  'Filters',
  'EmptyState',
  'Badge',
  'Chart',
  'Details',
  'Toolbar',
  'Sidebar',
];
const LIB_KINDS = [
  'service',
  'queries',
  'schema',
  'utils',
  'format',
  'validation',
  'mapper',
  'client',
  'store',
  'permissions',
  'events',
  'cache',
];
const AI_ROUTE_NAMES = [
  'chat',
  'summarize',
  'complete',
  'generate',
  'embed',
  'classify',
  'translate',
  'rewrite',
  'suggest',
  'moderate',
  'extract',
  'title',
  'assistant',
  'answer',
  'draft',
];
const UI_PRIMITIVES = ['Button', 'Card', 'Input', 'Badge', 'Spinner', 'Modal', 'Tabs', 'Tooltip', 'Avatar', 'Select'];
/** How an AI-calling route reaches the SDK (issue: alias, relative import, workspace package, direct). */
export const AI_VIAS = ['alias', 'relative', 'workspace', 'direct', 'alias-chain'];

const pascal = (s) => s.replace(/(^|[-_/])(\w)/g, (_, __, c) => c.toUpperCase());
const camel = (s) => {
  const p = pascal(s);
  return p[0].toLowerCase() + p.slice(1);
};
const posix = (p) => p.split(path.sep).join('/');
const relImport = (fromFile, toFileNoExt) => {
  const rel = posix(path.relative(path.dirname(fromFile), toFileNoExt));
  return rel.startsWith('.') ? rel : `./${rel}`;
};

/** Splits `total` in proportion to `weights` (integers summing to total). */
function split(total, weights) {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  for (let i = 0, left = total - parts.reduce((a, b) => a + b, 0); left > 0; i = (i + 1) % parts.length, left--)
    parts[i]++;
  return parts;
}

/** Assigns `count` items to `groups` contiguous groups as evenly as possible: index → group. */
const groupOf = (i, count, groups) => Math.min(groups - 1, Math.floor((i * groups) / Math.max(count, 1)));

/**
 * Writes a Next.js monorepo of exactly `files` files under `dir` (plus a small node_modules that
 * is not counted and that every tool must skip). Deterministic for a given (files, seed).
 * Returns a manifest: what was generated, and which route files should be rate-limited.
 */
export function generateMonorepo(dir, { files = 10_000, seed = 1 } = {}) {
  if (files < 250) throw new Error('generateMonorepo: at least 250 files');
  const rnd = prng(seed * 1_000_003 + files);
  const madeDirs = new Set();
  let written = 0;
  let bytes = 0;
  const write = (rel, text) => {
    const abs = path.join(dir, rel);
    const parent = path.dirname(abs);
    if (!madeDirs.has(parent)) {
      mkdirSync(parent, { recursive: true });
      madeDirs.add(parent);
    }
    writeFileSync(abs, text);
    written++;
    bytes += Buffer.byteLength(text);
  };

  // --- the plan: counts first, so that the total is exact -----------------------------------
  const appCount = Math.min(10, Math.max(3, Math.round(files / 2500)));
  const routeCount = Math.max(6, Math.round(files * 0.02));
  const aiRouteCount = Math.round(routeCount / 3);
  const actionCount = Math.max(appCount, Math.round(files * 0.003));
  const FIXED_ROOT = 5;
  const FIXED_PER_APP = 10;
  const FIXED_PACKAGES = 13;
  const rest = files - FIXED_ROOT - FIXED_PER_APP * appCount - FIXED_PACKAGES - routeCount - actionCount;
  const packageShare = Math.round(rest * 0.1);
  const [uiCount, utilsCount, dbCount, aiPkgCount] = split(packageShare, [45, 30, 15, 10]);
  const appWeights = Array.from({ length: appCount }, (_, i) => (i === 0 ? 3 : i < 3 ? 2 : 1));
  const appShares = split(rest - packageShare, appWeights);
  const appRoutes = split(routeCount, appWeights);
  const appActions = split(actionCount, appWeights);

  const apps = appShares.map((share, i) => {
    const name = APP_NAMES[i % APP_NAMES.length] + (i >= APP_NAMES.length ? `-${i}` : '');
    const components = Math.round(share * 0.55);
    return {
      index: i,
      name,
      dir: `apps/${name}`,
      src: i % 2 === 1 ? 'src/' : '',
      pagesRouter: i % 2 === 1,
      aiDirect: i % 2 === 0, // lib/ai.ts imports openai itself, or re-exports @acme/ai
      components,
      libs: share - components,
      features: Math.max(2, Math.round(share / 30)),
      routes: appRoutes[i],
      actions: appActions[i],
    };
  });

  // Which routes call AI, and how: a deterministic shuffle of all route slots.
  const slots = apps.flatMap((app) => Array.from({ length: app.routes }, (_, k) => ({ app, k })));
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(rnd.next() * (i + 1));
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  slots.forEach((slot, i) => (slot.ai = i < aiRouteCount ? AI_VIAS[i % AI_VIAS.length] : null));
  const aiOf = new Map(slots.map((s) => [`${s.app.index}:${s.k}`, s.ai]));

  const manifest = { files, seed, dir, apps: [], routes: [], serverActions: [], bytes: 0 };

  // --- root -------------------------------------------------------------------------------
  write(
    'package.json',
    `${JSON.stringify(
      {
        name: 'acme-monorepo',
        private: true,
        packageManager: 'pnpm@9.12.0',
        workspaces: ['apps/*', 'packages/*'],
        scripts: { build: 'turbo run build', dev: 'turbo run dev', lint: 'turbo run lint' },
        devDependencies: { turbo: '2.1.3', typescript: '5.6.3', prettier: '3.3.3' },
      },
      null,
      2,
    )}\n`,
  );
  write('.gitignore', 'node_modules\n.next\ndist\n.turbo\n*.log\n.env*.local\ncoverage\n');
  write(
    'README.md',
    '# Acme\n\nThe Acme monorepo: Next.js apps in `apps/`, shared packages in `packages/`.\n\n```sh\npnpm install\npnpm dev\n```\n',
  );
  write(
    'turbo.json',
    `${JSON.stringify(
      {
        $schema: 'https://turbo.build/schema.json',
        tasks: {
          build: { dependsOn: ['^build'], outputs: ['.next/**', '!.next/cache/**', 'dist/**'] },
          dev: { cache: false, persistent: true },
          lint: {},
        },
      },
      null,
      2,
    )}\n`,
  );
  write(
    'tsconfig.base.json',
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['dom', 'dom.iterable', 'esnext'],
          strict: true,
          module: 'esnext',
          moduleResolution: 'bundler',
          jsx: 'preserve',
          skipLibCheck: true,
          noEmit: true,
          isolatedModules: true,
          resolveJsonModule: true,
          esModuleInterop: true,
          incremental: true,
        },
      },
      null,
      2,
    )}\n`,
  );

  // A little of what an installed monorepo has on disk: never counted, never to be read.
  for (const pkg of ['openai', 'next', 'zod', 'react']) {
    for (let k = 0; k < 6; k++) {
      const p = path.join(dir, 'node_modules', pkg, k === 0 ? 'package.json' : `dist/chunk-${k}.js`);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(
        p,
        k === 0
          ? JSON.stringify({ name: pkg, version: '1.0.0', main: 'dist/chunk-1.js' })
          : `export function chunk${k}() {\n  return ${k};\n}\n`.repeat(40),
      );
    }
  }

  // --- packages ---------------------------------------------------------------------------
  const pkgJson = (name, deps, extra = {}) =>
    `${JSON.stringify(
      {
        name,
        version: '0.0.0',
        private: true,
        main: './src/index.ts',
        types: './src/index.ts',
        ...extra,
        dependencies: deps,
      },
      null,
      2,
    )}\n`;
  const pkgTsconfig = `${JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src'] }, null, 2)}\n`;

  write(
    'packages/ai/package.json',
    pkgJson('@acme/ai', { openai: '^4.67.0', zod: '^3.23.8' }, { exports: { '.': './src/index.ts' } }),
  );
  write('packages/ai/tsconfig.json', pkgTsconfig);
  write('packages/ai/src/index.ts', aiPackageIndex());
  write('packages/ai/src/prompts.ts', promptsModule(rnd, 'prompts'));
  for (let k = 0; k < aiPkgCount; k++)
    write(
      `packages/ai/src/prompts/${NOUNS[k % NOUNS.length]}-${k}.ts`,
      promptsModule(rnd, `${NOUNS[k % NOUNS.length]}-${k}`),
    );

  write('packages/ui/package.json', pkgJson('@acme/ui', { react: '^19.0.0', clsx: '^2.1.1' }));
  write('packages/ui/tsconfig.json', pkgTsconfig);
  const uiNames = [];
  for (let k = 0; k < uiCount; k++)
    uiNames.push(
      k < UI_PRIMITIVES.length
        ? UI_PRIMITIVES[k]
        : `${pascal(NOUNS[k % NOUNS.length])}${COMPONENT_SUFFIXES[k % COMPONENT_SUFFIXES.length]}${Math.floor(k / NOUNS.length)}`,
    );
  write(
    'packages/ui/src/index.ts',
    `${uiNames
      .slice(0, 60)
      .map((n) => `export { ${n} } from './${n}';\n`)
      .join('')}export type { ButtonProps } from './Button';\n`,
  );
  uiNames.forEach((name, k) =>
    write(`packages/ui/src/${name}.tsx`, uiComponent(rnd, name, uiNames.slice(Math.max(0, k - 4), k))),
  );

  write('packages/utils/package.json', pkgJson('@acme/utils', {}));
  write('packages/utils/tsconfig.json', pkgTsconfig);
  const utilNames = Array.from(
    { length: utilsCount },
    (_, k) => `${NOUNS[k % NOUNS.length]}-${LIB_KINDS[k % LIB_KINDS.length]}${k >= NOUNS.length ? `-${k}` : ''}`,
  );
  write('packages/utils/src/index.ts', utilsIndex(utilNames.slice(0, 30)));
  const utilsLibs = utilNames.map((stem) => ({ stem, file: `packages/utils/src/${stem}.ts`, spec: `./${stem}` }));
  utilsLibs.forEach((lib, k) =>
    write(
      lib.file,
      libModule(rnd, lib.stem, {
        deps: utilsLibs
          .slice(Math.max(0, k - 3), k)
          .filter(() => rnd.chance(0.4))
          .map((d) => ({ ...d, spec: d.spec })),
        db: false,
        utils: false,
      }),
    ),
  );

  write('packages/db/package.json', pkgJson('@acme/db', { '@prisma/client': '^5.20.0' }));
  write('packages/db/tsconfig.json', pkgTsconfig);
  write('packages/db/src/index.ts', dbIndex());
  const dbLibs = Array.from({ length: dbCount }, (_, k) => ({
    stem: `${NOUNS[k % NOUNS.length]}-repository${k >= NOUNS.length ? `-${k}` : ''}`,
  })).map((l) => ({ ...l, file: `packages/db/src/${l.stem}.ts`, spec: `./${l.stem}` }));
  dbLibs.forEach((lib) => write(lib.file, libModule(rnd, lib.stem, { deps: [], db: 'local', utils: true })));

  // --- apps -------------------------------------------------------------------------------
  for (const app of apps) {
    const base = `${app.dir}/${app.src}`;
    const at = (rel) => `${base}${rel}`;
    write(
      `${app.dir}/package.json`,
      `${JSON.stringify(
        {
          name: `@acme/${app.name}`,
          version: '0.1.0',
          private: true,
          scripts: { dev: 'next dev', build: 'next build', start: 'next start', lint: 'next lint' },
          dependencies: {
            next: '15.0.3',
            react: '19.0.0',
            'react-dom': '19.0.0',
            zod: '^3.23.8',
            '@acme/ai': 'workspace:*',
            '@acme/ui': 'workspace:*',
            '@acme/utils': 'workspace:*',
            '@acme/db': 'workspace:*',
            ...(app.aiDirect ? { openai: '^4.67.0' } : {}),
          },
          devDependencies: { typescript: '5.6.3', '@types/react': '^18.3.11', '@types/node': '^20.16.0' },
        },
        null,
        2,
      )}\n`,
    );
    write(
      `${app.dir}/tsconfig.json`,
      `${JSON.stringify(
        {
          extends: '../../tsconfig.base.json',
          compilerOptions: { plugins: [{ name: 'next' }], paths: { '@/*': [app.src ? './src/*' : './*'] } },
          include: ['next-env.d.ts', '**/*.ts', '**/*.tsx', '.next/types/**/*.ts'],
          exclude: ['node_modules'],
        },
        null,
        2,
      )}\n`,
    );
    write(
      `${app.dir}/next.config.mjs`,
      `/** @type {import('next').NextConfig} */\nconst nextConfig = {\n  reactStrictMode: true,\n  transpilePackages: ['@acme/ui', '@acme/ai', '@acme/utils', '@acme/db'],\n};\n\nexport default nextConfig;\n`,
    );
    write(
      `${app.dir}/next-env.d.ts`,
      `/// <reference types="next" />\n/// <reference types="next/image-types/global" />\n\n// NOTE: This file should not be edited\n`,
    );
    write(`${app.dir}/.gitignore`, '.next/\nnext-env.d.ts.bak\n.vercel\n');
    write(at('app/layout.tsx'), layoutModule(app.name));
    write(
      at('app/globals.css'),
      '@tailwind base;\n@tailwind components;\n@tailwind utilities;\n\n:root {\n  --background: #ffffff;\n  --foreground: #171717;\n}\n\nbody {\n  color: var(--foreground);\n  background: var(--background);\n}\n',
    );
    write(at('lib/ai.ts'), app.aiDirect ? appAiDirect() : appAiReexport());
    write(at('lib/assistant.ts'), assistantModule());

    // Features: contiguous blocks of libs and components, with imports among themselves.
    const features = Array.from({ length: app.features }, (_, f) => {
      const noun = NOUNS[(f + app.index * 7) % NOUNS.length];
      return {
        name: f < NOUNS.length ? noun : `${noun}-${Math.floor(f / NOUNS.length) + 1}`,
        noun,
        libs: [],
        components: [],
      };
    });
    for (let k = 0; k < app.libs; k++) {
      const feature = features[groupOf(k, app.libs, features.length)];
      const n = feature.libs.length;
      const stem = `${NOUNS[(NOUNS.indexOf(feature.noun) + Math.floor(n / LIB_KINDS.length)) % NOUNS.length]}-${LIB_KINDS[n % LIB_KINDS.length]}${n >= LIB_KINDS.length * 3 ? `-${n}` : ''}`;
      feature.libs.push({ stem, file: at(`lib/${feature.name}/${stem}.ts`), alias: `@/lib/${feature.name}/${stem}` });
    }
    // One page per feature (taken from the component budget), the rest components.
    let pageBudget = Math.min(app.features, Math.max(0, app.components - 1) >> 1);
    write(at('app/page.tsx'), homePage(features.slice(0, 6)));
    for (let k = 0; k < app.components; k++) {
      const feature = features[groupOf(k, app.components, features.length)];
      const n = feature.components.length;
      const name = `${pascal(feature.noun)}${COMPONENT_SUFFIXES[n % COMPONENT_SUFFIXES.length]}${n >= COMPONENT_SUFFIXES.length ? Math.floor(n / COMPONENT_SUFFIXES.length) + 1 : ''}`;
      feature.components.push({
        name,
        file: at(`components/${feature.name}/${name}.tsx`),
        alias: `@/components/${feature.name}/${name}`,
      });
    }
    const pageFeatures = new Set();
    for (const feature of features) {
      if (pageBudget > 0 && feature.components.length > 1 && feature.libs.length > 0) {
        feature.page = true;
        pageFeatures.add(feature);
        feature.components.pop(); // its slot becomes the page
        pageBudget--;
      }
    }

    features.forEach((feature, f) => {
      const earlier = features.slice(0, f).filter((e) => e.libs.length);
      feature.libs.forEach((lib, k) => {
        const deps = feature.libs
          .slice(Math.max(0, k - 5), k)
          .filter(() => rnd.chance(0.45))
          .map((d) => ({ ...d, spec: `./${d.stem}` }));
        if (earlier.length && rnd.chance(0.08)) {
          const other = rnd.pick(earlier);
          const d = rnd.pick(other.libs);
          if (!deps.some((o) => o.stem === d.stem) && d.stem !== lib.stem) deps.push({ ...d, spec: d.alias });
        }
        write(
          lib.file,
          libModule(rnd, lib.stem, {
            deps,
            db: rnd.chance(0.5) ? '@acme/db' : false,
            utils: rnd.chance(0.5) ? utilNames.slice(0, 30) : false,
          }),
        );
      });
      feature.components.forEach((comp, k) => {
        const siblings = feature.components.slice(Math.max(0, k - 4), k).filter(() => rnd.chance(0.5));
        const libs = feature.libs.length ? [rnd.pick(feature.libs)] : [];
        const foreign =
          f > 0 && rnd.chance(0.1) && features[f - 1].components.length ? [rnd.pick(features[f - 1].components)] : [];
        write(comp.file, appComponent(rnd, comp.name, { siblings, libs, foreign, ui: uiNames }));
      });
      if (feature.page) write(at(`app/(dashboard)/${feature.name}/page.tsx`), featurePage(feature));
    });

    const allLibs = features.flatMap((f) => f.libs);
    const pickLibs = (count) =>
      Array.from({ length: count }, () => rnd.pick(allLibs)).filter(
        (l, i, a) => a.findIndex((o) => o.stem === l.stem) === i,
      );

    // Routes: App Router (some nested, dynamic, in route groups), and Pages Router in half the apps.
    const used = new Set();
    for (let k = 0; k < app.routes; k++) {
      const ai = aiOf.get(`${app.index}:${k}`);
      const pages = app.pagesRouter && k % 4 === 3;
      const stemBase = ai ? AI_ROUTE_NAMES[k % AI_ROUTE_NAMES.length] : `${NOUNS[(k * 7 + app.index) % NOUNS.length]}s`;
      let stem = stemBase;
      for (let n = 2; used.has(`${pages}:${stem}`); n++) stem = `${stemBase}-${n}`;
      used.add(`${pages}:${stem}`);
      let file;
      if (pages) file = at(`pages/api/${stem}.ts`);
      else {
        const group = k % 9 === 4 ? '(internal)/' : '';
        const dynamic = !ai && k % 5 === 2 ? '[id]/' : '';
        file = at(`app/api/${group}${stem}/${dynamic}route.ts`);
      }
      const shape = ai ? ['function', 'function', 'arrow', 'function', 'get-stream'][k % 5] : 'crud';
      const ctx = { ai, libs: pickLibs(rnd.int(1, 3)), file, app, base, shape, dynamic: file.includes('[id]') };
      write(file, pages ? pagesRoute(rnd, ctx) : appRoute(rnd, ctx));
      manifest.routes.push({ file, kind: pages ? 'pages' : 'app', ai });
    }

    // Server Actions: half of them reach AI (the tool reports those, it cannot guard them).
    for (let k = 0; k < app.actions; k++) {
      const feature = features[k % features.length];
      const ai = k % 2 === 0;
      const file = at(
        `app/(dashboard)/${feature.name}/actions${k >= features.length ? `-${Math.floor(k / features.length)}` : ''}.ts`,
      );
      write(file, serverAction(rnd, feature, ai));
      manifest.serverActions.push({ file, ai });
    }
    manifest.apps.push({
      dir: app.dir,
      src: Boolean(app.src),
      pagesRouter: app.pagesRouter,
      features: app.features,
      routes: app.routes,
    });
  }

  if (written !== files) throw new Error(`generator bug: wrote ${written} files, planned ${files}`);
  manifest.bytes = bytes;
  manifest.aiRoutes = manifest.routes.filter((r) => r.ai).length;
  return manifest;
}

// --- file templates ---------------------------------------------------------------------------
// Realistic, parseable TypeScript: 30–120 lines for components and libs.

function libModule(rnd, stem, { deps, db, utils }) {
  const P = pascal(stem);
  const c = camel(stem);
  const target = rnd.int(30, 120);
  const lines = [];
  lines.push(`import { z } from 'zod';`);
  if (db === '@acme/db') lines.push(`import { db } from '@acme/db';`);
  if (utils) lines.push(`import { slugify, formatDate } from '@acme/utils';`);
  for (const d of deps) lines.push(`import { get${pascal(d.stem)}, type ${pascal(d.stem)} } from '${d.spec}';`);
  if (db === 'local') lines.push(`import { prisma } from './index';`);
  lines.push('');
  const fields = ['status', 'ownerId', 'title', 'amount', 'currency', 'tags', 'priority', 'dueAt'].filter(() =>
    rnd.chance(0.5),
  );
  lines.push(
    `export const ${c}Schema = z.object({`,
    `  id: z.string(),`,
    `  name: z.string().min(1),`,
    `  createdAt: z.string(),`,
  );
  for (const f of fields)
    lines.push(
      `  ${f}: ${f === 'amount' || f === 'priority' ? 'z.number()' : f === 'tags' ? 'z.array(z.string())' : 'z.string()'}.optional(),`,
    );
  lines.push(`});`, '', `export type ${P} = z.infer<typeof ${c}Schema>;`, '');
  const store =
    db === '@acme/db'
      ? `db.${camel(stem.split('-')[0])}`
      : db === 'local'
        ? `prisma.${camel(stem.split('-')[0])}`
        : null;
  const blocks = [
    () =>
      store
        ? [
            `export async function get${P}(id: string): Promise<${P} | null> {`,
            `  const row = await ${store}.findUnique({ where: { id } });`,
            `  if (!row) return null;`,
            `  return ${c}Schema.parse(row);`,
            `}`,
          ]
        : [
            `export async function get${P}(id: string): Promise<${P} | null> {`,
            `  const response = await fetch(\`/api/${stem}/\${encodeURIComponent(id)}\`, { cache: 'no-store' });`,
            `  if (response.status === 404) return null;`,
            `  if (!response.ok) throw new Error(\`${stem}: \${response.status}\`);`,
            `  return ${c}Schema.parse(await response.json());`,
            `}`,
          ],
    (n) => [
      `export async function list${P}${n}(filter: { query?: string; limit?: number } = {}): Promise<${P}[]> {`,
      `  const limit = Math.min(filter.limit ?? 20, 100);`,
      store
        ? `  const rows = await ${store}.findMany({ take: limit, orderBy: { createdAt: 'desc' } });`
        : `  const rows: unknown[] = [];`,
      `  return rows`,
      `    .map((row) => ${c}Schema.parse(row))`,
      `    .filter((item) => !filter.query || item.name.toLowerCase().includes(filter.query.toLowerCase()));`,
      `}`,
    ],
    (n) => [
      `export function countByStatus${n}(items: ${P}[]): Record<string, number> {`,
      `  const counts: Record<string, number> = {};`,
      `  for (const item of items) {`,
      `    const key = (item as { status?: string }).status ?? 'unknown';`,
      `    counts[key] = (counts[key] ?? 0) + 1;`,
      `  }`,
      `  return counts;`,
      `}`,
    ],
    (n) => [
      `const LABELS_${n}: Record<string, string> = {`,
      `  draft: 'Draft',`,
      `  active: 'Active',`,
      `  archived: 'Archived',`,
      `  deleted: 'Deleted',`,
      `};`,
      '',
      `export function label${P}${n}(status: string | undefined): string {`,
      `  return LABELS_${n}[status ?? ''] ?? 'Unknown';`,
      `}`,
    ],
    (n) => [
      `/**`,
      ` * Keeps recently read ${stem.replace(/-/g, ' ')} records for a short while, so that a page`,
      ` * rendering many of them does not query the same row twice.`,
      ` */`,
      `export class ${P}Cache${n} {`,
      `  private readonly entries = new Map<string, { value: ${P}; expires: number }>();`,
      '',
      `  constructor(private readonly ttlMs = 60_000) {}`,
      '',
      `  get(id: string): ${P} | undefined {`,
      `    const entry = this.entries.get(id);`,
      `    if (!entry || entry.expires < Date.now()) return undefined;`,
      `    return entry.value;`,
      `  }`,
      '',
      `  set(id: string, value: ${P}): void {`,
      `    this.entries.set(id, { value, expires: Date.now() + this.ttlMs });`,
      `  }`,
      `}`,
    ],
    (n) => [
      `export function describe${P}${n}(item: ${P}): string {`,
      `  const created = new Date(item.createdAt);`,
      `  const age = Math.round((Date.now() - created.getTime()) / 86_400_000);`,
      utils
        ? `  return \`\${item.name} (\${slugify(item.id)}), created \${formatDate(created)}, \${age} days ago\`;`
        : `  return \`\${item.name}, created \${age} days ago\`;`,
      `}`,
    ],
    (n) => [
      `export function validate${P}${n}(input: unknown): { ok: true; value: ${P} } | { ok: false; errors: string[] } {`,
      `  const result = ${c}Schema.safeParse(input);`,
      `  if (result.success) return { ok: true, value: result.data };`,
      `  return { ok: false, errors: result.error.issues.map((issue) => \`\${issue.path.join('.')}: \${issue.message}\`) };`,
      `}`,
    ],
  ];
  for (const d of deps)
    blocks.push((n) => [
      `export async function with${pascal(d.stem)}${n}(id: string): Promise<{ related: ${pascal(d.stem)} | null }> {`,
      `  // The related record is optional: a missing one is not an error here.`,
      `  const related = await get${pascal(d.stem)}(id).catch(() => null);`,
      `  return { related };`,
      `}`,
    ]);
  lines.push(...blocks[0](0), '');
  for (let n = 1; lines.length < target - 10; n++)
    lines.push(...blocks[1 + ((n + stem.length) % (blocks.length - 1))](n), '');
  return lines.join('\n');
}

function appComponent(rnd, name, { siblings, libs, foreign, ui }) {
  const target = rnd.int(30, 120);
  const client = rnd.chance(0.6);
  const lib = libs[0];
  const L = lib ? pascal(lib.stem) : null;
  const lines = [];
  if (client) lines.push(`'use client';`, '', `import { useMemo, useState } from 'react';`);
  const prims = [
    'Button',
    'Card',
    ...(rnd.chance(0.5) ? ['Badge'] : []),
    ...(rnd.chance(0.3) ? [rnd.pick(ui.slice(2, Math.min(ui.length, 10)))] : []),
  ].filter((v, i, a) => a.indexOf(v) === i);
  lines.push(`import { ${prims.join(', ')} } from '@acme/ui';`);
  if (lib)
    lines.push(
      `import ${client ? 'type ' : ''}{ ${client ? '' : `get${L}, `}${client ? L : `type ${L}`} } from '${lib.alias}';`,
    );
  for (const s of siblings) lines.push(`import { ${s.name} } from './${s.name}';`);
  for (const f of foreign) lines.push(`import { ${f.name} } from '${f.alias}';`);
  const T = L ?? `{ id: string; name: string; createdAt: string }`;
  lines.push(
    '',
    `export interface ${name}Props {`,
    `  title?: string;`,
    `  items: ${L ? `${L}[]` : `Array<${T}>`};`,
    `  onSelect?: (id: string) => void;`,
    `}`,
    '',
  );
  const sections = [
    [
      `      {visible.length === 0 ? (`,
      `        <p className="text-sm text-gray-500">Nothing here yet.</p>`,
      `      ) : null}`,
    ],
    [
      `      <section className="grid grid-cols-2 gap-2 text-sm">`,
      `        <span>Total</span>`,
      `        <strong>{items.length}</strong>`,
      `        <span>Shown</span>`,
      `        <strong>{visible.length}</strong>`,
      `      </section>`,
    ],
    ...siblings.map((s) => [`      <${s.name} items={visible} />`]),
    ...foreign.map((f) => [`      <${f.name} items={items} />`]),
    [
      `      <footer className="flex justify-end gap-2">`,
      `        <Button variant="secondary" onClick={() => onSelect?.(visible[0]?.id ?? '')}>`,
      `          Open first`,
      `        </Button>`,
      `      </footer>`,
    ],
  ];
  if (client) {
    lines.push(
      `export function ${name}({ title = '${name.replace(/([a-z])([A-Z])/g, '$1 $2')}', items, onSelect }: ${name}Props) {`,
      `  const [query, setQuery] = useState('');`,
      `  const visible = useMemo(`,
      `    () => items.filter((item) => item.name.toLowerCase().includes(query.toLowerCase())),`,
      `    [items, query],`,
      `  );`,
      '',
      `  return (`,
      `    <Card className="flex flex-col gap-4 p-4">`,
      `      <header className="flex items-center justify-between">`,
      `        <h2 className="text-lg font-semibold">{title}</h2>`,
      `        <Button variant="ghost" onClick={() => setQuery('')}>`,
      `          Clear`,
      `        </Button>`,
      `      </header>`,
      `      <input`,
      `        className="rounded border px-2 py-1"`,
      `        value={query}`,
      `        placeholder="Search…"`,
      `        onChange={(event) => setQuery(event.target.value)}`,
      `      />`,
    );
  } else {
    lines.push(
      `export async function ${name}({ title = '${name}', items, onSelect }: ${name}Props & { id?: string }) {`,
      lib ? `  const current = items[0] ? await get${L}(items[0].id) : null;` : `  const current = items[0] ?? null;`,
      `  const visible = items.slice(0, 50);`,
      '',
      `  return (`,
      `    <Card className="flex flex-col gap-4 p-4">`,
      `      <h2 className="text-lg font-semibold">{title}</h2>`,
      `      {current ? <p className="text-sm">Latest: {current.name}</p> : null}`,
    );
  }
  for (const s of sections) if (lines.length < target - 20) lines.push(...s);
  lines.push(
    `      <ul className="divide-y">`,
    `        {visible.map((item) => (`,
    `          <li key={item.id} className="py-2" onClick={() => onSelect?.(item.id)}>`,
    `            <span className="font-medium">{item.name}</span>`,
    `            <time className="ml-2 text-xs text-gray-500">{item.createdAt}</time>`,
    `          </li>`,
    `        ))}`,
    `      </ul>`,
    `    </Card>`,
    `  );`,
    `}`,
    '',
  );
  for (let n = 1; lines.length < target - 8; n++) {
    lines.push(
      `function ${name}Stat${n}({ label, value }: { label: string; value: number }) {`,
      `  const tone = value > ${n * 10} ? 'text-green-700' : 'text-gray-700';`,
      `  return (`,
      `    <div className="rounded-md border p-2">`,
      `      <div className="text-xs uppercase text-gray-500">{label}</div>`,
      `      <div className={\`text-xl font-bold \${tone}\`}>{value}</div>`,
      `    </div>`,
      `  );`,
      `}`,
      '',
    );
  }
  return lines.join('\n');
}

function uiComponent(rnd, name, earlier) {
  const target = rnd.int(30, 90);
  const lines = [`import { forwardRef, type ReactNode } from 'react';`, `import clsx from 'clsx';`];
  for (const e of earlier.filter(() => rnd.chance(0.3))) lines.push(`import { ${e} } from './${e}';`);
  lines.push(
    '',
    `export interface ${name}Props {`,
    `  children?: ReactNode;`,
    `  className?: string;`,
    `  variant?: 'primary' | 'secondary' | 'ghost';`,
    `  onClick?: () => void;`,
    `}`,
    '',
  );
  lines.push(
    `const VARIANTS = {`,
    `  primary: 'bg-black text-white hover:bg-gray-800',`,
    `  secondary: 'bg-gray-100 text-gray-900 hover:bg-gray-200',`,
    `  ghost: 'bg-transparent hover:bg-gray-50',`,
    `} as const;`,
    '',
  );
  lines.push(
    `export const ${name} = forwardRef<HTMLDivElement, ${name}Props>(function ${name}({ children, className, variant = 'primary', onClick }, ref) {`,
    `  return (`,
    `    <div ref={ref} role="group" className={clsx('rounded-md', VARIANTS[variant], className)} onClick={onClick}>`,
    `      {children}`,
    `    </div>`,
    `  );`,
    `});`,
    '',
  );
  for (let n = 1; lines.length < target; n++)
    lines.push(
      `export function ${name}Part${n}({ children }: { children?: ReactNode }) {`,
      `  return <div className="${['px-2', 'py-1', 'gap-2', 'flex'][n % 4]}">{children}</div>;`,
      `}`,
      '',
    );
  return lines.join('\n');
}

function promptsModule(rnd, stem) {
  const lines = [
    `// Prompt templates for ${stem}: plain strings, no SDK here.`,
    '',
    `export const SYSTEM_PROMPT_${camel(stem).toUpperCase()} = [`,
    `  'You are a careful assistant for the Acme product.',`,
    `  'Answer briefly and cite the record ids you used.',`,
    `].join('\\n');`,
    '',
  ];
  for (let n = 1; lines.length < rnd.int(30, 80); n++)
    lines.push(
      `export function buildPrompt${n}(input: { topic: string; details?: string }): string {`,
      `  return \`Topic: \${input.topic}\\n\\n\${input.details ?? 'No further details.'}\`;`,
      `}`,
      '',
    );
  return lines.join('\n');
}

function aiPackageIndex() {
  return `import OpenAI from 'openai';
import { SYSTEM_PROMPT_PROMPTS } from './prompts';

export * from './prompts';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

export interface ChatOptions {
  model?: string;
  temperature?: number;
  system?: string;
}

/** One chat completion, as plain text. */
export async function chat(prompt: string, options: ChatOptions = {}): Promise<string> {
  const completion = await client.chat.completions.create({
    model: options.model ?? 'gpt-4o-mini',
    temperature: options.temperature ?? 0.2,
    messages: [
      { role: 'system', content: options.system ?? SYSTEM_PROMPT_PROMPTS },
      { role: 'user', content: prompt },
    ],
  });
  return completion.choices[0]?.message?.content ?? '';
}

export async function embed(text: string): Promise<number[]> {
  const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: text });
  return result.data[0]?.embedding ?? [];
}
`;
}

function utilsIndex(stems) {
  return `export function slugify(value: string): string {
  return value
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function formatDate(date: Date | string, locale = 'en-US'): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(typeof date === 'string' ? new Date(date) : date);
}

${stems.map((s) => `export * from './${s}';`).join('\n')}
`;
}

function dbIndex() {
  return `// The shared database client. One instance per process: Next.js dev reloads modules often.
type Table = {
  findUnique(args: { where: { id: string } }): Promise<unknown>;
  findMany(args?: { take?: number; orderBy?: Record<string, 'asc' | 'desc'> }): Promise<unknown[]>;
  create(args: { data: Record<string, unknown> }): Promise<unknown>;
};

const globalForDb = globalThis as unknown as { db?: Record<string, Table> };

function createClient(): Record<string, Table> {
  return new Proxy({}, { get: () => ({ findUnique: async () => null, findMany: async () => [], create: async (a: { data: unknown }) => a.data }) });
}

export const db = globalForDb.db ?? createClient();
if (process.env.NODE_ENV !== 'production') globalForDb.db = db;
export const prisma = db;
`;
}

function appAiDirect() {
  return `import OpenAI from 'openai';

export const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

export async function complete(prompt: string, model = 'gpt-4o-mini'): Promise<string> {
  const response = await openai.chat.completions.create({
    model,
    messages: [{ role: 'user', content: prompt }],
  });
  return response.choices[0]?.message?.content ?? '';
}
`;
}

function appAiReexport() {
  return `// The app's AI access goes through the shared package, so every app uses one client setup.
export { chat as complete, embed } from '@acme/ai';
`;
}

function assistantModule() {
  return `import { complete } from './ai';

export interface AssistantTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** Answers the last user turn with the conversation as context. */
export async function answer(turns: AssistantTurn[]): Promise<string> {
  const transcript = turns.map((turn) => \`\${turn.role}: \${turn.content}\`).join('\\n');
  return complete(\`Continue this conversation helpfully.\\n\\n\${transcript}\\nassistant:\`);
}
`;
}

function layoutModule(name) {
  return `import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = {
  title: 'Acme ${name}',
  description: 'The ${name} app of the Acme monorepo',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">{children}</body>
    </html>
  );
}
`;
}

function homePage(features) {
  return `import Link from 'next/link';

const SECTIONS = [
${features.map((f) => `  { href: '/${f.name}', label: '${pascal(f.name)}' },`).join('\n')}
];

export default function HomePage() {
  return (
    <main className="mx-auto max-w-4xl p-6">
      <h1 className="text-2xl font-bold">Welcome back</h1>
      <ul className="mt-4 grid grid-cols-2 gap-4">
        {SECTIONS.map((section) => (
          <li key={section.href}>
            <Link href={section.href}>{section.label}</Link>
          </li>
        ))}
      </ul>
    </main>
  );
}
`;
}

function featurePage(feature) {
  const comp = feature.components[0];
  const lib = feature.libs[0];
  const L = pascal(lib.stem);
  return `import { ${comp.name} } from '${comp.alias}';
import { get${L} } from '${lib.alias}';

export const dynamic = 'force-dynamic';

export default async function ${pascal(feature.name)}Page({ searchParams }: { searchParams: Promise<{ id?: string }> }) {
  const { id } = await searchParams;
  const current = id ? await get${L}(id) : null;
  return (
    <main className="mx-auto max-w-5xl space-y-6 p-6">
      <h1 className="text-2xl font-bold">${pascal(feature.name)}</h1>
      <${comp.name} items={current ? [current] : []} />
    </main>
  );
}
`;
}

/** The import that makes a route reach AI, and the call it makes. */
function aiAccess(ctx) {
  const { ai, file, base } = ctx;
  switch (ai) {
    case 'alias':
      return { imports: [`import { complete } from '@/lib/ai';`], call: (p) => `await complete(${p})` };
    case 'relative':
      return {
        imports: [`import { complete } from '${relImport(file, `${base}lib/ai`)}';`],
        call: (p) => `await complete(${p})`,
      };
    case 'workspace':
      return { imports: [`import { chat } from '@acme/ai';`], call: (p) => `await chat(${p}, { temperature: 0 })` };
    case 'alias-chain':
      return {
        imports: [`import { answer } from '@/lib/assistant';`],
        call: (p) => `await answer([{ role: 'user', content: ${p} }])`,
      };
    case 'direct':
      return {
        imports: [`import OpenAI from 'openai';`],
        setup: ['', `const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });`],
        call: (p) =>
          `(await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: ${p} }] })).choices[0]?.message?.content ?? ''`,
      };
    default:
      return { imports: [] };
  }
}

function libImports(ctx) {
  return ctx.libs.map((lib, i) => {
    const spec = i === 1 ? relImport(ctx.file, lib.file.replace(/\.ts$/, '')) : lib.alias;
    return `import { get${pascal(lib.stem)} } from '${spec}';`;
  });
}

function appRoute(rnd, ctx) {
  const access = aiAccess(ctx);
  const L = pascal(ctx.libs[0].stem);
  const lines = [
    `import { NextResponse } from 'next/server';`,
    `import type { NextRequest } from 'next/server';`,
    `import { z } from 'zod';`,
    ...access.imports,
    ...libImports(ctx),
  ];
  if (!ctx.ai && rnd.chance(0.5)) lines.push(`import { db } from '@acme/db';`);
  lines.push(...(access.setup ?? []), '');
  if (ctx.ai && rnd.chance(0.3)) lines.push(`export const maxDuration = 30;`, '');
  lines.push(
    `const bodySchema = z.object({`,
    ctx.ai ? `  prompt: z.string().min(1).max(4000),` : `  name: z.string().min(1),`,
    `  contextId: z.string().optional(),`,
    `});`,
    '',
  );
  const params = ctx.dynamic ? `, { params }: { params: Promise<{ id: string }> }` : '';
  const idLine = ctx.dynamic
    ? [`  const { id } = await params;`]
    : [`  const id = new URL(request.url).searchParams.get('id') ?? '';`];
  if (!ctx.ai) {
    lines.push(
      `export async function GET(request: NextRequest${params}) {`,
      ...idLine,
      `  const item = await get${L}(id);`,
      `  if (!item) return NextResponse.json({ error: 'Not found' }, { status: 404 });`,
      `  return NextResponse.json(item);`,
      `}`,
      '',
    );
    lines.push(
      `export async function POST(request: Request${params}) {`,
      `  const parsed = bodySchema.safeParse(await request.json());`,
      `  if (!parsed.success) {`,
      `    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });`,
      `  }`,
      ...(lines.some((l) => l.includes('@acme/db'))
        ? [`  const created = await db.record.create({ data: parsed.data });`]
        : [`  const created = { id: crypto.randomUUID(), ...parsed.data };`]),
      `  return NextResponse.json(created, { status: 201 });`,
      `}`,
      '',
    );
    if (rnd.chance(0.4))
      lines.push(
        `export async function DELETE(_request: Request${params}) {`,
        `  return new NextResponse(null, { status: 204 });`,
        `}`,
        '',
      );
    return lines.join('\n');
  }
  const body = [
    `  const parsed = bodySchema.safeParse(await req.json());`,
    `  if (!parsed.success) {`,
    `    return NextResponse.json({ error: 'Invalid request' }, { status: 400 });`,
    `  }`,
    `  const context = parsed.data.contextId ? await get${L}(parsed.data.contextId) : null;`,
    `  const prompt = context ? \`\${parsed.data.prompt}\\n\\nContext: \${context.name}\` : parsed.data.prompt;`,
    `  const text = ${access.call('prompt')};`,
    `  return NextResponse.json({ text });`,
  ];
  if (ctx.shape === 'arrow') lines.push(`export const POST = async (req: NextRequest) => {`, ...body, `};`, '');
  else if (ctx.shape === 'get-stream')
    lines.push(
      `export async function GET(request: NextRequest) {`,
      `  const topic = new URL(request.url).searchParams.get('topic') ?? 'today';`,
      `  const text = ${access.call('`Write a short note about ${topic}.`')};`,
      `  return new Response(text, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });`,
      `}`,
      '',
    );
  else lines.push(`export async function POST(req: Request) {`, ...body, `}`, '');
  return lines.join('\n');
}

function pagesRoute(_rnd, ctx) {
  const access = aiAccess(ctx);
  const L = pascal(ctx.libs[0].stem);
  const lines = [
    `import type { NextApiRequest, NextApiResponse } from 'next';`,
    ...access.imports,
    ...libImports(ctx),
    ...(access.setup ?? []),
    '',
  ];
  lines.push(`export default async function handler(req: NextApiRequest, res: NextApiResponse) {`);
  if (ctx.ai) {
    lines.push(
      `  if (req.method !== 'POST') {`,
      `    res.setHeader('Allow', 'POST');`,
      `    return res.status(405).json({ error: 'Method not allowed' });`,
      `  }`,
      `  const { prompt, contextId } = req.body as { prompt?: string; contextId?: string };`,
      `  if (!prompt) return res.status(400).json({ error: 'prompt is required' });`,
      `  const context = contextId ? await get${L}(contextId) : null;`,
      `  const text = ${access.call('context ? `${prompt}\\n\\n${context.name}` : prompt')};`,
      `  res.status(200).json({ text });`,
    );
  } else {
    lines.push(
      `  const id = String(req.query.id ?? '');`,
      `  if (req.method === 'GET') {`,
      `    const item = await get${L}(id);`,
      `    return item ? res.status(200).json(item) : res.status(404).json({ error: 'Not found' });`,
      `  }`,
      `  if (req.method === 'POST') {`,
      `    return res.status(201).json({ id: crypto.randomUUID(), ...req.body });`,
      `  }`,
      `  res.setHeader('Allow', 'GET, POST');`,
      `  res.status(405).end();`,
    );
  }
  lines.push(`}`, '');
  return lines.join('\n');
}

function serverAction(_rnd, feature, ai) {
  const lib = feature.libs[0];
  const L = lib ? pascal(lib.stem) : null;
  return [
    `'use server';`,
    '',
    `import { revalidatePath } from 'next/cache';`,
    ...(ai ? [`import { complete } from '@/lib/ai';`] : []),
    ...(lib ? [`import { get${L} } from '${lib.alias}';`] : []),
    '',
    `export async function update${pascal(feature.name)}(formData: FormData) {`,
    `  const id = String(formData.get('id') ?? '');`,
    lib ? `  const current = await get${L}(id);` : `  const current = id ? { id, name: id } : null;`,
    `  if (!current) throw new Error('Not found');`,
    ...(ai
      ? [
          `  const summary = await complete(\`Summarize: \${current.name}\`);`,
          `  console.info('summary', summary.length);`,
        ]
      : []),
    `  revalidatePath('/${feature.name}');`,
    `}`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------------------------

const FLOOR_SCRIPT = `// The floor: walk the tree and read every file, nothing else.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const SKIP = new Set(['node_modules', '.next', 'dist', '.git']);
let files = 0;
let chars = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) walk(path);
    } else if (entry.isFile()) {
      chars += readFileSync(path, 'utf8').length;
      files++;
    }
  }
}
walk(process.argv[2]);
process.stdout.write(JSON.stringify({ files, chars }) + '\\n');
`;

// Fallback when GNU time is missing: every Node process reports its own peak RSS on exit.
const RSS_HOOK = `import { appendFileSync } from 'node:fs';
process.on('exit', () => {
  try { appendFileSync(process.env.BENCH_RSS_FILE, process.pid + ' ' + process.resourceUsage().maxRSS + '\\n'); } catch {}
});
`;

function hasGnuTime() {
  if (!existsSync('/usr/bin/time')) return false;
  const probe = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && /^\d+\s*$/m.test(probe.stderr);
}

/**
 * Runs one command in a fresh process; returns wall time (ms), peak RSS (MB, the largest single
 * process: for jscodeshift that is its parent or one worker), exit status and captured output.
 */
function measure(work, command, args, { keepStdout = false } = {}) {
  const rssFile = path.join(work.root, `rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  let file = command;
  let argv = args;
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  if (work.gnuTime) {
    file = '/usr/bin/time';
    argv = ['-f', '%M', '-o', rssFile, command, ...args];
  } else {
    env.BENCH_RSS_FILE = rssFile;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(work.rssHook).href}`.trim();
  }
  // Captured stdout goes to a file, not a pipe: a CLI that ends with process.exit() loses piped output.
  const outFile = keepStdout ? `${rssFile}.out` : undefined;
  const outFd = outFile ? openSync(outFile, 'w') : 'ignore';
  const started = process.hrtime.bigint();
  const result = spawnSync(file, argv, {
    cwd: REPO,
    env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', outFd, 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let stdout = '';
  if (outFile) {
    closeSync(outFd);
    stdout = readFileSync(outFile, 'utf8');
    rmSync(outFile);
  }
  let rssKB = NaN;
  try {
    const text = readFileSync(rssFile, 'utf8');
    rssKB = work.gnuTime
      ? Number(text.trim().split('\n').pop())
      : Math.max(
          ...text
            .trim()
            .split('\n')
            .map((l) => Number(l.split(' ')[1])),
        );
    rmSync(rssFile);
  } catch {}
  return { ms, rssMB: rssKB / 1024, status: result.status, stdout, stderr: result.stderr ?? '' };
}

const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function jscodeshiftCounts(stdout) {
  const count = (label) => Number(new RegExp(`^(\\d+) ${label}\\s*$`, 'm').exec(stdout)?.[1] ?? NaN);
  return {
    ok: count('ok'),
    error: count('errors'),
    skipped: count('skipped'),
    unmodified: count('unmodified'),
    processed: Number(/Processing (\d+) files/.exec(stdout)?.[1] ?? NaN),
  };
}

const commands = {
  floor: (work, tree) => [process.execPath, [work.floorScript, tree]],
  ours: (_work, tree) => [process.execPath, [CLI, 'next-ratelimit', tree, '--dry']],
  detect: (_work, tree) => [process.execPath, [CLI, 'detect', tree, '--format', 'json']],
  // --no-babel: with jscodeshift's default --babel, @babel/register recompiles our ESM build to
  // CommonJS inside a "type": "module" package and the worker dies before the first file (the CLI
  // still prints all-zero counts and exits 0). Measured once as "default flags" below.
  jscodeshift: (_work, tree, { babel = false } = {}) => [
    process.execPath,
    [
      JSCODESHIFT,
      ...(babel ? [] : ['--no-babel']),
      '-t',
      TRANSFORM,
      '--dry',
      '--extensions=ts,tsx,js,jsx,mjs',
      '--ignore-pattern=**/node_modules/**',
      tree,
    ],
  ],
};

/** One untimed --json run of (b): checks that it changes exactly the routes that call AI. */
function checkOurResult(work, tree, manifest) {
  const [cmd, args] = commands.ours(work, tree);
  // To a file, not a pipe: the CLI ends with process.exit(), which cuts piped stdout at 64 KiB.
  const outFile = path.join(work.root, 'check.json');
  const fd = openSync(outFile, 'w');
  const run = spawnSync(cmd, [...args, '--json'], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', fd, 'pipe'],
    maxBuffer: 512 * 1024 * 1024,
  });
  closeSync(fd);
  let json;
  try {
    json = JSON.parse(readFileSync(outFile, 'utf8'));
    rmSync(outFile);
  } catch {
    return { ok: false, problems: [`--json output did not parse (exit ${run.status}): ${run.stderr.slice(0, 400)}`] };
  }
  const abs = (p) => path.resolve(REPO, p);
  const routeFiles = new Set(manifest.routes.map((r) => path.join(tree, r.file)));
  // 'changed' findings also name the helper, package.json and .env.example: only routes count here.
  const changedRoutes = new Set(
    json.findings.filter((f) => f.kind === 'changed' && f.file && routeFiles.has(abs(f.file))).map((f) => abs(f.file)),
  );
  const expected = new Set(manifest.routes.filter((r) => r.ai).map((r) => path.join(tree, r.file)));
  const missed = [...expected].filter((f) => !changedRoutes.has(f));
  const extra = [...changedRoutes].filter((f) => !expected.has(f));
  const aiActions = manifest.serverActions.filter((a) => a.ai).length;
  const reportedActions = json.findings.filter(
    (f) => f.kind === 'needs-human' && /Server Action/.test(f.message),
  ).length;
  const problems = [];
  if (missed.length)
    problems.push(
      `${missed.length} AI routes not rate-limited, e.g. ${path.relative(tree, missed[0])} (${manifest.routes.find((r) => path.join(tree, r.file) === missed[0])?.ai})`,
    );
  if (extra.length) problems.push(`${extra.length} non-AI routes changed, e.g. ${path.relative(tree, extra[0])}`);
  if (reportedActions !== aiActions)
    problems.push(`${reportedActions} AI Server Actions reported, ${aiActions} expected`);
  if (json.summary.errored) problems.push(`${json.summary.errored} files errored`);
  return { ok: problems.length === 0, exit: run.status, summary: json.summary, apps: json.apps.length, problems };
}

/** One commit of the whole tree (the generated root .gitignore keeps node_modules out). */
function commitTree(tree) {
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    [
      '-c',
      'user.name=bench',
      '-c',
      'user.email=bench@example.com',
      '-c',
      'commit.gpgsign=false',
      'commit',
      '-qm',
      'tree',
    ],
  ]) {
    const result = spawnSync('git', args, { cwd: tree, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${tree}`);
  }
}

function parseArgs(argv) {
  const opts = {
    sizes: [1000, 10000, 50000],
    runs: 3,
    json: undefined,
    keep: false,
    seed: 1,
    jscodeshiftAt: 10000,
    generate: undefined,
    files: 10000,
    git: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--sizes':
        opts.sizes = value()
          .split(',')
          .map((s) => Number(s.trim().replace(/k$/i, '000')));
        break;
      case '--runs':
        opts.runs = Number(value());
        break;
      case '--json':
        opts.json = value();
        break;
      case '--keep':
        opts.keep = true;
        break;
      case '--git':
        opts.git = true;
        break;
      case '--seed':
        opts.seed = Number(value());
        break;
      case '--jscodeshift-at':
        opts.jscodeshiftAt = Number(value());
        break;
      case '--generate':
        opts.generate = value();
        break;
      case '--files':
        opts.files = Number(value());
        break;
      case '-h':
      // biome-ignore lint/suspicious/noFallthroughSwitchClause: it ends in process.exit(0)
      case '--help':
        process.stdout.write(`Usage: node scripts/bench.mjs [--sizes 1000,10000,50000] [--runs 3] [--json out.json] [--keep] [--seed 1] [--jscodeshift-at 10000] [--git]
       node scripts/bench.mjs --generate <dir> [--files 10000] [--seed 1]

Generates Next.js monorepos under ${os.tmpdir()} and reports (a) a plain walk + read, (b) next-ratelimit --dry,
(c) plain jscodeshift with the compiled transform (at --jscodeshift-at files only; 0 = never).
--git makes each tree a git repository with one commit, as the trees users run us on are (we then list
files with git ls-files). Run \`npm run build\` first. Trees are removed at the end unless --keep.
`);
        process.exit(0);
      default:
        throw new Error(`unknown option ${arg} (see --help)`);
    }
  }
  if (!opts.sizes.every((n) => Number.isInteger(n) && n >= 250))
    throw new Error('--sizes: whole numbers of at least 250');
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs: a whole number of at least 1');
  return opts;
}

const fmtMs = (ms) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
const fmtX = (x) => `${x.toFixed(2)}x`;
const yes = (ok) => (ok ? 'met' : 'MISSED');
const log = (text) => process.stderr.write(`${text}\n`);

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.generate) {
    const manifest = generateMonorepo(path.resolve(opts.generate), { files: opts.files, seed: opts.seed });
    process.stdout.write(
      `${manifest.files} files (${(manifest.bytes / 1e6).toFixed(1)} MB) in ${opts.generate}: ${manifest.apps.length} apps, ${manifest.routes.length} route files, ${manifest.aiRoutes} calling AI\n`,
    );
    return;
  }
  for (const needed of [CLI, TRANSFORM, JSCODESHIFT]) {
    if (!existsSync(needed))
      throw new Error(`${path.relative(REPO, needed)} is missing: run \`npm run build\` (and npm install) first`);
  }

  const root = mkdtempSync(path.join(os.tmpdir(), 'ai-secure-bench-'));
  const cleanup = () => {
    if (!opts.keep) rmSync(root, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  const work = {
    root,
    gnuTime: hasGnuTime(),
    floorScript: path.join(root, 'floor-walk.mjs'),
    rssHook: path.join(root, 'rss-hook.mjs'),
  };
  writeFileSync(work.floorScript, FLOOR_SCRIPT);
  writeFileSync(work.rssHook, RSS_HOOK);

  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    rssVia: work.gnuTime ? 'GNU time %M' : 'process.resourceUsage().maxRSS on exit',
  };
  log(
    `bench: ${machine.cpus} CPUs, Node ${machine.node}, sizes ${opts.sizes.join(', ')}, ${opts.runs} run(s) each, trees under ${root}`,
  );
  const results = [];
  const totalStart = Date.now();
  try {
    for (const size of opts.sizes) {
      const tree = path.join(root, `monorepo-${size}`);
      const t = Date.now();
      const manifest = generateMonorepo(tree, { files: size, seed: opts.seed });
      if (opts.git) commitTree(tree);
      log(
        `\n[${size}] generated ${manifest.files} files, ${(manifest.bytes / 1e6).toFixed(1)} MB, ${manifest.apps.length} apps, ${manifest.routes.length} routes (${manifest.aiRoutes} AI) in ${fmtMs(Date.now() - t)}`,
      );

      // Untimed first pass: warms the page cache for everyone and checks what (b) does.
      const floorCheck = JSON.parse(measure(work, ...commands.floor(work, tree), { keepStdout: true }).stdout);
      const check = checkOurResult(work, tree, manifest);
      log(
        `[${size}] floor read ${floorCheck.files} files; next-ratelimit: ${check.ok ? 'changes exactly the AI routes' : `PROBLEMS: ${check.problems.join('; ')}`}${check.summary ? ` (summary ${JSON.stringify(check.summary)})` : ''}`,
      );

      const withC = size === opts.jscodeshiftAt;
      const runs = { a: [], b: [], c: [], d: [] };
      for (let r = 0; r < opts.runs; r++) {
        runs.a.push(measure(work, ...commands.floor(work, tree)));
        runs.b.push(measure(work, ...commands.ours(work, tree)));
        runs.d.push(measure(work, ...commands.detect(work, tree)));
        if (withC) runs.c.push(measure(work, ...commands.jscodeshift(work, tree), { keepStdout: true }));
        log(
          `[${size}] run ${r + 1}/${opts.runs}: a ${fmtMs(runs.a.at(-1).ms)}, b ${fmtMs(runs.b.at(-1).ms)} (${runs.b.at(-1).rssMB.toFixed(0)} MB, exit ${runs.b.at(-1).status}), d ${fmtMs(runs.d.at(-1).ms)} (${runs.d.at(-1).rssMB.toFixed(0)} MB)${withC ? `, c ${fmtMs(runs.c.at(-1).ms)}` : ''}`,
        );
      }
      const entry = {
        files: size,
        generated: {
          bytes: manifest.bytes,
          apps: manifest.apps.length,
          routes: manifest.routes.length,
          aiRoutes: manifest.aiRoutes,
          aiVias: Object.fromEntries(AI_VIAS.map((v) => [v, manifest.routes.filter((r) => r.ai === v).length])),
          serverActions: manifest.serverActions.length,
        },
        check,
        a: {
          ms: median(runs.a.map((m) => m.ms)),
          runs: runs.a.map((m) => m.ms),
          rssMB: median(runs.a.map((m) => m.rssMB)),
        },
        b: {
          ms: median(runs.b.map((m) => m.ms)),
          runs: runs.b.map((m) => m.ms),
          rssMB: Math.max(...runs.b.map((m) => m.rssMB)),
          exit: runs.b.map((m) => m.status),
        },
        d: {
          ms: median(runs.d.map((m) => m.ms)),
          runs: runs.d.map((m) => m.ms),
          rssMB: Math.max(...runs.d.map((m) => m.rssMB)),
          exit: runs.d.map((m) => m.status),
        },
      };
      if (withC) {
        const counts = jscodeshiftCounts(runs.c.at(-1).stdout);
        entry.c = {
          ms: median(runs.c.map((m) => m.ms)),
          runs: runs.c.map((m) => m.ms),
          rssMB: Math.max(...runs.c.map((m) => m.rssMB)),
          counts,
          exit: runs.c.map((m) => m.status),
          workers: Number(/Spawning (\d+) workers/.exec(runs.c.at(-1).stdout)?.[1] ?? NaN),
        };
        // The same command with jscodeshift's default --babel, once: does the transform even load?
        const probe = measure(work, ...commands.jscodeshift(work, tree, { babel: true }), { keepStdout: true });
        const probeCounts = jscodeshiftCounts(probe.stdout);
        const handled = probeCounts.ok + probeCounts.error + probeCounts.skipped + probeCounts.unmodified;
        entry.cDefaultBabel = {
          ms: probe.ms,
          counts: probeCounts,
          exit: probe.status,
          workerCrashed: handled < probeCounts.processed,
          stderr: probe.stderr.split('\n').find((l) => /Error/.test(l)) ?? '',
        };
        log(
          `[${size}] jscodeshift counts ${JSON.stringify(counts)}; with default --babel: ${JSON.stringify(probeCounts)}${entry.cDefaultBabel.workerCrashed ? ` — worker crashed: ${entry.cDefaultBabel.stderr}` : ''}`,
        );
      }
      results.push(entry);
      if (!opts.keep) rmSync(tree, { recursive: true, force: true });
    }
  } finally {
    cleanup();
  }

  // ---- report ------------------------------------------------------------------------------
  const out = [];
  const mode = opts.git ? 'trees are git repositories (one commit)' : 'trees are plain folders (no git)';
  out.push(
    `## next-ratelimit and detect benchmark`,
    '',
    `${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}; median of ${opts.runs} run(s), each a fresh process; peak RSS via ${machine.rssVia}; ${mode}.`,
    '',
  );
  out.push(
    table(
      [
        'files',
        'MB',
        'routes (AI)',
        '(a) walk+read',
        '(b) next-ratelimit --dry',
        'b/a',
        'b peak RSS',
        '(d) detect',
        'd/a',
        'd peak RSS',
        'b correct',
      ],
      results.map((r) => [
        r.files,
        (r.generated.bytes / 1e6).toFixed(1),
        `${r.generated.routes} (${r.generated.aiRoutes})`,
        fmtMs(r.a.ms),
        fmtMs(r.b.ms),
        fmtX(r.b.ms / r.a.ms),
        `${r.b.rssMB.toFixed(0)} MB`,
        fmtMs(r.d.ms),
        fmtX(r.d.ms / r.a.ms),
        `${r.d.rssMB.toFixed(0)} MB`,
        r.check.ok ? 'yes' : 'NO',
      ]),
    ),
  );
  const withC = results.find((r) => r.c);
  if (withC) {
    const { c } = withC;
    out.push(
      '',
      `(c) plain jscodeshift at ${withC.files} files (${c.workers} worker(s), --no-babel): ${fmtMs(c.ms)}, c/b = ${fmtX(c.ms / withC.b.ms)}, peak RSS ${c.rssMB.toFixed(0)} MB; counts: ok ${c.counts.ok}, error ${c.counts.error}, skipped ${c.counts.skipped}, unmodified ${c.counts.unmodified} of ${c.counts.processed} files; it rate-limited ${c.counts.ok} of the ${withC.generated.aiRoutes} AI routes (our CLI: ${withC.check.ok ? 'all' : 'see below'}).`,
    );
    const d = withC.cDefaultBabel;
    out.push(
      `    same command with jscodeshift's default --babel: ok ${d.counts.ok}, error ${d.counts.error}, skipped ${d.counts.skipped}, unmodified ${d.counts.unmodified} of ${d.counts.processed}, exit ${d.exit}${d.workerCrashed ? ` — the worker crashed loading the transform (${d.stderr.trim()})` : ''}.`,
    );
  }
  const targets = [];
  for (const r of results)
    targets.push({
      target: `b <= ${TARGETS.bOverA}x a at ${r.files}`,
      value: fmtX(r.b.ms / r.a.ms),
      met: r.b.ms / r.a.ms <= TARGETS.bOverA,
    });
  if (withC)
    targets.push({
      target: `c >= ${TARGETS.cOverB}x b at ${withC.files}`,
      value: fmtX(withC.c.ms / withC.b.ms),
      met: withC.c.ms / withC.b.ms >= TARGETS.cOverB,
    });
  for (const r of results)
    targets.push({
      target: `peak RSS of b < ${TARGETS.rssMB} MB at ${r.files}`,
      value: `${r.b.rssMB.toFixed(0)} MB`,
      met: r.b.rssMB < TARGETS.rssMB,
    });
  for (const r of results)
    targets.push({
      target: `d <= ${TARGETS.dOverA}x a at ${r.files} (issue 3)`,
      value: fmtX(r.d.ms / r.a.ms),
      met: r.d.ms / r.a.ms <= TARGETS.dOverA,
    });
  const sorted = [...results].sort((x, y) => x.files - y.files);
  let scaling;
  if (sorted.length >= 2) {
    const lo = sorted[0];
    const hi = sorted.at(-1);
    const n = hi.files / lo.files;
    const growth = hi.b.ms / lo.b.ms;
    // Start-up is a constant that flatters the ratio; the per-file slope between sizes does not.
    const slopes = sorted.slice(1).map((r, i) => ({
      from: sorted[i].files,
      to: r.files,
      aUs: ((r.a.ms - sorted[i].a.ms) * 1000) / (r.files - sorted[i].files),
      bUs: ((r.b.ms - sorted[i].b.ms) * 1000) / (r.files - sorted[i].files),
    }));
    const slopeGrowth = slopes.length >= 2 ? slopes.at(-1).bUs / slopes[0].bUs : 1;
    scaling = { ratio: growth, filesRatio: n, slopes, slopeGrowth };
    targets.push({
      target: `b grows at most linearly (b_${hi.files}/b_${lo.files} vs ${n})`,
      value: `${growth.toFixed(1)} vs ${n}`,
      met: growth <= n,
    });
    if (slopes.length >= 2)
      targets.push({
        target: `marginal cost per file does not grow (slope ${slopes.at(-1).from}→${slopes.at(-1).to} vs ${slopes[0].from}→${slopes[0].to}, within 25%)`,
        value: `${slopes.at(-1).bUs.toFixed(1)} vs ${slopes[0].bUs.toFixed(1)} µs/file`,
        met: slopeGrowth <= 1.25,
      });
    out.push('', 'Marginal cost per added file (slope between sizes, start-up excluded):', '');
    out.push(
      table(
        ['between', '(a) µs/file', '(b) µs/file', 'b/a'],
        slopes.map((s) => [`${s.from} → ${s.to}`, s.aUs.toFixed(1), s.bUs.toFixed(1), fmtX(s.bUs / s.aUs)]),
      ),
    );
  }
  out.push(
    '',
    `Targets (${mode}):`,
    '',
    table(
      ['target', 'value', ''],
      targets.map((t) => [t.target, t.value, yes(t.met)]),
    ),
  );
  const problems = results.filter((r) => !r.check.ok);
  if (problems.length)
    out.push('', ...problems.map((r) => `Correctness at ${r.files} files: ${r.check.problems.join('; ')}`));
  out.push('', `Total bench time ${fmtMs(Date.now() - totalStart)}.`);
  process.stdout.write(`${out.join('\n')}\n`);

  if (opts.json) {
    writeFileSync(
      opts.json,
      `${JSON.stringify(
        {
          machine,
          options: { sizes: opts.sizes, runs: opts.runs, seed: opts.seed, git: opts.git },
          results,
          scaling,
          targets,
        },
        null,
        2,
      )}\n`,
    );
    log(`wrote ${opts.json}`);
  }
}

const invoked = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  main().catch((error) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
