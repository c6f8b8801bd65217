import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark, createContract, createCustomer } from '../../../tests/support/factories.ts';
import { testConfig } from '../../config.ts';
import type { IntegrationActor } from '../../lib/audit.ts';
import { localContentStore } from '../../lib/content-store.ts';
import { documentTotals, lineAmounts } from '../../lib/money.ts';
import { type DocumentDeps, type DocumentInput, putDocument } from './documents.integration.service.ts';

/*
 * The lock order of decision 014 on PostgreSQL: a payment's booking locks its customer, then
 * the invoices it settles; the ERP writing a document moves the customer's kept balance (a
 * trigger updates the customer's row), so it must lock the customer before the document too.
 * Here the booking's order is played by hand — the customer's row locked, then, once the ERP's
 * write waits, the document's — while the real `putDocument` changes that document. In the
 * other order the two would wait for each other and PostgreSQL would abort one ("deadlock
 * detected"); in this one the ERP's write waits for the booking, then goes through.
 */

const actor: IntegrationActor = { kind: 'cli', command: 'locking test' };

function invoice(customer: string, contract: string, priceCents: number, published: boolean): DocumentInput {
  const lines = [{ label: 'Abonnement', quantity_milli: 1000, unit_price_ht_cents: priceCents, vat_rate_bp: 2000, ...lineAmounts(priceCents, 1000, 2000) }];
  return { kind: 'invoice', customer, contract, corrects: null, issue_date: '2026-10-01', period_start: '2026-10-01', period_end: '2026-10-31', due_date: '2026-10-15', lines, ...documentTotals(lines), published };
}

describe.runIf(databaseKinds().includes('postgres'))('the ERP writing a document while a booking holds its customer (postgres)', () => {
  const t = useTestApp('postgres');

  it('waits for the booking instead of deadlocking with it', async () => {
    const deps: DocumentDeps = { db: t.db, clock: t.clock, config: testConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-data-')) }), storage: localContentStore(mkdtempSync(join(tmpdir(), 'portal-docs-'))) };
    const park = await createCarPark(t.db, t.clock, { code: 'LOCK' });
    const customer = await createCustomer(t.db, t.clock, { number: 'CLTLOCK' });
    await createContract(t.db, t.clock, customer.id, park.id, { number: 'CTR-LOCK' });
    await putDocument(deps, 'LOCK-1', invoice('CLTLOCK', 'CTR-LOCK', 9500, false), actor);
    const document = await t.db.selectFrom('financial_documents').select('id').where('number', '=', 'LOCK-1').executeTakeFirstOrThrow();

    let erp: Promise<unknown> | undefined;
    await t.db.transaction().execute(async (booking) => {
      await sql`select id from customers where id = ${customer.id} for update`.execute(booking);
      // The ERP publishes the draft with its final amount (the customer's balance moves): it
      // must now wait, holding nothing the booking needs.
      erp = putDocument(deps, 'LOCK-1', invoice('CLTLOCK', 'CTR-LOCK', 12000, true), actor);
      for (let i = 0; ; i++) {
        const waiting = await sql<{ n: number }>`select count(*) as n from pg_locks where not granted and pid in (select pid from pg_stat_activity where datname = current_database())`.execute(t.db);
        if (Number(waiting.rows[0]!.n) > 0) break;
        if (i > 200) throw new Error('the ERP write never waited for the booking');
        await new Promise((r) => setTimeout(r, 10));
      }
      // The booking goes on to the invoice it settles.
      await sql`update financial_documents set due_date = due_date where id = ${document.id}`.execute(booking);
    });
    await expect(erp).resolves.toMatchObject({ outcome: 'updated' });
    const after = await t.db.selectFrom('financial_documents').select(['total_ht_cents', 'published_at']).where('id', '=', document.id).executeTakeFirstOrThrow();
    expect(after.total_ht_cents).toBe(12000);
    expect(after.published_at).not.toBeNull();
    const { balance_cents } = await t.db.selectFrom('customers').select('balance_cents').where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(balance_cents).toBe(14400);
  });
});
