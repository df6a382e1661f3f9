/**
 * The two populations the screening benchmark measures, behind one interface: generator A
 * (tests/screening/synthetic, the project's own) and generator B (population-b.ts, written apart
 * from it). A generator says what the registry holds and writes manifest rows with their truth;
 * the matcher sees only the registry and the manifest.
 */
import type { RegistrantForScreening } from '../../src/domain/screening/candidate-index.js';
import type { ManifestPassenger } from '../../src/domain/screening/manifest.js';
import { rng, syntheticPerson, toRegistrant } from '../../tests/screening/synthetic/population.js';
import { namesake, registrantOnBoard, stranger, VARIANT_KINDS } from '../../tests/screening/synthetic/variants.js';
import {
  expiryRng,
  NON_MATCHES_B,
  nonMatch,
  type NonMatchB,
  passengerFor,
  personB,
  registryHistory,
  rngB,
  VARIANTS_B,
  writeVariant,
  type PersonB,
} from './population-b.js';

export interface Truth {
  /** The registrant this passenger is, or null. */
  registrantId: string | null;
  kind: string;
}

export interface Row {
  p: ManifestPassenger;
  t: Truth;
}

export interface Generator {
  name: string;
  /** Registrant i as the registry told the index over time (upserts in order; the last is current). */
  registrant(i: number): RegistrantForScreening[];
  /**
   * Rows of one manifest: `onBoard` registrants in variants, `hard` non-matches built from
   * registrants, the rest strangers. `withDocuments`: a registrant carries a passport the registry
   * has seen; otherwise none or a number it never saw (a renewed passport).
   */
  manifest(m: number, size: number, withDocuments: boolean, onBoard: number, hard: number, total: number): Row[];
}

const SEED_A = 20261128;
const SEED_B = 20261207;

function shuffle<T>(rows: T[], r: () => number): T[] {
  for (let k = rows.length - 1; k > 0; k--) {
    const j = Math.floor(r() * (k + 1));
    [rows[k], rows[j]] = [rows[j]!, rows[k]!];
  }
  return rows;
}

export const generatorA: Generator = {
  name: 'A',
  registrant(i) {
    const r = rng(SEED_A ^ Math.imul(i + 1, 0x9e3779b1));
    return [toRegistrant(syntheticPerson(r, `R${i}`), r)];
  },
  manifest(m, size, withDocuments, onBoard, hard, total) {
    const r = rng(SEED_A + 1 + m * 7919 + (withDocuments ? 1 : 0));
    const person = (i: number) => syntheticPerson(rng(SEED_A ^ Math.imul(i + 1, 0x9e3779b1)), `R${i}`);
    const rows: Row[] = [];
    for (let k = 0; k < onBoard; k++) {
      const i = Math.floor(r() * size);
      const kind = VARIANT_KINDS[(m * onBoard + k) % VARIANT_KINDS.length]!;
      const fresh = syntheticPerson(r, 'new').passport;
      const p = registrantOnBoard(person(i), kind, r, fresh);
      p.documents = withDocuments
        ? [{ type: 'passport', number: person(i).passport, issuingState: p.nationality, expiresOn: null }]
        : p.documents.filter((d) => d.number === fresh);
      rows.push({ p, t: { registrantId: `R${i}`, kind } });
    }
    for (let k = 0; k < hard; k++) {
      const p = person(Math.floor(r() * size));
      rows.push({ p: namesake(p, r, syntheticPerson(r, 'N', p.origin)), t: { registrantId: null, kind: 'namesake' } });
    }
    while (rows.length < total) rows.push({ p: stranger(r, 'S'), t: { registrantId: null, kind: 'stranger' } });
    return shuffle(rows, r);
  },
};

const nameKey = (p: PersonB): string => `${p.sex} ${p.family.join(' ')}/${p.given.join(' ')}`;
const namesOfSize = new Map<number, Map<string, number[]>>();

/** Registrants by exact name (and sex), built once per registry size. */
function registryNames(size: number): Map<string, number[]> {
  let m = namesOfSize.get(size);
  if (!m) {
    m = new Map();
    for (let i = 0; i < size; i++) {
      const k = nameKey(personOfB(i));
      const a = m.get(k);
      if (a) a.push(i);
      else m.set(k, [i]);
    }
    namesOfSize.clear();
    namesOfSize.set(size, m);
  }
  return m;
}

const personOfB = (i: number): PersonB => personB(rngB(SEED_B ^ Math.imul(i + 1, 0x85ebca6b)), `R${i}`);

export const generatorB: Generator = {
  name: 'B',
  registrant: (i) => registryHistory(personOfB(i)),
  manifest(m, size, withDocuments, onBoard, hard, total) {
    const r = rngB(SEED_B + 1 + m * 104729 + (withDocuments ? 1 : 0));
    // Passport expiry dates from a stream of their own: the rows are otherwise those drawn before
    // expiry dates existed (population-b.ts, "Passport expiry dates").
    const x = expiryRng(`manifest ${m} ${withDocuments ? 1 : 0}`);
    const rows: Row[] = [];
    for (let k = 0; k < onBoard; k++) {
      const kind = VARIANTS_B[(m * onBoard + k) % VARIANTS_B.length]!;
      // Variants that need two given names or a long name: draw registrants until one fits.
      for (let attempt = 0; attempt < 200; attempt++) {
        const i = Math.floor(r() * size);
        const p = personOfB(i);
        const w = writeVariant(p, kind, r);
        if (w === null) continue;
        rows.push({ p: passengerFor(p, w, withDocuments, r, x), t: { registrantId: p.id, kind } });
        break;
      }
    }
    // Of the non-matches built from registrants, most are plain namesakes (another date of birth);
    // each constructed near miss — other family name with the same given names and date, same name a
    // year apart, with day and month swapped, or with a year only — comes four times per manifest,
    // about three times as often as each kind of true variant: a hard test, not the natural rate.
    const hardKinds: NonMatchB[] = [
      ...Array<NonMatchB>(hard - 16).fill('namesake'),
      ...NON_MATCHES_B.filter((k) => k !== 'stranger' && k !== 'namesake').flatMap((k) => [k, k, k, k]),
    ];
    const byName = registryNames(size);
    for (let k = 0; k < hard; k++) {
      const kind = hardKinds[k % hardKinds.length]!;
      // Whose name a non-match shares: somebody drawn from the population whose name a registrant
      // also bears — so a registrant is imitated in proportion to how common his name is, as in
      // life: a rare name rarely has a namesake on the same flight, a common one often.
      let p: PersonB | null = null;
      for (let attempt = 0; p === null && attempt < 100_000; attempt++) {
        const f = personB(r, 'N');
        const same = byName.get(nameKey(f));
        if (same) p = personOfB(same[Math.floor(r() * same.length)]!);
      }
      if (p === null) throw new Error('no registrant shares a name with the population');
      const f = personB(r, 'N', p.origin);
      rows.push({ p: nonMatch(kind, p, f, r, x), t: { registrantId: null, kind } });
    }
    while (rows.length < total) {
      const f = personB(r, 'S');
      rows.push({ p: nonMatch('stranger', f, f, r, x), t: { registrantId: null, kind: 'stranger' } });
    }
    return shuffle(rows, r);
  },
};

export const GENERATORS: Record<string, Generator> = { A: generatorA, B: generatorB };
