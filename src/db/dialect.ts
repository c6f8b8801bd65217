import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type CreateTableBuilder,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Expression,
  type Kysely,
  type Logger,
  PostgresAdapter,
  PostgresDialect,
  type SelectQueryBuilder,
  type SqlBool,
  SqliteDialect,
  type SqliteDatabase,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from 'kysely';
import { jsonArrayFrom as postgresJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import pg from 'pg';

/*
 * Every difference between SQLite and PostgreSQL, in one place. The rest of the code writes
 * one query for both (see the migrations: text ids and timestamps, integer cents, 0/1
 * booleans) and calls these where the two databases cannot be made to agree: how a
 * connection is opened, how related rows come back as JSON, how a row is locked, how a
 * unique violation is reported, how an index serves a prefix search, and how a sequence
 * numbers rows in the order they commit. Nothing outside this file asks which database it
 * runs on, but `copy.ts`: a whole database copied into a file and restored (the backups).
 */

export type DialectName = 'sqlite' | 'postgres';

/** `postgres://…` (or `postgresql://…`) is PostgreSQL; anything else (`sqlite:<file>`) SQLite. */
export function dialectOf(url: string): DialectName {
  return url.startsWith('postgres') ? 'postgres' : 'sqlite';
}

/** The file of a `sqlite:<file>` URL (`:memory:` for an in-memory database). */
export function sqliteFileOf(url: string): string {
  return url.slice('sqlite:'.length);
}

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

// PostgreSQL returns bigint (count, sum) as strings; our sums of cents fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** The Kysely dialect for `sqlite:<file>` or `postgres://…`, its connection set up as the portal expects. */
export function kyselyDialect(url: string): Dialect {
  if (dialectOf(url) === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    pool.on('connect', preparingReusedStatements);
    return new PostgresDialect({ pool });
  }
  const file = sqliteFileOf(url);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // The statement journal (what undoes one statement of a transaction, written for every
  // insert that fires a trigger or holds several rows) in memory rather than a temporary file:
  // an import's documents took half the time to insert (issue 12). Durability is the WAL's
  // and does not depend on it: a crash loses an uncommitted transaction either way.
  sqlite.pragma('temp_store = MEMORY');
  // The WAL copied into the database (a checkpoint, with its fsync) once it holds 10,000 pages
  // (40 MB) rather than SQLite's 1,000: a batch of a thousand documents writes more than 1,000
  // pages, and each of its commits was checkpointing — a quarter of the batch API's time
  // (issue 12). Nothing about durability changes: a commit is in the WAL either way.
  sqlite.pragma('wal_autocheckpoint = 10000');
  // The query planner's statistics, refreshed where they are missing or stale (cheaply: a
  // sample of each index), as SQLite advises for a long-lived connection.
  sqlite.pragma('analysis_limit = 1000');
  sqlite.pragma('optimize = 0x10002');
  const reader = file === ':memory:' ? null : readConnection(file);
  const dialect = new ImmediateSqliteDialect({ database: withStatementCache(sqlite, reader) });
  if (reader) readerOfDialect.set(dialect, withStatementCache(reader, null));
  return dialect;
}

/*
 * A SQLite transaction begins with `BEGIN IMMEDIATE`: it takes the database's write lock at
 * once. Kysely's driver sends `begin` (deferred), which takes no lock until the first write;
 * when another process (`serve` beside `portal worker`, see docs/operations.md) shares the
 * file, a transaction that reads and then writes may find, at its first write, that another
 * connection holds the lock or has committed since its read. SQLite then cannot let it wait
 * (its read would be stale): the write fails at once with SQLITE_BUSY, whatever the
 * `busy_timeout` — a job or a request failed for nothing. Taking the lock at the start,
 * before anything is read, the transaction instead waits for the other writer (up to
 * `busy_timeout`) and then reads the current state. Within one process nothing changes: its
 * one connection already runs one transaction at a time. The read connection (`readAtOnce`)
 * never writes and opens no transaction: it is left as it is.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/*
 * The page's reads on SQLite. Kysely runs every query through its one connection, behind a
 * lock taken and released through promises — a dozen hops per query, and a page read waits
 * for any transaction in progress. The queries run on every page (`reusableQuery`) go instead
 * to a second connection, opened for reading only, and run at once: in WAL mode it reads the
 * last committed state without waiting for a writer (never what a transaction has not yet
 * committed), and a write committed before the read is always seen. Inside a transaction a
 * query runs on the transaction's connection, as before (`readAtOnce` gives nothing then).
 */
const readerOfDialect = new WeakMap<Dialect, SqliteDatabase>();
const readerOfDb = new WeakMap<Kysely<any>, SqliteDatabase>();

function readConnection(file: string): SQLite.Database {
  const reader = new SQLite(file);
  reader.pragma('query_only = ON');
  reader.pragma('busy_timeout = 5000');
  return reader;
}

/** Called once by whoever makes the Kysely instance of `dialect` (`openDatabase`). */
export function bindReadConnection(db: Kysely<any>, dialect: Dialect): void {
  const reader = readerOfDialect.get(dialect);
  if (reader) readerOfDb.set(db, reader);
}

/**
 * The rows of a read-only statement run at once on the read connection of `db`, or
 * `undefined` when `db` has none (PostgreSQL, an in-memory SQLite database, a transaction).
 */
export function readAtOnce<R>(db: Kysely<any>, text: string, parameters: readonly unknown[]): R[] | undefined {
  const reader = readerOfDb.get(db);
  if (!reader) return undefined;
  const observers = observersOfDb.get(db);
  if (!observers?.size) return reader.prepare(text).all(parameters) as R[];
  const started = performance.now();
  let failed = true;
  try {
    const rows = reader.prepare(text).all(parameters) as R[];
    failed = false;
    return rows;
  } finally {
    tellObservers(observers, text, (performance.now() - started) / 1000, failed);
  }
}

/**
 * The SQL of the queries run on every page (`reusableQuery` registers each), each with the
 * name PostgreSQL prepares it under. A fixed set of a few dozen: nothing else is prepared.
 */
const reusedStatements = new Map<string, string>();

/** Marks `text` as run again and again: on PostgreSQL, each connection prepares it once. */
export function keepPrepared(text: string): void {
  if (!reusedStatements.has(text)) reusedStatements.set(text, `portal_${reusedStatements.size + 1}`);
}

/**
 * A new PostgreSQL connection sends the registered SQL as a named statement (node-postgres
 * prepares it on that connection the first time, then only binds and executes it): the server
 * no longer parses and plans the same dozen queries for every page. Any other SQL goes as
 * before (unnamed), so what is prepared stays bounded whatever the queries' texts.
 */
function preparingReusedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    const name = typeof text === 'string' && args.length === 2 && Array.isArray(values) ? reusedStatements.get(text) : undefined;
    return name ? query({ name, text, values }) : query(...args);
  }) as typeof client.query;
}

