/** What the route handlers are given: the gateway context and the few services around it. */
import type { GatewayContext } from '../../ports/context.js';
import type { OutboundQueue, QueueStats } from '../../ports/queue.js';
import type { InboundRecord } from '../../ports/store/index.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { ClientCertVerifier } from '../tls.js';
import type { Admission } from '../../features/submission/admission.js';

export interface ReadinessCheck {
  name: string;
  /**
   * Throws when the part is down. Resolves to a string when the gateway still works without it
   * (`degraded: …`: /readyz stays 200 and says so) or to `warning: …` for a risk an operator should fix.
   */
  check(): Promise<void | string>;
}

export interface HttpDeps {
  ctx: GatewayContext;
  queue: OutboundQueue;
  /** See SubmitDeps.enqueueTimeoutMs. */
  enqueueTimeoutMs?: number;
  auth: Authenticator;
  /** Checked by GET /readyz in addition to the store and keys (e.g. Redis). */
  readiness: readonly ReadinessCheck[];
  /** Set when the inbox requires client certificates. */
  clientCerts: ClientCertVerifier | null;
  /** Current delivery backlog, sampled for the queue gauges (depth, waiting, oldest) on each scrape. */
  queueStats?: () => Promise<QueueStats>;
  /** Admission control of the submission routes. */
  admission: Admission;
  /** Push hook for new inbound messages (webhook to the national system). */
  onReceived?: (record: InboundRecord) => void;
}
