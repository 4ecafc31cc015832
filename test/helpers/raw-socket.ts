import { connect } from 'node:net';

export type SocketOutcome = { kind: 'answer' | 'reset' | 'closed-without-answer' | 'timeout'; data: string; ms: number };

/**
 * Sends one HTTP request over a bare TCP socket and reports what the client saw: an answer, a
 * reset (ECONNRESET), a close without a byte, or nothing within `timeoutMs` (the client gives up).
 */
export function rawRequest(url: string, path: string, headers: Record<string, string>, body: string, timeoutMs = 2_000): Promise<SocketOutcome> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let data = '';
    const done = (kind: SocketOutcome['kind']) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ kind, data, ms: performance.now() - started });
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.on('connect', () => {
      const lines = [`POST ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    });
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNRESET' ? 'reset' : 'closed-without-answer'));
    socket.on('end', () => done(data === '' ? 'closed-without-answer' : 'answer'));
  });
}
