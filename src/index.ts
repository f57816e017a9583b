// The package's programmatic entry: run steps over a project, or build the detect report, as the
// CLI does. The CLI (bin/cli.ts) and the jscodeshift entry points (transforms/<slug>.ts) sit beside it.
export { transforms } from './engine/steps.js';
export { runSteps, type RunResult } from './engine/runner.js';
export { loadConfig, type AiSecureConfig } from './engine/config.js';
export { buildDetectReport } from './report/build.js';
// runSteps parses Python with tree-sitter (WebAssembly), loaded once and asynchronously: await it first.
export { loadPythonParser } from './lang/python/parse.js';
export type { DetectReport } from './core/report-schema.js';
export type { Finding } from './core/finding.js';
export type { Step } from './step/contract.js';
