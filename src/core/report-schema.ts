// The `detect` report: what the app is, where money can leak, and what is already safe. This is
// the stable JSON schema of `detect --format json` (documented in README.md, "detect"); the text,
// markdown and SARIF outputs are views of it. Paths are relative to `root`, with `/` separators.
// Bump SCHEMA_VERSION on any change that is not a pure addition.

import type { Severity } from './finding.js';

export const SCHEMA_VERSION = 1;

export interface DetectReport {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'ai-secure-codemods'; version: string };
  /** Absolute folder the paths below are relative to (the git root, else the folder given). */
  root: string;
  apps: AppInfo[];
  aiCalls: AiCallSite[];
  endpoints: EndpointInfo[];
  cors: CorsSite[];
  gitignore: GitignoreStatus[];
  deployment: DeploymentInfo[];
  /** Everything that needs a look, from every check; silenced ones included, marked. */
  findings: ReportFinding[];
  /** The workflow's final checklist, judged from the findings (the `check` command's gate). */
  checklist: ChecklistItem[];
}

export type Framework =
  | 'nextjs'
  | 'fastapi'
  | 'flask'
  | 'express'
  | 'hono'
  | 'fastify'
  | 'koa'
  | 'django'
  | 'streamlit'
  | 'gradio'
  | 'quart'
  | 'sanic'
  | 'litestar'
  | 'starlette';

export interface AppInfo {
  framework: Framework;
  /** The app's folder. */
  root: string;
  /** The file that creates the app (Python), when there is one. */
  entry?: string;
  name?: string;
  /** The framework version the dependency file asks for (`^16.0.0`, `>=0.110`), as written. */
  version?: string;
  language: 'typescript' | 'javascript' | 'python';
  /** Next.js: which routers it uses. */
  routers?: ('app' | 'pages')[];
  /** Next.js: `edge` when any route runs on the Edge runtime. */
  runtimes?: ('node' | 'edge')[];
  /** Inside a monorepo: the workspace root, relative. */
  workspace?: string;
  /** Whether our rate-limit steps handle this framework (Express & co. are only reported). */
  handled: boolean;
}

export interface AiCallSite {
  file: string;
  line: number;
  language: 'javascript' | 'python';
  /** The package (`openai`, `@anthropic-ai/sdk`, `google.genai`) or the API host called. */
  sdk: string;
  /** The call as written, shortened: `openai.chat.completions.create`, `streamText`, `fetch`. */
  call: string;
}

export type EndpointKind = 'route' | 'server-action' | 'websocket' | 'generated' | 'trpc';

export interface EndpointInfo {
  framework: Framework;
  kind: EndpointKind;
  /** `POST`, `GET,POST`; `*` for a Pages Router handler that takes every method. */
  method: string;
  /** The URL path (`/api/chat`), or what stands for it (`server action chat()`). */
  route: string;
  file: string;
  line: number;
  /** How it reaches a paid AI API, when it does: the package or host, and the files in between. */
  ai?: { via: string; chain: string[] };
  /** What limits it, when something does. */
  rateLimitedBy?: string;
}

export type CorsVerdict = 'open' | 'open-with-credentials' | 'restricted' | 'unknown';

export interface CorsSite {
  file: string;
  line: number;
  framework: 'fastapi' | 'starlette' | 'flask' | 'express' | 'nextjs' | 'other';
  /**
   * The origins as configured: a list, `*`, `reflected` (any origin echoed back), or `dynamic` (computed in a way we do
   * not follow).
   */
  origins: string[] | '*' | 'reflected' | 'dynamic';
  credentials: boolean;
  verdict: CorsVerdict;
  /** The configuring code, one line, shortened. */
  evidence: string;
}

export interface GitignoreStatus {
  /** The project folder judged. */
  root: string;
  /** Which of `.env`, `.env.local`, `.env.*` git would not ignore there. */
  missing: string[];
  /** Env files git already tracks (values are never read). */
  tracked: string[];
}

export interface DeploymentInfo {
  /** The app folder. */
  root: string;
  /** Platforms its files say it deploys to: `vercel`, `render`, `fly`, `docker`, `heroku`. */
  platforms: string[];
  /** Env vars the code needs at run time, each with where it must be set. */
  env: { name: string; purpose: string; secret: boolean; where: string }[];
}

export interface ReportFinding {
  ruleId: string;
  severity: Severity;
  kind: 'needs-human' | 'changed' | 'already-protected' | 'not-in-scope' | 'note';
  message: string;
  fix?: string;
  file?: string;
  line?: number;
  /** Set when a marker comment or the config file silences it: still listed, never failing `check`. */
  silenced?: { by: 'comment' | 'config'; reason: string };
  /**
   * A needs-human finding that is the human's half of a change the step makes (revoke a key the
   * step moves out of the code, rename an env var it renamed in your deployment): it fails the
   * checklist until the change lands, and is no longer visible to `detect` after it.
   */
  followsFix?: true;
}

export type ChecklistId = 'rate-limit' | 'cors' | 'env-gitignore' | 'server-keys';

export interface ChecklistItem {
  id: ChecklistId;
  title: string;
  passed: boolean;
  /** Indexes into `findings` of the unsilenced findings that fail it. */
  failing: number[];
}
