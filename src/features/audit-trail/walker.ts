/**
 * The chain walk shared by store verification (./verify.ts) and offline export verification
 * (./verify-export.ts): fed events in seq order one at a time, it keeps only the previous hash and
 * counters, so a walk over a million events holds one event at a time.
 *
 * Order of checks per event, chosen so each kind of tampering gets the name an investigator expects:
 *   seq — a missing seq is a removed event; a repeated or lower one is an insertion or reordering;
 *   prevHash — not the previous event's hash: events were reordered, swapped or inserted;
 *   hash — the recomputed hash differs: a field of this very event was altered;
 *   checkpoints at this seq — a bad signature, an edited row, or a headHash that is not the chain's.
 */
import type { AuditEvent } from '../../ports/store/index.js';
import { chainHash } from '../../domain/audit/chain.js';

export type Problem =
  | 'sequence gap (event removed)'
  | 'sequence out of order (events reordered or inserted)'
  | 'prevHash mismatch (events reordered or inserted)'
  | 'hash mismatch (event altered)'
  | 'event unreadable (event altered)'
  | 'checkpoint signature invalid'
  | 'checkpoint record does not match its signed payload'
  | 'checkpoint does not match chain'
  | 'chain ends before a checkpoint (tail truncated)'
  | 'checkpoint outside the chain'
  | 'malformed export line';

export interface BadEntry {
  /** Seq of the first bad event (for a removed event: the seq that is missing). */
  seq: number;
  /** Id of the event found at (or in place of) that seq; null when there is none. */
  id: string | null;
  problem: Problem;
}

export type CheckpointIndex = Map<number, { headHash: string; problem?: Problem }[]>;

export interface WalkStart {
  /** prevHash the first event must carry; null = take the first event's (an export that starts mid-chain). */
  anchor: string | null;
  /** Seq the first event must have; null = take the first event's. */
  firstSeq: number | null;
}

export class ChainWalker {
  readonly #cps: CheckpointIndex;
  #prev: string | null;
  #expected: number | null;
  #first: number | null = null;
  #events = 0;
  #checkpoints = 0;
  #sealedUpTo = 0;
  #bad: BadEntry | undefined;

  constructor(checkpoints: CheckpointIndex, start: WalkStart) {
    this.#cps = checkpoints;
    this.#prev = start.anchor;
    this.#expected = start.firstSeq;
  }

  get expectedSeq(): number {
    return this.#expected ?? 1;
  }

  get firstBad(): BadEntry | undefined {
    return this.#bad;
  }

  fail(bad: BadEntry): void {
    this.#bad ??= bad;
  }

  /** Check one event; false once something is wrong (the walk should stop). */
  step(e: AuditEvent): boolean {
    if (this.#bad) return false;
    const expected = this.#expected ?? e.seq;
    if (e.seq > expected) return this.#fail(expected, e.id, 'sequence gap (event removed)');
    if (e.seq < expected) return this.#fail(expected, e.id, 'sequence out of order (events reordered or inserted)');
    if (this.#prev !== null && e.prevHash !== this.#prev)
      return this.#fail(e.seq, e.id, 'prevHash mismatch (events reordered or inserted)');
    let hash: string;
    try {
      hash = chainHash(e.prevHash, e);
    } catch {
      return this.#fail(e.seq, e.id, 'hash mismatch (event altered)');
    }
    if (hash !== e.hash) return this.#fail(e.seq, e.id, 'hash mismatch (event altered)');
    for (const cp of this.#cps.get(e.seq) ?? []) {
      if (cp.problem) return this.#fail(e.seq, e.id, cp.problem);
      if (cp.headHash !== hash) return this.#fail(e.seq, e.id, 'checkpoint does not match chain');
      this.#checkpoints += 1;
      this.#sealedUpTo = e.seq;
    }
    this.#first ??= e.seq;
    this.#prev = hash;
    this.#expected = e.seq + 1;
    this.#events += 1;
    return true;
  }

  /**
   * After the last event: a checkpoint beyond the end means signed events are gone from the tail
   * (the first missing seq is reported); one before the first event cannot be checked by this walk —
   * refused when `checkBeforeStart` (a whole trail, or an export that must cover its checkpoints).
   */
  finish(options: { checkBeforeStart?: boolean } = {}): void {
    if (this.#bad) return;
    const end = this.lastSeq;
    const first = this.#first ?? this.#expected ?? 1;
    const seqs = [...this.#cps.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      if (seq > end) {
        this.fail({ seq: end + 1, id: null, problem: 'chain ends before a checkpoint (tail truncated)' });
        return;
      }
      if (seq < first && options.checkBeforeStart) {
        this.fail({ seq, id: null, problem: 'checkpoint outside the chain' });
        return;
      }
    }
  }

  /** Seq of the last event accepted (firstSeq − 1 before any). */
  get lastSeq(): number {
    return (this.#expected ?? 1) - 1;
  }

  /** Hash of the last event accepted; the anchor before any. */
  get lastHash(): string | null {
    return this.#prev;
  }

  /** Seq of the last event covered by a good checkpoint (0 when none). */
  get sealedUpTo(): number {
    return this.#sealedUpTo;
  }

  result(): { ok: boolean; events: number; checkpoints: number; unsealed: number; firstBad?: BadEntry } {
    const end = this.lastSeq;
    const unsealed = this.#events === 0 ? 0 : end - Math.max(this.#sealedUpTo, (this.#first ?? 1) - 1);
    const base = { ok: !this.#bad, events: this.#events, checkpoints: this.#checkpoints, unsealed };
    return this.#bad ? { ...base, firstBad: this.#bad } : base;
  }

  #fail(seq: number, id: string | null, problem: Problem): false {
    this.fail({ seq, id, problem });
    return false;
  }
}
