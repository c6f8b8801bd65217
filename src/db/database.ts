import { type CompiledQuery, type Insertable, Kysely, Migrator, type Migration, type MigrationProvider, sql } from 'kysely';
import { type QueryObserver, bindQueryObservers, bindReadConnection, keepLongStatement, kyselyDialect, queryLog } from './dialect.ts';
import * as m001 from './migrations/001_initial.ts';
import * as m002 from './migrations/002_mail_and_requests.ts';
import * as m003 from './migrations/003_payments_and_mandates.ts';
import * as m004 from './migrations/004_worker_indexes.ts';
import * as m005 from './migrations/005_statement_discount.ts';
import * as m006 from './migrations/006_contact_submission.ts';
import * as m007 from './migrations/007_customer_logins.ts';
import * as m008 from './migrations/008_outbox_retention.ts';
import * as m009 from './migrations/009_staff.ts';
import * as m010 from './migrations/010_customer_search.ts';
import * as m011 from './migrations/011_customer_service_actions.ts';
import * as m012 from './migrations/012_contact_inbox.ts';
import * as m013 from './migrations/013_backoffice_queues.ts';
import * as m014 from './migrations/014_operator_settings.ts';
import * as m015 from './migrations/015_api_clients.ts';
import * as m016 from './migrations/016_vehicle_country.ts';
import * as m018 from './migrations/018_integration_events.ts';
import * as m019 from './migrations/019_integration_events_retention.ts';
import * as m020 from './migrations/020_settled_amounts.ts';
import * as m021 from './migrations/021_history_indexes.ts';
import * as m022 from './migrations/022_draft_balance_triggers.ts';
import * as m023 from './migrations/023_account_versions.ts';
import * as m024 from './migrations/024_partial_document_indexes.ts';
import * as m025 from './migrations/025_contract_terminations.ts';
import * as m026 from './migrations/026_vehicle_changes.ts';
import * as m027 from './migrations/027_badge_replacements.ts';
import * as m028 from './migrations/028_banking.ts';
import * as m029 from './migrations/029_renewal_notices.ts';
import * as m030 from './migrations/030_billing_profile.ts';
import * as m031 from './migrations/031_customer_users.ts';
import * as m032 from './migrations/032_data_exports.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

/**
 * Runs `fn` in a transaction: a new one, or the caller's when `db` already is one — so a write
 * the API makes in a transaction of its own joins the one a bulk import holds over a whole
 * file (`features/import/`), where nothing is written unless every row is. The one way the code
 * opens a transaction (only `db/copy.ts`, which needs its isolation level, opens its own), so
 * that what waits for a commit (`afterCommit`) is told of it.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  const committed: Array<() => void> = [];
  let trx: Db | undefined;
  const result = await db.transaction().execute((t) => {
    trx = t;
    afterCommits.set(t, committed);
    return fn(t);
  });
  if (trx) afterCommits.delete(trx);
  for (const done of committed) done();
  return result;
}

/** What waits for the commit of a transaction `inTransaction` opened. */
const afterCommits = new WeakMap<Db, Array<() => void>>();

/**
 * Runs `fn` once what `db` wrote is committed: at once outside a transaction, after the commit
 * of one `inTransaction` opened (never if it rolls back). Returns false, running nothing, for a
 * transaction opened otherwise, whose end it cannot see: the caller decides.
 */
export function afterCommit(db: Db, fn: () => void): boolean {
  if (!db.isTransaction) {
    fn();
    return true;
  }
  const waiting = afterCommits.get(db);
  if (!waiting) return false;
  waiting.push(fn);
  return true;
}

/** Rows per INSERT; also kept under ~30 000 bound parameters (SQLite's and PostgreSQL's limits). */
const INSERT_MAX_ROWS = 500;
const INSERT_MAX_PARAMS = 30_000;

/** The marker standing for the i-th value of a template insert. */
const MARK = '\u0000insert:';

/** Compiled inserts by kind of database (its adapter), then by table, columns and number of rows. */
const insertTemplates = new Map<unknown, Map<string, CompiledQuery>>();

/**
 * The INSERT of `count` rows of these columns, built and compiled by Kysely once per kind of
 * database: every value is a parameter, row by row in the columns' order, so a call only fills
 * them in. Its SQL stays prepared (SQLite) for the next call: the shapes are few.
 */
function insertTemplate(db: Db, table: string, columns: string[], count: number): CompiledQuery {
  const adapter = db.getExecutor().adapter.constructor;
  const byAdapter = insertTemplates.get(adapter) ?? insertTemplates.set(adapter, new Map()).get(adapter)!;
  const key = `${table}(${columns.join()})${count}`;
  let template = byAdapter.get(key);
  if (!template) {
    const marked = Array.from({ length: count }, (_, r) => Object.fromEntries(columns.map((c, k) => [c, `${MARK}${r * columns.length + k}`])));
    // Kysely cannot relate a generic table name to its row type; the rows are typed by the caller.
    template = db.insertInto(table as never).values(marked as never).compile();
    const { parameters } = template;
    if (parameters.length !== count * columns.length || parameters.some((p, i) => p !== `${MARK}${i}`)) throw new Error(`insertAll: ${key} does not compile to one parameter per value`);
    keepLongStatement(template.sql);
    byAdapter.set(key, template);
  }
  return template;
}

