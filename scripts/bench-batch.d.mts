export interface GeneratedRepos {
  /** Absolute paths of the repositories, repo-001… in order. */
  dirs: string[];
  /** How many were already there from an earlier run with the same parameters. */
  reused: number;
  /** For each repository generated now (undefined where reused). */
  manifests: Array<{ aiRoutes: number; routes: number; bytes: number } | undefined>;
}

/**
 * Writes `repos` Next.js monorepos of `files` files each under `root` (repository i has seed
 * `seed + i`), each a git repository with one commit; reuses those an earlier call left there.
 */
export function generateRepos(
  root: string,
  options?: {
    repos?: number;
    files?: number;
    seed?: number;
    concurrency?: number;
    onProgress?: (done: number, all: number) => void;
  },
): Promise<GeneratedRepos>;
