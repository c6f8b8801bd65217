import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { forUpdate } from '../../db/dialect.ts';
import type { Language } from '../../db/schema.ts';
import { type RequestMeta, audit } from '../../lib/audit.ts';
import { type Clock, MINUTE, newId, nowIso } from '../../lib/clock.ts';
import { AppError, isAppError } from '../../lib/errors.ts';
import { type EventPayload, recordEvent } from '../../lib/events.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { translator } from '../../lib/i18n.ts';
import { accountBalance } from '../account/balance.queries.ts';
import { lockCustomer, verifiedAddresses } from '../customers/customers.service.ts';
import { PAYMENT_CURRENCY, type PaymentProvider, type ProviderEvent } from './payments.provider.ts';
import { lockMailRecipient } from '../auth/verify.service.ts';
import { receiptMail } from './payments.mails.ts';
import { dueInvoices } from './payments.queries.ts';
import { publicUrl } from '../../lib/links.ts';
import { paidAsAsked, payableAmount } from './payments.rules.ts';
import { countInWindow, ipKey, retryAfterMs } from '../auth/throttle.ts';
import { bookBadgePayment } from '../badges/badges.service.ts';

/*
 * Paying the balance online. The amount is computed here, from the invoices chosen and what
 * is still due on them — nothing in a request sets it. The provider's webhook is the source
 * of truth; booking a payment and its allocations happens in one transaction (R2), keyed on
 * the provider's event id so a replayed or concurrent copy books nothing twice (W2). What is
 * booked is the attempt's amount, and only when the event says exactly that amount and currency.
 */

/** What the provider's page (and the card statement, where it shows one) calls the payment, in the customer's language. */
export function checkoutDescription(customer: { number: string; language: Language }, invoiceNumbers: string[]): string {
  const t = translator(customer.language);
  return invoiceNumbers.length > 1
    ? t('pay.description.many', { count: invoiceNumbers.length, customer: customer.number })
    : t('pay.description.one', { number: invoiceNumbers[0] ?? '', customer: customer.number });
}

export interface StartedAttempt {
  attemptId: string;
  redirectUrl: string;
  amountCents: number;
  reused: boolean;
}

/**
 * Starts (or resumes) an attempt for these invoices. A pending attempt for exactly the same
 * invoices is resumed (a double click, a reload); any other pending attempt is superseded,
 * and its provider session cancelled.
 */
