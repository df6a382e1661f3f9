/**
 * Outbound HTTP to partner inboxes (undici): one connection Pool per partner origin, TLS verification
 * always on (rejectUnauthorized, TLS 1.2 minimum, an optional partner CA from the directory), a hard
 * request timeout, a bounded response body, no redirects followed.
 *
 * The partner CA is read per request from the directory entry the caller passes — a path in a local
 * directory, PEM text in the signed network directory — so a CA the coordinator changes takes effect
 * with the next delivery: the pool is keyed by origin and CA, and the pool of an origin whose CA
 * changed is closed rather than left trusting the old one.
 *
 * Plain http:// is allowed only to loopback hosts (127.0.0.0/8, ::1, localhost) for tests and the demo;
 * any other http:// endpoint is a configuration error, so personal data never crosses a network in
 * clear text because of a typo in the directory.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Pool, type Dispatcher } from 'undici';
import { tnxError } from '../../core/errors.js';
import { NetworkError } from '../../domain/delivery/failure-classes.js';
import { isLoopbackHost } from '../../domain/directory/network.js';

/** Receipts are a few hundred bytes; anything far larger is not a receipt. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** Parse and vet an endpoint; `what` names the setting in the error (never the URL's query). */
export function checkEndpoint(endpoint: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (cause) {
    throw tnxError('config_invalid', `${what}: not a valid URL`, { pointer: what, cause });
  }
  if (url.username || url.password)
    throw tnxError('config_invalid', `${what}: credentials in the URL are not allowed`, { pointer: what });
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw tnxError('config_invalid', `${what}: plain http is allowed only for loopback hosts; use https`, {
    pointer: what,
  });
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  durationMs: number;
}

export interface PostOptions {
  contentType: string;
  accept?: string;
  /** PEM CA bundle path (partner `tls.caPath`); system CAs otherwise. */
  caPath?: string | undefined;
  /** PEM CA bundle inline (a network directory entry's `tls.caPem`); used when no caPath is given. */
  caPem?: string | undefined;
  /** Aborts the request (shutdown). */
  signal?: AbortSignal;
}

/** Map undici / socket errors to a short stable name (no URLs, no bodies). */
function networkError(err: unknown, timedOut: boolean, aborted: boolean, written: boolean): NetworkError {
  const o = { cause: err, written };
  if (timedOut) return new NetworkError('timeout', o);
  if (aborted) return new NetworkError('aborted', o);
  const code = (err as { code?: unknown }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new NetworkError('timeout', o);
  }
  if (typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code)) return new NetworkError(code, o);
  return new NetworkError('network_error', o);
}

/**
 * undici starts a request (`onRequestStart`) on an open, connected socket just before it writes the
 * request line; a refused connection, a failed DNS lookup or TLS handshake never gets there. From that
 * moment the partner may have the message, whatever happens next (a timeout can hide a success).
 */
function markWhenWritten(sent: { written: boolean }): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) =>
    dispatch(
      opts,
      new Proxy(handler, {
        // Methods run on the handler itself: undici's handlers keep their state in private fields.
        get(target, key) {
          const value: unknown = Reflect.get(target, key, target);
          if (typeof value !== 'function') return value;
          const fn = value as (...a: unknown[]) => unknown;
          return (...args: unknown[]) => {
            if (key === 'onRequestStart') sent.written = true;
            return fn.apply(target, args);
          };
        },
      }),
    );
}

export class PartnerHttpClient {
  readonly #pools = new Map<string, Pool>();
  /** The trust key each origin's pool was made with. */
  readonly #trustOf = new Map<string, string>();
  readonly #cas = new Map<string, string>();

  constructor(private readonly opts: { timeoutMs: number; connectionsPerOrigin?: number }) {}

  #pool(url: URL, caPath: string | undefined, caPem: string | undefined): Pool {
    const trust = caPath
      ? `path:${caPath}`
      : caPem
        ? `pem:${createHash('sha256').update(caPem).digest('base64url')}`
        : 'system';
    const key = `${url.origin}|${trust}`;
    let pool = this.#pools.get(key);
    if (!pool) {
      const previous = this.#trustOf.get(url.origin);
      if (previous !== undefined && previous !== trust) {
        // The directory changed this partner's CA: connections made under the old one must not carry on.
        const old = this.#pools.get(`${url.origin}|${previous}`);
        this.#pools.delete(`${url.origin}|${previous}`);
        void old?.close().catch(() => undefined);
      }
      let ca: string | undefined;
      if (caPath) {
        ca = this.#cas.get(caPath) ?? readFileSync(caPath, 'utf8');
        this.#cas.set(caPath, ca);
      } else if (caPem) ca = caPem;
      this.#trustOf.set(url.origin, trust);
      pool = new Pool(url.origin, {
        connections: this.opts.connectionsPerOrigin ?? null,
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
        connectTimeout: Math.min(this.opts.timeoutMs, 10_000),
        connect: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(ca ? { ca } : {}) },
      });
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /** POST `body`; resolves with any HTTP status, rejects only with NetworkError. */
  async post(url: URL, body: string, o: PostOptions): Promise<HttpAnswer> {
    const started = performance.now();
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = o.signal ? AbortSignal.any([timeout, o.signal]) : timeout;
    const sent = { written: false };
    try {
      const res = await this.#pool(url, o.caPath, o.caPem)
        .compose(markWhenWritten(sent))
        .request({
          method: 'POST',
          path: `${url.pathname}${url.search}`,
          headers: { 'content-type': o.contentType, accept: o.accept ?? '*/*' },
          body,
          signal,
        });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        size += buf.length;
        if (size > MAX_RESPONSE_BYTES) {
          res.body.destroy();
          break;
        }
        chunks.push(buf);
      }
      return {
        status: res.statusCode,
        headers: res.headers,
        body: size > MAX_RESPONSE_BYTES ? '' : Buffer.concat(chunks).toString('utf8'),
        durationMs: performance.now() - started,
      };
    } catch (err) {
      throw networkError(err, timeout.aborted, o.signal?.aborted === true, sent.written);
    }
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    this.#trustOf.clear();
    await Promise.allSettled(pools.map((p) => p.close()));
  }

  /** Abort-close: for a shutdown whose bounded wait ran out. */
  async destroy(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    this.#trustOf.clear();
    await Promise.allSettled(pools.map((p) => p.destroy()));
  }
}
