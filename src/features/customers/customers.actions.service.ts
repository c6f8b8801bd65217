import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import type { Customer, LoginState } from '../../db/schema.ts';
import { type AuditEntry, type RequestMeta, audit } from '../../lib/audit.ts';
import { type Clock, MINUTE, addDays, newId, nowIso } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { translator } from '../../lib/i18n.ts';
import { recordEvent } from '../../lib/events.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import type { MailText } from '../../lib/mail/compose.ts';
import { type SessionPolicy, createSession, destroyAllSessions, destroySession } from '../auth/sessions.ts';
import { clearLoginFailures, loginKey } from '../auth/throttle.ts';
import { type EmailSlot, type ResendOutcome, resendVerification } from '../auth/verify.service.ts';
import { applyEmailChange } from '../profile/emails.service.ts';
import { contactDetailsMail, plateChangeMail, sessionsEndedMail } from './customers.actions.mails.ts';
import { type ContactColumn, type ContactDetails, type PlateChange, contactChanges } from './customers.actions.rules.ts';
import { type BillingProfile, billingChanges } from './customers.billing.rules.ts';
import { lockCustomer, refreshSearchKeys, verifiedAddresses } from './customers.service.ts';
import { plateKey } from './customers.rules.ts';

/*
 * What customer service does to one customer from the back office. Each change is made in
 * one transaction with its audit entry (actor: the staff member; target: the customer;
 * details without secrets) and, where the customer must know, the e-mail telling them
 * (to their verified addresses, in their language). A new temporary password and its letter
 * are in `features/letters/letters.service.ts`.
 */

/** Who acts, and from where. */
export interface StaffActor {
  staffId: string;
  meta: RequestMeta;
}

const entry = (actor: StaffActor, customerId: string, action: string, details?: Record<string, unknown>, outcome: AuditEntry['outcome'] = 'success'): AuditEntry => ({
  actor_type: 'staff',
  actor_id: actor.staffId,
  action,
  outcome,
  target_type: 'customer',
  target_id: customerId,
  ...actor.meta,
  ...(details ? { details } : {}),
});

/** Queues one notice to each of the customer's verified addresses; `kind` names the message (its dedupe key's first part). */
async function tellCustomer(trx: Db, clock: Clock, config: Config, customer: Customer, kind: string, content: MailText): Promise<number> {
  const id = newId();
  let queued = 0;
  for (const to of verifiedAddresses(customer)) {
    await enqueueMail(trx, clock, config, { to, lang: customer.language, dedupeKey: `${kind}:${id}:${to}`, content });
    queued++;
  }
  return queued;
}

/** Locks the customer's row for the transaction, then reads it whole. */
async function lockedCustomer(trx: Db, customerId: string): Promise<Customer> {
  await lockCustomer(trx, customerId);
  return trx.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirstOrThrow();
}

/**
 * Lets a customer held back by the login throttle (security bar A4) try again at once: their
 * number's counter is cleared (`login:<number>`; the IP counters stay), and an account
 * `locked` goes back to `active`, or `not_activated` when it has no password yet.
 */
export async function unlockLogin(db: Db, clock: Clock, actor: StaffActor, customer: { id: string; number: string }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const held = await trx.selectFrom('login_throttle').select(['failures', 'locked_until']).where('key', '=', loginKey(customer.number)).executeTakeFirst();
    await clearLoginFailures(trx, customer.number);
    const unlocked = await trx
      .updateTable('customer_logins')
      .set({ state: sql<LoginState>`case when password_hash is null then 'not_activated' else 'active' end` })
      .where('customer_id', '=', customer.id)
      .where('state', '=', 'locked')
      .executeTakeFirst();
    await audit(
      trx,
      clock,
      entry(actor, customer.id, 'customer.unlock', {
        failures: held?.failures ?? 0,
        held_until: held?.locked_until ?? null,
        was_locked: Number(unlocked.numUpdatedRows) > 0,
      }),
    );
  });
}

/** Ends every session of the customer (`destroyAllSessions`); they are told when one was open. Returns how many of theirs were. */
export async function endCustomerSessions(db: Db, clock: Clock, config: Config, actor: StaffActor, customerId: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    const customer = await lockedCustomer(trx, customerId);
    const { n } = await trx
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('customer_id', '=', customerId)
      .where('kind', '!=', 'staff_view')
      .executeTakeFirstOrThrow();
    const ended = Number(n);
    await destroyAllSessions(trx, customerId);
    const notices = ended > 0 ? await tellCustomer(trx, clock, config, customer, 'sessions-ended', sessionsEndedMail(config, customer, nowIso(clock))) : 0;
    await audit(trx, clock, entry(actor, customerId, 'customer.end_sessions', { sessions_ended: ended, notices_sent: notices }));
    return ended;
  });
}

/** A new verification link for one of the customer's addresses, the profile's way (`resendVerification`). */
export async function resendVerificationFor(db: Db, clock: Clock, config: Config, actor: StaffActor, customerId: string, slot: EmailSlot): Promise<ResendOutcome> {
  const outcome = await resendVerification(db, clock, config, customerId, slot);
  await audit(db, clock, entry(actor, customerId, 'customer.email_verification_resend', { slot, outcome }, outcome === 'sent' ? 'success' : 'failure'));
  return outcome;
}

