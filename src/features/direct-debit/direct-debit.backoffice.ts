import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { audit } from '../../lib/audit.ts';
import { type Clock, nowIso } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { mandateContracts, mandateCustomer } from './direct-debit.queries.ts';
import { noticeFacts, queueMandateNotice, updatedRows } from './direct-debit.service.ts';

/*
 * Customer service's steps on a mandate the customer has signed, for the back office: validate
 * it (it becomes active and its contracts are paid by direct debit) or reject it with a reason.
 * Each tells the customer by e-mail in its transaction and is audited under the staff member.
 */

/** A staff decision on a signed mandate: it must be waiting for one. */
async function decide(
  db: Db,
  clock: Clock,
  config: Config,
  mandateId: string,
  staffId: string,
  decision: { status: 'active' } | { status: 'rejected'; reason: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const m = await trx.selectFrom('sepa_mandates').select(['id', 'rum', 'status', 'customer_id', 'iban_country', 'iban_last4']).where('id', '=', mandateId).executeTakeFirst();
    if (!m) throw new AppError('mandate_not_found');
    const at = nowIso(clock);
    const changed = await trx
      .updateTable('sepa_mandates')
      .set({ status: decision.status, rejection_reason: decision.status === 'rejected' ? decision.reason : null, updated_at: at })
      .where('id', '=', mandateId)
      .where('status', '=', 'to_validate')
      .executeTakeFirst();
    if (updatedRows(changed) === 0) throw new AppError('mandate_not_to_validate');
    const contracts = await mandateContracts(trx, mandateId);
    const current = contracts.filter((k) => k.status !== 'ended');
    if (decision.status === 'active' && current.length > 0) {
      // From now on these contracts are paid by direct debit (Contrats shows it).
      await trx.updateTable('contracts').set({ direct_debit: 1 }).where('id', 'in', current.map((k) => k.id)).execute();
    }
    const customer = await mandateCustomer(trx, m.customer_id);
    await queueMandateNotice(trx, clock, config, customer, decision.status === 'active' ? 'validated' : 'rejected', mandateId, {
      ...noticeFacts(m, contracts, at),
      ...(decision.status === 'rejected' ? { reason: decision.reason } : {}),
    });
    await audit(trx, clock, {
      actor_type: 'staff',
      actor_id: staffId,
      action: decision.status === 'active' ? 'mandate.validate' : 'mandate.reject',
      outcome: 'success',
      target_type: 'mandate',
      target_id: m.rum,
      details: { customer_id: m.customer_id, contracts: contracts.map((k) => k.number), ...(decision.status === 'rejected' ? { reason: decision.reason } : {}) },
    });
  });
}

/**
 * Customer service validates a signed mandate: it becomes active, the contracts it covers are
 * paid by direct debit, the customer is told by e-mail, the decision audited. Throws an
 * AppError 404 for an unknown mandate, 409 for one not waiting for validation.
 */
export async function validateMandate(db: Db, clock: Clock, config: Config, mandateId: string, staffId: string): Promise<void> {
  await decide(db, clock, config, mandateId, staffId, { status: 'active' });
}

/**
 * Customer service rejects a signed mandate with a reason (shown to the customer, 1–500
 * characters): the customer is told by e-mail, the decision audited. Throws an AppError 400
 * without a reason, 404 for an unknown mandate, 409 for one not waiting for validation.
 */
export async function rejectMandate(db: Db, clock: Clock, config: Config, mandateId: string, staffId: string, reason: string): Promise<void> {
  const clean = reason.replace(/\s+/g, ' ').trim();
  if (clean === '' || clean.length > 500) throw new AppError('mandate_rejection_reason');
  await decide(db, clock, config, mandateId, staffId, { status: 'rejected', reason: clean });
}
