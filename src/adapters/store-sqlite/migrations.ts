/**
 * Schema migrations of the SQLite store, versioned in code. A migration is appended, never edited
 * once released: a database records which versions it has (`schema_migrations`) and gets only the
 * missing ones. Every constraint the port relies on for de-duplication lives here, in the database —
 * not in an in-memory check — because several processes share one file.
 *
 * Index ↔ query map (docs/store.md repeats it):
 *   outbound PK(id)                                   get, transition, update
 *   ux_outbound_idem (submitted_by, idempotency_key)  insert de-duplication, findByIdempotencyKey
 *   ix_outbound_created (created_at, id)              list, no filter / time range only
 *   ix_outbound_partner (partner, created_at, id)     list by partner (+ time range)
 *   ix_outbound_state (state, created_at, id)         list by state; listAccepted (the outbox)
 *   ix_outbound_notification (notification_id, …)     list by notification (updates/follow-ups of one)
 *   ix_outbound_type (message_type, created_at, id)   list by message type
 *   ix_outbound_submitter (submitted_by, created_at, id)  list of a submitter's own messages (v31)
 *   ix_outbound_at_risk (departure_at, id) partial    listAtRisk (only live, un-alerted rows are indexed)
 *   delivery_attempts PK(message_id, attempt)         listAttempts, idempotent addAttempt
 *   inbound PK(id); ux_inbound_jti (iss, jti)         get; insertOnce de-duplication, getByJti
 *   ix_inbound_received / _iss / _notification / _type   inbound list (+ filters, time range)
 *   audit_events PK(seq) (rowid)                      head, range, gapless chain order, seq cursor
 *   ux_audit_id (id)                                  event lookup by id, uniqueness
 *   ix_audit_message_at / _partner_at / _action_at / _actor_at (…, at, seq)   filtered audit query (at DESC, seq DESC)
 *   ix_audit_at (at, seq)                             audit query by time range only
 *   ix_checkpoints_seq (seq)                          listCheckpoints in chain order
 *   leases PK(name)                                   acquireLease / releaseLease
 *   manifests PK(id); ix_manifests_due (partial)      get; listDue (retention: only unpurged rows)
 *   ix_manifests_received (received_at, id)           stats by time range
 *   manifest_candidates ix_candidates_manifest         candidates of a manifest; _decided: stats
 *   screening_cases ux_cases_trip (trip_key)          one case per trip (de-duplication)
 *   ix_cases_opened / ix_cases_registrant             case list (+ registrant), count
 *   registrants PK(id); ix_registrants_end / _review   registry get; retention candidates (partial: live rows)
 *   ux_registrants_external_reference (partial)       the registry's reference: unique; import and create look-up
 *   registrant_index PK(term, registrant_id)          blind-index search (one probe per term)
 *   travel_reports PK(id); ix_travel_reports_registrant   reports of one registrant
 *   ix_travel_reports_active (partial: active)        recovery job pages, by (created_at, id)
 *   trip_index PK(trip_key)                           de-duplication of one trip across sources
 *   stats_daily PK(dir, day, partner, …)              statistics counts: whole days of a range (rollup kept by triggers)
 *   ix_outbound_type / ix_inbound_type                statistics counts: the partial first and last day of a range
 *   ix_outbound_stats_lead (…, partner, lead, …)      lead-time percentiles per partner (LIMIT 1 OFFSET k seeks)
 *   ix_outbound_stats_lead_all (…, lead, created_at)  lead-time percentiles over all partners
 *   ix_inbound_stats_lead / _all (departure − receipt)   the same for received notifications
 * Versions 10–19 belong to the registry/statistics part, 20–29 to manifest screening, 30–39 to the audit query.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'outbound, attempts, inbound, audit trail, checkpoints, leases',
    sql: `
      CREATE TABLE outbound (
        id TEXT PRIMARY KEY,
        message_type TEXT NOT NULL CHECK (message_type IN ('TravelNotification','TravelUpdate','FollowUpReport')),
        notification_id TEXT NOT NULL,
        partner TEXT NOT NULL CHECK (length(partner) = 3),
        state TEXT NOT NULL CHECK (state IN ('accepted','queued','delivering','retrying','delivered','failed','cancelled','no_channel')),
        submitted_by TEXT NOT NULL,
        idempotency_key TEXT,
        request_hash TEXT NOT NULL,
        message TEXT NOT NULL CHECK (json_valid(message)),
        source TEXT,
        departure_at INTEGER,
        jwe TEXT,
        jti TEXT,
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        queued_at INTEGER,
        delivered_at INTEGER,
        receipt_jws TEXT,
        receipt_digest TEXT,
        lead_time_seconds REAL,
        timeliness TEXT CHECK (timeliness IS NULL OR timeliness IN ('on_time','late','after_departure')),
        at_risk_alerted_at INTEGER,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE UNIQUE INDEX ux_outbound_idem ON outbound (submitted_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX ix_outbound_created ON outbound (created_at, id);
      CREATE INDEX ix_outbound_partner ON outbound (partner, created_at, id);
      CREATE INDEX ix_outbound_state ON outbound (state, created_at, id);
      CREATE INDEX ix_outbound_notification ON outbound (notification_id, created_at, id);
      CREATE INDEX ix_outbound_type ON outbound (message_type, created_at, id);
      CREATE INDEX ix_outbound_at_risk ON outbound (departure_at, id)
        WHERE at_risk_alerted_at IS NULL AND state IN ('accepted','queued','delivering','retrying');

      CREATE TABLE delivery_attempts (
        message_id TEXT NOT NULL REFERENCES outbound (id),
        attempt INTEGER NOT NULL CHECK (attempt >= 1),
        started_at INTEGER NOT NULL,
        duration_ms REAL NOT NULL CHECK (duration_ms >= 0),
        http_status INTEGER,
        error TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('delivered','retry','failed')),
        PRIMARY KEY (message_id, attempt)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE inbound (
        id TEXT PRIMARY KEY,
        iss TEXT NOT NULL CHECK (length(iss) = 3),
        jti TEXT NOT NULL,
        message_type TEXT NOT NULL CHECK (message_type IN ('TravelNotification','TravelUpdate','FollowUpReport')),
        notification_id TEXT NOT NULL,
        message TEXT NOT NULL CHECK (json_valid(message)),
        digest TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        receipt_jws TEXT NOT NULL,
        departure_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX ux_inbound_jti ON inbound (iss, jti);
      CREATE INDEX ix_inbound_received ON inbound (received_at, id);
      CREATE INDEX ix_inbound_iss ON inbound (iss, received_at, id);
      CREATE INDEX ix_inbound_notification ON inbound (notification_id, received_at, id);
      CREATE INDEX ix_inbound_type ON inbound (message_type, received_at, id);

      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        id TEXT NOT NULL,
        at INTEGER NOT NULL,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        message_id TEXT,
        partner TEXT,
        outcome TEXT,
        detail TEXT CHECK (detail IS NULL OR json_valid(detail)),
        prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash TEXT NOT NULL CHECK (length(hash) = 64)
      ) STRICT;
      CREATE UNIQUE INDEX ux_audit_id ON audit_events (id);
      CREATE INDEX ix_audit_message ON audit_events (message_id, seq) WHERE message_id IS NOT NULL;
      CREATE INDEX ix_audit_partner ON audit_events (partner, seq) WHERE partner IS NOT NULL;
      CREATE INDEX ix_audit_action ON audit_events (action, seq);
      CREATE INDEX ix_audit_actor ON audit_events (actor, seq);
      CREATE INDEX ix_audit_at ON audit_events (at, seq);

      CREATE TABLE audit_checkpoints (
        id INTEGER PRIMARY KEY,
        seq INTEGER NOT NULL CHECK (seq >= 0),
        head_hash TEXT NOT NULL CHECK (length(head_hash) = 64),
        jws TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX ix_checkpoints_seq ON audit_checkpoints (seq, at);

      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    name: 'registry, travel reports, trip index; statistics columns and indexes',
    // Registrants: the sealed record as one JSON document plus its clear retention fields as columns;
    // blind indexes in their own table (one row per value) so an AND search is an indexed join.
    // Statistics columns on outbound/inbound are filled by triggers from the message at insert, so a
    // statistics query reads narrow covering indexes and never parses message JSON (bench/stats.bench.ts).
    sql: `
      CREATE TABLE registrants (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('active','suspended','ended')),
        registration_start TEXT NOT NULL,
        registration_end TEXT,
        review_due TEXT NOT NULL,
        review_flagged_at INTEGER,
        erased_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        record TEXT NOT NULL CHECK (json_valid(record))
      ) STRICT;
      CREATE INDEX ix_registrants_end ON registrants (registration_end) WHERE erased_at IS NULL AND registration_end IS NOT NULL;
      CREATE INDEX ix_registrants_review ON registrants (review_due) WHERE erased_at IS NULL AND review_flagged_at IS NULL;

      CREATE TABLE registrant_index (
        term TEXT NOT NULL,
        registrant_id TEXT NOT NULL REFERENCES registrants (id),
        PRIMARY KEY (term, registrant_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX ix_registrant_index_id ON registrant_index (registrant_id);

      CREATE TABLE travel_reports (
        id TEXT PRIMARY KEY,
        registrant_id TEXT NOT NULL REFERENCES registrants (id),
        state TEXT NOT NULL CHECK (state IN ('active','cancelled')),
        version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        record TEXT NOT NULL CHECK (json_valid(record))
      ) STRICT;
      CREATE INDEX ix_travel_reports_registrant ON travel_reports (registrant_id, created_at);

      CREATE TABLE trip_index (
        trip_key TEXT PRIMARY KEY,
        registrant_id TEXT NOT NULL,
        notification_ids TEXT NOT NULL CHECK (json_valid(notification_ids)),
        first_source TEXT NOT NULL,
        also_found_by TEXT NOT NULL CHECK (json_valid(also_found_by)),
        created_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      ALTER TABLE outbound ADD COLUMN report_late INTEGER;
      ALTER TABLE outbound ADD COLUMN followup_action TEXT;
      CREATE TRIGGER tr_outbound_stats AFTER INSERT ON outbound BEGIN
        UPDATE outbound SET
          report_late = CASE WHEN NEW.message_type = 'TravelNotification' THEN json_extract(NEW.message, '$.report.late') END,
          followup_action = CASE WHEN NEW.message_type = 'FollowUpReport' THEN json_extract(NEW.message, '$.action') END
        WHERE rowid = NEW.rowid;
      END;
      ALTER TABLE inbound ADD COLUMN source_kind TEXT;
      ALTER TABLE inbound ADD COLUMN report_late INTEGER;
      ALTER TABLE inbound ADD COLUMN followup_action TEXT;
      CREATE TRIGGER tr_inbound_stats AFTER INSERT ON inbound BEGIN
        UPDATE inbound SET
          source_kind = CASE WHEN NEW.message_type = 'TravelNotification' THEN json_extract(NEW.message, '$.source.kind') END,
          report_late = CASE WHEN NEW.message_type = 'TravelNotification' THEN json_extract(NEW.message, '$.report.late') END,
          followup_action = CASE WHEN NEW.message_type = 'FollowUpReport' THEN json_extract(NEW.message, '$.action') END
        WHERE rowid = NEW.rowid;
      END;
      UPDATE outbound SET report_late = json_extract(message, '$.report.late') WHERE message_type = 'TravelNotification';
      UPDATE outbound SET followup_action = json_extract(message, '$.action') WHERE message_type = 'FollowUpReport';
      UPDATE inbound SET source_kind = json_extract(message, '$.source.kind'), report_late = json_extract(message, '$.report.late')
        WHERE message_type = 'TravelNotification';
      UPDATE inbound SET followup_action = json_extract(message, '$.action') WHERE message_type = 'FollowUpReport';

      CREATE INDEX ix_outbound_stats ON outbound (message_type, created_at, partner, state, source, report_late, lead_time_seconds, followup_action);
      CREATE INDEX ix_outbound_stats_lead ON outbound (message_type, state, partner, lead_time_seconds, created_at);
      CREATE INDEX ix_inbound_stats ON inbound (message_type, received_at, iss, departure_at, source_kind, report_late, followup_action);
    `,
  },
  {
    version: 11,
    name: 'statistics: daily rollup kept by triggers; lead-time indexes for percentile seeks',
    // A one-year report over a million notifications must not aggregate half a million rows per
    // request (bench/stats.bench.ts). Counts come from stats_daily, kept exact by triggers in the same
    // transaction as every insert, state change and delete; only the partial first and last days of a
    // range are counted from the rows. Percentiles and the lead-time thresholds are index seeks in
    // lead-time order (LIMIT 1 OFFSET k; COUNT below a bound), never a sort.
    sql: `
      CREATE TABLE stats_daily (
        dir TEXT NOT NULL CHECK (dir IN ('sent','received','fu_received','fu_sent')),
        day INTEGER NOT NULL,
        partner TEXT NOT NULL,
        state TEXT NOT NULL,
        source TEXT NOT NULL,
        late INTEGER NOT NULL,
        has_lead INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (dir, day, partner, state, source, late, has_lead)
      ) STRICT, WITHOUT ROWID;

      DROP TRIGGER tr_outbound_stats;
      CREATE TRIGGER tr_outbound_stats AFTER INSERT ON outbound BEGIN
        UPDATE outbound SET
          report_late = CASE WHEN NEW.message_type = 'TravelNotification' THEN json_extract(NEW.message, '$.report.late') END,
          followup_action = CASE WHEN NEW.message_type = 'FollowUpReport' THEN json_extract(NEW.message, '$.action') END
        WHERE rowid = NEW.rowid;
        INSERT INTO stats_daily (dir, day, partner, state, source, late, has_lead, n)
          SELECT CASE NEW.message_type WHEN 'TravelNotification' THEN 'sent' ELSE 'fu_sent' END, NEW.created_at / 86400000, NEW.partner,
            CASE NEW.message_type WHEN 'TravelNotification' THEN NEW.state ELSE coalesce(json_extract(NEW.message, '$.action'), '') END,
            coalesce(NEW.source, ''),
            NEW.message_type = 'TravelNotification' AND coalesce(json_extract(NEW.message, '$.report.late') = 1, 0),
            NEW.lead_time_seconds IS NOT NULL, 1
          WHERE NEW.message_type IN ('TravelNotification','FollowUpReport')
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER tr_outbound_stats_update AFTER UPDATE OF state, source, lead_time_seconds ON outbound
        WHEN NEW.message_type = 'TravelNotification' AND (OLD.state IS NOT NEW.state OR OLD.source IS NOT NEW.source
          OR (OLD.lead_time_seconds IS NULL) <> (NEW.lead_time_seconds IS NULL)) BEGIN
        UPDATE stats_daily SET n = n - 1 WHERE dir = 'sent' AND day = OLD.created_at / 86400000 AND partner = OLD.partner
          AND state = OLD.state AND source = coalesce(OLD.source, '') AND late = coalesce(OLD.report_late = 1, 0)
          AND has_lead = (OLD.lead_time_seconds IS NOT NULL);
        INSERT INTO stats_daily (dir, day, partner, state, source, late, has_lead, n)
          VALUES ('sent', NEW.created_at / 86400000, NEW.partner, NEW.state, coalesce(NEW.source, ''), coalesce(NEW.report_late = 1, 0),
            NEW.lead_time_seconds IS NOT NULL, 1)
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER tr_outbound_stats_delete AFTER DELETE ON outbound WHEN OLD.message_type IN ('TravelNotification','FollowUpReport') BEGIN
        UPDATE stats_daily SET n = n - 1 WHERE dir = CASE OLD.message_type WHEN 'TravelNotification' THEN 'sent' ELSE 'fu_sent' END
          AND day = OLD.created_at / 86400000 AND partner = OLD.partner
          AND state = CASE OLD.message_type WHEN 'TravelNotification' THEN OLD.state ELSE coalesce(OLD.followup_action, '') END
          AND source = coalesce(OLD.source, '') AND late = coalesce(OLD.report_late = 1, 0) AND has_lead = (OLD.lead_time_seconds IS NOT NULL);
      END;

      DROP TRIGGER tr_inbound_stats;
      CREATE TRIGGER tr_inbound_stats AFTER INSERT ON inbound BEGIN
        UPDATE inbound SET
          source_kind = CASE WHEN NEW.message_type = 'TravelNotification' THEN json_extract(NEW.message, '$.source.kind') END,
          report_late = CASE WHEN NEW.message_type = 'TravelNotification' THEN json_extract(NEW.message, '$.report.late') END,
          followup_action = CASE WHEN NEW.message_type = 'FollowUpReport' THEN json_extract(NEW.message, '$.action') END
        WHERE rowid = NEW.rowid;
        INSERT INTO stats_daily (dir, day, partner, state, source, late, has_lead, n)
          SELECT CASE NEW.message_type WHEN 'TravelNotification' THEN 'received' ELSE 'fu_received' END, NEW.received_at / 86400000, NEW.iss,
            CASE NEW.message_type WHEN 'TravelNotification' THEN 'received' ELSE coalesce(json_extract(NEW.message, '$.action'), '') END,
            CASE NEW.message_type WHEN 'TravelNotification' THEN coalesce(json_extract(NEW.message, '$.source.kind'), '') ELSE '' END,
            NEW.message_type = 'TravelNotification' AND coalesce(json_extract(NEW.message, '$.report.late') = 1, 0),
            NEW.departure_at IS NOT NULL, 1
          WHERE NEW.message_type IN ('TravelNotification','FollowUpReport')
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER tr_inbound_stats_delete AFTER DELETE ON inbound WHEN OLD.message_type IN ('TravelNotification','FollowUpReport') BEGIN
        UPDATE stats_daily SET n = n - 1 WHERE dir = CASE OLD.message_type WHEN 'TravelNotification' THEN 'received' ELSE 'fu_received' END
          AND day = OLD.received_at / 86400000 AND partner = OLD.iss
          AND state = CASE OLD.message_type WHEN 'TravelNotification' THEN 'received' ELSE coalesce(OLD.followup_action, '') END
          AND source = CASE OLD.message_type WHEN 'TravelNotification' THEN coalesce(OLD.source_kind, '') ELSE '' END
          AND late = (OLD.message_type = 'TravelNotification' AND coalesce(OLD.report_late = 1, 0)) AND has_lead = (OLD.departure_at IS NOT NULL);
      END;

      INSERT INTO stats_daily (dir, day, partner, state, source, late, has_lead, n)
        SELECT 'sent', created_at / 86400000, partner, state, coalesce(source, ''), coalesce(report_late = 1, 0), lead_time_seconds IS NOT NULL, COUNT(*)
        FROM outbound WHERE message_type = 'TravelNotification' GROUP BY 1, 2, 3, 4, 5, 6, 7;
      INSERT INTO stats_daily (dir, day, partner, state, source, late, has_lead, n)
        SELECT 'fu_sent', created_at / 86400000, partner, coalesce(followup_action, ''), coalesce(source, ''), 0, lead_time_seconds IS NOT NULL, COUNT(*)
        FROM outbound WHERE message_type = 'FollowUpReport' GROUP BY 1, 2, 3, 4, 5, 6, 7;
      INSERT INTO stats_daily (dir, day, partner, state, source, late, has_lead, n)
        SELECT 'received', received_at / 86400000, iss, 'received', coalesce(source_kind, ''), coalesce(report_late = 1, 0), departure_at IS NOT NULL, COUNT(*)
        FROM inbound WHERE message_type = 'TravelNotification' GROUP BY 1, 2, 3, 4, 5, 6, 7;
      INSERT INTO stats_daily (dir, day, partner, state, source, late, has_lead, n)
        SELECT 'fu_received', received_at / 86400000, iss, coalesce(followup_action, ''), '', 0, departure_at IS NOT NULL, COUNT(*)
        FROM inbound WHERE message_type = 'FollowUpReport' GROUP BY 1, 2, 3, 4, 5, 6, 7;

      DROP INDEX ix_outbound_stats;
      DROP INDEX ix_inbound_stats;
      CREATE INDEX ix_outbound_stats_lead_all ON outbound (message_type, state, lead_time_seconds, created_at);
      CREATE INDEX ix_inbound_stats_lead ON inbound (message_type, iss, (departure_at - received_at), received_at) WHERE departure_at IS NOT NULL;
      CREATE INDEX ix_inbound_stats_lead_all ON inbound (message_type, (departure_at - received_at), received_at) WHERE departure_at IS NOT NULL;
    `,
  },
  {
    // The registry's own reference: the key that makes creates and imports idempotent. Unique among
    // the rows that have one (a tombstone drops it, so an erased person does not block the reference).
    version: 12,
    name: 'registrants carry the registry external reference (unique)',
    sql: `
      ALTER TABLE registrants ADD COLUMN external_reference TEXT;
      CREATE UNIQUE INDEX ux_registrants_external_reference ON registrants (external_reference)
        WHERE external_reference IS NOT NULL;
    `,
  },
  {
    // The recovery job pages through the active reports every minute: without it each page scanned and
    // sorted the whole table. Partial: cancelled reports are never asked for.
    version: 13,
    name: 'active travel reports by creation time',
    sql: `
      CREATE INDEX ix_travel_reports_active ON travel_reports (created_at, id) WHERE state = 'active';
    `,
  },
  {
    // Manifest screening (src/features/screening). Versions 20-29 are the screening workflow's.
    version: 20,
    name: 'manifests, screening candidates, unreported-travel cases',
    sql: `
      CREATE TABLE manifests (
        id TEXT PRIMARY KEY,
        format TEXT NOT NULL CHECK (format IN ('paxlst','json')),
        submitted_by TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        flight TEXT NOT NULL CHECK (json_valid(flight)),
        passenger_count INTEGER NOT NULL CHECK (passenger_count >= 0),
        crew_count INTEGER NOT NULL CHECK (crew_count >= 0),
        sealed_people TEXT,
        wrapped_key TEXT,
        purge_after INTEGER NOT NULL,
        purged_at INTEGER,
        threshold REAL NOT NULL,
        screening_ms REAL NOT NULL,
        candidate_count INTEGER NOT NULL CHECK (candidate_count >= 0),
        CHECK ((purged_at IS NULL) OR (sealed_people IS NULL AND wrapped_key IS NULL))
      ) STRICT;
      CREATE INDEX ix_manifests_due ON manifests (purge_after, id) WHERE purged_at IS NULL;
      CREATE INDEX ix_manifests_received ON manifests (received_at, id);

      CREATE TABLE manifest_candidates (
        id TEXT PRIMARY KEY,
        manifest_id TEXT NOT NULL REFERENCES manifests (id),
        passenger_index INTEGER NOT NULL CHECK (passenger_index >= 0),
        role TEXT NOT NULL CHECK (role IN ('passenger','crew')),
        registrant_id TEXT NOT NULL,
        score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
        features TEXT NOT NULL CHECK (json_valid(features)),
        decision TEXT NOT NULL CHECK (decision IN ('pending','confirmed','rejected')),
        decided_by TEXT,
        decided_at INTEGER,
        reason TEXT,
        outcome TEXT CHECK (outcome IS NULL OR outcome IN ('case_opened','case_exists','already_notified')),
        case_id TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX ix_candidates_manifest ON manifest_candidates (manifest_id, passenger_index, score DESC);
      CREATE INDEX ix_candidates_decided ON manifest_candidates (decided_at, decision) WHERE decided_at IS NOT NULL;
      CREATE INDEX ix_candidates_registrant ON manifest_candidates (registrant_id);

      CREATE TABLE screening_cases (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('unreported_travel')),
        registrant_id TEXT NOT NULL,
        manifest_id TEXT NOT NULL,
        candidate_id TEXT NOT NULL,
        trip_key TEXT NOT NULL,
        flight TEXT NOT NULL CHECK (json_valid(flight)),
        destination TEXT CHECK (destination IS NULL OR length(destination) = 3),
        opened_by TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        notification_id TEXT,
        notification TEXT NOT NULL CHECK (notification IN ('submitted','disabled','own_state','not_notifiable','already_notified'))
      ) STRICT;
      CREATE UNIQUE INDEX ux_cases_trip ON screening_cases (trip_key);
      CREATE INDEX ix_cases_opened ON screening_cases (opened_at, id);
      CREATE INDEX ix_cases_registrant ON screening_cases (registrant_id, opened_at, id);
    `,
  },
  {
    // Audit query with a time range: ordered (at DESC, seq DESC), each equality filter followed by
    // the sort key, so the first page is read off one index instead of sorting every event in the
    // range (docs/store.md, BENCHMARKS.md). Versions 30-39 belong to the audit query.
    version: 30,
    name: 'audit query indexes (field, at, seq) for time-ranged queries',
    sql: `
      CREATE INDEX ix_audit_message_at ON audit_events (message_id, at, seq) WHERE message_id IS NOT NULL;
      CREATE INDEX ix_audit_partner_at ON audit_events (partner, at, seq) WHERE partner IS NOT NULL;
      CREATE INDEX ix_audit_actor_at ON audit_events (actor, at, seq);
      CREATE INDEX ix_audit_action_at ON audit_events (action, at, seq);
    `,
  },
  {
    // A submitter lists what it submitted: the filter sits in the query (not applied after paging), so
    // its pages come straight off this index, full and newest first.
    version: 31,
    name: 'outbound list by submitter',
    sql: `CREATE INDEX ix_outbound_submitter ON outbound (submitted_by, created_at, id);`,
  },
  {
    // Every filtered audit query is now ordered (at DESC, seq DESC) (src/adapters/store-common/audit-plan.ts), so the
    // (field, seq) indexes of version 1 serve no query; each cost every appended event one more index
    // write (four in all: 22 % of the sender's store CPU, BENCHMARKS.md 2026-11-28).
    version: 40,
    name: 'drop the (field, seq) audit indexes',
    sql: `
      DROP INDEX ix_audit_message;
      DROP INDEX ix_audit_partner;
      DROP INDEX ix_audit_action;
      DROP INDEX ix_audit_actor;
    `,
  },
  {
    // The hot path's write costs (BENCHMARKS.md 2026-11-28, store micro-benchmark):
    //  - The AFTER INSERT statistics triggers derived report_late / followup_action / source_kind with
    //    json_extract over the whole message and then UPDATEd the row just inserted, rewriting it. The
    //    repos now write those columns in the INSERT itself (derived from the message object, exactly
    //    what json_extract gave: 1 / 0 / NULL for report.late), so the triggers only keep stats_daily.
    //  - The lead-time indexes held every outbound row with its state as a key column, so every
    //    transition rewrote both. The statistics seek only delivered TravelNotifications
    //    (stats-repo.ts `sentLead`), so they become partial indexes over exactly those rows: a row
    //    enters them once, when it is delivered.
    version: 41,
    name: 'statistics: columns written by the insert, lead-time indexes partial on delivered notifications',
    sql: `
      DROP TRIGGER tr_outbound_stats;
      CREATE TRIGGER tr_outbound_stats AFTER INSERT ON outbound WHEN NEW.message_type IN ('TravelNotification','FollowUpReport') BEGIN
        INSERT INTO stats_daily (dir, day, partner, state, source, late, has_lead, n)
          VALUES (CASE NEW.message_type WHEN 'TravelNotification' THEN 'sent' ELSE 'fu_sent' END, NEW.created_at / 86400000, NEW.partner,
            CASE NEW.message_type WHEN 'TravelNotification' THEN NEW.state ELSE coalesce(NEW.followup_action, '') END,
            coalesce(NEW.source, ''),
            NEW.message_type = 'TravelNotification' AND coalesce(NEW.report_late = 1, 0),
            NEW.lead_time_seconds IS NOT NULL, 1)
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;

      DROP TRIGGER tr_inbound_stats;
      CREATE TRIGGER tr_inbound_stats AFTER INSERT ON inbound WHEN NEW.message_type IN ('TravelNotification','FollowUpReport') BEGIN
        INSERT INTO stats_daily (dir, day, partner, state, source, late, has_lead, n)
          VALUES (CASE NEW.message_type WHEN 'TravelNotification' THEN 'received' ELSE 'fu_received' END, NEW.received_at / 86400000, NEW.iss,
            CASE NEW.message_type WHEN 'TravelNotification' THEN 'received' ELSE coalesce(NEW.followup_action, '') END,
            CASE NEW.message_type WHEN 'TravelNotification' THEN coalesce(NEW.source_kind, '') ELSE '' END,
            NEW.message_type = 'TravelNotification' AND coalesce(NEW.report_late = 1, 0),
            NEW.departure_at IS NOT NULL, 1)
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;

      DROP INDEX ix_outbound_stats_lead;
      DROP INDEX ix_outbound_stats_lead_all;
      CREATE INDEX ix_outbound_stats_lead ON outbound (partner, lead_time_seconds, created_at)
        WHERE message_type = 'TravelNotification' AND state = 'delivered';
      CREATE INDEX ix_outbound_stats_lead_all ON outbound (lead_time_seconds, created_at)
        WHERE message_type = 'TravelNotification' AND state = 'delivered';
    `,
  },
  {
    // A cancel travels only when an attempt may have reached the partner. Attempts recorded before this
    // column existed cannot tell, so they count as having reached it (a needless cancel is harmless).
    version: 45,
    name: 'delivery attempts record whether the request was written to the partner',
    sql: `
      ALTER TABLE delivery_attempts ADD COLUMN may_have_reached INTEGER NOT NULL DEFAULT 1
        CHECK (may_have_reached IN (0, 1));
    `,
  },
];

/**
 * Apply the missing migrations in one BEGIN IMMEDIATE transaction: the first process to take the
 * write lock migrates, the others wait (busy_timeout), then find the versions recorded and do
 * nothing. Idempotent across any number of processes opening the same file at once.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
    const done = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    const applied: number[] = [];
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
      applied.push(m.version);
    }
    return applied;
  });
  return run.immediate();
}
