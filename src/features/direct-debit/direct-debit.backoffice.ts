import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/dialect.ts';
import { type StaffActor, audit } from '../../lib/audit.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import type { ContentStore } from '../../lib/content-store.ts';
import { AppError } from '../../lib/errors.ts';
import { lockCustomer } from '../customers/customers.service.ts';
import { mandateContracts, mandateCustomer, mandateInForce } from './direct-debit.queries.ts';
import { type ValidPaperMandate, ibanLast4, newRum, rejectionReason } from './direct-debit.rules.ts';
import { openIban, readMandatePdf } from './direct-debit.secrets.ts';
import { insertMandate, mandateEventColumns, noticeFacts, ownCurrentContracts, queueMandateNotice, recordMandateEvent, updatedRows } from './direct-debit.service.ts';

/*
 * Customer service's steps on mandates, for the back office (`direct-debit.backoffice.routes.tsx`):
 * validate a mandate the customer signed online (it becomes active and its contracts are paid
 * by direct debit) or reject it with a reason; record a paper mandate received by post; open
 * the signed PDF; show an admin the full IBAN. Each is audited under the staff member, with
 * where the request came from; what changes something the customer must know tells them by
 * e-mail, in the same transaction.
 */

/** A staff decision on a signed mandate: it must be waiting for one. */
async function decide(
  db: Db,
  clock: Clock,
  config: Config,
  mandateId: string,
  by: StaffActor,
  decision: { status: 'active' } | { status: 'rejected'; reason: string },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const m = await trx.selectFrom('sepa_mandates').select([...mandateEventColumns, 'status', 'replaces_mandate_id']).where('id', '=', mandateId).executeTakeFirst();
    if (!m) throw new AppError('mandate_not_found');
    const at = nowIso(clock);
    const changed = await trx
      .updateTable('sepa_mandates')
      .set({
        status: decision.status,
        rejection_reason: decision.status === 'rejected' ? decision.reason : null,
        decided_by: by.staffId,
        decided_at: at,
        updated_at: at,
      })
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
      actor_id: by.staffId,
      action: decision.status === 'active' ? 'mandate.validate' : 'mandate.reject',
      outcome: 'success',
      target_type: 'mandate',
      target_id: m.rum,
      ...by.meta,
      details: { customer_id: m.customer_id, contracts: contracts.map((k) => k.number), ...(decision.status === 'rejected' ? { reason: decision.reason } : {}) },
    });
    await recordMandateEvent(trx, clock, decision.status === 'active' ? 'mandate.validated' : 'mandate.rejected', m, contracts, {
      status: decision.status,
      origin: 'staff',
      ...(decision.status === 'rejected' ? { rejectionReason: decision.reason } : {}),
    });
    // A new bank account validated: the mandate it replaces ends (a rejected one leaves it in force).
    if (decision.status === 'active' && m.replaces_mandate_id) await revokeReplaced(trx, clock, config, m.replaces_mandate_id, { rum: m.rum, at }, by);
  });
}

/**
 * The mandate a new bank account's mandate replaces, revoked when customer service validates the
 * new one (`end_reason` `replaced`): its contracts stay paid by direct debit, under the new one;
 * the customer told, the ERP's feed too. Nothing when the customer revoked it meanwhile.
 */
