// A Python virtualenv with the real web frameworks and rate limiters, for the end-to-end tests of
// the Python codemods. It is built once per package list and Python version and then reused:
//
//   node_modules/.cache/ai-secure-codemods/py-venv-<hash>            → symlink to the finished venv
//   node_modules/.cache/ai-secure-codemods/py-venv-<hash>-<random>/  the venv itself
//
// A venv is installed into a directory of its own and published by creating the symlink, which is
// atomic: two test files (or two checkouts' test runs) that race both install, one of them
// publishes, the other deletes its copy and uses the winner's. Nobody ever sees a half-installed
// venv, there is no lock to go stale, and the venv never moves after it was made (its scripts'
// shebangs stay valid). Set PYTHON to use another interpreter than `python3`.

import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, readlink, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, run, tail } from './helpers.js';

/** Exact versions, checked together on PyPI (`pip index versions X`). */
export const PYTHON_PACKAGES = [
  'fastapi==0.165.0',
  'slowapi==0.1.10',
  'flask==3.1.3',
  'Flask-Limiter==4.1.1',
  'flask-cors==6.0.5',
  'httpx==0.28.1',
  'uvicorn==0.54.0',
  'openai==3.57.0',
  // The linter most Python projects run: our inserted imports must keep its import order (rule I).
  'ruff==0.17.6',
] as const;

/** The oldest Python that every package above supports (Flask-Limiter 4 needs 3.10). */
const MIN_PYTHON: readonly [number, number] = [3, 10];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE_DIR = path.join(ROOT, 'node_modules/.cache/ai-secure-codemods');
const READY_MARKER = '.ai-secure-codemods-ready';

const VENV_TIMEOUT_MS = 2 * 60_000;
const PIP_TIMEOUT_MS = 8 * 60_000;
/** A build directory older than this, and not published, belongs to an install that died. */
const ABANDONED_AFTER_MS = VENV_TIMEOUT_MS + PIP_TIMEOUT_MS + 60_000;

export interface PythonVenv {
  /** the venv's interpreter: run modules with `python -m uvicorn …` */
  python: string;
  /** the venv's directory (resolved, not the symlink) */
  dir: string;
}

let pending: Promise<PythonVenv> | undefined;

/**
 * The cached venv, created on first use. Rejects with a readable message when python3 or its venv
 * module is missing, or when pip cannot install the packages within the deadline.
 */
export function pythonVenv(): Promise<PythonVenv> {
  pending ??= ensureVenv().catch((error: unknown) => {
    pending = undefined; // let a later call try again
    throw error;
  });
  return pending;
}

async function ensureVenv(): Promise<PythonVenv> {
  const base = process.env.PYTHON || 'python3';
  const version = await basePythonVersion(base);
  const hash = createHash('sha256')
    .update(JSON.stringify({ packages: PYTHON_PACKAGES, python: version }))
    .digest('hex')
    .slice(0, 16);
  const link = path.join(CACHE_DIR, `py-venv-${hash}`);

  const cached = await readyVenv(link);
  if (cached) return cached;

  await mkdir(CACHE_DIR, { recursive: true });
  const buildDir = `${link}-${randomBytes(6).toString('hex')}`;
  try {
    await buildVenv(base, buildDir);
  } catch (error) {
    await rm(buildDir, { recursive: true, force: true });
    throw error;
  }
  const published = await publish(buildDir, link);
  await removeAbandonedBuilds(link, published.dir);
  return published;
}

/** `python3 --version`, with a clear error when it is missing, too old or has no venv/ensurepip. */
async function basePythonVersion(python: string): Promise<string> {
  const probe = 'import sys, venv, ensurepip; print("%d.%d.%d" % sys.version_info[:3], sys.implementation.name)';
  let out: string;
  try {
    out = (await run(python, ['-c', probe], { cwd: ROOT, env: childEnv(), timeoutMs: 30_000 })).stdout.trim();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/could not start/.test(reason)) {
      throw new Error(
        `${python} could not be started (is it installed and on PATH?). The Python end-to-end tests need Python >= ${MIN_PYTHON.join('.')} with its ` +
          `venv module (Debian/Ubuntu: apt-get install python3 python3-venv), or set PYTHON=/path/to/python3.\n${reason}`,
      );
    }
    if (/No module named '?(venv|ensurepip)/.test(reason)) {
      throw new Error(
        `${python} has no working venv module (ensurepip is missing). Install it, e.g. ` +
          `apt-get install python3-venv, or set PYTHON to another interpreter.\n${reason}`,
      );
    }
    throw new Error(`${python} does not run: ${reason}`);
  }
  const [major = 0, minor = 0] = out.split(/[.\s]/).map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    throw new Error(
      `${python} is Python ${out}; the Python end-to-end tests need >= ${MIN_PYTHON.join('.')} ` +
        '(set PYTHON=/path/to/python3.x to choose another).',
    );
  }
  return out;
}

