/**
 * The one shape of the SQLite lists (inbound, outbound, screening cases): newest first on a time
 * column, then id, `limit` rows after a time cursor, narrowed by the filters that are given. Each
 * condition binds its value as a named parameter, so the SQL text varies only with which filters are
 * present and the StatementCache stays small.
 */
import type { Page } from '../../ports/store/index.js';
import { encodeTimeCursor, toPage, type TimeKey } from '../store-common/paging.js';
import type { StatementCache } from './statement-cache.js';

export class NewestFirst {
  readonly #timeColumn: string;
  readonly #limit: number;
  readonly #where: string[] = [];
  readonly #params: Record<string, unknown>;

  constructor(timeColumn: string, limit: number) {
    this.#timeColumn = timeColumn;
    this.#limit = limit;
    // One row more than the page holds: its presence says there is a next page.
    this.#params = { limit: limit + 1 };
  }

  /** `column = @name`, when the filter gives a value. */
  equals(column: string, name: string, value: unknown): this {
    if (value !== undefined) this.where(`${column} = @${name}`, { [name]: value });
    return this;
  }

  /** A condition of its own, with the parameters it names. */
  where(condition: string, params: Record<string, unknown> = {}): this {
    this.#where.push(condition);
    Object.assign(this.#params, params);
    return this;
  }

  /** The filter's period on the time column, each end when given: from inclusive, to exclusive. */
  period(from: number | undefined, to: number | undefined): this {
    if (from !== undefined) this.where(`${this.#timeColumn} >= @from`, { from });
    if (to !== undefined) this.where(`${this.#timeColumn} < @to`, { to });
    return this;
  }

  /** Only the rows after the cursor's (time, id), the last of the previous page. */
  after(cursor: TimeKey | null): this {
    const t = this.#timeColumn;
    if (cursor)
      this.where(`(${t} < @afterT OR (${t} = @afterT AND id < @afterId))`, { afterT: cursor.t, afterId: cursor.id });
    return this;
  }

  /** Run it on `select`: the page, and the cursor after its last row (its time read by `timeOf`). */
  page<R extends { id: string }>(
    lists: StatementCache,
    select: string,
    fromRow: (row: never) => R,
    timeOf: (r: R) => number,
  ): Page<R> {
    const t = this.#timeColumn;
    const where = this.#where.length ? ` WHERE ${this.#where.join(' AND ')}` : '';
    const sql = `${select}${where} ORDER BY ${t} DESC, id DESC LIMIT @limit`;
    const rows = lists
      .get(sql)
      .all(this.#params)
      .map((r) => fromRow(r as never));
    return toPage(rows, this.#limit, (last) => encodeTimeCursor({ t: timeOf(last), id: last.id }));
  }
}
