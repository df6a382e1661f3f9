/**
 * The in-memory screening index: registrants in compact columns (integer slots; typed arrays for
 * dates of birth and sex; one short string per registrant for its name forms and one for its
 * documents; interned citizenship arrays) plus the blocking keys of blocking-keys.ts in a
 * PostingTable. Kept up to date with `upsert` / `remove` as the registry changes; `candidates`
 * returns only the registrants filed under one of the passenger's keys.
 *
 * Personal data: the index holds normalised names, dates of birth and document numbers in memory
 * only; it never logs or persists them. Ids are the registry's opaque ids.
 */
import type { PartialDate, PersonName, Sex } from '../protocol/types.js';
import { isPartial, packBirthDate } from './birth-date.js';
import { DEFAULT_WEIGHTS, type ScreeningWeights } from './config.js';
import { FrequencyTable, type Rarity } from './frequencies.js';
import { passengerDocumentKeys, passengerNameKeys, registrantKeys } from './blocking-keys.js';
import { normalizeDocumentNumber, normalizeName, withoutJoinedArticle } from './normalize.js';
import { PostingTable } from './posting-table.js';
import { packExpiry, type DocumentExpiry, type ScoringSubject } from './score.js';

/** What the registry gives the index about one registrant (a subset of protocol Person). */
export interface RegistrantForScreening {
  id: string;
  name: PersonName;
  nameOriginalScript?: PersonName;
  aliases?: PersonName[];
  dateOfBirth: PartialDate | null;
  sex: Sex;
  citizenships: string[];
  /** Documents the registrant holds now (expiry and issuer, when known, for the document comparison). */
  travelDocuments: ScreeningDocument[];
  /**
   * Documents he held before (expired, renewed, reported lost): a passenger may still travel on one,
   * and a match on any counts. The index also keeps, for as long as it holds the registrant, every
   * number an earlier upsert gave it, so a renewal seen as an update does not forget the old one.
   */
  pastTravelDocuments?: ScreeningDocument[];
}

/** A document as the index keeps it: the number, and when it expires and who issued it if known. */
export interface ScreeningDocument {
  number: string;
  expiresOn?: string | null;
  issuingState?: string | null;
}

/** Documents kept per registrant at most (current first, then the most recent past ones). */
const MAX_DOCUMENTS = 8;

/** The passenger side, normalised once per passenger. */
export interface PassengerQuery extends ScoringSubject {
  /** Tokens of the passenger's name (one form). */
  tokens: readonly string[];
}

export interface CandidateSet {
  slots: number[];
  /** Slots found through a document number (exact or one edit). */
  viaDocument: ReadonlySet<number>;
}

export interface CandidateStats {
  /** Posting entries visited (slot ids read from the table). */
  postingsVisited: number;
  /** Registrants returned for full scoring. */
  candidates: number;
}

const SEX_CODE: Record<Sex, number> = { U: 0, F: 1, M: 2, X: 3 };
const SEX_OF: Sex[] = ['U', 'F', 'M', 'X'];
export interface QualifierView {
  dateOfBirth: number;
  sex: Sex;
  nationalities: readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);

export class CandidateIndex {
  private readonly view: QualifierView = { dateOfBirth: 0, sex: 'U', nationalities: NONE };
  private readonly table = new PostingTable();
  private readonly frequencies: FrequencyTable;
  private readonly slotById = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  private names: string[] = [];
  /** Interned: registrants with the same citizenships share one array. */
  private nationalities: (readonly string[])[] = [];
  private readonly internedNationalities = new Map<string, readonly string[]>();
  private documents: string[] = [];
  /** Per slot, the known document expiring last: packed YYYYMMDD (0: none dated) and its issuer's code. */
  private newestExpiry = new Int32Array(1024);
  private newestIssuer = new Uint16Array(1024);
  /** Issuer codes: 0 is "unknown". */
  private readonly issuers: string[] = [''];
  private readonly issuerCodes = new Map<string, number>();
  private dob = new Int32Array(1024);
  private sex = new Uint8Array(1024);
  private seen = new Uint8Array(1024);
  private readonly freeSlots: number[] = [];
  /** Registrants filed without a birth year; while none, passengers skip that bucket. */
  private unknownYear = 0;
  /** Registrants with a name form of a single token (filed under mononym keys). */
  private mononyms = 0;
  /** Registrants with a partial date (filed under year keys); while none, passengers skip them. */
  private partialDates = 0;

