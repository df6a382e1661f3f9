/**
 * De-duplication across sources. The trip index maps a trip key (HMAC of registrant,
 * first flight and local date; src/domain/travel-reports/trip-key.ts) to the notifications sent for it.
 * Manifest screening calls `findNotifiedTrip` before notifying, and `recordSecondSource` when the trip
 * is known: the second source goes onto the first notifications (`source.alsoFoundBy`) and no second
 * notice is sent.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { SourceKind, TravelNotification } from '../../domain/protocol/types.js';
import type { TripEntry } from '../../ports/store/index.js';
import { recordAlsoFoundBy } from '../../domain/travel-reports/trip-key.js';

export async function findNotifiedTrip(ctx: GatewayContext, tripKey: string): Promise<TripEntry | null> {
  return ctx.store.trips.get(tripKey);
}

/** Record `kind` on every notification of the trip; idempotent. Returns the entry, or null for an unknown trip. */
export async function recordSecondSource(
  ctx: GatewayContext,
  tripKey: string,
  kind: SourceKind,
  actor: string,
): Promise<TripEntry | null> {
  const entry = await ctx.store.trips.addSource(tripKey, kind);
  if (!entry) return null;
  for (const id of entry.notificationIds) {
    for (let round = 0; round < 5; round += 1) {
      const rec = await ctx.store.outbound.get(id);
      if (!rec || rec.messageType !== 'TravelNotification') break;
      const message = rec.message as TravelNotification;
      const source = recordAlsoFoundBy(message.source, kind);
      if (source === message.source) break;
      // LED Art 25(1) "combination": two sources about one person's trip were joined on this record;
      // the change and its audit event are written together (store port AuditWith).
      const done = await ctx.store.outbound.update(id, rec.version, { message: { ...message, source } }, (r) => [
        {
          action: 'personal_data.combined',
          actor,
          at: ctx.clock.now(),
          messageId: r.id,
          partner: r.partner,
          outcome: 'also_found_by',
          detail: { source: kind },
        },
      ]);
      if (!done) continue; // a worker moved it meanwhile: read again
      break;
    }
  }
  return entry;
}
