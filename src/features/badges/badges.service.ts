import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/dialect.ts';
import type { BadgeReason, Language, PaymentAttemptTable, Product } from '../../db/schema.ts';
import { type RequestMeta, type StaffActor, audit } from '../../lib/audit.ts';
import { type Clock, MINUTE, newId, nowIso, parisDate } from '../../lib/clock.ts';
import { recordEvent } from '../../lib/events.ts';
import { translator } from '../../lib/i18n.ts';
import { publicUrl } from '../../lib/links.ts';
import { lockMailRecipient } from '../auth/verify.service.ts';
import { mailVerifiedAddresses } from '../customers/customers.service.ts';
import type { PaymentProvider, ProviderEvent } from '../payments/payments.provider.ts';
import { badgeBlockedMail, badgeIssuedMail, badgePaidMail } from './badges.mails.ts';
import { badgeFee, ownContract } from './badges.queries.ts';
import { orderable } from './badges.rules.ts';

/*
 * Badges lost, stolen or broken (issue 13). The customer reports the badge: it is blocked at
 * once (the access feed tells the barriers); the replacement is ordered at the product's fee,
 * shown first, and paid online through the payment attempts and providers of the balance
 * (`payments.service.ts` hands a badge attempt's success to `bookBadgePayment`); customer
 * service hands the new badge over or posts it, and it becomes the contract's badge.
 *
 * The fee paid is not a payment of the balance: no row in `payments` (the balance's triggers
 * would make it a credit to spend on invoices), the attempt is its record, and the payments
 * feed tells the ERP (`badge.replacement_paid`), which invoices it.
 */

type Customer = { id: string; number: string; language: Language };

export type ReportOutcome = { ok: true; replacementId: string } | { ok: false; refusal: 'no_badge' | 'already_blocked' };

/** Blocks the contract's badge at once and records why. Refused (a value, shown on the page) for a contract without a badge, or one already reported. */
export async function reportBadge(db: Db, clock: Clock, config: Config, customer: Customer, contractNumber: string, reason: BadgeReason, meta: RequestMeta): Promise<ReportOutcome | null> {
  try {
    return await blockBadge(db, clock, config, customer, contractNumber, reason, meta);
  } catch (e) {
    // Two reports of one badge at the same instant: the second meets the unique (contract, badge).
    if (isUniqueViolation(e)) return { ok: false, refusal: 'already_blocked' };
    throw e;
  }
}

function blockBadge(db: Db, clock: Clock, config: Config, customer: Customer, contractNumber: string, reason: BadgeReason, meta: RequestMeta): Promise<ReportOutcome | null> {
  return inTransaction(db, async (trx) => {
    const c = await lockMailRecipient(trx, customer.id);
    const contract = await ownContract(trx, customer.id, contractNumber);
    if (!contract) return null;
    if (!contract.badge_number || contract.status === 'ended') return { ok: false, refusal: 'no_badge' } as const;
    const reported = await trx.selectFrom('badge_replacements').select('id').where('contract_id', '=', contract.id).where('badge_number', '=', contract.badge_number).executeTakeFirst();
    if (reported) return { ok: false, refusal: 'already_blocked' } as const;
    const id = newId();
    const now = nowIso(clock);
    await trx
      .insertInto('badge_replacements')
      .values({ id, customer_id: customer.id, contract_id: contract.id, badge_number: contract.badge_number, reason, status: 'blocked', fee_cents: null, ordered_at: null, paid_at: null, new_badge_number: null, completed_at: null, completed_by: null, created_at: now })
      .execute();
    const fee = await badgeFee(trx, contract.product);
    const mail = badgeBlockedMail(config, c, { contractNumber: contract.number, badgeNumber: contract.badge_number, reason, at: now, feeCents: fee });
    await mailVerifiedAddresses(trx, clock, config, c, 'badge-blocked', id, mail);
    await audit(trx, clock, { actor_type: 'customer', actor_id: customer.id, action: 'badge.blocked', outcome: 'success', target_type: 'badge_replacement', target_id: id, ...meta, details: { contract: contract.number, badge: contract.badge_number, reason } });
    await recordEvent(trx, clock, {
      type: 'access.badge_blocked',
      customerId: customer.id,
      subjectId: id,
      origin: 'customer',
      payload: { customer_number: customer.number, contract_number: contract.number, car_park_code: contract.car_park_code, badge_number: contract.badge_number, reason, applies_from: parisDate(clock.now()) },
    });
    return { ok: true, replacementId: id } as const;
  });
}

/**
 * Orders the replacement of the contract's blocked badge at its product's fee (fixed at the
 * first order) and opens a checkout at the provider: the URL to send the browser to. A pending
 * attempt for the same replacement is superseded (a second click, a payment abandoned).
 * Null: nothing to order (no blocked badge, or already paid).
 */
