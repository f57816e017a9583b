import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AiSecureConfig } from './config.js';
import { excludes, optionResolver } from './options.js';
import { discoverFiles } from '../project/discover.js';
import { Overlay, type FileChange } from '../project/overlay.js';
import { assertParses } from './validate.js';
import { toParseError } from '../core/parse-error.js';
import { buildProjectModel, type ProjectModel } from '../frameworks/model.js';
import type { EndpointInfo } from '../core/report-schema.js';
import type { StepContext, Step } from '../step/contract.js';
import type { Finding } from '../core/finding.js';

export type FileStatus = 'changed' | 'created' | 'unchanged' | 'skipped' | 'error';

export interface FileResult {
  path: string;
  status: FileStatus;
  reason?: string;
  line?: number;
  /** The step that looked at the file. */
  step?: string;
}

export interface RunResult {
  model: ProjectModel;
  /** The files as the steps left them (nothing is on disk until the caller writes the changes). */
  overlay: Overlay;
  changes: FileChange[];
  files: FileResult[];
  findings: Finding[];
  /** Every endpoint a step looked at, once each (file absolute). */
  endpoints: EndpointInfo[];
  /** Each changed file's path → the slugs of the steps that wrote it, in run order. */
  writtenBy: Map<string, string[]>;
}

/**
 * Runs steps in order over one overlay and one project model, then validates every changed file
 * (it must re-parse, or it is reverted and reported as an error). Nothing here touches the disk:
 * writing is the caller's choice. `options` are the command line's; the project's `config` fills
 * in what they leave out (its overrides per file), then the steps' defaults. Files the config
 * excludes are not in the model: no step sees them (imports still resolve through them).
 */
export function runSteps(
  steps: Step[],
  paths: string[],
  options: Record<string, unknown>,
  opts: { isolated?: boolean; config?: AiSecureConfig; files?: string[] } = {},
): RunResult {
  const overlay = new Overlay();
  // `files`: what discoverFiles(paths) gave a caller that runs twice on the same tree (batch).
  const found = opts.files ?? discoverFiles(paths);
  const excluded = excludes(opts.config);
  const model = buildProjectModel(
    found.filter((file) => !excluded(file)),
    paths,
    overlay,
    found,
  );
  const resolved = optionResolver(
    steps.flatMap((step) => step.options),
    options,
    opts.config,
  );
  const givenDirs = paths.map((p) => resolve(p)).filter((p) => statSync(p).isDirectory());
  const files = new Map<string, FileResult>();
  const findings: Finding[] = [];
  const endpoints = new Map<string, EndpointInfo>();
  const writtenBy = new Map<string, string[]>();

  for (const step of steps) {
    const ctx: StepContext = {
      overlay,
      model,
      options: resolved.top,
      optionsFor: resolved.forFile,
      givenDirs,
      // Files reached only through imports may be excluded too: never reported.
      report: (finding) => void (finding.file && excluded(finding.file) ? undefined : findings.push(finding)),
      recordEndpoint: (endpoint) =>
        excluded(endpoint.file) ||
        endpoints.set(`${endpoint.file}:${endpoint.line}:${endpoint.method}:${endpoint.route}`, endpoint),
      transformFile(path, change, opts) {
        const loaded = overlay.load(path) ?? (opts?.createIfMissing ? { text: '' } : null);
        if (!loaded || 'skip' in loaded) {
          files.set(path, {
            path,
            status: 'skipped',
            reason: loaded ? loaded.skip : 'file not found',
            step: step.meta.slug,
          });
          return;
        }
        try {
          const output = change(loaded.text);
          if (typeof output === 'string' && output !== loaded.text) overlay.write(path, output);
          if (!files.has(path)) files.set(path, { path, status: 'unchanged', step: step.meta.slug });
        } catch (error) {
          const { message, line } = toParseError(error);
          files.set(path, { path, status: 'error', reason: message, line, step: step.meta.slug });
        }
      },
    };
    const edited = new Map(overlay.changes().map((c) => [c.path, c.after]));
    step.run(ctx);
    // Every step that wrote a file, not only the first to look at it (FileResult.step): a file's changes per step.
    for (const c of overlay.changes())
      if (edited.get(c.path) !== c.after) writtenBy.set(c.path, [...(writtenBy.get(c.path) ?? []), step.meta.slug]);
    // Isolated (detect): each step judges the files as they are, not as the previous step left
    // them, so that every finding's line points into the user's file.
    if (opts.isolated) for (const change of overlay.changes()) overlay.revert(change.path);
  }

  for (const change of overlay.changes()) {
    try {
      assertParses(change.path, change.after);
      files.set(change.path, {
        ...files.get(change.path),
        path: change.path,
        status: change.before === null ? 'created' : 'changed',
      });
    } catch (error) {
      overlay.revert(change.path);
      const { message, line } = toParseError(error);
      files.set(change.path, {
        path: change.path,
        status: 'error',
        reason: `our output does not parse, left unchanged: ${message}`,
        line,
      });
    }
  }

  return {
    model,
    overlay,
    changes: overlay.changes(),
    files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
    findings,
    endpoints: [...endpoints.values()],
    writtenBy,
  };
}
