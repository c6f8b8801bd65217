import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_START, databaseKinds, freshDatabase } from '../../../tests/support/app.ts';
import { createCarPark, createContract, createCustomer } from '../../../tests/support/factories.ts';
import { testConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { PutOutcome } from '../../lib/api.ts';
import type { IntegrationActor } from '../../lib/audit.ts';
import { manualClock } from '../../lib/clock.ts';
import { localContentStore } from '../../lib/content-store.ts';
import { AppError } from '../../lib/errors.ts';
import { documentTotals, lineAmounts } from '../../lib/money.ts';
import { type DocumentBatchItem, type DocumentDeps, type DocumentInput, putDocument, putDocuments } from './documents.integration.service.ts';

/*
 * The bulk import writes its documents together (`putDocuments`: the database read once for a
 * thousand, their rows inserted hundreds at a time): what it writes must be what writing each
 * alone (`putDocument`) writes — the same outcomes and refusals, rows, lines and audit trail —,
 * credit notes finding the invoices written before them in the list included.
 */

const actor: IntegrationActor = { kind: 'cli', command: 'import documents test.csv' };

/** A document of these lines (unit prices HT at 20 %), its totals the portal's. */
function doc(customer: string, contract: string | null, over: Partial<DocumentInput> = {}, prices: number[] = [9500]): DocumentInput {
  const lines = prices.map((p, i) => ({ label: `Ligne ${i + 1}`, quantity_milli: 1000, unit_price_ht_cents: p, vat_rate_bp: 2000, ...lineAmounts(p, 1000, 2000) }));
  const t = documentTotals(lines);
  return {
    kind: 'invoice',
    customer,
    contract,
    corrects: null,
    issue_date: '2026-10-01',
    period_start: '2026-10-01',
    period_end: '2026-10-31',
    due_date: '2026-10-15',
    lines,
    total_ht_cents: t.total_ht_cents,
    total_vat_cents: t.total_vat_cents,
    total_ttc_cents: t.total_ttc_cents,
    published: false,
    ...over,
  };
}
const credit = (customer: string, corrects: string, published: boolean): Partial<DocumentInput> => ({ kind: 'credit_note', corrects, published, period_start: null, period_end: null, due_date: null });
const erpPdf = Buffer.from('%PDF-1.4\n% facture ERP\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

/** The same customers, contracts and documents already held, in a database of its own. */
async function operator(db: Db, clock: ReturnType<typeof manualClock>): Promise<DocumentDeps> {
  const deps: DocumentDeps = { db, clock, config: testConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-data-')) }), storage: localContentStore(mkdtempSync(join(tmpdir(), 'portal-docs-'))) };
  const park = await createCarPark(db, clock, { code: 'BATCH' });
  for (const n of ['CLTB1', 'CLTB2']) {
    const c = await createCustomer(db, clock, { number: n });
    await createContract(db, clock, c.id, park.id, { number: `CTR-${n}` });
  }
  // Held before the list: a draft, a published invoice, a draft that will correct an invoice of the list.
  for (const [number, input] of [
    ['OLD-DRAFT', doc('CLTB1', 'CTR-CLTB1')],
    ['OLD-PUBLISHED', doc('CLTB2', 'CTR-CLTB2', { published: true, pdf: erpPdf })],
    ['OLD-CREDIT', doc('CLTB1', null, { ...credit('CLTB1', 'OLD-DRAFT', false) })],
  ] as const) {
    await putDocument(deps, number, input, actor);
  }
  return deps;
}

/** Every kind of write and refusal, some depending on others before them in the list. */
const list: DocumentBatchItem[] = [
  { number: 'N-1', input: doc('CLTB1', 'CTR-CLTB1', {}, [9500, 833]) },
  { number: 'N-2', input: doc('CLTB1', 'CTR-CLTB1', { published: true }) },
  { number: 'N-3', input: doc('CLTB2', null, { published: true, pdf: erpPdf }) },
  { number: 'C-1', input: doc('CLTB1', 'CTR-CLTB1', credit('CLTB1', 'N-2', true), [2000]) }, // an invoice published just before
  { number: 'C-2', input: doc('CLTB1', null, credit('CLTB1', 'N-1', true), [2000]) }, // refused: N-1 is a draft
  { number: 'C-3', input: doc('CLTB1', null, credit('CLTB1', 'N-LATER', false), [2000]) }, // refused: not yet written
  { number: 'N-LATER', input: doc('CLTB1', null) },
  { number: 'OLD-CREDIT', input: doc('CLTB1', null, credit('CLTB1', 'N-LATER', false)) }, // updated: now corrects the invoice just written
  { number: 'C-4', input: doc('CLTB2', null, credit('CLTB2', 'N-1', false), [2000]) }, // refused: another customer's
  { number: 'N-4', input: doc('CLTX', null) }, // refused: unknown customer
  { number: 'N-5', input: doc('CLTB1', 'CTR-CLTB2') }, // refused: another customer's contract
  { number: 'OLD-DRAFT', input: doc('CLTB1', 'CTR-CLTB1', { published: true }, [9500, 500]) }, // updated and published
  { number: 'OLD-PUBLISHED', input: doc('CLTB2', 'CTR-CLTB2', { published: true }) }, // unchanged (its PDF kept)
  { number: 'N-6', input: doc('CLTB2', 'CTR-CLTB2', { published: true }, [4500, 833, 100]) },
];

type Said = PutOutcome | { refused: string; fields: string[] };
const said = (o: PutOutcome | AppError): Said => (o instanceof AppError ? { refused: o.code, fields: o.fields.map((f) => `${f.field}:${f.code}`) } : o);

/** What the database holds of the documents, ids replaced by numbers; a rendered PDF (it prints a new password) as `rendered`. */
async function written(db: Db) {
  const docs = await db
    .selectFrom('financial_documents as d')
    .innerJoin('customers as c', 'c.id', 'd.customer_id')
    .leftJoin('contracts as k', 'k.id', 'd.contract_id')
    .leftJoin('financial_documents as i', 'i.id', 'd.corrects_document_id')
    .select(['d.number', 'd.kind', 'c.number as customer', 'k.number as contract', 'i.number as corrects', 'd.issue_date', 'd.period_start', 'd.period_end', 'd.due_date', 'd.total_ht_cents', 'd.total_vat_cents', 'd.total_ttc_cents', 'd.pdf_sha256', 'd.published_at', 'd.created_at'])
    .orderBy('d.number')
    .execute();
  const lines = await db
    .selectFrom('document_lines as l')
    .innerJoin('financial_documents as d', 'd.id', 'l.document_id')
    .select(['d.number', 'l.position', 'l.label', 'l.quantity_milli', 'l.unit_price_ht_cents', 'l.vat_rate_bp', 'l.total_ht_cents', 'l.total_vat_cents', 'l.total_ttc_cents'])
    .orderBy('d.number')
    .orderBy('l.position')
    .execute();
  const ids = new Map((await db.selectFrom('financial_documents').select(['id', 'number']).execute()).map((d) => [d.id, d.number]));
  const customers = new Map((await db.selectFrom('customers').select(['id', 'number']).execute()).map((c) => [c.id, c.number]));
  const trail = (await db.selectFrom('audit_log').select(['at', 'actor_type', 'actor_id', 'action', 'outcome', 'target_type', 'target_id', 'details']).where('action', 'like', 'document.%').execute()).map((a) => {
    const details = JSON.parse(a.details ?? '{}') as { document_id?: string };
    return { ...a, target_id: customers.get(a.target_id ?? ''), details: { ...details, document_id: ids.get(details.document_id ?? '') } };
  });
  // In the order written: the audit entries' own order within one instant is not kept by either database, so compare them sorted.
  trail.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const erpSha = docs.find((d) => d.number === 'N-3')?.pdf_sha256;
  return { docs: docs.map((d) => ({ ...d, pdf_sha256: d.pdf_sha256 === null ? null : d.pdf_sha256 === erpSha ? 'erp' : 'rendered' })), lines, trail };
}

describe.each(databaseKinds())('documents written together (%s)', (kind) => {
  it('are written as each alone would be: the same outcomes and refusals, rows, lines and audit trail', async () => {
    const alone = await freshDatabase(kind);
    const together = await freshDatabase(kind);
    try {
      const clock = manualClock(TEST_START);
      const one = await operator(alone.db, clock);
      const many = await operator(together.db, clock);

      const outcomes: Said[] = [];
      for (const { number, input } of list) {
        outcomes.push(await putDocument(one, number, input, actor).then((r) => said(r.outcome), (e: AppError) => said(e)));
      }
      expect(outcomes).toEqual([
        'created',
        'created',
        'created',
        'created',
        { refused: 'validation_failed', fields: ['corrects:not_published'] },
        { refused: 'validation_failed', fields: ['corrects:unknown'] },
        'created',
        'updated',
        { refused: 'validation_failed', fields: ['corrects:unknown'] },
        { refused: 'validation_failed', fields: ['customer:unknown'] },
        { refused: 'validation_failed', fields: ['contract:unknown'] },
        'updated',
        'unchanged',
        'created',
      ]);
      expect((await putDocuments(many, list, actor)).map(said)).toEqual(outcomes);

      const [a, b] = [await written(alone.db), await written(together.db)];
      expect(b.docs).toEqual(a.docs);
      expect(b.lines).toEqual(a.lines);
      expect(b.trail).toEqual(a.trail);
      expect(a.docs.find((d) => d.number === 'OLD-CREDIT')?.corrects).toBe('N-LATER');
      expect(a.docs.filter((d) => d.pdf_sha256 === 'rendered').map((d) => d.number)).toEqual(['C-1', 'N-2', 'N-6', 'OLD-DRAFT']);
      expect(a.trail.length).toBeGreaterThan(12);
    } finally {
      await alone.db.destroy();
      await together.db.destroy();
    }
  });

  it('take a thousand at once, a credit note finding its invoice a few hundred lines before', async () => {
    const { db } = await freshDatabase(kind);
    try {
      const deps = await operator(db, manualClock(TEST_START));
      const items: DocumentBatchItem[] = Array.from({ length: 1000 }, (_, i) => ({
        number: `M-${i}`,
        input: i % 250 === 249 ? doc('CLTB1', null, credit('CLTB1', `M-${i - 200}`, false), [1000]) : doc(i % 2 ? 'CLTB1' : 'CLTB2', null, {}, [9500, i + 1]),
      }));
      const outcomes = await putDocuments(deps, items, actor);
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1000);
      const count = await db.selectFrom('document_lines as l').innerJoin('financial_documents as d', 'd.id', 'l.document_id').select((eb) => eb.fn.countAll<number>().as('n')).where('d.number', 'like', 'M-%').executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(2 * 1000 - 4); // two lines each, but one on each of the four credit notes
    } finally {
      await db.destroy();
    }
  });
});
