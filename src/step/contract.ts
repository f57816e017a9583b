import type { Transform } from 'jscodeshift';
import type { ChecklistId, EndpointInfo } from '../core/report-schema.js';
import type { Finding, Severity } from '../core/finding.js';
import type { Overlay } from '../project/overlay.js';
import type { ProjectModel } from '../frameworks/model.js';

/** A transform's description, kept beside its logic like an ESLint rule's `meta`. */
export interface StepMeta {
  slug: string;
  /** The workflow step it implements (seed/api-security-workflow.md). */
  step: number;
  title: string;
  languages: string[];
  /** The files it looks at, relative to an app root. */
  globs: string[];
  ruleId: string;
  /** The item of the workflow's final checklist its findings count against (core/checklist.ts). */
  checklist: ChecklistId;
  cwe?: string;
  severity: Severity;
}

/** `per-minute` → `perMinute`: how the steps read an option. */
export function optionKey(name: string): string {
  return name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

/** One command-line option of a transform, validated before anything runs. */
export interface StepOption {
  name: string;
  describe: string;
  type: 'number' | 'string';
  default: number | string;
  choices?: string[];
  /** Returns an error message for a bad value. */
  validate?(value: unknown, all: Record<string, unknown>): string | undefined;
}

/** What the runner hands a step: one overlay and one project model for the whole run. */
export interface StepContext {
  overlay: Overlay;
  model: ProjectModel;
  /** The whole run's option values: the command line's, else the config's, else the defaults. */
  options: Record<string, unknown>;
  /**
   * One file's option values: as `options`, with the config's overrides for that file between the
   * command line and the config's top level. `skipReason` is set when an override says to leave
   * the file's endpoints alone.
   */
  optionsFor(file: string): Record<string, unknown>;
  /** The folders the user named (absolute): project roots when no app is found in them. */
  givenDirs: string[];
  report(finding: Finding): void;
  /** Records an HTTP endpoint the step looked at (file absolute), for the `detect` report. */
  recordEndpoint(endpoint: EndpointInfo): void;
  /**
   * Applies `change` to one file through the overlay. Unreadable files are skipped with a reason;
   * a parse error or a throw is recorded as that file's error and the run goes on.
   */
  transformFile(
    path: string,
    change: (source: string) => string | undefined | null,
    opts?: { createIfMissing?: boolean },
  ): void;
}

/**
 * A workflow step: what it is (`meta`), what it takes (`options`) and what it does to a project
 * (`run`), like an ESLint rule's meta + create. The runner owns all IO; a step only reads and
 * writes the overlay and reports findings through `ctx`.
 */
export interface Step {
  meta: StepMeta;
  options: StepOption[];
  /** The whole-project step: route files, plus new files and dependency edits, via the overlay. */
  run(ctx: StepContext): void;
  /**
   * A per-file entry for plain jscodeshift, when the step has one that works on a file alone
   * (without it, adapters/jscodeshift.ts runs `run` over the one file).
   */
  transformFile?: Transform;
}

/** A step's documentation page (docs/rules/<slug>.md), derived from its slug as createRule derives a rule's. */
export function docsUrl(slug: string): string {
  return `https://github.com/ai-secure-codemods/ai-secure-codemods/blob/main/docs/rules/${slug}.md`;
}

/** Type-checks a step against the contract (as typescript-eslint's createRule does for rules). */
export function defineStep(step: Step): Step {
  return step;
}
