/**
 * Manifests, their screening candidates and the review decisions in SQLite. A manifest and its
 * candidates are inserted in one transaction (never a manifest without its result). A decision is a
 * single `UPDATE … WHERE decision = 'pending'`, so two reviewers racing on one candidate cannot both
 * decide it. Purging nulls the sealed people and their wrapped key in place; the CHECK constraint of
 * the table refuses a purged row that still holds either. Every write goes through the write batch
 * with the audit events it carries (port AuditWith), computed from the row as stored: change and
 * events commit together. The list, newest first, walks ix_manifests_received backwards.
 */
import type Database from 'better-sqlite3';
import type {
  AuditWith,
  CandidateOutcome,
  CandidateRecord,
  ManifestDecision,
  ManifestRecord,
  ManifestRepo,
  ManifestStats,
} from '../../ports/store/index.js';
import { checkLimit, decodeTimeCursor, encodeTimeCursor, toPage } from '../store-common/paging.js';
import type { SqliteChain } from './audit-repo.js';
import { guard } from './errors.js';
import type { WriteBatch } from './write-batch.js';

const M_COLUMNS: Record<keyof ManifestRecord, string> = {
  id: 'id',
  format: 'format',
  submittedBy: 'submitted_by',
  receivedAt: 'received_at',
  flight: 'flight',
  passengerCount: 'passenger_count',
  crewCount: 'crew_count',
  sealedPeople: 'sealed_people',
  wrappedKey: 'wrapped_key',
  purgeAfter: 'purge_after',
  purgedAt: 'purged_at',
  threshold: 'threshold',
  screeningMs: 'screening_ms',
  candidateCount: 'candidate_count',
};
const C_COLUMNS: Record<keyof CandidateRecord, string> = {
  id: 'id',
  manifestId: 'manifest_id',
  passengerIndex: 'passenger_index',
  role: 'role',
  registrantId: 'registrant_id',
  score: 'score',
  features: 'features',
  decision: 'decision',
  decidedBy: 'decided_by',
  decidedAt: 'decided_at',
  reason: 'reason',
  outcome: 'outcome',
  caseId: 'case_id',
  createdAt: 'created_at',
};
const cols = (m: Record<string, string>): string =>
  Object.entries(m)
    .map(([f, c]) => `${c} AS "${f}"`)
    .join(', ');
const M_SELECT = `SELECT ${cols(M_COLUMNS)} FROM manifests`;
const C_SELECT = `SELECT ${cols(C_COLUMNS)} FROM manifest_candidates`;

type MRow = Omit<ManifestRecord, 'flight'> & { flight: string };
type CRow = Omit<CandidateRecord, 'features'> & { features: string };

const toManifest = (r: MRow): ManifestRecord => ({ ...r, flight: JSON.parse(r.flight) as ManifestRecord['flight'] });
const toCandidate = (r: CRow): CandidateRecord => ({
  ...r,
  features: JSON.parse(r.features) as CandidateRecord['features'],
});