export async function orderReplacement(db: Db, clock: Clock, config: Config, provider: PaymentProvider, customer: Customer, contractNumber: string, meta: RequestMeta): Promise<string | null> {
  const now = clock.now();
  const plan = await inTransaction(db, async (trx) => {
    await lockMailRecipient(trx, customer.id);
    const contract = await ownContract(trx, customer.id, contractNumber);
    if (!contract?.badge_number) return null;
    const r = await trx.selectFrom('badge_replacements').selectAll().where('contract_id', '=', contract.id).where('badge_number', '=', contract.badge_number).executeTakeFirst();
    if (!r || !orderable(r.status)) return null;
    const fee = r.fee_cents ?? (await badgeFee(trx, contract.product));
    if (r.status === 'blocked') {
      await trx.updateTable('badge_replacements').set({ status: 'awaiting_payment', fee_cents: fee, ordered_at: now.toISOString() }).where('id', '=', r.id).execute();
    }
    const pending = await trx.selectFrom('payment_attempts').select(['id', 'provider_session_id']).where('badge_replacement_id', '=', r.id).where('status', '=', 'pending').execute();
    for (const p of pending) await trx.updateTable('payment_attempts').set({ status: 'superseded', completed_at: now.toISOString() }).where('id', '=', p.id).execute();
    const attemptId = newId();
    const expiresAt = new Date(now.getTime() + config.PAYMENT_ATTEMPT_MINUTES * MINUTE);
    await trx
      .insertInto('payment_attempts')
      .values({ id: attemptId, customer_id: customer.id, provider: provider.name, provider_session_id: null, status: 'pending', amount_cents: fee, invoice_ids: '[]', payment_id: null, created_at: now.toISOString(), expires_at: expiresAt.toISOString(), completed_at: null, badge_replacement_id: r.id })
      .execute();
    await audit(trx, clock, { actor_type: 'customer', actor_id: customer.id, action: 'badge.ordered', outcome: 'success', target_type: 'badge_replacement', target_id: r.id, ...meta, details: { attempt: attemptId, amount_cents: fee } });
    return { attemptId, fee, expiresAt, contract, toCancel: pending.map((p) => p.provider_session_id).filter((x): x is string => Boolean(x)) };
  });
  if (!plan) return null;
  for (const sessionId of plan.toCancel) await provider.cancel(sessionId).catch(() => undefined);
  const back = publicUrl(config, `/contrats/${encodeURIComponent(plan.contract.number)}/badge`);
  const session = await provider.createCheckout({
    attemptId: plan.attemptId,
    amountCents: plan.fee,
    description: translator(customer.language)('badges.pay.description', { badge: plan.contract.badge_number ?? '', customer: customer.number }),
    customerNumber: customer.number,
    successUrl: `${back}?paiement=${plan.attemptId}`,
    cancelUrl: `${back}?annule=1`,
    expiresAt: plan.expiresAt,
  });
  await db.updateTable('payment_attempts').set({ provider_session_id: session.sessionId }).where('id', '=', plan.attemptId).execute();
  return session.redirectUrl;
}

/**
 * A badge attempt's success, inside the booking's transaction (`payments.service.ts`, after the
 * event is recorded and its amount checked): the attempt succeeds, the replacement is paid, the
 * customer told, the payments feed told (the customer's row is locked first, as every booking does). A success for a replacement already paid (a superseded
 * checkout paid too) is kept on its attempt and audited for customer service to refund.
 */
