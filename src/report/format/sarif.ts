// `detect --format sarif`: the detect report as a SARIF 2.1.0 log that GitHub code scanning
// accepts (docs.github.com, "SARIF support for code scanning"). One run, one result per finding
// that is a problem. Like every output, it goes through maskSecrets before it leaves.
//
// Choices, each for a reason GitHub or the spec gives:
// - Rules: every rule we are given is listed (in the given order), not only those a result
//   uses, so a rule's `ruleIndex` does not move between runs and the Security tab shows what was
//   checked. A result whose rule is not in the list (a rule id of detect's own) gets a minimal
//   rule made from its findings, appended, so every `ruleIndex` resolves.
// - Results: `needs-human` and `changed` findings only. In a detect report (a dry run) `changed`
//   means "would be changed": the problem is there. `already-protected`, `not-in-scope` and
//   `note` say nothing is wrong and are left out.
// - Locations: GitHub rejects the whole upload when a result has no location with an artifact
//   URI ("locationFromSarifResult: expected at least one location"). A finding without a file
//   (e.g. "N FastAPI endpoints reach an AI call, but no app was found") is shown at the first file
//   another finding of the same rule names (the files that rule is about: those endpoints),
//   without a line; when there is none, at the project root folder `.`. GitHub keeps alerts on
//   paths it cannot open (it shows them without a preview), and upload-sarif skips computing its
//   own line hash for a folder: our fingerprint below does not depend on the anchor.
// - Paths are relative to `report.root` (the git root, which is what GitHub resolves relative
//   URIs against), percent-encoded per segment so that `app/api/[id]/route.ts` is a valid URI
//   reference (upload-sarif validates the `uri-reference` format and decodes it back).
// - Silenced findings are results with a suppression (comment → inSource, config → external),
//   status `accepted`: GitHub shows them as closed, never as open alerts.

import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { DetectReport, ReportFinding } from '../../core/report-schema.js';
import { maskDeep, maskSecrets } from '../../core/secrets.js';
import type { Severity } from '../../core/finding.js';

export interface RuleInfo {
  id: string;
  title: string;
  cwe?: string;
  severity: Severity;
  help?: string;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/ai-secure-codemods/ai-secure-codemods';
/** The key of our own entry in `partialFingerprints`: bump the version if the scheme changes. */
export const FINGERPRINT_KEY = 'aiSecure/v1';
const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

/** GitHub reads `security-severity` (0–10) to rank alerts: critical > 9, high 7–8.9, medium 4–6.9, low < 4. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};
const LEVEL: Record<Severity, Level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
const SEVERITY_RANK: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
const PROBLEM_KINDS = new Set<ReportFinding['kind']>(['needs-human', 'changed']);

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: Level };
  properties: { tags: string[]; 'security-severity': string; precision: 'high' };
}

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number } };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: [SarifLocation];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: 'inSource' | 'external'; status: 'accepted'; justification: string }[];
}

/** SARIF 2.1.0 log of a detect report: one run, our rules, one result per problem finding. */
export function toSarif(report: DetectReport, rules: RuleInfo[]): object {
  const problems = report.findings.filter((f) => PROBLEM_KINDS.has(f.kind));
  const ruleList = ruleInfos(rules, problems);
  const indexOf = new Map(ruleList.map((rule, index) => [rule.id, index]));
  const fingerprints = fingerprintsOf(problems);

  const results: SarifResult[] = problems.map((finding, i) => {
    const result: SarifResult = {
      ruleId: finding.ruleId,
      ruleIndex: indexOf.get(finding.ruleId)!,
      level: LEVEL[finding.severity],
      message: { text: finding.message + (finding.fix ? ` Fix: ${finding.fix}` : '') },
      locations: [locationOf(finding, report.findings)],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i]! },
    };
    if (finding.silenced) {
      result.suppressions = [
        {
          kind: finding.silenced.by === 'comment' ? 'inSource' : 'external',
          status: 'accepted',
          justification: finding.silenced.reason,
        },
      ];
    }
    return result;
  });

  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ai-secure-codemods',
            version: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: ruleList.map(sarifRule),
          },
        },
        // For viewers that resolve %SRCROOT% (VS Code's SARIF viewer). GitHub ignores it and
        // resolves relative URIs against the repository root, which `report.root` is.
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(report.root) } },
        results,
      },
    ],
  };
  return maskDeep(log) as object;
}

/** The given rules (first of each id wins), then one made up for each other rule a result uses. */
function ruleInfos(rules: RuleInfo[], problems: ReportFinding[]): RuleInfo[] {
  const byId = new Map<string, RuleInfo>();
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  const made = new Map<string, RuleInfo>();
  for (const finding of problems) {
    if (byId.has(finding.ruleId)) continue;
    const rule = made.get(finding.ruleId);
    // Its default level: the most severe of its findings.
    if (!rule) made.set(finding.ruleId, { id: finding.ruleId, title: finding.ruleId, severity: finding.severity });
    else if (rank(finding.severity) > rank(rule.severity)) rule.severity = finding.severity;
  }
  return [...byId.values(), ...made.values()];
}

