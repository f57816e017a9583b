import { readFileSync } from 'node:fs';
import { readSourceFile, type ReadResult } from './file-checks.js';

export interface FileChange {
  path: string;
  /** null when the file does not exist on disk: the change creates it. */
  before: string | null;
  after: string;
}

/**
 * The in-memory file tree every transform reads and writes. Nothing touches the disk until the
 * runner decides to write, so dry run, diff, --check and the real write share one code path.
 */
export class Overlay {
  private readonly disk = new Map<string, ReadResult | null>();
  private readonly edits = new Map<string, string>();
  private readonly bytes = new Map<string, Buffer | null>();

  /** Current text of a file (edited or on disk), or a skip reason, or null when it does not exist. */
  load(path: string): ReadResult | null {
    const edited = this.edits.get(path);
    if (edited !== undefined) return { text: edited };
    return this.original(path);
  }

  /** Current text, or undefined when the file is missing or unreadable as text. */
  read(path: string): string | undefined {
    const result = this.load(path);
    return result && 'text' in result ? result.text : undefined;
  }

  /**
   * Whether a file's text contains one of `needles`: a cheap test over every file of a project,
   * where only the few that match are decoded and parsed. The raw bytes are kept (about the size
   * of the tree), since several steps ask about the same files in one run.
   */
  containsAny(path: string, needles: string[]): boolean {
    const edited = this.edits.get(path) ?? (this.disk.get(path) as { text?: string } | null | undefined)?.text;
    if (edited !== undefined) return needles.some((needle) => edited.includes(needle));
    let bytes = this.bytes.get(path);
    if (bytes === undefined) {
      try {
        bytes = readFileSync(path);
      } catch {
        bytes = null;
      }
      this.bytes.set(path, bytes);
    }
    return bytes !== null && needles.some((needle) => bytes.includes(needle));
  }

  exists(path: string): boolean {
    return this.load(path) !== null;
  }

  write(path: string, text: string): void {
    const original = this.original(path);
    if (original && 'text' in original && original.text === text) this.edits.delete(path);
    else this.edits.set(path, text);
  }

  /** Reverts a file to what is on disk (used when an edited file fails validation). */
  revert(path: string): void {
    this.edits.delete(path);
  }

  changes(): FileChange[] {
    return [...this.edits.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, after]) => {
        const original = this.original(path);
        return { path, before: original && 'text' in original ? original.text : null, after };
      });
  }

  private original(path: string): ReadResult | null {
    if (!this.disk.has(path)) this.disk.set(path, readOrNull(path));
    return this.disk.get(path)!;
  }
}

function readOrNull(path: string): ReadResult | null {
  const result = readSourceFile(path);
  if ('skip' in result && result.skip.startsWith('cannot read: ENOENT')) return null;
  return result;
}
