// Detect's CORS section and the cors step's finding describe the same site, so they must agree:
// the finding sits on the site's line and its severity follows the verdict (open-with-credentials
// → critical, open → high, unknown → medium). Each case is a small project of
// test/data/consistency/ (test/consistency.test.ts runs them through `all` too), with the exact
// verdict and finding `detect` must give.
//
// All are `*` with credentials where the server sends `*` itself (the cors package, a header set
// by hand, next.config): browsers refuse credentials with `*`, so the verdict is "open", not
// "open-with-credentials" (that is for servers that echo the caller's origin), and the finding is
// high, not critical.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CorsSite, ReportFinding } from '../../../src/core/report-schema.js';
import { loadConfig } from '../../../src/engine/config.js';
import { stepOptions } from '../../../src/engine/registry.js';
import { buildDetectReport } from '../../../src/report/build.js';
import { copyTree, tempDir } from '../../helpers/project.js';

const DATA = join(import.meta.dirname, '..', '..', 'data', 'consistency');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function detect(name: string) {
  const { dir, cleanup } = tempDir('aisc-cors-agree-');
  cleanups.push(cleanup);
  copyTree(join(DATA, name), dir);
  return (await buildDetectReport([dir], loadConfig(dir, dir, stepOptions()).config)).report;
}

interface Case {
  name: string;
  site: Pick<CorsSite, 'file' | 'line' | 'origins' | 'credentials' | 'verdict'>;
  finding: { kinds: ReportFinding['kind'][]; severity: ReportFinding['severity'] };
}

const OPEN_STAR = { origins: '*', credentials: true, verdict: 'open' } as const;

const CASES: Case[] = [
  {
    // new Response(body, { headers: [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Credentials', 'true'], …] })
    name: 'next-headers-pairs-credentials',
    site: { file: 'app/api/chat/route.ts', line: 10, ...OPEN_STAR },
    finding: { kinds: ['needs-human'], severity: 'high' },
  },
  {
    // The same headers as an object: rewritten.
    name: 'next-headers-object-credentials',
    site: { file: 'app/api/chat/route.ts', line: 10, ...OPEN_STAR },
    finding: { kinds: ['changed'], severity: 'high' },
  },
  {
    // res.set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' })
    name: 'express-res-set-credentials',
    site: { file: 'server.js', line: 6, ...OPEN_STAR },
    finding: { kinds: ['needs-human'], severity: 'high' },
  },
  {
    // res.setHeader('Access-Control-Allow-Origin', '*') then res.setHeader('Access-Control-Allow-Credentials', 'true')
    name: 'express-setheader-credentials',
    site: { file: 'server.js', line: 6, ...OPEN_STAR },
    finding: { kinds: ['changed'], severity: 'high' },
  },
  {
    // cors({ origin: '*', credentials: true }): the cors package sends `*` as it is.
    name: 'express-cors-star-credentials',
    site: { file: 'server.js', line: 5, ...OPEN_STAR },
    finding: { kinds: ['changed'], severity: 'high' },
  },
  {
    // const ALLOWED_ORIGIN = '*' at module level, then res.setHeader('Access-Control-Allow-Origin', ALLOWED_ORIGIN):
    // detect follows the name to '*'; the step may rewrite it or leave it to a human, but not as a value it
    // cannot read (medium) when it is `*`.
    name: 'express-const-star-credentials',
    site: { file: 'server.js', line: 7, ...OPEN_STAR },
    finding: { kinds: ['changed', 'needs-human'], severity: 'high' },
  },
  {
    // next.config.js headers(): Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true.
    name: 'next-config-credentials',
    site: { file: 'next.config.js', line: 7, ...OPEN_STAR },
    finding: { kinds: ['changed'], severity: 'high' },
  },
];

describe("detect's CORS verdict and the cors step's finding agree", () => {
  for (const { name, site, finding } of CASES) {
    it(`${name}: ${site.file}:${site.line} is "${site.verdict}", its finding ${finding.kinds.join(' or ')} ${finding.severity}`, async () => {
      const report = await detect(name);
      expect(
        report.cors.map(({ file, line, origins, credentials, verdict }) => ({
          file,
          line,
          origins,
          credentials,
          verdict,
        })),
        "detect's CORS section",
      ).toEqual([site]);
      const found = report.findings.filter((f) => f.ruleId === 'ai-secure/cors' && f.file === site.file);
      expect(
        found.map((f) => ({ line: f.line, severity: f.severity })),
        `the ai-secure/cors findings in ${site.file}: ${found.map((f) => `${f.kind} ${f.severity} "${f.message}"`).join('; ')}`,
      ).toEqual([{ line: site.line, severity: finding.severity }]);
      expect(finding.kinds, `the finding's kind ("${found[0]!.message}")`).toContain(found[0]!.kind);
    });
  }
});
