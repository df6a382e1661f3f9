/**
 * Similarity of two names as bags of normalised tokens (normalize.ts), independent of order.
 *
 * Token similarity is Jaro-Winkler on the tokens or on their spelling-folded forms (spelling-fold.ts:
 * YURIY = IURII), whichever is higher, stretched so unrelated tokens count for little (config
 * `stretchFrom`), with equal phonetic keys (≥ 3 symbols) as a floor for transliteration variants.
 * Each token of one name is paired with at most one token of the other, best pairs first (greedy on
 * the similarity matrix; with ≤ 6 tokens a side this equals the optimal assignment in practice). The
 * name similarity is the mean of the paired similarities weighted by token length — a long surname
 * says more than a two-letter given name — minus a small penalty per unpaired token (a dropped or
 * added middle name). Before pairing, two adjacent tokens of one name that spell a token of the other
 * are joined ("XIAO MING" vs "XIAOMING", "ABD ALLAH" vs "ABDALLAH").
 */
import type { ScreeningWeights } from './config.js';
import { jaroWinkler } from './jaro-winkler.js';
import { phoneticKey } from './phonetic.js';
import { foldSpelling } from './spelling-fold.js';

export interface NameMatch {
  similarity: number;
  /** Tokens paired through equal phonetic keys rather than spelling. */
  phoneticPairs: number;
  pairs: number;
  unpaired: number;
  /** The pairs, best first: the passenger's and the registrant's token and the pair's similarity (valid until the next call). */
  pairQueryTokens: readonly string[];
  pairTokens: readonly string[];
  pairSimilarities: readonly number[];
}

const pairQueryTokens: string[] = [];
const pairTokens: string[] = [];
const pairSimilarities: number[] = [];

let lastWasPhonetic = false;

/** Similarity of two tokens in 0..1; `lastWasPhonetic` tells whether the phonetic floor decided it. */
export function tokenSimilarity(a: string, b: string, w: ScreeningWeights['name']): number {
  lastWasPhonetic = false;
  if (a === b) return 1;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? w.initial : 0;
  const fa = foldSpelling(a);
  const fb = foldSpelling(b);
  const jw = fa === fb ? 1 : Math.max(jaroWinkler(a, b), jaroWinkler(fa, fb));
  const s = Math.max(0, (jw - w.stretchFrom) / (1 - w.stretchFrom));
  if (s < w.phoneticFloor && jw >= 0.7) {
    const k = phoneticKey(a);
    if (k.length >= 3 && k === phoneticKey(b)) {
      lastWasPhonetic = true;
      return w.phoneticFloor;
    }
  }
  return s;
}

/** Joins adjacent tokens of `a` whose concatenation is a token of `b`. */
function joinSplitTokens(a: readonly string[], b: readonly string[]): readonly string[] {
  if (a.length < 2) return a;
  let out: string[] | null = null;
  for (let i = 0; i + 1 < (out ?? a).length; i++) {
    const cur: readonly string[] = out ?? a;
    const joined = cur[i]! + cur[i + 1]!;
    if (b.includes(joined)) {
      out = [...cur.slice(0, i), joined, ...cur.slice(i + 2)];
    }
  }
  return out ?? a;
}

const scratch = new Float64Array(64);
const phoneticFlags = new Uint8Array(64);

export function nameSimilarity(qIn: readonly string[], rIn: readonly string[], w: ScreeningWeights['name']): NameMatch {
  const q = qIn.length > rIn.length ? joinSplitTokens(qIn, rIn) : qIn;
  const r = rIn.length > q.length ? joinSplitTokens(rIn, q) : rIn;
  const nq = Math.min(q.length, 8);
  const nr = Math.min(r.length, 8);
  pairQueryTokens.length = 0;
  pairTokens.length = 0;
  pairSimilarities.length = 0;
  if (nq === 0 || nr === 0)
    return {
      similarity: 0,
      phoneticPairs: 0,
      pairs: 0,
      unpaired: nq + nr,
      pairQueryTokens,
      pairTokens,
      pairSimilarities,
    };
  for (let i = 0; i < nq; i++) {
    for (let j = 0; j < nr; j++) {
      scratch[i * 8 + j] = tokenSimilarity(q[i]!, r[j]!, w);
      phoneticFlags[i * 8 + j] = lastWasPhonetic ? 1 : 0;
    }
  }
  let usedQ = 0;
  let usedR = 0;
  let weighted = 0;
  let weights = 0;
  let phoneticPairs = 0;
  const pairs = Math.min(nq, nr);
  for (let p = 0; p < pairs; p++) {
    let best = -1;
    let bi = 0;
    let bj = 0;
    for (let i = 0; i < nq; i++) {
      if (usedQ & (1 << i)) continue;
      for (let j = 0; j < nr; j++) {
        if (usedR & (1 << j)) continue;
        const s = scratch[i * 8 + j]!;
        if (s > best) {
          best = s;
          bi = i;
          bj = j;
        }
      }
    }
    usedQ |= 1 << bi;
    usedR |= 1 << bj;
    const weight = Math.max(q[bi]!.length, r[bj]!.length);
    weighted += best * weight;
    pairQueryTokens.push(q[bi]!);
    pairTokens.push(r[bj]!);
    pairSimilarities.push(best);
    weights += weight;
    phoneticPairs += phoneticFlags[bi * 8 + bj]!;
  }
  const unpaired = nq + nr - 2 * pairs;
  const similarity = Math.max(0, weighted / weights - Math.min(w.extraTokenMax, unpaired * w.extraToken));
  return { similarity, phoneticPairs, pairs, unpaired, pairQueryTokens, pairTokens, pairSimilarities };
}
