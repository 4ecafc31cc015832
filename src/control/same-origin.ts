import type { NextFunction, Request, Response } from 'express';
import { ControlError } from './errors.js';

/** Methods a browser may send cross-site without asking first; they change nothing here. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The control surface answers only requests addressed to the sandbox itself. A page on another
 * site can make a browser send requests here: with DNS rebinding its own host name points at
 * 127.0.0.1 (the `Host` header then names that site), and a form or fetch can POST here directly
 * (the `Origin` header names that site). Both are refused; clients without an `Origin` (curl,
 * tests, the library's client) are unaffected. The port is the one the connection arrived on, so
 * this holds for a sandbox started on port 0 too.
 */
export function sameOrigin(configuredHost: string | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const host = req.headers.host;
    const port = req.socket.localPort;
    if (host === undefined || port === undefined || !allowedHosts(configuredHost, req.socket.localAddress, port).has(host.toLowerCase())) {
      return next(new ControlError(403, `refused: the Host header ${host === undefined ? 'is missing' : `"${host}"`} does not name this sandbox; address it as http://127.0.0.1:${port ?? 'PORT'} (or localhost, or the host it listens on)`));
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !READS.has(req.method) && origin.toLowerCase() !== `http://${host.toLowerCase()}`) {
      return next(new ControlError(403, `refused: a write from another origin (${origin}); the control surface accepts writes only from its own pages or from clients that send no Origin header (curl, tests)`));
    }
    next();
  };
}

/** host:port forms that mean this sandbox: the loopback names, the configured host, the address the client reached (an IP literal cannot be rebound). */
function allowedHosts(configuredHost: string | undefined, localAddress: string | undefined, port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost', '::1'];
  if (configuredHost) names.push(configuredHost);
  if (localAddress) names.push(localAddress.replace(/^::ffff:(?=\d+\.)/, ''));
  return new Set(names.map((name) => `${name.includes(':') ? `[${name.toLowerCase()}]` : name.toLowerCase()}:${port}`));
}
