import type { NextFunction, Request, Response } from 'express';
import { describeErrors, specValidator } from '../validation/ajv.js';

/** A control request that cannot be carried out: a 4xx with `{"error"}` and nothing changed. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The body, validated against a spec schema, as a fresh copy (a 400 naming the problem otherwise). */
export function validBody<T>(schema: string, body: unknown, example: string): T {
  const validate = specValidator(schema);
  if (!validate(body)) throw new ControlError(400, `invalid body for this control endpoint: ${describeErrors(validate)}. Example: ${example}`);
  return structuredClone(body) as T;
}

// Express recognises an error handler by its four parameters.
export function controlErrorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const failure = error as { status?: number; type?: string; message?: string };
  if (error instanceof ControlError) {
    res.status(error.status).json({ error: error.message });
  } else if (failure.type === 'entity.parse.failed') {
    res.status(400).json({ error: `the body is not valid JSON (${failure.message}): send a JSON object` });
  } else if (failure.type === 'entity.too.large') {
    res.status(413).json({ error: 'the body is larger than 1 MiB' });
  } else if (typeof failure.status === 'number' && failure.status >= 400 && failure.status < 500) {
    res.status(failure.status).json({ error: failure.message ?? 'bad request' });
  } else {
    res.status(500).json({ error: `unexpected error inside the sandbox: ${failure.message ?? String(error)}` });
  }
}
