import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { type Db, openDatabase } from '../../db/database.ts';
import { type DialectName, dialectOf, sqliteFileOf } from '../../db/dialect.ts';

/*
 * The database's side of a backup, by kind of database: the one place that asks which it is,
 * because each has its own consistent copy. SQLite: its online backup API (never a copy of the
 * file, which in WAL mode misses what the WAL holds); PostgreSQL: `pg_dump` in its custom format,
 * on a snapshot shared with the transaction that counts the rows, and `pg_restore`.
 */

const run = promisify(execFile);

/** What the database holds, counted by `count`, at the instant it is copied. */
export interface DatabaseCopy<T> {
  kind: DialectName;
  counted: T;
}

/** Every table of the portal (Kysely's own left out) and its number of rows, by name. */
export async function countRows(db: Db): Promise<Record<string, number>> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView).map((t) => t.name).sort();
  const counts: Record<string, number> = {};
  for (const name of tables) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db);
    counts[name] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/** The last migration applied (`kysely_migration`), or null on a database never migrated. */
export async function migrationLevel(db: Db): Promise<string | null> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === 'kysely_migration')) return null;
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db);
  return rows[0]?.name ?? null;
}

/** A PostgreSQL tool (`pg_dump`, `pg_restore`): Debian's latest under /usr/lib/postgresql, or the one on PATH. */
function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(`${root}/${v}/bin/${name}`)) return `${root}/${v}/bin/${name}`;
  return name;
}

/** The connection of a `postgres://` URL as libpq's variables: the password never on a command line (`ps` shows those). */
function pgEnvironment(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.hostname) env.PGHOST = decodeURIComponent(u.hostname);
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (database) env.PGDATABASE = database;
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/** Runs a PostgreSQL tool; its error output becomes the error's message. */
async function runPgTool(name: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  try {
    await run(pgTool(name), args, { env: pgEnvironment(url), maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`${name} was not found (install PostgreSQL's client, e.g. apt-get install postgresql-client)`);
    throw new Error(`${name} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

/**
 * Copies the database of `url` (served meanwhile) into `file` and, on the very state copied,
 * runs `count`. SQLite: its online backup API from a connection of its own, then `count` on
 * the copy; PostgreSQL: a repeatable-read transaction exports its snapshot, `pg_dump` dumps that
 * snapshot while `count` runs in the transaction.
 */
export async function copyDatabase<T>(db: Db, url: string, file: string, count: (db: Db) => Promise<T>): Promise<DatabaseCopy<T>> {
  const kind = dialectOf(url);
  if (kind === 'sqlite') {
    const source = sqliteFileOf(url);
    if (source === ':memory:' || !existsSync(source)) throw new Error(`there is no database file ${source} to back up`);
    const live = new SQLite(source, { fileMustExist: true });
    try {
      live.pragma('busy_timeout = 5000');
      // All the pages in one step once started: a write by the portal between two steps would
      // start the copy over (SQLite's rule for a source written by another connection).
      await live.backup(file, { progress: () => 1_000_000_000 });
    } finally {
      live.close();
    }
    const copy = openDatabase(`sqlite:${file}`);
    try {
      return { kind, counted: await count(copy) };
    } finally {
      await copy.destroy();
    }
  }
  const counted = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const { rows } = await sql<{ snapshot: string }>`select pg_export_snapshot() as snapshot`.execute(trx);
      const dumped = runPgTool('pg_dump', ['--format=custom', `--snapshot=${rows[0]!.snapshot}`, `--file=${file}`], url);
      const counted = await count(trx);
      await dumped;
      return counted;
    });
  return { kind, counted };
}

/** Whether the database of `db` holds any table (Kysely's own included): a restore goes only into an empty one. */
export async function hasTables(db: Db): Promise<boolean> {
  return (await db.introspection.getTables({ withInternalKyselyTables: true })).length > 0;
}

/**
 * Puts the database copied into `file` in the place of the database of `url` (`db`, which must
 * be empty unless `replace`). SQLite: SQLite's backup API again, from the copy into the target
 * file — never a copy of the file beside a WAL; nothing else may have the target open.
 * The SQLite target's own WAL is kept: the copy goes through it, as any write does.
 * PostgreSQL: with `replace`, its schema dropped (every table, trigger and function) and made
 * again, then `pg_restore` in one transaction, owners and privileges those of the target's user.
 */
export async function restoreDatabase(db: Db, url: string, file: string, replace: boolean): Promise<void> {
  if (dialectOf(url) === 'sqlite') {
    const target = sqliteFileOf(url);
    if (target === ':memory:') throw new Error('an in-memory database cannot be restored into');
    const copy = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      await copy.backup(target, { progress: () => 1_000_000_000 });
    } finally {
      copy.close();
    }
    return;
  }
  if (replace) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]!.schema;
    await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
    await sql`create schema ${sql.id(schema)}`.execute(db);
  }
  await runPgTool('pg_restore', ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${pgEnvironment(url).PGDATABASE ?? 'postgres'}`, file], url);
}