const POSTAL: readonly ContactColumn[] = ['address_line1', 'address_line2', 'postal_code', 'city', 'country'];

/** The postal and phone columns as the API's customer resource names them (the ERP's feed says so). */
const API_FIELD: Partial<Record<ContactColumn, string>> = {
  address_line1: 'address.line1',
  address_line2: 'address.line2',
  postal_code: 'address.postal_code',
  city: 'address.city',
  country: 'address.country',
  phone: 'phones.landline',
  mobile_phone: 'phones.mobile',
};

/**
 * Corrects the customer's contact details, with the reason, in one transaction: postal address
 * and phones; the e-mail addresses by the profile's rules (`applyEmailChange`: a new address is
 * unverified and sent its link, reset links die, the old verified addresses are told). The
 * audit entry has each field changed, from → to, and the reason; the customer is told of the
 * postal and phone changes. Nothing changed: nothing written.
 */
export async function correctContactDetails(
  db: Db,
  clock: Clock,
  config: Config,
  actor: StaffActor,
  customerId: string,
  details: ContactDetails,
  reason: string,
): Promise<{ changed: boolean }> {
  return inTransaction(db, async (trx) => {
    const before = await lockedCustomer(trx, customerId);
    const changes = contactChanges(before, details);
    const changed = Object.keys(changes) as ContactColumn[];
    if (changed.length === 0) return { changed: false };
    const now = nowIso(clock);
    await trx
      .updateTable('customers')
      .set({
        address_line1: details.address_line1 ?? before.address_line1,
        address_line2: details.address_line2,
        postal_code: details.postal_code ?? before.postal_code,
        city: details.city ?? before.city,
        country: details.country ?? before.country,
        phone: details.phone,
        mobile_phone: details.mobile_phone,
        updated_at: now,
      })
      .where('id', '=', customerId)
      .execute();
    await refreshSearchKeys(trx, customerId);
    const emails =
      (changes.email_primary || changes.email_secondary) && details.email_primary
        ? await applyEmailChange(trx, clock, config, customerId, { primary: details.email_primary, secondary: details.email_secondary }, 'staff')
        : null;

    const t = translator(before.language);
    const none = t('customerActions.mail.details.none');
    const lines: string[] = [];
    if (changed.some((c) => POSTAL.includes(c))) {
      const address = [details.address_line1, details.address_line2, [details.postal_code, details.city].filter(Boolean).join(' '), details.country].filter(Boolean).join(', ');
      lines.push(t('format.labelValue', { label: t('profile.address'), value: address }));
    }
    if (changes.phone) lines.push(t('format.labelValue', { label: t('profile.phone'), value: details.phone ?? none }));
    if (changes.mobile_phone) lines.push(t('format.labelValue', { label: t('profile.mobile'), value: details.mobile_phone ?? none }));
    const notices = lines.length > 0 ? await tellCustomer(trx, clock, config, before, 'details-corrected', contactDetailsMail(config, before, now, lines)) : 0;

    await audit(
      trx,
      clock,
      entry(actor, customerId, 'customer.contact_details_correct', {
        reason,
        changes,
        notices_sent: notices,
        ...(emails ? { verifications_sent: emails.verificationsQueued, email_change_notices_sent: emails.noticesQueued } : {}),
      }),
    );
    // For the ERP's feed: the postal address and phones as they now are (the e-mail addresses are `applyEmailChange`'s event).
    const fields = changed.flatMap((c) => API_FIELD[c] ?? []);
    if (fields.length > 0) {
      const after = await trx.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirstOrThrow();
      await recordEvent(trx, clock, {
        type: 'customer.contact_details_changed',
        customerId,
        subjectId: customerId,
        origin: 'staff',
        payload: {
          fields,
          address: { line1: after.address_line1, line2: after.address_line2, postal_code: after.postal_code, city: after.city, country: after.country },
          phones: { landline: after.phone, mobile: after.mobile_phone },
        },
      });
    }
    return { changed: true };
  });
}

/**
 * Records a change of plate: the current plate ends the day before `effectiveDate`, the new
 * one starts on it (what Contrats shows is the plate in force on the day). Refused (409) when
 * the plate was changed meanwhile.
 */
