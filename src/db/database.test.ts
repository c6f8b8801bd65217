import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestApp } from '../../tests/support/app.ts';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Insertable, sql } from 'kysely';
import { audit, observeAudit } from '../lib/audit.ts';
import { inTransaction, insertAll, insertSizes, openDatabase } from './database.ts';
import { withBulkWriteCache } from './dialect.ts';
import type { Database } from './schema.ts';

describe('the statements of a bulk insert', () => {
  it('holds as many rows as allowed, the rest by powers of two: a few shapes whatever the count', () => {
    expect(insertSizes(1, 11)).toEqual([1]);
    expect(insertSizes(1000, 21)).toEqual([500, 500]);
    expect(insertSizes(1290, 10)).toEqual([500, 500, 256, 32, 2]);
    expect(insertSizes(300, 80)).toEqual([256, 32, 8, 4]);
    // Kept under ~30,000 parameters: 120 columns, 250 rows a statement.
    expect(insertSizes(600, 120)).toEqual([250, 250, 64, 32, 4]);
    const shapes = new Set<number>();
    for (let n = 1; n <= 2000; n++) for (const s of insertSizes(n, 11)) shapes.add(s);
    expect(shapes.size).toBe(10);
  });
});

describe.each(databaseKinds())('insertAll (%s)', (kind) => {
  const t = useTestApp(kind);

  const entry = (tag: string, i: number): Insertable<Database['audit_log']> & { target_id: string | null | undefined } => ({
    id: `${tag}-${String(i).padStart(5, '0')}`,
    at: `2026-11-27T10:00:00.${String(i % 1000).padStart(3, '0')}Z`,
    actor_type: 'system',
    actor_id: i % 3 === 0 ? null : `actor-${i}`,
    action: 'bulk.test',
    outcome: 'success',
    target_type: null,
    target_id: String(i),
    ip: null,
    user_agent: i % 2 ? 'é"\'; drop table x' : null,
    details: JSON.stringify({ i }),
    user_id: i % 5 === 0 ? `user-${i}` : null,
    user_name: i % 5 === 0 ? `Utilisateur ${i}` : null,
  });
  const read = (tag: string) => t.db.selectFrom('audit_log').selectAll().where('id', 'like', `${tag}-%`).orderBy('id').execute();

  it('writes every row with its values, whatever the count (statements compiled once per shape)', async () => {
    for (const count of [1, 3, 500, 777, 1290, 777]) {
      const tag = `bulk${count}-${Math.random().toString(36).slice(2, 8)}`;
      const rows = Array.from({ length: count }, (_, i) => entry(tag, i));
      await insertAll(t.db, 'audit_log', rows);
      expect(await read(tag)).toEqual(rows);
    }
  });

  it('writes rows whose columns differ from the first’s, or leave one out, as Kysely does', async () => {
    const tag = `mixed-${Math.random().toString(36).slice(2, 8)}`;
    const { ip: _ip, ...first } = entry(tag, 1);
    const second = { ...entry(tag, 2), ip: '192.0.2.7' };
    const third = { ...entry(tag, 3), target_id: undefined };
    await insertAll(t.db, 'audit_log', [first, second, third]);
    expect(await read(tag)).toEqual([
      { ...first, ip: null },
      second,
      { ...third, target_id: null },
    ]);
  });
});

describe('a SQLite connection for bulk writes', () => {
  it('keeps the statement journal in memory, checkpoints the WAL every 10,000 pages, and has a 64 MiB cache during a bulk write only', async () => {
    const db = openDatabase(`sqlite:${join(mkdtempSync(join(tmpdir(), 'portal-bulk-')), 'bulk.sqlite')}`);
    try {
      const pragma = async (name: string) => Object.values((await sql.raw<Record<string, number>>(`pragma ${name}`).execute(db)).rows[0] ?? {})[0];
      expect(await pragma('temp_store')).toBe(2);
      expect(await pragma('wal_autocheckpoint')).toBe(10_000);
      const before = await pragma('cache_size');
      expect(await withBulkWriteCache(db, () => pragma('cache_size'))).toBe(-65_536);
      expect(await pragma('cache_size')).toBe(before);
      // Set back when the write fails too.
      await expect(withBulkWriteCache(db, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
      expect(await pragma('cache_size')).toBe(before);
    } finally {
      await db.destroy();
    }
  });
});

describe.each(databaseKinds())('afterCommit, as the audit log tells its observers (%s)', (kind) => {
  const t = useTestApp(kind);

  it('tells of an entry written in inTransaction once committed, never when rolled back; at once outside one', async () => {
    const told: string[] = [];
    const stop = observeAudit((e) => told.push(e.action));
    try {
      const entry = (action: string) => audit(t.db, t.clock, { actor_type: 'system', action, outcome: 'success' });
      await inTransaction(t.db, async (trx) => {
        await audit(trx, t.clock, { actor_type: 'system', action: 'test.committed', outcome: 'success' });
        expect(told).toEqual([]); // not yet: the transaction may still roll back
      });
      expect(told).toEqual(['test.committed']);
      await expect(
        inTransaction(t.db, async (trx) => {
          await audit(trx, t.clock, { actor_type: 'system', action: 'test.rolled_back', outcome: 'success' });
          throw new Error('the booking failed');
        }),
      ).rejects.toThrow('the booking failed');
      await entry('test.outside');
      expect(told).toEqual(['test.committed', 'test.outside']);
      const written = await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'test.%').orderBy('at').execute();
      expect(written.map((r) => r.action).sort()).toEqual(['test.committed', 'test.outside']);
    } finally {
      stop();
    }
  });
});

describe('the one way to open a transaction', () => {
  it('is inTransaction: no other source file calls .transaction() but db/copy.ts (its isolation level)', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const callers = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
      .filter((f) => /\.transaction\(\)/.test(readFileSync(join(root, f), 'utf8')))
      .map((f) => f.split(sep).join('/'))
      .sort();
    expect(callers).toEqual(['db/copy.ts', 'db/database.ts']);
  });
});
