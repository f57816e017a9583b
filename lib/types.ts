import type { Transform } from 'jscodeshift';
import type { EndpointInfo } from './detect/report-types.js';
import type { Overlay } from './overlay.js';
import type { ProjectModel } from './project-model.js';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/**
 * What a step says about the project besides its edits. `kind` tells a reader what to do:
 * nothing (changed, already-protected, not-in-scope) or something (needs-human).
 */
export interface Finding {
  ruleId: string;
  kind: 'changed' | 'already-protected' | 'not-in-scope' | 'needs-human' | 'note';
  severity: Severity;
  /** Absolute path; writers print it relative to where the user ran us. */
  file?: string;
  line?: number;
  message: string;
  /** What the user should do, for needs-human findings. */
  fix?: string;
  /**
   * For a finding about a change (`changed`, or `needs-human` after one): the problem the change
   * fixes, as `detect` and `check` state it before anything is changed. Unset for side effects
   * (a dependency added, names documented).
   */
  problem?: { message: string; severity: Severity };
}

/** A transform's description, kept beside its logic like an ESLint rule's `meta`. */
export interface TransformMeta {
  slug: string;
  /** The workflow step it implements (seed/api-security-workflow.md). */
  step: number;
  title: string;
  languages: string[];
  /** The files it looks at, relative to an app root. */
  globs: string[];
  ruleId: string;
  cwe?: string;
  severity: Severity;
}

/** One command-line option of a transform, validated before anything runs. */
export interface TransformOption {
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
  transformFile(path: string, change: (source: string) => string | undefined | null, opts?: { createIfMissing?: boolean }): void;
}

export interface TransformModule {
  meta: TransformMeta;
  options: TransformOption[];
  /** The jscodeshift entry point: also runs under `jscodeshift -t dist/transforms/<slug>.js`. */
  default: Transform;
  /** The whole-project step: route files, plus new files and dependency edits, via the overlay. */
  run(ctx: StepContext): void;
}