export async function changePlate(db: Db, clock: Clock, config: Config, actor: StaffActor, customerId: string, change: PlateChange): Promise<void> {
  await inTransaction(db, async (trx) => {
    const customer = await lockedCustomer(trx, customerId);
    const current = await trx
      .selectFrom('contract_vehicles as v')
      .innerJoin('contracts as k', 'k.id', 'v.contract_id')
      .select(['v.id', 'v.contract_id', 'v.plate'])
      .where('v.id', '=', change.vehicle.id)
      .where('k.customer_id', '=', customerId)
      .where('v.valid_to', 'is', null)
      .executeTakeFirst();
    if (!current) throw new AppError('conflict', { detail: `vehicle ${change.vehicle.id} is no longer the customer's plate in force` });
    await trx.updateTable('contract_vehicles').set({ valid_to: addDays(change.effectiveDate, -1) }).where('id', '=', current.id).execute();
    const vehicleId = newId();
    await trx
      .insertInto('contract_vehicles')
      .values({ id: vehicleId, contract_id: current.contract_id, plate: change.newPlate, plate_key: plateKey(change.newPlate), description: change.description, valid_from: change.effectiveDate, valid_to: null })
      .execute();
    const facts = { contractNumber: change.vehicle.contractNumber, oldPlate: current.plate, newPlate: change.newPlate, effectiveDate: change.effectiveDate };
    const notices = await tellCustomer(trx, clock, config, customer, 'plate-changed', plateChangeMail(config, customer, facts));
    await audit(
      trx,
      clock,
      entry(actor, customerId, 'customer.plate_change', {
        contract: facts.contractNumber,
        old_plate: facts.oldPlate,
        new_plate: facts.newPlate,
        effective_date: facts.effectiveDate,
        notices_sent: notices,
      }),
    );
    await recordEvent(trx, clock, {
      type: 'vehicle.plate_changed',
      customerId,
      subjectId: vehicleId,
      origin: 'staff',
      payload: { contract_number: facts.contractNumber, old_plate: facts.oldPlate, new_plate: facts.newPlate, description: change.description, effective_date: facts.effectiveDate },
    });
  });
}

/** How long a staff member's view of a customer's pages lasts at most, whatever they do. */
export const STAFF_VIEW_MS = 30 * MINUTE;

/**
 * Opens a staff member's read-only view of the customer's pages: a customer session of kind
 * `staff_view` naming the member, for `STAFF_VIEW_MS` at most. Returns its token, for the
 * customer cookie of the member's browser.
 */
export async function openStaffView(db: Db, clock: Clock, policy: SessionPolicy, actor: StaffActor, customerId: string): Promise<string> {
  const token = await createSession(db, clock, { idleMs: policy.idleMs, absoluteMs: STAFF_VIEW_MS }, customerId, 'staff_view', actor.meta, actor.staffId);
  await audit(db, clock, entry(actor, customerId, 'customer.staff_view.start', { minutes: STAFF_VIEW_MS / MINUTE }));
  return token;
}

/** Ends a staff member's view (its session), audited; `ended` says why when the member did not leave it by its button. */
export async function endStaffView(db: Db, clock: Clock, actor: StaffActor, customerId: string, tokenHash: string, ended?: 'staff_logout' | 'customer_logout'): Promise<void> {
  await destroySession(db, tokenHash);
  await audit(db, clock, entry(actor, customerId, 'customer.staff_view.end', ended ? { ended } : undefined));
}

/** Ends every view a member has open, in any browser (their logout from the back office): each audited on its customer. */
export async function endStaffViewsOf(db: Db, clock: Clock, actor: StaffActor): Promise<void> {
  const views = await db.selectFrom('sessions').select(['token_hash', 'customer_id']).where('kind', '=', 'staff_view').where('staff_id', '=', actor.staffId).execute();
  for (const v of views) await endStaffView(db, clock, actor, v.customer_id, v.token_hash, 'staff_logout');
}

/**
 * Applies a business customer's billing profile (its request from Profil, typed by customer
 * service): VAT number, billing e-mail, the purchase order of each contract named (the
 * customer's own only), in one transaction with the audit entry — each value changed, from →
 * to, and the reason. Nothing changed: nothing written.
 */
export async function applyBillingProfile(db: Db, clock: Clock, actor: StaffActor, customerId: string, profile: BillingProfile, reason: string): Promise<{ changed: boolean }> {
  return inTransaction(db, async (trx) => {
    const before = await lockedCustomer(trx, customerId);
    const contracts = await trx.selectFrom('contracts').select(['number', 'purchase_order_reference']).where('customer_id', '=', customerId).execute();
    const own = new Set(contracts.map((k) => k.number));
    const after: BillingProfile = { ...profile, purchaseOrders: profile.purchaseOrders.filter((o) => own.has(o.number)) };
    const changes = billingChanges(
      { vat_number: before.vat_number, billing_email: before.billing_email, purchaseOrders: contracts.map((k) => ({ number: k.number, reference: k.purchase_order_reference })) },
      after,
    );
    if (changes.length === 0) return { changed: false };
    const now = nowIso(clock);
    if (changes.some((c) => c.field !== 'purchase_order_reference')) {
      await trx.updateTable('customers').set({ vat_number: after.vat_number, billing_email: after.billing_email, updated_at: now }).where('id', '=', customerId).execute();
    }
    for (const c of changes) {
      if (c.field === 'purchase_order_reference' && c.contract) {
        await trx.updateTable('contracts').set({ purchase_order_reference: c.to }).where('customer_id', '=', customerId).where('number', '=', c.contract).execute();
      }
    }
    await audit(trx, clock, entry(actor, customerId, 'customer.billing_profile_correct', { reason, changes }));
    return { changed: true };
  });
}
