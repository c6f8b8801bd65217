import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Db } from './database.ts';
import { type DialectName, dialectOf, sqliteFileOf } from './dialect.ts';
import type { Database } from './schema.ts';

/*
 * A whole database copied into a file and put back (the backup feature): the one place beside
 * `dialect.ts` that knows which database it runs on, because each has its own consistent copy.
 * SQLite: its online backup API (never a copy of the file, which in WAL mode misses what the WAL
 * holds); PostgreSQL: `pg_dump` in its custom format, on a snapshot shared with the transaction
 * that counts the rows, and `pg_restore` into `psql` in one transaction.
 */

const run = promisify(execFile);

/** The file a copy of each kind of database is written to, within a backup. */
export const DATABASE_COPY_FILE: Record<DialectName, string> = { sqlite: 'database.sqlite', postgres: 'database.dump' };

/** A copy made: its kind, its file (within the folder given) and what `count` found in it. */
export interface DatabaseCopy<T> {
  kind: DialectName;
  file: string;
  counted: T;
}

/** Why a copy of the `kind` database cannot go into the database of `url`, or null when it can. */
export function copyMismatch(url: string, kind: DialectName): string | null {
  const target = dialectOf(url);
  return target === kind ? null : `the backup is of a ${kind} database; DATABASE_URL names a ${target} one.`;
}

/** A SQLite file opened read only (nothing written to it, not even statistics or a WAL): to count what a copy holds. */
function openSqliteReadOnly(file: string): Db {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(file, { readonly: true, fileMustExist: true }) }) });
}

type PgTool = 'pg_dump' | 'pg_restore' | 'psql';

/** A PostgreSQL tool: Debian's latest under /usr/lib/postgresql, or the one on PATH. */
function pgTool(name: PgTool): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(`${root}/${v}/bin/${name}`)) return `${root}/${v}/bin/${name}`;
  return name;
}

/**
 * How a PostgreSQL tool reaches the database of `url`: `--dbname=` the URL itself (libpq reads
 * a URI whole: host, port, user, database, `?host=`, `sslmode`…) without its password, which
 * goes in `PGPASSWORD` (a command line is visible to `ps`); and an environment of its own —
 * the system's PATH, HOME (`~/.pgpass`, `~/.postgresql/` certificates) and LANG, never the
 * portal's (its keys and tokens).
 */
export function pgConnection(url: string): { dbname: string; env: Record<string, string> } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : u.searchParams.get('password');
  u.password = '';
  if (u.searchParams.has('password')) u.searchParams.delete('password');
  // The one reading of the environment outside config.ts: the system's own variables, handed on to a child process.
  const system = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: process.env.LANG };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(system)) if (value) env[name] = value;
  if (password) env.PGPASSWORD = password;
  return { dbname: u.toString(), env };
}

