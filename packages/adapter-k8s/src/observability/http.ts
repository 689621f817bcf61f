// The two small HTTP endpoints of the operator: Prometheus metrics on -metrics-bind-address and
// /healthz + /readyz on -health-probe-bind-address. Addresses use controller-runtime's syntax:
// `:8080` (all interfaces), `127.0.0.1:8080`, `[::1]:8080`; `0` disables the endpoint.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BindAddress {
  readonly host: string | undefined;
  readonly port: number;
}

/**
 * Parses a bind address; undefined means disabled (`0` or empty). Throws on nonsense, naming
 * `flag` (the option the address came from) when given.
 */
export function parseBindAddress(address: string, flag?: string): BindAddress | undefined {
  const a = address.trim();
  if (a === '' || a === '0') return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(a);
  const what = flag === undefined ? 'bind address' : `${flag}`;
  if (!m) throw new Error(`invalid ${what} ${JSON.stringify(address)}: want host:port, :port or 0`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`invalid port in ${what} ${JSON.stringify(address)}`);
  const host = m[1] ?? (m[2] || undefined);
  return { host, port };
}

export type Route = () => Promise<{ status: number; body: string; contentType?: string }>;

/** A running endpoint; `address` is the actual host:port (useful with port 0). */
export interface HttpEndpoint {
  readonly address: string;
  close(): Promise<void>;
}

/**
 * Serves `routes` (path → handler) on `bind`; other paths are 404. A failure to listen (port in
 * use, address not local) names `flag` and the address it was given, and keeps the cause.
 */
export async function serve(bind: BindAddress, flag: string, given: string, routes: Readonly<Record<string, Route>>): Promise<HttpEndpoint> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes[path];
    if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    route().then(
      (r) => res.writeHead(r.status, { 'content-type': r.contentType ?? 'text/plain' }).end(r.body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err) + '\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'EADDRINUSE' ? 'address already in use' : err.code === 'EADDRNOTAVAIL' ? 'address not available on this host' : err.message;
      reject(new Error(`${flag} ${JSON.stringify(given)}: cannot listen: ${reason}`, { cause: err }));
    });
    server.listen(bind.port, bind.host, () => resolve());
  });
  const info = server.address() as AddressInfo;
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  return {
    address: `${host}:${info.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
