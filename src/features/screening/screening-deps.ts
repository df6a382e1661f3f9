/** What the manifest services are given: the gateway context plus the screening collaborators. */
import type { GatewayContext } from '../../ports/context.js';
import type { OutboundQueue } from '../../ports/queue.js';
import type { RegistryKeys } from '../../domain/registry/registry-keys.js';
import type { ScreeningWeights } from '../../domain/screening/config.js';
import type { AirportTable } from '../../domain/screening/airports.js';
import type { RegistryIndex } from './registry-index.js';

export interface ScreeningDeps {
  ctx: GatewayContext;
  /** The delivery queue: a manifest-found notification goes through the ordinary submission service. */
  queue: OutboundQueue;
  enqueueTimeoutMs?: number;
  /** Registry keys: open registrants (KEK) and compute trip keys (index key). */
  keys: RegistryKeys;
  index: RegistryIndex;
  airports: AirportTable;
  weights: ScreeningWeights;
}
