import SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/db/schema.ts';

/*
 * Where the dataset's rows go (`bench/data.ts`), fast: millions of rows, not through Kysely.
 * - SQLite: better-sqlite3 prepared statements, one per table, in one transaction, the journal
 *   and syncing off while the fresh file fills (a crash leaves a file to delete, not a database
 *   to mend); two writers, each its tables in a file of its own, merged (`mergeSqlite`), then
 *   back to WAL;
 * - PostgreSQL: rows held per table and written by thousands with `unnest` arrays, every
 *   table in the order of their foreign keys.
 * A row is the table's whole row (`Selectable`: every column named), so a column added to
 * `src/db/schema.ts` is a type error in the one function that writes that table.
 */

export type FullRow<T extends keyof Database> = Selectable<Database[T]>;

/** The tables the dataset writes, parents before children: PostgreSQL checks each foreign key as the rows arrive. */
export const TABLE_ORDER = [
  'car_parks',
  'customers',
  'customer_search_keys',
  'customer_logins',
  'paperless_consents',
  'contracts',
  'contract_vehicles',
  'sepa_mandates',
  'sepa_mandate_contracts',
  'financial_documents',
  'document_lines',
  'payments',
  'allocations',
  'exit_statements',
  'exits',
  'contact_requests',
  'contact_messages',
] as const satisfies readonly (keyof Database)[];

export type BulkTable = (typeof TABLE_ORDER)[number];

/** The tables one of the two SQLite writers fills (its own file, merged afterwards): about half the rows. */
export const DOCUMENT_TABLES: ReadonlySet<BulkTable> = new Set(['financial_documents', 'document_lines', 'exit_statements', 'exits']);

export interface Sink {
  /** Whether rows of this table are written (a SQLite writer fills some tables only). */
  accepts(table: BulkTable): boolean;
  insert<T extends BulkTable>(table: T, row: FullRow<T>): void;
  /** Whether it holds enough rows to send them (PostgreSQL; never on SQLite, which writes each at once). */
  readonly full: boolean;
  /** Sends what is held. */
  flush(): Promise<void>;
  /** Makes what is written so far durable (SQLite: commits the transaction and opens the next). */
  commit(): Promise<void>;
  close(): Promise<void>;
}

const quote = (name: string) => `"${name}"`;

/** The columns of a table's rows, in the order the first row names them; every later row names the same. */
function columnsOf(row: object): string[] {
  return Object.keys(row);
}

function valuesOf(columns: string[], row: object): unknown[] {
  const values = new Array<unknown>(columns.length);
  for (let i = 0; i < columns.length; i++) values[i] = (row as Record<string, unknown>)[columns[i] as string] ?? null;
  return values;
}

function journalMode(db: SQLite.Database, mode: 'off' | 'wal') {
  const now = db.pragma(`journal_mode = ${mode}`, { simple: true });
  if (now !== mode) throw new Error(`SQLite kept its journal in mode ${String(now)}, not ${mode}`);
}

/** Opens a fresh SQLite file for filling: no journal, no sync, foreign keys checked afterwards (`pragma foreign_key_check`). */
function openForFilling(file: string): SQLite.Database {
  const db = new SQLite(file);
  // better-sqlite3's defensive mode refuses to turn the journal off.
  db.unsafeMode(true);
  journalMode(db, 'off');
  db.pragma('synchronous = OFF');
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('foreign_keys = OFF');
  db.pragma('temp_store = MEMORY');
  // 2 GB of page cache: the indexes by customer take rows from all over their width every month.
  db.pragma('cache_size = -2000000');
  return db;
}

/**
 * Writes the rows of `tables` into a fresh SQLite file, in one transaction (with no journal, a
 * commit only writes out what the cache still holds); the other tables' rows are passed over.
 */
