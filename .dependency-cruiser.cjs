// The layers of src/, enforced in CI (test/architecture.test.ts). An import may only point down:
//
//   L0 core/, knowledge/      contracts, pure utilities, vendor facts as data
//   L1 lang/js/, lang/python/ one folder per language; they never import each other
//   L2 project/               files on disk, git, the import graphs; knows no framework
//   L3 frameworks/            Next.js, FastAPI, Flask…: apps, routes; no security logic
//   L3 step/                  the step contract every concern implements
//   L4 concerns/<concern>/    one checklist item: detector + fixer; never another concern
//   L5 engine/                registry, runner, options, config (only registry.ts knows the concerns,
//                             and it loads a step's code lazily, by import())
//   L6 report/, adapters/     detect/check report and formats; the jscodeshift adapter
//   L7 cli/, then bin/ and transforms/ (the published entry points) outside src/
//
// Type-only imports follow the same rules: a type that two layers share lives in the lower one.
const below = (...allowed) => `^src/(?!${allowed.map((a) => `${a}/`).join('|')})`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'A cycle means two modules are one: merge them or move the shared part down.', from: {}, to: { circular: true } },
    { name: 'core-imports-nothing', severity: 'error', comment: 'core/ and knowledge/ are the bottom layer.', from: { path: '^src/(core|knowledge)/' }, to: { path: below('core', 'knowledge') } },
    { name: 'lang-js-layer', severity: 'error', comment: 'lang/js knows only core/knowledge and itself.', from: { path: '^src/lang/js/' }, to: { path: below('core', 'knowledge', 'lang/js') } },
    { name: 'lang-python-layer', severity: 'error', comment: 'lang/python knows only core/knowledge and itself.', from: { path: '^src/lang/python/' }, to: { path: below('core', 'knowledge', 'lang/python') } },
    { name: 'project-layer', severity: 'error', comment: 'project/ knows no framework and no concern.', from: { path: '^src/project/' }, to: { path: below('core', 'knowledge', 'lang', 'project') } },
    { name: 'frameworks-layer', severity: 'error', comment: 'frameworks/ hold no security logic and know no step.', from: { path: '^src/frameworks/' }, to: { path: below('core', 'knowledge', 'lang', 'project', 'frameworks') } },
    { name: 'frameworks-apart', severity: 'error', comment: 'One framework adapter never imports another; model.ts composes them.', from: { path: '^src/frameworks/([^/]+)/' }, to: { path: '^src/frameworks/[^/]+/', pathNot: '^src/frameworks/$1/' } },
    { name: 'step-contract-layer', severity: 'error', comment: 'The step contract sits under the concerns.', from: { path: '^src/step/' }, to: { path: below('core', 'knowledge', 'lang', 'project', 'frameworks', 'step') } },
    { name: 'concerns-layer', severity: 'error', comment: 'A concern never imports the engine, the report, an adapter or the CLI.', from: { path: '^src/concerns/' }, to: { path: '^src/(engine|report|adapters|cli)/' } },
    { name: 'concerns-apart', severity: 'error', comment: 'A concern never imports another concern: move what both need down a layer.', from: { path: '^src/concerns/([^/]+)/' }, to: { path: '^src/concerns/', pathNot: '^src/concerns/$1/' } },
    { name: 'engine-layer', severity: 'error', comment: 'The engine runs steps through the contract; the report and CLI sit above it.', from: { path: '^src/engine/' }, to: { path: '^src/(report|adapters|cli)/' } },
    { name: 'only-registry-knows-concerns', severity: 'error', comment: 'The engine reaches the concerns only through registry.ts.', from: { path: '^src/engine/', pathNot: '^src/engine/registry\\.ts$' }, to: { path: '^src/concerns/' } },
    { name: 'registry-loads-steps-lazily', severity: 'error', comment: 'registry.ts imports a step\'s meta; its code only by import(), when it runs.', from: { path: '^src/engine/registry\\.ts$' }, to: { path: '^src/concerns/', pathNot: '\\.meta\\.ts$', dependencyTypesNot: ['dynamic-import'] } },
    { name: 'meta-without-code', severity: 'error', comment: 'A step\'s meta module never loads the step it describes (or any step).', from: { path: '\\.meta\\.ts$' }, to: { path: '^src/concerns/[^/]+/[^/]+\\.ts$', pathNot: '(\\.meta|/options|/origins)\\.ts$' } },
    { name: 'cli-loads-commands-lazily', severity: 'error', comment: 'bin/cli.ts builds its command line from meta; a command\'s code only by import(), when it runs.', from: { path: '^bin/cli\\.ts$' }, to: { path: '^src/(cli/(run|detect|batch/)|engine/(steps|runner)|report/|concerns/)', dependencyTypesNot: ['dynamic-import'] } },
    { name: 'report-layer', severity: 'error', comment: 'The report and the adapters never import the CLI.', from: { path: '^src/(report|adapters)/' }, to: { path: '^src/cli/' } },
    { name: 'src-not-entry-points', severity: 'error', comment: 'bin/ and transforms/ are entry points over src/, never under it.', from: { path: '^src/' }, to: { path: '^(bin|transforms)/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
