/**
 * The demo's story, told through the public HTTP API of two running gateways (as a national system and
 * a point of contact would use them): USA submits notifications to GBR with departures near and far,
 * one to a state that runs no gateway, then cancels one trip; GBR's point of contact reports back on
 * the first notification. Each step waits for the outcome, so the printout shows real receipts.
 */
import { decodeJwt } from 'jose';
import type { RunningGateway } from '../../runtime/run-gateway.js';
import type { OutboundRecord } from '../../ports/store/index.js';
import { TERMINAL_STATES } from '../../ports/store/index.js';
import { sampleCancel, sampleNotification } from './samples.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface Party {
  state: string;
  url: string;
  gw: RunningGateway;
  submitter: string;
  poc: string;
}

export interface Outcome {
  label: string;
  record: OutboundRecord | null;
  /** What the demo expected, to tell a working run from a broken one. */
  expected: OutboundRecord['state'];
  receiptJti: string | null;
}

export interface FollowUpOutcome {
  record: OutboundRecord | null;
  receiptJti: string | null;
  /** The follow-up as recorded by the origin, against its notification. */
  recordedAtOrigin: boolean;
  notificationId: string | null;
}

export interface ScenarioResult {
  outcomes: Outcome[];
  followUp: FollowUpOutcome;
}

async function call(
  url: string,
  token: string,
  method: 'GET' | 'POST',
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function submit(p: Party, path: '/api/v1/notifications' | '/api/v1/updates', body: unknown): Promise<string> {
  const r = await call(`${p.url}${path}`, p.submitter, 'POST', body);
  if (r.status !== 202)
    throw new Error(`${p.state} answered ${r.status} to a submission (${JSON.stringify(r.json.code ?? '')})`);
  return r.json.id as string;
}

/** Poll the store until the record is final (or `ms` passes); returns its last state. */
export async function settle(gw: RunningGateway, id: string, ms = 30_000): Promise<OutboundRecord | null> {
  const end = Date.now() + ms;
  for (;;) {
    const rec = await gw.ctx.store.outbound.get(id);
    if (!rec || TERMINAL_STATES.includes(rec.state) || Date.now() > end) return rec;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function receiptJtiOf(rec: OutboundRecord | null): string | null {
  if (!rec?.receiptJws) return null;
  const jti = decodeJwt(rec.receiptJws).jti;
  return typeof jti === 'string' ? jti : null;
}

export async function runScenario(usa: Party, gbr: Party): Promise<ScenarioResult> {
  const now = Date.now();
  const plan = [
    { label: 'departs in 10 days', destination: gbr.state, departAt: now + 10 * DAY, expected: 'delivered' as const },
    {
      label: 'departs in 6 hours (near)',
      destination: gbr.state,
      departAt: now + 6 * HOUR,
      expected: 'delivered' as const,
    },
    {
      label: 'departs in 90 minutes (very near)',
      destination: gbr.state,
      departAt: now + 90 * 60_000,
      expected: 'delivered' as const,
    },
    {
      label: 'to PHL, which runs no gateway',
      destination: 'PHL',
      departAt: now + 5 * DAY,
      expected: 'no_channel' as const,
    },
    {
      label: 'departs in 3 days, cancelled later',
      destination: gbr.state,
      departAt: now + 3 * DAY,
      expected: 'delivered' as const,
    },
  ];
  const ids: string[] = [];
  for (const p of plan)
    ids.push(
      await submit(
        usa,
        '/api/v1/notifications',
        sampleNotification({ origin: usa.state, destination: p.destination, departureAt: p.departAt }),
      ),
    );

  const outcomes: Outcome[] = [];
  for (const [i, p] of plan.entries()) {
    const record = await settle(usa.gw, ids[i]!);
    outcomes.push({
      label: `TravelNotification ${p.label}`,
      record,
      expected: p.expected,
      receiptJti: receiptJtiOf(record),
    });
  }

  // The subject did not board: a TravelUpdate cancel travels the same way as the notification.
  const cancelId = await submit(
    usa,
    '/api/v1/updates',
    sampleCancel({ origin: usa.state, destination: gbr.state, notificationId: ids[4]! }),
  );
  const cancel = await settle(usa.gw, cancelId);
  outcomes.push({
    label: `TravelUpdate cancel of #5`,
    record: cancel,
    expected: 'delivered',
    receiptJti: receiptJtiOf(cancel),
  });

  return { outcomes, followUp: await followUpBack(usa, gbr, ids[0]!) };
}

/** GBR's point of contact reports back on the first notification; USA records it against that notification. */
async function followUpBack(usa: Party, gbr: Party, notificationId: string): Promise<FollowUpOutcome> {
  const inbox = await call(
    `${gbr.url}/api/v1/inbox?notificationId=${encodeURIComponent(notificationId)}`,
    gbr.poc,
    'GET',
  );
  const items = (inbox.json.items ?? []) as { id: string; messageType: string }[];
  const received = items.find((i) => i.messageType === 'TravelNotification');
  if (!received) return { record: null, receiptJti: null, recordedAtOrigin: false, notificationId };
  const fu = await call(`${gbr.url}/api/v1/inbox/${received.id}/follow-ups`, gbr.poc, 'POST', {
    action: 'monitored',
    note: 'Met on arrival by the liaison officer.',
  });
  if (fu.status !== 202) return { record: null, receiptJti: null, recordedAtOrigin: false, notificationId };
  const record = await settle(gbr.gw, fu.json.id as string);
  let recorded = false;
  const end = Date.now() + 10_000;
  while (!recorded && Date.now() < end) {
    const page = await usa.gw.ctx.store.audit.query(
      { messageId: notificationId, action: 'followup.received' },
      { limit: 1 },
    );
    recorded = page.items.length > 0;
    if (!recorded) await new Promise((r) => setTimeout(r, 50));
  }
  return { record, receiptJti: receiptJtiOf(record), recordedAtOrigin: recorded, notificationId };
}
