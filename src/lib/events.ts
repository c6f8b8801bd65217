import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { serialiseSequenceWriters } from '../db/dialect.ts';
import type { EventFeed, EventOrigin } from '../db/schema.ts';
import { cents, isoDate, isoDateTime } from './api.ts';
import { type Clock, DAY, nowIso } from './clock.ts';

/*
 * What happened online, for the operator's billing system (ERP) to read back: the feeds of the
 * API (`GET /api/v1/feeds/<feed>?cursor=`, `features/feeds/`). The log is written by one
 * function, `recordEvent`, in the transaction of the change it tells about — as an e-mail is
 * queued (decision 009): an event exists if and only if its change commits. Its payload is
 * what the ERP needs to mirror the change, never a secret (no token, password, signing code,
 * session or full IBAN); it is checked against its schema here, and the feeds answer it with
 * the same schemas.
 *
 * Who records what:
 * - `payments`: `payment.received`, a card payment booked from the provider's webhook (or its
 *   reconciliation), with what it settled (`payments.service.ts`);
 * - `mandates`: `mandate.signed` (the customer, online), `mandate.validated` and
 *   `mandate.rejected` (customer service; a paper mandate recorded is `mandate.validated`
 *   with `source: 'paper'`), `mandate.revoked` (the customer; customer service validating its
 *   replacement, `end_reason: 'replaced'`; the lapse job, `'lapsed'`, origin `system`) —
 *   `direct-debit.service.ts`, `direct-debit.backoffice.ts`, `direct-debit.lapse.ts`;
 * - `contact_requests`: `contact_request.created`, `contact_request.answered` (the customer
 *   answers back) — `contact.service.ts`;
 * - `customer_changes`: `customer.emails_changed` (profile, activation, customer service's
 *   correction: `applyEmailChange`, `activation.service.ts`), `customer.contact_details_changed`
 *   (customer service's correction of the postal address and phones), `customer.paperless_changed`
 *   (profile, activation);
 * - `vehicle_changes`: `vehicle.plate_changed` (customer service, `customers.actions.service.ts`);
 *   `vehicle.change_requested` (the customer), `vehicle.change_approved`, `vehicle.change_refused`
 *   (customer service) — `features/vehicles/vehicles.service.ts`;
 * - `access` (what the barrier system lets in): `access.vehicle_allowed`, `access.vehicle_removed`
 *   (a vehicle change approved, `vehicles.service.ts`); `access.badge_blocked` (the customer
 *   reports a badge lost, stolen or broken), `access.badge_issued` (customer service hands over
 *   or posts its replacement) — `badges.service.ts`; in `payments`, `badge.replacement_paid`
 *   (the replacement paid online, booked from the provider's webhook as a card payment is).
 * - `terminations`: `contract.termination_requested` (the customer, logged in or through the public
 *   page), `contract.termination_withdrawn` (the customer), `contract.termination_processed`
 *   (customer service) — `terminations.service.ts`; `contract.renewal_notice_sent`, the loi Chatel notice the worker sent (or
 *   recorded as a letter to post) — `renewals.service.ts`; origin `system`: the worker's act, as a mandate's lapse.
 *
 * The ERP's own writes (its PUTs through the API, the file import) are not told back: the ERP
 * knows them already, and a feed that echoed them would make an ERP that mirrors the feed
 * write them again. A change whose origin is `erp` records nothing (`recordEvent` decides it,
 * once); every event says whether the customer or customer service made it (`origin`).
 */

const nullableText = z.string().nullable();

/** A document (invoice) settled, and by how much. */
const settlement = z.object({ document_number: z.string(), amount_cents: cents });

