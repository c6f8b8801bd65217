import type { ContactCategory, ContactStatus, CustomerKind, Language, PaymentMethod, PaymentStatus, Product } from '../src/db/schema.ts';
import { plateKey, searchKeysOf } from '../src/features/customers/customers.rules.ts';
import { displayName } from '../src/features/customers/customers.service.ts';
import { type LineDraft, VAT_BP } from '../src/features/demo/demo.kit.ts';
import { renewalDate } from '../src/features/demo/demo.seed.ts';
import { type LineAmounts, lineAmounts } from '../src/lib/money.ts';
import type { FullRow, Sink } from './data.sink.ts';

/*
 * The dataset's rows (`bench/data.ts`): what is planned for a car park, a customer, a
 * contract, and one small function per table that writes its row from it — a column added
 * to a table is added here, once.
 */

/** Ids as the portal stores them (text UUIDs), in the order they are made: each table's primary key grows at its end. */
export class Ids {
  private n = 0;
  next(): string {
    return `0da7a5e7-0000-4000-8000-${(++this.n).toString(16).padStart(12, '0')}`;
  }
}

export interface ParkPlan {
  id: string;
  code: string;
  /** What its contracts' numbers carry. */
  prefix: string;
  name: string;
  addressLine: string;
  postalCode: string;
  city: string;
  phone: string;
  openingHours: string;
  services: string[];
  /** The 30 %-at-3-exits-or-fewer petit-rouleur variant. */
  variant30: boolean;
  /** Monthly prices HT, in cents. */
  priceHt: Record<Product, number>;
}

export interface MandatePlan {
  id: string;
  rum: string;
  iban: string;
  bic: string;
  signedAt: string;
  place: string;
  /** Recorded by customer service from the paper form, then validated. */
  recordedAt: string;
  /** The first due date it debits: a week after its signature. */
  firstDue: string;
}

export interface CustomerPlan {
  index: number;
  id: string;
  number: string;
  kind: CustomerKind;
  language: Language;
  civility: string;
  lastName: string;
  firstName: string;
  companyName: string | null;
  siren: string | null;
  addressLine1: string;
  addressLine2: string | null;
  postalCode: string;
  city: string;
  phone: string | null;
  mobilePhone: string | null;
  emailPrimary: string;
  emailSecondary: string | null;
  createdAt: string;
  /** When the login was activated (null: never, a temporary password waits). */
  activatedAt: string | null;
  lastLoginAt: string | null;
  /** When paperless consent was given (at the first login), or null. */
  paperlessFrom: string | null;
  mandate: MandatePlan | null;
  /** How the customer pays when no mandate and no online payment does. */
  offline: Extract<PaymentMethod, 'transfer' | 'cheque' | 'cash'>;
  /** Leaves the invoices of the last weeks unpaid. */
  late: boolean;
  contracts: ContractPlan[];
  /** What the history leaves to pay today, in cents: what `accountBalance` must find. */
  unpaid: number;
}

export interface ContractPlan {
  id: string;
  number: string;
  customer: CustomerPlan;
  park: ParkPlan;
  product: Product;
  start: string;
  /** Month indexes (year × 12 + month − 1) of the first and last months billed; null: still running. */
  startMi: number;
  endMi: number | null;
  end: string | null;
  priceHt: number;
  directDebit: boolean;
  badge: string;
  spaceLabel: string | null;
  vehicles: { plate: string; description: string }[];
  /** The subscription line's amounts and the totals of a month billed with nothing else (the same every month). */
  monthAmounts: LineAmounts;
  monthTotals: LineAmounts;
  /** `Abonnement résident CARDINET`. */
  label: string;
}

export function writeCarPark(sink: Sink, p: ParkPlan, createdAt: string) {
  sink.insert('car_parks', {
    id: p.id,
    code: p.code,
    name: p.name,
    address_line: p.addressLine,
    postal_code: p.postalCode,
    city: p.city,
    phone: p.phone,
    email: `${p.code.toLowerCase()}@parkings-demo.example`,
    opening_hours: p.openingHours,
    services: JSON.stringify(p.services),
    petit_rouleur_30: p.variant30 ? 1 : 0,
    created_at: createdAt,
  });
}

