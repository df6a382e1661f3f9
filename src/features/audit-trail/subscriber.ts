/**
 * The one writer of the audit trail for events without a state change: subscribes to the EventBus and
 * appends every published domain event to store.audit, in the order published. (Events of a state
 * change are written by the store with the change, port AuditWith.) Handlers never write audit records.
 * Every event passes checkAuditEvent (./check-event.ts) before anything of its publish is appended,
 * and a publish is appended atomically: all of its events or none.
 */
import { isTnxError } from '../../core/errors.js';
import type { DomainEvent, EventBus, Subscriber } from '../../domain/audit/event-bus.js';
import { MAX_APPEND_BATCH } from '../../ports/store/index.js';
import type { AuditRepo } from '../../ports/store/index.js';
import { checkAuditEvent } from '../../domain/audit/check-event.js';

export { checkAuditEvent, PERSONAL_DATA_KEYS } from '../../domain/audit/check-event.js';

export interface AuditSubscriberOptions {
  /**
   * Group commit (default on): publishes made while an append is being scheduled — concurrent
   * delivery workers, HTTP requests — are appended in one transaction instead of one each. Each
   * publish stays contiguous and in order, and its promise still resolves only once its events are
   * stored. With SQLite the write lock is the bottleneck; fewer, larger transactions keep appends
   * ahead of the gateway (bench/store.bench.ts, BENCHMARKS.md).
   */
  groupCommit?: boolean;
}

interface Pending {
  events: DomainEvent[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** The subscriber: checks every event of a publish, then appends the publish atomically. */
export function auditSubscriber(audit: AuditRepo, options: AuditSubscriberOptions = {}): Subscriber {
  if (options.groupCommit === false) {
    return async (events) => {
      for (const e of events) checkAuditEvent(e);
      await audit.append(events.map((e) => ({ ...e })));
    };
  }
  let queue: Pending[] = [];
  let scheduled = false;
  // Flushes run one after another, so appends reach the store in the order they were published
  // even on an adapter whose calls can overtake each other (MongoDB).
  let flushing: Promise<void> = Promise.resolve();

  const flush = async (): Promise<void> => {
    const pending = queue;
    queue = [];
    scheduled = false;
    for (const chunk of chunks(pending)) {
      try {
        await audit.append(chunk.flatMap((p) => p.events));
        for (const p of chunk) p.resolve();
      } catch (err) {
        if (chunk.length > 1 && isTnxError(err, 'invalid_request')) {
          // The adapter refused something in the chunk: retry each publish alone, so one bad
          // publish fails by itself instead of taking its neighbours down.
          for (const p of chunk) await audit.append(p.events).then(p.resolve, p.reject);
        } else {
          for (const p of chunk) p.reject(err);
        }
      }
    }
  };

  return (events) => {
    for (const e of events) checkAuditEvent(e);
    return new Promise<void>((resolve, reject) => {
      queue.push({ events: events.map((e) => ({ ...e })), resolve, reject });
      if (!scheduled) {
        scheduled = true;
        // setImmediate, not a microtask: gathers the publishes of every callback in this I/O phase.
        setImmediate(() => {
          flushing = flushing.then(flush);
        });
      }
    });
  };
}

/** Split pending publishes into appends of at most MAX_APPEND_BATCH events, never splitting one. */
function* chunks(pending: Pending[]): Generator<Pending[]> {
  let chunk: Pending[] = [];
  let size = 0;
  for (const p of pending) {
    if (chunk.length > 0 && size + p.events.length > MAX_APPEND_BATCH) {
      yield chunk;
      chunk = [];
      size = 0;
    }
    chunk.push(p);
    size += p.events.length;
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Wire the audit trail to a bus; returns the unsubscribe function. Published events only: announced
 * ones were written with their state change (store port AuditWith) and are in the trail already.
 */
export function attachAuditTrail(bus: EventBus, audit: AuditRepo, options?: AuditSubscriberOptions): () => void {
  return bus.subscribe(auditSubscriber(audit, options), { publishedOnly: true });
}
