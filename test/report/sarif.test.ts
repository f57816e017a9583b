// `detect --format sarif`: the log must pass the official SARIF 2.1.0 schema (the OASIS file in
// test/data/sarif, see the README there), meet what GitHub code scanning needs (a location with a
// URI on every result, stable fingerprints, security-severity on rules), and never carry a key.
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type DetectReport, type ReportFinding } from '../../src/core/report-schema.js';
import { FINGERPRINT_KEY, toSarif, type RuleInfo } from '../../src/report/format/sarif.js';
import { sarifValidator } from '../helpers/sarif-schema.js';

const validate = sarifValidator();

// Built from pieces so that no complete fake key sits in this file as one literal.
const KEY = 'sk-proj-' + 'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNbVcXzAa';
const KEY2 = 'gsk_' + 'Ty6Ui5Op4As3Df2Gh1Jk0LmNbVcXzZx9Qw8Er7';

const RULES: RuleInfo[] = [
  {
    id: 'ai-secure/next-ratelimit',
    title: 'AI route is not rate-limited',
    cwe: 'CWE-770',
    severity: 'high',
    help: 'npx ai-secure-codemods next-ratelimit fixes what it can',
  },
  {
    id: 'ai-secure/fastapi-ratelimit',
    title: 'FastAPI endpoint is not rate-limited',
    cwe: 'CWE-770',
    severity: 'high',
  },
  { id: 'ai-secure/hardcoded-keys', title: 'API key written in the code', cwe: 'CWE-798', severity: 'critical' },
  { id: 'ai-secure/gitignore-env', title: 'Env files are not ignored by git', cwe: 'CWE-540', severity: 'critical' },
  { id: 'ai-secure/next-public-keys', title: 'AI key exposed to the browser', cwe: 'CWE-522', severity: 'medium' },
  { id: 'ai-secure/flask-ratelimit', title: 'Flask endpoint is not rate-limited', severity: 'low' },
];

const FINDINGS: ReportFinding[] = [
  {
    ruleId: 'ai-secure/hardcoded-keys',
    severity: 'critical',
    kind: 'needs-human',
    file: 'lib/ai.ts',
    line: 4,
    message: `OpenAI key ${KEY} is written in the code`,
    fix: `move it to OPENAI_API_KEY\n${KEY2}`,
  },
  {
    ruleId: 'ai-secure/gitignore-env',
    severity: 'critical',
    kind: 'needs-human',
    file: '.env',
    message: 'this env file is tracked by git',
    fix: 'git rm --cached .env',
  },
  {
    ruleId: 'ai-secure/next-ratelimit',
    severity: 'high',
    kind: 'changed',
    file: 'app/api/[id]/route.ts',
    line: 5,
    message: 'POST reaches an AI API and is not rate-limited',
  },
  {
    ruleId: 'ai-secure/next-ratelimit',
    severity: 'high',
    kind: 'needs-human',
    file: 'app/api/chat/route.ts',
    line: 12,
    message: 'POST reaches an AI API (openai): wrap it by hand',
    fix: 'add a limiter',
  },
  {
    ruleId: 'ai-secure/next-ratelimit',
    severity: 'high',
    kind: 'needs-human',
    file: 'app/api/chat/route.ts',
    line: 30,
    message: 'POST reaches an AI API (openai): wrap it by hand',
    fix: 'add a limiter',
  },
  {
    ruleId: 'ai-secure/fastapi-ratelimit',
    severity: 'high',
    kind: 'changed',
    file: 'backend/main.py',
    line: 20,
    message: '/chat reaches an AI API and is not rate-limited',
  },
  {
    ruleId: 'ai-secure/fastapi-ratelimit',
    severity: 'high',
    kind: 'needs-human',
    message: '3 FastAPI endpoint(s) reach an AI call, but no `FastAPI(...)` app was found',
    fix: 'create the app',
  },
  {
    ruleId: 'ai-secure/next-public-keys',
    severity: 'medium',
    kind: 'needs-human',
    file: 'app/page.tsx',
    line: 2,
    message: 'NEXT_PUBLIC_OPENAI_API_KEY is read in client code',
  },
  {
    ruleId: 'ai-secure/next-public-keys',
    severity: 'low',
    kind: 'needs-human',
    file: 'types/env.d.ts',
    line: 7,
    message: 'NEXT_PUBLIC_OPENAI_API_KEY stays declared',
    silenced: { by: 'comment', reason: 'kept for the demo build' },
  },
  {
    ruleId: 'ai-secure/flask-ratelimit',
    severity: 'info',
    kind: 'needs-human',
    file: 'flask app/app.py',
    line: 9,
    message: 'limiter storage is in memory',
    silenced: { by: 'config', reason: 'single worker' },
  },
  {
    ruleId: 'ai-secure/cors',
    severity: 'high',
    kind: 'needs-human',
    file: 'backend/main.py',
    line: 8,
    message: 'CORS allows any origin',
    fix: 'list the allowed origins',
  },
  {
    ruleId: 'ai-secure/deployment-env',
    severity: 'medium',
    kind: 'needs-human',
    message: 'no deployment platform found',
  },
  {
    ruleId: 'ai-secure/deployment-env',
    severity: 'critical',
    kind: 'changed',
    message: 'OPENAI_API_KEY is set in vercel.json',
  },
  {
    ruleId: 'ai-secure/next-ratelimit',
    severity: 'info',
    kind: 'already-protected',
    file: 'app/api/safe/route.ts',
    line: 3,
    message: 'already rate-limited',
  },
  {
    ruleId: 'ai-secure/next-ratelimit',
    severity: 'info',
    kind: 'not-in-scope',
    file: 'app/api/get/route.ts',
    line: 3,
    message: 'GET: not in scope',
  },
  {
    ruleId: 'ai-secure/unreadable',
    severity: 'medium',
    kind: 'note',
    file: 'broken.ts',
    line: 1,
    message: `not checked: ${KEY}`,
  },
];

