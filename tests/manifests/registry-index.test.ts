/**
 * The registry-backed screening index against a real SQLite store and a real event bus: built at
 * start-up from the sealed registrants (active ones only), kept current when a registrant is created,
 * updated, ended or erased — by the registry's own domain events — and never holding a record it
 * cannot open.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EventBus } from '../../src/domain/audit/event-bus.js';
import { RegistryIndex } from '../../src/features/screening/registry-index.js';
import { createLogger } from '../../src/core/logger.js';
import { registrantAltered, registrantCreated, registrantErased } from '../../src/domain/registry/registry-events.js';
import type { Registrant } from '../../src/domain/registry/registrant.js';
import { resealRegistrant, sealRegistrant, shredRegistrant } from '../../src/domain/registry/sealed-registrant.js';
import type { Manifest } from '../../src/domain/screening/manifest.js';
import { screenManifest } from '../../src/domain/screening/screen.js';
import { openSqliteStore } from '../../src/adapters/store-sqlite/open-sqlite-store.js';
import type { Store } from '../../src/ports/store/index.js';
import { tempDir } from '../harness/tmp.js';
import { cyrillicRegistrant, freshKeys, greekRegistrant } from '../registry/fixtures.js';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const log = createLogger({ level: 'silent' });

function flightWith(familyName: string, givenNames: string[], dateOfBirth: string, doc: string): Manifest {
  return {
    flight: {
      carrier: 'BA',
      flightNumber: 'BA178',
      departureAirport: 'JFK',
      arrivalAirport: 'LHR',
      scheduledDeparture: '2026-12-20T10:15',
      scheduledArrival: null,
    },
    passengers: [
      {
        role: 'passenger',
        familyName,
        givenNames,
        sex: 'M',
        dateOfBirth,
        nationality: null,
        documents: [{ type: 'passport', number: doc, issuingState: null, expiresOn: null }],
        bookingRef: null,
        embarkation: null,
        debarkation: null,
      },
    ],
  };
}
/** 0 → "a", 27 → "bb": distinct Latin-only names (registry names take letters only). */
const letters = (i: number): string =>
  (i < 26 ? '' : letters(Math.floor(i / 26) - 1)) + String.fromCharCode(97 + (i % 26));
const found = (ix: RegistryIndex, m: Manifest): string[] =>
  screenManifest(m, ix.index).passengers.flatMap((p) => p.candidates.map((c) => c.registrantId));

