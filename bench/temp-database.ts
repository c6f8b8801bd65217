import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type Db, migrateToLatest, openDatabase } from '../src/db/database.ts';
import { pngImage } from '../tests/support/pdf.ts';

/*
 * What the throughput benchmarks (`bench/pdf.ts`, `bench/import.ts`) share: a database of their
 * own — a SQLite file in a temporary folder, or with `--url postgres://…` a new database on that
 * server, dropped at the end —, and the figures they print: human-readable lines first, then
 * one line of JSON per figure, last, for `bench/run.ts` to read.
 */

export interface BenchDatabase {
  db: Db;
  /** The database's URL (`sqlite:<file>` or `postgres://…/portal_bench_…`), for a child process. */
  url: string;
  /** The temporary folder: the SQLite file, `DATA_DIR`, generated files. */
  dir: string;
  kind: 'sqlite' | 'postgres';
  /** Closes the database, drops it (PostgreSQL) and removes the folder. */
  drop(): Promise<void>;
}

/** A fresh, migrated database: SQLite in a temporary folder, or a new database on the PostgreSQL server of `serverUrl`. */
export async function tempDatabase(serverUrl?: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  const where = serverUrl ? await newPostgresDatabase(serverUrl) : { url: `sqlite:${join(dir, 'bench.sqlite')}`, kind: 'sqlite' as const, dropDatabase: async () => {} };
  const db = openDatabase(where.url);
  await migrateToLatest(db);
  return {
    db,
    url: where.url,
    dir,
    kind: where.kind,
    async drop() {
      await db.destroy();
      await where.dropDatabase();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new, empty database on the PostgreSQL server of `serverUrl`, and how to drop it. */
async function newPostgresDatabase(serverUrl: string) {
  const name = `portal_bench_${process.pid}_${Date.now() % 1_000_000}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database "${name}"`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), kind: 'postgres' as const, dropDatabase: () => admin(`drop database if exists "${name}" with (force)`) };
}

/** The options every throughput benchmark takes: `--url postgres://…` and its own. */
export function benchArgs<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(options: T) {
  // `--data <dir>`: what `npm run bench` passes every extra script; these make their own
  // temporary database, whatever the dataset (rendering and importing do not depend on it).
  return parseArgs({ options: { url: { type: 'string' }, data: { type: 'string' }, ...options }, allowPositionals: false }).values;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  detail: string;
}

/** Prints the figures, one JSON line each: the benchmark's last lines. */
export function printFigures(figures: Figure[]): void {
  for (const f of figures) console.log(JSON.stringify({ ...f, value: Math.round(f.value * 10) / 10 }));
}

/** `1 234` */
export const grouped = (n: number) => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');

/**
 * A logo as an operator uploads one: a 360×120 PNG, colours on a transparent background (an
 * alpha channel, which pdfkit separates into a mask of its own).
 */
export const sampleLogo = (): Buffer =>
  pngImage({
    width: 360,
    height: 120,
    colorType: 6,
    pixel: (x, y) => [11, 79 + (x % 64), 138, (x - 60) ** 2 + (y - 60) ** 2 < 50 ** 2 || (x > 130 && x < 340 && y > 40 && y < 80) ? 255 : 0],
  });
