/**
 * What every part of a running gateway is handed: one object built once at start-up
 * (src/runtime/create-context.ts), so modules take their collaborators instead of importing globals.
 */
import type { Logger } from 'pino';
import type { TnxConfig } from '../config/schema.js';
import type { Directory } from '../domain/directory/directory.js';
import type { EventBus } from '../domain/audit/event-bus.js';
import type { KeyRing } from '../domain/keys/keyring.js';
import type { Metrics } from '../core/metrics.js';
import type { Store } from './store/index.js';
import type { Clock } from '../core/clock.js';
import type { NetworkDirectoryView } from './network-directory.js';

export interface GatewayContext {
  readonly config: TnxConfig;
  readonly store: Store;
  readonly events: EventBus;
  /** Our own private keys (signing, decryption), with rotation state. */
  readonly keys: KeyRing;
  /** Partner states, their endpoints, points of contact and pinned public keys. */
  readonly directory: Directory;
  /** The signed network directory followed (config directory.network), or null with a local partner list. */
  readonly network?: NetworkDirectoryView | null;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: Metrics;
}
