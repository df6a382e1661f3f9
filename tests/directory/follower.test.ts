/**
 * The follower against a real coordinator: an HTTP server on loopback serving signed documents with
 * ETags, real signatures, a real state file, the real EventBus and audit checks.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../src/core/clock.js';
import { EventBus, type DomainEvent } from '../../src/domain/audit/event-bus.js';
import { checkAuditEvent } from '../../src/domain/audit/check-event.js';
import { Directory } from '../../src/domain/directory/directory.js';
import { DirectoryFollower, type FollowerOptions } from '../../src/features/directory/follower.js';
import { publicJwksOf } from '../../src/domain/keys/files.js';
import { rotateKeySet } from '../../src/domain/keys/rotate.js';
import type { Jwks } from '../../src/domain/keys/jwk.js';
import type { DirectoryEntry } from '../../src/domain/directory/network.js';
import { tempDir } from '../harness/tmp.js';
import { coordinator, document, entry, sign, signRaw, stateKeys, T0, HOUR, DAY, type Coordinator } from './fixtures.js';

/** A minimal coordinator: serves `body` with a strong ETag, answers 304 to a matching If-None-Match. */
class Coordinator_ {
  body = '';
  status = 200;
  requests: { ifNoneMatch: string | undefined }[] = [];
  server!: Server;
  url = '';
  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      this.requests.push({ ifNoneMatch: req.headers['if-none-match'] });
      if (this.status !== 200) {
        res.writeHead(this.status).end();
        return;
      }
      const etag = `"${createHash('sha256').update(this.body).digest('base64url')}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/jose', etag }).end(this.body);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/directory.jws`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe('directory: follower against a real coordinator on loopback', () => {
  let c: Coordinator;
  let usa: Jwks;
  let gbr: Jwks;
  let fra: Jwks;
  let coord: Coordinator_;
  let clock: ManualClock;
  let events: DomainEvent[];
  let directory: Directory;
  let dir: string;

  before(async () => {
    c = await coordinator();
    [usa, gbr, fra] = await Promise.all([stateKeys('USA'), stateKeys('GBR'), stateKeys('FRA')]);
    coord = new Coordinator_();
    await coord.start();
  });
  after(() => coord.stop());

  beforeEach(() => {
    clock = new ManualClock(T0 + 1000);
    events = [];
    directory = new Directory({ directory: { partners: [] } }, { clock });
    dir = tempDir('follower');
    coord.status = 200;
    coord.requests = [];
  });

  function follower(extra: Partial<FollowerOptions> = {}): DirectoryFollower {
    const bus = new EventBus();
    // The audit trail's own admission check: every event must be one it would record.
    bus.subscribe(async (es) => {
      for (const e of es) checkAuditEvent(e);
      events.push(...es);
      await Promise.resolve();
    });
    return new DirectoryFollower({
      url: coord.url,
      network: 'tnx-test',
      anchors: c.public,
      self: 'USA',
      statePath: join(dir, 'directory.jws'),
      directory,
      clock,
      events: bus,
      limits: { concurrency: 4, ratePerSecond: 10 },
      ownKids: () => usa.keys.map((k) => k.kid),
      intervalMs: 3600_000,
      ...extra,
    });
  }

  it('applies, answers 304 without re-verifying, and applies an addition, a rotation and a removal', async () => {
    coord.body = await sign(document(1, [entry('USA', usa), entry('GBR', gbr)]), c);
    const f = follower();
    assert.equal(await f.refresh(), 'applied');
    assert.deepEqual(
      directory.list().map((p) => p.state),
      ['GBR'],
    );
    assert.equal(readFileSync(join(dir, 'directory.jws'), 'utf8'), coord.body, 'last good copy on disk');
    assert.equal(events.at(-1)?.action, 'directory.applied');
    assert.deepEqual((events.at(-1)?.detail as { statesAdded: string[] }).statesAdded, ['GBR', 'USA']);
    assert.equal(f.status().healthy, true);

    assert.equal(await f.refresh(), 'unchanged');
    assert.match(coord.requests.at(-1)?.ifNoneMatch ?? '', /^".+"$/, 'conditional request');

    // Addition: FRA joins.
    coord.body = await sign(document(2, [entry('USA', usa), entry('GBR', gbr), entry('FRA', fra)]), c);
    assert.equal(await f.refresh(), 'applied');
    assert.deepEqual(
      directory
        .list()
        .map((p) => p.state)
        .sort(),
      ['FRA', 'GBR'],
    );
    assert.deepEqual((events.at(-1)?.detail as { statesAdded: string[] }).statesAdded, ['FRA']);

    // Rotation: GBR adds new keys; we seal to the new encryption key at once, still accept the old signing key.
    const { jwks: gbr2, added } = await rotateKeySet(gbr, new ManualClock(T0 + HOUR));
    const gbrRotated: DirectoryEntry = { ...entry('GBR', gbr), jwks: publicJwksOf(gbr2) as DirectoryEntry['jwks'] };
    coord.body = await sign(document(3, [entry('USA', usa), gbrRotated, entry('FRA', fra)]), c);
    assert.equal(await f.refresh(), 'applied');
    const newEnc = added.find((k) => k.use === 'enc')!.kid;
    assert.equal((await directory.encryptionKey('GBR'))?.kid, newEnc);
    assert.equal((await directory.verificationKey(gbr.keys[0]!.kid))?.state, 'GBR');
    const detail = events.at(-1)?.detail as { keysAdded: string[]; previousSerial: number };
    assert.deepEqual(detail.keysAdded.sort(), added.map((k) => `GBR:${k.kid}`).sort());
    assert.equal(detail.previousSerial, 2);

    // Removal: GBR leaves; its keys stop verifying.
    coord.body = await sign(document(4, [entry('USA', usa), entry('FRA', fra)]), c);
    assert.equal(await f.refresh(), 'applied');
    assert.equal(directory.partner('GBR'), undefined);
    assert.equal(await directory.verificationKey(gbr.keys[0]!.kid), undefined);
    assert.deepEqual((events.at(-1)?.detail as { statesRemoved: string[] }).statesRemoved, ['GBR']);
    assert.equal(f.status().serial, 4);
  });

  it('refuses hostile documents, each with its code, keeping the last good one', async () => {
    coord.body = await sign(document(5, [entry('USA', usa), entry('GBR', gbr)]), c);
    const f = follower({ maxBytes: 32 * 1024 });
    assert.equal(await f.refresh(), 'applied');
    const good = coord.body;
    const other = await coordinator();
    const base = { alg: 'ES256', typ: 'tnx-directory+jwt', kid: c.key.kid };
    const hostile: [string, string][] = [
      ['directory_rollback', await sign(document(4, [entry('USA', usa)]), c)],
      ['directory_rollback', await sign(document(5, [entry('USA', usa)]), c)],
      ['directory_expired', await sign(document(6, [entry('USA', usa)], T0 - 8 * DAY), c)],
      ['directory_signature_invalid', await sign(document(7, [entry('USA', usa)]), other)],
      ['directory_signature_invalid', `${good.slice(0, good.lastIndexOf('.') + 1)}${'A'.repeat(86)}`],
      ['directory_signature_invalid', signRaw({ ...base, alg: 'none' }, JSON.stringify(document(8, [])), c)],
      ['directory_malformed', good.slice(0, Math.floor(good.length / 2)).replace(/\.[^.]*$/, '')],
      ['directory_invalid', signRaw(base, JSON.stringify(document(9, [entry('USA', usa), entry('USA', gbr)])), c)],
      [
        'directory_invalid',
        signRaw(
          base,
          JSON.stringify(document(10, [{ ...entry('GBR', gbr), endpoint: 'http://gbr.example.org/in' }])),
          c,
        ),
      ],
      ['directory_too_large', `${good}${' '.repeat(64 * 1024)}`],
    ];
    for (const [code, body] of hostile) {
      coord.body = body;
      assert.equal(await f.refresh(), 'refused', code);
      assert.equal(f.status().lastError?.code, code);
      assert.equal(f.status().serial, 5, `${code}: last good kept`);
      assert.deepEqual(
        directory.list().map((p) => p.state),
        ['GBR'],
        `${code}: partners kept`,
      );
      assert.equal(readFileSync(join(dir, 'directory.jws'), 'utf8'), good, `${code}: state file kept`);
    }
    const refusals = events.filter((e) => e.action === 'directory.refused');
    assert.deepEqual(
      refusals.map((e) => e.outcome),
      hostile.map(([code]) => code),
    );
    // The same bad document again is not a new audit event.
    assert.equal(await f.refresh(), 'refused');
    assert.equal(events.filter((e) => e.action === 'directory.refused').length, hostile.length);
    // A good newer document recovers.
    coord.body = await sign(document(11, [entry('USA', usa), entry('FRA', fra)]), c);
    assert.equal(await f.refresh(), 'applied');
    assert.equal(f.status().lastError, null);
  });

  it('coordinator unreachable: keeps the last good one, reports stale then expired, recovers', async () => {
    coord.body = await sign(document(1, [entry('USA', usa), entry('GBR', gbr)]), c);
    const f = follower();
    assert.equal(await f.refresh(), 'applied');

    coord.status = 503;
    assert.equal(await f.refresh(), 'unavailable');
    assert.equal(f.status().lastError?.code, 'directory_unavailable');
    assert.equal(f.status().stale, false);

    clock.set(T0 + DAY + 1);
    assert.equal(await f.refresh(), 'unavailable');
    let s = f.status();
    assert.equal(s.stale, true);
    assert.equal(s.healthy, false);
    assert.equal(s.consecutiveFailures, 2);
    assert.ok(await directory.encryptionKey('GBR'), 'stale: still sealing');
    assert.deepEqual(events.filter((e) => e.action === 'directory.stale').length, 1);
    await f.refresh();
    assert.deepEqual(events.filter((e) => e.action === 'directory.stale').length, 1, 'announced once');

    // A closed port, not just an error status.
    const unreachable = follower({ url: 'http://127.0.0.1:9/directory.jws', statePath: join(dir, 'directory.jws') });
    assert.equal(await unreachable.refresh(), 'unavailable');

    clock.set(T0 + 7 * DAY);
    await f.refresh();
    s = f.status();
    assert.equal(s.expired, true);
    await assert.rejects(directory.encryptionKey('GBR'), /expired/);
    assert.equal((await directory.verificationKey(gbr.keys[0]!.kid))?.state, 'GBR', 'still receiving');
    assert.equal(events.filter((e) => e.action === 'directory.expired').length, 1);

    coord.status = 200;
    coord.body = await sign(document(2, [entry('USA', usa), entry('GBR', gbr)], T0 + 7 * DAY), c);
    assert.equal(await f.refresh(), 'applied');
    s = f.status();
    assert.equal(s.healthy, true);
    assert.equal(s.consecutiveFailures, 0);
    assert.ok(await directory.encryptionKey('GBR'));
  });

  it('starts from the last good copy on disk when the coordinator is down, and refuses a tampered copy', async () => {
    coord.body = await sign(document(3, [entry('USA', usa), entry('GBR', gbr)]), c);
    assert.equal(await follower().refresh(), 'applied');
    coord.status = 500;
    directory = new Directory({ directory: { partners: [] } }, { clock });
    events = [];
    const f = follower();
    assert.equal(await f.start(), 'unavailable');
    await f.stop();
    assert.equal(f.status().source, 'disk');
    assert.equal(f.status().serial, 3);
    assert.deepEqual(
      directory.list().map((p) => p.state),
      ['GBR'],
    );
    assert.equal(events[0]?.outcome, 'restored');

    // A copy edited on disk no longer verifies: ignored, the gateway starts without it.
    const path = join(dir, 'directory.jws');
    const [h, p, sig] = readFileSync(path, 'utf8').split('.') as [string, string, string];
    const edited = JSON.parse(Buffer.from(p, 'base64url').toString()) as { states: unknown[] };
    edited.states = [];
    writeFileSync(path, `${h}.${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${sig}`);
    directory = new Directory({ directory: { partners: [] } }, { clock });
    const g = follower();
    assert.equal(await g.loadLastGood(), false);
    assert.equal(g.status().loaded, false);
    assert.equal(g.status().lastError?.code, 'directory_signature_invalid');
    assert.ok(existsSync(path));
  });

  it('reports our own keys missing from the directory (a rotation the coordinator has not published)', async () => {
    const { jwks: usa2 } = await rotateKeySet(usa, new ManualClock(T0 + HOUR));
    coord.body = await sign(document(1, [entry('USA', usa), entry('GBR', gbr)]), c);
    const f = follower({ ownKids: () => usa2.keys.map((k) => k.kid) });
    await f.refresh();
    assert.equal(f.status().ownKeysMissing.length, 2);
    assert.equal(f.status().healthy, false);
  });

  it('refuses a directory URL in clear text off loopback', () => {
    assert.throws(() => follower({ url: 'http://coordinator.example.org/directory.jws' }), /must be https/);
  });
});
