/**
 * `npm run bench:envelope`: seal() and open() of a ~2 KB TravelNotification (protocol/examples), and
 * in the same run a minimal raw node:crypto implementation doing the same work, so the figure says
 * what our layers (jose, header and claim checks, strict JSON, schema validation) cost on top of the
 * cryptography itself. Target (issue 2 §7): seal+open within 1.5× the raw time.
 *
 * Raw seal  = JSON.stringify claims → base64url → ES256 sign (P-256, IEEE P1363) → ephemeral P-256 key
 *             → ECDH → Concat KDF (SHA-256, RFC 7518 §4.6.2) → AES-256 key wrap of a random CEK →
 *             AES-256-GCM over the JWS with the header as AAD → base64url.
 * Raw open  = base64url decode → ECDH → Concat KDF → AES-256 key unwrap → AES-256-GCM decrypt → ES256
 *             verify → JSON.parse.
 * Each workload runs sequentially (one operation at a time) for a fixed time; rounds of the four
 * workloads are interleaved and the best round of each is reported, so a busy machine skews every
 * side alike and as little as possible.
 */
import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  randomUUID,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { Directory } from '../src/domain/directory/directory.js';
import { KeyRing } from '../src/domain/keys/keyring.js';
import { open } from '../src/domain/protocol/envelope/open.js';
import { seal } from '../src/domain/protocol/envelope/seal.js';
import type { Partner } from '../src/config/schema.js';
import type { TnxMessage } from '../src/domain/protocol/types.js';
import { systemClock } from '../src/core/clock.js';
import { importWebCryptoKeys, webCryptoOpen, webCryptoSeal } from './raw-webcrypto.js';

const ROOT = new URL('../', import.meta.url);
const readJson = <T>(p: string): T => JSON.parse(readFileSync(new URL(p, ROOT), 'utf8')) as T;
type Jwk = Record<string, string>;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 400);

type Workload = () => unknown;

/**
 * Ops/s of each workload in each round. Rounds are interleaved (A B C D, A B C D, …) so that load from
 * other processes hits every workload alike instead of whichever ran first; the ratio is then taken
 * per round (paired) and its median reported, which a noisy machine moves far less than a best-of.
 */
interface Sample {
  /** Wall-clock operations per second. */
  ops: number;
  /** CPU time (user + system, all threads of the process) per operation, microseconds. */
  cpuUs: number;
}