/** A PostgreSQL tool's failure, in words: not installed, or what it wrote on its error output. */
function toolError(name: PgTool, e: unknown, stderr?: string): Error {
  const err = e as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ENOENT') return new Error(`${name} was not found (install PostgreSQL's client, e.g. apt-get install postgresql-client)`);
  return new Error(`${name} failed: ${(stderr ?? '').trim() || (err?.message ?? 'unknown error')}`);
}

/** Runs a PostgreSQL tool on the database of `url`, to its end. */
async function runPgTool(name: PgTool, args: string[], url: string): Promise<void> {
  const { dbname, env } = pgConnection(url);
  try {
    await run(pgTool(name), [...args, `--dbname=${dbname}`], { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    throw toolError(name, e, (e as { stderr?: string }).stderr);
  }
}

/** A child's exit: its code (null when killed) and error output; rejects when it cannot start. */
function exitOf(child: ChildProcess, name: PgTool): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', (e) => reject(toolError(name, e)));
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

/**
 * Copies the database of `url` (served meanwhile) into `dir` (`DATABASE_COPY_FILE`, mode 0600)
 * and, on the very state copied, runs `count`. SQLite: its online backup API from a connection
 * of its own, then `count` on the copy opened read only; PostgreSQL: a repeatable-read
 * transaction exports its snapshot, `pg_dump` dumps that snapshot while `count` runs in the
 * transaction.
 */
export async function copyDatabase<T>(db: Db, url: string, dir: string, count: (db: Db) => Promise<T>): Promise<DatabaseCopy<T>> {
  const kind = dialectOf(url);
  const file = DATABASE_COPY_FILE[kind];
  const path = join(dir, file);
  if (kind === 'sqlite') {
    const source = sqliteFileOf(url);
    if (source === ':memory:' || !existsSync(source)) throw new Error(`there is no database file ${source} to back up`);
    const live = new SQLite(source, { fileMustExist: true });
    try {
      live.pragma('busy_timeout = 5000');
      // All the pages in one step once started: a write by the portal between two steps would
      // start the copy over (SQLite's rule for a source written by another connection).
      await live.backup(path, { progress: () => 1_000_000_000 });
    } finally {
      live.close();
    }
    // A file whole by itself: the copy keeps the source's WAL mode, in which even a reader
    // leaves `-wal` and `-shm` files beside it; in rollback mode, opened read only, nothing is.
    const made = new SQLite(path, { fileMustExist: true });
    try {
      made.pragma('journal_mode = DELETE');
    } finally {
      made.close();
    }
    chmodSync(path, 0o600);
    const copy = openSqliteReadOnly(path);
    try {
      return { kind, file, counted: await count(copy) };
    } finally {
      await copy.destroy();
    }
  }
  const counted = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const { rows } = await sql<{ snapshot: string }>`select pg_export_snapshot() as snapshot`.execute(trx);
      const dumped = runPgTool('pg_dump', ['--format=custom', `--snapshot=${rows[0]!.snapshot}`, `--file=${path}`], url);
      // Both awaited, so that neither fails unheard.
      const [counted] = await Promise.all([count(trx), dumped]);
      return counted;
    });
  chmodSync(path, 0o600);
  return { kind, file, counted };
}

/**
 * Puts the database copied into `path` in the place of the database of `url`, in one
 * transaction: all of it, or nothing changed. The target must be empty unless `replace`.
 * SQLite: SQLite's backup API again, from the copy into the target file, all its pages in one
 * step (one write transaction on the target, rolled back on any error) — never a copy of the
 * file beside a WAL; nothing else may have the target open. PostgreSQL: `pg_restore` turns the
 * dump into SQL, which `psql` runs in one transaction (`--single-transaction`, stopping at the
 * first error), preceded with `replace` by the schema `public` dropped and made again; the input
 * is ended only once `pg_restore` has succeeded — when it fails, `psql` is killed before its
 * COMMIT and PostgreSQL rolls everything back. Owners and privileges: the target's user's.
 */
export async function restoreDatabase(url: string, path: string, replace: boolean): Promise<void> {
  if (dialectOf(url) === 'sqlite') {
    const target = sqliteFileOf(url);
    if (target === ':memory:') throw new Error('an in-memory database cannot be restored into');
    const copy = new SQLite(path, { readonly: true, fileMustExist: true });
    try {
      await copy.backup(target, { progress: () => 1_000_000_000 });
    } finally {
      copy.close();
    }
    return;
  }
  const { dbname, env } = pgConnection(url);
  const restore = spawn(pgTool('pg_restore'), ['--no-owner', '--no-privileges', '--file=-', path], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const replacing = replace ? ['--command=SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;'] : [];
  const psql = spawn(pgTool('psql'), ['--no-psqlrc', '--quiet', '--single-transaction', '--set=ON_ERROR_STOP=1', `--dbname=${dbname}`, ...replacing, '--file=-'], {
    env,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const restored = exitOf(restore, 'pg_restore');
  const applied = exitOf(psql, 'psql');
  // psql gone (an error) while pg_restore still writes: pg_restore stopped too.
  psql.stdin!.on('error', () => {});
  applied.finally(() => {
    if (restore.exitCode === null && restore.signalCode === null) restore.kill('SIGKILL');
  }).catch(() => {});
  restore.stdout!.pipe(psql.stdin!, { end: false });
  let restoreExit: Awaited<typeof restored>;
  try {
    restoreExit = await restored;
  } catch (e) {
    psql.kill('SIGKILL');
    await applied.catch(() => {});
    throw e;
  }
  if (restoreExit.code === 0) psql.stdin!.end();
  else psql.kill('SIGKILL');
  const psqlExit = await applied;
  if (psqlExit.code !== 0 && psqlExit.stderr.trim()) throw toolError('psql', null, psqlExit.stderr);
  if (restoreExit.code !== 0) throw toolError('pg_restore', null, restoreExit.stderr || `exit status ${restoreExit.code}`);
  if (psqlExit.code !== 0) throw toolError('psql', null, `exit status ${psqlExit.code}`);
}
