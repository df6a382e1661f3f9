/**
 * How common a value is in the registry: the "u" of a Fellegi–Sunter comparison — the chance that a
 * person who is NOT the registrant agrees on this value by coincidence. Agreeing on WANG or on
 * 1 January says little; agreeing on a name seen twice in a million says a lot. Counts are kept per
 * name token (spelling-folded, so IURII and YURIY count together), per full date of birth, per birth
 * year, per year and month, and per citizenship, and follow the registry through `add`/`remove`.
 *
 * Shares are smoothed towards a prior with a pseudo-count (additive smoothing): a registry of ten
 * people must not conclude that every name is common, and a name the registry has never seen is not
 * infinitely rare — the passengers come from a far larger population than the registry.
 */
import { birthYear } from './birth-date.js';
import type { ScreeningWeights } from './config.js';
import { foldSpelling } from './spelling-fold.js';

/** What the score asks: the share of the other registrants holding a value the compared one holds. */
export interface Rarity {
  token(token: string): number;
  /** A whole name form (its tokens in any order): names are not independent draws of tokens. */
  name(tokens: readonly string[]): number;
  /** Packed date; full, year-month (DD = 00) or year (MMDD = 0000). */
  date(packed: number): number;
  nationality(code: string): number;
  /** Registrants counted (0 for the priors alone). */
  readonly size: number;
}

type Priors = ScreeningWeights['frequency'];

function nameHash(tokens: readonly string[]): number {
  const s = tokens.map(foldSpelling).sort().join(' ');
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function bump(m: Map<string | number, number>, k: string | number, d: number): void {
  const n = (m.get(k) ?? 0) + d;
  if (n <= 0) m.delete(k);
  else m.set(k, n);
}

export class FrequencyTable implements Rarity {
  private readonly tokens = new Map<string | number, number>();
  /** Whole names by a 32-bit hash of their sorted folded tokens (a collision only makes a name look commoner). */
  private readonly names = new Map<string | number, number>();
  private readonly dates = new Map<string | number, number>();
  private readonly nationalities = new Map<string | number, number>();
  private people = 0;

  constructor(private readonly priors: Priors) {}

  get size(): number {
    return this.people;
  }

  /** Counts one registrant: each distinct token of its name forms once, its date, its citizenships. */
  add(names: readonly (readonly string[])[], packedDate: number, citizenships: readonly string[], d = 1): void {
    this.people += d;
    const seen = new Set<string>();
    for (const form of names) for (const t of form) seen.add(foldSpelling(t));
    for (const t of seen) bump(this.tokens, t, d);
    for (const h of new Set(names.map(nameHash))) bump(this.names, h, d);
    if (packedDate !== 0) {
      const y = birthYear(packedDate) * 10000;
      const ym = Math.floor(packedDate / 100) * 100;
      bump(this.dates, y, d);
      if (ym !== y) bump(this.dates, ym, d);
      if (packedDate !== ym) bump(this.dates, packedDate, d);
    }
    for (const c of new Set(citizenships)) bump(this.nationalities, c, d);
  }

  remove(names: readonly (readonly string[])[], packedDate: number, citizenships: readonly string[]): void {
    this.add(names, packedDate, citizenships, -1);
  }

  /**
   * Share among the OTHER registrants: every lookup is for a value the compared registrant holds, and
   * u is the chance that somebody else agrees — a name only he bears is rare, not "one in N".
   */
  private share(m: Map<string | number, number>, k: string | number, prior: number): number {
    const a = this.priors.pseudoCount;
    const others = Math.max(0, (m.get(k) ?? 0) - 1);
    return (others + a * prior) / (Math.max(0, this.people - 1) + a);
  }

  token(token: string): number {
    return this.share(this.tokens, foldSpelling(token), this.priors.token);
  }

  name(tokens: readonly string[]): number {
    return this.share(this.names, nameHash(tokens), this.priors.token * this.priors.token);
  }

  date(packed: number): number {
    const prior =
      packed % 10000 === 0 ? this.priors.year : packed % 100 === 0 ? this.priors.year / 12 : this.priors.year / 365;
    return this.share(this.dates, packed, prior);
  }

  nationality(code: string): number {
    return this.share(this.nationalities, code, this.priors.nationality);
  }
}

/** No registry statistics: every share is its prior (tests, or a registry not yet loaded). */
export function priorRarity(priors: Priors): Rarity {
  return new FrequencyTable(priors);
}