/**
 * SQL kept prepared on SQLite whatever its length: the few shapes of `insertAll`'s multi-row
 * inserts (a table's columns, a number of rows from a fixed few), run again and again by an
 * import or a batch.
 */
const keptLongStatements = new Set<string>();

/** Marks long SQL of a bounded set of shapes as run again and again: kept prepared (SQLite) though longer than usual. */
export function keepLongStatement(text: string): void {
  keptLongStatements.add(text);
}

/** How many prepared statements one SQLite connection keeps (the portal writes a few hundred distinct queries). */
const STATEMENT_CACHE_SIZE = 1000;
/** Longer SQL is not kept (unless `keepLongStatement` says so): `in (?, ?, …)` lists of every length would fill memory. */
const STATEMENT_CACHE_MAX_SQL = 4096;

/**
 * The connection as Kysely sees it, with its prepared statements kept by their SQL text:
 * Kysely asks for `prepare(sql)` on every query, and compiling the same SQL again each time
 * was about a tenth of a page's time. The least recently used statement goes when the cache
 * is full (queries whose text varies, such as `in (?, ?, …)` lists, cannot grow it without
 * bound). A statement still being iterated (a streamed query) is busy: a fresh one is
 * prepared for that call instead. SQLite itself prepares a statement again when the schema it
 * was compiled against changes (a migration), so a kept statement is never stale. Closing
 * the connection closes its read connection (`readAtOnce`) too.
 */
