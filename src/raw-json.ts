/**
 * A JSON answer that is already encoded: answers assembled from cached customer JSON are written
 * as they are, not parsed and serialized again. Anything that needs the value gets it through
 * `toJSON`.
 */
export class RawJson {
  constructor(readonly bytes: Buffer) {}

  toJSON(): unknown {
    return JSON.parse(this.bytes.toString('utf8'));
  }
}

/** The wire form of an answer body, UTF-8 encoded. */
export function encodeBody(body: unknown): Buffer {
  return body instanceof RawJson ? body.bytes : Buffer.from(JSON.stringify(body), 'utf8');
}
