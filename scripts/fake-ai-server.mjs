#!/usr/bin/env node
// A stand-in for a paid AI API, for tests only. It listens on loopback and answers the
// OpenAI-compatible chat completions endpoint with a small valid completion, and counts the
// calls so a test can prove the AI was reached only by the requests that a limiter let through.
//
//   import { startFakeAiServer } from './scripts/fake-ai-server.mjs';
//   const ai = await startFakeAiServer();   // ai.baseURL → OPENAI_BASE_URL
//   ...; ai.count(); await ai.close();
//
//   node scripts/fake-ai-server.mjs [--port N]   prints its base URL, runs until SIGINT/SIGTERM

import http from 'node:http';
import { pathToFileURL } from 'node:url';

const HOST = '127.0.0.1';
const CHAT_PATHS = new Set(['/v1/chat/completions', '/chat/completions']);
/** The Responses API (`client.responses.create`), which newer OpenAI code calls instead. */
const RESPONSES_PATHS = new Set(['/v1/responses', '/responses']);
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * @param {{ port?: number, reply?: string }} [options]
 * @returns {Promise<{ url: string, baseURL: string, count(): number, requests(): Array<{ path: string, body: unknown }>, reset(): void, close(): Promise<void> }>}
 */
export function startFakeAiServer({ port = 0, reply = 'Hello from the fake AI server.' } = {}) {
  /** @type {Array<{ path: string, body: unknown }>} */
  let seen = [];
  let nextId = 1;

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    readBody(req)
      .then((raw) => {
        if (req.method === 'GET' && (path === '/health' || path === '/v1/models')) {
          return sendJson(res, 200, { object: 'list', data: [] });
        }
        if (req.method !== 'POST' || !(CHAT_PATHS.has(path) || RESPONSES_PATHS.has(path))) {
          return sendJson(res, 404, { error: { message: `no route for ${req.method} ${path}`, type: 'not_found' } });
        }
        let body;
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          return sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
        }
        seen.push({ path, body });
        sendJson(res, 200, (RESPONSES_PATHS.has(path) ? response : completion)(nextId++, body?.model, reply));
      })
      .catch((err) =>
        sendJson(res, 413, { error: { message: String(err?.message ?? err), type: 'invalid_request_error' } }),
      );
  });
  // Clients of a test server must not hold it open after close().
  server.keepAliveTimeout = 1000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      const address = server.address();
      const url = `http://${HOST}:${typeof address === 'object' && address ? address.port : port}`;
      resolve({
        url,
        baseURL: `${url}/v1`,
        count: () => seen.length,
        requests: () => seen.slice(),
        reset: () => {
          seen = [];
        },
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function completion(id, model, content) {
  return {
    id: `chatcmpl-fake-${id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: typeof model === 'string' ? model : 'fake-model',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function response(id, model, text) {
  return {
    id: `resp_fake_${id}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model: typeof model === 'string' ? model : 'fake-model',
    output: [
      {
        type: 'message',
        id: `msg_fake_${id}`,
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text, annotations: [] }],
      },
    ],
    usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 },
  };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res, status, value) {
  if (res.headersSent) return;
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function main(argv) {
  const i = argv.indexOf('--port');
  const port = i >= 0 ? Number(argv[i + 1]) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: fake-ai-server.mjs [--port N]');
    process.exit(2);
  }
  const server = await startFakeAiServer({ port });
  console.log(server.baseURL);
  const stop = async () => {
    console.error(`fake AI server: ${server.count()} chat completion request(s) served`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
