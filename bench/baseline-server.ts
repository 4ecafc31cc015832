/**
 * The baseline: a raw node:http server that reads the POST body and answers a fixed, realistic
 * search response (bench/lib/search-answer.ts: one generated customer in the vendor's shape, as
 * the sandbox would answer searchCustomer), with the sandbox's Content-Type. No parsing, no
 * lookup, no framework: the ceiling any Node server on this machine can reach for this exchange.
 *
 * Run: node --import tsx bench/baseline-server.ts  (prints "listening on http://127.0.0.1:PORT")
 */
import { createServer } from 'node:http';
import { SEARCH_ANSWER_TYPE, searchAnswer } from './lib/search-answer.js';

const payload = searchAnswer();

const server = createServer((request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    response.writeHead(200, { 'Content-Type': SEARCH_ANSWER_TYPE, 'Content-Length': payload.length });
    response.end(payload);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`baseline listening on http://127.0.0.1:${port} (${payload.length}-byte answer)\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
