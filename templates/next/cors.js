// CORS for route handlers and middleware, added by ai-secure-codemods. A browser lets a page read
// another site's response only when Access-Control-Allow-Origin names the page's origin: `*`, or
// any Origin echoed back, lets every website call this API from its visitors' browsers. Only the
// origins listed in ALLOWED_ORIGINS (comma-separated) get the header. No Node-only API: Edge-safe.

// When ALLOWED_ORIGINS is not set (development): set the production origins in deployment.
const DEFAULT_ORIGINS = 'http://localhost:3000';

function allowlist() {
  // A literal `process.env.X` read: Next.js passes edge code only the names it sees written so.
  const configured = process.env.ALLOWED_ORIGINS || DEFAULT_ORIGINS;
  // `*` would let every website in again, whatever else the list says.
  return configured.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '' && origin !== '*');
}

/** The request's Origin when it may read our responses, else null. */
export function allowedOrigin(request) {
  const origin = request.headers.get('origin');
  return origin && allowlist().includes(origin) ? origin : null;
}

/** `extra`, plus Access-Control-Allow-Origin for an allowed origin only, and Vary: Origin. */
export function corsHeaders(request, extra) {
  const headers = new Headers(extra);
  const origin = allowedOrigin(request);
  // Decided here whatever `extra` holds, so a `*` left in it can never win.
  if (origin) headers.set('Access-Control-Allow-Origin', origin);
  else headers.delete('Access-Control-Allow-Origin');
  // The answer depends on the Origin: caches must not give one site's answer to another.
  headers.append('Vary', 'Origin');
  return headers;
}
