#!/usr/bin/env node
// TEST-ONLY: serves Upstash's Redis REST protocol on loopback in front of a real redis-server, so
// @upstash/redis and @upstash/ratelimit can be tested without an Upstash account. No dependency:
// node:http for the REST side, a small RESP2 client over node:net for the Redis side.
//
// What @upstash/redis 1.x sends (read from its source) and what this answers:
// - POST /            body ["CMD", ...args]             → 200 {"result": …} | 400 {"error": "…"}
// - POST /pipeline    body [["CMD", ...], …]            → 200 [{"result": …} | {"error": "…"}, …]
// - POST /multi-exec  the same, run inside MULTI … EXEC → 200 [...] | 400 {"error": "…"}
// - Authorization: Bearer <token>, else 401. Args arrive as JSON strings and numbers.
// - Upstash-Encoding: base64 (the client's default): every string in a result is base64 except
//   "OK"; numbers, null and array structure as they are.
// - The client auto-pipelines, so even one EVALSHA usually arrives on /pipeline.
//
// @upstash/ratelimit 2.x Lua scripts begin with `#!lua flags=allow-key-locking`, a flag that stock
// Redis 7 rejects, so the flag is dropped (the shebang line with it, when no other flag is left).
// The client calls EVALSHA with the SHA1 of the ORIGINAL script and falls back to EVAL on NOSCRIPT;
// Redis knows the stripped script under another SHA1, so EVAL / SCRIPT LOAD record
// original SHA1 → stripped SHA1, EVALSHA and SCRIPT EXISTS are translated, and SCRIPT LOAD answers
// the original SHA1.
//
// CLI:  node scripts/upstash-redis-adapter.mjs --redis-port 6390 --token secret [--port 8079]
//       prints the URL (http://127.0.0.1:<port>) on one line once it is listening.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const MAX_BODY = 8 * 1024 * 1024;

class RedisError extends Error {}

/** Drops the `allow-key-locking` flag, and the shebang line when no other word is left on it. */
export function stripLuaShebang(script) {
  const match = /^#!lua([^\n]*)(?:\n|$)/.exec(script);
  if (!match || !/(?:^|\s)flags=\S*allow-key-locking/.test(match[1])) return script;
  const words = match[1]
    .trim()
    .split(/\s+/)
    .map((word) => {
      if (!word.startsWith('flags=')) return word;
      const flags = word
        .slice('flags='.length)
        .split(',')
        .filter((f) => f && f !== 'allow-key-locking');
      return flags.length > 0 ? `flags=${flags.join(',')}` : '';
    });
  const kept = words.filter(Boolean);
  const rest = script.slice(match[0].length);
  return kept.length > 0 ? `#!lua ${kept.join(' ')}\n${rest}` : rest;
}

const sha1 = (text) => createHash('sha1').update(text).digest('hex');

// ---- RESP2 client -------------------------------------------------------------------------

