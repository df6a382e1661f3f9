/**
 * A USA gateway with the national workflow mounted (createApp with registry keys), its own SQLite file, real
 * Redis queue (no worker: delivery jobs stay queued), registry key files in a temp dir, and one bearer
 * token per role (tests/gateway/bootstrap.ts conventions). The directory is written to a file so the
 * directory API's persistence can be checked.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Express } from 'express';
import { buildConfig } from '../../src/config/load.js';
import { ROLES, type PartnerInput, type TnxConfig, type TnxConfigInput } from '../../src/config/schema.js';
import { DeliveryQueue } from '../../src/adapters/queue-bullmq/delivery-queue.js';
import { createContext, type RunningContext } from '../../src/runtime/create-context.js';
import { createApp } from '../../src/http/app.js';
import { sha256Hex } from '../../src/http/auth.js';
import { nationalDeps, type NationalDeps } from '../../src/features/registry/deps.js';
import { createLogger } from '../../src/core/logger.js';
import { loadRegistryKeys, type RegistryKeys } from '../../src/domain/registry/registry-keys.js';
import type { Clock } from '../../src/core/clock.js';
import { CONFIG_DIR, bearer as gwBearer, secretOf } from '../gateway/bootstrap.js';
import { redisUrl, uniquePrefix } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';
import { keyFile, octJwks, secret } from '../registry/fixtures.js';

export { secretOf };
export const bearer = gwBearer;

export interface NationalGateway {
  config: TnxConfig;
  ctx: RunningContext;
  queue: DeliveryQueue;
  app: Express;
  keys: RegistryKeys;
  national: NationalDeps;
  dir: string;
  directoryPath: string;
  close(): Promise<void>;
}

/** Partners of the demo directory (GBR, FRA, THA) with absolute JWKS paths; DEU is not listed, so notifications to it are `no_channel`. */
function writeDirectory(dir: string): string {
  const demo = JSON.parse(readFileSync(join(CONFIG_DIR, 'directory.usa.json'), 'utf8')) as {
    partners: PartnerInput[];
  };
  const partners = demo.partners.map((p) => ({ ...p, jwksPath: resolve(CONFIG_DIR, p.jwksPath!) }));
  const path = join(dir, 'directory.json');
  writeFileSync(path, `${JSON.stringify({ partners }, null, 2)}\n`);
  return path;
}

export async function nationalGateway(
  options: { clock?: Clock; config?: Partial<TnxConfigInput> } = {},
): Promise<NationalGateway> {
  const dir = tempDir('tnx-national');
  const directoryPath = writeDirectory(dir);
  const kekPath = keyFile(dir, 'kek.jwks.json', octJwks({ kid: 'kek-1', k: secret() }));
  const indexKeyPath = keyFile(dir, 'index.key', `${secret()}\n`);
  const input = {
    state: 'USA',
    pointOfContact: { unit: 'Test desk', email: 'desk@usa.test.example', phone: '+1 202 555 0199', hours: '24/7' },
    keys: { privateJwksPath: resolve(CONFIG_DIR, '../keys/dev/usa.private.jwks.json') },
    http: { host: '127.0.0.1', port: 0 },
    redis: { url: await redisUrl(), prefix: uniquePrefix('nat') },
    store: { kind: 'sqlite', sqlitePath: join(dir, 'tnx.sqlite') },
    directoryPath,
    registry: { kekPath, indexKeyPath },
    auth: { tokens: ROLES.map((id) => ({ id, role: id, sha256: sha256Hex(secretOf(id)) })) },
    log: { level: 'silent' },
    ...(options.config ?? {}),
  } as TnxConfigInput;
  const config = buildConfig(input, { baseDir: dir });
  const ctx = await createContext(config, {
    ...(options.clock ? { clock: options.clock } : {}),
    log: createLogger({ level: 'silent' }),
    keyRing: { allowInsecureMode: true },
  });
  const queue = DeliveryQueue.fromConfig(config, uniquePrefix('q'));
  const keys = loadRegistryKeys(config.registry!);
  const app = createApp({ ctx, queue, registryKeys: keys });
  return {
    config,
    ctx,
    queue,
    app,
    keys,
    dir,
    directoryPath,
    national: nationalDeps({ ctx, queue }, keys),
    async close() {
      await queue.close();
      await ctx.close();
    },
  };
}
