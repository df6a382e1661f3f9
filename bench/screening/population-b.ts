/**
 * Generator B: a second synthetic population for the screening benchmark, built independently of
 * tests/screening/synthetic so the matcher is not tuned to one generator's habits.
 *
 * What makes it harder, and why each part is there:
 * - Names follow Zipf-like distributions per origin (rank r drawn with weight 1/r^s): a few family
 *   and given names are very common (NGUYEN, WANG, GARCIA, MÜLLER, MOHAMMED), then a long tail of
 *   rare names built from origin-specific syllables. In a large registry this produces many true
 *   coincidences: different people with the same name and the same date of birth.
 * - Dates of birth cluster: some origins record unknown days as 1 January (a real registry habit),
 *   and birth years follow an age pyramid rather than a flat range.
 * - People hold 1–3 given names; registrants may have renewed their passport, so the registry has
 *   seen past documents and the manifest may carry any of them, or a number the registry never saw.
 * - Every variant the field reports, and hard non-matches built from a registrant: another family
 *   name with the same given names, date and nationality; the same name born a year apart or with
 *   day and month swapped; a passenger with only a birth year sharing a common name.
 *
 * - Every passport has an expiry date (below, "Passport expiry dates"), so the score's comparison of an
 *   unknown passport with the newest one the registry knows is measured on a realistic spread — and
 *   on the cases where it misleads, not only where it helps.
 *
 * All data is synthetic; the same seed gives the same people.
 *
 * Passport expiry dates. Drawn from streams of their own (`expiryRng`, seeded by the person's id or
 * by the manifest), so adding them changed no name, date of birth or document number the earlier
 * runs measured. The manifest's flight is on TRAVEL_DATE (2026-12-01).
 * - Validity: 10 years for 85 % of passports, 5 years for 15 % (states and age groups that issue
 *   shorter passports); drawn per passport, so a renewal may be shorter than the passport it replaces.
 * - A registrant's passports (what the registry knows, oldest first): the newest was issued on a day
 *   drawn uniformly in the 11 years before the flight (so some have expired: the registry has not
 *   heard of the renewal); each older one was issued one validity before the next (renewed at
 *   expiry, 70 %) or 1 to `validity` years before it, uniformly (renewed early — lost, full, a changed
 *   name — 30 %). The registry knows each passport's expiry and issuer (the nationality).
 * - A registrant travelling on a passport the registry never saw ("without documents", half of
 *   them): 97 % a renewal, issued on a uniform day after the newest known one and before the flight
 *   and valid on the flight (if that window is empty: issued in the year before the flight); 3 % a
 *   second passport, dated like a stranger's (below), independent of the known ones. With a shorter
 *   validity a renewal can expire before the passport it replaced: the score then counts it against.
 * - Everybody else (strangers, namesakes, the near misses): issued on a uniform day in the validity
 *   before the flight, so valid on it; expiry = issue + validity; issuer = nationality. No look at
 *   the registrant they resemble: their dates are those of any traveller.
 */
import type { Sex } from '../../src/domain/protocol/types.js';
import type { RegistrantForScreening } from '../../src/domain/screening/candidate-index.js';
import type { ManifestPassenger } from '../../src/domain/screening/manifest.js';

export type Rng = () => number;

/** xorshift128+ reduced to 32 bits, seeded by a splitmix step: a different PRNG than generator A's. */
export function rngB(seed: number): Rng {
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x = (x + 0x6d2b79f5) >>> 0;
    let t = x;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return next;
}