function encodeCommand(args) {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n`, arg, '\r\n');
  return parts.join('');
}

/** Parses one reply at offset; undefined when the buffer does not hold all of it yet. */
function parseReply(buf, offset) {
  const lineEnd = buf.indexOf('\r\n', offset);
  if (lineEnd === -1) return undefined;
  const type = String.fromCharCode(buf[offset]);
  const line = buf.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, offset: next };
    case '-':
      return { value: new RedisError(line), offset: next };
    case ':':
      return { value: Number(line), offset: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, offset: next };
      if (buf.length < next + length + 2) return undefined;
      return { value: buf.subarray(next, next + length), offset: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, offset: next };
      const items = [];
      let at = next;
      for (let i = 0; i < count; i += 1) {
        const item = parseReply(buf, at);
        if (!item) return undefined;
        items.push(item.value);
        at = item.offset;
      }
      return { value: items, offset: at };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

/** One connection; replies come back in order, so batches are queued FIFO. */
class RespConnection {
  constructor(port, host = HOST) {
    this.pending = [];
    this.buffer = Buffer.alloc(0);
    this.closed = false;
    this.socket = connect({ port, host });
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (error) => this.failAll(error));
    this.socket.on('close', () => this.failAll(new Error('redis connection closed')));
  }

  onData(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    let offset = 0;
    for (;;) {
      const head = this.pending[0];
      if (!head) break;
      const reply = parseReply(this.buffer, offset);
      if (!reply) break;
      offset = reply.offset;
      head.replies.push(reply.value);
      if (head.replies.length === head.count) {
        this.pending.shift();
        head.resolve(head.replies);
      }
    }
    this.buffer = this.buffer.subarray(offset);
  }

  failAll(error) {
    this.closed = true;
    for (const batch of this.pending.splice(0)) batch.reject(error);
  }

  /** Sends the commands in one write (so MULTI … EXEC stays contiguous); resolves all replies. */
  async send(commands) {
    await this.ready;
    if (this.closed) throw new Error('redis connection closed');
    return new Promise((resolve, reject) => {
      this.pending.push({ count: commands.length, replies: [], resolve, reject });
      this.socket.write(commands.map(encodeCommand).join(''));
    });
  }

  close() {
    this.closed = true;
    this.socket.destroy();
  }
}

// ---- Upstash REST ↔ Redis ------------------------------------------------------------------

function toArg(value) {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

function encodeResult(value, base64) {
  if (value instanceof RedisError) return encodeResult(value.message, base64);
  if (Buffer.isBuffer(value)) return base64 ? value.toString('base64') : value.toString('utf8');
  if (typeof value === 'string') {
    return base64 && value !== 'OK' ? Buffer.from(value).toString('base64') : value;
  }
  if (Array.isArray(value)) return value.map((item) => encodeResult(item, base64));
  return value; // number or null
}

function createScriptTranslator() {
  const shas = new Map(); // SHA1 of the client's script → SHA1 of what Redis was given

  const remember = (original) => {
    const stripped = stripLuaShebang(original);
    shas.set(sha1(original), sha1(stripped));
    return stripped;
  };
  const mapSha = (sha) => shas.get(sha.toLowerCase()) ?? sha;

  /** @returns {{ args: string[], mapReply?: (reply: unknown) => unknown }} */
  return (args) => {
    const name = (args[0] ?? '').toLowerCase();
    if ((name === 'eval' || name === 'eval_ro') && args.length > 1) {
      return { args: [args[0], remember(args[1]), ...args.slice(2)] };
    }
    if ((name === 'evalsha' || name === 'evalsha_ro') && args.length > 1) {
      return { args: [args[0], mapSha(args[1]), ...args.slice(2)] };
    }
    if (name === 'script' && args[1]?.toLowerCase() === 'load' && args.length > 2) {
      const originalSha = sha1(args[2]);
      return {
        args: [args[0], args[1], remember(args[2])],
        mapReply: (reply) => (reply instanceof RedisError ? reply : originalSha),
      };
    }
    if (name === 'script' && args[1]?.toLowerCase() === 'exists') {
      return { args: [args[0], args[1], ...args.slice(2).map(mapSha)] };
    }
    return { args };
  };
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new RedisError('ERR request body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function isCommand(value) {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v !== 'object' || v === null);
}

/**
 * Starts the adapter on loopback.
 * @param {{ redisPort: number, port?: number, token: string }} options
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function startUpstashAdapter({ redisPort, port = 0, token }) {
  if (!Number.isInteger(redisPort) || redisPort <= 0) throw new TypeError('redisPort is required');
  if (!token) throw new TypeError('token is required');
  const translate = createScriptTranslator();
  let redis;
  const redisConnection = () => {
    if (!redis || redis.closed) redis = new RespConnection(redisPort);
    return redis;
  };

  const run = async (commands) => {
    const translated = commands.map((command) => translate(command.map(toArg)));
    const replies = await redisConnection().send(translated.map((t) => t.args));
    return replies.map((reply, i) => (translated[i].mapReply ? translated[i].mapReply(reply) : reply));
  };

  const server = createServer(async (req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { error: 'Unauthorized' });
      if (req.method !== 'POST') return reply(405, { error: 'ERR only POST is served' });
      const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
      const path = new URL(req.url ?? '/', 'http://adapter').pathname.replace(/\/+$/, '') || '/';
      const body = await readJson(req);

      if (path === '/') {
        if (!isCommand(body)) return reply(400, { error: 'ERR body must be a JSON array command' });
        const [result] = await run([body]);
        if (result instanceof RedisError) return reply(400, { error: result.message });
        return reply(200, { result: encodeResult(result, base64) });
      }
      if (path !== '/pipeline' && path !== '/multi-exec') return reply(404, { error: 'ERR unknown path' });
      if (!Array.isArray(body) || body.length === 0 || !body.every(isCommand)) {
        return reply(400, { error: 'ERR body must be a JSON array of commands' });
      }
      const asItem = (result) =>
        result instanceof RedisError ? { error: result.message } : { result: encodeResult(result, base64) };
      if (path === '/pipeline') return reply(200, (await run(body)).map(asItem));

      const replies = await run([['MULTI'], ...body, ['EXEC']]);
      const exec = replies[replies.length - 1];
      if (exec instanceof RedisError || exec === null) {
        const queued = replies.slice(1, -1).find((r) => r instanceof RedisError);
        return reply(400, { error: (queued ?? exec)?.message ?? 'EXECABORT transaction discarded' });
      }
      // EXEC's own array holds the results; SCRIPT LOAD answers are mapped like outside MULTI.
      const results = exec.map((result, i) => {
        const mapReply = translate(body[i].map(toArg)).mapReply;
        return mapReply ? mapReply(result) : result;
      });
      return reply(200, results.map(asItem));
    } catch (error) {
      if (error instanceof SyntaxError) return reply(400, { error: `ERR invalid JSON: ${error.message}` });
      if (error instanceof RedisError) return reply(400, { error: error.message });
      return reply(500, { error: `ERR adapter: ${error instanceof Error ? error.message : String(error)}` });
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, resolve);
  });
  const actualPort = server.address().port;
  return {
    url: `http://${HOST}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise((resolve) => {
        redis?.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A free loopback TCP port (listen on 0, read it, close). */
export async function freePort() {
  const server = createNetServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts a throwaway redis-server on a free loopback port: no persistence, stopped by close()
 * (SIGTERM, then SIGKILL after 3 s; resolves once the process is gone, so `pid` no longer exists).
 * Waits, bounded by startupTimeoutMs, until it answers PING; on failure the process is stopped
 * before the error is thrown. Throws a clear error when redis-server is not installed.
 * @returns {Promise<{ port: number, pid: number, close(): Promise<void> }>}
 */
export async function startRedisServer({ startupTimeoutMs = 10_000 } = {}) {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'redis-server is not on PATH; the Upstash tests need a real Redis (Debian/Ubuntu: ' +
        'apt-get install -y redis-server)',
    );
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const append = (chunk) => (output = (output + chunk).slice(-65_536));
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let spawnError;
  child.once('error', (error) => {
    spawnError = error;
    append(`\n[could not start redis-server: ${error.message}]\n`);
  });
  const exited = new Promise((resolve) => child.once('close', resolve));
  const gone = () => spawnError !== undefined || child.exitCode !== null || child.signalCode !== null;
  // Last resort when the test process ends without calling close().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const close = async () => {
    process.removeListener('exit', killOnExit);
    if (child.pid === undefined || spawnError) return;
    if (!gone()) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + startupTimeoutMs;
  let last = 'no attempt';
  for (let attempt = 0; attempt < 10_000 && Date.now() < deadline; attempt += 1) {
    if (gone()) {
      await close();
      throw new Error(`redis-server exited early:\n${output}`);
    }
    try {
      if ((await sendOne(port, ['PING'], Math.max(100, Math.min(2000, deadline - Date.now())))) === 'PONG') {
        return { port, pid: child.pid, close };
      }
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await close();
  throw new Error(`redis-server did not answer PING within ${startupTimeoutMs} ms (last: ${last}):\n${output}`);
}

/** One command on a fresh connection; rejects when no reply has come within timeoutMs. */
async function sendOne(redisPort, args, timeoutMs) {
  const connection = new RespConnection(redisPort);
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`redis on port ${redisPort} did not answer ${args[0]} within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    const [reply] = await Promise.race([connection.send([args.map(toArg)]), timeout]);
    if (reply instanceof RedisError) throw reply;
    return encodeResult(reply, false);
  } finally {
    clearTimeout(timer);
    connection.close();
  }
}

/**
 * Sends one command to a Redis on loopback and returns the parsed reply: simple and bulk strings
 * as strings ('OK', 'PONG', a GET's value), integers as numbers, nil as null, arrays as arrays.
 * An error reply rejects; so does no reply within 5 s. Tests use it to look at keys directly.
 */
export function redisCommand(redisPort, ...args) {
  return sendOne(redisPort, args, 5000);
}

function parseCliArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (flag === '--redis-port') options.redisPort = Number(value);
    else if (flag === '--port') options.port = Number(value);
    else if (flag === '--token') options.token = value;
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const adapter = await startUpstashAdapter(parseCliArgs(process.argv.slice(2)));
    console.log(adapter.url);
    const stop = () => adapter.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    console.error(`upstash-redis-adapter: ${error instanceof Error ? error.message : String(error)}`);
    console.error('usage: node scripts/upstash-redis-adapter.mjs --redis-port N --token T [--port M]');
    process.exit(2);
  }
}
