/** A replacement of source[start, end) by `text`. Inserting is start === end. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Splices edits into the source. Everything outside the edited ranges stays byte for byte, which
 * is what keeps our diffs small and the user's formatting untouched.
 */
export function applyEdits(source: string, edits: Edit[]): string {
  // Right to left, so earlier offsets stay valid; insertions at one offset keep their array order.
  const sorted = edits
    .map((edit, index) => ({ ...edit, index }))
    .sort((a, b) => b.start - a.start || b.end - a.end || b.index - a.index);
  let out = source;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.end > limit) throw new Error(`overlapping edits at offset ${edit.start}`);
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    limit = edit.start;
  }
  return out;
}
