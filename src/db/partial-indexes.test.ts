import { CompiledQuery, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestApp } from '../../tests/support/app.ts';
import { awaitingPrint } from '../features/documents/documents.backoffice.queries.ts';
import { awaitingNotice } from '../features/documents/documents.notify.ts';
import { type Db, migrator } from './database.ts';

/*
 * Migration 024: the worker's and the print queue's indexes on documents hold only what they
 * look for (no drafts, nothing already notified or printed), and the queries that need them
 * still read through them on both databases.
 */

const PARTIAL = {
  financial_documents_to_notify: ['notified_at', 'published_at'],
  financial_documents_to_print: ['printed_at', 'published_at'],
  financial_documents_print_batch: ['print_batch_id'],
} as const;

/** An index's definition as the database keeps it. */
async function definition(db: Db, postgres: boolean, name: string): Promise<string> {
  const row = postgres
    ? (await sql<{ d: string }>`select indexdef as d from pg_indexes where indexname = ${name}`.execute(db)).rows[0]
    : (await sql<{ d: string }>`select sql as d from sqlite_master where type = 'index' and name = ${name}`.execute(db)).rows[0];
  if (!row) throw new Error(`no index ${name}`);
  return row.d.toLowerCase();
}

/** The plan of a query, as text; PostgreSQL told to avoid whole-table reads, as it would on a large table. */
async function planOf(db: Db, postgres: boolean, query: CompiledQuery): Promise<string> {
  if (!postgres) {
    const rows = (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]))).rows;
    return rows.map((r) => r.detail).join('\n');
  }
  return db.connection().execute(async (c) => {
    await sql`set enable_seqscan = off`.execute(c);
    try {
      const rows = (await c.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]))).rows;
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await sql`reset enable_seqscan`.execute(c);
    }
  });
}

describe.each(databaseKinds())('partial document indexes, migration 024 (%s)', (kind) => {
  const t = useTestApp(kind);
  const postgres = kind === 'postgres';

  it('keeps in each index only the rows its condition names', async () => {
    for (const [name, columns] of Object.entries(PARTIAL)) {
      const d = await definition(t.db, postgres, name);
      expect(d, name).toMatch(/ where /);
      for (const c of columns) expect(d.slice(d.indexOf(' where ')), name).toContain(c);
    }
  });

  it('reads the notices due, the documents to print and a print batch through them', async () => {
    const plans = {
      financial_documents_to_notify: await planOf(t.db, postgres, awaitingNotice(t.db, '2026-11-01T00:00:00.000Z').compile()),
      financial_documents_to_print: await planOf(t.db, postgres, awaitingPrint(t.db).select('d.id').compile()),
      financial_documents_print_batch: await planOf(t.db, postgres, t.db.selectFrom('financial_documents').select('id').where('print_batch_id', '=', 'batch').compile()),
    };
    for (const [index, plan] of Object.entries(plans)) expect(plan, index).toContain(index);
  });

  it('024 down gives back the whole indexes of 004 and 013; up again, the partial ones', async () => {
    try {
      expect((await migrator(t.db).migrateTo('023_account_versions')).error).toBeUndefined();
      for (const name of Object.keys(PARTIAL)) expect(await definition(t.db, postgres, name), name).not.toMatch(/ where /);
    } finally {
      expect((await migrator(t.db).migrateToLatest()).error).toBeUndefined();
    }
    for (const name of Object.keys(PARTIAL)) expect(await definition(t.db, postgres, name), name).toMatch(/ where /);
  });
});
