/**
 * One whole gateway for the security suites, started by startGateway from a config file as `tnx
 * serve` starts it (HTTP side only, so no delivery worker writes behind the tests' back): every part
 * of TNX runs — the wire inbox, the local API, the registry and travel reports, manifest screening —
 * so the route table is served whole. Its own SQLite file, Redis prefix and temp dir; one bearer token
 * per role; every log line it writes is kept (pino at debug level) so tests can search the logs.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { ROLES, type Role, type TnxConfigInput } from '../../src/config/schema.js';
import { createLogger } from '../../src/core/logger.js';
import { sha256Hex } from '../../src/http/auth.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { federation, start } from '../e2e/federation.js';
import { tempDir } from '../harness/tmp.js';
import { keyFile, octJwks, secret } from '../registry/fixtures.js';

export interface SecurityWorld {
  gw: RunningGateway;
  url: string;
  sqlitePath: string;
  /** `Bearer …` for a role. */
  auth(role: Role): string;
  /** Everything logged so far, one JSON line each. */
  logText(): string;
  close(): Promise<void>;
}

export async function securityWorld(extra: Partial<TnxConfigInput> = {}): Promise<SecurityWorld> {
  const dir = tempDir('tnx-security');
  const kekPath = keyFile(dir, 'kek.jwks.json', octJwks({ kid: 'kek-1', k: secret() }));
  const indexKeyPath = keyFile(dir, 'index.key', `${secret()}\n`);
  const secrets = Object.fromEntries(ROLES.map((r) => [r, `${r}-${randomBytes(16).toString('base64url')}`])) as Record<
    Role,
    string
  >;
  // THA is a partner (its config is written, it is not started): the inbox can receive from it.
  const members = await federation(['USA', 'THA'], {
    registry: { kekPath, indexKeyPath },
    auth: { tokens: ROLES.map((role) => ({ id: `${role}-1`, role, sha256: sha256Hex(secrets[role]) })) },
    audit: { checkpointIntervalSeconds: 3600 },
    log: { level: 'debug' },
    ...extra,
  } as Partial<TnxConfigInput>);
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  const log = createLogger({ level: 'debug', base: { state: 'USA' } }, stream);
  const gw = await start(members.USA, { log, roles: { http: true, workers: false } });
  return {
    gw,
    url: gw.url!,
    sqlitePath: members.USA.config.store.sqlitePath,
    auth: (role) => `Bearer ${secrets[role]}`,
    logText: () => chunks.join(''),
    close: () => gw.close(),
  };
}
