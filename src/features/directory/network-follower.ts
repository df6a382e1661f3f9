/**
 * The network-directory follower as the gateway runs it: built from config.directory.network, its
 * events published on the one event bus (so they reach the audit trail), and its unhealthy states —
 * stale, expired, a document refused, our own keys not listed — raised as alerts on the one alert
 * path (./directory-alerts.ts: log line, tnx_alerts_total{kind="directory"}, the alert webhook), once
 * per issue so an operator is told, not flooded.
 */
import type { Logger } from 'pino';
import type { TnxConfig } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { DomainEvent, EventBus } from '../../domain/audit/event-bus.js';
import type { Directory } from '../../domain/directory/directory.js';
import { loadTrustAnchors } from '../../domain/directory/network-jws.js';
import type { KeyRing } from '../../domain/keys/keyring.js';
import type { StateCode } from '../../domain/protocol/types.js';
import { DirectoryFollower } from './follower.js';
import { ownUsableKids } from '../../domain/directory/network-partners.js';
import type { DirectoryAlerts } from './directory-alerts.js';

export interface NetworkFollowerParts {
  config: TnxConfig;
  directory: Directory;
  events: EventBus;
  keys: KeyRing;
  clock: Clock;
  log: Logger;
  alerts: DirectoryAlerts;
}

/** The follower for config.directory.network, or null when the gateway uses a local partner list. */
export function createNetworkFollower(parts: NetworkFollowerParts): DirectoryFollower | null {
  const net = parts.config.directory.network;
  if (!net) return null;
  const { log, alerts } = parts;
  let missingAlerted: number | null = null;
  const follower: DirectoryFollower = new DirectoryFollower({
    url: net.url,
    network: net.name,
    anchors: loadTrustAnchors(net.trustAnchorsPath),
    self: parts.config.state,
    // checkNetworkDirectory refuses a configuration without one.
    statePath: net.statePath!,
    directory: parts.directory,
    clock: parts.clock,
    events: {
      async publish(...events: DomainEvent[]) {
        await parts.events.publish(...events);
        for (const e of events) {
          const serial = typeof e.detail?.serial === 'number' ? e.detail.serial : null;
          if (e.action === 'directory.stale' || e.action === 'directory.expired')
            await alerts.raise(e.action === 'directory.stale' ? 'stale' : 'expired', serial);
          // The follower publishes one refusal per distinct bad document, so this alerts once for each.
          if (e.action === 'directory.refused')
            await alerts.raise('refused', follower.status().serial, { code: e.outcome ?? null, refusedSerial: serial });
          if (e.action === 'directory.applied') {
            const s = follower.status();
            if (s.ownKeysMissing.length > 0 && missingAlerted !== s.serial) {
              missingAlerted = s.serial;
              await alerts.raise('own_keys_missing', s.serial, { kids: s.ownKeysMissing });
            }
          }
        }
      },
    },
    limits: net.defaultLimits,
    limitsFor: (state: StateCode) => net.limits[state],
    ownKids: () => parts.keys.publicJwks().keys.map((k) => k.kid),
    intervalMs: net.intervalSeconds * 1000,
    timeoutMs: net.timeoutSeconds * 1000,
    maxBytes: net.maxBytes,
    log,
  });
  // Sign with a key partners accept: the newest of ours the directory lists as usable now.
  parts.keys.signWithListedKeys(() => {
    const doc = follower.current();
    return doc ? ownUsableKids(doc, parts.config.state, parts.clock.now()) : null;
  });
  return follower;
}
