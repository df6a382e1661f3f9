/**
 * Domain events, emitted from one place and named `<entity>.<action>` (node-oidc-provider
 * docs/events.md). One path into the audit trail: a state change hands its events to the store write
 * that makes it (store port AuditWith), so the two are stored together; an event without a state
 * change — a read, a query, a refusal — is published here and the audit trail's one writer
 * (src/features/audit-trail/subscriber.ts) appends it. Handlers never write audit records by hand.
 * `publish` awaits every subscriber, so when it resolves the audit event is durable: a step is not
 * reported done before it is provable.
 *
 * Other subscribers follow events in-process: the screening index follows the registry's changes.
 * Events already stored with their change reach them through `announce` — called where a follower
 * needs them, today the registry's writes — which the audit writer does not hear: they are in the
 * trail already.
 */
import type { AuditEventInput } from './event.js';

/** A domain event carries references and outcomes only, never personal data. */
export type DomainEvent = AuditEventInput;

export type Subscriber = (events: readonly DomainEvent[]) => Promise<void>;

export interface SubscribeOptions {
  /** Hear only published events, not announced ones (the audit trail's writer: those are stored already). */
  publishedOnly?: boolean;
}

export class EventBus {
  readonly #subscribers: { fn: Subscriber; publishedOnly: boolean }[] = [];

  subscribe(fn: Subscriber, options: SubscribeOptions = {}): () => void {
    const entry = { fn, publishedOnly: options.publishedOnly === true };
    this.#subscribers.push(entry);
    return () => {
      const i = this.#subscribers.indexOf(entry);
      if (i >= 0) this.#subscribers.splice(i, 1);
    };
  }

  /** Publish one or several events without a state change (several = appended atomically, in order). */
  async publish(...events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const s of [...this.#subscribers]) await s.fn(events);
  }

  /**
   * Tell the followers about events the store has just written with their state change (port
   * AuditWith). Nothing is recorded here: a crash before this call loses only an in-process
   * notification, which the followers' own rebuild covers.
   */
  async announce(...events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const s of [...this.#subscribers]) if (!s.publishedOnly) await s.fn(events);
  }
}
