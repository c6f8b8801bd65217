import type { PaymentMethod } from '../../db/schema.ts';
import { DAY, HOUR, MINUTE } from '../../lib/clock.ts';
import { lineAmounts, roundCents } from '../../lib/money.ts';
import { discountRateBp } from '../statements/statements.rules.ts';
import {
  type LineDraft,
  STATEMENT_MONTHS,
  VAT_BP,
  addDays,
  addMs,
  at,
  dayMonthFr,
  daysBetween,
  formatRateFr,
  monthEnd,
  monthIndexOf,
  monthNameFr,
  monthStart,
  pad,
  totalsOf,
  yearMonth,
} from './demo.kit.ts';
import { type ContractPlan, type CustomerPlan, type DemoSet, type DocDraft, type Row, clampTs } from './demo.plans.ts';
import { CREDIT_REASONS, PRODUCT_LABELS } from './demo.reference.ts';

/*
 * What happened to the demo's customers over the years, once they and their contracts are
 * planned: every period billed, a few credit notes, document numbers, payments (on time, late,
 * in part, or not yet), petit-rouleur statements and exits, and the portal accounts. The steps
 * run in the order `seedDemo` lists them; each draws its random choices after the previous one.
 */

type InvoiceDraft = Omit<DocDraft, 'id' | 'number' | 'kind' | 'customer' | 'contract' | 'correctsId' | 'ttc' | 'credited'>;

function addInvoice(set: DemoSet, c: ContractPlan, d: InvoiceDraft): DocDraft {
  const doc: DocDraft = {
    ...d,
    id: set.ids.uuid(),
    number: '',
    kind: 'invoice',
    customer: c.customer,
    contract: c,
    correctsId: null,
    ttc: 0,
    credited: 0,
  };
  doc.ttc = totalsOf(doc.lines).total_ttc_cents;
  set.docs.push(doc);
  set.invoiceByContractMonth.set(`${c.id}|${d.periodMonth}`, doc);
  return doc;
}

/** Invoices of every contract, one per billing period inside the history window, up to today. */
export function billEveryPeriod(set: DemoSet): void {
  for (const c of set.contracts) billContract(set, c);
}

/**
 * A contract's invoices: the first one prorated from the start date with the badge fees, then
 * one per month or quarter, in advance — a petit rouleur's in arrears, with the month's discount.
 */
function billContract(set: DemoSet, c: ContractPlan): void {
  const { rng, curMi, today } = set;
  const startMi = monthIndexOf(c.start);
  const lastMi = c.end ? monthIndexOf(c.end) : curMi;
  const label = `${PRODUCT_LABELS[c.product]} ${c.park.name}`;
  const spacesNote = c.spaces > 1 ? ` (${c.spaces} places)` : '';
  const inArrears = c.product === 'resident_petit_rouleur';
  const step = c.billing === 'quarterly' ? 3 : 1;
  const firstPeriodMi = Math.floor(startMi / step) * step;

  for (let pmi = firstPeriodMi; pmi <= lastMi; pmi += step) {
    if (pmi < set.windowMi) continue;
    const isFirst = pmi === firstPeriodMi;
    const fullStart = monthStart(pmi);
    const pStart = isFirst ? c.start : fullStart;
    const pEnd = monthEnd(pmi + step - 1);
    const issue = inArrears ? monthStart(pmi + step) : isFirst ? c.start : fullStart;
    if (issue > today) continue;
    const due = isFirst && !inArrears ? addDays(issue, 30) : addDays(issue, 9);
    const periodDays = daysBetween(fullStart, pEnd) + 1;
    const days = daysBetween(pStart, pEnd) + 1;
    const lines: LineDraft[] = [];

    if (c.customer.isManual && isFirst) {
      lines.push(...manualFirstInvoiceLines(c, pStart, pEnd, days, periodDays));
    } else {
      const periodName =
        step === 3 ? `${pmi % 12 === 0 ? '1er' : `${(pmi % 12) / 3 + 1}e`} trimestre ${Math.floor(pmi / 12)}` : monthNameFr(pmi);
      if (days < periodDays) {
        lines.push({
          label: `${label} du ${dayMonthFr(pStart)} au ${dayMonthFr(pEnd)} (prorata ${days}/${periodDays})${spacesNote}`,
          quantity_milli: Math.round((1000 * c.spaces * days) / periodDays),
          unit_price_ht_cents: c.unitHt,
        });
      } else {
        lines.push({ label: `${label} — ${periodName}${spacesNote}`, quantity_milli: 1000 * c.spaces, unit_price_ht_cents: c.unitHt });
      }
      if (isFirst && pStart === c.start) {
        lines.push({ label: 'Frais de badge', quantity_milli: 1000 * c.spaces, unit_price_ht_cents: 1667 });
      } else if (rng.chance(0.01)) {
        lines.push({ label: 'Badge de remplacement', quantity_milli: 1000, unit_price_ht_cents: 1667 });
      }
      const k = pmi - (curMi - STATEMENT_MONTHS);
      if (c.exitCounts && k >= 0 && k < STATEMENT_MONTHS) {
        const discount = petitRouleurDiscountLine(set, c, pmi, c.exitCounts[k] as number, lines[0] as LineDraft);
        if (discount) lines.push(discount);
      }
    }
    addInvoice(set, c, { issue, periodStart: pStart, periodEnd: pEnd, due, periodMonth: pmi, lines });
  }
}

