/**
 * What every part of a running gateway is handed: one object built once at start-up
 * (src/gateway/create-context.ts), so modules take their collaborators instead of importing globals.
 */
import type { Logger } from 'pino';
import type { TnxConfig } from './config/schema.js';
import type { Directory } from './directory/directory.js';
import type { EventBus } from './events/bus.js';
import type { KeyRing } from './keys/keyring.js';
import type { Metrics } from './observability/metrics.js';
import type { Store } from './store/port.js';
import type { Clock } from './util/clock.js';

export interface GatewayContext {
  readonly config: TnxConfig;
  readonly store: Store;
  readonly events: EventBus;
  /** Our own private keys (signing, decryption), with rotation state. */
  readonly keys: KeyRing;
  /** Partner states, their endpoints, points of contact and pinned public keys. */
  readonly directory: Directory;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: Metrics;
}
