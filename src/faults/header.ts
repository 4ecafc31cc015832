import { ERROR_CODES, isErrorCode } from '../errors.js';
import type { AppliedFault, ConnectionFault, FaultEffect } from './effects.js';

const CONNECTIONS: readonly ConnectionFault[] = ['reset', 'close', 'hang'];
const MAX_LATENCY_MS = 600_000;

/** A malformed X-Sandbox-Fault header: answered as a 400 control error, never silently ignored. */
export class FaultHeaderError extends Error {}

/**
 * Decodes `X-Sandbox-Fault` (Prism's `Prefer:` header plays the same part): comma-separated items,
 * each an error code, `status=NNN`, `latency=MS` or `connection=reset|close|hang`.
 */
export function parseFaultHeader(value: string): AppliedFault[] {
  const items = value.split(',').map((item) => item.trim());
  return items.map((item) => ({ label: `header:${item}`, effect: parseItem(item, value) }));
}

function parseItem(item: string, header: string): FaultEffect {
  if (item === '') throw new FaultHeaderError(`X-Sandbox-Fault "${header}" has an empty item: separate items with single commas`);
  if (isErrorCode(item)) return { error: item };
  const [name, argument, ...extra] = item.split('=').map((part) => part.trim());
  if (extra.length === 0 && argument !== undefined) {
    if (name === 'latency' && /^\d+$/.test(argument) && Number(argument) <= MAX_LATENCY_MS) return { latencyMs: Number(argument) };
    if (name === 'status' && /^[1-5]\d\d$/.test(argument)) return { status: Number(argument) };
    if (name === 'connection' && (CONNECTIONS as string[]).includes(argument)) return { connection: argument as ConnectionFault };
  }
  throw new FaultHeaderError(
    `X-Sandbox-Fault item "${item}" is not a fault: use an error code (${ERROR_CODES.join(', ')}), ` +
      `latency=<ms up to ${MAX_LATENCY_MS}>, status=<100-599> or connection=${CONNECTIONS.join('|')}, joined by commas`,
  );
}
