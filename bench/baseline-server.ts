/**
 * The baseline: a raw node:http server that reads the POST body and answers a fixed, realistic
 * search response (one generated customer in the vendor's shape, as the sandbox would answer
 * searchCustomer), with the sandbox's Content-Type. No parsing, no lookup, no framework: the
 * ceiling any Node server on this machine can reach for this exchange.
 *
 * Run: node --import tsx bench/baseline-server.ts  (prints "listening on http://127.0.0.1:PORT")
 */
import { createServer } from 'node:http';
import { seedData } from '../seeds/generate.js';
import { presentCustomer } from '../src/vendor/present.js';

const customer = seedData({ seed: 1, customers: 1 }).customers.at(-1)!;
const payload = Buffer.from(JSON.stringify({ message: [presentCustomer(customer)], status: 'success' }));

const server = createServer((request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    response.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': payload.length });
    response.end(payload);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`baseline listening on http://127.0.0.1:${port} (${payload.length}-byte answer)\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