/** The manual's first invoice: 23/31 of 216,67 € HT plus the badge, 212,80 € TTC in all. */
function manualFirstInvoiceLines(c: ContractPlan, pStart: string, pEnd: string, days: number, periodDays: number): LineDraft[] {
  return [
    {
      label: `${PRODUCT_LABELS[c.product]} du ${dayMonthFr(pStart)} au ${dayMonthFr(pEnd)} (prorata ${days}/${periodDays})`,
      quantity_milli: Math.round((1000 * days) / periodDays),
      unit_price_ht_cents: c.unitHt,
    },
    { label: 'Frais de badge', quantity_milli: 1000, unit_price_ht_cents: 1656 },
  ];
}

/**
 * A petit rouleur's discount for the month billed, as the statements page's rule gives it,
 * on the subscription line; kept for the month's statement even when it is nil (no line then).
 */
function petitRouleurDiscountLine(set: DemoSet, c: ContractPlan, pmi: number, exits: number, subscription: LineDraft): LineDraft | null {
  const bp = discountRateBp(exits, c.park.petit_rouleur_30 === 1);
  const subscriptionHt = lineAmounts(c.unitHt, subscription.quantity_milli, VAT_BP).total_ht_cents;
  const discount = roundCents((subscriptionHt * bp) / 10_000);
  set.discountByContractMonth.set(`${c.id}|${pmi}`, discount);
  if (discount <= 0) return null;
  return {
    label: `Remise petit rouleur ${monthNameFr(pmi)} : ${exits} sortie${exits > 1 ? 's' : ''}, ${formatRateFr(bp)}`,
    quantity_milli: 1000,
    unit_price_ht_cents: -discount,
  };
}

