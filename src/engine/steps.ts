import type { Step } from '../step/contract.js';
import { loadSteps } from './registry.js';

// Every step with its code loaded, for what runs them all (detect, check, all, batch) and for the
// public API. The CLI reaches this module only when such a command runs.

/** Every transform, in the workflow's order. */
export const transforms: Step[] = await loadSteps();