async function revokeReplaced(trx: Db, clock: Clock, config: Config, oldId: string, by_: { rum: string; at: string }, by: StaffActor): Promise<void> {
  const old = await trx.selectFrom('sepa_mandates').select([...mandateEventColumns, 'status']).where('id', '=', oldId).executeTakeFirst();
  if (!old || old.status !== 'active') return;
  const done = await trx
    .updateTable('sepa_mandates')
    .set({ status: 'revoked', revoked_at: by_.at, end_reason: 'replaced', updated_at: by_.at })
    .where('id', '=', oldId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (updatedRows(done) === 0) return;
  const contracts = await mandateContracts(trx, oldId);
  const customer = await mandateCustomer(trx, old.customer_id);
  await queueMandateNotice(trx, clock, config, customer, 'replaced', oldId, { ...noticeFacts(old, contracts, by_.at), replacedBy: by_.rum });
  await audit(trx, clock, {
    actor_type: 'staff',
    actor_id: by.staffId,
    action: 'mandate.replace',
    outcome: 'success',
    target_type: 'mandate',
    target_id: old.rum,
    ...by.meta,
    details: { customer_id: old.customer_id, replaced_by: by_.rum, contracts: contracts.map((k) => k.number) },
  });
  await recordMandateEvent(trx, clock, 'mandate.revoked', old, contracts, { status: 'revoked', origin: 'staff', previousStatus: 'active', endReason: 'replaced' });
}

/**
 * Customer service validates a signed mandate: it becomes active, the contracts it covers are
 * paid by direct debit, the customer is told by e-mail, the decision audited. Throws an
 * AppError 404 for an unknown mandate, 409 for one not waiting for validation.
 */
export async function validateMandate(db: Db, clock: Clock, config: Config, mandateId: string, by: StaffActor): Promise<void> {
  await decide(db, clock, config, mandateId, by, { status: 'active' });
}

/**
 * Customer service rejects a signed mandate with a reason (shown to the customer, 1–500
 * characters, `rejectionReason`): the customer is told by e-mail, with what to do, the decision
 * audited. Throws an AppError 400 without a reason, 404 for an unknown mandate, 409 for one
 * not waiting for validation.
 */
export async function rejectMandate(db: Db, clock: Clock, config: Config, mandateId: string, by: StaffActor, reason: string): Promise<void> {
  const checked = rejectionReason(reason);
  if (!checked.ok) throw new AppError('mandate_rejection_reason');
  await decide(db, clock, config, mandateId, by, { status: 'rejected', reason: checked.reason });
}

export type PaperRecordResult =
  | { ok: true; mandateId: string; rum: string }
  | { ok: false; reason: 'mandate_in_force'; inForce: { id: string; rum: string } }
  | { ok: false; reason: 'rum_taken' };

/**
 * Records a paper mandate received by post, checked against its signed original by the agent:
 * it is active at once (`source` paper, decided by that agent), its IBAN encrypted as an
 * online one's, its contracts paid by direct debit; the customer is told by e-mail as for a
 * validated mandate; audited. Its RUM is the one printed on the form, or one generated as
 * online mandates get theirs (`newRum`), unique. Refused while the customer has a mandate in
 * force (to validate or active), or when the printed RUM is already recorded.
 */
export async function recordPaperMandate(
  db: Db,
  clock: Clock,
  config: Config,
  customerId: string,
  m: ValidPaperMandate,
  by: StaffActor,
): Promise<PaperRecordResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(db, async (trx): Promise<PaperRecordResult> => {
        await lockCustomer(trx, customerId);
        const inForce = await mandateInForce(trx, customerId);
        if (inForce) return { ok: false, reason: 'mandate_in_force', inForce };
        const customer = await mandateCustomer(trx, customerId);
        if (m.rum && (await trx.selectFrom('sepa_mandates').select('id').where('rum', '=', m.rum).executeTakeFirst())) return { ok: false, reason: 'rum_taken' };
        const contracts = await ownCurrentContracts(trx, customerId, m.contractIds);
        const now = nowIso(clock);
        const id = newId();
        const rum = m.rum ?? newRum(customer.number, clock.now());
        await insertMandate(
          trx,
          config,
          { id, customerId, rum, mandate: m, contracts, now },
          // The day written on the form: no time of day is known.
          { status: 'active', signed_at: `${m.signedOn}T00:00:00.000Z`, source: 'paper', decided_by: by.staffId, decided_at: now },
        );
        await trx.updateTable('contracts').set({ direct_debit: 1 }).where('id', 'in', contracts.map((k) => k.id)).execute();
        const covered = await mandateContracts(trx, id);
        await queueMandateNotice(trx, clock, config, customer, 'validated', id, noticeFacts({ rum, iban_country: m.ibanCountry, iban_last4: ibanLast4(m.iban) }, covered, now));
        await audit(trx, clock, {
          actor_type: 'staff',
          actor_id: by.staffId,
          action: 'mandate.paper_record',
          outcome: 'success',
          target_type: 'mandate',
          target_id: rum,
          ...by.meta,
          details: {
            customer_id: customerId,
            contracts: covered.map((k) => k.number),
            iban_country: m.ibanCountry,
            bic: m.bic !== null,
            signed_on: m.signedOn,
            rum_from: m.rum ? 'form' : 'generated',
          },
        });
        // Active at once: the ERP reads it as a validated mandate, `source: 'paper'`.
        const recorded = await trx.selectFrom('sepa_mandates').select(mandateEventColumns).where('id', '=', id).executeTakeFirstOrThrow();
        await recordMandateEvent(trx, clock, 'mandate.validated', recorded, covered, { status: 'active', origin: 'staff' });
        return { ok: true, mandateId: id, rum };
      });
    } catch (e) {
      // A RUM recorded meanwhile: the printed one is refused; a generated one is made again.
      if (isUniqueViolation(e) && m.rum) return { ok: false, reason: 'rum_taken' };
      if (isUniqueViolation(e) && attempt < 5) continue;
      throw e;
    }
  }
}

/**
 * The full IBAN of a mandate, for an admin (the route is admin-only): decrypted for this one
 * answer, each viewing audited (`mandate.iban_view`). Throws a 404 AppError for an unknown mandate.
 */
export async function revealIban(db: Db, clock: Clock, config: Config, mandateId: string, by: StaffActor): Promise<string> {
  const m = await db.selectFrom('sepa_mandates').select(['rum', 'customer_id', 'iban_encrypted']).where('id', '=', mandateId).executeTakeFirst();
  if (!m) throw new AppError('mandate_not_found');
  await audit(db, clock, {
    actor_type: 'staff',
    actor_id: by.staffId,
    action: 'mandate.iban_view',
    outcome: 'success',
    target_type: 'mandate',
    target_id: m.rum,
    ...by.meta,
    details: { customer_id: m.customer_id },
  });
  return openIban(config, m.iban_encrypted);
}

/**
 * The signed PDF of a mandate (it holds the full IBAN), for customer service: read, checked
 * against its digest, decrypted, and the download audited (`mandate.pdf_download`). Throws a
 * 404 AppError for an unknown mandate or one without a PDF (a paper mandate: the original is
 * on file).
 */
export async function signedMandatePdf(db: Db, clock: Clock, config: Config, storage: ContentStore, mandateId: string, by: StaffActor): Promise<{ rum: string; pdf: Buffer }> {
  const m = await db.selectFrom('sepa_mandates').select(['rum', 'customer_id', 'pdf_sha256']).where('id', '=', mandateId).executeTakeFirst();
  if (!m?.pdf_sha256) throw new AppError('mandate_not_found');
  const pdf = await readMandatePdf(storage, config, m.pdf_sha256);
  await audit(db, clock, {
    actor_type: 'staff',
    actor_id: by.staffId,
    action: 'mandate.pdf_download',
    outcome: 'success',
    target_type: 'mandate',
    target_id: m.rum,
    ...by.meta,
    details: { customer_id: m.customer_id },
  });
  return { rum: m.rum, pdf };
}
