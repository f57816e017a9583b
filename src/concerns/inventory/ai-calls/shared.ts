// What the JavaScript and Python call finders share: how a call is shown, which callees take a
// URL, and the memo that keeps a recursive question from looping.

/** The longest a call text gets: longer ones are cut, ending in `…`. */
export const MAX_CALL = 60;

/**
 * A callee as written (`text`, starting at offset `start` of the file), shortened: the arguments
 * of the calls inside it (`cuts`, file offsets of what is between the parentheses) become `…`,
 * whitespace goes (but for one space between words: `new OpenAI`), and the rest is cut at
 * MAX_CALL characters: `genai.GenerativeModel(…).generate_content`.
 */
export function callText(text: string, start: number, cuts: [number, number][]): string {
  let out = text;
  for (const [from, to] of [...cuts].sort((a, b) => b[0] - a[0]))
    out = `${out.slice(0, from - start)}…${out.slice(to - start)}`;
  const flat = out.replace(/\s+/g, (space: string, at: number, all: string) =>
    /[\w$]/.test(all[at - 1] ?? '') && /[\w$]/.test(all[at + space.length] ?? '') ? ' ' : '',
  );
  return flat.length > MAX_CALL ? `${flat.slice(0, MAX_CALL - 1)}…` : flat;
}

/** HTTP functions that take a URL: `fetch`, `axios.post`, `httpx.post`, `session.get`, `fetchWithRetry`, `urlopen`. */
export const HTTP_CALLEE =
  /fetch|request|^(axios|got|ky|superagent|needle|get|post|put|patch|delete|del|head|stream|urlopen)$/i;

/**
 * Values computed once per list of sources (a class property's assignments, a function's returns):
 * a list met again while being computed (`this.a = this.a ?? new OpenAI()`, a recursive function)
 * gives nothing there, so no question is asked twice and none loops.
 */
export class Memo<T> {
  private readonly known = new Map<object, T | null>();
  private readonly busy = new Set<object>();

  once(key: object, compute: () => T | undefined): T | undefined {
    const known = this.known.get(key);
    if (known !== undefined) return known ?? undefined;
    if (this.busy.has(key)) return undefined;
    this.busy.add(key);
    const value = compute();
    this.busy.delete(key);
    this.known.set(key, value ?? null);
    return value;
  }
}

export function firstOf<S, T>(items: S[], get: (item: S) => T | undefined): T | undefined {
  for (const item of items) {
    const found = get(item);
    if (found) return found;
  }
  return undefined;
}