function withStatementCache(sqlite: SQLite.Database, reader: SQLite.Database | null): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      reader?.close();
      sqlite.close();
    },
    prepare(text) {
      const kept = statements.get(text);
      if (kept && !kept.busy) {
        // Most recently used last: a Map iterates in insertion order.
        statements.delete(text);
        statements.set(text, kept);
        return kept;
      }
      const fresh = sqlite.prepare(text);
      if (kept || (text.length > STATEMENT_CACHE_MAX_SQL && !keptLongStatements.has(text))) return fresh;
      statements.set(text, fresh);
      if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      return fresh;
    },
  };
}

/** SQLite's page cache of a connection during a bulk write, in KiB (better-sqlite3's default: 16,000). */
const BULK_WRITE_CACHE_KIB = 65_536;

/**
 * Runs `fn` — a bulk write, such as an import's transaction — with the SQLite connection's page
 * cache raised to 64 MiB, then set back. Tens of thousands of new rows go into indexes keyed by
 * random UUIDs: through the default cache, their pages were spilt to the WAL in the middle of
 * the transaction and read back again and again (about a quarter of the import's SQLite time,
 * issue 12). Nothing about durability changes. PostgreSQL: `fn` as it is (its own buffers).
 */
export async function withBulkWriteCache<T>(db: Kysely<any>, fn: () => Promise<T>): Promise<T> {
  if (isPostgres(db)) return fn();
  const [setting] = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows;
  await sql.raw(`pragma cache_size = -${BULK_WRITE_CACHE_KIB}`).execute(db);
  try {
    return await fn();
  } finally {
    await sql.raw(`pragma cache_size = ${Number(setting?.cache_size ?? -2000)}`).execute(db);
  }
}

/** Kysely's `jsonArrayFrom` for the dialect of `db`: related rows in the same query. */
export function jsonArrayFor(db: Kysely<any>): typeof sqliteJsonArrayFrom {
  return isPostgres(db) ? postgresJsonArrayFrom : sqliteJsonArrayFrom;
}

/** SQLite returns the aggregated JSON as text, PostgreSQL as parsed JSON. */
export function parseJsonArray<T>(value: unknown): T[] {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T[];
}

/**
 * `FOR UPDATE` on PostgreSQL: the selected rows stay locked to the end of the transaction.
 * SQLite has no row locks and needs none: a write transaction holds the whole database.
 */
export function forUpdate<DB, TB extends keyof DB, O>(db: Kysely<any>, q: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return isPostgres(db) ? q.forUpdate() : q;
}

/**
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL: rows another transaction holds are passed over
 * instead of waited for. On SQLite, nothing: the caller's update guarded on the row itself
 * already lets only one writer win.
 */
export function forUpdateSkipLocked<DB, TB extends keyof DB, O>(db: Kysely<any>, q: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return isPostgres(db) ? q.forUpdate().skipLocked() : q;
}

/**
 * `column in (subquery)`, the subquery run once. PostgreSQL may plan an `in (… limit n for
 * update skip locked)` as a join that runs the subquery again for the rows it checks, and so
 * lock and take more than `n` rows; `= any(array(…))` makes it one value, computed once.
 * SQLite: a plain `in`.
 */
