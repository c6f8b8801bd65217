import type { Db } from '../../src/db/database.ts';
import type { DocumentKind, PaymentStatus } from '../../src/db/schema.ts';
import { newId } from '../../src/lib/clock.ts';
import { documentTotals, lineAmounts } from '../../src/lib/money.ts';
import { type TestApp, loggedInBrowser } from './app.ts';
import { activeSubscriber, createCarPark, createContract, emailColumns } from './factories.ts';

/** A line of `insertDocument`'s: VAT 20 % unless told. */
export interface DocumentLineDraft {
  label: string;
  quantity_milli: number;
  unit_price_ht_cents: number;
  vat_rate_bp?: number;
}

/**
 * Inserts an issued document, published on its issue date unless `published: false`. Its lines
 * are `lines`, or one line "Abonnement" at 20 % whose HT is `htCents`; the totals are the
 * document's (VAT per rate), returned with `byRate`.
 */
export async function insertDocument(
  db: Db,
  o: {
    customerId: string;
    contractId?: string | null;
    kind?: DocumentKind;
    number: string;
    issueDate: string;
    periodStart?: string | null;
    periodEnd?: string | null;
    dueDate?: string | null;
    corrects?: string | null;
    pdfSha256?: string | null;
    published?: boolean;
  } & ({ htCents: number; lines?: never } | { lines: DocumentLineDraft[]; htCents?: never }),
) {
  const id = newId();
  const drafts: DocumentLineDraft[] = o.lines ?? [{ label: 'Abonnement', quantity_milli: 1000, unit_price_ht_cents: o.htCents }];
  const lines = drafts.map((l) => ({ ...l, vat_rate_bp: l.vat_rate_bp ?? 2000, ...lineAmounts(l.unit_price_ht_cents, l.quantity_milli, l.vat_rate_bp ?? 2000) }));
  const totals = documentTotals(lines);
  await db
    .insertInto('financial_documents')
    .values({
      id,
      number: o.number,
      kind: o.kind ?? 'invoice',
      customer_id: o.customerId,
      contract_id: o.contractId ?? null,
      corrects_document_id: o.corrects ?? null,
      issue_date: o.issueDate,
      period_start: o.periodStart ?? null,
      period_end: o.periodEnd ?? null,
      due_date: o.dueDate ?? null,
      total_ht_cents: totals.total_ht_cents,
      total_vat_cents: totals.total_vat_cents,
      total_ttc_cents: totals.total_ttc_cents,
      pdf_sha256: o.pdfSha256 ?? null,
      published_at: o.published === false ? null : `${o.issueDate}T08:00:00.000Z`,
      created_at: `${o.issueDate}T08:00:00.000Z`,
    })
    .execute();
  await db
    .insertInto('document_lines')
    .values(lines.map((l, i) => ({ id: newId(), document_id: id, position: i + 1, ...l })))
    .execute();
  return { id, ...totals };
}

export async function insertPayment(db: Db, customerId: string, amount: number, allocations: [string, number][], status: PaymentStatus = 'succeeded') {
  const id = newId();
  await db
    .insertInto('payments')
    .values({ id, customer_id: customerId, method: 'card', provider: 'test', provider_reference: id, status, amount_cents: amount, received_at: null, created_at: '2026-01-01T00:00:00.000Z' })
    .execute();
  for (const [invoiceId, cents] of allocations) {
    await db
      .insertInto('allocations')
      .values({ id: newId(), invoice_id: invoiceId, payment_id: id, credit_note_id: null, amount_cents: cents, created_at: '2026-01-01T00:00:00.000Z' })
      .execute();
  }
  return id;
}

/**
 * A paperless customer with a verified `email`, a contract and two unpaid invoices
 * (`<number>-A` of 1 September 2026, `<number>-B` of 1 October), logged in from `ip`.
 */
export async function payerWithTwoInvoices(t: TestApp, ip: string, email: string, { paperless = true } = {}) {
  const park = await createCarPark(t.db, t.clock);
  const since = '2026-01-01T00:00:00.000Z';
  const { customer, password } = await activeSubscriber(t.db, t.clock, undefined, {
    paperless: paperless ? 1 : 0,
    paperless_changed_at: since,
    ...emailColumns(email, null, since),
  });
  const contract = await createContract(t.db, t.clock, customer.id, park.id);
  const n = customer.number;
  const older = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `${n}-A`, issueDate: '2026-09-01', htCents: 17733 });
  const newer = await insertDocument(t.db, { customerId: customer.id, contractId: contract.id, number: `${n}-B`, issueDate: '2026-10-01', htCents: 21667 });
  const b = await loggedInBrowser(t.app, ip, n, password);
  return { b, customer, email, older, newer, password };
}