const customerRow = (c: CustomerPlan): FullRow<'customers'> => ({
  id: c.id,
  // Computed from the rows once all are in (resumeKeptAmounts).
  balance_cents: 0,
  // No page of it is kept yet: any version does.
  account_version: 0,
  number: c.number,
  kind: c.kind,
  civility: c.civility,
  last_name: c.lastName,
  first_name: c.firstName,
  company_name: c.companyName,
  siren: c.siren,
  address_line1: c.addressLine1,
  address_line2: c.addressLine2,
  postal_code: c.postalCode,
  city: c.city,
  country: 'France',
  phone: c.phone,
  mobile_phone: c.mobilePhone,
  email_primary: c.emailPrimary,
  // Addresses are verified at the first login.
  email_primary_verified_at: c.activatedAt,
  email_secondary: c.emailSecondary,
  email_secondary_verified_at: c.emailSecondary ? c.activatedAt : null,
  paperless: c.paperlessFrom ? 1 : 0,
  paperless_changed_at: c.paperlessFrom,
  language: c.language,
  created_at: c.createdAt,
  updated_at: c.paperlessFrom ?? c.activatedAt ?? c.createdAt,
  paper_required: 0,
  vat_number: null,
  billing_email: null,
});

/** The customer's row and what the back office finds them by (`searchKeysOf`, the portal's own). */
export function writeCustomer(sink: Sink, c: CustomerPlan) {
  const row = customerRow(c);
  sink.insert('customers', row);
  for (const k of searchKeysOf(row)) sink.insert('customer_search_keys', { customer_id: c.id, field: k.field, key: k.key });
}

export interface Hashes {
  /** The one hash of the known password every activated login shares. */
  active: string;
  /** The one hash of a temporary password nobody knows, for the logins never activated. */
  temporary: string;
  temporaryIssuedAt: string;
  temporaryExpiresAt: string;
}

export function writeLogin(sink: Sink, c: CustomerPlan, hashes: Hashes) {
  const active = c.activatedAt !== null;
  sink.insert('customer_logins', {
    customer_id: c.id,
    state: active ? 'active' : 'not_activated',
    temp_password_hash: active ? null : hashes.temporary,
    temp_password_issued_at: active ? null : hashes.temporaryIssuedAt,
    temp_password_expires_at: active ? null : hashes.temporaryExpiresAt,
    password_hash: active ? hashes.active : null,
    password_changed_at: c.activatedAt,
    activated_at: c.activatedAt,
    last_login_at: c.lastLoginAt,
    created_at: c.activatedAt ?? hashes.temporaryIssuedAt,
  });
}

export function writeConsent(sink: Sink, id: string, c: CustomerPlan, at: string) {
  sink.insert('paperless_consents', { id, customer_id: c.id, given: 1, at, source: 'first_login', ip: `192.0.2.${(c.index % 250) + 1}` });
}

export function writeContract(sink: Sink, k: ContractPlan, today: string) {
  sink.insert('contracts', {
    id: k.id,
    number: k.number,
    customer_id: k.customer.id,
    car_park_id: k.park.id,
    product: k.product,
    status: k.end ? 'ended' : 'active',
    start_date: k.start,
    end_date: k.end,
    renewal_date: k.end ? null : renewalDate(k.start, today),
    billing_period: 'monthly',
    price_ht_cents: k.priceHt,
    vat_rate_bp: VAT_BP,
    direct_debit: k.directDebit ? 1 : 0,
    badge_number: k.badge,
    space_label: k.spaceLabel,
    created_at: `${k.start}T09:00:00.000Z`,
    max_vehicles: 1,
    purchase_order_reference: null,
  });
}

export function writeVehicle(sink: Sink, id: string, k: ContractPlan, v: { plate: string; description: string }) {
  sink.insert('contract_vehicles', {
    id,
    contract_id: k.id,
    plate: v.plate,
    plate_key: plateKey(v.plate),
    description: v.description,
    valid_from: null,
    valid_to: null,
    country: 'FR',
  });
}

/** A paper mandate, recorded and validated by customer service, and the contracts it covers. */
export function writeMandate(sink: Sink, c: CustomerPlan, m: MandatePlan, sealedIban: string) {
  sink.insert('sepa_mandates', {
    id: m.id,
    customer_id: c.id,
    rum: m.rum,
    holder_name: displayName({ kind: c.kind, last_name: c.lastName, first_name: c.firstName, company_name: c.companyName }),
    holder_address: [c.addressLine1, `${c.postalCode} ${c.city}`, 'France'].join('\n'),
    iban_encrypted: sealedIban,
    iban_last4: m.iban.slice(-4),
    iban_country: 'FR',
    bic: m.bic,
    status: 'active',
    signed_at: m.signedAt,
    signature_place: m.place,
    signature_evidence: null,
    pdf_sha256: null,
    rejection_reason: null,
    revoked_at: null,
    source: 'paper',
    decided_by: null,
    decided_at: null,
    created_at: m.recordedAt,
    updated_at: m.recordedAt,
    replaces_mandate_id: null,
    end_reason: null,
    pre_notification_days: 14,
  });
  for (const k of c.contracts) if (k.directDebit) sink.insert('sepa_mandate_contracts', { mandate_id: m.id, contract_id: k.id });
}

