/**
 * Prepared statements for filtered lists, keyed by SQL text. The text depends only on which filters
 * are present (never on their values, which are bound), so the cache is small and bounded; each
 * shape is prepared once per connection.
 */
import type Database from 'better-sqlite3';

export class StatementCache {
  readonly #db: Database.Database;
  readonly #stmts = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  get(sql: string): Database.Statement {
    let s = this.#stmts.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }
}
