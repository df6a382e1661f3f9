/**
 * HTTPS and mutual TLS for the gateway's own server.
 *
 * - TLS 1.2 is the floor, 1.3 is negotiated whenever the client offers it (Node prefers the highest
 *   shared version); TLS 1.2 suites are limited to ECDHE with AEAD ciphers (forward secrecy, no CBC).
 * - Client certificates: when `http.tls.requireClientCert` is set, the inbox accepts a
 *   message only over a connection whose certificate belongs to a partner — chaining to that
 *   partner's `tls.clientCaPath`, or pinned by `tls.clientCertSha256` — and only if that partner is
 *   the message's verified signer. The handshake itself admits any certificate
 *   (`rejectUnauthorized: false`) because pinned self-signed certificates chain to nothing; the
 *   decision is made here, per partner, where a refusal can be a problem document rather than a reset.
 * - Only a certificate made for a client identifies one (RFC 5280 §4.2.1.3, §4.2.1.9, §4.2.1.12): the
 *   leaf must not be a CA, must name `clientAuth` in its extended key usage, and, when it restricts its
 *   key usage, must allow `digitalSignature` (the TLS client signs the handshake). A partner's server
 *   certificate or its CA certificate chains to the partner's CA too, but proves nothing about who
 *   opened the connection.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import type { TLSSocket, DetailedPeerCertificate, SecureContextOptions } from 'node:tls';
import type { Partner, TnxConfig } from '../config/schema.js';
import { TnxError } from '../core/errors.js';
import type { StateCode } from '../domain/protocol/types.js';
import type { Clock } from '../core/clock.js';

const TLS12_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new TnxError('config_invalid', `cannot read ${what} ${path}`, { pointer: `config/http/tls/${what}`, cause });
  }
}

/** Options for https.createServer from config.http.tls, with the client-CA hints of `partners`. */
export function tlsServerOptions(config: TnxConfig, partners?: PartnerSource): ServerOptions {
  const tls = config.http.tls;
  if (!tls) throw new TnxError('config_invalid', 'http.tls is not configured', { pointer: 'config/http/tls' });
  const options: ServerOptions = {
    cert: readPem(tls.certPath, 'certPath'),
    key: readPem(tls.keyPath, 'keyPath'),
    minVersion: 'TLSv1.2',
    ciphers: TLS12_CIPHERS,
    honorCipherOrder: true,
    // A connection that never starts its handshake would otherwise hold a socket for Node's 120 s.
    handshakeTimeout: config.http.handshakeTimeoutMs,
  };
  if (tls.requireClientCert) {
    options.requestCert = true;
    options.rejectUnauthorized = false;
    const cas = clientCaHints(config, partners?.list() ?? config.directory.partners);
    if (cas.length > 0) options.ca = cas;
  }
  return options;
}

/**
 * The CAs named in the server's CertificateRequest, so that a client holding several certificates
 * picks the one a partner's CA issued: every partner's client CA — a file in the local directory, or
 * the PEM a network directory entry carries — and `http.tls.caPath`. Read from the partner list given,
 * which is the live directory, so a CA the coordinator publishes or drops is advertised from the next
 * handshake on (see `liveClientCaHints`). A directory PEM that does not parse names nothing: the
 * certificate check refuses it the same way (`trustOf`). Duplicates are advertised once.
 */
