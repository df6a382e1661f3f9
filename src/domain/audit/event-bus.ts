/**
 * Domain events, emitted from one place and named `<entity>.<action>` (node-oidc-provider
 * docs/events.md). The audit trail subscribes (src/features/audit-trail/subscriber.ts); handlers never write audit
 * records by hand. `publish` awaits every subscriber, so when it resolves the audit event is durable:
 * a step is not reported done before it is provable.
 */
import type { AuditEventInput } from './event.js';

/** A domain event carries references and outcomes only, never personal data. */
export type DomainEvent = AuditEventInput;

export type Subscriber = (events: readonly DomainEvent[]) => Promise<void>;

export class EventBus {
  readonly #subscribers: Subscriber[] = [];

  subscribe(fn: Subscriber): () => void {
    this.#subscribers.push(fn);
    return () => {
      const i = this.#subscribers.indexOf(fn);
      if (i >= 0) this.#subscribers.splice(i, 1);
    };
  }

  /** Publish one or several events (several = appended atomically, in order). */
  async publish(...events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const fn of this.#subscribers) await fn(events);
  }
}
