/**
 * Build the GatewayContext (src/ports/context.ts) from a validated TnxConfig: store, event bus wired to the
 * audit trail, our KeyRing, the partner Directory, the registry keys, clock, logger and metrics — and
 * `close()`.
 * Everything a gateway process holds open is opened here, so everything is closed here too.
 */
import type { Logger } from 'pino';
import { attachAuditTrail } from '../features/audit-trail/subscriber.js';
import { createNetworkFollower } from '../features/directory/network-follower.js';
import type { DirectoryFollower } from '../features/directory/follower.js';
import { DirectoryAlerts } from '../features/directory/directory-alerts.js';
import type { TnxConfig } from '../config/schema.js';
import type { GatewayContext } from '../ports/context.js';
import { Directory } from '../domain/directory/directory.js';
import { EventBus } from '../domain/audit/event-bus.js';
import { isDevKeyFile, KeyRing, type KeyRingOptions } from '../domain/keys/keyring.js';
import { loadRegistryKeys, type RegistryKeys } from '../domain/registry/registry-keys.js';
import { createLogger } from '../core/logger.js';
import { Metrics } from '../core/metrics.js';
import type { Store } from '../ports/store/index.js';
import { openStore } from './open-store.js';
import { systemClock, type Clock } from '../core/clock.js';

export interface RunningContext extends GatewayContext {
  /** The registry's KEK and blind-index keys, loaded once here when config.registry is set. */
  readonly registryKeys: RegistryKeys | null;
  /** The network-directory follower (config directory.network), not yet started; null otherwise. */
  readonly network: DirectoryFollower | null;
  /** Its alerts; run-gateway attaches the webhook queue once it is open. */
  readonly directoryAlerts: DirectoryAlerts | null;
  close(): Promise<void>;
}

export interface CreateContextOptions {
  clock?: Clock;
  log?: Logger;
  /** Use this store instead of opening one from config (tests). */
  store?: Store;
  keyRing?: KeyRingOptions;
  /** Collect Node process metrics too (the `serve` command; off in tests with several gateways). */
  defaultMetrics?: boolean;
}

export async function createContext(config: TnxConfig, options: CreateContextOptions = {}): Promise<RunningContext> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger({ level: config.log.level, base: { state: config.state } });
  // Keys and directory first: they fail fast on bad material and hold nothing open.
  // keys/dev/ is published on purpose and git does not keep file modes: the 0600 check protects nothing
  // there, so demo keys are exempt wherever a context is built (tnx serve warns that they are in use).
  const keyRingOptions = options.keyRing ?? { allowInsecureMode: isDevKeyFile(config.keys.privateJwksPath) };
  const keys = await KeyRing.fromFile(config.keys.privateJwksPath, keyRingOptions);
  // The clock decides key validity windows and the network directory's expiry.
  const directory = new Directory(config, { clock });
  await directory.importAll();
  // The registry API and manifest screening share one copy of the key material.
  const registryKeys = config.registry ? loadRegistryKeys(config.registry) : null;
  const store = options.store ?? (await openStore(config.store, clock));
  const events = new EventBus();
  const detach = attachAuditTrail(events, store.audit);
  const metrics = new Metrics({ defaultMetrics: options.defaultMetrics ?? false });
  // Built here (it checks its trust anchors), started by run-gateway after the store and audit trail.
  const directoryAlerts = config.directory.network
    ? new DirectoryAlerts({ state: config.state, log, metrics, clock, webhookUrl: config.delivery.alertWebhookUrl })
    : null;
  const network = directoryAlerts
    ? createNetworkFollower({ config, directory, events, keys, clock, log, alerts: directoryAlerts })
    : null;

  let closed = false;
  return {
    config,
    store,
    events,
    keys,
    directory,
    network,
    directoryAlerts,
    clock,
    log,
    metrics,
    registryKeys,
    async close() {
      if (closed) return;
      closed = true;
      detach();
      await store.close();
    },
  };
}