export function clientCaHints(config: TnxConfig, partners: readonly Partner[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (certs: readonly X509Certificate[]): void => {
    for (const c of certs) {
      if (seen.has(c.fingerprint256)) continue;
      seen.add(c.fingerprint256);
      out.push(c.toString());
    }
  };
  const parse = (pem: string): X509Certificate[] => {
    try {
      return certificatesOf(pem);
    } catch {
      return [];
    }
  };
  for (const p of partners) {
    if (p.tls?.clientCaPath) add(partnerCas(p.state, p.tls.clientCaPath));
    else if (p.tls?.clientCaPem) add(parse(p.tls.clientCaPem));
  }
  const caPath = config.http.tls?.caPath;
  if (caPath) add(parse(readPem(caPath, 'caPath').toString('utf8')));
  return out;
}

/**
 * Keep a TLS server's advertised client CAs equal to the live directory's: on every replacement the
 * server gets a new secure context (same certificate, key and ciphers; new `ca`), which applies to the
 * next handshake — connections already open keep theirs. Returns the unsubscribe.
 */
export function liveClientCaHints(
  server: { setSecureContext(options: SecureContextOptions): void },
  config: TnxConfig,
  partners: PartnerSource,
  onError: (err: unknown) => void,
): () => void {
  if (!config.http.tls?.requireClientCert || !partners.onReplace) return () => undefined;
  return partners.onReplace(() => {
    try {
      const { cert, key, minVersion, ciphers, honorCipherOrder, ca } = tlsServerOptions(config, partners);
      server.setSecureContext({ cert, key, minVersion, ciphers, honorCipherOrder, ...(ca ? { ca } : {}) });
    } catch (err) {
      // The old context stays: the hints are a convenience for clients, the admission check is per request.
      onError(err);
    }
  });
}

/** Split a PEM bundle into certificates. */
export function certificatesOf(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

export function normaliseFingerprint(fp: string): string {
  return fp.replace(/:/g, '').toUpperCase();
}

interface PartnerTrust {
  state: StateCode;
  cas: X509Certificate[];
  pinned: string | null;
}

function validAt(c: X509Certificate, now: number): boolean {
  return Date.parse(c.validFrom) <= now && now <= Date.parse(c.validTo);
}

function partnerCas(state: StateCode, path: string): X509Certificate[] {
  let cas: X509Certificate[];
  try {
    cas = certificatesOf(readPem(path, 'clientCaPath').toString('utf8'));
  } catch (cause) {
    if (cause instanceof TnxError) throw cause;
    throw new TnxError(
      'config_invalid',
      `directory partner ${state}: tls.clientCaPath is not a PEM certificate bundle`,
      { cause },
    );
  }
  if (cas.length === 0)
    throw new TnxError('config_invalid', `directory partner ${state}: tls.clientCaPath holds no certificate`);
  return cas;
}

/**
 * A partner's client-certificate trust from its directory entry. An inline CA (network directory) that
 * does not parse admits nothing: the entry was signed by the coordinator, so a bad CA there is the
 * coordinator's mistake to fix, not a reason to stop serving every other partner.
 */
function trustOf(p: Partner): PartnerTrust | null {
  const tls = p.tls;
  if (!tls?.clientCaPath && !tls?.clientCaPem && !tls?.clientCertSha256) return null;
  let cas: X509Certificate[] = [];
  if (tls.clientCaPath) cas = partnerCas(p.state, tls.clientCaPath);
  else if (tls.clientCaPem) {
    try {
      cas = certificatesOf(tls.clientCaPem);
    } catch {
      cas = [];
    }
  }
  return {
    state: p.state,
    cas,
    pinned: tls.clientCertSha256 ? normaliseFingerprint(tls.clientCertSha256) : null,
  };
}

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
/** DER of the keyUsage extension's OID, 2.5.29.15. */
const KEY_USAGE_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0f]);

/**
 * The keyUsage bits of a certificate, or null when it has no keyUsage extension. Node's X509Certificate
 * exposes the extended key usage but not these bits, so the extension is read from the DER: OID,
 * optional critical flag, then an OCTET STRING wrapping the BIT STRING.
 */
export function keyUsageBits(cert: X509Certificate): number | null {
  const der = cert.raw;
  const at = der.indexOf(KEY_USAGE_OID);
  if (at < 0) return null;
  let i = at + KEY_USAGE_OID.length;
  if (der[i] === 0x01) i += 2 + (der[i + 1] ?? 0); // critical BOOLEAN
  if (der[i] !== 0x04 || der[i + 2] !== 0x03) return 0; // malformed: treat as "no usage allowed"
  const bitsLen = der[i + 3] ?? 0;
  if (bitsLen < 2) return 0;
  return der[i + 5] ?? 0; // first content byte after the unused-bits count; bit 0 is the MSB
}

