// Reusable parts of the end-to-end tests: copying an app, running commands with a deadline,
// long-lived child servers that are always cleaned up, and bounded readiness polls. Free ports,
// redis-server and RESP commands come from scripts/upstash-redis-adapter.mjs, temp dirs from
// test/helpers/project.ts. Everything listens on and talks to 127.0.0.1 only.

import { spawn, type ChildProcess } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const HOST = '127.0.0.1';

const NEVER_COPIED = new Set(['node_modules', '.next', 'next-env.d.ts', '.git', '.venv', 'venv', '__pycache__']);

/**
 * Copies a project tree without its build output or installed dependencies (which is why this is
 * not test/helpers/project.ts's copyTree: a developer's checkout may hold them), Python virtualenvs
 * and bytecode caches included.
 */
export async function copyDir(from: string, to: string): Promise<void> {
  await cp(from, to, {
    recursive: true,
    filter: (source) => !NEVER_COPIED.has(path.basename(source)),
  });
}

/**
 * The environment for a child process: this process's, minus what vitest sets for itself
 * (NODE_ENV=test would make `next build` misbehave) and minus any store settings that must only
 * be present when a test asks for them.
 */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      key === 'NODE_ENV' ||
      key === 'NODE_OPTIONS' ||
      key.startsWith('VITEST') ||
      key.startsWith('UPSTASH_') ||
      key.startsWith('KV_') ||
      key.startsWith('OPENAI_') ||
      key.startsWith('RATE_LIMIT')
    ) {
      delete env[key];
    }
  }
  env.NEXT_TELEMETRY_DISABLED = '1';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion. Rejects on a non-zero exit (unless allowed) or past the deadline. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number; allowFailure?: boolean },
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawnInGroup(command, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, options.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${command}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr, ms: Date.now() - started };
      const line = `${command} ${args.join(' ')}`;
      if (timedOut) {
        reject(new Error(`${line} did not finish within ${options.timeoutMs} ms\n${tail(stdout)}\n${tail(stderr)}`));
      } else if (code !== 0 && !options.allowFailure) {
        reject(new Error(`${line} exited with ${code ?? signal}\n${tail(stdout)}\n${tail(stderr)}`));
      } else {
        resolve(result);
      }
    });
  });
}

export interface Server {
  pid: number;
  /** stdout and stderr so far, interleaved */
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts a long-running process in its own process group (so that it and anything it spawns can
 * be killed together) and registers it for cleanup. The returned pid is the command's own.
 */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Server {
  const child = spawnInGroup(command, args, options);
  let output = '';
  let spawnError: Error | undefined;
  const append = (chunk: string) => {
    // Keep the last 64 KiB: enough to explain a failure, bounded for a chatty server.
    output = (output + chunk).slice(-65536);
  };
  child.stdout!.setEncoding('utf8').on('data', append);
  child.stderr!.setEncoding('utf8').on('data', append);
  child.once('error', (err) => {
    spawnError = err;
    append(`\n[could not start ${command}: ${err.message}]\n`);
  });
  const exitedPromise = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    get pid() {
      if (child.pid === undefined) throw spawnError ?? new Error(`${command} has no pid`);
      return child.pid;
    },
    output: () => output,
    exited: () => child.exitCode !== null || child.signalCode !== null || spawnError !== undefined,
    stop: () => stopChild(child, exitedPromise),
  };
}

/** Spawns in a new process group with piped output, registered for cleanup. */
function spawnInGroup(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): ChildProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  track(child);
  return child;
}

/** SIGTERM to the group, then SIGKILL if it has not exited within 5 s; waits for the exit. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    killGroup(child, 'SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!done) {
      killGroup(child, 'SIGKILL');
      await Promise.race([exited, sleep(5000)]);
    }
  }
  // The leader may be gone while something it started lives on in the group.
  killGroup(child, 'SIGKILL');
  running.delete(child);
}

const running = new Set<ChildProcess>();

function track(child: ChildProcess): void {
  running.add(child);
  child.once('close', () => running.delete(child));
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Kills every process these helpers started that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map((child) =>
      stopChild(
        child,
        new Promise<void>((resolve) =>
          child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('close', () => resolve()),
        ),
      ),
    ),
  );
}

// Last resort if the test process ends without reaching afterAll: synchronous kill.
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

/** Whether a process with this pid exists (a zombie counts as gone only once reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Polls until `url` answers with a status below 500. Bounded by `timeoutMs`; gives up at once
 * when the server process has exited, and reports its output.
 */
export async function waitForHttp(
  url: string,
  options: { timeoutMs: number; server?: Server; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 200;
  let lastError = 'no attempt';
  for (let attempt = 0; attempt < 10_000 && Date.now() < deadline; attempt++) {
    if (options.server?.exited()) {
      throw new Error(`server exited before ${url} answered:\n${tail(options.server.output())}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await sleep(interval);
  }
  throw new Error(
    `${url} not ready within ${options.timeoutMs} ms (last: ${lastError})\n${tail(options.server?.output() ?? '')}`,
  );
}

/** Sleeps past the next minute boundary when fewer than `marginMs` remain in this one, so a burst
 *  of requests is not split across two minute windows of a clock-aligned limiter. */
export async function avoidMinuteBoundary(marginMs = 8_000): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (60_000 - intoMinute < marginMs) await sleep(60_000 - intoMinute + 1000);
}

export function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}
