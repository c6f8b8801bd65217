import { type Config, testConfig } from '../../config.ts';
import { type Db, insertAll, inTransaction } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ContentStore } from '../../lib/content-store.ts';
import { lineAmounts } from '../../lib/money.ts';
import { generateTemporaryPassword, hashPassword } from '../../lib/passwords.ts';
import { plateKey, searchKeysOf } from '../customers/customers.rules.ts';
import { issueTemporaryPassword } from '../customers/customers.service.ts';
import { sealIban } from '../direct-debit/direct-debit.secrets.ts';
import {
  billEveryPeriod,
  grantCreditNotes,
  loginRows,
  mandateRows,
  numberDocuments,
  openCustomerLogins,
  recordExitStatements,
  settleInvoices,
  signMandates,
} from './demo.history.ts';
import { VAT_BP, at, totalsOf } from './demo.kit.ts';
import { demoStaffRows } from './demo.staff.ts';
import { demoApiRows } from './demo.api.ts';
import { contactRequestsOfTheDemo } from './demo.requests.ts';
import { type DemoSet, type DocDraft, type Row, newDemoSet, numberContracts } from './demo.plans.ts';
import {
  businessUnderMandate,
  carParksOfTheOperator,
  newSubscriberOfTheManual,
  ordinarySubscribers,
  petitRouleurPayingOnline,
} from './demo.scenarios.ts';
import { demoUserRows } from './demo.users.ts';

export { manualContractStart } from './demo.scenarios.ts';

/*
 * Demo data: the customer of the French manual (CLT013261, DURAND FRANCOIS, who has just
 * subscribed: invoice 15FV25832 of 212,80 € for his first, partial month, still due) and about
 * sixty fictional customers around him, each telling one story a customer-service agent would
 * recognise — how they pay (online while paperless, debited under a signed mandate, at the
 * counter, by transfer), what they owe, what they signed — with several years of invoices,
 * payments, credit notes and petit-rouleur exit statements that add up (`demo.seed.test.ts`
 * checks it across the whole set).
 *
 * Deterministic for a given clock: every choice comes from a seeded PRNG (ids included) and every
 * date is relative to "today". Only password hashes and sealed IBANs differ between runs (salts,
 * random IVs). Portable: Kysely inserts only, in batches, inside one transaction.
 *
 * The files: `demo.scenarios.ts` (who: one builder per story), `demo.history.ts` (what happened
 * to them: logins, mandates, invoices, credit notes, payments, statements), `demo.plans.ts` (the
 * plans and the shared builders of a customer and a contract), `demo.kit.ts` (PRNG, dates, IBANs),
 * `demo.reference.ts` (car parks, names, addresses, vehicles, banks).
 */

/** Temporary password of CLT013261 (not activated), as printed on his latest invoice. */
export const DEMO_TEMP_PASSWORD = 'Demo-7Q4K-9XWT';
/** Password of every active demo account (e.g. CLT013262, CLT013263). */
export const DEMO_ACTIVE_PASSWORD = 'tramway cerise violette';

export interface DemoOptions {
  tempPasswordDays: number;
  /** The key the mandates' IBANs are sealed with: the installation's (`config.mandateKey`); by default the development key every test app has. */
  mandateKey?: Config['mandateKey'];
  /** Where the contact requests' attachments are kept (`contentStore(config, 'attachments')`); without it, their rows only. */
  attachments?: ContentStore;
}

export async function seedDemo(db: Db, clock: Clock, opts: DemoOptions): Promise<{ customers: number; documents: number }> {
  // Hashing is the slow part: two argon2 hashes shared by every account, the manual's one and the staff's.
  const activeHash = await hashPassword(DEMO_ACTIVE_PASSWORD);
  const unknownTempHash = await hashPassword(generateTemporaryPassword());
  const sealing = { mandateKey: opts.mandateKey ?? testConfig().mandateKey };
  const staff = await demoStaffRows(clock, sealing);

  // The order of the steps is the order of the random draws: changing it changes the data.
  const set = newDemoSet(clock);
  // Who: the car parks, then the customers and their contracts, story by story.
  const carParks = carParksOfTheOperator(set);
  const manual = newSubscriberOfTheManual(set);
  petitRouleurPayingOnline(set);
  businessUnderMandate(set);
  ordinarySubscribers(set);
  numberContracts(set);
  // What happened to them since: logins and consents, mandates, invoices and credit notes, payments.
  openCustomerLogins(set);
  signMandates(set);
  billEveryPeriod(set);
  grantCreditNotes(set);
  const ordered = numberDocuments(set);
  const { payments, allocations } = settleInvoices(set, ordered);
  const { statements, exits } = recordExitStatements(set);
  // The rows.
  const { accounts, consents, verifications } = loginRows(set, { activeHash, unknownTempHash, tempPasswordDays: opts.tempPasswordDays });
  const { mandates, covered } = mandateRows(set, (iban) => sealIban(sealing, iban));
  const { contracts, vehicles } = contractRows(set);
  const { documents, lines } = documentRows(set, ordered);
  // Last: what customer service finds in its inbox.
  const requests = await contactRequestsOfTheDemo(set);
  // The attachments' bytes first, as the contact form stores them: a file without its row is harmless.
  if (opts.attachments) for (const bytes of requests.files) await opts.attachments.put(bytes);
  // The business account's accountant (issue 14), with the active accounts' password.
  const users = demoUserRows(set, clock, activeHash);

  await inTransaction(db, async (trx) => {
    const existing = await trx.selectFrom('customers').select('id').where('number', '=', 'CLT013261').executeTakeFirst();
    if (existing) throw new Error('The demo data is already in this database (customer CLT013261 exists).');
    await insertAll(trx, 'staff_members', staff);
    const api = demoApiRows(clock);
    await insertAll(trx, 'api_clients', [api.client]);
    await insertAll(trx, 'api_keys', [api.key]);
    await insertAll(trx, 'car_parks', carParks);
    await insertAll(trx, 'customers', set.customers.map((c) => c.row));
    await insertAll(trx, 'customer_search_keys', set.customers.flatMap((c) => searchKeysOf(c.row).map((k) => ({ customer_id: c.row.id, ...k }))));
    await insertAll(trx, 'customer_logins', accounts);
    await insertAll(trx, 'customer_users', users);
    await insertAll(trx, 'paperless_consents', consents);
    await insertAll(trx, 'email_verifications', verifications);
    await insertAll(trx, 'contracts', contracts);
    await insertAll(trx, 'contract_vehicles', vehicles);
    await insertAll(trx, 'sepa_mandates', mandates);
    await insertAll(trx, 'sepa_mandate_contracts', covered);
    await insertAll(trx, 'financial_documents', documents);
    await insertAll(trx, 'document_lines', lines);
    await insertAll(trx, 'payments', payments);
    await insertAll(trx, 'allocations', allocations);
    await insertAll(trx, 'exit_statements', statements);
    await insertAll(trx, 'exits', exits);
    await insertAll(trx, 'contact_requests', requests.requests);
    await insertAll(trx, 'contact_messages', requests.messages);
    await insertAll(trx, 'contact_attachments', requests.attachments);
    await issueTemporaryPassword(trx, clock, manual.row.id, opts.tempPasswordDays, DEMO_TEMP_PASSWORD);
  });

  return { customers: set.customers.length, documents: documents.length };
}

