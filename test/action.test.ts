// The GitHub Action: action.yml must meet GitHub's action metadata rules (validated with
// @action-validator/core, which checks against the SchemaStore schemas GitHub's own editor uses),
// and the example workflow in docs/github-action.md must be a valid workflow that uses it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const action = readFileSync(join(ROOT, 'action.yml'), 'utf8');

describe('action.yml', () => {
  it('meets the action metadata rules', () => {
    expect(validateAction(action).errors).toEqual([]);
  });

  it('the validator is live: a run step without a shell is refused', () => {
    const broken = action.replace(/^ {6}shell: bash\n/m, '');
    expect(validateAction(broken).errors.length).toBeGreaterThan(0);
  });

  it('uses only the inputs it declares, and runs check, the SARIF upload and the dry run', () => {
    const declared = [...action.matchAll(/^ {2}([a-z-]+):\n {4}description:/gm)].map((m) => m[1]);
    const used = [...new Set([...action.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]))];
    expect(used.filter((name) => !declared.includes(name))).toEqual([]);
    expect(action).toMatch(/ai-secure-codemods@\$\{VERSION\}" check "\$TARGET" --format sarif/);
    expect(action).toMatch(/github\/codeql-action\/upload-sarif@v3/);
    expect(action).toMatch(/all "\$TARGET" --format markdown --patch ai-secure\.patch > ai-secure-fixes\.md/);
  });
});

describe('docs/github-action.md', () => {
  it('its example workflow is valid and uses the action', () => {
    const doc = readFileSync(join(ROOT, 'docs/github-action.md'), 'utf8');
    const workflow = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    expect(workflow).toContain('uses: ai-secure-codemods/ai-secure-codemods@');
    expect(validateWorkflow(workflow).errors).toEqual([]);
  });
});

describe('docs/batch.md', () => {
  it('its CI matrix workflow is valid and gives each job its own shard of the same list', () => {
    const doc = readFileSync(join(ROOT, 'docs/batch.md'), 'utf8');
    const workflow = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    expect(validateWorkflow(workflow).errors).toEqual([]);
    const shards = /shard: \[([\d, ]+)\]/.exec(workflow)?.[1]?.split(',').map(Number) ?? [];
    const count = Number(/--shard \$\{\{ matrix\.shard \}\}\/(\d+)/.exec(workflow)?.[1]);
    expect(shards).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(workflow).toMatch(/batch --repos repos\.txt/);
  });
});
