/**
 * One partner state's entry in our directory: where its gateway listens, the public keys pinned for
 * it, its point of contact, what it accepts and the limits we keep when delivering to it. The
 * directory (./directory.ts) resolves keys only from these entries, never from a token.
 */
import type { PointOfContact, StateCode } from '../protocol/types.js';

export interface PartnerLimits {
  /** Deliveries in flight at once to this partner, across all workers of this process. */
  concurrency: number;
  /** Deliveries started per second to this partner (token bucket). */
  ratePerSecond: number;
}

export interface PartnerTls {
  /** PEM CA bundle (path) used to verify the partner's server certificate; system CAs when absent. */
  caPath?: string;
  /** The same CA inline (PEM), as the signed network directory carries it (no local path to name). */
  caPem?: string;
  /** For mTLS on our inbox: the partner's client certificate must chain to this CA (path)… */
  clientCaPath?: string;
  /** …or have exactly this SHA-256 fingerprint (hex, colons optional). */
  clientCertSha256?: string;
}

export interface Partner {
  state: StateCode;
  name: string;
  /** Inbox URL (…/tnx/v1/messages); null for states that run no gateway (notifications become `no_channel`). */
  endpoint: string | null;
  /** Public JWKS of the partner, inline… */
  jwks?: { keys: Record<string, unknown>[] };
  /** …or a path to it (relative to the directory file). Exactly one of jwks / jwksPath. */
  jwksPath?: string;
  pointOfContact: PointOfContact;
  /** Message types the partner accepts; default all. */
  accepts: string[];
  limits: PartnerLimits;
  tls?: PartnerTls;
}
