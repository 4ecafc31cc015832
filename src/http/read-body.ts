import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body up to `limit` bytes and hands it to `done`. Past the limit the rest is
 * drained and discarded (never buffered), and the body is `too-large`: memory stays bounded
 * whatever a client sends. A callback, not a promise: the vendor path answers most requests
 * without one.
 */
export function readBody(request: IncomingMessage, limit: number, done: (body: Buffer | 'too-large') => void, failed: (error: Error) => void): void {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) {
    request.resume();
    done('too-large');
    return;
  }
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) return;
    if (first === undefined) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  request.on('end', () => {
    if (size > limit) done('too-large');
    // A copy: the journal keeps the body, and a chunk may be a view of a larger read buffer.
    else done(more ? Buffer.concat(more, size) : first ? Buffer.from(first) : EMPTY);
  });
  request.on('error', failed);
}

const EMPTY = Buffer.alloc(0);
