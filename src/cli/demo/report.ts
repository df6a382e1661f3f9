/**
 * What the demo prints: for each message its delivery state, the receipt (jti, digest, receivedAt),
 * the lead time before departure and its timeliness; then how to use the running gateways. References
 * only — no names or dates of birth are printed, exactly as in the gateway's own logs.
 */
import { isoTime } from '../../core/clock.js';
import type { OutboundRecord } from '../../ports/store/index.js';
import type { Party, ScenarioResult } from './scenario.js';
import { tokenFor, type StateSetup } from './two-states.js';

const iso = (t: number | null): string => (t === null ? '-' : isoTime(t));

function inHuman(ms: number): string {
  const h = ms / 3600_000;
  return h >= 48 ? `${(h / 24).toFixed(1)} d` : h >= 1 ? `${h.toFixed(1)} h` : `${Math.round(ms / 60_000)} min`;
}

function describeRecord(rec: OutboundRecord | null, receiptJti: string | null, submittedAt: number): string[] {
  if (!rec) return ['     not found'];
  const lines = [`     id ${rec.id}  →  ${rec.partner}   state ${rec.state}   attempts ${rec.attempts}`];
  if (rec.departureAt !== null)
    lines.push(`     departure ${iso(rec.departureAt)} (in ${inHuman(rec.departureAt - submittedAt)} at submission)`);
  if (rec.state === 'delivered') {
    lines.push(`     receipt jti ${receiptJti ?? '-'}  digest ${rec.receiptDigest ?? '-'}`);
    lines.push(
      `     received by ${rec.partner} at ${iso(rec.deliveredAt)}  (${rec.deliveredAt !== null ? rec.deliveredAt - rec.createdAt : '-'} ms after submission)`,
    );
    if (rec.leadTimeSeconds !== null)
      lines.push(`     lead time ${(rec.leadTimeSeconds / 3600).toFixed(2)} h before departure  →  ${rec.timeliness}`);
  } else if (rec.state === 'no_channel') {
    lines.push(`     ${rec.partner} runs no gateway: stored as no_channel for manual handling by our point of contact`);
  } else if (rec.lastError) {
    lines.push(`     last error ${rec.lastError}`);
  }
  return lines;
}

export function resultLines(usa: Party, gbr: Party, result: ScenarioResult): string[] {
  const out: string[] = [
    `Submitted by the ${usa.state} national system (POST ${usa.url}/api/v1/notifications, /api/v1/updates):`,
  ];
  result.outcomes.forEach((o, i) => {
    const ok = o.record?.state === o.expected;
    out.push(`  ${i + 1}. ${o.label}  ${ok ? '✓' : `✗ expected ${o.expected}`}`);
    out.push(...describeRecord(o.record, o.receiptJti, o.record?.createdAt ?? Date.now()));
  });
  const fu = result.followUp;
  out.push('', `Follow-up travelling back (${gbr.state} point of contact → ${usa.state}):`);
  out.push(
    `  ${fu.record?.state === 'delivered' && fu.recordedAtOrigin ? '✓' : '✗'} FollowUpReport "monitored" on notification ${fu.notificationId ?? '-'}`,
  );
  out.push(...describeRecord(fu.record, fu.receiptJti, fu.record?.createdAt ?? Date.now()));
  out.push(
    `     ${usa.state} recorded it against its notification: ${fu.recordedAtOrigin ? 'yes (audit event followup.received)' : 'no'}`,
  );
  return out;
}

export function allAsExpected(result: ScenarioResult): boolean {
  return (
    result.outcomes.every((o) => o.record?.state === o.expected) &&
    result.followUp.record?.state === 'delivered' &&
    result.followUp.recordedAtOrigin
  );
}

export function usageLines(setups: Record<string, StateSetup>, samplePath: string): string[] {
  const out = ['Gateways (loopback only; DEMO keys and tokens — never use them anywhere else):'];
  for (const s of Object.values(setups)) {
    out.push(`  ${s.state}  ${s.url}   config ${s.configPath}`);
    for (const t of s.tokens) out.push(`       ${t.role.padEnd(9)} token  ${t.secret}`);
  }
  const [a, b] = Object.values(setups) as [StateSetup, StateSetup];
  const sub = tokenFor(a.tokens, 'submitter');
  out.push(
    '',
    'Try:',
    `  curl -s ${a.url}/readyz`,
    `  curl -s -X POST ${a.url}/api/v1/notifications -H 'Authorization: Bearer ${sub}' -H 'Content-Type: application/json' --data @${samplePath}`,
    `  curl -s ${a.url}/api/v1/notifications -H 'Authorization: Bearer ${tokenFor(a.tokens, 'auditor')}'`,
    `  curl -s ${b.url}/api/v1/inbox -H 'Authorization: Bearer ${tokenFor(b.tokens, 'poc')}'`,
    `  curl -s '${a.url}/api/v1/audit?limit=20' -H 'Authorization: Bearer ${tokenFor(a.tokens, 'auditor')}'`,
    ...(a.metricsUrl ? [`  curl -s ${a.metricsUrl}/metrics | grep ^tnx_   (metrics listener, not the API port)`] : []),
  );
  return out;
}

/** Where to open the console and who to sign in as (the demo provider's users, made for this run). */
export function consoleLines(
  setups: Record<string, StateSetup>,
  idp: { issuer: string; users: readonly { login: string; password: string; role: string }[] },
): string[] {
  const out = ['Console (sign in through the demo OpenID provider at ' + idp.issuer + '):'];
  for (const s of Object.values(setups)) out.push(`  ${s.state}  ${s.url}/console`);
  out.push('  Demo sign-in (user / password), one per role, valid on both gateways for this run:');
  for (const u of idp.users) out.push(`    ${u.role.padEnd(9)}  user ${u.login}  password ${u.password}`);
  return out;
}
