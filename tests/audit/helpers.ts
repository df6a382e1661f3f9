/**
 * Shared setup for the audit tests: a real SQLite store in a temp folder, real generated keys, and a
 * trail seeded through the EventBus and the audit subscriber — the same path the gateway uses.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { JSONWebKeySet } from 'jose';
import { auditJwksOf } from '../../src/features/audit-trail/audit-jwks.js';
import { AuditSealer } from '../../src/features/audit-trail/sealer.js';
import { attachAuditTrail } from '../../src/features/audit-trail/subscriber.js';
import { EventBus, type DomainEvent } from '../../src/domain/audit/event-bus.js';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import type { Jwks } from '../../src/domain/keys/jwk.js';
import { KeyRing } from '../../src/domain/keys/keyring.js';
import { openSqliteStore } from '../../src/adapters/store-sqlite/open-sqlite-store.js';
import type { Store } from '../../src/ports/store/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { tempDir } from '../harness/tmp.js';

export const T0 = Date.parse('2026-11-27T10:00:00Z');
export const INTERVAL_MS = 60_000;

export interface AuditFixture {
  dir: string;
  path: string;
  store: Store;
  bus: EventBus;
  clock: ManualClock;
  privateJwks: Jwks;
  keys: KeyRing;
  jwks: JSONWebKeySet;
  sealer: AuditSealer;
}

export async function auditFixture(name = 'audit'): Promise<AuditFixture> {
  const dir = tempDir(name);
  const path = join(dir, 'tnx.sqlite');
  const clock = new ManualClock(T0);
  const store = await openSqliteStore({ path, clock });
  const bus = new EventBus();
  attachAuditTrail(bus, store.audit);
  const privateJwks = await generateKeySet('XAA', clock);
  const keys = await KeyRing.fromJwks(privateJwks);
  const sealer = new AuditSealer({
    store,
    signingKey: () => keys.signingKey(),
    state: 'XAA',
    clock,
    intervalMs: INTERVAL_MS,
    events: bus,
    holder: 'sealer-a',
  });
  return { dir, path, store, bus, clock, privateJwks, keys, jwks: auditJwksOf(privateJwks), sealer };
}

/** A typical event: references and outcomes only. */
export function event(i: number, clock: ManualClock): DomainEvent {
  const kinds = [
    'notification.accepted',
    'notification.sealed',
    'notification.queued',
    'delivery.attempt',
    'notification.delivered',
  ] as const;
  const action = kinds[i % kinds.length]!;
  return {
    action,
    actor: i % 7 === 0 ? 'XBB' : 'submitter-1',
    at: clock.now(),
    messageId: `msg-${Math.floor(i / kinds.length)}`,
    partner: i % 2 === 0 ? 'XBB' : 'XCC',
    outcome: action === 'delivery.attempt' ? 'delivered' : 'ok',
    detail: action === 'delivery.attempt' ? { attempt: 1, httpStatus: 200, durationMs: 12 } : { ref: `r-${i}` },
  };
}

/**
 * Publish `count` events in batches of `batch`, one second apart, sealing (one tick) whenever
 * `sealEvery` events were published — so checkpoints land mid-trail like in a running gateway.
 */
export async function seed(
  f: AuditFixture,
  count: number,
  options: { batch?: number; sealEvery?: number } = {},
): Promise<void> {
  const batch = options.batch ?? 5;
  let sinceSeal = 0;
  for (let i = 0; i < count; i += batch) {
    const events: DomainEvent[] = [];
    for (let j = i; j < Math.min(count, i + batch); j++) events.push(event(j, f.clock));
    await f.bus.publish(...events);
    f.clock.advance(1000);
    sinceSeal += events.length;
    if (options.sealEvery && sinceSeal >= options.sealEvery) {
      f.clock.advance(INTERVAL_MS);
      const cp = await f.sealer.tick();
      if (!cp) throw new Error('seed: the sealer did not sign');
      sinceSeal = 0;
    }
  }
}

/** A second, independent connection to the same file: how an intruder with file access edits the trail. */
export function rawDb(path: string): Database.Database {
  return new Database(path);
}
