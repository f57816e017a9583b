export interface GeneratedMonorepo {
  files: number;
  seed: number;
  dir: string;
  /** Bytes of all counted files. */
  bytes: number;
  apps: Array<{ dir: string; src: boolean; pagesRouter: boolean; features: number; routes: number }>;
  /** Route files, relative to `dir`; `ai` says how the route reaches the AI SDK, null when it does not. */
  routes: Array<{
    file: string;
    kind: 'app' | 'pages';
    ai: 'alias' | 'relative' | 'workspace' | 'direct' | 'alias-chain' | null;
  }>;
  serverActions: Array<{ file: string; ai: boolean }>;
  aiRoutes: number;
}

export const AI_VIAS: readonly string[];

/** Writes a deterministic Next.js monorepo of exactly `files` files (plus an uncounted node_modules) under `dir`. */
export function generateMonorepo(dir: string, options?: { files?: number; seed?: number }): GeneratedMonorepo;
