// Every registered step keeps the contract that the CLI, the report, the fixtures and the docs key
// on: the slug is the rule id's tail, the published transforms/<slug>.ts entry, the fixture folder
// and the docs page; its checklist item is the one the checklist gates its findings under; its
// options are named once across all steps (the config sets them by name).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checklistOf } from '../../src/core/checklist.js';
import { registry, stepOptions } from '../../src/engine/registry.js';
import { transforms } from '../../src/engine/steps.js';
import { docsUrl } from '../../src/step/contract.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the step registry', () => {
  it('lists the workflow steps in order, each once', () => {
    const steps = registry.map((t) => t.meta.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(registry.map((t) => t.meta.slug)).size).toBe(registry.length);
  });

  it('a step loaded is the step its entry describes: the same meta and options, in the same order', async () => {
    const loaded = await Promise.all(registry.map((entry) => entry.load()));
    expect(loaded.map((step) => step.meta)).toEqual(registry.map((entry) => entry.meta));
    loaded.forEach((step, i) => {
      expect(step.meta).toBe(registry[i]!.meta);
      expect(step.options).toBe(registry[i]!.options);
      expect(typeof step.run).toBe('function');
    });
    expect(transforms).toEqual(loaded);
  });

  for (const { meta, options } of registry) {
    it(`${meta.slug}: rule id, entry point, fixtures, docs and checklist agree`, () => {
      expect(meta.ruleId).toBe(`ai-secure/${meta.slug}`);
      expect(checklistOf(meta.ruleId)).toBe(meta.checklist);
      const entry = readFileSync(join(ROOT, 'transforms', `${meta.slug}.ts`), 'utf8');
      expect(entry).toMatch(/export default toJscodeshift\(step\);/);
      expect(existsSync(join(ROOT, '__testfixtures__', meta.slug))).toBe(true);
      const page = join(ROOT, 'docs', 'rules', `${meta.slug}.md`);
      expect(readFileSync(page, 'utf8')).toMatch(new RegExp(`^# ${meta.slug}\\b`));
      expect(docsUrl(meta.slug)).toMatch(new RegExp(`/docs/rules/${meta.slug}\\.md$`));
      for (const option of options) expect(option.default, option.name).not.toBeUndefined();
    });
  }

  it('names each option once, with one definition, across the steps that share it', () => {
    const byName = new Map<string, unknown>();
    for (const option of stepOptions()) {
      const seen = byName.get(option.name);
      if (seen) expect(seen, option.name).toBe(option);
      byName.set(option.name, option);
    }
    expect([...byName.keys()].sort()).toEqual(['origins', 'per-day', 'per-minute', 'scope', 'store']);
  });
});