export function sqliteSink(file: string, tables: (table: BulkTable) => boolean = () => true): Sink {
  const db = openForFilling(file);
  const statements = new Map<string, { columns: string[]; statement: SQLite.Statement }>();
  db.exec('begin');
  return {
    accepts: tables,
    full: false,
    insert(table, row) {
      let s = statements.get(table);
      if (!s) {
        if (!tables(table)) return;
        const columns = columnsOf(row);
        const statement = db.prepare(`insert into ${quote(table)} (${columns.map(quote).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
        s = { columns, statement };
        statements.set(table, s);
      }
      s.statement.run(valuesOf(s.columns, row));
    },
    async flush() {},
    async commit() {
      db.exec('commit');
      db.exec('begin');
    },
    async close() {
      db.exec('commit');
      db.close();
    },
  };
}

/**
 * Moves the tables another writer filled (`part`, a copy of the same empty schema) into `file`,
 * then turns its write-ahead log back on, as the portal runs it. The tables in `file` are empty
 * and their schema the same: SQLite copies their pages' records and index entries as they are
 * (its transfer optimisation), without decoding a row.
 */
export function mergeSqlite(file: string, part: string | null, tables: Iterable<BulkTable>): void {
  const db = openForFilling(file);
  if (part) {
    db.prepare('attach database ? as part').run(part);
    db.exec('begin');
    for (const table of tables) db.exec(`insert into main.${quote(table)} select * from part.${quote(table)}`);
    db.exec('commit');
    db.exec('detach database part');
  }
  db.pragma('locking_mode = NORMAL');
  journalMode(db, 'wal');
  db.unsafeMode(false);
  db.close();
}

/** Rows per `insert … select * from unnest(…)`: one statement of a few megabytes. */
const PG_ROWS_PER_STATEMENT = 5_000;
/** Rows held before they are sent. */
const PG_HOLD = 50_000;

/** A PostgreSQL database being filled: rows held per table, sent by thousands, parents first. */
export async function postgresSink(url: string): Promise<Sink> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Each statement is its own transaction: a lost last second on a crash only means running again.
  await client.query('set synchronous_commit = off');
  const held = new Map<string, { columns: string[]; rows: unknown[][] }>();
  const types = new Map<string, Map<string, string>>();
  let pending = 0;

  const typesOf = async (table: string) => {
    let t = types.get(table);
    if (!t) {
      const { rows } = await client.query<{ column_name: string; udt_name: string }>(
        'select column_name, udt_name from information_schema.columns where table_schema = current_schema() and table_name = $1',
        [table],
      );
      t = new Map(rows.map((r) => [r.column_name, r.udt_name]));
      types.set(table, t);
    }
    return t;
  };

  const send = async (table: string, columns: string[], rows: unknown[][]) => {
    const t = await typesOf(table);
    const casts = columns.map((c, i) => {
      const type = t.get(c);
      if (!type) throw new Error(`${table}.${c}: no such column in PostgreSQL`);
      return `$${i + 1}::${type}[]`;
    });
    const arrays = columns.map((_, i) => rows.map((r) => r[i]));
    await client.query(`insert into ${quote(table)} (${columns.map(quote).join(', ')}) select * from unnest(${casts.join(', ')})`, arrays);
  };

  const sendAll = async (batch: { table: string; columns: string[]; rows: unknown[][] }[]) => {
    for (const { table, columns, rows } of batch) {
      for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) await send(table, columns, rows.slice(i, i + PG_ROWS_PER_STATEMENT));
    }
  };
  // One batch at a time on its way to the server while the next is drawn: the rows of a batch may name those of the one before.
  let sending: Promise<void> = Promise.resolve();
  const flush = async () => {
    await sending;
    const batch = TABLE_ORDER.flatMap((table) => {
      const h = held.get(table);
      if (!h || h.rows.length === 0) return [];
      const rows = h.rows;
      h.rows = [];
      return [{ table, columns: h.columns, rows }];
    });
    pending = 0;
    sending = sendAll(batch);
    sending.catch(() => {});
  };
  const settle = async () => {
    await flush();
    await sending;
  };

  return {
    accepts: () => true,
    get full() {
      return pending >= PG_HOLD;
    },
    insert(table, row) {
      let h = held.get(table);
      if (!h) {
        h = { columns: columnsOf(row), rows: [] };
        held.set(table, h);
      }
      h.rows.push(valuesOf(h.columns, row));
      pending++;
    },
    flush,
    commit: settle,
    async close() {
      try {
        await settle();
      } finally {
        await client.end();
      }
    },
  };
}
