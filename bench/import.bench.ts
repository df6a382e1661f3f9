/**
 * Bulk import benchmark: N registrants as NDJSON through HTTP (POST /api/v1/registrants/import, in
 * parts as `tnx registry import` sends them) into a gateway's SQLite store, then the same file again
 * (every row must come back unchanged). Reports rows/s for both passes and the peak RSS of this
 * process — gateway and client together (the client holds one part of the file at a time).
 *
 *   npm run bench:import
 *   BENCH_ROWS=20000 BENCH_BATCH=1000 npm run bench:import
 *
 * The gateway runs in this process on a temp SQLite file, a local redis-server and fresh registry
 * keys; the screening index follows the registry events as in production (started, so every created
 * row is also opened and indexed).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { buildConfig } from '../src/config/load.js';
import { ROLES, type TnxConfigInput } from '../src/config/schema.js';
import { createContext } from '../src/runtime/create-context.js';
import { createApp } from '../src/http/app.js';
import { listen } from '../src/http/server.js';
import { sha256Hex } from '../src/http/auth.js';
import { createLogger } from '../src/core/logger.js';
import { DeliveryQueue } from '../src/adapters/queue-bullmq/delivery-queue.js';
import { loadRegistryKeys } from '../src/domain/registry/registry-keys.js';
import { startManifestScreening } from '../src/runtime/start-screening.js';
import { startRedisServer } from '../src/runtime/redis-server.js';
import { importFile } from '../src/cli/commands/registry.js';
import { REPO_ROOT } from '../src/cli/demo/two-states.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const FAMILY = ['Petrov', 'Ivanova', 'Garcia', 'Nguyen', 'Müller', 'Papadopoulos', 'Haddad', 'Wang'];
const GIVEN = ['Dmitrii', 'Anna', 'Jose', 'Lan', 'Jonas', 'Eleni', 'Omar', 'Wei', 'Maria', 'Ali'];

/** Names are letters only: the index in base 26, a–z. */
function letters(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

function row(i: number): string {
  const y = 1940 + (i % 66);
  const m = String(1 + (i % 12)).padStart(2, '0');
  const d = String(1 + (i % 28)).padStart(2, '0');
  return JSON.stringify({
    externalReference: `REG-${i}`,
    person: {
      name: { family: `${FAMILY[i % FAMILY.length]}${letters(i)}`, given: [GIVEN[i % GIVEN.length]] },
      dateOfBirth: `${y}-${m}-${d}`,
      sex: i % 2 ? 'M' : 'F',
      citizenships: ['USA'],
      travelDocuments: [{ number: `P${String(i).padStart(9, '0')}`, type: 'passport', issuingState: 'USA' }],
    },
    ...(i % 3 === 0
      ? { pastTravelDocuments: [{ number: `Q${String(i).padStart(9, '0')}`, type: 'passport', issuingState: 'USA' }] }
      : {}),
    convictions: [
      {
        offenceCategory: 'child_sexual_abuse',
        convictedOn: '2015-03-02',
        jurisdiction: 'USA',
        sentenceSummary: 'Custodial sentence',
        victimMinor: true,
        registrationEndsOn: null,
      },
    ],
    registrationStart: '2016-01-01',
    registrationEnd: null,
    status: 'active',
    reviewDue: '2030-01-01',
  });
}

async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < ROWS; i++) if (!out.write(`${row(i)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

const dir = mkdtempSync(join(tmpdir(), 'tnx-import-bench-'));
const redis = await startRedisServer({ stderr: 'ignore' });
try {
  const token = randomBytes(16).toString('base64url');
  const { writeFileSync } = await import('node:fs');
  const kekPath = join(dir, 'kek.jwks.json');
  writeFileSync(
    kekPath,
    JSON.stringify({ keys: [{ kty: 'oct', kid: 'kek-1', k: randomBytes(32).toString('base64url') }] }),
    { mode: 0o600 },
  );
  const indexKeyPath = join(dir, 'index.key');
  writeFileSync(indexKeyPath, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  const config = buildConfig(
    {
      state: 'USA',
      pointOfContact: { unit: 'Bench', email: 'bench@usa.test.example', phone: '+1 202 555 0199', hours: '24/7' },
      keys: { privateJwksPath: join(REPO_ROOT, 'keys/dev/usa.private.jwks.json') },
      http: { host: '127.0.0.1', port: 0 },
      redis: { url: redis.url, prefix: 'bench-import' },
      store: { kind: 'sqlite', sqlitePath: join(dir, 'tnx.sqlite') },
      directoryPath: join(REPO_ROOT, 'config/directory.usa.json'),
      registry: { kekPath, indexKeyPath },
      auth: { tokens: ROLES.filter((r) => r === 'registry').map((id) => ({ id, role: id, sha256: sha256Hex(token) })) },
      log: { level: 'silent' },
    } as TnxConfigInput,
    { baseDir: join(REPO_ROOT, 'config') },
  );
  const ctx = await createContext(config, {
    log: createLogger({ level: 'silent' }),
    keyRing: { allowInsecureMode: true },
  });
  const queue = DeliveryQueue.fromConfig(config, 'bench-import-q');
  const keys = loadRegistryKeys(config.registry!);
  const screening = await startManifestScreening(ctx, queue, { keys });
  const server = await listen(createApp({ ctx, queue, registryKeys: keys, screening: screening.deps }), config);
  const file = join(dir, 'registrants.ndjson');
  await writeFile(file);
  const target = { url: server.url, token, batch: BATCH };

  console.log(`import benchmark — ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPUs`);
  console.log(
    `${ROWS.toLocaleString('en')} rows, parts of ${BATCH} lines; load average before ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  for (const pass of ['first import', 're-import']) {
    const t0 = performance.now();
    const t = await importFile(file, target);
    if (t.refusals.length > 0)
      console.log(`first refusal: line ${t.refusals[0]!.line} ${t.refusals[0]!.code} ${t.refusals[0]!.pointer ?? ''}`);
    const s = (performance.now() - t0) / 1000;
    console.log(
      `${pass}: ${t.lines} lines in ${s.toFixed(1)} s = ${Math.round(t.lines / s)} rows/s; created ${t.created}, updated ${t.updated}, unchanged ${t.unchanged}, refused ${t.refused}; ${t.requests} requests`,
    );
  }
  console.log(
    `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (gateway + client + screening index in one process); load average after ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  await server.close();
  await screening.close();
  await queue.close();
  await ctx.close();
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
