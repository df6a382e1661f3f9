/**
 * The budget of refused unauthenticated requests per client address. A refusal costs us a log line,
 * a counter and some CPU; once an address has spent its budget for the window it is answered 429
 * before any other work. Implementations keep the count where every gateway process sees it (Redis).
 */
export interface RefusalLimiter {
  /** Seconds until `client` may be served again; 0 while it is within its budget. */
  blockedFor(client: string): Promise<number>;
  /** Count one refusal against `client`. */
  charge(client: string): Promise<void>;
  close(): Promise<void>;
}