export async function startAttempt(
  db: Db,
  clock: Clock,
  config: Config,
  provider: PaymentProvider,
  customer: { id: string; number: string; language: Language },
  invoiceIds: string[],
): Promise<StartedAttempt> {
  const now = clock.now();
  // Decided under a lock on the customer's row: two tabs, a double click or a reload starting
  // at the same instant are serialised, so at most one attempt is ever pending.
  const plan = await inTransaction(db, async (trx) => {
    await lockCustomer(trx, customer.id);
    const due = await dueInvoices(trx, customer.id);
    const chosen = due.filter((d) => invoiceIds.includes(d.id));
    if (chosen.length === 0) throw new AppError('nothing_to_pay', { detail: 'no due invoice chosen' });
    const balance = await accountBalance(trx, customer.id);
    // A credit on the account (money received but not yet allocated) lowers what is asked;
    // it is set against these invoices when the payment is booked.
    const { amount } = payableAmount(chosen, new Set(chosen.map((d) => d.id)), balance);
    if (amount <= 0) throw new AppError('nothing_to_pay', { detail: 'balance already settled' });
    const ids = chosen.map((d) => d.id); // oldest first

    const pending = await trx
      .selectFrom('payment_attempts')
      .selectAll()
      .where('customer_id', '=', customer.id)
      .where('status', '=', 'pending')
      .where('provider', '=', provider.name)
      .where('badge_replacement_id', 'is', null) // a badge's checkout is its own (`badges.service.ts`)
      .execute();
    const same = pending.find(
      (p) => p.invoice_ids === JSON.stringify(ids) && p.amount_cents === amount && Date.parse(p.expires_at) > now.getTime() + MINUTE,
    );
    if (same) return { kind: 'resume' as const, resume: same.id, amount };
    for (const p of pending) {
      await trx.updateTable('payment_attempts').set({ status: 'superseded', completed_at: nowIso(clock) }).where('id', '=', p.id).execute();
    }
    const attemptId = newId();
    const expiresAt = new Date(now.getTime() + config.PAYMENT_ATTEMPT_MINUTES * MINUTE);
    await trx
      .insertInto('payment_attempts')
      .values({
        id: attemptId,
        customer_id: customer.id,
        provider: provider.name,
        provider_session_id: null,
        status: 'pending',
        amount_cents: amount,
        invoice_ids: JSON.stringify(ids),
        payment_id: null,
        created_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        completed_at: null,
      })
      .execute();
    return {
      kind: 'new' as const,
      attemptId,
      amount,
      expiresAt,
      numbers: chosen.map((d) => d.number),
      toCancel: pending.map((p) => p.provider_session_id).filter((x): x is string => Boolean(x)),
    };
  });

  const returnPage = (id: string) => publicUrl(config, `/mon-compte/paiement/retour/${id}`);
  if (plan.kind === 'resume') {
    // Back to the same hosted page. A twin request may still be creating its session: wait for
    // it a moment. If the provider has closed the session (paid, webhook not in yet), or it
    // never appears, to the attempt's own page, which tells where the payment stands.
    for (let i = 0; i < 15; i++) {
      const a = await db.selectFrom('payment_attempts').select('provider_session_id').where('id', '=', plan.resume).executeTakeFirst();
      if (a?.provider_session_id) {
        const redirectUrl = await provider.resumeUrl(a.provider_session_id).catch(() => returnPage(plan.resume));
        return { attemptId: plan.resume, redirectUrl, amountCents: plan.amount, reused: true };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return { attemptId: plan.resume, redirectUrl: returnPage(plan.resume), amountCents: plan.amount, reused: true };
  }

  // Network calls after the commit: the superseded sessions stop taking payment (a success
  // there would still be booked, as a credit), then the new one opens.
  for (const sessionId of plan.toCancel) await provider.cancel(sessionId).catch(() => undefined);
  const { attemptId, amount, numbers } = plan;
  const session = await provider.createCheckout({
    attemptId,
    amountCents: amount,
    description: checkoutDescription(customer, numbers),
    customerNumber: customer.number,
    successUrl: returnPage(attemptId),
    cancelUrl: `${returnPage(attemptId)}?annule=1`,
    expiresAt: plan.expiresAt,
  });
  await db.updateTable('payment_attempts').set({ provider_session_id: session.sessionId }).where('id', '=', attemptId).execute();
  return { attemptId, redirectUrl: session.redirectUrl, amountCents: amount, reused: false };
}

/** Credit set against an invoice: how much, from which credit note or earlier payment. */
interface CreditApplied {
  invoiceId: string;
  amount: number;
  creditNoteNumber: string | null;
  paymentId: string | null;
}

/**
 * Credit the customer already has — payments not fully allocated, credit notes not fully
 * used — set against these invoices, oldest credit first. Returns what each invoice still
 * owes, and the credit set against them.
 */
async function applyCredits(trx: Db, customerId: string, invoices: { id: string; remaining: number }[], now: string, exceptPayment: string) {
  const left = new Map(invoices.map((i) => [i.id, i.remaining]));
  const payments = await trx
    .selectFrom('payments as p')
    .select((eb) => [
      'p.id',
      'p.amount_cents',
      eb.selectFrom('allocations as a').select(sql<number>`coalesce(sum(a.amount_cents), 0)`.as('x')).whereRef('a.payment_id', '=', 'p.id').as('used'),
    ])
    .where('p.customer_id', '=', customerId)
    .where('p.status', '=', 'succeeded')
    .where('p.id', '!=', exceptPayment)
    .orderBy('p.created_at')
    .execute();
  const notes = await trx
    .selectFrom('financial_documents as d')
    .select(['d.id', 'd.number', 'd.total_ttc_cents', 'd.settled_cents as used'])
    .where('d.customer_id', '=', customerId)
    .where('d.kind', '=', 'credit_note')
    .where('d.published_at', 'is not', null)
    .orderBy('d.issue_date')
    .execute();
  const credits = [
    ...notes.map((n) => ({ payment_id: null, credit_note_id: n.id, credit_note_number: n.number, available: n.total_ttc_cents - Number(n.used) })),
    ...payments.map((p) => ({ payment_id: p.id, credit_note_id: null, credit_note_number: null, available: p.amount_cents - Number(p.used) })),
  ].filter((c) => c.available > 0);
  const applied: CreditApplied[] = [];
  for (const inv of invoices) {
    for (const c of credits) {
      const owed = left.get(inv.id) ?? 0;
      if (owed <= 0) break;
      const part = Math.min(owed, c.available);
      if (part <= 0) continue;
      await trx
        .insertInto('allocations')
        .values({ id: newId(), invoice_id: inv.id, payment_id: c.payment_id, credit_note_id: c.credit_note_id, amount_cents: part, created_at: now })
        .execute();
      c.available -= part;
      left.set(inv.id, owed - part);
      applied.push({ invoiceId: inv.id, amount: part, creditNoteNumber: c.credit_note_number, paymentId: c.payment_id });
    }
  }
  return { left, applied };
}

export type EventOutcome = 'duplicate' | 'booked' | 'credited' | 'already-paid' | 'closed' | 'ignored' | 'unknown-session';

/**
 * Books what a provider event says, once. Everything happens in one transaction: the event
 * is recorded first (its id is unique: a copy finds it and stops), then the attempt is locked
 * and moved on, the payment and its allocations written, the receipt queued.
 *
 * A success whose amount or currency is not the attempt's is refused: AppError
 * `webhook_amount_mismatch`, the transaction rolled back (not even the event is kept, so a
 * copy is refused again), and one audit entry.
 */
export async function processProviderEvent(db: Db, clock: Clock, config: Config, provider: string, ev: ProviderEvent): Promise<EventOutcome> {
  try {
    return await bookProviderEvent(db, clock, config, provider, ev);
  } catch (e) {
    if (isAppError(e, 'webhook_amount_mismatch')) {
      await audit(db, clock, { actor_type: 'api', actor_id: `provider:${provider}`, action: 'payment.refused', outcome: 'denied', details: { event: ev.id, reason: e.detail } });
    }
    throw e;
  }
}

function bookProviderEvent(db: Db, clock: Clock, config: Config, provider: string, ev: ProviderEvent): Promise<EventOutcome> {
  // Through inTransaction: the metrics count the payment booked once committed (`lib/audit.ts`).
  return inTransaction(db, async (trx) => {
    const recorded = await trx
      .insertInto('payment_events')
      .values({ id: newId(), provider, event_id: ev.id, type: ev.type, attempt_id: null, outcome: 'received', received_at: nowIso(clock) })
      .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
      .executeTakeFirst();
    if (Number(recorded.numInsertedOrUpdatedRows ?? 0) === 0) return 'duplicate';
    const finish = async (outcome: EventOutcome, attemptId: string | null = null) => {
      await trx.updateTable('payment_events').set({ outcome, attempt_id: attemptId }).where('provider', '=', provider).where('event_id', '=', ev.id).execute();
      return outcome;
    };
    if (ev.outcome === 'ignored' || !ev.sessionId) return finish('ignored');

    const attempt = await trx
      .selectFrom('payment_attempts')
      .selectAll()
      .where('provider', '=', provider)
      .where('provider_session_id', '=', ev.sessionId)
      .$call((q) => forUpdate(db, q))
      .executeTakeFirst();
    if (!attempt) return finish('unknown-session');
    if (ev.outcome === 'succeeded' && !paidAsAsked(ev, attempt)) {
      const said = `${ev.amountCents ?? 'no amount'} ${ev.currency ?? 'no currency'}`;
      throw new AppError('webhook_amount_mismatch', { detail: `says ${said} for attempt ${attempt.id} of ${attempt.amount_cents} ${PAYMENT_CURRENCY}` });
    }

    if (ev.outcome !== 'succeeded') {
      // "failed" or "cancelled" after "succeeded" changes nothing; on a pending attempt it closes it.
      if (attempt.status === 'pending') {
        await trx.updateTable('payment_attempts').set({ status: ev.outcome, completed_at: nowIso(clock) }).where('id', '=', attempt.id).execute();
      }
      return finish('closed', attempt.id);
    }
    if (attempt.payment_id) return finish('already-paid', attempt.id);
    // A replacement badge's fee: booked on its replacement, not on the balance (`badges.service.ts`).
    if (attempt.badge_replacement_id) {
      if (attempt.status === 'succeeded') return finish('already-paid', attempt.id);
      return finish(await bookBadgePayment(trx, clock, config, provider, { ...attempt, badge_replacement_id: attempt.badge_replacement_id }, ev), attempt.id);
    }
    // One booking at a time per customer: two attempts succeeding at the same instant must not
    // both allocate the same outstanding amounts (READ COMMITTED would let them).
    const c = await lockMailRecipient(trx, attempt.customer_id);

    const amount = attempt.amount_cents;
    const paymentId = newId();
    const now = nowIso(clock);
    await trx
      .insertInto('payments')
      .values({
        id: paymentId,
        customer_id: attempt.customer_id,
        method: 'card',
        provider,
        provider_reference: ev.sessionId,
        status: 'succeeded',
        amount_cents: amount,
        received_at: now,
        created_at: now,
      })
      .execute();

    // A superseded attempt that still succeeds is a credit on the account; otherwise the
    // money settles the chosen invoices, oldest first, up to what each still owes.
    const settled: { number: string; amount: number }[] = [];
    const creditsApplied: EventPayload<'payment.received'>['credits_applied'] = [];
    if (attempt.status !== 'superseded') {
      const chosen = JSON.parse(attempt.invoice_ids) as string[];
      const due = (await dueInvoices(trx, attempt.customer_id)).filter((d) => chosen.includes(d.id));
      // The credit the amount asked was lowered by goes to these invoices first.
      const { left: owed, applied } = await applyCredits(trx, attempt.customer_id, due, now, paymentId);
      const numberOf = new Map(due.map((d) => [d.id, d.number]));
      for (const a of applied) {
        creditsApplied.push({ document_number: numberOf.get(a.invoiceId) ?? '', amount_cents: a.amount, credit_note_number: a.creditNoteNumber, payment_id: a.paymentId });
      }
      let left = amount;
      for (const d of due) {
        if (left <= 0) break;
        const part = Math.min(left, owed.get(d.id) ?? 0);
        if (part <= 0) continue;
        await trx.insertInto('allocations').values({ id: newId(), invoice_id: d.id, payment_id: paymentId, credit_note_id: null, amount_cents: part, created_at: now }).execute();
        settled.push({ number: d.number, amount: part });
        left -= part;
      }
    }
    await trx.updateTable('payment_attempts').set({ status: 'succeeded', payment_id: paymentId, completed_at: now }).where('id', '=', attempt.id).execute();

    const credit = amount - settled.reduce((s, x) => s + x.amount, 0);
    const receipt = receiptMail(config, c, { amountCents: amount, at: now, settled, creditCents: credit });
    for (const to of verifiedAddresses(c)) {
      await enqueueMail(trx, clock, config, { to, lang: c.language, dedupeKey: `receipt:${paymentId}:${to}`, content: receipt });
    }
    await audit(trx, clock, {
      actor_type: 'system',
      actor_id: `provider:${provider}`,
      action: 'payment.booked',
      outcome: 'success',
      target_type: 'payment',
      target_id: paymentId,
      details: { attempt: attempt.id, amount_cents: amount, settled: settled.map((s) => s.number), credit_cents: credit },
    });
    // For the ERP's payments feed; last, after the row locks (`recordEvent`).
    await recordEvent(trx, clock, {
      type: 'payment.received',
      customerId: attempt.customer_id,
      subjectId: paymentId,
      origin: 'customer',
      payload: {
        payment_id: paymentId,
        amount_cents: amount,
        currency: 'EUR',
        method: 'card',
        provider,
        received_at: now,
        settled: settled.map((x) => ({ document_number: x.number, amount_cents: x.amount })),
        credits_applied: creditsApplied,
        unallocated_cents: credit,
      },
    });
    return finish(credit === amount ? 'credited' : 'booked', attempt.id);
  });
}

/**
 * Pending attempts past their expiry: ask the provider what became of each; a paid session
 * is booked as its webhook would have, anything else is closed. A worker job.
 */
export async function reconcileExpiredAttempts(db: Db, clock: Clock, config: Config, provider: PaymentProvider): Promise<number> {
  const expired = await db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('status', '=', 'pending')
    .where('provider', '=', provider.name)
    .where('expires_at', '<', nowIso(clock))
    .limit(100)
    .execute();
  for (const a of expired) {
    const state = a.provider_session_id ? await provider.retrieve(a.provider_session_id) : 'expired';
    if (state === 'paid' && a.provider_session_id) {
      // The provider was asked about the session it opened for this attempt's amount: its state is its whole answer.
      await processProviderEvent(db, clock, config, provider.name, {
        id: `reconcile:${a.id}`,
        outcome: 'succeeded',
        sessionId: a.provider_session_id,
        amountCents: a.amount_cents,
        currency: PAYMENT_CURRENCY,
        type: 'reconciliation',
      });
      continue;
    }
    if (state === 'open' && a.provider_session_id) await provider.cancel(a.provider_session_id);
    // Once the provider's session is closed, a late success still finds the attempt and is booked.
    await db
      .updateTable('payment_attempts')
      .set({ status: state === 'failed' ? 'failed' : state === 'cancelled' ? 'cancelled' : 'expired', completed_at: nowIso(clock) })
      .where('id', '=', a.id)
      .where('status', '=', 'pending')
      .execute();
  }
  return expired.length;
}

/**
 * Webhooks refused as not from the provider (W1), counted per IP in the throttle table under
 * keys of their own: past `perIp` in a window, the IP is answered 429 until the window ends,
 * before its body is read. Accepted webhooks are not counted, so a provider's bursts never are.
 */
export const WEBHOOK_REJECTION_LIMITS = { perIp: 20, windowMs: 15 * MINUTE };

// An IPv6 client is counted by its /64, as everywhere the portal counts per IP.
const webhookIpKey = (ip: string) => ipKey(ip, 'webhook-ip');

/** Milliseconds before this IP's webhooks are heard again, or 0. */
export const webhookRetryAfterMs = (db: Db, clock: Clock, ip: string) => retryAfterMs(db, clock, [webhookIpKey(ip)]);

/**
 * Counts a rejected webhook against its IP. Every rejection is in the request log (the error
 * handler's "request refused", with its reason); the audit log gets one entry per IP and
 * window, at the first — so an unauthenticated sender cannot make it grow with each request.
 */
export async function recordWebhookRejection(db: Db, clock: Clock, provider: string, meta: RequestMeta, reason: string): Promise<void> {
  const { perIp, windowMs } = WEBHOOK_REJECTION_LIMITS;
  const count = await countInWindow(db, clock, webhookIpKey(meta.ip), perIp, windowMs);
  if (count !== 1) return;
  await audit(db, clock, {
    actor_type: 'api',
    actor_id: `provider:${provider}`,
    action: 'payment.webhook',
    outcome: 'denied',
    ...meta,
    details: { reason, note: `first rejection from this IP in ${windowMs / MINUTE} min; the next are in the request log only, and from the ${perIp}th the IP is held until the window ends` },
  });
}
