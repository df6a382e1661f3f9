/**
 * The conformance suite on MongoDB, when a server is given in MONGODB_URI (none can be installed on
 * our machines). It must be a replica set (one node will do: docs/operations.md) — the adapter refuses
 * a standalone server, and the suite checks that a change and its events commit together, which
 * needs a transaction. Each run uses its own database, dropped afterwards. Without MONGODB_URI the run is
 * skipped with ONE visible pending line; the adapter's query logic is still checked without a server
 * in mongo-queries.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import mongoose from 'mongoose';
import { isTnxError } from '../../src/core/errors.js';
import { openMongoStore } from '../../src/adapters/store-mongo/open-mongo-store.js';
import { runStoreConformance } from './conformance.js';
import { runManifestConformance } from './manifest-conformance.js';
import { runRegistryConformance } from './registry-conformance.js';

const uri = process.env.MONGODB_URI;

if (uri) {
  const dbName = `tnx_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  runStoreConformance('mongodb', () => openMongoStore({ uri, dbName }));
  runManifestConformance('mongodb', () => openMongoStore({ uri, dbName }));
  runRegistryConformance('mongodb', () => openMongoStore({ uri, dbName }));
  after(async () => {
    const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
    await conn.dropDatabase();
    await conn.close();
  });
} else {
  describe('store conformance: mongodb', () => {
    it('MongoDB conformance skipped: MONGODB_URI not set');
  });
}

describe('mongodb store without a server', () => {
  it('reports an unreachable server as store_unavailable, without hanging', async () => {
    // A port that was free a moment ago: nothing listens there, the connection is refused.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const started = Date.now();
    await assert.rejects(
      openMongoStore({ uri: `mongodb://127.0.0.1:${port}/tnx`, serverSelectionTimeoutMs: 300 }),
      (e: unknown) => isTnxError(e, 'store_unavailable') && !e.expose,
    );
    assert.ok(Date.now() - started < 5000);
  });
});
