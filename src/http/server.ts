import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { VendorReply } from '../errors.js';
import { handleVendorRequest, isVendorPath, type VendorDeps } from './vendor.js';
import { readBody } from './read-body.js';

/**
 * One server, two paths: the four vendor URLs go through a lean node:http handler (they are the
 * hot path a client load-tests), everything else (the control surface, the JSON 404) through Express.
 */
export function createSandboxServer(vendor: VendorDeps, control: Express): Server {
  return createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (!isVendorPath(path)) {
      control(request, response);
      return;
    }
    serveVendor(vendor, path, request, response).catch((error: unknown) => {
      // Only reading the body can fail here (a client that went away): nothing to answer.
      request.destroy(error instanceof Error ? error : undefined);
    });
  });
}

async function serveVendor(vendor: VendorDeps, path: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request, vendor.bodyLimit);
  const reply = await handleVendorRequest(vendor, { method: request.method ?? 'GET', path, headers: request.headers, body });
  writeReply(response, reply, body === 'too-large');
}

function writeReply(response: ServerResponse, reply: VendorReply, closeAfter: boolean): void {
  const payload = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    ...reply.headers,
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(payload),
    ...(closeAfter ? { Connection: 'close' } : {}),
  });
  response.end(payload);
}
