/**
 * The production store: MongoDB through mongoose. Every write uses write concern `majority` (a
 * write acknowledged to a caller survives the loss of the primary) and retryable writes (a network
 * blip during a single-document write is retried by the driver exactly once, without duplicates).
 * A replica set is required: a change and its audit events are one transaction (./transactions.ts).
 * The audit chain itself is extended without relying on one (see audit-repo.ts), so a standalone
 * server still works for development when the configuration says so (`allowStandalone`).
 */
import mongoose from 'mongoose';
import { systemClock, type Clock } from '../../core/clock.js';
import type { AuditEventInput, Store } from '../../ports/store/index.js';
import { mongoAuditRepo } from './audit-repo.js';
import { mongoCaseRepo } from './case-repo.js';
import { guard, isDuplicateKey, mapMongoError } from './errors.js';
import { HEAD_ID } from './queries.js';
import { GENESIS_HASH } from '../../domain/audit/chain.js';
import { tnxError } from '../../core/errors.js';
import { replicaSetName, transactionRunner, withChangeTransactions } from './transactions.js';
import { mongoInboundRepo } from './inbound-repo.js';
import { mongoKvRepo } from './kv-repo.js';
import { mongoManifestRepo } from './manifest-repo.js';
import { mongoOutboundRepo } from './outbound-repo.js';
import { mongoRegistryRepo } from './registry-repo.js';
import { registrantSchema, travelReportSchema, tripSchema } from './registry-schemas.js';
import { STATS_INDEXES } from './stats-pipelines.js';
import { mongoStatsRepo } from './stats-repo.js';
import { mongoTravelReportRepo, mongoTripIndexRepo } from './travel-report-repo.js';
import {
  attemptSchema,
  auditEventSchema,
  auditHeadSchema,
  checkpointSchema,
  inboundSchema,
  leaseSchema,
  outboundSchema,
} from './schemas.js';
import { caseSchema, manifestSchema } from './screening-schemas.js';

export interface MongoStoreOptions {
  /** mongodb:// or mongodb+srv:// URI; the database named in it is used. */
  uri: string;
  clock?: Clock;
  /** Database to use instead of the one named in the URI (tests give each run its own). */
  dbName?: string;
  /** How long to wait for a server at start-up, ms. */
  serverSelectionTimeoutMs?: number;
  /**
   * Accept a standalone server (development): a change and its audit events are then two writes.
   * Without it, opening a standalone server is refused.
   */
  allowStandalone?: boolean;
}

/** Connection options, as data (tests/store/mongo-queries.test.ts holds them to what docs/store.md promises). */
export function mongoConnectOptions(
  opts: Omit<MongoStoreOptions, 'uri' | 'clock' | 'allowStandalone'>,
): mongoose.ConnectOptions {
  return {
    w: 'majority',
    retryWrites: true,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMs ?? 10_000,
    // Indexes are built explicitly below (createIndexes) so start-up fails loudly if one cannot be built.
    autoIndex: false,
    autoCreate: true,
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
  };
}

export async function openMongoStore(opts: MongoStoreOptions): Promise<Store> {
  const clock = opts.clock ?? systemClock;
  const conn = mongoose.createConnection(opts.uri, mongoConnectOptions(opts));
  try {
    await conn.asPromise();
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw mapMongoError(err, 'mongodb.open');
  }

  let setName: string | null;
  try {
    setName = await replicaSetName(conn);
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw mapMongoError(err, 'mongodb.hello');
  }
  if (setName === null && opts.allowStandalone !== true) {
    await conn.close().catch(() => undefined);
    throw tnxError(
      'config_invalid',
      'store: the MongoDB server is standalone; a change and its audit events need a replica set ' +
        '(docs/operations.md: a one-node replica set will do), or set store.mongodbAllowStandalone for development',
      { pointer: 'config/store/mongodbAllowStandalone' },
    );
  }

  const models = {
    outbound: conn.model('Outbound', outboundSchema),
    attempts: conn.model('DeliveryAttempt', attemptSchema),
    inbound: conn.model('Inbound', inboundSchema),
    auditEvents: conn.model('AuditEvent', auditEventSchema),
    auditHead: conn.model('AuditHead', auditHeadSchema),
    checkpoints: conn.model('AuditCheckpoint', checkpointSchema),
    leases: conn.model('Lease', leaseSchema),
    manifests: conn.model('Manifest', manifestSchema),
    cases: conn.model('ScreeningCase', caseSchema),
    registrants: conn.model('Registrant', registrantSchema),
    travelReports: conn.model('TravelReport', travelReportSchema),
    trips: conn.model('Trip', tripSchema),
  };
  try {
    // createIndexes is idempotent: several processes starting at once build each index once.
    for (const m of Object.values(models)) {
      await m.createCollection().catch((err: unknown) => {
        if ((err as { codeName?: string }).codeName !== 'NamespaceExists') throw err;
      });
      await m.createIndexes();
    }
    for (const k of STATS_INDEXES.outbound) await models.outbound.collection.createIndex(k);
    for (const k of STATS_INDEXES.inbound) await models.inbound.collection.createIndex(k);
    // The chain head exists before any transaction appends to it: creating it inside one would abort
    // that transaction on the duplicate key of another process's head.
    await models.auditHead.create({ _id: HEAD_ID, seq: 0, hash: GENESIS_HASH, pending: null }).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw mapMongoError(err, 'mongodb.indexes');
  }

  const m = models as unknown as Record<keyof typeof models, mongoose.Model<unknown>>;
  const audit = mongoAuditRepo(m.auditEvents, m.auditHead, m.checkpoints);
  // The writes that carry their audit events (port AuditWith) append them through the audit repo —
  // on a replica set inside the change's own transaction.
  const append = (events: AuditEventInput[]) => audit.append(events);
  const run = transactionRunner(conn);
  const tx = <R extends object>(repo: R): R => (setName === null ? repo : withChangeTransactions(repo, run));
  return {
    kind: 'mongodb',
    // Writes with audit events serialise on the chain head (one document): a few in flight overlap the
    // round trips without turning into a storm of write-conflict retries. Not measured (no server here).
    writeWindow: 4,
    outbound: tx(mongoOutboundRepo(m.outbound, m.attempts, clock, append)),
    inbound: tx(mongoInboundRepo(m.inbound, append)),
    audit,
    kv: mongoKvRepo(m.leases),
    manifests: tx(mongoManifestRepo(m.manifests, append)),
    cases: tx(mongoCaseRepo(m.cases, append)),
    registry: tx(mongoRegistryRepo(m.registrants, append)),
    travelReports: tx(mongoTravelReportRepo(m.travelReports, append)),
    trips: mongoTripIndexRepo(m.trips),
    stats: mongoStatsRepo(m.outbound, m.inbound),
    ping: () =>
      guard('mongodb.ping', async () => {
        await conn.db?.admin().ping();
      }),
    async close() {
      await conn.close();
    },
  };
}