  /** `priors`: the frequency priors of the weights the index will be screened with. */
  constructor(priors: ScreeningWeights['frequency'] = DEFAULT_WEIGHTS.frequency) {
    this.frequencies = new FrequencyTable(priors);
  }

  get size(): number {
    return this.slotById.size;
  }

  /** How common names, dates and citizenships are among the registrants held (the score's u). */
  get rarity(): Rarity {
    return this.frequencies;
  }

  /** Blocking-key entries filed. */
  get keyCount(): number {
    return this.table.size;
  }

  /** Bytes of the posting table (typed arrays, outside the JS heap). */
  get tableBytes(): number {
    return this.table.bytes;
  }

  has(id: string): boolean {
    return this.slotById.has(id);
  }

  /** Adds a registrant, or replaces what the index holds for it. */
  upsert(r: RegistrantForScreening): void {
    const known = this.slotById.get(r.id);
    const earlier = known === undefined ? [] : this.documentsOf(known);
    // Unlike the numbers, the expiry is the registry's current word only: an earlier upsert's date
    // would keep a corrected typo forever, and an index rebuilt after a restart would not have it.
    let newest: DocumentExpiry | null = null;
    for (const d of [...r.travelDocuments, ...(r.pastTravelDocuments ?? [])]) {
      const e = packExpiry(d.expiresOn);
      if (e !== 0 && (newest === null || e > newest.expiresOn))
        newest = { expiresOn: e, issuingState: d.issuingState ?? null };
    }
    this.remove(r.id);
    const forms = [r.name, ...(r.nameOriginalScript ? [r.nameOriginalScript] : []), ...(r.aliases ?? [])]
      .map((n) => normalizeName(n.family, n.given))
      .filter((t) => t.length > 0)
      .flatMap((t) => {
        const alternative = withoutJoinedArticle(t);
        return alternative ? [t, alternative] : [t];
      });
    const unique = [...new Map(forms.map((t) => [t.join(' '), t])).values()];
    const docs = [
      ...new Set(
        [...r.travelDocuments, ...(r.pastTravelDocuments ?? [])]
          .map((d) => normalizeDocumentNumber(d.number))
          .concat(earlier)
          .filter((n) => n !== ''),
      ),
    ].slice(0, MAX_DOCUMENTS);
    const slot = this.freeSlots.pop() ?? this.ids.length;
    this.ensureCapacity(slot + 1);
    this.ids[slot] = r.id;
    this.names[slot] = unique.map((t) => t.join(' ')).join('|');
    this.nationalities[slot] = this.intern(r.citizenships);
    this.documents[slot] = docs.join(' ');
    this.newestExpiry[slot] = newest?.expiresOn ?? 0;
    this.newestIssuer[slot] = this.issuerCode(newest?.issuingState ?? null);
    this.dob[slot] = packBirthDate(r.dateOfBirth);
    this.sex[slot] = SEX_CODE[r.sex] ?? 0;
    this.slotById.set(r.id, slot);
    if (this.dob[slot] === 0) this.unknownYear++;
    else if (isPartial(this.dob[slot])) this.partialDates++;
    if (unique.some((t) => t.length === 1)) this.mononyms++;
    this.frequencies.add(unique, this.dob[slot], this.nationalities[slot]);
    for (const k of registrantKeys(unique, this.dob[slot], docs)) this.table.add(k, slot);
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    const subject = this.subject(slot);
    for (const k of registrantKeys(subject.names, subject.dateOfBirth, subject.documents)) this.table.remove(k, slot);
    this.slotById.delete(id);
    this.frequencies.remove(subject.names, subject.dateOfBirth, subject.nationalities);
    if (subject.dateOfBirth === 0) this.unknownYear--;
    else if (isPartial(subject.dateOfBirth)) this.partialDates--;
    if (subject.names.some((t) => t.length === 1)) this.mononyms--;
    this.ids[slot] = undefined;
    this.names[slot] = '';
    this.nationalities[slot] = NONE;
    this.documents[slot] = '';
    this.newestExpiry[slot] = 0;
    this.newestIssuer[slot] = 0;
    this.freeSlots.push(slot);
    return true;
  }

  /** The slot of registrant `id` (for evaluation tools that compare blocking with the truth). */
  slotOf(id: string): number | undefined {
    return this.slotById.get(id);
  }

