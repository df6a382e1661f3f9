/**
 * Where the partners' delivery circuits are kept (src/domain/delivery/circuit.ts holds the rules): a
 * store shared by every worker process of the gateway, so that one process's failures open the circuit
 * for all and one probe serves all, and so that a restarted gateway finds the circuit as it was left.
 * Values are opaque text to the store (the domain parses them); writes are compare-and-set so that two
 * processes never both claim the probe or both announce the same change.
 */
export interface CircuitStore {
  /** The stored circuit of `partner`, or null (never stored: closed). */
  read(partner: string): Promise<string | null>;
  /** Store `next` only if the stored value is still `expected` (null: absent); resolves whether it did. */
  swap(partner: string, expected: string | null, next: string): Promise<boolean>;
  /**
   * Whose turn it is to send the probe that a job of `partner` is about to claim: the probe is a real
   * message, and the first one delivered when the partner is back should be the one departing first.
   * `self` — no waiting job of the partner departs earlier than `job`: it probes; `woken` — the
   * earliest-departing waiting job was woken to probe; `pending` — that job is already awake (ready or
   * running) and will reach the circuit itself.
   */
  probeTurn(partner: string, job: { id: string; departureAt: number | null }): Promise<ProbeTurn>;
  /**
   * Make sure the earliest-departing waiting job of `partner` is on its way (woken, or already ready or
   * running), skipping jobs that are gone; resolves false when no job of the partner is waiting.
   */
  wakeFirst(partner: string): Promise<boolean>;
  /** Every partner with a stored circuit, whatever its phase (a starting worker looks for open ones). */
  partners(): Promise<string[]>;
}

export type ProbeTurn = 'self' | 'woken' | 'pending';
