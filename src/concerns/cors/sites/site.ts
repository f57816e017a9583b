import { codeOnOneLine } from '../../../core/one-line.js';
import type { CorsSite } from '../../../core/report-schema.js';
import {
  combine,
  judge,
  letsAnyoneIn,
  list,
  originPattern,
  REFLECTED,
  VERDICT_RANK,
  type Origins,
  type PatternMatch,
  type StarWithCredentials,
} from '../verdict.js';

// One CORS site as `detect` lists it, built the same way for every language: the verdict from the
// one judge (verdict.ts), the configuring code on one line as evidence.

const EVIDENCE_MAX = 100;

/** The configuring code on one line: line breaks inside brackets dropped, whitespace collapsed, shortened. */
function evidenceOf(code: string): string {
  return codeOnOneLine(code, EVIDENCE_MAX);
}

/** A pattern the server tests the request's origin against (and echoes when it matches). */
export function patternOrigins(source: string, match: PatternMatch, flags: string, python: boolean): Origins {
  const shown = `/${source}/${python ? '' : flags}`;
  const pattern = originPattern(source, match, flags, python);
  if (!pattern) return list([shown], true);
  return letsAnyoneIn(pattern) ? REFLECTED : list([shown]);
}

/** A site as found: the report's fields, and the last line of its code (a fixer may report any line of it). */
export type FoundCorsSite = CorsSite & { endLine: number };

export function makeSite(
  file: string,
  line: number,
  code: string,
  framework: CorsSite['framework'],
  origins: Origins,
  credentials: boolean,
  star: StarWithCredentials,
): FoundCorsSite {
  const endLine = line + (code.match(/\n/g)?.length ?? 0);
  return {
    file,
    line,
    framework,
    ...judge(origins, credentials, star),
    credentials,
    evidence: evidenceOf(code),
    endLine,
  };
}

/** The worst of several readings of one configuration (Flask-CORS resources); restricted lists merged. */
export function worst(
  readings: { origins: Origins; credentials: boolean }[],
  star: StarWithCredentials,
): { origins: Origins; credentials: boolean } {
  const judged = readings.map((r) => ({ ...r, verdict: judge(r.origins, r.credentials, star).verdict }));
  const top = Math.max(...judged.map((r) => VERDICT_RANK[r.verdict]));
  const chosen = judged.filter((r) => VERDICT_RANK[r.verdict] === top);
  if (top > VERDICT_RANK.restricted) return chosen[0]!;
  return { origins: combine(chosen.map((r) => r.origins)), credentials: chosen.some((r) => r.credentials) };
}
