// ------------------------------------------------------------------------------------------------
// Small shared primitives

export interface KvRepo {
  /**
   * A lease for leader election (e.g. the audit sealer): acquire or renew `name` for `holder` until
   * `now + ttlMs`. Returns true when `holder` holds it afterwards.
   */
  acquireLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}
