/**
 * Keep probing: property-based tests (fast-check) throw generated hostile input at ONE real gateway
 * (real HTTP, real SQLite file, real Redis; started as `tnx serve` starts it) — sealed envelopes with
 * mutated headers and parts, inner signatures with wrong alg/typ/crit/kid, truncated and oversized
 * parts; odd, duplicate and oversized headers, chunked bodies; paths with percent-escapes, `..`,
 * unicode and %00; hostile query strings — on routes drawn from the route table. Any 5xx, a crash
 * (the gateway stops answering /healthz), a stored inbound or outbound row, or a generated value
 * echoed in an answer or in a log line of the gateway fails the suite.
 *
 * Every generated free-text value carries the taint `zqT`, so an echo is found by one search. The
 * budget is fixed (numRuns below, ≈ 30 s on a loaded 2-core machine); the seed comes from FC_SEED or
 * is random, and is always printed, so a failure replays with `FC_SEED=<seed> npx mocha <this file>`.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { CompactEncrypt, CompactSign, base64url } from 'jose';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { loadConfigFile } from '../../src/config/load.js';
import { ROLES } from '../../src/config/schema.js';
import { Directory } from '../../src/domain/directory/directory.js';
import { KeyRing } from '../../src/domain/keys/keyring.js';
import { ROUTES, isHttpRoute, type TableRoute } from '../../src/http/route-table.js';
import { CONFIG_DIR, inboundNotification, partnerSealer } from '../gateway/bootstrap.js';
import { securityWorld, type SecurityWorld } from './world.js';

const TAINT = 'zqT';
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : randomInt(2 ** 31 - 1);
// Printed on purpose: the one line needed to replay a failure.
console.log('fast-check seed', seed);

const RUNS = { envelopes: 120, headers: 120, paths: 150, queries: 150 } as const;
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed, numRuns, endOnFailure: true });

const enc = new TextEncoder();
const b64 = (s: string | Uint8Array): string => base64url.encode(typeof s === 'string' ? enc.encode(s) : s);

/** Free text that always carries the taint: whatever the gateway echoes of it is found. */
const tainted = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${TAINT}${s}`);
const taintedAscii = fc.string({ maxLength: 24 }).map((s) => `${TAINT}${s}`);
const headerValue = fc.oneof(
  taintedAscii.map((s) => s.replace(/[\r\n\u0000]/g, '')),
  fc.constant(`${TAINT}${'x'.repeat(9000)}`),
);

describe('security: property-based probing of a real gateway (fast-check)', function () {
  this.timeout(180_000);
  let world: SecurityWorld;
  let db: Database.Database;
  let valid: string;
  let usaEnc: { alg: string; kid: string; key: Parameters<CompactEncrypt['encrypt']>[0] };
  let thaSig: { alg: string; kid: string; key: Parameters<CompactSign['sign']>[0] };

  const rows = (): { inbound: number; outbound: number } => ({
    inbound: (db.prepare('SELECT count(*) AS n FROM inbound').get() as { n: number }).n,
    outbound: (db.prepare('SELECT count(*) AS n FROM outbound').get() as { n: number }).n,
  });

  async function send(
    method: string,
    path: string,
    headers: Record<string, string | string[]> = {},
    body?: string | Readable,
  ): Promise<{ status: number; text: string; head: string }> {
    const res = await request(world.url + path, {
      method: method as 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.body.text();
    return { status: res.statusCode, text, head: JSON.stringify(res.headers) };
  }

  /** The properties' common verdict on one answer. */
  function judge(what: string, r: { status: number; text: string; head: string }): void {
    assert.ok(r.status < 500, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.ok(!r.text.includes(TAINT) && !r.head.includes(TAINT), `${what}: echoed ${r.text.slice(0, 200)}`);
  }

  async function stillUp(): Promise<void> {
    const r = await send('GET', '/healthz');
    assert.equal(r.status, 200, 'the gateway still answers');
  }

  before(async () => {
    world = await securityWorld({ http: { host: '127.0.0.1', port: 0, refusalLimit: 1_000_000 } });
    db = new Database(world.sqlitePath, { readonly: true, fileMustExist: true });
    valid = (await (await partnerSealer('THA')).seal(inboundNotification('THA'))).jwe;
    const tha = loadConfigFile(join(CONFIG_DIR, 'tha.json'), {});
    const directory = new Directory(tha);
    await directory.importAll();
    const e = await directory.encryptionKey('USA');
    usaEnc = e as typeof usaEnc;
    const keys = await KeyRing.fromFile(tha.keys.privateJwksPath, { allowInsecureMode: true });
    thaSig = keys.signingKey() as unknown as typeof thaSig;
  });
  after(async () => {
    db?.close();
    await world?.close();
  });

  it('hostile envelopes on the inbox: refused with 4xx, nothing stored, nothing echoed', async () => {
    const parts = valid.split('.');
    const outerHeader = JSON.parse(new TextDecoder().decode(base64url.decode(parts[0]!))) as Record<string, unknown>;
    const headerMutation = fc.record(
      {
        alg: fc.constantFrom('none', 'dir', 'RSA1_5', 'ECDH-ES', 'HS256', 'A128KW', `${TAINT}alg`),
        enc: fc.constantFrom('A128CBC-HS256', 'A128GCM', `${TAINT}enc`),
        typ: fc.constantFrom('JWT', 'tnx+jwt', `${TAINT}typ`),
        cty: fc.constantFrom('JWT', 'json', `${TAINT}cty`),
        kid: fc.oneof(tainted, fc.constant(`${TAINT}${'k'.repeat(5000)}`)),
        crit: fc.constantFrom([`${TAINT}ext`], ['b64'], [], 'x'),
        zip: fc.constant('DEF'),
        jwk: fc.constant({ kty: 'oct', k: TAINT }),
        jku: fc.constant(`https://${TAINT}.example/jwks`),
        x5u: fc.constant(`https://${TAINT}.example/x5u`),
      },
      { requiredKeys: [] },
    );
    const outer = fc.oneof(
      // the real envelope with its protected header changed (what an attacker can do without keys)
      headerMutation.map((m) => [b64(JSON.stringify({ ...outerHeader, ...m })), ...parts.slice(1)].join('.')),
      // parts replaced, dropped, repeated, truncated or blown up
      fc
        .tuple(fc.nat({ max: 4 }), fc.oneof(fc.base64String({ maxLength: 64 }), fc.constant(''), tainted.map(b64)))
        .map(([i, p]) => parts.map((x, j) => (j === i ? p : x)).join('.')),
      fc.integer({ min: 0, max: 8 }).map((n) => Array.from({ length: n }, (_, i) => parts[i % 5]).join('.')),
      fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
      fc.constantFrom(300_000, 270_000).map((n) => `${parts[0]}.${'A'.repeat(n)}`),
      tainted,
    );
    // A real JWE to us around an inner JWS whose header is wrong: checked after decryption.
    const inner = fc.record({
      alg: fc.constantFrom('none', 'HS256', 'RS256', 'EdDSA', 'ES256', 'PS256', `${TAINT}`),
      typ: fc.constantFrom('JWT', 'tnx+jwt', undefined, `${TAINT}typ`),
      kid: fc.oneof(tainted, fc.constant(undefined)),
      crit: fc.constantFrom(undefined, [`${TAINT}c`], ['exp']),
      claims: fc.oneof(
        fc.constant('{'),
        tainted.map((t) => JSON.stringify({ iss: 'THA', aud: 'USA', tnx: t })),
      ),
      signed: fc.boolean(),
    });
    const innerJwe = async (h: {
      alg: string;
      typ: string | undefined;
      kid: string | undefined;
      crit: readonly string[] | undefined;
      claims: string;
      signed: boolean;
    }): Promise<string> => {
      const header: Record<string, unknown> = { alg: h.alg };
      if (h.typ) header.typ = h.typ;
      if (h.kid) header.kid = h.kid;
      if (h.crit) header.crit = h.crit;
      let jws = `${b64(JSON.stringify(header))}.${b64(h.claims)}.${b64(`${TAINT}sig`)}`;
      if (h.signed) {
        // Signed with THA's real key, only the header is wrong (alg kept as the key needs it).
        try {
          jws = await new CompactSign(enc.encode(h.claims))
            .setProtectedHeader({ ...header, alg: thaSig.alg, ...(h.crit ? { [h.crit[0]!]: true } : {}) })
            .sign(thaSig.key);
        } catch {
          // jose refused to produce it: the forged one above is sent instead
        }
      }
      return new CompactEncrypt(enc.encode(jws))
        .setProtectedHeader({ alg: usaEnc.alg, enc: 'A256GCM', kid: usaEnc.kid, cty: 'tnx+jwt' })
        .encrypt(usaEnc.key);
    };
    const before = rows();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          // A "mutation" that gives back the real envelope byte for byte is not hostile: left out.
          outer.filter((jwe) => jwe !== valid).map((jwe) => ({ jwe })),
          inner.map((h) => ({ h })),
        ),
        fc.constantFrom('application/jose', 'application/jose; charset=utf-8', 'application/json', 'text/plain'),
        async (g, type) => {
          const body = 'jwe' in g ? g.jwe : await innerJwe(g.h);
          const r = await send('POST', '/tnx/v1/messages', { 'content-type': type }, body);
          judge('envelope', r);
          assert.ok(r.status >= 400, `a hostile envelope was accepted: ${r.status}`);
        },
      ),
      params(RUNS.envelopes),
    );
    assert.deepEqual(rows(), before, 'no inbound or outbound row stored');
    await stillUp();
  });

  const routes = ROUTES.filter((r) => !r.path.includes(':'));
  const routeArb = fc.constantFrom(...ROUTES);
  const credential = (r: TableRoute) =>
    fc.constantFrom<(string | undefined)[]>(
      undefined,
      ...(r.roles ?? []).map((role) => world.auth(role)),
      world.auth(ROLES[0]!),
      `Bearer ${TAINT}`,
    );
  const concrete = (r: TableRoute): string => r.path.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');

  it('hostile headers and bodies on any route: no 5xx, nothing stored, nothing echoed', async () => {
    assert.ok(routes.length > 10);
    const before = rows();
    await fc.assert(
      fc.asyncProperty(
        routeArb.chain((r) => fc.tuple(fc.constant(r), credential(r))),
        fc.oneof(
          fc.constantFrom(
            'application/json',
            'application/json; charset=utf-16',
            'application/json; charset=latin1',
            'application/xml',
            'application/tnx+xml; charset=utf-8',
            'application/jose',
            'application/edifact',
            'multipart/form-data; boundary=x',
            'application/x-www-form-urlencoded',
            'text/html',
            'application/json, application/xml',
            '',
          ),
          taintedAscii.map((s) => `application/${s.replace(/[^\w.+-]/g, '')}`),
        ),
        fc.dictionary(
          fc.constantFrom(
            'x-tnx',
            'accept',
            'idempotency-key',
            'accept-encoding',
            'content-encoding',
            'x-forwarded-for',
          ),
          fc.oneof(headerValue, fc.array(headerValue, { minLength: 2, maxLength: 3 })),
          { maxKeys: 3 },
        ),
        fc.oneof(
          tainted.map((t) => JSON.stringify({ [t]: t, v: t, type: t })),
          tainted.map((t) => `{"a":1,"a":"${TAINT}",${JSON.stringify(t)}:[`),
          tainted.map((t) => `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "${TAINT}">]><x>&e;${t.length}</x>`),
          fc.constant(`{"__proto__":{"${TAINT}":1},"constructor":{"prototype":{}}}`),
          fc.constant('['.repeat(5000)),
          tainted,
        ),
        fc.boolean(),
        async ([route, auth], type, extra, body, chunked) => {
          const headers: Record<string, string | string[]> = { ...extra };
          if (auth) headers.authorization = auth;
          if (type) headers['content-type'] = type;
          const hasBody = route.method !== 'GET';
          const payload = hasBody
            ? chunked
              ? Readable.from([enc.encode(body.slice(0, 7)), enc.encode(body.slice(7))])
              : body
            : undefined;
          const r = await send(route.method, concrete(route), headers, payload);
          judge(`${route.method} ${route.path}`, r);
        },
      ),
      params(RUNS.headers),
    );
    assert.deepEqual(rows(), before, 'no inbound or outbound row stored');
    await stillUp();
  });

  it('hostile paths: no 5xx, no crash, nothing echoed', async () => {
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E',
        '%2f',
        '%5c',
        '%00',
        '%FF',
        '%E0%A4%A',
        '%',
        '%%',
        '%C0%AE',
        '~',
        ';',
      ),
      tainted.map((s) => encodeURIComponent(s)),
      taintedAscii.map((s) => `${TAINT}${s.replace(/[^\w]/g, '')}%`),
      fc.constantFrom('ü', 'İ', '\u202e', '𝕏').map((u) => `${TAINT}${encodeURIComponent(u)}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES.map((r) => r.path)),
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.constantFrom<(string | undefined)[]>(undefined, ...ROLES.map((role) => world.auth(role))),
        async (template, segs, method, auth) => {
          let i = 0;
          let path = template.replace(/:(\w+)/g, () => segs[i++ % segs.length]!);
          if (i === 0) path = `${path}/${segs.join('/')}`;
          const r = await send(method, path, auth ? { authorization: auth } : {});
          judge(`${method} ${template}`, r);
        },
      ),
      params(RUNS.paths),
    );
    await stillUp();
  });

  it('hostile query strings on any route: no 5xx, nothing echoed', async () => {
    const name = fc.oneof(
      fc.constantFrom(
        'purpose',
        'limit',
        'cursor',
        'from',
        'to',
        'partner',
        '__proto__',
        'constructor',
        'a[b]',
        'limit[]',
      ),
      taintedAscii,
    );
    const value = fc.oneof(
      tainted,
      fc.constantFrom('-1', '1e9', '99999999999999999999', 'NaN', '', '%', '%00', '%0D%0A', '2026-13-45'),
    );
    await fc.assert(
      fc.asyncProperty(
        routeArb.chain((r) => fc.tuple(fc.constant(r), credential(r))),
        fc.array(fc.tuple(name, value, fc.boolean()), { maxLength: 5 }),
        async ([route, auth], pairs) => {
          const q = pairs
            .map(([n, v, raw]) => (raw ? `${n}=${v}` : `${encodeURIComponent(n)}=${encodeURIComponent(v)}`))
            .join('&');
          const r = await send(
            route.method === 'GET' || isHttpRoute(route) ? 'GET' : route.method,
            `${concrete(route)}?${q}`,
            auth ? { authorization: auth } : {},
          );
          judge(`${route.path}?…`, r);
        },
      ),
      params(RUNS.queries),
    );
    await stillUp();
  });

  it('no log line of the gateway (debug level) carries a generated value', () => {
    const lines = world
      .logText()
      .split('\n')
      .filter((l) => l.includes(TAINT));
    assert.deepEqual(lines.slice(0, 5), [], `${lines.length} log lines echo generated input`);
  });
});