export function sqliteManifestRepo(db: Database.Database, chain: SqliteChain, batch: WriteBatch): ManifestRepo {
  const insertM = db.prepare(
    `INSERT INTO manifests (${Object.values(M_COLUMNS).join(', ')})
     VALUES (${Object.keys(M_COLUMNS)
       .map((f) => `@${f}`)
       .join(', ')})`,
  );
  const insertC = db.prepare(
    `INSERT INTO manifest_candidates (${Object.values(C_COLUMNS).join(', ')})
     VALUES (${Object.keys(C_COLUMNS)
       .map((f) => `@${f}`)
       .join(', ')})`,
  );
  const byId = db.prepare(`${M_SELECT} WHERE id = ?`);
  const ofManifest = db.prepare(`${C_SELECT} WHERE manifest_id = ? ORDER BY passenger_index ASC, score DESC, id ASC`);
  const candidate = db.prepare(`${C_SELECT} WHERE manifest_id = ? AND id = ?`);
  const decide = db.prepare(
    `UPDATE manifest_candidates SET decision = @decision, decided_by = @decidedBy, decided_at = @decidedAt, reason = @reason
     WHERE manifest_id = @manifestId AND id = @id AND decision = 'pending'
     RETURNING ${cols(C_COLUMNS)}`,
  );
  const outcome = db.prepare(
    `UPDATE manifest_candidates SET outcome = ?, case_id = ? WHERE id = ? AND outcome IS NULL RETURNING ${cols(C_COLUMNS)}`,
  );
  const newest = db.prepare(`${M_SELECT} ORDER BY received_at DESC, id DESC LIMIT ?`);
  const newestAfter = db.prepare(
    `${M_SELECT} WHERE (received_at < @t OR (received_at = @t AND id < @id)) ORDER BY received_at DESC, id DESC LIMIT @limit`,
  );
  const due = db.prepare(
    'SELECT id FROM manifests WHERE purged_at IS NULL AND purge_after <= ? ORDER BY purge_after ASC, id ASC LIMIT ?',
  );
  const purge = db.prepare(
    `UPDATE manifests SET sealed_people = NULL, wrapped_key = NULL, purged_at = ? WHERE id = ? AND purged_at IS NULL
     RETURNING ${cols(M_COLUMNS)}`,
  );
  const mStats = db.prepare(
    `SELECT count(*) AS manifests, coalesce(sum(passenger_count + crew_count), 0) AS people, coalesce(sum(candidate_count), 0) AS candidates
     FROM manifests WHERE received_at >= ? AND received_at < ?`,
  );
  const dStats = db.prepare(
    `SELECT coalesce(sum(decision = 'confirmed'), 0) AS confirmed, coalesce(sum(decision = 'rejected'), 0) AS rejected
     FROM manifest_candidates WHERE decided_at >= ? AND decided_at < ?`,
  );
  const pending = db.prepare(
    `SELECT count(*) AS pending FROM manifest_candidates c JOIN manifests m ON m.id = c.manifest_id
     WHERE c.decision = 'pending' AND m.received_at >= ? AND m.received_at < ?`,
  );

  return {
    insert: (m, cs, audit?: AuditWith<ManifestRecord>) =>
      guard('manifests.insert', () =>
        batch.run(() => {
          insertM.run({ ...m, flight: JSON.stringify(m.flight) });
          for (const c of cs) insertC.run({ ...c, features: JSON.stringify(c.features) });
          chain.appendFor(audit, toManifest(byId.get(m.id) as MRow));
        }),
      ),
    get: (id) =>
      guard('manifests.get', () => {
        const r = byId.get(id) as MRow | undefined;
        return r ? toManifest(r) : null;
      }),
    candidates: (manifestId) =>
      guard('manifests.candidates', () => (ofManifest.all(manifestId) as CRow[]).map(toCandidate)),
    getCandidate: (manifestId, candidateId) =>
      guard('manifests.getCandidate', () => {
        const r = candidate.get(manifestId, candidateId) as CRow | undefined;
        return r ? toCandidate(r) : null;
      }),
    decide: (manifestId, id, d: ManifestDecision, audit?: AuditWith<CandidateRecord>) =>
      guard('manifests.decide', () =>
        batch.run(() => {
          const r = decide.get({ manifestId, id, ...d }) as CRow | undefined;
          return chain.appendFor(audit, r ? toCandidate(r) : null);
        }),
      ),
    setOutcome: (candidateId, o: CandidateOutcome, caseId, audit?: AuditWith<CandidateRecord>) =>
      guard('manifests.setOutcome', () =>
        batch.run(() => {
          const r = outcome.get(o, caseId, candidateId) as CRow | undefined;
          return chain.appendFor(audit, r ? toCandidate(r) : null);
        }),
      ),
    list: (page) =>
      guard('manifests.list', () => {
        const limit = checkLimit(page.limit);
        const after = decodeTimeCursor(page.cursor);
        const rows = (
          after ? newestAfter.all({ t: after.t, id: after.id, limit: limit + 1 }) : newest.all(limit + 1)
        ) as MRow[];
        return toPage(rows.map(toManifest), limit, (last) => encodeTimeCursor({ t: last.receivedAt, id: last.id }));
      }),
    listDue: (now, limit) =>
      guard('manifests.listDue', () => (due.all(now, limit) as { id: string }[]).map((r) => r.id)),
    purge: (id, at, audit?: AuditWith<ManifestRecord>) =>
      guard('manifests.purge', () =>
        batch.run(() => {
          const r = purge.get(at, id) as MRow | undefined;
          return chain.appendFor(audit, r ? toManifest(r) : null) !== null;
        }),
      ),
    stats: (from, to) =>
      guard('manifests.stats', (): ManifestStats => ({
        ...(mStats.get(from, to) as Pick<ManifestStats, 'manifests' | 'people' | 'candidates'>),
        ...(dStats.get(from, to) as Pick<ManifestStats, 'confirmed' | 'rejected'>),
        ...(pending.get(from, to) as Pick<ManifestStats, 'pending'>),
      })),
  };
}