/** Whether a leaf was made to authenticate a TLS client (see the module comment). */
export function isClientCertificate(leaf: X509Certificate): boolean {
  if (leaf.ca) return false;
  const eku = leaf.keyUsage; // Node names the extended key usage OIDs `keyUsage`
  if (!Array.isArray(eku) || !eku.includes(CLIENT_AUTH)) return false;
  const bits = keyUsageBits(leaf);
  return bits === null || (bits & 0x80) !== 0; // digitalSignature
}

/** Where the verifier reads partners from: the running Directory, whose contents a follower may swap. */
export interface PartnerSource {
  list(): readonly Partner[];
  /** Called after each replacement of the whole list; returns the unsubscribe. */
  onReplace?(listener: () => void): () => void;
}

/**
 * Which partners a client certificate chain identifies. It reads the partner list on every call — the
 * live Directory, which the network-directory follower replaces in one step — so a state removed from
 * the directory, or whose CA or pin changed, is judged by the current entry at the next connection, not
 * by a copy taken at start-up. Parsed CAs are cached per partner entry (entries are immutable; a
 * replacement makes new ones), so a request costs a map lookup per partner, not a PEM parse.
 */
export class ClientCertVerifier {
  readonly #source: PartnerSource;
  readonly #cache = new WeakMap<Partner, PartnerTrust | null>();

  constructor(
    source: PartnerSource | readonly Partner[],
    private readonly clock: Clock,
  ) {
    this.#source = Array.isArray(source) ? { list: () => source as readonly Partner[] } : (source as PartnerSource);
    // A local directory's CA files are read now, so a missing or bad file stops start-up.
    for (const p of this.#source.list()) this.#trustFor(p);
  }

  #trustFor(p: Partner): PartnerTrust | null {
    if (this.#cache.has(p)) return this.#cache.get(p)!;
    const t = trustOf(p);
    this.#cache.set(p, t);
    return t;
  }

  #trust(): PartnerTrust[] {
    const out: PartnerTrust[] = [];
    for (const p of this.#source.list()) {
      const t = this.#trustFor(p);
      if (t) out.push(t);
    }
    return out;
  }

  /** Partners whose trust settings admit this chain (leaf first). Usually one; empty when none. */
  partnersFor(chain: readonly X509Certificate[]): StateCode[] {
    const leaf = chain[0];
    if (!leaf) return [];
    const now = this.clock.now();
    if (!validAt(leaf, now) || !isClientCertificate(leaf)) return [];
    const fp = normaliseFingerprint(leaf.fingerprint256);
    return this.#trust()
      .filter((t) => (t.pinned !== null && t.pinned === fp) || chainsTo(chain, t.cas, now))
      .map((t) => t.state);
  }

  /** Read the peer chain from a TLS socket. */
  static chainOf(socket: TLSSocket): X509Certificate[] {
    const out: X509Certificate[] = [];
    let c = socket.getPeerCertificate(true) as DetailedPeerCertificate | undefined;
    const seen = new Set<string>();
    while (c && c.raw && out.length < 8) {
      const x = new X509Certificate(c.raw);
      if (seen.has(x.fingerprint256)) break; // a self-signed root points at itself
      seen.add(x.fingerprint256);
      out.push(x);
      c = c.issuerCertificate;
    }
    return out;
  }
}

/**
 * True when the chain, followed from the leaf, reaches a certificate issued and signed by one of
 * `cas`; each link is checked (issuer name and signature) and must be valid now. Intermediates must
 * be CA certificates.
 */
function chainsTo(chain: readonly X509Certificate[], cas: readonly X509Certificate[], now: number): boolean {
  if (cas.length === 0) return false;
  for (let i = 0; i < chain.length; i += 1) {
    const cert = chain[i]!;
    if (!validAt(cert, now)) return false;
    if (i > 0 && !cert.ca) return false;
    if (cas.some((ca) => validAt(ca, now) && cert.checkIssued(ca) && cert.verify(ca.publicKey))) return true;
    const next = chain[i + 1];
    if (!next || !cert.checkIssued(next) || !cert.verify(next.publicKey)) return false;
  }
  return false;
}