export async function bookBadgePayment(trx: Db, clock: Clock, config: Config, provider: string, attempt: PaymentAttemptTable & { badge_replacement_id: string }, ev: ProviderEvent): Promise<'booked' | 'already-paid'> {
  const c = await lockMailRecipient(trx, attempt.customer_id);
  const now = nowIso(clock);
  await trx.updateTable('payment_attempts').set({ status: 'succeeded', completed_at: now }).where('id', '=', attempt.id).execute();
  const r = await trx
    .selectFrom('badge_replacements as r')
    .innerJoin('contracts as c', 'c.id', 'r.contract_id')
    .select(['r.id', 'r.status', 'r.reason', 'r.badge_number', 'c.number as contract_number'])
    .where('r.id', '=', attempt.badge_replacement_id)
    .executeTakeFirstOrThrow();
  const actor = { actor_type: 'system' as const, actor_id: `provider:${provider}`, target_type: 'badge_replacement', target_id: r.id };
  if (r.status !== 'awaiting_payment') {
    await audit(trx, clock, { ...actor, action: 'badge.paid_twice', outcome: 'failure', details: { attempt: attempt.id, amount_cents: attempt.amount_cents, event: ev.id } });
    return 'already-paid';
  }
  await trx.updateTable('badge_replacements').set({ status: 'paid', paid_at: now }).where('id', '=', r.id).execute();
  const mail = badgePaidMail(config, c, { contractNumber: r.contract_number, badgeNumber: r.badge_number, reason: r.reason, amountCents: attempt.amount_cents, at: now });
  await mailVerifiedAddresses(trx, clock, config, c, 'badge-paid', r.id, mail);
  await audit(trx, clock, { ...actor, action: 'badge.paid', outcome: 'success', details: { attempt: attempt.id, amount_cents: attempt.amount_cents } });
  await recordEvent(trx, clock, {
    type: 'badge.replacement_paid',
    customerId: attempt.customer_id,
    subjectId: r.id,
    origin: 'customer',
    payload: { replacement_id: r.id, attempt_id: attempt.id, amount_cents: attempt.amount_cents, currency: 'EUR', method: 'card', provider, received_at: now, contract_number: r.contract_number, badge_number: r.badge_number },
  });
  return 'booked';
}

export type CompleteOutcome = 'done' | 'not_paid' | 'badge_taken';

/**
 * Customer service hands the new badge over at the car park or posts it: its number becomes
 * the contract's, the customer is told, the access feed gets the new badge.
 */
export async function completeReplacement(db: Db, clock: Clock, config: Config, id: string, newBadge: string, delivery: 'handed_over' | 'posted', actor: StaffActor): Promise<CompleteOutcome | null> {
  return inTransaction(db, async (trx) => {
    const found = await trx.selectFrom('badge_replacements').select('customer_id').where('id', '=', id).executeTakeFirst();
    if (!found) return null;
    const c = await lockMailRecipient(trx, found.customer_id);
    const r = await trx
      .selectFrom('badge_replacements as r')
      .innerJoin('contracts as c', 'c.id', 'r.contract_id')
      .innerJoin('car_parks as p', 'p.id', 'c.car_park_id')
      .innerJoin('customers as u', 'u.id', 'r.customer_id')
      .select(['r.id', 'r.status', 'r.reason', 'r.badge_number', 'r.contract_id', 'c.number as contract_number', 'p.code as car_park_code', 'p.name as car_park_name', 'u.number as customer_number'])
      .where('r.id', '=', id)
      .executeTakeFirstOrThrow();
    if (r.status !== 'paid') return 'not_paid';
    if (newBadge === r.badge_number) return 'badge_taken';
    const taken = await trx.selectFrom('badge_replacements').select('id').where('contract_id', '=', r.contract_id).where('badge_number', '=', newBadge).executeTakeFirst();
    if (taken) return 'badge_taken';
    const now = nowIso(clock);
    await trx.updateTable('badge_replacements').set({ status: delivery, new_badge_number: newBadge, completed_at: now, completed_by: actor.staffId }).where('id', '=', id).execute();
    await trx.updateTable('contracts').set({ badge_number: newBadge }).where('id', '=', r.contract_id).execute();
    const mail = badgeIssuedMail(config, c, { contractNumber: r.contract_number, newBadge, delivery, carPark: r.car_park_name, reason: r.reason });
    await mailVerifiedAddresses(trx, clock, config, c, 'badge-issued', id, mail);
    await audit(trx, clock, {
      actor_type: 'staff',
      actor_id: actor.staffId,
      action: `badge.${delivery}`,
      outcome: 'success',
      target_type: 'customer',
      target_id: found.customer_id,
      ...actor.meta,
      details: { replacement: id, contract: r.contract_number, old_badge: r.badge_number, new_badge: newBadge },
    });
    await recordEvent(trx, clock, {
      type: 'access.badge_issued',
      customerId: found.customer_id,
      subjectId: id,
      origin: 'staff',
      payload: { customer_number: r.customer_number, contract_number: r.contract_number, car_park_code: r.car_park_code, badge_number: newBadge, replaces_badge_number: r.badge_number, delivery, applies_from: parisDate(clock.now()) },
    });
    return 'done';
  });
}

/** The settings: a product's replacement-badge fee (admins). */
export async function setBadgeFee(db: Db, clock: Clock, product: Product, feeCents: number, actor: StaffActor): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.updateTable('product_fees').set({ badge_replacement_fee_cents: feeCents, updated_at: nowIso(clock) }).where('product', '=', product).execute();
    await audit(trx, clock, { actor_type: 'staff', actor_id: actor.staffId, action: 'settings.badge_fee', outcome: 'success', ...actor.meta, details: { product, fee_cents: feeCents } });
  });
}