const mandateFacts = z.object({
  rum: z.string().describe('The mandate’s unique reference (RUM).'),
  status: z.enum(['to_validate', 'active', 'rejected', 'revoked']).describe('Its state after this event.'),
  source: z.enum(['online', 'paper']),
  holder_name: z.string(),
  holder_address: z.string().describe('Lines separated by \\n.'),
  iban_masked: z.string().describe('The IBAN masked: country and last four characters.'),
  bic: nullableText,
  signed_at: isoDateTime.nullable(),
  contracts: z.array(z.string()).describe('The contract numbers it pays.'),
  rejection_reason: nullableText.describe('Why customer service refused it (mandate.rejected), as the customer was told.'),
  previous_status: z.enum(['to_validate', 'active']).nullable().describe('What the customer revoked (mandate.revoked).'),
  end_reason: z
    .enum(['customer', 'replaced', 'lapsed'])
    .nullable()
    .describe('Why it was revoked (mandate.revoked): by the customer, replaced by a new bank account’s mandate once validated, or lapsed after 36 months without a debit.'),
  replaces_rum: nullableText.describe('A change of bank account: the RUM of the active mandate this one replaces once validated (then revoked, `end_reason: replaced`).'),
});

const contactRequestFacts = z.object({
  reference: z.string(),
  category: z.enum(['address', 'phone', 'plate', 'invoice', 'contract', 'other', 'billing']).describe('`billing`: a business customer asks from Profil to change its billing profile (VAT number, billing e-mail, purchase-order references), the values in `message`.'),
  contract_number: nullableText,
  message: z.string().describe('The customer’s message, as typed.'),
  new_plate: nullableText,
  effective_date: isoDate.nullable(),
  attachments: z.int().describe('How many files are attached (read them in the back office).'),
});

const vehicleChangeFacts = z.object({
  request_id: z.string().describe('The portal’s id of the request.'),
  contract_number: z.string(),
  kind: z.enum(['replace', 'add']).describe('`replace`: the new vehicle replaces `replaced_plate`; `add`: one more vehicle.'),
  plate: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2 of the plate.'),
  make: z.string(),
  model: z.string(),
  valid_from: isoDate.describe('The first day the new vehicle is in force; the one replaced ends the day before.'),
  replaced_plate: nullableText,
  replaced_country: nullableText,
  refusal_reason: nullableText.describe('Why customer service refused it (vehicle.change_refused), as the customer was told.'),
});

/** Whose and where every access event is: the customer, the contract, the car park's code. */
const accessParties = {
  customer_number: z.string(),
  contract_number: z.string(),
  car_park_code: z.string(),
};

/** A vehicle the access system lets in, or no longer does, from a date. */
const accessVehicleFacts = z.object({
  ...accessParties,
  plate: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2 of the plate.'),
  applies_from: isoDate.describe('allowed: its first day; removed: the first day it is no longer let in.'),
});

const terminationFacts = z.object({
  reference: z.string().describe('The termination’s reference, as the customer’s acknowledgement gives it.'),
  contract_number: z.string(),
  car_park: z.string().describe('The car park’s code.'),
  status: z.enum(['requested', 'processed', 'withdrawn']).describe('Its state after this event.'),
  channel: z.enum(['customer_area', 'public_page']).describe('Asked logged in, or through the public page (without logging in).'),
  requested_at: isoDateTime,
  effective_date: isoDate.describe('The contract’s last day.'),
  badge_number: nullableText.describe('The badge to be returned.'),
});

