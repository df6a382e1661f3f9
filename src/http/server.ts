/**
 * Serve the app over HTTP, or HTTPS when http.tls is configured. Port 0 picks a free port (tests);
 * the returned URL is the one actually bound.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { TnxConfig } from '../config/schema.js';
import { liveClientCaHints, tlsServerOptions, type PartnerSource } from './tls.js';

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function listen(
  app: Express,
  config: TnxConfig,
  overrides: { host?: string; port?: number } = {},
  /** The live directory: the client CAs an mTLS server advertises follow its replacements. */
  live?: { partners: PartnerSource; onError: (err: unknown) => void },
): Promise<RunningServer> {
  const tls = config.http.tls !== undefined;
  const server: Server = tls ? createHttpsServer(tlsServerOptions(config, live?.partners), app) : createHttpServer(app);
  const unfollow =
    tls && live ? liveClientCaHints(server as HttpsServer, config, live.partners, live.onError) : () => undefined;
  // Slow-loris bounds: a request must arrive whole within these limits.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  // Beyond this many open sockets new ones are closed at once: a flood cannot exhaust descriptors.
  server.maxConnections = config.http.maxConnections;
  return bindServer(
    server,
    overrides.port ?? config.http.port,
    overrides.host ?? config.http.host,
    tls ? 'https' : 'http',
    unfollow,
  );
}

/**
 * Binds `server` (the gateway's or the metrics listener's) to host and port, and answers the URL
 * actually bound (port 0 picks a free one) and a close that also ends open keep-alive connections, so
 * shutdown does not wait for idle clients.
 */
export async function bindServer(
  server: Server,
  port: number,
  host: string,
  scheme: 'http' | 'https',
  /** Runs before the server closes: e.g. stop following the directory's client CAs. */
  beforeClose: () => void = () => undefined,
): Promise<RunningServer> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    beforeClose(); // never bound: nothing else would undo what the caller set up for it
    throw err;
  }
  const addr = server.address() as AddressInfo;
  const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `${scheme}://${h}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        beforeClose();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
