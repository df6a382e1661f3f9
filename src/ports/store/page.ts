/** One page of a list query, with the cursor for the next (src/adapters/store-common/paging.ts). */
export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null at the end. */
  next: string | null;
}
