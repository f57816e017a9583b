import { sep } from 'node:path';

/** Whether `file` is inside `dir` (absolute paths; `dir` itself is not inside). */
export function isInside(file: string, dir: string): boolean {
  return file.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}