function sarifRule(rule: RuleInfo): SarifRule {
  const cwe = cweNumber(rule.cwe);
  const help = rule.help ? sentence(rule.help) : undefined;
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: help ? `${sentence(rule.title)} ${help}` : sentence(rule.title) },
    help: {
      text: [
        help ?? sentence(rule.title),
        cwe ? `CWE-${cwe}: https://cwe.mitre.org/data/definitions/${cwe}.html` : '',
        `More: ${INFORMATION_URI}`,
      ]
        .filter(Boolean)
        .join('\n\n'),
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: cwe ? ['security', `CWE-${cwe}`, `external/cwe/cwe-${cwe}`] : ['security'],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: 'high',
    },
  };
}

function locationOf(finding: ReportFinding, all: ReportFinding[]): SarifLocation {
  if (finding.file) {
    const region =
      finding.line && Number.isInteger(finding.line) && finding.line > 0 ? { region: { startLine: finding.line } } : {};
    return { physicalLocation: { artifactLocation: { uri: pathToUri(finding.file), uriBaseId: SRCROOT }, ...region } };
  }
  // No file: the first file the same rule names elsewhere in the report, else the root folder.
  const anchor = all.find((f) => f.ruleId === finding.ruleId && f.file)?.file ?? '.';
  return { physicalLocation: { artifactLocation: { uri: pathToUri(anchor), uriBaseId: SRCROOT } } };
}

/**
 * `partialFingerprints[aiSecure/v1]` = sha256(ruleId \0 file \0 message) + `:` + occurrence.
 *
 * GitHub matches a result to an existing alert by its fingerprints, so the key must stay the
 * same while the problem stays, and differ between two problems:
 * - No line number goes in: adding lines above a finding moves it, it is still the same alert.
 * - The message goes in with every run of digits replaced by `0`: messages carry counts and limits
 *   ("3 endpoint(s)", "10/min") that can change while the problem is the same. The fix text stays
 *   out (advice, reworded freely), and so do severity and kind (a needs-human that becomes an
 *   automatic change is still the same problem). The message is masked first, so a hash is never
 *   taken over a raw key.
 * - Two findings with the same rule, file and message (two handlers in one file, or messages
 *   that differ only in digits) are told apart by an occurrence counter in line order (1, 2, …):
 *   lines added above both keep their order, so each keeps its key. Removing the first one hands
 *   its key to the second: the alert count stays right, which is what matters for the gate.
 * - A finding without a file hashes an empty file, not the anchor it is shown at.
 */
function fingerprintsOf(problems: ReportFinding[]): string[] {
  const keys = problems.map((f) =>
    createHash('sha256')
      .update([f.ruleId, f.file ?? '', normalizedMessage(f.message)].join('\0'))
      .digest('hex'),
  );
  const order = problems.map((_, i) => i).sort((a, b) => (problems[a]!.line ?? 0) - (problems[b]!.line ?? 0) || a - b);
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const i of order) {
    const n = (seen.get(keys[i]!) ?? 0) + 1;
    seen.set(keys[i]!, n);
    out[i] = `${keys[i]}:${n}`;
  }
  return out;
}

function normalizedMessage(message: string): string {
  return maskSecrets(message).replace(/\d+/g, '0').replace(/\s+/g, ' ').trim();
}

/**
 * A relative path as a URI reference: `/` separators, each segment percent-encoded. Masked before
 * it is encoded: the mask's `…` is not a URI character, and once encoded it stays a valid one.
 */
function pathToUri(path: string): string {
  const segments = maskSecrets(path)
    .split('\\')
    .join('/')
    .replace(/^(?:\.\/)+/, '')
    .split('/');
  const uri = segments.map(encodeSegment).join('/');
  return uri || '.';
}

/** encodeURIComponent, but keeping the sub-delimiters a path segment may hold (`@`, `+`, `=`…). */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%(?:24|26|2B|2C|3B|3D|40)/g, decodeURIComponent);
}

function rootUri(root: string): string {
  const href = pathToFileURL(maskSecrets(root)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** `ai-secure/next-ratelimit` → `NextRatelimit`. */
function pascalCase(ruleId: string): string {
  const slug = ruleId.slice(ruleId.lastIndexOf('/') + 1);
  const name = slug
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return name || 'Rule';
}

function cweNumber(cwe: string | undefined): string | undefined {
  return cwe?.match(/^(?:CWE-)?(\d+)$/i)?.[1];
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function rank(severity: Severity): number {
  return SEVERITY_RANK.indexOf(severity);
}