export function inSubqueryOnce(db: Kysely<any>, column: string, subquery: SelectQueryBuilder<any, any, any>): Expression<SqlBool> {
  return isPostgres(db) ? sql<SqlBool>`${sql.ref(column)} = any(array(${subquery}))` : sql<SqlBool>`${sql.ref(column)} in (${subquery})`;
}

/**
 * An index that answers `column LIKE 'prefix%'` (`startsWith` in `lib/search.ts`), after
 * equalities on the `leading` columns if any. SQLite uses an index for LIKE only when it is
 * case-insensitive like LIKE itself (`collate nocase`); PostgreSQL only with the pattern
 * operator class, whatever the database's collation. The values indexed are already in one
 * case (`normalise`), so the two agree.
 */
export async function createPrefixIndex(db: Kysely<any>, name: string, table: string, column: string, leading: string[] = []): Promise<void> {
  const prefixed = isPostgres(db) ? sql`${sql.ref(column)} text_pattern_ops` : sql`${sql.ref(column)} collate nocase`;
  const columns = sql.join([...leading.map((c) => sql.ref(c)), prefixed]);
  await sql`create index ${sql.id(name)} on ${sql.table(table)} (${columns})`.execute(db);
}

/** A unique constraint refused the insert or update (PostgreSQL's `23505`, better-sqlite3's code). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Runs `attempt` (a transaction that reads a row by its natural key, then inserts or updates
 * it) and, when a unique constraint refused it — two writers creating the same key at once —,
 * once more: the second finds the first's row.
 */
export async function retryOnUniqueViolation<T>(db: Kysely<any>, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    // Inside a caller's transaction (the file import), the caller's whole write fails instead:
    // a statement refused there leaves nothing to retry in.
    if (isUniqueViolation(e) && !db.isTransaction) return attempt();
    throw e;
  }
}

/**
 * A table's `id`, numbered by the database in insertion order: SQLite's `integer primary key
 * autoincrement` (never reuses a number, even after the last row is deleted), PostgreSQL's
 * `bigint generated always as identity`. Both come back as a JS number.
 */
export function addSequenceId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** The advisory lock's key that orders the writers of `integration_events` (any bigint no one else uses). */
const SEQUENCE_WRITERS_LOCK = 18_0000_0001;

/**
 * Makes the transactions that write a sequence-numbered log (`integration_events`) commit in
 * the order of the numbers they take, so a reader that has seen number N never misses a row
 * committed later with a smaller one. PostgreSQL hands out sequence numbers when rows are
 * inserted, not when they commit: without this, a transaction holding N could commit after
 * one holding N + 1, and a reader between the two commits would move past N for good. A
 * transaction-scoped advisory lock, taken before the number is, is held until the commit
 * (it is released after the commit is visible), so the next writer takes its number only
 * then. It serialises those writers: call it as late in the transaction as possible, after
 * the row locks it takes (a writer never waits for a row while holding it). SQLite needs
 * nothing: a write transaction holds the whole database until it commits.
 */
