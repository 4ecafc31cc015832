/**
 * A JSON text that is already serialized: answers assembled from cached customer JSON are written
 * as they are, not parsed and serialized again. Anything that needs the value (the journal, when
 * it is listed) gets it through `toJSON`.
 */
export class RawJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** The wire form of an answer body. */
export function serializeBody(body: unknown): string {
  return body instanceof RawJson ? body.text : JSON.stringify(body);
}