/** Rows of the contracts (an active one renews on its start's next anniversary) and their vehicles. */
function contractRows(set: DemoSet): { contracts: Row<'contracts'>[]; vehicles: Row<'contract_vehicles'>[] } {
  const { today } = set;
  const contractRows: Row<'contracts'>[] = [];
  const vehicleRows: Row<'contract_vehicles'>[] = [];
  for (const c of set.contracts) {
    const renewal = c.status === 'active' ? renewalDate(c.start, today) : null;
    contractRows.push({
      id: c.id, number: c.number, customer_id: c.customer.row.id, car_park_id: set.parkIds.get(c.park.code) as string,
      product: c.product, status: c.status, start_date: c.start, end_date: c.end, renewal_date: renewal,
      billing_period: c.billing, price_ht_cents: c.unitHt * c.spaces, vat_rate_bp: VAT_BP, direct_debit: c.directDebit ? 1 : 0,
      badge_number: c.badge, space_label: c.spaceLabel, created_at: at(c.start < set.today ? c.start : set.today),
    });
    for (const v of c.vehicles) vehicleRows.push({ id: set.ids.uuid(), contract_id: c.id, plate: v.plate, plate_key: plateKey(v.plate), description: v.description });
  }
  return { contracts: contractRows, vehicles: vehicleRows };
}

/** An active contract renews on the next anniversary of its start, after today (a 29 February on the 28th). */
export function renewalDate(start: string, today: string): string {
  let renewal = `${today.slice(0, 4)}${start.slice(4)}`;
  if (renewal.endsWith('02-29')) renewal = renewal.replace(/02-29$/, '02-28');
  if (renewal <= today || renewal <= start) renewal = `${Number(renewal.slice(0, 4)) + 1}${renewal.slice(4)}`;
  return renewal;
}

/** Rows of the documents, published and notified on their issue date, and of their lines. */
function documentRows(set: DemoSet, ordered: DocDraft[]): { documents: Row<'financial_documents'>[]; lines: Row<'document_lines'>[] } {
  const documentRows: Row<'financial_documents'>[] = [];
  const lineRows: Row<'document_lines'>[] = [];
  // Invoices first: credit notes reference them.
  for (const d of [...ordered.filter((x) => x.kind === 'invoice'), ...ordered.filter((x) => x.kind === 'credit_note')]) {
    const totals = totalsOf(d.lines);
    documentRows.push({
      id: d.id, number: d.number, kind: d.kind, customer_id: d.customer.row.id, contract_id: d.contract?.id ?? null,
      corrects_document_id: d.correctsId, issue_date: d.issue, period_start: d.periodStart, period_end: d.periodEnd,
      due_date: d.due, total_ht_cents: totals.total_ht_cents, total_vat_cents: totals.total_vat_cents,
      total_ttc_cents: totals.total_ttc_cents, pdf_sha256: null, published_at: at(d.issue), notified_at: at(d.issue), created_at: at(d.issue),
    });
    d.lines.forEach((l, position) => {
      lineRows.push({
        id: set.ids.uuid(), document_id: d.id, position: position + 1, label: l.label, quantity_milli: l.quantity_milli,
        unit_price_ht_cents: l.unit_price_ht_cents, vat_rate_bp: VAT_BP,
        ...lineAmounts(l.unit_price_ht_cents, l.quantity_milli, VAT_BP),
      });
    });
  }
  return { documents: documentRows, lines: lineRows };
}

