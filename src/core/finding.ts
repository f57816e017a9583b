// What a step says about a project besides its edits: the one finding type that steps, the
// report and every output format share.

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
  /**
   * A needs-human finding that is the human's half of a change the step makes (revoke the key it
   * moved out of the code, rename an env var it renamed in your deployment). It goes away with
   * the change, so after the fix lands the checklist passes on the code while the to-do stays.
   */
  followsFix?: true;
}