export interface DocumentFacts {
  id: string;
  number: string;
  kind: 'invoice' | 'credit_note';
  contract: ContractPlan;
  correctsId: string | null;
  issue: string;
  periodStart: string;
  periodEnd: string;
  due: string | null;
  totals: LineAmounts;
  publishedAt: string;
  notifiedAt: string | null;
  printedAt: string | null;
}

export function writeDocument(sink: Sink, d: DocumentFacts) {
  sink.insert('financial_documents', {
    id: d.id,
    // Computed from the allocations once all are in (resumeKeptAmounts).
    settled_cents: 0,
    number: d.number,
    kind: d.kind,
    customer_id: d.contract.customer.id,
    contract_id: d.contract.id,
    corrects_document_id: d.correctsId,
    issue_date: d.issue,
    period_start: d.periodStart,
    period_end: d.periodEnd,
    due_date: d.due,
    total_ht_cents: d.totals.total_ht_cents,
    total_vat_cents: d.totals.total_vat_cents,
    total_ttc_cents: d.totals.total_ttc_cents,
    pdf_sha256: null,
    published_at: d.publishedAt,
    notified_at: d.notifiedAt,
    printed_at: d.printedAt,
    print_batch_id: null,
    created_at: d.publishedAt,
    // Set with its PDF, by publication (030).
    e_invoice: null,
  });
}

/** A line of a document; `amounts` when already known (the subscription's, the same every month). */
export function writeLine(sink: Sink, id: string, documentId: string, position: number, l: LineDraft, amounts?: LineAmounts) {
  const a = amounts ?? lineAmounts(l.unit_price_ht_cents, l.quantity_milli, VAT_BP);
  sink.insert('document_lines', {
    id,
    document_id: documentId,
    position,
    label: l.label,
    quantity_milli: l.quantity_milli,
    unit_price_ht_cents: l.unit_price_ht_cents,
    vat_rate_bp: VAT_BP,
    total_ht_cents: a.total_ht_cents,
    total_vat_cents: a.total_vat_cents,
    total_ttc_cents: a.total_ttc_cents,
  });
}

export function writePayment(sink: Sink, p: { id: string; customerId: string; method: PaymentMethod; status: PaymentStatus; amount: number; at: string }) {
  // Online payments went through the portal's provider (the sandbox, as in the demo).
  const online = p.method === 'card';
  sink.insert('payments', {
    id: p.id,
    customer_id: p.customerId,
    method: p.method,
    provider: online ? 'sandbox' : null,
    provider_reference: online ? `sbx_${p.id.replace(/-/g, '')}` : null,
    status: p.status,
    amount_cents: p.amount,
    received_at: p.status === 'succeeded' ? p.at : null,
    created_at: p.at,
  });
}

export function writeAllocation(sink: Sink, a: { id: string; invoiceId: string; paymentId: string | null; creditNoteId: string | null; amount: number; at: string }) {
  sink.insert('allocations', {
    id: a.id,
    invoice_id: a.invoiceId,
    payment_id: a.paymentId,
    credit_note_id: a.creditNoteId,
    amount_cents: a.amount,
    created_at: a.at,
  });
}

export function writeStatement(sink: Sink, s: { id: string; contractId: string; month: string; exits: number; documentId: string; discountHt: number; at: string }) {
  sink.insert('exit_statements', {
    id: s.id,
    contract_id: s.contractId,
    month: s.month,
    exit_count: s.exits,
    document_id: s.documentId,
    discount_ht_cents: s.discountHt,
    created_at: s.at,
  });
}

export function writeExit(sink: Sink, id: string, statementId: string, at: string) {
  sink.insert('exits', { id, statement_id: statementId, exited_at: at });
}

export function writeContactRequest(
  sink: Sink,
  r: { id: string; reference: string; customerId: string; contractId: string | null; category: ContactCategory; message: string; status: ContactStatus; assignedTo: string | null; createdAt: string; updatedAt: string },
) {
  sink.insert('contact_requests', {
    id: r.id,
    reference: r.reference,
    customer_id: r.customerId,
    contract_id: r.contractId,
    category: r.category,
    message: r.message,
    new_plate: null,
    effective_date: null,
    status: r.status,
    submission_id: null,
    assigned_staff_id: r.assignedTo,
    closed_at: r.status === 'closed' ? r.updatedAt : null,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  });
}

export function writeContactMessage(sink: Sink, m: { id: string; requestId: string; staffId: string; body: string; at: string }) {
  sink.insert('contact_messages', {
    id: m.id,
    request_id: m.requestId,
    author_type: 'staff',
    staff_id: m.staffId,
    body: m.body,
    internal: 0,
    submission_id: null,
    created_at: m.at,
  });
}