const pick = <T>(r: Rng, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;

/** Zipf sampler over a ranked list: P(rank k) ∝ 1 / k^s, by inverse CDF. */
class Zipf {
  private readonly cdf: Float64Array;
  constructor(
    readonly items: readonly string[],
    s: number,
  ) {
    this.cdf = new Float64Array(items.length);
    let sum = 0;
    for (let k = 0; k < items.length; k++) this.cdf[k] = sum += 1 / Math.pow(k + 1, s);
    for (let k = 0; k < items.length; k++) this.cdf[k]! /= sum;
  }

  draw(r: Rng): string {
    const x = r();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return this.items[lo]!;
  }
}

/** Rare names: syllable combinations, deterministic per origin, not repeating the head. */
function tail(
  seed: number,
  head: readonly string[],
  syllables: readonly string[],
  endings: readonly string[],
  n: number,
  maxParts = 2,
): string[] {
  const r = rngB(seed);
  const out = new Set(head);
  let guard = 0;
  while (out.size < head.length + n && guard++ < n * 20) {
    const parts = 1 + Math.floor(r() * maxParts);
    let w = '';
    for (let i = 0; i < parts; i++) w += pick(r, syllables);
    w += pick(r, endings);
    if (w.length >= 3 && w.length <= 14) out.add(w);
  }
  return [...out];
}

interface OriginSpec {
  weight: number;
  nationalities: string[];
  family: Zipf;
  givenM: Zipf;
  givenF: Zipf;
  /** Share of people with two or three given names. */
  multiGiven: number;
  /** Share of dates recorded as 1 January (day unknown at registration). */
  janFirst: number;
  /** Two family names (Spanish). */
  doubleFamily: boolean;
  /** How the first letters of names are romanised differently (from → alternatives). */
  initials: Array<[RegExp, string[]]>;
  /** Spelling variants inside a name. */
  inner: Array<[RegExp, string[]]>;
}

function origin(
  seed: number,
  o: Omit<OriginSpec, 'family' | 'givenM' | 'givenF'> & {
    fam: [string[], number, string[], string[], number];
    gm: [string[], number];
    gf: [string[], number];
    /** Syllables of a rare name at most (one for Chinese and Vietnamese). */
    parts?: number;
  },
): OriginSpec {
  const [famHead, famS, syl, end, famTail] = o.fam;
  const parts = o.parts ?? 2;
  const givenEnd = parts === 1 ? end : ['O', 'AN', 'IM', 'EL'];
  const givenEndF = parts === 1 ? end : ['A', 'IA', 'INE', 'ELLE'];
  return {
    ...o,
    family: new Zipf(tail(seed, famHead, syl, end, famTail, parts), famS),
    givenM: new Zipf(tail(seed + 1, o.gm[0], syl, givenEnd, 300, parts), o.gm[1]),
    givenF: new Zipf(tail(seed + 2, o.gf[0], syl, givenEndF, 300, parts), o.gf[1]),
  };
}

const w = (s: string): string[] => s.split(' ');

const ORIGINS: Record<string, OriginSpec> = {
  german: origin(11, {
    weight: 0.18,
    nationalities: ['DEU', 'AUT', 'CHE'],
    fam: [
      w(
        'MULLER SCHMIDT SCHNEIDER FISCHER WEBER MEYER WAGNER BECKER SCHULZ HOFFMANN SCHAFER KOCH BAUER RICHTER KLEIN WOLF SCHRODER NEUMANN SCHWARZ ZIMMERMANN BRAUN KRUGER HOFMANN HARTMANN LANGE SCHMITT WERNER KRAUSE MEIER LEHMANN',
      ),
      1.0,
      w('BRAN HOL KIR LAN MER SCHNE WAL GRO FEL BERG STEIN HAU KEL WIN ROTH FRI ECK HEL'),
      w('MANN ER EL ING HARDT BERG STEIN HOFF SCHMIDT'),
      6000,
    ],
    gm: [w('MICHAEL THOMAS ANDREAS PETER STEFAN FRANK CHRISTIAN MARKUS KLAUS WOLFGANG JURGEN UWE HANS KARL'), 1.0],
    gf: [w('SABINE ANDREA PETRA MONIKA CLAUDIA SUSANNE BIRGIT KARIN GABRIELE URSULA ANNA MARIA'), 1.0],
    multiGiven: 0.35,
    janFirst: 0,
    doubleFamily: false,
    initials: [
      [/^C/, ['K']],
      [/^K/, ['C']],
      [/^W/, ['V']],
    ],
    inner: [
      [/MM|NN|TT|LL|FF/, ['M', 'N', 'T', 'L', 'F']],
      [/EI/, ['AI', 'EY']],
      [/SCH/, ['SH']],
    ],
  }),
  spanish: origin(21, {
    weight: 0.18,
    nationalities: ['ESP', 'MEX', 'COL', 'ARG', 'PER'],
    fam: [
      w(
        'GARCIA RODRIGUEZ GONZALEZ FERNANDEZ LOPEZ MARTINEZ SANCHEZ PEREZ GOMEZ MARTIN JIMENEZ RUIZ HERNANDEZ DIAZ MORENO ALVAREZ MUNOZ ROMERO ALONSO GUTIERREZ NAVARRO TORRES DOMINGUEZ VAZQUEZ RAMOS',
      ),
      1.05,
      w('VAL CAS TOR MAR BEL ES PAL SAN RI LOR AL MED CAR VIL ROS'),
      w('EZ ANO ERO ADA ILLA ON AS IDO'),
      4000,
    ],
    gm: [w('JOSE ANTONIO JUAN MANUEL FRANCISCO LUIS JAVIER CARLOS JESUS MIGUEL ALEJANDRO PEDRO RAFAEL ANGEL'), 1.1],
    gf: [w('MARIA CARMEN ANA ISABEL LAURA CRISTINA MARTA LUCIA DOLORES PILAR ROSA TERESA JOSEFA ELENA'), 1.1],
    multiGiven: 0.5,
    janFirst: 0.02,
    doubleFamily: true,
    initials: [
      [/^J/, ['H', 'KH']],
      [/^Y/, ['I', 'LL']],
      [/^X/, ['J']],
    ],
    inner: [
      [/LL/, ['Y']],
      [/V/, ['B']],
      [/Z$/, ['S']],
    ],
  }),
  greek: origin(31, {
    weight: 0.08,
    nationalities: ['GRC', 'CYP'],
    fam: [
      w(
        'PAPADOPOULOS GEORGIOU PAPPAS NIKOLAOU IOANNOU VASILEIOU KARAGIANNIS OIKONOMOU PAPADAKIS DIMITRIOU KONSTANTINOU CHRISTODOULOU',
      ),
      0.9,
      w('PAPA KARA GEOR NIKO DIMI ANTO KOSTA VLA STAV MANO CHRI ATHA'),
      w('POULOS IDIS AKIS OU ATOS EAS IADIS'),
      2500,
    ],
    gm: [w('GEORGIOS IOANNIS KONSTANTINOS DIMITRIOS NIKOLAOS PANAGIOTIS VASILEIOS CHRISTOS ATHANASIOS EVANGELOS'), 1.0],
    gf: [w('MARIA ELENI AIKATERINI VASILIKI SOFIA ANGELIKI GEORGIA DIMITRA KONSTANTINA PARASKEVI'), 1.0],
    multiGiven: 0.1,
    janFirst: 0.03,
    doubleFamily: false,
    initials: [
      [/^GE|^GI/, ['YE', 'YI']],
      [/^CH/, ['H', 'KH']],
      [/^V/, ['B']],
      [/^D/, ['DH']],
    ],
    inner: [
      [/OU/, ['U', 'OY']],
      [/AI/, ['E']],
      [/EI/, ['I']],
    ],
  }),
  arabic: origin(41, {
    weight: 0.16,
    nationalities: ['EGY', 'SAU', 'JOR', 'MAR', 'IRQ', 'SYR'],
    fam: [
      w(
        'HASSAN ALI AHMED MOHAMED IBRAHIM MAHMOUD ABDALLAH SALEH KHALIL YOUSEF OMAR MUSTAFA HUSSEIN QASIM TAZI DHAHER HAMDAN NASSER',
      ),
      0.95,
      w('HAM KHAL SAL NAS RAH FAR ZAH QAD DHA TAH JAB MAJ'),
      w('ID IR AN I AWI OUN EEB'),
      2500,
    ],
    gm: [w('MOHAMMED AHMED ALI OMAR KHALED YOUSSEF HASSAN IBRAHIM MAHMOUD ABDULLAH TAREK SAMIR'), 1.2],
    gf: [w('FATIMA AISHA MARIAM NOUR LAYLA ZAINAB KHADIJA SARA HANA AMAL'), 1.1],
    multiGiven: 0.45,
    janFirst: 0.12,
    doubleFamily: false,
    initials: [
      [/^KH/, ['H', 'K']],
      [/^DH/, ['Z', 'TH', 'D']],
      [/^Q/, ['K', 'G']],
      [/^T/, ['TH']],
      [/^Y/, ['J', 'I']],
      [/^O/, ['U']],
    ],
    inner: [
      [/OU/, ['U', 'OO']],
      [/EE/, ['I']],
      [/SS/, ['S']],
      [/MM/, ['M']],
      [/ED$/, ['AD']],
    ],
  }),
  english: origin(51, {
    weight: 0.2,
    nationalities: ['GBR', 'USA', 'CAN', 'AUS', 'IRL'],
    fam: [
      w(
        'SMITH JOHNSON WILLIAMS BROWN JONES MILLER DAVIS WILSON TAYLOR ANDERSON THOMAS JACKSON WHITE HARRIS MARTIN THOMPSON CLARK LEWIS ROBINSON WALKER',
      ),
      0.85,
      w('ASH BRAD CART DAL FAR HAL KEN MOR PRES RAD STAN WHIT COL BLAK'),
      w('TON LEY FORD WOOD SON WELL BY HAM'),
      8000,
    ],
    gm: [w('JAMES JOHN ROBERT MICHAEL WILLIAM DAVID RICHARD JOSEPH THOMAS CHARLES DANIEL MATTHEW'), 1.0],
    gf: [w('MARY PATRICIA JENNIFER LINDA ELIZABETH BARBARA SUSAN JESSICA SARAH KAREN NANCY LISA'), 1.0],
    multiGiven: 0.4,
    janFirst: 0,
    doubleFamily: false,
    initials: [
      [/^C/, ['K']],
      [/^PH/, ['F']],
    ],
    inner: [
      [/PH/, ['F']],
      [/Y/, ['I']],
    ],
  }),
  vietnamese: origin(61, {
    weight: 0.08,
    nationalities: ['VNM'],
    fam: [
      w('NGUYEN TRAN LE PHAM HOANG HUYNH PHAN VU VO DANG BUI DO HO NGO DUONG LY'),
      1.6,
      w('TR NG PH KH TH L H'),
      w('AN UONG INH UY OANG'),
      40,
    ],
    parts: 1,
    gm: [w('VAN MINH DUC ANH TUAN HUNG QUANG THANH HOANG NAM'), 1.0],
    gf: [w('THI NGOC LAN HUONG MAI THU HOA LINH TRANG HANH'), 1.0],
    multiGiven: 0.7,
    janFirst: 0.08,
    doubleFamily: false,
    initials: [
      [/^NG/, ['N']],
      [/^PH/, ['F']],
      [/^D/, ['Z']],
    ],
    inner: [[/UY/, ['UI']]],
  }),
  chinese: origin(71, {
    weight: 0.12,
    nationalities: ['CHN', 'TWN', 'SGP'],
    fam: [
      w('WANG LI ZHANG LIU CHEN YANG HUANG ZHAO WU ZHOU XU SUN MA ZHU HU GUO HE LIN GAO LUO'),
      1.1,
      w('ZH X Q J CH SH L H D T'),
      w('IAN ONG ENG AO U ANG UI'),
      200,
    ],
    parts: 1,
    gm: [w('WEI JUN JIAN MING HAO YONG JIE TAO QIANG LEI'), 0.9],
    gf: [w('FANG LI NA MIN JING YAN LING HUI XIA YING'), 0.9],
    multiGiven: 0.5,
    janFirst: 0.02,
    doubleFamily: false,
    initials: [
      [/^ZH/, ['CH', 'J']],
      [/^X/, ['HS', 'SH']],
      [/^Q/, ['CH']],
      [/^Z/, ['TS']],
      [/^J/, ['CH']],
    ],
    inner: [[/IE/, ['IEH']]],
  }),
};
const ORIGIN_LIST = Object.entries(ORIGINS);

/** The flight date of every manifest, as a day number (days since 1970-01-01). */
export const TRAVEL_DATE = '2026-12-01';
const DAY_MS = 86_400_000;
const TRAVEL_DAY = Date.parse(`${TRAVEL_DATE}T00:00:00Z`) / DAY_MS;
const YEAR_DAYS = 365.25;

const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

function addYears(day: number, years: number): number {
  const d = new Date(day * DAY_MS);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return Math.round(d.getTime() / DAY_MS);
}

/** A stream for expiry dates only, so the names, dates of birth and numbers are drawn as before. */
export function expiryRng(key: string): Rng {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return rngB((h ^ 0x3c6ef372) >>> 0);
}

const validityYears = (x: Rng): number => (x() < 0.85 ? 10 : 5);

/** A traveller's passport with no relation to the registry: valid on the flight. */
function anyPassportExpiry(x: Rng): string {
  const v = validityYears(x);
  const issued = TRAVEL_DAY - Math.floor(x() * (addYears(TRAVEL_DAY, v) - TRAVEL_DAY));
  return isoDay(addYears(issued, v));
}

interface PassportDates {
  issued: number;
  expires: number;
}

/** Issue and expiry of a registrant's passports, oldest first (parallel to `documents`). */
export function passportDates(p: PersonB): PassportDates[] {
  const x = expiryRng(`registrant ${p.id}`);
  const out: PassportDates[] = [];
  let v = validityYears(x);
  let issued = TRAVEL_DAY - Math.floor(x() * 11 * YEAR_DAYS);
  out.unshift({ issued, expires: addYears(issued, v) });
  for (let k = p.documents.length - 2; k >= 0; k--) {
    const vOld = validityYears(x);
    issued = x() < 0.7 ? addYears(issued, -vOld) : issued - Math.round((1 + x() * (vOld - 1)) * YEAR_DAYS);
    v = vOld;
    out.unshift({ issued, expires: addYears(issued, v) });
  }
  return out;
}

/** Expiry of a passport the registry never saw, carried by the registrant himself. */
function unknownPassportExpiry(p: PersonB, x: Rng): string {
  if (x() < 0.03) return anyPassportExpiry(x); // a second passport
  const newest = passportDates(p).at(-1)!;
  const v = validityYears(x);
  // Issued after the newest known passport, before the flight, and still valid on it.
  const from = Math.max(newest.issued + 1, addYears(TRAVEL_DAY, -v) + 1);
  const issued =
    from < TRAVEL_DAY ? from + Math.floor(x() * (TRAVEL_DAY - from)) : TRAVEL_DAY - 1 - Math.floor(x() * 365);
  return isoDay(addYears(issued, v));
}

export interface PersonB {
  id: string;
  origin: string;
  family: string[];
  given: string[];
  dateOfBirth: string;
  sex: Sex;
  nationality: string;
  /** Oldest first; the last is the current passport. */
  documents: string[];
}

function originOf(r: Rng): [string, OriginSpec] {
  let x = r();
  for (const e of ORIGIN_LIST) if ((x -= e[1].weight) < 0) return e;
  return ORIGIN_LIST[0]!;
}

/** Birth years 1935–2007 weighted like an adult offender population (most born 1955–1995). */
function birthYear(r: Rng): number {
  const x = (r() + r() + r()) / 3; // roughly bell-shaped
  return 1935 + Math.floor(x * 73);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const pad = (n: number): string => String(n).padStart(2, '0');

function documentNumber(r: Rng): string {
  const letters = 'CFGHJKLMNPRTVWXYZ';
  let s = letters[Math.floor(r() * letters.length)]! + letters[Math.floor(r() * letters.length)]!;
  while (s.length < 9) s += String(Math.floor(r() * 10));
  return s;
}

export function personB(r: Rng, id: string, originName?: string): PersonB {
  const [name, o] = originName ? [originName, ORIGINS[originName]!] : originOf(r);
  const sex: Sex = r() < 0.8 ? 'M' : 'F'; // registrants are mostly men; the same mix for strangers
  const g = sex === 'M' ? o.givenM : o.givenF;
  const nGiven = r() < o.multiGiven ? (r() < 0.7 ? 2 : 3) : 1;
  const given: string[] = [];
  while (given.length < nGiven) {
    const x = g.draw(r);
    if (!given.includes(x)) given.push(x);
  }
  const family = [o.family.draw(r)];
  if (o.doubleFamily) family.push(o.family.draw(r));
  const y = birthYear(r);
  let dob: string;
  if (r() < o.janFirst) dob = `${y}-01-01`;
  else {
    const m = 1 + Math.floor(r() * 12);
    dob = `${y}-${pad(m)}-${pad(1 + Math.floor(r() * DAYS[m - 1]!))}`;
  }
  const documents = [documentNumber(r)];
  const renewals = r() < 0.45 ? (r() < 0.6 ? 1 : 2) : 0;
  for (let k = 0; k < renewals; k++) documents.push(documentNumber(r));
  return { id, origin: name, family, given, dateOfBirth: dob, sex, nationality: pick(r, o.nationalities), documents };
}

/**
 * What the registry was told about a person over time: one record per passport held, oldest first —
 * the index sees a registrant renewing a passport as an update that replaces the document list.
 */
export function registryHistory(p: PersonB): RegistrantForScreening[] {
  const dates = passportDates(p);
  return p.documents.map((d, k) => ({
    id: p.id,
    name: { family: p.family.join(' '), given: p.given },
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    citizenships: [p.nationality],
    travelDocuments: [{ number: d, issuingState: p.nationality, expiresOn: isoDay(dates[k]!.expires) }],
  }));
}

export const VARIANTS_B = [
  'exact',
  'swapped_order',
  'dob_one_day_off',
  'dob_one_digit',
  'dob_day_month_swapped',
  'dob_year_off_by_one',
  'dob_partial',
  'doubled_letter',
  'dropped_letter',
  'joined_given_names',
  'split_given_name',
  'first_letter_romanised',
  'inner_romanisation',
  'one_of_several_given_and_typo',
  'one_of_several_given_and_dob_off',
  'second_family_name_dropped',
] as const;
export type VariantB = (typeof VARIANTS_B)[number];

export const NON_MATCHES_B = [
  'stranger',
  'namesake',
  'other_family_same_given_dob',
  'same_name_year_off',
  'same_name_dob_swapped',
  'same_common_name_year_only',
] as const;
export type NonMatchB = (typeof NON_MATCHES_B)[number];

function doubleLetter(s: string, r: Rng): string {
  const i = 1 + Math.floor(r() * (s.length - 1));
  return s.slice(0, i) + s[i - 1] + s.slice(i);
}

function dropLetter(s: string, r: Rng): string {
  if (s.length < 4) return s;
  const i = 1 + Math.floor(r() * (s.length - 1));
  return s.slice(0, i) + s.slice(i + 1);
}

function typo(s: string, r: Rng): string {
  return r() < 0.5 ? dropLetter(s, r) : doubleLetter(s, r);
}

function applyFirst(s: string, rules: Array<[RegExp, string[]]>, r: Rng): string | null {
  const hits = rules.filter(([re]) => re.test(s));
  if (hits.length === 0) return null;
  const [re, alts] = pick(r, hits);
  return s.replace(re, pick(r, alts));
}

function shiftDay(dob: string, delta: number): string {
  const d = new Date(`${dob}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + delta);
  return d.toISOString().slice(0, 10);
}

/** One digit of YYYY-MM-DD changed so the date stays valid and differs from a ±1 day shift. */
function oneDigit(dob: string, r: Rng): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pos = pick(r, [2, 3, 5, 6, 8, 9]);
    const c = String(Math.floor(r() * 10));
    const out = dob.slice(0, pos) + c + dob.slice(pos + 1);
    if (out === dob) continue;
    const [y, m, d] = out.split('-').map(Number) as [number, number, number];
    if (m >= 1 && m <= 12 && d >= 1 && d <= DAYS[m - 1]! && y >= 1900) return out;
  }
  return shiftDay(dob, 10);
}

function swapDayMonth(dob: string): string | null {
  const [y, m, d] = dob.split('-');
  return Number(d) <= 12 && d !== m ? `${y}-${d}-${m}` : null;
}

function yearOff(dob: string, r: Rng): string {
  return `${Number(dob.slice(0, 4)) + (r() < 0.5 ? -1 : 1)}${dob.slice(4)}`;
}

interface Written {
  family: string;
  given: string[];
  dob: string | null;
}

/** The person written with variant `kind`; null when the variant does not apply to this person. */
export function writeVariant(p: PersonB, kind: VariantB, r: Rng): Written | null {
  const o = ORIGINS[p.origin]!;
  const base: Written = { family: p.family.join(' '), given: [...p.given], dob: p.dateOfBirth };
  const fam0 = p.family[0]!;
  const withFamily = (f: string): string => [f, ...p.family.slice(1)].join(' ');
  switch (kind) {
    case 'exact':
      return base;
    case 'swapped_order':
      return { ...base, family: p.given.join(' '), given: p.family };
    case 'dob_one_day_off':
      return { ...base, dob: shiftDay(p.dateOfBirth, r() < 0.5 ? -1 : 1) };
    case 'dob_one_digit':
      return { ...base, dob: oneDigit(p.dateOfBirth, r) };
    case 'dob_day_month_swapped': {
      const s = swapDayMonth(p.dateOfBirth);
      return s ? { ...base, dob: s } : null;
    }
    case 'dob_year_off_by_one':
      return { ...base, dob: yearOff(p.dateOfBirth, r) };
    case 'dob_partial':
      return { ...base, dob: r() < 0.6 ? p.dateOfBirth.slice(0, 4) : p.dateOfBirth.slice(0, 7) };
    case 'doubled_letter':
      return r() < 0.6
        ? { ...base, family: withFamily(doubleLetter(fam0, r)) }
        : { ...base, given: [doubleLetter(p.given[0]!, r), ...p.given.slice(1)] };
    case 'dropped_letter':
      return r() < 0.6
        ? { ...base, family: withFamily(dropLetter(fam0, r)) }
        : { ...base, given: [dropLetter(p.given[0]!, r), ...p.given.slice(1)] };
    case 'joined_given_names':
      return p.given.length >= 2 ? { ...base, given: [p.given.slice(0, 2).join(''), ...p.given.slice(2)] } : null;
    case 'split_given_name': {
      const g = p.given[0]!;
      if (g.length < 6) return null;
      const i = 2 + Math.floor(r() * (g.length - 4));
      return { ...base, given: [g.slice(0, i), g.slice(i), ...p.given.slice(1)] };
    }
    case 'first_letter_romanised': {
      const f = applyFirst(fam0, o.initials, r);
      if (f && f !== fam0) return { ...base, family: withFamily(f) };
      const g = applyFirst(p.given[0]!, o.initials, r);
      return g && g !== p.given[0] ? { ...base, given: [g, ...p.given.slice(1)] } : null;
    }
    case 'inner_romanisation': {
      const f = applyFirst(fam0, o.inner, r);
      if (f && f !== fam0) return { ...base, family: withFamily(f) };
      const g = applyFirst(p.given[0]!, o.inner, r);
      return g && g !== p.given[0] ? { ...base, given: [g, ...p.given.slice(1)] } : null;
    }
    case 'one_of_several_given_and_typo':
      if (p.given.length < 2) return null;
      return { ...base, family: withFamily(typo(fam0, r)), given: [pick(r, p.given)] };
    case 'one_of_several_given_and_dob_off':
      if (p.given.length < 2) return null;
      return { ...base, given: [p.given[0]!], dob: r() < 0.5 ? shiftDay(p.dateOfBirth, 1) : yearOff(p.dateOfBirth, r) };
    case 'second_family_name_dropped':
      return p.family.length >= 2 ? { ...base, family: fam0 } : null;
  }
}

/**
 * A passenger for a registrant `p`; `withDocument`: the passenger carries a passport the registry has
 * seen, else none or one it never saw. `x`: the manifest's expiry stream.
 */
export function passengerFor(p: PersonB, w: Written, withDocument: boolean, r: Rng, x: Rng): ManifestPassenger {
  if (withDocument) {
    const k = Math.floor(r() * p.documents.length);
    return passenger(w, p.sex, p.nationality, p.documents[k]!, isoDay(passportDates(p)[k]!.expires));
  }
  const number = r() < 0.5 ? documentNumber(r) : null;
  return passenger(w, p.sex, p.nationality, number, number ? unknownPassportExpiry(p, x) : null);
}

export function passenger(
  w: Written,
  sex: Sex,
  nationality: string,
  number: string | null,
  expiresOn: string | null,
): ManifestPassenger {
  return {
    role: 'passenger',
    familyName: w.family,
    givenNames: w.given,
    sex,
    dateOfBirth: w.dob,
    nationality,
    documents: number ? [{ type: 'passport', number, issuingState: nationality, expiresOn }] : [],
    bookingRef: null,
    embarkation: null,
    debarkation: null,
  };
}

/**
 * A non-matching passenger derived from registrant `p` (and a fresh person `f` of the same origin for
 * what must differ). Each is a different person; a second registrant may still share everything
 * with them by coincidence — the benchmark counts such a report as a false candidate, as a reviewer
 * would.
 */
export function nonMatch(kind: NonMatchB, p: PersonB, f: PersonB, r: Rng, x: Rng): ManifestPassenger {
  const doc = documentNumber(r);
  const expiresOn = anyPassportExpiry(x);
  const withExpiry = (w: Written, sex: Sex, nationality: string, number: string): ManifestPassenger =>
    passenger(w, sex, nationality, number, expiresOn);
  const name = { family: p.family.join(' '), given: p.given };
  switch (kind) {
    case 'stranger':
      return withExpiry({ family: f.family.join(' '), given: f.given, dob: f.dateOfBirth }, f.sex, f.nationality, doc);
    case 'namesake':
      return withExpiry({ ...name, dob: f.dateOfBirth }, p.sex, r() < 0.6 ? p.nationality : f.nationality, doc);
    case 'other_family_same_given_dob': {
      const family = f.family[0] === p.family[0] ? [ORIGINS[p.origin]!.family.items[7]!] : f.family;
      return withExpiry({ family: family.join(' '), given: p.given, dob: p.dateOfBirth }, p.sex, p.nationality, doc);
    }
    case 'same_name_year_off':
      return withExpiry({ ...name, dob: yearOff(p.dateOfBirth, r) }, p.sex, p.nationality, doc);
    case 'same_name_dob_swapped':
      return withExpiry(
        { ...name, dob: swapDayMonth(p.dateOfBirth) ?? shiftDay(p.dateOfBirth, 40) },
        p.sex,
        p.nationality,
        doc,
      );
    case 'same_common_name_year_only': {
      // A different person with the most common name of the origin, born the same year.
      const o = ORIGINS[p.origin]!;
      const common = { family: o.family.items[0]!, given: [(p.sex === 'M' ? o.givenM : o.givenF).items[0]!] };
      return withExpiry({ ...common, dob: p.dateOfBirth.slice(0, 4) }, p.sex, p.nationality, doc);
    }
  }
}