/** A few credit notes (commercial gestures), each settling part of one invoice. */
export function grantCreditNotes(set: DemoSet): void {
  const { rng, docs } = set;
  for (const customer of set.customers) {
    if (!customer.wantsCreditNote) continue;
    const candidates = docs.filter((d) => d.customer === customer && d.kind === 'invoice' && d.issue <= addDays(set.today, -40));
    if (candidates.length === 0) continue;
    const inv = rng.pick(candidates);
    const c = inv.contract as ContractPlan;
    const days = rng.int(3, 8);
    const amount = roundCents((c.unitHt * c.spaces * days) / (c.billing === 'quarterly' ? 90 : 30));
    const issue = addDays(inv.issue, rng.int(5, 20));
    const credit: DocDraft = {
      id: set.ids.uuid(),
      number: '',
      kind: 'credit_note',
      customer,
      contract: c,
      correctsId: inv.id,
      issue,
      periodStart: inv.periodStart,
      periodEnd: inv.periodEnd,
      due: null,
      periodMonth: inv.periodMonth,
      lines: [{ label: `${rng.pick(CREDIT_REASONS)} (${days} jours)`, quantity_milli: 1000, unit_price_ht_cents: amount }],
      ttc: 0,
      credited: 0,
    };
    credit.ttc = totalsOf(credit.lines).total_ttc_cents;
    if (credit.ttc >= inv.ttc) continue;
    inv.credited = credit.ttc;
    docs.push(credit);
  }
}

/**
 * Document numbers: one series per year and kind, chronological, no gaps; the manual's first
 * invoice is 15FV25832, which no other document takes. Returns the documents in that order.
 */
export function numberDocuments(set: DemoSet): DocDraft[] {
  const orderKey = (d: DocDraft) => `${d.issue}|${d.kind}|${d.customer.row.number}|${d.contract?.number ?? ''}`;
  const ordered = [...set.docs].sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : orderKey(a) > orderKey(b) ? 1 : 0));
  const seq = new Map<string, number>();
  for (const d of ordered) {
    if (d.customer.isManual && d.contract?.start === d.issue && d.kind === 'invoice') {
      d.number = '15FV25832';
      continue;
    }
    const series = `${d.issue.slice(2, 4)}${d.kind === 'invoice' ? 'FV' : 'AV'}`;
    let n = (seq.get(series) ?? 0) + 1;
    if (`${series}${pad(n, 5)}` === '15FV25832') n++;
    seq.set(series, n);
    d.number = `${series}${pad(n, 5)}`;
  }
  return ordered;
}

/** Payments and allocations as they are written, with what grouping a company's payments needs. */
interface Ledger {
  set: DemoSet;
  payments: Row<'payments'>[];
  allocations: Row<'allocations'>[];
  /** A company's payment by method and time, which its other invoices of the day join. */
  businessPayments: Map<string, Row<'payments'>>;
  /** Days from issue to payment, by customer and issue date. */
  payDelay: Map<string, number>;
}

/**
 * Payments and allocations, document by document in number order. Credit notes settle their
 * invoice. The manual's customer pays by card three days after each invoice but the first.
 * Others pay by direct debit on the due date, or by transfer, cheque or card some days after
 * the issue (a company pays the invoices of a day together); late payers leave their recent
 * invoices due (a rejected direct debit explains some), partial payers pay part of their
 * latest, and nothing is paid after now.
 */