  idOf(slot: number): string {
    return this.ids[slot]!;
  }

  /**
   * The registrant in slot `slot`, in the form scoreMatch compares.
   */
  subject(slot: number): ScoringSubject {
    const names = this.names[slot]!;
    const docs = this.documents[slot]!;
    return {
      names: names === '' ? [] : names.split('|').map((n) => n.split(' ')),
      dateOfBirth: this.dob[slot]!,
      sex: SEX_OF[this.sex[slot]!]!,
      nationalities: this.nationalities[slot]!,
      documents: docs === '' ? [] : docs.split(' '),
      newestDocument: this.newestDocumentOf(slot),
    };
  }

  /** The known document of slot `slot` that expires last, or null when none carried a date. */
  newestDocumentOf(slot: number): DocumentExpiry | null {
    const e = this.newestExpiry[slot]!;
    if (e === 0) return null;
    const code = this.newestIssuer[slot]!;
    return { expiresOn: e, issuingState: code === 0 ? null : this.issuers[code]! };
  }

  private issuerCode(state: string | null): number {
    if (state === null || state === '') return 0;
    let code = this.issuerCodes.get(state);
    if (code === undefined) {
      code = this.issuers.length;
      if (code > 0xffff) return 0; // more issuers than states exist: treat as unknown
      this.issuers.push(state);
      this.issuerCodes.set(state, code);
    }
    return code;
  }

  /**
   * Slots of registrants filed under at least one of the passenger's blocking keys (blocking-keys.ts):
   * two name tokens (one up to an edit) on the same date of birth, two exact tokens in the birth year
   * or on the same day and month of any year, a document number up to one edit, or — for a passenger
   * without a date of birth — an exact pair of name tokens.
   */
  candidates(q: PassengerQuery, stats?: CandidateStats): CandidateSet {
    let visited = 0;
    const slots: number[] = [];
    const seen = this.seen;
    // Document keys first: a slot found through them is flagged, so scoring compares document
    // numbers only for those (the others cannot have a near number, hash collisions aside).
    for (const k of passengerDocumentKeys(q.documents)) visited += this.table.collect(k, seen, 2, slots);
    for (const form of q.names) {
      for (const k of passengerNameKeys(form, q.dateOfBirth, {
        withUnknownYear: this.unknownYear > 0,
        withMononyms: this.mononyms > 0,
        withPartial: this.partialDates > 0,
      })) {
        visited += this.table.collect(k, seen, 1, slots);
      }
    }
    const viaDocument = new Set<number>();
    for (const slot of slots) {
      if (seen[slot] === 2) viaDocument.add(slot);
      seen[slot] = 0;
    }
    if (stats) {
      stats.postingsVisited += visited;
      stats.candidates += slots.length;
    }
    return { slots, viaDocument };
  }

  /**
   * Date of birth, sex and citizenships of slot `slot` in a reused object (no allocation): what the
   * score's upper bound needs to rule a candidate out before names are compared.
   */
  qualifiersOf(slot: number): QualifierView {
    const v = this.view;
    v.dateOfBirth = this.dob[slot]!;
    v.sex = SEX_OF[this.sex[slot]!]!;
    v.nationalities = this.nationalities[slot]!;
    return v;
  }

  documentsOf(slot: number): string[] {
    const docs = this.documents[slot]!;
    return docs === '' ? [] : docs.split(' ');
  }

  private intern(citizenships: readonly string[]): readonly string[] {
    const k = citizenships.join(' ');
    let a = this.internedNationalities.get(k);
    if (a === undefined) {
      a = Object.freeze([...citizenships]);
      this.internedNationalities.set(k, a);
    }
    return a;
  }

  private ensureCapacity(n: number): void {
    if (n <= this.dob.length) return;
    let cap = this.dob.length;
    while (cap < n) cap *= 2;
    const grow = <T extends Int32Array | Uint8Array | Uint16Array>(a: T, make: (c: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.dob = grow(this.dob, (c) => new Int32Array(c));
    this.sex = grow(this.sex, (c) => new Uint8Array(c));
    this.seen = grow(this.seen, (c) => new Uint8Array(c));
    this.newestExpiry = grow(this.newestExpiry, (c) => new Int32Array(c));
    this.newestIssuer = grow(this.newestIssuer, (c) => new Uint16Array(c));
  }
}