async function measure(workloads: Workload[]): Promise<Sample[][]> {
  for (const fn of workloads) for (let i = 0; i < 50; i++) await fn(); // warm-up: JIT, key caches
  const rounds: Sample[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round: Sample[] = [];
    for (const fn of workloads) {
      let n = 0;
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      let elapsed: number;
      while ((elapsed = performance.now() - start) < ROUND_MS) {
        await fn();
        n++;
      }
      const cpu = process.cpuUsage(cpu0);
      round.push({ ops: (n * 1000) / elapsed, cpuUs: (cpu.user + cpu.system) / n });
    }
    rounds.push(round);
  }
  return rounds;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// ---- raw node:crypto -----------------------------------------------------------------------------

const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

function concatKdf(z: Buffer, alg: string): Buffer {
  // RFC 7518 §4.6.2: one SHA-256 round gives the 256-bit KEK; AlgorithmID = alg, empty apu/apv.
  const len = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const algId = Buffer.from(alg);
  return createHash('sha256')
    .update(Buffer.concat([len(1), z, len(algId.length), algId, len(0), len(0), len(256)]))
    .digest();
}

function rawSeal(claims: unknown, sigKey: KeyObject, sigKid: string, recipientPub: Buffer, encKid: string): string {
  const input = `${b64(JSON.stringify({ alg: 'ES256', typ: 'tnx+jwt', kid: sigKid }))}.${b64(JSON.stringify(claims))}`;
  const jws = `${input}.${b64(sign('sha256', Buffer.from(input), { key: sigKey, dsaEncoding: 'ieee-p1363' }))}`;
  const eph = createECDH('prime256v1');
  const ephPub = eph.generateKeys();
  const kek = concatKdf(eph.computeSecret(recipientPub), 'ECDH-ES+A256KW');
  const cek = randomBytes(32);
  const wrap = createCipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const encryptedKey = Buffer.concat([wrap.update(cek), wrap.final()]);
  const header = b64(
    JSON.stringify({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      kid: encKid,
      cty: 'JWT',
      epk: { kty: 'EC', crv: 'P-256', x: b64(ephPub.subarray(1, 33)), y: b64(ephPub.subarray(33)) },
    }),
  );
  const iv = randomBytes(12);
  const gcm = createCipheriv('aes-256-gcm', cek, iv);
  gcm.setAAD(Buffer.from(header));
  const ct = Buffer.concat([gcm.update(jws), gcm.final()]);
  return `${header}.${b64(encryptedKey)}.${b64(iv)}.${b64(ct)}.${b64(gcm.getAuthTag())}`;
}

function rawOpen(jwe: string, encPriv: Buffer, sigPub: KeyObject): unknown {
  const [h, ek, iv, ct, tag] = jwe.split('.') as [string, string, string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { epk: { x: string; y: string } };
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(encPriv);
  const ephPub = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(header.epk.x, 'base64url'),
    Buffer.from(header.epk.y, 'base64url'),
  ]);
  const kek = concatKdf(ecdh.computeSecret(ephPub), 'ECDH-ES+A256KW');
  const unwrap = createDecipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const cek = Buffer.concat([unwrap.update(Buffer.from(ek, 'base64url')), unwrap.final()]);
  const gcm = createDecipheriv('aes-256-gcm', cek, Buffer.from(iv, 'base64url'));
  gcm.setAAD(Buffer.from(h));
  gcm.setAuthTag(Buffer.from(tag, 'base64url'));
  const jws = Buffer.concat([gcm.update(Buffer.from(ct, 'base64url')), gcm.final()]).toString();
  const [sh, sp, ss] = jws.split('.') as [string, string, string];
  if (
    !verify(
      'sha256',
      Buffer.from(`${sh}.${sp}`),
      { key: sigPub, dsaEncoding: 'ieee-p1363' },
      Buffer.from(ss, 'base64url'),
    )
  )
    throw new Error('bad signature');
  return JSON.parse(Buffer.from(sp, 'base64url').toString());
}

