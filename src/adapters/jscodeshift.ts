import { resolve } from 'node:path';
import type { API, FileInfo, Options, Transform } from 'jscodeshift';
import { loadPythonParser } from '../lang/python/parse.js';
import { runSteps } from '../engine/runner.js';
import type { Step } from '../step/contract.js';

// The one place a step becomes a jscodeshift transform: every published transforms/<slug>.ts is
// `export default toJscodeshift(step)`. Steps never import this (it sits above the runner).

/** The step's own per-file entry when it has one, else the whole-project step over one file. */
export function toJscodeshift(step: Step): Transform {
  return step.transformFile ?? singleFileTransformer(step);
}

/**
 * A jscodeshift entry point for a whole-project step: runs the step over the one file jscodeshift
 * hands in (as a project of one module) and returns that module's new text. What the step would
 * add elsewhere (a helper module, a dependency, an env example) is reported, since jscodeshift
 * writes one file.
 */
function singleFileTransformer(step: Step): Transform {
  return async function transformer(file: FileInfo, api: API, opts: Options): Promise<string | undefined> {
    if (step.meta.languages.includes('py')) await loadPythonParser();
    const path = resolve(file.path);
    const result = runSteps([step], [path], opts);
    for (const finding of result.findings) api.report(`${finding.kind}: ${finding.message}`);
    for (const change of result.changes)
      if (change.path !== path)
        api.report(
          `needs-human: also ${change.before === null ? 'create' : 'change'} ${change.path} (run ai-secure-codemods ${step.meta.slug} for that)`,
        );
    return result.changes.find((change) => change.path === path)?.after;
  };
}
