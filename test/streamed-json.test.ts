import { describe, expect, it } from 'vitest';
import { StreamedJson } from '../src/raw-json.js';

const head = Buffer.from('{"message":[');
const tail = Buffer.from('],"status":"success"}');
const item = (i: number) => Buffer.from(JSON.stringify({ id: i, name: `n${'x'.repeat(i % 7)}` }));

function whole(items: number, chunkBytes: number): { text: string; chunks: Buffer[] } {
  const chunks = [...new StreamedJson(head, items, item, tail, chunkBytes).chunks()];
  return { text: Buffer.concat(chunks).toString('utf8'), chunks };
}

describe('StreamedJson', () => {
  it.each([0, 1, 2, 50, 1000])('%i items: the chunks join to the JSON of the list', (items) => {
    const expected = JSON.stringify({ message: Array.from({ length: items }, (_, i) => JSON.parse(item(i).toString())), status: 'success' });
    for (const chunkBytes of [1, 64, 4096, 1 << 20]) expect(whole(items, chunkBytes).text).toBe(expected);
  });

  it('chunks are about chunkBytes each: no chunk but the last is smaller, none exceeds it by more than one item', () => {
    const { chunks } = whole(5000, 16 * 1024);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(16 * 1024);
      expect(chunk.length).toBeLessThan(16 * 1024 + 64);
    }
  });
});