export function settleInvoices(set: DemoSet, ordered: DocDraft[]): { payments: Row<'payments'>[]; allocations: Row<'allocations'>[] } {
  const ledger: Ledger = { set, payments: [], allocations: [], businessPayments: new Map(), payDelay: new Map() };

  const lastIssueOf = new Map<CustomerPlan, string>();
  for (const d of set.docs) {
    if (d.kind !== 'invoice') continue;
    const prev = lastIssueOf.get(d.customer);
    if (!prev || d.issue > prev) lastIssueOf.set(d.customer, d.issue);
  }
  const partialDone = new Set<CustomerPlan>();
  const creditFor = new Map<string, DocDraft>();
  for (const d of set.docs) if (d.correctsId) creditFor.set(d.correctsId, d);

  for (const d of ordered) {
    if (d.kind === 'credit_note') {
      settleWithCreditNote(ledger, d);
      continue;
    }
    const customer = d.customer;
    const toPay = d.ttc - d.credited;
    if (toPay <= 0) continue;

    if (customer.isManual) {
      if (d.number === '15FV25832') continue; // the manual's invoice stays fully due
      paySucceeded(ledger, d, 'card', toPay, clampTs(set, at(addDays(d.issue, 3), 11, 20)));
      continue;
    }

    const method = paymentMethodOf(set, d);
    const ageDays = daysBetween(d.issue, set.today);
    const unpaidWindow = customer.profile === 'late' ? 45 : customer.profile === 'very_late' ? 75 : -1;
    if (ageDays <= unpaidWindow) {
      // A rejected direct debit explains some of the unpaid invoices.
      if (method === 'direct_debit' && d.due && d.due <= set.today) {
        ledger.payments.push({
          id: set.ids.uuid(), customer_id: customer.row.id, method, provider: null, provider_reference: null,
          status: 'failed', amount_cents: toPay, received_at: null, created_at: at(d.due, 6),
        });
      }
      continue;
    }

    if (customer.profile === 'partial' && !partialDone.has(customer) && d.issue === lastIssueOf.get(customer)) {
      partialDone.add(customer);
      const amount = Math.max(1, Math.min(toPay - 1, roundCents(toPay * (0.3 + 0.4 * set.rng.float()))));
      paySucceeded(ledger, d, method === 'direct_debit' ? 'card' : method, amount, clampTs(set, at(addDays(d.issue, 1), 15, 5)));
      continue;
    }

    payInFull(ledger, d, method, toPay, creditFor.get(d.id));
  }
  return { payments: ledger.payments, allocations: ledger.allocations };
}

function settleWithCreditNote(ledger: Ledger, d: DocDraft): void {
  ledger.allocations.push({
    id: ledger.set.ids.uuid(),
    invoice_id: d.correctsId as string,
    payment_id: null,
    credit_note_id: d.id,
    amount_cents: d.ttc,
    created_at: at(d.issue, 9),
  });
}

/** How a customer pays an invoice: direct debit if the contract says so, a company by transfer. */
function paymentMethodOf(set: DemoSet, d: DocDraft): PaymentMethod {
  const customer = d.customer;
  return (d.contract as ContractPlan).directDebit
    ? 'direct_debit'
    : customer.row.kind === 'business'
      ? 'transfer'
      : customer.state === 'active' && customer.row.paperless
        ? 'card'
        : set.rng.pick(['cheque', 'transfer', 'card'] as const);
}

/** A payment received, allocated to one invoice. */
function paySucceeded(ledger: Ledger, d: DocDraft, method: PaymentMethod, amount: number, receivedAt: string): void {
  const { ids } = ledger.set;
  const paymentId = ids.uuid();
  ledger.payments.push({
    id: paymentId, customer_id: d.customer.row.id, method, provider: null, provider_reference: null,
    status: 'succeeded', amount_cents: amount, received_at: receivedAt, created_at: receivedAt,
  });
  ledger.allocations.push({ id: ids.uuid(), invoice_id: d.id, payment_id: paymentId, credit_note_id: null, amount_cents: amount, created_at: receivedAt });
}

/**
 * The whole invoice paid: by direct debit on the due date, otherwise some days after the issue
 * (never before its credit note), unless that is still to come.
 */