// ---- run -----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const message = readJson<TnxMessage>('protocol/examples/travel-notification.json');
  const usaPriv = readJson<{ keys: Jwk[] }>('keys/dev/usa.private.jwks.json').keys;
  const thaPriv = readJson<{ keys: Jwk[] }>('keys/dev/tha.private.jwks.json').keys;
  const poc = { unit: 'Bench', email: 'bench@x.example.org', phone: '+1 555 0100', hours: '24/7' };
  const partner = (state: string, file: string): Partner => ({
    state,
    name: state,
    endpoint: null,
    jwks: readJson(file),
    pointOfContact: poc,
    accepts: ['TravelNotification'],
    limits: { concurrency: 1, ratePerSecond: 1 },
  });
  const usaKeys = await KeyRing.fromJwks({ keys: usaPriv });
  const thaKeys = await KeyRing.fromJwks({ keys: thaPriv });
  const sealCtx = {
    keys: usaKeys,
    directory: new Directory({ directory: { partners: [partner('THA', 'keys/dev/tha.public.jwks.json')] } }),
    state: 'USA',
    clock: systemClock,
  };
  const openCtx = {
    keys: thaKeys,
    directory: new Directory({ directory: { partners: [partner('USA', 'keys/dev/usa.public.jwks.json')] } }),
    state: 'THA',
    clock: systemClock,
    maxMessageBytes: 262144,
    clockSkewSeconds: 300,
    maxMessageAgeSeconds: 1209600,
  };

  const usaSig = usaPriv.find((k) => k.use === 'sig')!;
  const thaEnc = thaPriv.find((k) => k.use === 'enc')!;
  const sigKey = createPrivateKey({ key: usaSig as never, format: 'jwk' });
  const sigPub = createPublicKey(sigKey);
  const encPriv = Buffer.from(thaEnc.d!, 'base64url');
  const encPub = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(thaEnc.x!, 'base64url'),
    Buffer.from(thaEnc.y!, 'base64url'),
  ]);
  const claims = () => ({
    iss: 'USA',
    aud: 'THA',
    jti: randomUUID(),
    iat: Math.floor(Date.now() / 1000),
    tnx: message,
  });

  const sample = await seal(message, 'THA', sealCtx);
  const rawSample = rawSeal(claims(), sigKey, usaSig.kid!, encPub, thaEnc.kid!);
  const wcKeys = await importWebCryptoKeys(usaSig, thaEnc);
  const wcSample = await webCryptoSeal(claims(), wcKeys);
  // All work once before timing.
  await open(sample.jwe, openCtx);
  rawOpen(rawSample, encPriv, sigPub);
  await webCryptoOpen(wcSample, wcKeys);

  const rounds = await measure([
    () => seal(message, 'THA', sealCtx),
    () => open(sample.jwe, openCtx),
    () => rawSeal(claims(), sigKey, usaSig.kid!, encPub, thaEnc.kid!),
    () => rawOpen(rawSample, encPriv, sigPub),
    () => webCryptoSeal(claims(), wcKeys),
    () => webCryptoOpen(wcSample, wcKeys),
  ]);

  const ms = (ops: number) => 1000 / ops;
  const col = (i: number) => median(rounds.map((r) => r[i]!.ops));
  const cpuCol = (i: number) => median(rounds.map((r) => r[i]!.cpuUs));
  const [oursSeal, oursOpen, rawSealOps, rawOpenOps] = [col(0), col(1), col(2), col(3)];
  const ratios = rounds.map(([s, o, rs, ro]) => (ms(s!.ops) + ms(o!.ops)) / (ms(rs!.ops) + ms(ro!.ops)));
  const cpuRatio = (cpuCol(0) + cpuCol(1)) / (cpuCol(2) + cpuCol(3));
  const wcRatios = rounds.map(([s, o, , , ws, wo]) => (ms(s!.ops) + ms(o!.ops)) / (ms(ws!.ops) + ms(wo!.ops)));
  const wcOverNode = rounds.map(([, , rs, ro, ws, wo]) => (ms(ws!.ops) + ms(wo!.ops)) / (ms(rs!.ops) + ms(ro!.ops)));
  const cpu = cpus();
  const row = (name: string, s: number, o: number, cs: number, co: number) =>
    `| ${name.padEnd(22)} | ${s.toFixed(0).padStart(9)} | ${o.toFixed(0).padStart(9)} | ${(ms(s) + ms(o)).toFixed(3).padStart(14)} | ${(cs + co).toFixed(0).padStart(22)} |`;
  const lines = [
    `date ${new Date().toISOString()}  node ${process.version}  ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}  ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `message: protocol/examples/travel-notification.json, ${Buffer.byteLength(JSON.stringify(message))} bytes JSON; sealed JWE ${sample.jwe.length} bytes`,
    `${ROUNDS} interleaved rounds × ${ROUND_MS} ms per workload, sequential; medians shown; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    '',
    '| implementation         | seal op/s | open op/s | seal+open (ms) | seal+open CPU (µs/op) |',
    '|------------------------|-----------|-----------|----------------|------------------------|',
    row('TNX seal()/open()', oursSeal, oursOpen, cpuCol(0), cpuCol(1)),
    row('raw node:crypto', rawSealOps, rawOpenOps, cpuCol(2), cpuCol(3)),
    row('raw WebCrypto', col(4), col(5), cpuCol(4), cpuCol(5)),
    '',
    `ratio (TNX seal+open time / raw time), paired per round: median ${median(ratios).toFixed(2)}×, best ${Math.min(...ratios).toFixed(2)}×, worst ${Math.max(...ratios).toFixed(2)}×  (target ≤ 1.5×)`,
    `CPU-time ratio (all threads): ${cpuRatio.toFixed(2)}×`,
    `ratio TNX / raw WebCrypto (the API jose 6 is built on), paired per round: median ${median(wcRatios).toFixed(2)}×, best ${Math.min(...wcRatios).toFixed(2)}×, worst ${Math.max(...wcRatios).toFixed(2)}×`,
    `ratio raw WebCrypto / raw node:crypto (Node's async WebCrypto dispatch alone): median ${median(wcOverNode).toFixed(2)}×`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
