/**
 * Open the store the configuration names: SQLite (the embedded default) or MongoDB (production;
 * chosen by `store.kind: "mongodb"`, with the URI from the config or MONGODB_URI — resolved in
 * src/config/load.ts). Callers get the port and never learn which adapter is behind it. The MongoDB
 * adapter is loaded on demand, so the embedded default never pays for the driver (start-up, RSS).
 */
import { tnxError } from '../core/errors.js';
import type { TnxConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Store } from '../ports/store/index.js';
import { openSqliteStore } from '../adapters/store-sqlite/open-sqlite-store.js';

export async function openStore(cfg: TnxConfig['store'], clock?: Clock): Promise<Store> {
  if (cfg.kind === 'mongodb') {
    if (!cfg.mongodbUri)
      throw tnxError('config_invalid', 'store.mongodbUri is required for the MongoDB store', {
        pointer: 'config/store/mongodbUri',
      });
    const { openMongoStore } = await import('../adapters/store-mongo/open-mongo-store.js');
    return openMongoStore({
      uri: cfg.mongodbUri,
      allowStandalone: cfg.mongodbAllowStandalone,
      ...(clock ? { clock } : {}),
    });
  }
  return openSqliteStore({ path: cfg.sqlitePath, ...(clock ? { clock } : {}) });
}
