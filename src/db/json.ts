import { type Kysely, PostgresAdapter } from 'kysely';
import { jsonArrayFrom as postgresJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';

/** Kysely's `jsonArrayFrom` for the dialect of `db`: related rows in the same query. */
export function jsonArrayFor(db: Kysely<any>): typeof sqliteJsonArrayFrom {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgresJsonArrayFrom : sqliteJsonArrayFrom;
}

/** SQLite returns the aggregated JSON as text, PostgreSQL as parsed JSON. */
export function parseJsonArray<T>(value: unknown): T[] {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T[];
}
