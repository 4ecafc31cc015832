/**
 * A JSON answer that is already encoded: answers assembled from cached customer JSON are written
 * as they are, not parsed and serialized again.
 */
export class RawJson {
  constructor(readonly bytes: Buffer) {}
}

/**
 * A JSON answer too large to assemble in memory (a select over years of a large store can be a
 * gigabyte): its encoded pieces, produced on demand in chunks of about `chunkBytes`, so the HTTP
 * layer writes it as it goes with the memory of one chunk.
 */
export class StreamedJson {
  constructor(
    private readonly head: Buffer,
    private readonly items: number,
    private readonly item: (index: number) => Buffer,
    private readonly tail: Buffer,
    private readonly chunkBytes = 1024 * 1024,
  ) {}

  /** `head item0,item1,... tail`, in chunks. */
  *chunks(): Generator<Buffer> {
    let pending: Buffer[] = [this.head];
    let size = this.head.length;
    for (let i = 0; i < this.items; i++) {
      if (i > 0) {
        pending.push(COMMA);
        size += 1;
      }
      const part = this.item(i);
      pending.push(part);
      size += part.length;
      if (size >= this.chunkBytes) {
        yield Buffer.concat(pending, size);
        pending = [];
        size = 0;
      }
    }
    pending.push(this.tail);
    yield Buffer.concat(pending, size + this.tail.length);
  }
}

const COMMA = Buffer.from(',');

/** The wire form of an answer body, UTF-8 encoded (a StreamedJson is written by its chunks instead). */
export function encodeBody(body: unknown): Buffer {
  return body instanceof RawJson ? body.bytes : Buffer.from(JSON.stringify(body), 'utf8');
}