function report(findings: ReportFinding[] = FINDINGS, root = '/home/dev/my app'): DetectReport {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'ai-secure-codemods', version: '0.1.0' },
    root,
    apps: [{ framework: 'nextjs', root: '.', language: 'typescript', routers: ['app'], handled: true }],
    aiCalls: [],
    endpoints: [],
    cors: [],
    gitignore: [],
    deployment: [],
    findings,
    checklist: [],
  };
}

interface Log {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: Rule[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Result[];
  }[];
}
interface Rule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[]; 'security-severity': string; precision: string };
}
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number } };
  }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; status: string; justification: string }[];
}

const sarif = (r: DetectReport = report(), rules = RULES) => toSarif(r, rules) as Log;
const fingerprint = (result: Result) => result.partialFingerprints[FINGERPRINT_KEY]!;

describe('toSarif', () => {
  it('passes the official SARIF 2.1.0 schema, with findings and without', () => {
    for (const log of [sarif(), sarif(report([])), sarif(report([]), [])]) {
      const ok = validate(log);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('the schema check is real: it rejects a result with a bad level and a region at line 0', () => {
    const log = sarif() as unknown as { runs: { results: Record<string, unknown>[] }[] };
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(log)).toBe(false);
    const log2 = sarif() as unknown as Log;
    log2.runs[0]!.results[0]!.locations[0]!.physicalLocation.region = { startLine: 0 };
    expect(validate(log2)).toBe(false);
  });

  it('writes one run of our tool, with the schema, version and the root as %SRCROOT%', () => {
    const log = sarif();
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0]!.tool;
    expect(driver).toMatchObject({
      name: 'ai-secure-codemods',
      version: '0.1.0',
      informationUri: 'https://github.com/ai-secure-codemods/ai-secure-codemods',
    });
    expect(log.runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///home/dev/my%20app/' } });
    expect(sarif(report([], '/srv/app/')).runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri).toBe('file:///srv/app/');
  });

  it('lists every given rule, in order, then one made up for each other rule a result uses', () => {
    const { rules } = sarif().runs[0]!.tool.driver;
    expect(rules.map((r) => r.id)).toEqual([...RULES.map((r) => r.id), 'ai-secure/cors', 'ai-secure/deployment-env']);
    const rate = rules[0]!;
    expect(rate).toEqual({
      id: 'ai-secure/next-ratelimit',
      name: 'NextRatelimit',
      shortDescription: { text: 'AI route is not rate-limited' },
      fullDescription: {
        text: 'AI route is not rate-limited. npx ai-secure-codemods next-ratelimit fixes what it can.',
      },
      help: { text: expect.stringContaining('npx ai-secure-codemods next-ratelimit fixes what it can') },
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'CWE-770', 'external/cwe/cwe-770'],
        'security-severity': '8.0',
        precision: 'high',
      },
    });
    expect(rate.help.text).toContain('https://cwe.mitre.org/data/definitions/770.html');
    const by = (id: string) => rules.find((r) => r.id === id)!;
    expect(by('ai-secure/hardcoded-keys').properties).toMatchObject({
      tags: ['security', 'CWE-798', 'external/cwe/cwe-798'],
      'security-severity': '9.5',
    });
    expect(by('ai-secure/hardcoded-keys').name).toBe('HardcodedKeys');
    expect(by('ai-secure/next-public-keys')).toMatchObject({
      defaultConfiguration: { level: 'warning' },
      properties: { 'security-severity': '5.5' },
    });
    expect(by('ai-secure/flask-ratelimit')).toMatchObject({
      defaultConfiguration: { level: 'note' },
      properties: { tags: ['security'], 'security-severity': '3.0' },
    });
    // Made up: named from the id, at the most severe level of its findings.
    expect(by('ai-secure/deployment-env')).toMatchObject({
      name: 'DeploymentEnv',
      shortDescription: { text: 'ai-secure/deployment-env' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security'], 'security-severity': '9.5' },
    });
    expect(by('ai-secure/cors').properties['security-severity']).toBe('8.0');
    const info = sarif(report([]), [{ id: 'x/y', title: 'Y', severity: 'info' }]).runs[0]!.tool.driver.rules[0]!;
    expect(info.properties['security-severity']).toBe('1.0');
    expect(info.defaultConfiguration.level).toBe('note');
  });

  it('keeps needs-human and changed findings only, with the level of their severity and a ruleIndex that resolves', () => {
    const run = sarif().runs[0]!;
    const problems = FINDINGS.filter((f) => f.kind === 'needs-human' || f.kind === 'changed');
    expect(run.results).toHaveLength(problems.length);
    expect(run.results.map((r) => r.ruleId)).toEqual(problems.map((f) => f.ruleId));
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    const levels = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
    expect(run.results.map((r) => r.level)).toEqual(problems.map((f) => levels[f.severity]));
    expect(new Set(problems.map((f) => f.severity))).toEqual(new Set(['critical', 'high', 'medium', 'low', 'info']));
    expect(run.results[3]!.message.text).toBe('POST reaches an AI API (openai): wrap it by hand Fix: add a limiter');
    expect(run.results[2]!.message.text).toBe('POST reaches an AI API and is not rate-limited');
    expect(run.results.some((r) => /already rate-limited|not in scope|not checked/.test(r.message.text))).toBe(false);
  });

  it('locates each result at its file (relative, encoded, under %SRCROOT%) and line', () => {
    const results = sarif().runs[0]!.results;
    const loc = (i: number) => results[i]!.locations[0]!.physicalLocation;
    expect(
      results.every(
        (r) => r.locations.length === 1 && r.locations[0]!.physicalLocation.artifactLocation.uri.length > 0,
      ),
    ).toBe(true);
    expect(loc(0)).toEqual({
      artifactLocation: { uri: 'lib/ai.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4 },
    });
    expect(loc(1)).toEqual({ artifactLocation: { uri: '.env', uriBaseId: '%SRCROOT%' } });
    expect(loc(2).artifactLocation.uri).toBe('app/api/%5Bid%5D/route.ts');
    expect(loc(9).artifactLocation.uri).toBe('flask%20app/app.py');
    expect(decodeURIComponent(loc(2).artifactLocation.uri)).toBe('app/api/[id]/route.ts');
  });

  it('shows a finding without a file at a file of the same rule, else at the root folder, without a line', () => {
    const results = sarif().runs[0]!.results;
    const noApp = results.find((r) => r.message.text.startsWith('3 FastAPI'))!;
    expect(noApp.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'backend/main.py', uriBaseId: '%SRCROOT%' },
    });
    const deployment = results.filter((r) => r.ruleId === 'ai-secure/deployment-env');
    expect(deployment.map((r) => r.locations[0]!.physicalLocation)).toEqual([
      { artifactLocation: { uri: '.', uriBaseId: '%SRCROOT%' } },
      { artifactLocation: { uri: '.', uriBaseId: '%SRCROOT%' } },
    ]);
    // A file given as `./x` or with backslashes comes out the same as `x`.
    const odd = sarif(
      report([{ ruleId: 'a/b', severity: 'high', kind: 'needs-human', file: './src\\x.ts', line: 1, message: 'm' }]),
    ).runs[0]!.results[0]!;
    expect(odd.locations[0]!.physicalLocation.artifactLocation.uri).toBe('src/x.ts');
  });

  it('marks silenced findings as suppressed: a comment in source, the config externally', () => {
    const results = sarif().runs[0]!.results;
    expect(results.find((r) => r.message.text.includes('stays declared'))!.suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'kept for the demo build' },
    ]);
    expect(results.find((r) => r.message.text.includes('in memory'))!.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'single worker' },
    ]);
    expect(results.filter((r) => r.suppressions)).toHaveLength(2);
  });

  it('fingerprints: unique, unchanged when lines move or other findings come and go', () => {
    const before = sarif().runs[0]!.results.map(fingerprint);
    expect(new Set(before).size).toBe(before.length);
    for (const f of before) expect(f).toMatch(/^[0-9a-f]{64}:\d+$/);

    // Ten lines added at the top of every file: every finding moves, none changes identity.
    const shifted = FINDINGS.map((f) => (f.line ? { ...f, line: f.line + 10 } : f));
    expect(sarif(report(shifted)).runs[0]!.results.map(fingerprint)).toEqual(before);

    // Another finding in another file, and a reworded fix: the others keep theirs.
    const more = [
      {
        ruleId: 'ai-secure/next-ratelimit',
        severity: 'high',
        kind: 'needs-human',
        file: 'app/api/new/route.ts',
        line: 1,
        message: 'POST reaches an AI API (openai): wrap it by hand',
      } satisfies ReportFinding,
      ...FINDINGS.map((f) => (f.fix ? { ...f, fix: `${f.fix}, please` } : f)),
    ];
    expect(sarif(report(more)).runs[0]!.results.map(fingerprint).slice(1)).toEqual(before);

    // Counts in a message do not make it another problem.
    const recount = FINDINGS.map((f) => ({ ...f, message: f.message.replace('3 FastAPI', '4 FastAPI') }));
    expect(sarif(report(recount)).runs[0]!.results.map(fingerprint)).toEqual(before);

    // Same report, any root: nothing machine-specific goes in.
    expect(sarif(report(FINDINGS, '/elsewhere')).runs[0]!.results.map(fingerprint)).toEqual(before);
  });

  it('fingerprints: the same message twice in one file is told apart by line order, and a different file or rule is another finding', () => {
    const results = sarif().runs[0]!.results;
    const [first, second] = results.filter((r) => r.message.text.startsWith('POST reaches an AI API (openai)'));
    expect(fingerprint(first!).split(':')[0]).toBe(fingerprint(second!).split(':')[0]);
    expect(fingerprint(first!)).toMatch(/:1$/);
    expect(fingerprint(second!)).toMatch(/:2$/);
    // Listed in the other order, the one higher in the file is still the first.
    const swapped = [...FINDINGS];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    const again = sarif(report(swapped)).runs[0]!.results;
    expect(fingerprint(again[3]!)).toBe(fingerprint(second!));
    expect(fingerprint(again[4]!)).toBe(fingerprint(first!));

    const base: ReportFinding = {
      ruleId: 'a/b',
      severity: 'high',
      kind: 'needs-human',
      file: 'x.ts',
      line: 1,
      message: 'same',
    };
    const keys = sarif(
      report([base, { ...base, file: 'y.ts' }, { ...base, ruleId: 'a/c' }, { ...base, message: 'other' }]),
    ).runs[0]!.results.map(fingerprint);
    expect(new Set(keys).size).toBe(4);
    expect(keys.every((k) => k.endsWith(':1'))).toBe(true);
  });

  it('never lets a key through, not even one after a newline', () => {
    const log = sarif();
    const text = JSON.stringify(log);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY2);
    expect(text).not.toContain(KEY.slice(8, 30));
    expect(text).not.toContain(KEY2.slice(4, 30));
    const result = log.runs[0]!.results[0]!;
    expect(result.message.text).toBe(
      `OpenAI key sk-…${KEY.slice(-4)} is written in the code Fix: move it to OPENAI_API_KEY\ngsk_…${KEY2.slice(-4)}`,
    );
    // Keys in a silencing reason, a rule's texts, a path or the root are masked too.
    const leaky = report(
      [{ ...FINDINGS[0]!, file: `keys/${KEY}.ts`, silenced: { by: 'config', reason: `old key ${KEY}` } }],
      `/tmp/${KEY2}`,
    );
    const out = JSON.stringify(
      toSarif(leaky, [
        { id: 'ai-secure/hardcoded-keys', title: `title ${KEY}`, severity: 'high', help: `help ${KEY2}` },
      ]),
    );
    expect(out).not.toContain(KEY);
    expect(out).not.toContain(KEY2);
    expect(validate(JSON.parse(out))).toBe(true);
  });
});
