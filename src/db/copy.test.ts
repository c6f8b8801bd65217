import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../tests/support/app.ts';
import { copyDatabase, pgConnection, restoreDatabase } from './copy.ts';
import { openDatabase } from './database.ts';

describe('a PostgreSQL tool’s connection', () => {
  it('is the URL itself without its password (kept whole: ?host=, sslmode), the password decoded in PGPASSWORD, and no variable of the portal', () => {
    const c = pgConnection('postgres://portal:p%40ss%3Aw%2Frd%20%25@db.example:5433/portal_prod?sslmode=verify-full&application_name=backup');
    expect(c.dbname).toBe('postgres://portal@db.example:5433/portal_prod?sslmode=verify-full&application_name=backup');
    expect(c.env.PGPASSWORD).toBe('p@ss:w/rd %');
    expect(Object.keys(c.env).every((name) => ['PATH', 'HOME', 'LANG', 'PGPASSWORD'].includes(name))).toBe(true);

    const socket = pgConnection('postgresql:///portal_prod?host=/var/run/postgresql&user=portal');
    expect(socket.dbname).toBe('postgresql:///portal_prod?host=/var/run/postgresql&user=portal');
    expect(socket.env.PGPASSWORD).toBeUndefined();
    const inQuery = pgConnection('postgres://portal@db.example/portal_prod?password=s%26cret&sslmode=require');
    expect(inQuery.dbname).toBe('postgres://portal@db.example/portal_prod?sslmode=require');
    expect(inQuery.env.PGPASSWORD).toBe('s&cret');
  });
});

describe.runIf(inject('postgresTemplate'))('a PostgreSQL copy restored', () => {
  it('goes into the database the URL names, as the URL’s user, whose password holds characters a URL encodes', async () => {
    const { db, url } = await freshDatabase('postgres');
    const dir = mkdtempSync(join(tmpdir(), 'portal-copy-'));
    const copy = await copyDatabase(db, url, dir, async () => null);
    await db.destroy();

    const admin = new pg.Client({ connectionString: inject('postgresAdminUrl')! });
    await admin.connect();
    const role = `portal_copy_${process.pid}`;
    const name = `portal_t_${inject('postgresTemplate')!.slice('portal_tpl_'.length)}_copy_${process.pid}`;
    const password = 'p@ss:w/rd %é';
    await admin.query(`create role ${role} login password '${password}'`);
    await admin.query(`create database ${name} owner ${role}`);
    try {
      const target = new URL(inject('postgresAdminUrl')!);
      target.username = role;
      target.password = encodeURIComponent(password);
      target.pathname = `/${name}`;
      await restoreDatabase(target.toString(), join(dir, copy.file), false);
      const restored = openDatabase(target.toString());
      const { rows } = await sql<{ n: number; owner: string; database: string }>`select count(*)::int as n, min(tableowner) as owner, current_database() as database from pg_tables where schemaname = 'public'`.execute(restored);
      await restored.destroy();
      expect(rows[0]!.n).toBeGreaterThan(40);
      expect(rows[0]!.owner).toBe(role);
      expect(rows[0]!.database).toBe(name);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`drop role if exists ${role}`);
      await admin.end();
    }
  });
});
