// Types for scripts/build-templates.mjs.

/** The TypeScript templates that get a generated JavaScript twin (paths relative to the root). */
export const TEMPLATES: string[];

/** Strips the types from a TypeScript module, keeping its comments and formatting. */
export function generateJsTemplate(source: string, fileName?: string): string;

/** Writes (or, with check, only compares) every generated file; returns the paths that differ. */
export function buildTemplates(options?: { check?: boolean }): string[];