function payInFull(ledger: Ledger, d: DocDraft, method: PaymentMethod, toPay: number, credit: DocDraft | undefined): void {
  const { set } = ledger;
  const { rng, ids } = set;
  const customer = d.customer;
  // Business customers settle a month's invoices in one payment per method.
  const delayKey = `${customer.row.id}|${d.issue}`;
  let delay = ledger.payDelay.get(delayKey);
  if (delay === undefined) {
    delay = method === 'cheque' ? rng.int(4, 20) : method === 'transfer' ? rng.int(2, 12) : rng.int(0, 6);
    ledger.payDelay.set(delayKey, delay);
  }
  let payDate = method === 'direct_debit' ? (d.due as string) : addDays(d.issue, delay);
  if (credit && payDate < addDays(credit.issue, 2)) payDate = addDays(credit.issue, 2);
  const receivedAt = method === 'direct_debit' ? at(payDate, 6) : at(payDate, 8 + (delay % 10), (delay * 7) % 60);
  if (receivedAt > set.nowTs) return; // not paid yet: still due

  let paymentId: string;
  const groupKey = `${customer.row.id}|${method}|${receivedAt}`;
  const grouped = customer.row.kind === 'business' ? ledger.businessPayments.get(groupKey) : undefined;
  if (grouped) {
    grouped.amount_cents = (grouped.amount_cents as number) + toPay;
    paymentId = grouped.id;
  } else {
    paymentId = ids.uuid();
    const row: Row<'payments'> = {
      id: paymentId, customer_id: customer.row.id, method, provider: null, provider_reference: null,
      status: 'succeeded', amount_cents: toPay, received_at: receivedAt, created_at: receivedAt,
    };
    ledger.payments.push(row);
    if (customer.row.kind === 'business') ledger.businessPayments.set(groupKey, row);
  }
  ledger.allocations.push({ id: ids.uuid(), invoice_id: d.id, payment_id: paymentId, credit_note_id: null, amount_cents: toPay, created_at: receivedAt });
}

/**
 * Petit-rouleur statements of the STATEMENT_MONTHS months before this one, each pointing at the
 * invoice that carries its discount, most with the time of every exit.
 */
export function recordExitStatements(set: DemoSet): { statements: Row<'exit_statements'>[]; exits: Row<'exits'>[] } {
  const { rng, ids, curMi } = set;
  const statementRows: Row<'exit_statements'>[] = [];
  const exitRows: Row<'exits'>[] = [];
  for (const c of set.contracts) {
    if (!c.exitCounts) continue;
    for (let k = 0; k < STATEMENT_MONTHS; k++) {
      const mi = curMi - STATEMENT_MONTHS + k;
      const count = c.exitCounts[k] as number;
      const statementId = ids.uuid();
      statementRows.push({
        id: statementId,
        contract_id: c.id,
        month: yearMonth(mi),
        exit_count: count,
        document_id: set.invoiceByContractMonth.get(`${c.id}|${mi}`)?.id ?? null,
        discount_ht_cents: set.discountByContractMonth.get(`${c.id}|${mi}`) ?? null,
        created_at: clampTs(set, at(monthStart(mi + 1), 2)),
      });
      // Most months come with the detail of each exit; a few only with the count.
      if (count === 0 || rng.chance(0.15)) continue;
      const firstDay = mi === monthIndexOf(c.start) ? Number(c.start.slice(8, 10)) : 1;
      const lastDay = Number(monthEnd(mi).slice(8, 10));
      const times: string[] = [];
      for (let e = 0; e < count; e++) {
        const day = monthStart(mi).slice(0, 8) + pad(rng.int(firstDay, lastDay));
        times.push(at(day, rng.int(6, 22), rng.int(0, 59)));
      }
      times.sort();
      for (const t of times) exitRows.push({ id: ids.uuid(), statement_id: statementId, exited_at: t });
    }
  }
  return { statements: statementRows, exits: exitRows };
}

export interface DemoPasswords {
  /** Hash of the password every active account shares. */
  activeHash: string;
  /** Hash of a temporary password nobody knows, shared by the other accounts not activated. */
  unknownTempHash: string;
  tempPasswordDays: number;
}

/**
 * Portal accounts of everyone but the manual's customer (his comes from
 * `issueTemporaryPassword` when the data is written): a temporary password issued lately for
 * those not activated; for the others an activation with a verified e-mail address, a last
 * login, and for most the paperless consent, a couple of them withdrawn later. Also dates
 * every customer row from its first contract.
 */