/** The venv behind `link` if it was finished and its interpreter still starts. */
async function readyVenv(link: string): Promise<PythonVenv | undefined> {
  let dir: string;
  try {
    dir = await realpath(link);
  } catch {
    return undefined; // no link, or it points nowhere
  }
  const python = venvPython(dir);
  if (!existsSync(path.join(dir, READY_MARKER)) || !existsSync(python)) return undefined;
  try {
    await run(python, ['-c', 'import sys'], { cwd: dir, env: childEnv(), timeoutMs: 30_000 });
  } catch {
    return undefined; // e.g. the base interpreter it links to was removed
  }
  return { python, dir };
}

async function buildVenv(base: string, dir: string): Promise<void> {
  const started = Date.now();
  try {
    await run(base, ['-m', 'venv', dir], { cwd: CACHE_DIR, env: childEnv(), timeoutMs: VENV_TIMEOUT_MS });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${base} -m venv failed (on Debian/Ubuntu the venv module is in the python3-venv package).\n${reason}`,
    );
  }
  const python = venvPython(dir);
  const env = childEnv({ PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', PYTHONDONTWRITEBYTECODE: undefined });
  try {
    await run(python, ['-m', 'pip', 'install', '--progress-bar', 'off', ...PYTHON_PACKAGES], {
      cwd: dir,
      env,
      timeoutMs: PIP_TIMEOUT_MS,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`pip could not install ${PYTHON_PACKAGES.join(' ')} (PyPI must be reachable).\n${tail(reason)}`);
  }
  // The imports the tests rely on, so that a broken install is never published.
  await run(
    python,
    ['-c', 'import fastapi, slowapi, flask, flask_limiter, httpx, uvicorn, openai, starlette.testclient'],
    { cwd: dir, env, timeoutMs: 60_000 },
  );
  await writeFile(
    path.join(dir, READY_MARKER),
    `${JSON.stringify({ packages: PYTHON_PACKAGES, installMs: Date.now() - started }, null, 2)}\n`,
  );
}

/** Points `link` at `buildDir`, unless another process published a venv first. */
async function publish(buildDir: string, link: string): Promise<PythonVenv> {
  try {
    await symlink(path.basename(buildDir), link, 'dir');
    return { python: venvPython(buildDir), dir: buildDir };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const theirs = await readyVenv(link);
  if (theirs) {
    await rm(buildDir, { recursive: true, force: true });
    return theirs;
  }
  // The existing link is broken (its venv was deleted, or its interpreter is gone): replace it.
  // rename() over a symlink is atomic; if two processes do this at once both venvs are complete.
  const tmpLink = `${buildDir}.link`;
  await symlink(path.basename(buildDir), tmpLink, 'dir');
  await rename(tmpLink, link);
  return { python: venvPython(buildDir), dir: buildDir };
}

/** Removes this hash's unpublished build directories that no install can still be working on. */
async function removeAbandonedBuilds(link: string, keep: string): Promise<void> {
  const prefix = `${path.basename(link)}-`;
  let target = '';
  try {
    target = path.resolve(CACHE_DIR, await readlink(link));
  } catch {
    return;
  }
  for (const name of await readdir(CACHE_DIR)) {
    if (!name.startsWith(prefix)) continue;
    const dir = path.join(CACHE_DIR, name);
    if (dir === keep || dir === target) continue;
    try {
      const { mtimeMs } = await stat(dir);
      if (Date.now() - mtimeMs > ABANDONED_AFTER_MS) await rm(dir, { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
}

function venvPython(dir: string): string {
  return process.platform === 'win32' ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
}

/** What the ready marker says about the venv (for timing reports). */
export async function venvInfo(venv: PythonVenv): Promise<{ installMs?: number }> {
  try {
    return JSON.parse(await readFile(path.join(venv.dir, READY_MARKER), 'utf8')) as { installMs?: number };
  } catch {
    return {};
  }
}
