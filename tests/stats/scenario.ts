/**
 * The seeded statistics scenario (issue 5 §4), on 2026-12-01 (UTC):
 *
 * Sent (through the real registry → travel report → submission path, then delivery outcomes applied
 * to the stored records as the delivery worker would):
 *   report 1, on time (30 days' notice), FRA/DEU/THA: FRA delivered 29 d before departure (on time),
 *            DEU no channel (not in the directory), THA delivered 10 h before departure (late delivery)
 *   report 2, LATE self-report (5 days' notice), FRA/DEU/THA: FRA failed, DEU no channel,
 *            THA delivered 2 h AFTER departure
 *   report 3, on time, GBR only: delivered 48 h before departure
 *   one manifest-match notification to THA, still queued
 *   report 4 on 2026-12-03: outside the range, must not count
 * Follow-ups partners reported back: FRA interviewed ×1; THA entry_denied ×1, monitored ×2.
 *
 * Received: THA self-report on time, lead 5 d; THA manifest match, arrived 1 h after departure; GBR late
 * self-report, lead 12 h; one THA notification on 2026-12-03 (outside). Follow-ups we sent: THA monitored,
 * GBR visa_refused.
 */
import { randomUUID } from 'node:crypto';
import { classifyLeadTime } from '../../src/features/delivery/timeliness.js';
import { submitMessage } from '../../src/features/submission/submit.js';
import { createRegistrant } from '../../src/features/registry/registry-service.js';
import { createTravelReport } from '../../src/features/travel-reports/travel-report-service.js';
import type { FollowUpAction, FollowUpReport, TravelNotification } from '../../src/domain/protocol/types.js';
import type { InboundRecord, Store } from '../../src/ports/store/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { inboundNotification } from '../gateway/bootstrap.js';
import { DAY, HOUR, NOW } from '../travel-reports/fixtures.js';
import type { NationalGateway } from '../national/setup.js';
import { registrantBody, travelBody } from '../national/samples.js';

export const RANGE = { from: '2026-12-01', to: '2026-12-02' };
export const scenarioClock = (): ManualClock => new ManualClock(NOW);

const staff = { id: 'registry', role: 'registry' as const };

async function deliver(store: Store, id: string, leadMs: number): Promise<void> {
  const rec = (await store.outbound.get(id))!;
  const deliveredAt = rec.departureAt! - leadMs;
  await store.outbound.transition(id, ['queued', 'accepted'], 'delivering');
  await store.outbound.transition(id, ['delivering'], 'delivered', {
    deliveredAt,
    ...classifyLeadTime(rec.departureAt, deliveredAt, 24),
  });
}

async function fail(store: Store, id: string): Promise<void> {
  await store.outbound.transition(id, ['queued', 'accepted'], 'delivering');
  await store.outbound.transition(id, ['delivering'], 'failed', { lastError: 'http_400' });
}

function followUp(origin: string, destination: string, notificationId: string, action: FollowUpAction): FollowUpReport {
  return {
    v: '1',
    type: 'FollowUpReport',
    followUpId: randomUUID(),
    notificationId,
    origin,
    destination,
    action,
    actionAt: '2026-12-01T12:00:00Z',
  };
}

async function receive(
  store: Store,
  message: TravelNotification | FollowUpReport,
  receivedAt: number,
  departureAt: number | null,
): Promise<void> {
  const rec: InboundRecord = {
    id: randomUUID(),
    iss: message.origin,
    jti: randomUUID(),
    messageType: message.type,
    notificationId: message.notificationId,
    message,
    digest: randomUUID(),
    receivedAt,
    receiptJws: 'receipt',
    departureAt,
  };
  await store.inbound.insertOnce(rec);
}

function received(origin: string, kind: 'self_report' | 'manifest_match', late: boolean): TravelNotification {
  const n = inboundNotification(origin);
  n.source = { kind };
  n.report = { ...n.report, late };
  return n;
}

export async function seedScenario(gw: NationalGateway, clock: ManualClock): Promise<void> {
  const { national } = gw;
  const store = gw.ctx.store;
  const reg = async () => (await createRegistrant(national, staff, registrantBody())).id;
  const report = (id: string, days: number, travel = travelBody(NOW + days * DAY, NOW)) =>
    createTravelReport(national, staff, id, { travel });

  const r1 = await report(await reg(), 30);
  await deliver(store, r1.notificationIds.FRA!, 29 * DAY);
  await deliver(store, r1.notificationIds.THA!, 10 * HOUR);
  const r2 = await report(await reg(), 5);
  await fail(store, r2.notificationIds.FRA!);
  await deliver(store, r2.notificationIds.THA!, -2 * HOUR);
  const gbrTravel = { ...travelBody(NOW + 30 * DAY, NOW), destinationCountries: ['GBR'], accommodation: [] };
  const r3 = await report(await reg(), 30, gbrTravel);
  await deliver(store, r3.notificationIds.GBR!, 48 * HOUR);

  const manifest = inboundNotification('USA');
  manifest.destination = 'THA';
  manifest.travel.destinationCountries = ['THA'];
  for (const a of manifest.travel.accommodation ?? []) a.country = 'THA';
  manifest.source = { kind: 'manifest_match' };
  const { notificationId: _n, origin: _o, ...body } = manifest;
  await submitMessage(national.submit, {
    principal: { id: 'screening', role: 'screening' },
    idempotencyKey: null,
    body,
    expect: 'TravelNotification',
  });

  await receive(store, followUp('FRA', 'USA', r1.notificationIds.FRA!, 'interviewed'), NOW + HOUR, null);
  await receive(store, followUp('THA', 'USA', r1.notificationIds.THA!, 'entry_denied'), NOW + HOUR, null);
  await receive(store, followUp('THA', 'USA', r2.notificationIds.THA!, 'monitored'), NOW + 2 * HOUR, null);
  await receive(store, followUp('THA', 'USA', r1.notificationIds.THA!, 'monitored'), NOW + 3 * HOUR, null);

  await receive(store, received('THA', 'self_report', false), NOW, NOW + 5 * DAY);
  await receive(store, received('THA', 'manifest_match', false), NOW + 2 * HOUR, NOW + HOUR);
  await receive(store, received('GBR', 'self_report', true), NOW + 4 * HOUR, NOW + 16 * HOUR);
  await receive(store, received('THA', 'self_report', false), NOW + 2 * DAY, NOW + 9 * DAY);

  for (const [partner, action] of [
    ['THA', 'monitored'],
    ['GBR', 'visa_refused'],
  ] as const) {
    const m = followUp('USA', partner, randomUUID(), action);
    await store.outbound.insert({
      id: m.followUpId,
      messageType: 'FollowUpReport',
      notificationId: m.notificationId,
      partner,
      state: 'accepted',
      submittedBy: 'poc',
      idempotencyKey: null,
      requestHash: randomUUID(),
      message: m,
      source: null,
      departureAt: null,
      createdAt: NOW + HOUR,
    });
  }

  clock.set(NOW + 2 * DAY);
  await report(await reg(), 30, travelBody(NOW + 32 * DAY, NOW + 2 * DAY));
  clock.set(NOW);
}