/** The payload of each type of event, as recorded and as the feeds answer it. */
export const eventPayloads = {
  'payment.received': z.object({
    payment_id: z.string().describe('The portal’s id of the payment.'),
    amount_cents: cents,
    currency: z.literal('EUR'),
    method: z.literal('card'),
    provider: z.string().describe('The payment provider (`stripe`, `sandbox`).'),
    received_at: isoDateTime,
    settled: z.array(settlement).describe('The invoices this payment settled, oldest first.'),
    credits_applied: z
      .array(settlement.extend({ credit_note_number: nullableText, payment_id: nullableText }))
      .describe('Credit the customer already had (a credit note, a payment not fully used) set against the same invoices when this payment was booked.'),
    unallocated_cents: cents.describe('What is left of this payment as credit on the account.'),
  }),
  'mandate.signed': mandateFacts,
  'mandate.validated': mandateFacts,
  'mandate.rejected': mandateFacts,
  'mandate.revoked': mandateFacts,
  'contact_request.created': contactRequestFacts,
  'contact_request.answered': z.object({
    reference: z.string(),
    message: z.string().describe('The customer’s answer, as typed.'),
    attachments: z.int(),
    reopened: z.boolean().describe('true: the request was closed and is open again.'),
  }),
  'customer.emails_changed': z.object({
    primary: nullableText,
    secondary: nullableText,
    primary_verified: z.boolean().describe('false until the customer follows the verification link sent to it.'),
    secondary_verified: z.boolean(),
  }),
  'customer.contact_details_changed': z.object({
    fields: z.array(z.string()).describe('What changed, named as in the customer resource (`address.line1`, `phones.mobile`…).'),
    address: z.object({ line1: z.string(), line2: nullableText, postal_code: z.string(), city: z.string(), country: z.string() }),
    phones: z.object({ landline: nullableText, mobile: nullableText }),
  }),
  'customer.paperless_changed': z.object({
    paperless: z.boolean().describe('The customer’s consent to receive documents by e-mail only.'),
    source: z.enum(['first_login', 'profile']).describe('Where it was given or withdrawn: the first login, or Profil.'),
  }),
  'vehicle.plate_changed': z.object({
    contract_number: z.string(),
    old_plate: z.string(),
    new_plate: z.string(),
    description: nullableText,
    effective_date: isoDate.describe('The new plate’s first day; the old one ends the day before.'),
  }),
  'vehicle.change_requested': vehicleChangeFacts,
  'vehicle.change_approved': vehicleChangeFacts,
  'vehicle.change_refused': vehicleChangeFacts,
  'access.vehicle_allowed': accessVehicleFacts,
  'access.vehicle_removed': accessVehicleFacts,
  'badge.replacement_paid': z.object({
    replacement_id: z.string().describe('The portal’s id of the badge replacement paid.'),
    attempt_id: z.string().describe('The payment attempt (the provider’s checkout session) that paid it.'),
    amount_cents: cents.describe('The replacement-badge fee paid, TTC: no invoice settled; the ERP invoices it.'),
    currency: z.literal('EUR'),
    method: z.literal('card'),
    provider: z.string().describe('The payment provider (`stripe`, `sandbox`).'),
    received_at: isoDateTime,
    contract_number: z.string(),
    badge_number: z.string().describe('The badge blocked that this one replaces.'),
  }),
  'access.badge_blocked': z.object({
    ...accessParties,
    badge_number: z.string().describe('The badge no barrier may open for any more.'),
    reason: z.enum(['lost', 'stolen', 'broken']),
    applies_from: isoDate.describe('The day it is blocked from (Paris): at once.'),
  }),
  'access.badge_issued': z.object({
    ...accessParties,
    badge_number: z.string().describe('The new badge, now the contract’s.'),
    replaces_badge_number: z.string().describe('The badge blocked that it replaces.'),
    delivery: z.enum(['handed_over', 'posted']).describe('Handed over at the car park, or posted.'),
    applies_from: isoDate.describe('The day it opens the barriers from (Paris).'),
  }),
  'contract.renewal_notice_sent': z.object({
    contract_number: z.string(),
    car_park: z.string().describe('The car park’s code.'),
    renewal_date: isoDate.describe('The day the contract renews tacitly.'),
    deadline: isoDate.describe('The last day the customer may refuse the renewal (the day before it).'),
    channel: z.enum(['email', 'letter']).describe('email: sent to the customer’s verified addresses; letter: none verified, customer service posts it.'),
    late: z.boolean().describe('true: sent less than a month before the deadline (L215-1: the customer may then terminate free of charge at any time after the renewal).'),
  }),
  'contract.termination_requested': terminationFacts,
  'contract.termination_withdrawn': terminationFacts,
  'contract.termination_processed': terminationFacts,
  'document.e_invoice_issued': z.object({
    document_number: z.string(),
    kind: z.enum(['invoice', 'credit_note']),
    format: z.literal('factur-x').describe('A PDF/A-3 carrying `factur-x.xml` (EN 16931).'),
    source: z.enum(['rendered', 'erp']).describe('rendered: the portal made it for a business customer at publication; erp: the PDF the ERP uploaded already carried its factur-x.xml, kept as sent.'),
    issue_date: isoDate,
    total_ht_cents: cents,
    total_vat_cents: cents,
    total_ttc_cents: cents,
    pdf_sha256: z.string().describe('SHA-256 of the file: the one the customer downloads.'),
    pdf_url: z.string().describe('Where to fetch that file (scope e_invoices:read), relative to the portal.'),
  }),
} as const;

