import { afterAll, describe, expect, it } from 'vitest';
import { Overlay } from '../../../src/project/overlay.js';
import { asOrigin, defaultOrigins, validateOrigins } from '../../../src/concerns/cors/origins.js';
import { tempDir, writeTree } from '../../helpers/project.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function project(files: Record<string, string>): string {
  const { dir, cleanup } = tempDir('aisc-origins-');
  cleanups.push(cleanup);
  writeTree(dir, files);
  return dir;
}

describe('asOrigin', () => {
  it('keeps scheme, host and port, drops the path, lowercases', () => {
    expect(asOrigin('https://App.Example.com/dashboard')).toBe('https://app.example.com');
    expect(asOrigin('"http://localhost:5173"')).toBe('http://localhost:5173');
    expect(asOrigin('app.example.com')).toBeUndefined();
    expect(asOrigin('*')).toBeUndefined();
  });
});

describe('validateOrigins (--origins)', () => {
  it('accepts a list of origins', () => {
    expect(validateOrigins('https://app.example.com, http://localhost:3000')).toBeUndefined();
    expect(validateOrigins('')).toBeUndefined();
  });
  it('rejects *, paths and bare hosts with a message that says what to write', () => {
    expect(validateOrigins('https://a.example.com,*')).toMatch(/not "\*"/);
    expect(validateOrigins('https://a.example.com/app')).toMatch(/no path\): got "https:\/\/a\.example\.com\/app"/);
    expect(validateOrigins('a.example.com')).toMatch(/got "a\.example\.com"/);
  });
});

describe('defaultOrigins', () => {
  it('is http://localhost:3000 when the project names no origin', () => {
    expect(defaultOrigins(project({ '.env.example': 'OPENAI_API_KEY=\n' }), new Overlay())).toEqual([
      'http://localhost:3000',
    ]);
  });
  it('adds the origins the env example, render.yaml, fly.toml and vercel.json name for the front end', () => {
    const dir = project({
      '.env.example':
        'FRONTEND_URL=https://app.example.com/\nDATABASE_URL=postgres://localhost/db\nALLOWED_ORIGINS=http://localhost:5173,https://admin.example.com\n',
      'render.yaml':
        'services:\n  - type: web\n    envVars:\n      - key: CORS_ORIGINS\n        value: https://www.example.com\n',
      'fly.toml': '[env]\n  SITE_URL = "https://site.example.com"\n  LOG_LEVEL = "info"\n',
      'vercel.json': JSON.stringify({ env: { NEXT_PUBLIC_APP_URL: 'https://next.example.com' } }),
    });
    expect(defaultOrigins(dir, new Overlay())).toEqual([
      'http://localhost:3000',
      'https://app.example.com',
      'http://localhost:5173',
      'https://admin.example.com',
      'https://www.example.com',
      'https://site.example.com',
      'https://next.example.com',
    ]);
  });
  it('--origins wins over what the project names', () => {
    const dir = project({ '.env.example': 'FRONTEND_URL=https://app.example.com\n' });
    expect(defaultOrigins(dir, new Overlay(), 'https://only.example.com')).toEqual(['https://only.example.com']);
  });
});