/** The rows' values in the columns' order, or null when a row has other columns or an undefined value (Kysely's default). */
function valuesOf(rows: object[], columns: string[]): unknown[] | null {
  const values: unknown[] = new Array(rows.length * columns.length);
  let at = 0;
  for (const row of rows) {
    let keys = 0;
    for (const _ in row) keys++;
    if (keys !== columns.length) return null;
    for (const c of columns) {
      const v = (row as Record<string, unknown>)[c];
      if (v === undefined) return null;
      values[at++] = v;
    }
  }
  return values;
}

/** The rows per statement of an insert of `count` rows of `columns` columns: as many as allowed, the rest by powers of two. */
export function insertSizes(count: number, columns: number): number[] {
  const full = Math.max(1, Math.min(INSERT_MAX_ROWS, Math.floor(INSERT_MAX_PARAMS / columns)));
  const sizes: number[] = [];
  for (let left = count; left > 0; left -= sizes.at(-1)!) sizes.push(left >= full ? full : 2 ** Math.floor(Math.log2(left)));
  return sizes;
}

/**
 * Inserts rows of one table, as many per statement as the databases allow: a batch's rows, an
 * import's, the demo's. Statements of 500 rows, the rest by powers of two (300 rows: 256, 32, 8
 * and 4), so that an import's thousands of inserts take a few shapes, each compiled once
 * (`insertTemplate`); rows that do not share the first's columns go through Kysely as they are.
 */
export async function insertAll<T extends keyof Database & string>(db: Db, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  let i = 0;
  for (const size of insertSizes(rows.length, columns.length)) {
    const chunk = rows.slice(i, i + size) as object[];
    i += size;
    const parameters = valuesOf(chunk, columns);
    if (parameters) await db.executeQuery({ ...insertTemplate(db, table, columns, size), parameters });
    else await db.insertInto(table).values(chunk as never).execute();
  }
}

/** Opens the database named by `sqlite:<file>` or `postgres://…`. */
export function openDatabase(url: string): Db {
  const dialect = kyselyDialect(url);
  // Its statements' times, for whoever observes them (`observeQueries`: the metrics).
  const observers = new Set<QueryObserver>();
  const db = new Kysely<Database>({ dialect, log: queryLog(observers) });
  bindReadConnection(db, dialect);
  bindQueryObservers(db, observers);
  return db;
}

const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_mail_and_requests': m002,
  '003_payments_and_mandates': m003,
  '004_worker_indexes': m004,
  '005_statement_discount': m005,
  '006_contact_submission': m006,
  '007_customer_logins': m007,
  '008_outbox_retention': m008,
  '009_staff': m009,
  '010_customer_search': m010,
  '011_customer_service_actions': m011,
  '012_contact_inbox': m012,
  '013_backoffice_queues': m013,
  '014_operator_settings': m014,
  '015_api_clients': m015,
  '016_vehicle_country': m016,
  '018_integration_events': m018,
  '019_integration_events_retention': m019,
  '020_settled_amounts': m020,
  '021_history_indexes': m021,
  '022_draft_balance_triggers': m022,
  '023_account_versions': m023,
  '024_partial_document_indexes': m024,
  '025_contract_terminations': m025,
  '026_vehicle_changes': m026,
  '027_badge_replacements': m027,
  '028_banking': m028,
  '029_renewal_notices': m029,
  '030_billing_profile': m030,
  '031_customer_users': m031,
  '032_data_exports': m032,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** The migrator of this database over the project's migrations. */
export const migrator = (db: Db) => new Migrator({ db, provider });

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Where this database stands against the code's migrations: those applied (in order), those
 * pending (none: it is at the code's level) and the last applied (null on a database never
 * migrated). Reads only; throws when the database does not answer.
 */
export async function migrationState(db: Db): Promise<{ applied: string[]; pending: string[]; last: string | null }> {
  // One statement, as `/readyz` asks every few seconds (Kysely's `getMigrations` first lists
  // every table and column); the catalogue is read only when it fails, to tell a database never
  // migrated (every migration pending) from one that does not answer.
  let done: Set<string>;
  try {
    done = new Set((await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name));
  } catch (e) {
    const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
    if (tables.some((t) => t.name === 'kysely_migration')) throw e;
    done = new Set();
  }
  const names = Object.keys(migrations);
  const applied = names.filter((name) => done.has(name));
  return { applied, pending: names.filter((name) => !done.has(name)), last: applied.at(-1) ?? null };
}