export async function serialiseSequenceWriters(trx: Kysely<any>): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(${sql.lit(SEQUENCE_WRITERS_LOCK)})`.execute(trx);
}

export interface RowTrigger {
  name: string;
  table: string;
  /** `insert`, `delete`, `update`, or `update of <column>`. */
  event: string;
  /** A condition on `new`/`old` under which it runs (optional). */
  when?: string;
  /** SQL statements run for each row, written once for both databases (they may use `new.` and `old.`). */
  statements: string[];
}

/**
 * A table's three row triggers, `<prefix>_<purpose>_insert|delete|update`: `statements(row)`
 * run for the row (`new` on insert, `old` on delete; an update's statements are `old`'s then
 * `new`'s unless `update` says otherwise), and with `when`, only for a row it holds of (either,
 * for an update). The one shape of the triggers that keep amounts and versions (020, 022, 023).
 */
export function tableTriggers(
  o: { prefix: string; purpose: string; table: string; updateOf?: string; when?: (row: string) => string },
  statements: (row: 'new' | 'old') => string[],
  update: string[] = [...statements('old'), ...statements('new')],
): RowTrigger[] {
  const only = (...rows: string[]) => (o.when ? { when: rows.map(o.when).join(' or ') } : {});
  const name = (event: string) => `${o.prefix}_${o.purpose}_${event}`;
  return [
    { name: name('insert'), table: o.table, event: 'insert', ...only('new'), statements: statements('new') },
    { name: name('delete'), table: o.table, event: 'delete', ...only('old'), statements: statements('old') },
    { name: name('update'), table: o.table, event: o.updateOf ? `update of ${o.updateOf}` : 'update', ...only('old', 'new'), statements: update },
  ];
}

/**
 * A trigger run after each row's change, in the transaction of that change: a SQLite
 * `create trigger … begin … end`, or on PostgreSQL a PL/pgSQL function of the same name and
 * its trigger. The statements are the same on both.
 */
export async function createRowTrigger(db: Kysely<any>, t: RowTrigger): Promise<void> {
  const when = t.when ? ` when (${t.when})` : '';
  const body = t.statements.map((s) => `${s};`).join('\n');
  if (isPostgres(db)) {
    await sql.raw(`create function ${t.name}() returns trigger language plpgsql as $$ begin\n${body}\nreturn null; end $$`).execute(db);
    await sql.raw(`create trigger ${t.name} after ${t.event} on ${t.table} for each row${when} execute function ${t.name}()`).execute(db);
  } else {
    await sql.raw(`create trigger ${t.name} after ${t.event} on ${t.table} for each row${when} begin\n${body}\nend`).execute(db);
  }
}

/** Removes what `createRowTrigger` made. */
export async function dropRowTrigger(db: Kysely<any>, t: Pick<RowTrigger, 'name' | 'table'>): Promise<void> {
  if (isPostgres(db)) {
    await sql.raw(`drop trigger if exists ${t.name} on ${t.table}`).execute(db);
    await sql.raw(`drop function if exists ${t.name}()`).execute(db);
  } else {
    await sql.raw(`drop trigger if exists ${t.name}`).execute(db);
  }
}

/*
 * Who is told of each statement a database runs (the metrics' query time, `features/ops/`):
 * Kysely's `log` hook for every statement it runs, `readAtOnce` for the page reads it does not.
 */
export interface QueryTiming {
  /** The statement's kind: its first keyword (`select`, `insert`, `update`, `delete`), else `other`. */
  statement: 'select' | 'insert' | 'update' | 'delete' | 'other';
  seconds: number;
  failed: boolean;
}
export type QueryObserver = (q: QueryTiming) => void;

const observersOfDb = new WeakMap<Kysely<any>, Set<QueryObserver>>();
const STATEMENTS = new Set(['select', 'insert', 'update', 'delete']);

function tellObservers(observers: Set<QueryObserver>, text: string, seconds: number, failed: boolean): void {
  const word = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '';
  const statement = (STATEMENTS.has(word) ? word : word === 'with' ? 'select' : 'other') as QueryTiming['statement'];
  for (const o of observers) o({ statement, seconds, failed });
}

/** Kysely's `log` option for a database whose statements `observers` hear of (`openDatabase`). */
export function queryLog(observers: Set<QueryObserver>): Logger {
  return (e) => {
    if (observers.size) tellObservers(observers, e.query.sql, e.queryDurationMillis / 1000, e.level === 'error');
  };
}

/** Called once by `openDatabase`, with the set its `queryLog` tells. */
export function bindQueryObservers(db: Kysely<any>, observers: Set<QueryObserver>): void {
  observersOfDb.set(db, observers);
}

/** Tells `observer` of every statement `db` (opened by `openDatabase`) runs from now on; returns how to stop. */
export function observeQueries(db: Kysely<any>, observer: QueryObserver): () => void {
  const observers = observersOfDb.get(db);
  observers?.add(observer);
  return () => observers?.delete(observer);
}