export type EventType = keyof typeof eventPayloads;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;

/** The feed each type of event is read in. */
export const FEED_OF: Record<EventType, EventFeed> = {
  'payment.received': 'payments',
  'mandate.signed': 'mandates',
  'mandate.validated': 'mandates',
  'mandate.rejected': 'mandates',
  'mandate.revoked': 'mandates',
  'contact_request.created': 'contact_requests',
  'contact_request.answered': 'contact_requests',
  'customer.emails_changed': 'customer_changes',
  'customer.contact_details_changed': 'customer_changes',
  'customer.paperless_changed': 'customer_changes',
  'vehicle.plate_changed': 'vehicle_changes',
  'vehicle.change_requested': 'vehicle_changes',
  'vehicle.change_approved': 'vehicle_changes',
  'vehicle.change_refused': 'vehicle_changes',
  'access.vehicle_allowed': 'access',
  'access.vehicle_removed': 'access',
  'badge.replacement_paid': 'payments',
  'access.badge_blocked': 'access',
  'access.badge_issued': 'access',
  'contract.renewal_notice_sent': 'terminations',
  'contract.termination_requested': 'terminations',
  'contract.termination_withdrawn': 'terminations',
  'contract.termination_processed': 'terminations',
  'document.e_invoice_issued': 'e_invoices',
};

/*
 * - `e_invoices`: `document.e_invoice_issued`, a business customer's invoice or credit note
 *   published as Factur-X, or an ERP's PDF found to carry its `factur-x.xml` — told back although
 *   the ERP wrote it (origin `system`), for its approved platform to transmit the same file
 *   (`documents.service.ts`, `recordEInvoice`).
 */

/** The types of a feed, in the order above. */
export const typesOf = (feed: EventFeed): EventType[] => (Object.keys(FEED_OF) as EventType[]).filter((t) => FEED_OF[t] === feed);

/** Who made a change: the customer, customer service, or the ERP itself (its PUTs, the import: not told back). */
export type ChangeOrigin = EventOrigin | 'erp';

export interface NewEvent<T extends EventType> {
  type: T;
  customerId: string;
  /** The portal's id of what the event is about: the payment, the mandate, the contact request, the vehicle… */
  subjectId: string | null;
  origin: ChangeOrigin;
  payload: EventPayload<T>;
}

/**
 * Records an event for the ERP's feeds, in the caller's transaction (pass it as `trx`): it
 * commits or rolls back with the change. A change the ERP made itself (`origin: 'erp'`) records
 * nothing. Call it after the transaction's row locks are taken (best: last): from here to the
 * commit, the other writers of events wait (`serialiseSequenceWriters`), so that events commit
 * in the order of their ids and a feed's cursor never passes one still to commit. (The row's
 * reference to its customer takes a key-share lock on the customer's row, which the portal's
 * customer lock — `lockCustomer`, an update — does not block: a writer holding the order never
 * waits for one waiting for it.)
 */
export async function recordEvent<T extends EventType>(trx: Db, clock: Clock, e: NewEvent<T>): Promise<void> {
  if (e.origin === 'erp') return;
  // Checked against its schema: a payload the feed could not answer is a bug, found here.
  const payload = eventPayloads[e.type].parse(e.payload);
  await serialiseSequenceWriters(trx);
  await trx
    .insertInto('integration_events')
    .values({
      feed: FEED_OF[e.type],
      type: e.type,
      customer_id: e.customerId,
      subject_id: e.subjectId,
      origin: e.origin,
      payload: JSON.stringify(payload),
      created_at: nowIso(clock),
    })
    .execute();
}

/** Deletes the events older than `INTEGRATION_EVENTS_RETENTION_DAYS` (the job `events-purge`); a feed's cursor stays valid. */
export async function purgeEvents(db: Db, clock: Clock, config: Pick<Config, 'INTEGRATION_EVENTS_RETENTION_DAYS'>): Promise<number> {
  const before = new Date(clock.now().getTime() - config.INTEGRATION_EVENTS_RETENTION_DAYS * DAY).toISOString();
  const r = await db.deleteFrom('integration_events').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
