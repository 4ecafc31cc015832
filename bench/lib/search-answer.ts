import { seedData } from '../../seeds/generate.js';
import { presentCustomer } from '../../src/vendor/present.js';

/**
 * The fixed answer to a search that bench/baseline-server.ts serves and the static peers
 * (WireMock, Mockoon) are set up to serve: one generated customer in the vendor's shape, as the
 * sandbox would answer searchCustomer, with the sandbox's Content-Type. One module, so every
 * server that answers it sends the same bytes.
 */
export const SEARCH_ANSWER_TYPE = 'application/json;charset=UTF-8';

let answer: Buffer | undefined;

export function searchAnswer(): Buffer {
  answer ??= Buffer.from(JSON.stringify({ message: [presentCustomer(seedData({ seed: 1, customers: 1 }).customers.at(-1)!)], status: 'success' }));
  return answer;
}
