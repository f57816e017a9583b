import { resolve } from 'node:path';
import type { API, FileInfo, Options } from 'jscodeshift';
import { loadPythonParser } from '../../lib/python.js';
import { runSteps } from '../../lib/runner.js';
import type { TransformModule } from '../../lib/types.js';

/**
 * A jscodeshift entry point for a whole-project step: runs the step over the one file jscodeshift
 * hands in (as a project of one module) and returns that module's new text. What the step would
 * add elsewhere (a helper module, a dependency, an env example) is reported, since jscodeshift
 * writes one file.
 */
export function singleFileTransformer(step: Pick<TransformModule, 'meta' | 'options' | 'run'>) {
  return async function transformer(file: FileInfo, api: API, opts: Options): Promise<string | undefined> {
    if (step.meta.languages.includes('py')) await loadPythonParser();
    const path = resolve(file.path);
    const result = runSteps([step as TransformModule], [path], opts);
    for (const finding of result.findings) api.report(`${finding.kind}: ${finding.message}`);
    for (const change of result.changes) if (change.path !== path) api.report(`needs-human: also ${change.before === null ? 'create' : 'change'} ${change.path} (run ai-secure-codemods ${step.meta.slug} for that)`);
    return result.changes.find((change) => change.path === path)?.after;
  };
}