describe('registry-backed screening index', function () {
  this.timeout(20_000);
  const keys = freshKeys();
  let store: Store;
  before(async () => {
    store = await openSqliteStore({ path: join(tempDir('tnx-index'), 'tnx.sqlite') });
  });
  after(async () => store.close());

  const petrov = flightWith('PETROFF', ['DMITRY'], '1979-03-14', 'K48213377');

  it('builds from the store at start-up: active registrants in, suspended and erased out', async () => {
    const active = cyrillicRegistrant();
    const suspended = greekRegistrant({ status: 'suspended' });
    const gone = cyrillicRegistrant();
    for (const r of [active, suspended, gone]) await store.registry.insert(sealRegistrant(r, keys, NOW));
    await store.registry.erase(shredRegistrant((await store.registry.get(gone.id))!, NOW));
    // More than one page (1,000) of the start-up scan: 1,200 more active registrants.
    for (let i = 0; i < 1200; i++) {
      const r: Registrant = greekRegistrant({
        person: {
          ...greekRegistrant().person,
          name: { family: `Filler${letters(i)}`, given: ['Anon'] },
          travelDocuments: [{ number: `FX${100000 + i}`, type: 'passport', issuingState: 'GRC' }],
        },
      });
      await store.registry.insert(sealRegistrant(r, keys, NOW));
    }
    const ix = new RegistryIndex({ registry: store.registry, keys, log });
    await ix.ready();
    assert.equal(ix.index.size, 1201);
    assert.ok(ix.index.has(active.id));
    assert.ok(!ix.index.has(suspended.id), 'suspended registrations are not screened');
    assert.ok(!ix.index.has(gone.id), 'erased registrants are not screened');
    assert.deepEqual(
      found(ix, petrov).filter((id) => id === active.id),
      [active.id],
      'found under a variant name',
    );
  });

  it('follows the registry events: created, updated, ended, erased', async () => {
    const events = new EventBus();
    const ix = new RegistryIndex({ registry: store.registry, keys, log });
    await ix.ready();
    ix.follow(events);
    const r = cyrillicRegistrant({
      person: {
        ...cyrillicRegistrant().person,
        travelDocuments: [{ number: 'NEW0000001', type: 'passport', issuingState: 'USA' }],
      },
    });
    const probe = flightWith('PETROV', ['DMITRII'], '1979-03-14', 'NEW0000001');
    assert.ok(!found(ix, probe).includes(r.id));

    await store.registry.insert(sealRegistrant(r, keys, NOW));
    await events.publish(registrantCreated(r.id, 'registry', NOW));
    assert.ok(found(ix, probe).includes(r.id), 'created → indexed');

    // Updated: a new name and passport. The old identity no longer matches, the new one does.
    const prev = (await store.registry.get(r.id))!;
    const { nameOriginalScript: _script, aliases: _aliases, ...person } = r.person;
    const renamed: Registrant = {
      ...r,
      person: {
        ...person,
        name: { family: 'Sokolov', given: ['Arkady'] },
        travelDocuments: [{ number: 'SK7000002', type: 'passport', issuingState: 'USA' }],
      },
    };
    const next = resealRegistrant(prev, renamed, keys, NOW + 1);
    assert.equal(await store.registry.replace(next, prev.updatedAt), true);
    await events.publish(registrantAltered(r.id, 'registry', NOW + 1));
    assert.ok(
      found(ix, flightWith('SOKOLOV', ['ARKADY'], '1979-03-14', 'SK7000002')).includes(r.id),
      'updated → new identity found',
    );
    assert.ok(!found(ix, probe).includes(r.id), 'updated → old identity gone');

    // Ended: no longer screened.
    const cur = (await store.registry.get(r.id))!;
    const ended = resealRegistrant(cur, { ...renamed, status: 'ended', registrationEnd: '2026-11-19' }, keys, NOW + 2);
    assert.equal(await store.registry.replace(ended, cur.updatedAt), true);
    await events.publish(registrantAltered(r.id, 'registry', NOW + 2));
    assert.ok(!ix.index.has(r.id), 'ended → removed');

    // Erased (after reinstating, to see the removal): crypto-shredded records leave the index.
    const again = (await store.registry.get(r.id))!;
    assert.equal(
      await store.registry.replace(
        resealRegistrant(again, { ...renamed, status: 'active', registrationEnd: null }, keys, NOW + 3),
        again.updatedAt,
      ),
      true,
    );
    await events.publish(registrantAltered(r.id, 'registry', NOW + 3));
    assert.ok(ix.index.has(r.id));
    await store.registry.erase(shredRegistrant((await store.registry.get(r.id))!, NOW + 4));
    await events.publish(registrantErased(r.id, 'registry', NOW + 4, 'request'));
    assert.ok(!ix.index.has(r.id), 'erased → removed');

    // Other entities' events are ignored; after close() nothing is followed any more.
    ix.close();
    const late = cyrillicRegistrant();
    await store.registry.insert(sealRegistrant(late, keys, NOW + 5));
    await events.publish(registrantCreated(late.id, 'registry', NOW + 5));
    assert.ok(!ix.index.has(late.id));
  });

  it('a record that cannot be opened (wrong KEK) is left out, not fatal', async () => {
    const other = freshKeys();
    const stranger = cyrillicRegistrant();
    await store.registry.insert(sealRegistrant(stranger, other, NOW));
    const ix = new RegistryIndex({ registry: store.registry, keys, log });
    await ix.ready();
    assert.ok(!ix.index.has(stranger.id));
    assert.ok(ix.index.size > 1000);
  });
});