export function openCustomerLogins(
  set: DemoSet,
  passwords: DemoPasswords,
): { accounts: Row<'customer_logins'>[]; consents: Row<'paperless_consents'>[] } {
  const loginRows: Row<'customer_logins'>[] = [];
  const consentRows: Row<'paperless_consents'>[] = [];
  set.customers.forEach((customer, i) => {
    const firstStart = customer.contracts.map((c) => c.start).sort()[0] as string;
    const createdAt = at(firstStart);
    customer.row.created_at = createdAt;
    customer.row.updated_at = createdAt;
    if (customer.isManual) return;
    if (customer.state === 'not_activated') {
      loginRows.push(notActivatedLogin(set, customer, passwords));
      return;
    }
    const { account, consents } = activatedLogin(set, customer, i, createdAt, passwords.activeHash);
    loginRows.push(account);
    consentRows.push(...consents);
  });
  return { accounts: loginRows, consents: consentRows };
}

/** A temporary password issued up to 30 days ago (and still valid), which nobody knows. */
function notActivatedLogin(set: DemoSet, customer: CustomerPlan, passwords: DemoPasswords): Row<'customer_logins'> {
  const daysAgo = Math.min(set.rng.int(0, 30), Math.max(0, passwords.tempPasswordDays - 1));
  const issuedAt = clampTs(set, addMs(at(set.today, 5), -daysAgo * DAY));
  return {
    customer_id: customer.row.id, state: 'not_activated', temp_password_hash: passwords.unknownTempHash,
    temp_password_issued_at: issuedAt, temp_password_expires_at: addMs(issuedAt, passwords.tempPasswordDays * DAY),
    password_hash: null, password_changed_at: null, activated_at: null, last_login_at: null, created_at: issuedAt,
  };
}

/**
 * An account activated within the last three years, with the shared demo password, its e-mail
 * address verified; paperless consent for CLT013262 and most others. `i` is the customer's
 * position, the manual's included.
 */
function activatedLogin(
  set: DemoSet,
  customer: CustomerPlan,
  i: number,
  createdAt: string,
  activeHash: string,
): { account: Row<'customer_logins'>; consents: Row<'paperless_consents'>[] } {
  const { rng, ids, now } = set;
  const lo = Math.max(new Date(createdAt).getTime() + DAY, now.getTime() - 3 * 365 * DAY);
  const hi = now.getTime() - 2 * HOUR;
  const activated = new Date(lo < hi ? lo + Math.floor(rng.float() * (hi - lo)) : hi).toISOString();
  const lastLogin = new Date(Math.max(new Date(activated).getTime(), hi - Math.floor(rng.float() * 60 * DAY))).toISOString();
  const account: Row<'customer_logins'> = {
    customer_id: customer.row.id, state: 'active', temp_password_hash: null, temp_password_issued_at: null,
    temp_password_expires_at: null, password_hash: activeHash, password_changed_at: activated,
    activated_at: activated, last_login_at: lastLogin,
    created_at: new Date(Math.max(new Date(createdAt).getTime(), new Date(activated).getTime() - rng.int(2, 40) * DAY)).toISOString(),
  };
  customer.row.email_primary_verified_at = addMs(activated, 4 * MINUTE);
  customer.row.updated_at = activated;
  const consents: Row<'paperless_consents'>[] = [];
  const paperless = customer.row.number === 'CLT013262' || rng.chance(0.6);
  if (paperless) {
    const ip = `192.0.2.${(i % 250) + 1}`;
    consents.push({ id: ids.uuid(), customer_id: customer.row.id, given: 1, at: activated, source: 'first_login', ip });
    customer.row.paperless = 1;
    customer.row.paperless_changed_at = activated;
    // A couple of customers went back to paper later on.
    if (i % 13 === 7) {
      const from = new Date(activated).getTime();
      const withdrawn = new Date(from + Math.floor((0.3 + 0.6 * rng.float()) * (hi - from))).toISOString();
      consents.push({ id: ids.uuid(), customer_id: customer.row.id, given: 0, at: withdrawn, source: 'profile', ip });
      customer.row.paperless = 0;
      customer.row.paperless_changed_at = withdrawn;
      customer.row.updated_at = withdrawn;
    }
  }
  return { account, consents };
}
