/**
 * The coordinator's tool and the state's side of it, run as the real `tnx` command: a coordinator key,
 * a working file edited by init/add/update/remove, signed issues that a gateway's verifier accepts,
 * and `tnx keys rotate` printing what the state sends to the coordinator.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../harness/tmp.js';
import { tnx } from '../cli/keys-spawn.js';
import { verifyNetworkDirectory } from '../../src/domain/directory/network-jws.js';
import type { Jwks } from '../../src/domain/keys/jwk.js';
import { POC } from './fixtures.js';

const readJson = <T>(p: string) => JSON.parse(readFileSync(p, 'utf8')) as T;

describe('cli: tnx directory and the coordinator key', () => {
  let dir: string;
  let work: string;
  before(() => {
    dir = tempDir('directory-cli');
    work = join(dir, 'work.json');
  });

  function ok(args: string[]): string {
    const r = tnx(args);
    assert.equal(r.status, 0, `${args.join(' ')}\n${r.stderr}`);
    return r.stdout;
  }

  it('runs the whole cycle: coordinator key, onboarding, signing, rotation, retirement, removal', async function () {
    // About twenty real processes, each loading TypeScript through tsx: slow on a busy machine.
    this.timeout(300_000);
    // The coordinator's key pair: one signing key, private 0600, public = the trust anchor.
    ok(['keys', 'generate', '--use', 'coordinator', '--out', dir]);
    const coordPriv = join(dir, 'coordinator.private.jwks.json');
    const coordPub = join(dir, 'coordinator.public.jwks.json');
    assert.equal(statSync(coordPriv).mode & 0o777, 0o600);
    const anchors = readJson<Jwks>(coordPub);
    assert.deepEqual(
      anchors.keys.map((k) => [k.use, k.alg]),
      [['sig', 'ES256']],
    );
    assert.match(anchors.keys[0]!.kid, /^coordinator-sig-/);

    // Two states make their keys and send their entries.
    ok(['keys', 'generate', '--state', 'USA', '--out', dir]);
    ok(['keys', 'generate', '--state', 'GBR', '--out', dir]);
    for (const [state, port] of [
      ['USA', 7101],
      ['GBR', 7102],
    ] as const) {
      writeFileSync(
        join(dir, `${state}.entry.json`),
        JSON.stringify({
          state,
          name: `State ${state}`,
          endpoint: `http://127.0.0.1:${port}/tnx/v1/messages`,
          pointOfContact: POC,
        }),
      );
    }
    ok(['directory', 'init', '--file', work, '--network', 'tnx-test']);
    ok([
      'directory',
      'add',
      '--file',
      work,
      '--entry',
      join(dir, 'USA.entry.json'),
      '--jwks',
      join(dir, 'usa.public.jwks.json'),
    ]);
    ok([
      'directory',
      'add',
      '--file',
      work,
      '--entry',
      join(dir, 'GBR.entry.json'),
      '--jwks',
      join(dir, 'gbr.public.jwks.json'),
    ]);
    const dup = tnx([
      'directory',
      'add',
      '--file',
      work,
      '--entry',
      join(dir, 'USA.entry.json'),
      '--jwks',
      join(dir, 'usa.public.jwks.json'),
    ]);
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /conflict: USA is already in the directory/);

    const s1 = join(dir, 'directory.1.jws');
    assert.match(ok(['directory', 'sign', '--file', work, '--keys', coordPriv, '--out', s1]), /serial 1, 2 states/);
    const v1 = await verifyNetworkDirectory(readFileSync(s1, 'utf8'), {
      anchors,
      now: Date.now(),
      network: 'tnx-test',
    });
    assert.deepEqual(
      v1.document.states.map((s) => s.state),
      ['GBR', 'USA'],
    );
    assert.match(
      ok(['directory', 'verify', '--in', s1, '--anchors', coordPub, '--network', 'tnx-test']),
      /OK: network tnx-test, serial 1/,
    );

    // USA rotates: `keys rotate` prints (and writes) the entry fragment for the coordinator.
    const usaEntry = join(dir, 'usa.rotation.json');
    const rot = ok(['keys', 'rotate', '--keys', join(dir, 'usa.private.jwks.json'), '--entry', usaEntry]);
    assert.match(rot, /send to the coordinator \(tnx directory update --state USA --entry FILE --activate-in-hours H;/);
    const fragment = readJson<{ state: string; jwks: Jwks }>(usaEntry);
    assert.equal(fragment.state, 'USA');
    assert.equal(fragment.jwks.keys.length, 4);
    assert.ok(
      fragment.jwks.keys.every((k) => k.d === undefined),
      'public keys only',
    );
    assert.ok(rot.includes(fragment.jwks.keys[3]!.kid), 'printed too');
    ok(['directory', 'update', '--file', work, '--state', 'USA', '--entry', usaEntry]);
    const s2 = join(dir, 'directory.2.jws');
    ok(['directory', 'sign', '--file', work, '--keys', coordPriv, '--out', s2]);
    const diff = ok(['directory', 'verify', '--in', s2, '--anchors', coordPub, '--previous', s1]);
    assert.match(diff, /serial 1 -> 2/);
    assert.match(diff, /keys added: USA:USA-sig-.*USA:USA-enc-/);

    // USA retires its old keys: the fragment no longer lists them, so the update marks them retired.
    const oldKids = fragment.jwks.keys.slice(0, 2).map((k) => k.kid);
    for (const kid of oldKids)
      ok(['keys', 'retire', '--keys', join(dir, 'usa.private.jwks.json'), '--kid', kid, '--entry', usaEntry]);
    assert.match(ok(['directory', 'update', '--file', work, '--state', 'USA', '--entry', usaEntry]), /retired/);
    // GBR's signing key is compromised: revoked by the coordinator; GBR moves to HTTPS.
    const gbrSig = readJson<Jwks>(join(dir, 'gbr.public.jwks.json')).keys[0]!.kid;
    ok([
      'directory',
      'update',
      '--file',
      work,
      '--state',
      'GBR',
      '--revoke',
      gbrSig,
      '--endpoint',
      'https://tnx.gbr.example.org/tnx/v1/messages',
    ]);
    const s3 = join(dir, 'directory.3.jws');
    ok(['directory', 'sign', '--file', work, '--keys', coordPriv, '--out', s3]);
    const d3 = ok(['directory', 'verify', '--in', s3, '--anchors', coordPub, '--previous', s2]);
    assert.match(d3, /keys retired: .*USA:/);
    assert.match(d3, /keys revoked: GBR:/);
    assert.match(d3, /endpoint changed: GBR/);
    const doc3 = (await verifyNetworkDirectory(readFileSync(s3, 'utf8'), { anchors, now: Date.now() })).document;
    const usaKeys = doc3.states.find((s) => s.state === 'USA')!.jwks.keys;
    assert.deepEqual(
      usaKeys
        .filter((k) => k.tnx_retired)
        .map((k) => k.kid)
        .sort(),
      [...oldKids].sort(),
      'kept with a marker',
    );

    // Rollback: verifying the older issue against the newer one is refused.
    const back = tnx(['directory', 'verify', '--in', s2, '--anchors', coordPub, '--previous', s3]);
    assert.equal(back.status, 1);
    assert.match(back.stderr, /directory_rollback/);

    // Removal.
    ok(['directory', 'remove', '--file', work, '--state', 'GBR']);
    const s4 = join(dir, 'directory.4.jws');
    ok(['directory', 'sign', '--file', work, '--keys', coordPriv, '--out', s4]);
    assert.match(
      ok(['directory', 'verify', '--in', s4, '--anchors', coordPub, '--previous', s3]),
      /states removed: GBR/,
    );
  });

  it('refuses bad edits where they are made, and a document signed by another coordinator', function () {
    this.timeout(120_000);
    const bad = join(dir, 'bad.entry.json');
    writeFileSync(
      bad,
      JSON.stringify({ state: 'FRA', name: 'France', endpoint: 'http://fra.example.org/in', pointOfContact: POC }),
    );
    const r = tnx(['directory', 'add', '--file', work, '--entry', bad, '--jwks', join(dir, 'usa.public.jwks.json')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /directory_invalid: .*endpoint must be an https/);
    const priv = join(dir, 'leak.entry.json');
    const privKeys = readJson<Jwks>(join(dir, 'gbr.private.jwks.json'));
    writeFileSync(
      priv,
      JSON.stringify({ state: 'FRA', name: 'France', endpoint: null, pointOfContact: POC, jwks: privKeys }),
    );
    // A state that sends its private JWKS by mistake: private members are dropped by allow-list.
    const leak = tnx(['directory', 'add', '--file', work, '--entry', priv]);
    assert.equal(leak.status, 0, leak.stderr);
    const stored = readFileSync(work, 'utf8');
    assert.ok(!stored.includes(String(privKeys.keys[0]!.d)), 'no private key material in the working file');

    const other = tempDir('other-coordinator');
    ok(['keys', 'generate', '--use', 'coordinator', '--out', other]);
    const forged = join(other, 'forged.jws');
    ok(['directory', 'sign', '--file', work, '--keys', join(other, 'coordinator.private.jwks.json'), '--out', forged]);
    const v = tnx(['directory', 'verify', '--in', forged, '--anchors', join(dir, 'coordinator.public.jwks.json')]);
    assert.equal(v.status, 1);
    assert.match(v.stderr, /directory_signature_invalid: kid is not one of the trust anchors/);

    const usage = tnx(['directory', 'frobnicate']);
    assert.equal(usage.status, 2);
    const noState = tnx(['keys', 'generate', '--use', 'coordinator', '--state', 'USA', '--out', other]);
    assert.equal(noState.status, 2);
  });
});
