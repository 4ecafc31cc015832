import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { ConnectionFault } from '../faults/effects.js';
import type { Journal, JournalRecord } from '../journal.js';
import { encodeBody, StreamedJson } from '../raw-json.js';
import { handleVendorRequest, isVendorPath, type VendorDeps, type VendorOutcome } from './vendor.js';
import { readBody } from './read-body.js';

/** A hung connection is let go after this long, so a client that never gives up cannot pin it forever. */
const HANG_LIMIT_MS = 10 * 60 * 1000;

export type VendorServerDeps = VendorDeps & { journal: Journal };

/**
 * One server, two paths: the five vendor URLs go through a lean node:http handler (they are the
 * hot path a client load-tests), everything else (the control surface, the JSON 404) through
 * Express. Why, with figures: docs/vendor-path.md.
 */
export function createSandboxServer(vendor: VendorServerDeps, control: Express, requestTimeoutMs: number): Server {
  // A client that sends half a request is cut off after requestTimeoutMs, not held forever; the
  // check runs often enough for short timeouts to mean what they say.
  const options = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(requestTimeoutMs, 10_000),
    connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs),
  };
  const server = createServer(options, (request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (!isVendorPath(path)) {
      control(request, response);
      return;
    }
    // A vendor answer sent while the server closes ends its connection, so close() need not wait
    // for a keep-alive timeout.
    serveVendor(vendor, path, request, response, () => !server.listening);
  });
  return server;
}

function serveVendor(deps: VendorServerDeps, path: string, request: IncomingMessage, response: ServerResponse, closing: () => boolean): void {
  const started = performance.now();
  const startedAt = Date.now();
  readBody(
    request,
    deps.bodyLimit,
    (body) => {
      const exchange: Exchange = { deps, path, request, response, closing, started, startedAt, body };
      let outcome;
      try {
        outcome = handleVendorRequest(deps, { method: request.method ?? 'GET', path, headers: request.headers, body });
      } catch (error) {
        cut(request, error);
        return;
      }
      if (outcome instanceof Promise) outcome.then((settled) => answer(exchange, settled)).catch((error: unknown) => cut(request, error));
      else answer(exchange, outcome);
    },
    (error) => cut(request, error),
  );
}

/** One request on its way out: what answering and journaling it need. */
type Exchange = {
  deps: VendorServerDeps;
  path: string;
  request: IncomingMessage;
  response: ServerResponse;
  closing: () => boolean;
  started: number;
  startedAt: number;
  body: Buffer | 'too-large';
};

/**
 * Reading the body (a client that went away), writing an answer or streaming one whose headers are
 * sent is all that can fail past handleVendorRequest: there is nothing left to answer, the
 * connection is cut.
 */
function cut(request: IncomingMessage, error: unknown): void {
  request.destroy(error instanceof Error ? error : undefined);
}

function answer(exchange: Exchange, outcome: VendorOutcome): void {
  // Latency holds the answer back after the request was processed, as a slow network would.
  if (outcome.latencyMs > 0) setTimeout(() => send(exchange, outcome), outcome.latencyMs);
  else send(exchange, outcome);
}

function send(exchange: Exchange, outcome: VendorOutcome): void {
  try {
    write(exchange, outcome);
  } catch (error) {
    cut(exchange.request, error);
  }
}

function write(exchange: Exchange, outcome: VendorOutcome): void {
  const { request, response, body } = exchange;
  const closeAfter = body === 'too-large' || exchange.closing();
  if (outcome.connection) {
    breakConnection(request, outcome.connection);
    record(exchange, outcome, undefined);
  } else if (outcome.reply.body instanceof StreamedJson) {
    writeStreamed(response, outcome, outcome.reply.body, closeAfter).then(
      (sent) => record(exchange, outcome, { status: outcome.reply.status, body: sent.start, totalBytes: sent.bytes }),
      (error: unknown) => cut(request, error),
    );
  } else {
    // Encoded once: the length, the write and the journal share the bytes (a select answer can be megabytes).
    const bytes = encodeBody(outcome.reply.body);
    writeReply(response, outcome, bytes, closeAfter);
    record(exchange, outcome, { status: outcome.reply.status, body: bytes });
  }
}

function record(exchange: Exchange, outcome: VendorOutcome, answered: JournalRecord['response']): void {
  const { deps, path, request, body, started, startedAt } = exchange;
  const durationMs = performance.now() - started;
  deps.journal.record(journalRecord(startedAt, request.method ?? 'GET', path, request, body, outcome, answered, durationMs), outcome.key, outcome.keyDigest);
}

function writeReply(response: ServerResponse, outcome: VendorOutcome, payload: Buffer, closeAfter: boolean): void {
  writeHead(response, outcome, closeAfter, payload.length);
  response.end(payload);
}

/** The status and headers of an answer; without a length, Node sends the body chunked. */
function writeHead(response: ServerResponse, outcome: VendorOutcome, closeAfter: boolean, contentLength?: number): void {
  response.writeHead(outcome.reply.status, {
    ...outcome.reply.headers,
    'Content-Type': 'application/json;charset=UTF-8',
    ...(contentLength === undefined ? {} : { 'Content-Length': contentLength }),
    ...(closeAfter ? { Connection: 'close' } : {}),
  });
}

/**
 * A large answer written chunk by chunk, each once the previous one has drained: the memory of one
 * chunk whatever the answer's size. Sent with chunked transfer encoding, since its length is known
 * only at the end. Stops when the client goes away. Answers the first bytes (for the journal's
 * preview) and how many bytes were written.
 */
async function writeStreamed(response: ServerResponse, outcome: VendorOutcome, body: StreamedJson, closeAfter: boolean): Promise<{ start: Buffer; bytes: number }> {
  writeHead(response, outcome, closeAfter);
  let start: Buffer | undefined;
  let bytes = 0;
  for (const chunk of body.chunks()) {
    if (response.destroyed) break;
    // A copy: a view would keep the whole chunk alive.
    start ??= Buffer.from(chunk.subarray(0, JOURNAL_START_BYTES));
    bytes += chunk.length;
    if (!response.write(chunk)) await drainedOrClosed(response);
  }
  if (!response.destroyed) response.end();
  return { start: start ?? Buffer.alloc(0), bytes };
}

/** How much of a streamed answer the journal is handed (it keeps a shorter preview). */
const JOURNAL_START_BYTES = 1024;

function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** reset: a TCP RST; close: the connection closed with no answer; hang: no answer until the client gives up. */
function breakConnection(request: IncomingMessage, fault: ConnectionFault): void {
  const socket = request.socket;
  if (fault === 'reset') socket.resetAndDestroy();
  else if (fault === 'close') socket.end();
  else setTimeout(() => socket.destroy(), HANG_LIMIT_MS).unref();
}

function journalRecord(
  startedAt: number,
  method: string,
  path: string,
  request: IncomingMessage,
  body: Buffer | 'too-large',
  outcome: VendorOutcome,
  answered: JournalRecord['response'],
  durationMs: number,
): JournalRecord {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  return {
    startedAt,
    method,
    path,
    operation: outcome.operation,
    shape: outcome.shape,
    tenant: outcome.tenant,
    contentType: request.headers['content-type'],
    requestBody: body === 'too-large' ? { tooLarge: true, declaredBytes: Number.isFinite(declared) ? declared : null } : body,
    response: answered,
    error: outcome.error,
    faults: outcome.faults,
    warnings: outcome.warnings,
    durationMs,
  };
}
