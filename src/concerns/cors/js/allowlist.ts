import { ALLOWLIST_ENV } from '../verdict.js';

// What our JS rewrites write, recognised the same way by `detect` and by the fixer: `detect` calls
// it restricted, the fixer leaves it alone and reuses it, so a second run changes nothing and
// the report after a fix agrees with the fix.

/** The exports of the Next.js CORS helper (templates/next/cors.ts). */
export const HELPER = { headers: 'corsHeaders', origin: 'allowedOrigin' } as const;

/** Starts with the env read and a fallback: never undefined, which the cors package would take as `*`. */
const READS_ENV = new RegExp(`^\\(\\s*process\\.env\\.${ALLOWLIST_ENV}\\s*(\\|\\||\\?\\?)`);
const DROPS_STAR = /!==?\s*(['"])\*\1/;

/**
 * Whether code builds the allowlist from ALLOWED_ORIGINS and drops `*` from it, as ours does:
 * `(process.env.ALLOWED_ORIGINS || '…').split(',').map(…).filter((o) => o && o !== '*')`.
 */
export function isEnvAllowlist(code: string): boolean {
  return READS_ENV.test(code) && DROPS_STAR.test(code);
}
