/** Shared fixtures of the store conformance suite. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isTnxError } from '../../../src/core/errors.js';
import type { TnxMessage } from '../../../src/domain/protocol/types.js';
import type { InboundRecord, NewOutbound, Store } from '../../../src/ports/store/index.js';

export interface ConformanceContext {
  /** The suite's main instance (opened in `before`). */
  store(): Store;
  /** Another instance on the same database, closed after the suite. */
  another(): Promise<Store>;
}

export function newOutbound(over: Partial<NewOutbound> = {}): NewOutbound {
  const id = randomUUID();
  return {
    id,
    messageType: 'TravelNotification',
    notificationId: id,
    partner: 'FRA',
    state: 'accepted',
    submittedBy: 'tok-submitter',
    idempotencyKey: null,
    requestHash: 'h-' + id.slice(0, 8),
    message: { type: 'TravelNotification', notificationId: id } as unknown as TnxMessage,
    source: null,
    departureAt: null,
    createdAt: 1_600_000_000_000,
    ...over,
  };
}

export function newInbound(over: Partial<InboundRecord> = {}): InboundRecord {
  const id = randomUUID();
  return {
    id,
    iss: 'FRA',
    jti: randomUUID(),
    messageType: 'TravelNotification',
    notificationId: randomUUID(),
    message: { type: 'TravelNotification', n: 1 } as unknown as TnxMessage,
    digest: 'digest-' + id.slice(0, 8),
    receivedAt: 1_650_000_000_000,
    receiptJws: 'eyJ.receipt.' + id.slice(0, 8),
    departureAt: 1_650_100_000_000,
    ...over,
  };
}

export function pick<T extends object>(o: T, keys: (keyof T)[]): Partial<T> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Partial<T>;
}

export function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

export function tagName(): string {
  return `conf_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

export function code(c: string) {
  return (err: unknown) => {
    assert.ok(isTnxError(err), `expected a TnxError, got ${String(err)}`);
    assert.equal(err.code, c);
    return true;
  };
}
