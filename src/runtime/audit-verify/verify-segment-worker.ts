/**
 * Runs in a worker thread: opens its own connection to the SQLite file (WAL lets any number of
 * readers walk the file while gateways keep appending), walks one segment, posts the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteStore } from '../../adapters/store-sqlite/open-sqlite-store.js';
import { verifySegment, type SegmentSpec } from '../../features/audit-trail/verify-segment.js';

const { path, spec } = workerData as { path: string; spec: SegmentSpec };
const store = await openSqliteStore({ path });
try {
  parentPort?.postMessage(await verifySegment(store.audit, spec));
} finally {
  await store.close();
}
