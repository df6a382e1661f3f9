/**
 * Integer key → registrant slots, the storage behind the candidate index: a chained hash table in
 * typed arrays, no JS object per key or per entry. An entry is three int32 side by side — key, slot,
 * next entry — so following a chain touches one cache line per entry; buckets are one more int32.
 * A million registrants file tens of millions of keys: as Map entries and arrays that would be
 * gigabytes of heap, here it is a few hundred MB outside the JS heap.
 *
 * Entries of one key share a bucket chain; removal unlinks the entry and recycles it.
 */
const EMPTY = -1;
const KEY = 0;
const VAL = 1;
const NEXT = 2;
const STRIDE = 3;

export class PostingTable {
  private heads: Int32Array;
  private entries: Int32Array;
  private shift: number;
  private used = 0;
  private free = EMPTY;
  private count = 0;

  constructor(initialBuckets = 1 << 12) {
    const n = 1 << Math.ceil(Math.log2(Math.max(16, initialBuckets)));
    this.heads = new Int32Array(n).fill(EMPTY);
    this.shift = 32 - Math.log2(n);
    this.entries = new Int32Array(n * STRIDE);
  }

  /** Entries stored. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    return this.heads.byteLength + this.entries.byteLength;
  }

  private bucket(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.shift;
  }

  add(key: number, slot: number): void {
    let e = this.free;
    if (e !== EMPTY) this.free = this.entries[e + NEXT]!;
    else {
      if (this.used === this.entries.length) this.growEntries();
      e = this.used;
      this.used += STRIDE;
    }
    const b = this.bucket(key);
    this.entries[e + KEY] = key;
    this.entries[e + VAL] = slot;
    this.entries[e + NEXT] = this.heads[b]!;
    this.heads[b] = e;
    if (++this.count > this.heads.length) this.rehash();
  }

  remove(key: number, slot: number): boolean {
    const b = this.bucket(key);
    const en = this.entries;
    let prev = EMPTY;
    for (let e = this.heads[b]!; e !== EMPTY; prev = e, e = en[e + NEXT]!) {
      if (en[e + KEY] !== key || en[e + VAL] !== slot) continue;
      if (prev === EMPTY) this.heads[b] = en[e + NEXT]!;
      else en[prev + NEXT] = en[e + NEXT]!;
      en[e + NEXT] = this.free;
      en[e + KEY] = EMPTY; // marks the entry free for rehash()
      this.free = e;
      this.count--;
      return true;
    }
    return false;
  }

  /** Calls `visit` for every slot filed under `key`; returns how many entries were read. */
  forEach(key: number, visit: (slot: number) => void): number {
    const en = this.entries;
    let n = 0;
    for (let e = this.heads[this.bucket(key)]!; e !== EMPTY; e = en[e + NEXT]!) {
      n++;
      if (en[e + KEY] === key) visit(en[e + VAL]!);
    }
    return n;
  }

  /**
   * Collects the slots filed under `key` into `out`, once each: `seen[slot]` is raised to `mark`, and a
   * slot is appended when first seen (seen was 0). The caller resets `seen` for the collected slots.
   * (A loop, not a callback: this is the innermost loop of screening.)
   */
  collect(key: number, seen: Uint8Array, mark: number, out: number[]): number {
    const en = this.entries;
    let n = 0;
    for (let e = this.heads[this.bucket(key)]!; e !== EMPTY; e = en[e + NEXT]!) {
      n++;
      if (en[e + KEY] !== key) continue;
      const slot = en[e + VAL]!;
      const s = seen[slot]!;
      if (s === 0) out.push(slot);
      if (s < mark) seen[slot] = mark;
    }
    return n;
  }

  private growEntries(): void {
    const cap = (Math.ceil((this.entries.length / STRIDE) * 1.5) + 16) * STRIDE;
    const b = new Int32Array(cap);
    b.set(this.entries);
    this.entries = b;
  }

  /** Doubles the buckets and relinks live entries; free entries (KEY = −1, never a hash) keep their list. */
  private rehash(): void {
    const n = this.heads.length * 2;
    this.heads = new Int32Array(n).fill(EMPTY);
    this.shift--;
    const en = this.entries;
    for (let e = 0; e < this.used; e += STRIDE) {
      if (en[e + KEY] === EMPTY) continue;
      const b = this.bucket(en[e + KEY]!);
      en[e + NEXT] = this.heads[b]!;
      this.heads[b] = e;
    }
  }
}
