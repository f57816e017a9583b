// Type-checking only: the Edge runtime has no Node.js globals, only `process.env`. Declaring just
// that (with "types": [] in tsconfig.json) makes tsc reject any Node-only API in the templates.
declare var process: { env: Record<string, string | undefined> };
