import { forUpdate, isUniqueViolation } from '../../db/dialect.js';
import { audit } from '../../lib/audit.js';
import { DAY, newId, nowIso } from '../../lib/clock.js';
import { AppError, isAppError } from '../../lib/errors.js';
import { recordEvent } from '../../lib/events.js';
import { enqueueMail } from '../../lib/mail/outbox.js';
import { sha256Hex } from '../../lib/content-store.js';
import { displayName, lockCustomer, verifiedAddresses } from '../customers/customers.service.js';
import { mandateNoticeMail, signingCodeMail } from './direct-debit.mails.js';
import { mandateParties, renderSignedMandatePdf } from './direct-debit.pdf.js';
import { latestCode, mandateContracts, mandateInForce, mandateCustomer, } from './direct-debit.queries.js';
import { CODE_MAX_TRIES, CODE_RESEND_MS, CODE_TTL_MS, CODES_PER_DAY, codeMatches, hashSigningCode, ibanLast4, isOnlineRumOf, maskIban, newRum, newSigningCode, signingAddress, } from './direct-debit.rules.js';
import { openIban, sealIban, storeMandatePdf } from './direct-debit.secrets.js';
import { operatorSettings } from '../settings/settings.queries.js';
/** How many rows an update changed: 0 when its guard (a status, a try count…) no longer held. */
export const updatedRows = (r) => Number(r.numUpdatedRows ?? 0);
/** What a notice says about a mandate and its contracts. */
export const noticeFacts = (m, contracts, at) => ({
    rum: m.rum,
    maskedIban: maskIban(m.iban_country, m.iban_last4),
    contracts: contracts.map((k) => k.number),
    at,
});
/** The columns `MandateEventRow` reads. */
export const mandateEventColumns = ['id', 'customer_id', 'rum', 'source', 'holder_name', 'holder_address', 'iban_country', 'iban_last4', 'bic', 'signed_at'];
/**
 * Tells the ERP's mandates feed what became of a mandate (`lib/events.ts`), in the transaction
 * of the change: the masked IBAN only (the feed decrypts the IBAN for a client allowed to read it).
 */
export async function recordMandateEvent(trx, clock, type, m, contracts, after) {
    await recordEvent(trx, clock, {
        type,
        customerId: m.customer_id,
        subjectId: m.id,
        origin: after.origin,
        payload: {
            rum: m.rum,
            status: after.status,
            source: m.source,
            holder_name: m.holder_name,
            holder_address: m.holder_address,
            iban_masked: maskIban(m.iban_country, m.iban_last4),
            bic: m.bic,
            signed_at: after.signedAt ?? m.signed_at,
            contracts: contracts.map((k) => k.number),
            rejection_reason: after.rejectionReason ?? null,
            previous_status: after.previousStatus ?? null,
        },
    });
}
/** Queues a notice about a mandate to each verified address of its customer. */
export async function queueMandateNotice(trx, clock, config, customer, kind, mandateId, f) {
    const content = mandateNoticeMail(config, customer, kind, f);
    for (const to of verifiedAddresses(customer)) {
        await enqueueMail(trx, clock, config, { to, lang: customer.language, content, dedupeKey: `mandate-${kind}:${mandateId}:${to}` });
    }
}
/** Writes a new one-time code for a mandate and queues it to `sentTo`; returns the code row's id. */
/** What a new mandate's form starts with about its holder: the customer's name and postal address (the street on one line). */
export function holderPrefill(customer) {
    return {
        holder: displayName(customer),
        street: [customer.address_line1, customer.address_line2].filter(Boolean).join(', '),
        postal_code: customer.postal_code,
        city: customer.city,
        country: customer.country,
    };
}
/** The customer's current (not ended) contracts among these ids, by number; an id that is not one of them is a bug of the form. */
export async function ownCurrentContracts(trx, customerId, contractIds) {
    const contracts = await trx
        .selectFrom('contracts')
        .select(['id', 'number'])
        .where('customer_id', '=', customerId)
        .where('status', '!=', 'ended')
        .where('id', 'in', contractIds)
        .orderBy('number')
        .execute();
    if (contracts.length !== contractIds.length)
        throw new AppError('mandate_contracts');
    return contracts;
}
/**
 * Writes a new mandate and the contracts it covers: the one insert of a mandate, online (awaiting
 * its signature) or on paper (recorded in force by a member of staff, who is `decided_by`).
 */
export async function insertMandate(trx, config, n, state) {
    const m = n.mandate;
    await trx
        .insertInto('sepa_mandates')
        .values({
        id: n.id,
        customer_id: n.customerId,
        rum: n.rum,
        holder_name: m.holderName,
        holder_address: m.holderAddress,
        iban_encrypted: sealIban(config, m.iban),
        iban_last4: ibanLast4(m.iban),
        iban_country: m.ibanCountry,
        bic: m.bic,
        signature_place: m.place,
        signature_evidence: null,
        pdf_sha256: null,
        rejection_reason: null,
        revoked_at: null,
        ...state,
        created_at: n.now,
        updated_at: n.now,
    })
        .execute();
    await trx
        .insertInto('sepa_mandate_contracts')
        .values(n.contracts.map((k) => ({ mandate_id: n.id, contract_id: k.id })))
        .execute();
}
async function issueCode(trx, clock, config, customer, mandate, sentTo) {
    const code = newSigningCode();
    const now = clock.now();
    const id = newId();
    await trx
        .insertInto('sepa_signing_codes')
        .values({
        id,
        mandate_id: mandate.id,
        code_hash: hashSigningCode(mandate.id, code),
        sent_to: sentTo,
        expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
        tries: 0,
        used_at: null,
        created_at: now.toISOString(),
    })
        .execute();
    await enqueueMail(trx, clock, config, {
        to: sentTo,
        lang: customer.language,
        dedupeKey: `mandate-code:${id}`,
        content: signingCodeMail(config, customer, mandate.rum, code),
    });
    return id;
}
/** Codes sent to this customer in the last 24 hours, every mandate together. */
async function codesToday(trx, clock, customerId) {
    const since = new Date(clock.now().getTime() - DAY).toISOString();
    const row = await trx
        .selectFrom('sepa_signing_codes as s')
        .innerJoin('sepa_mandates as m', 'm.id', 's.mandate_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('m.customer_id', '=', customerId)
        .where('s.created_at', '>', since)
        .executeTakeFirstOrThrow();
    return Number(row.n);
}
/**
 * Records the mandate as filled in (awaiting its signature), its contracts, and a one-time
 * code e-mailed to the customer's verified primary address, in one transaction. `shownRum` is
 * the RUM the form showed: kept when it is well formed and this customer's, else a new one.
 */
export async function createMandate(c, m, shownRum) {
    const { db, clock, config } = c;
    for (let attempt = 1;; attempt++) {
        try {
            return await db.transaction().execute(async (trx) => {
                const customer = await mandateCustomer(trx, c.customerId);
                const sentTo = signingAddress(customer);
                if (!sentTo)
                    return { ok: false, reason: 'no_verified_email' };
                if (await mandateInForce(trx, c.customerId))
                    return { ok: false, reason: 'already_has_mandate' };
                if ((await codesToday(trx, clock, c.customerId)) >= CODES_PER_DAY)
                    return { ok: false, reason: 'too_many_codes' };
                // Only the customer's current contracts (the form checked; checked again here, in the transaction).
                const contracts = await ownCurrentContracts(trx, c.customerId, m.contractIds);
                const now = nowIso(clock);
                const id = newId();
                const rum = attempt === 1 && isOnlineRumOf(shownRum, customer.number) ? shownRum : newRum(customer.number, clock.now());
                await insertMandate(trx, config, { id, customerId: c.customerId, rum, mandate: m, contracts, now }, { status: 'awaiting_signature', signed_at: null, source: 'online' });
                await issueCode(trx, clock, config, customer, { id, rum }, sentTo);
                await audit(trx, clock, {
                    actor_type: 'customer',
                    actor_id: c.customerId,
                    action: 'mandate.create',
                    outcome: 'success',
                    target_type: 'mandate',
                    target_id: rum,
                    ...c.meta,
                    details: { iban_country: m.ibanCountry, bic: m.bic !== null, contracts: contracts.map((k) => k.number), code_sent: true },
                });
                return { ok: true, mandateId: id, rum, sentTo };
            });
        }
        catch (e) {
            // The RUM shown was taken meanwhile (or, rarely, a random one collided): take a new one.
            if (isUniqueViolation(e) && attempt < 5)
                continue;
            throw e;
        }
    }
}
/** A new code for a mandate awaiting its signature, at most one a minute; the previous one stops working. */
export async function resendCode(c, mandateId) {
    const { db, clock, config } = c;
    return db.transaction().execute(async (trx) => {
        const mandate = await trx
            .selectFrom('sepa_mandates')
            .select(['id', 'rum', 'status'])
            .where('id', '=', mandateId)
            .where('customer_id', '=', c.customerId)
            .executeTakeFirst();
        if (!mandate)
            return { ok: false, reason: 'not_found' };
        // Taking the mandate's row first makes two clicks at once wait for each other (PostgreSQL).
        const locked = await trx
            .updateTable('sepa_mandates')
            .set({ updated_at: nowIso(clock) })
            .where('id', '=', mandateId)
            .where('status', '=', 'awaiting_signature')
            .executeTakeFirst();
        if (updatedRows(locked) === 0)
            return { ok: false, reason: 'not_awaiting' };
        const customer = await mandateCustomer(trx, c.customerId);
        const sentTo = signingAddress(customer);
        if (!sentTo)
            return { ok: false, reason: 'no_verified_email' };
        const last = await latestCode(trx, mandateId);
        const wait = last ? new Date(last.created_at).getTime() + CODE_RESEND_MS - clock.now().getTime() : 0;
        if (wait > 0)
            return { ok: false, reason: 'too_soon', seconds: Math.ceil(wait / 1000) };
        if ((await codesToday(trx, clock, c.customerId)) >= CODES_PER_DAY)
            return { ok: false, reason: 'too_many_codes' };
        await issueCode(trx, clock, config, customer, mandate, sentTo);
        await audit(trx, clock, {
            actor_type: 'customer',
            actor_id: c.customerId,
            action: 'mandate.code.resend',
            outcome: 'success',
            target_type: 'mandate',
            target_id: mandate.rum,
            ...c.meta,
        });
        return { ok: true, sentTo };
    });
}
/** What a signing transaction rolled back for, as the signing page tells it. */
const signingRefusals = {
    mandate_code_spent: 'dead',
    mandate_not_awaiting: 'not_awaiting',
    mandate_in_force: 'already_has_mandate',
};
/**
 * Signs a mandate with its one-time code: the try is counted and the code compared
 * (`tryCode`); the right code makes the signed PDF (`makeSignedPdf`), then records the
 * signature in one transaction (`recordSignature`). Every refusal is audited.
 */
export async function signMandate(c, mandateId, code) {
    const { db, clock } = c;
    const mandate = await db
        .selectFrom('sepa_mandates')
        .selectAll()
        .where('id', '=', mandateId)
        .where('customer_id', '=', c.customerId)
        .executeTakeFirst();
    if (!mandate)
        return { ok: false, reason: 'not_found' };
    if (mandate.status !== 'awaiting_signature')
        return { ok: false, reason: 'not_awaiting' };
    const auditFailure = (details) => audit(db, clock, {
        actor_type: 'customer',
        actor_id: c.customerId,
        action: 'mandate.sign',
        outcome: 'failure',
        target_type: 'mandate',
        target_id: mandate.rum,
        ...c.meta,
        details,
    });
    const row = await latestCode(db, mandateId);
    if (!row)
        return { ok: false, reason: 'no_code' };
    const now = clock.now();
    const refused = await tryCode(db, now, row, code);
    if (refused) {
        await auditFailure(refused.audit);
        return refused.result;
    }
    const signature = await makeSignedPdf(c, mandate, row, now.toISOString());
    try {
        await db.transaction().execute((trx) => recordSignature(trx, c, mandate, row, signature));
    }
    catch (e) {
        const reason = isAppError(e) ? signingRefusals[e.code] : undefined;
        if (!reason)
            throw e;
        await auditFailure({ reason });
        return { ok: false, reason };
    }
    return { ok: true, rum: mandate.rum };
}
/**
 * Counts a try on the code, then compares it: the count is an atomic `tries < 5` update, so
 * never more than 5 comparisons per code, even in parallel. Null for the right code; otherwise
 * the answer and what the audit records.
 */
async function tryCode(db, now, row, code) {
    const claimed = await db
        .updateTable('sepa_signing_codes')
        .set((eb) => ({ tries: eb('tries', '+', 1) }))
        .where('id', '=', row.id)
        .where('tries', '<', CODE_MAX_TRIES)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now.toISOString())
        .executeTakeFirst();
    if (updatedRows(claimed) === 0) {
        return { result: { ok: false, reason: 'dead' }, audit: { reason: row.used_at ? 'code_used' : row.tries >= CODE_MAX_TRIES ? 'code_exhausted' : 'code_expired' } };
    }
    if (codeMatches(row.mandate_id, code, row.code_hash))
        return null;
    const after = await db.selectFrom('sepa_signing_codes').select('tries').where('id', '=', row.id).executeTakeFirstOrThrow();
    const remaining = Math.max(0, CODE_MAX_TRIES - after.tries);
    return {
        result: remaining === 0 ? { ok: false, reason: 'last_try' } : { ok: false, reason: 'wrong', remaining },
        audit: { reason: 'wrong_code', remaining },
    };
}
/**
 * The signed mandate's PDF, made with the full IBAN in the language of the page signed on and
 * stored encrypted, and the evidence of the signature. Outside the transaction: a stored file
 * without its row is harmless.
 */
async function makeSignedPdf(c, mandate, row, at) {
    const { db, config } = c;
    const customer = await mandateCustomer(db, c.customerId);
    const contracts = await mandateContracts(db, mandate.id);
    const lang = c.lang ?? customer.language;
    const pdf = await renderSignedMandatePdf({
        lang,
        ...mandateParties(await operatorSettings(db, config)),
        customerNumber: customer.number,
        rum: mandate.rum,
        holderName: mandate.holder_name,
        holderAddress: mandate.holder_address.split('\n'),
        iban: openIban(config, mandate.iban_encrypted),
        bic: mandate.bic,
        contracts: contracts.map((k) => ({ number: k.number, carPark: k.car_park_name })),
        place: mandate.signature_place ?? '',
        signedAt: at,
        evidence: { sentTo: row.sent_to, sentAt: row.created_at, confirmedAt: at, ip: c.meta.ip },
    });
    const pdfSha256 = await storeMandatePdf(c.storage, config, pdf);
    const evidence = {
        method: 'one-time code by e-mail',
        code_id: row.id,
        code_sent_to: row.sent_to,
        code_sent_at: row.created_at,
        code_hash: row.code_hash,
        tries: row.tries + 1,
        confirmed_at: at,
        ip: c.meta.ip,
        user_agent: c.meta.user_agent?.slice(0, 300) ?? null,
        language: lang,
        /** SHA-256 of the PDF as signed (before its encryption at rest). */
        document_sha256: sha256Hex(pdf),
    };
    return { at, customer, contracts, pdfSha256, evidence };
}
/**
 * In one transaction: the code is spent, the mandate becomes `to_validate` with its date,
 * place and evidence, the confirmation is queued and the signature audited. Throws (rolling
 * it back) when a concurrent request spent the code, signed the mandate or another one first.
 */
async function recordSignature(trx, c, mandate, row, s) {
    const { clock, config } = c;
    // One mandate in force per customer: the customer's row serialises two signatures at once (PostgreSQL).
    await lockCustomer(trx, c.customerId);
    const spent = await trx.updateTable('sepa_signing_codes').set({ used_at: s.at }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    if (updatedRows(spent) === 0)
        throw new AppError('mandate_code_spent');
    const signed = await trx
        .updateTable('sepa_mandates')
        .set({
        status: 'to_validate',
        signed_at: s.at,
        signature_evidence: JSON.stringify(s.evidence),
        pdf_sha256: s.pdfSha256,
        updated_at: s.at,
    })
        .where('id', '=', mandate.id)
        .where('customer_id', '=', c.customerId)
        .where('status', '=', 'awaiting_signature')
        .executeTakeFirst();
    if (updatedRows(signed) === 0)
        throw new AppError('mandate_not_awaiting');
    if (await mandateInForce(trx, c.customerId, mandate.id))
        throw new AppError('mandate_in_force');
    await queueMandateNotice(trx, clock, config, s.customer, 'signed', mandate.id, noticeFacts(mandate, s.contracts, s.at));
    await audit(trx, clock, {
        actor_type: 'customer',
        actor_id: c.customerId,
        action: 'mandate.sign',
        outcome: 'success',
        target_type: 'mandate',
        target_id: mandate.rum,
        ...c.meta,
        details: { contracts: s.contracts.map((k) => k.number), code_sent_to: row.sent_to, pdf_sha256: s.pdfSha256 },
    });
    await recordMandateEvent(trx, clock, 'mandate.signed', mandate, s.contracts, { status: 'to_validate', origin: 'customer', signedAt: s.at });
}
/** The customer revokes their mandate (signed, to validate or active): no more debits under it. */
export async function revokeMandate(c, mandateId) {
    const { db, clock, config } = c;
    return db.transaction().execute(async (trx) => {
        const m = await trx
            .selectFrom('sepa_mandates')
            .select([...mandateEventColumns, 'status'])
            .where('id', '=', mandateId)
            .where('customer_id', '=', c.customerId)
            .executeTakeFirst();
        if (!m)
            return { ok: false, reason: 'not_found' };
        const previousStatus = m.status;
        if (previousStatus !== 'to_validate' && previousStatus !== 'active')
            return { ok: false, reason: 'not_revocable' };
        const at = nowIso(clock);
        const done = await trx
            .updateTable('sepa_mandates')
            .set({ status: 'revoked', revoked_at: at, updated_at: at })
            .where('id', '=', mandateId)
            .where('status', '=', m.status)
            .executeTakeFirst();
        if (updatedRows(done) === 0)
            return { ok: false, reason: 'not_revocable' };
        const contracts = await mandateContracts(trx, mandateId);
        if (m.status === 'active' && contracts.length > 0) {
            await trx.updateTable('contracts').set({ direct_debit: 0 }).where('id', 'in', contracts.map((k) => k.id)).execute();
        }
        const customer = await mandateCustomer(trx, c.customerId);
        await queueMandateNotice(trx, clock, config, customer, 'revoked', mandateId, noticeFacts(m, contracts, at));
        await audit(trx, clock, {
            actor_type: 'customer',
            actor_id: c.customerId,
            action: 'mandate.revoke',
            outcome: 'success',
            target_type: 'mandate',
            target_id: m.rum,
            ...c.meta,
            details: { previous_status: m.status, contracts: contracts.map((k) => k.number) },
        });
        await recordMandateEvent(trx, clock, 'mandate.revoked', m, contracts, { status: 'revoked', origin: 'customer', previousStatus });
        return { ok: true, rum: m.rum };
    });
}
// ---------------------------------------------------------------- housekeeping
/**
 * A mandate filled in but never signed keeps an encrypted IBAN for nothing: after `days` it is
 * deleted with its codes and contract links (data minimisation). For a periodic job; returns
 * how many were deleted, which is what the audit line says (none when nothing was). Several
 * workers may run it at the same instant: the stale mandates are locked as they are read (in
 * the order of their ids, so two runs never hold each other's), and a second run waits for
 * the first, then finds them gone — on SQLite the transaction holds the whole database.
 */
export async function purgeUnsignedMandates(db, clock, days = 7) {
    const before = new Date(clock.now().getTime() - days * DAY).toISOString();
    return db.transaction().execute(async (trx) => {
        const stale = await forUpdate(trx, trx.selectFrom('sepa_mandates').select('id').where('status', '=', 'awaiting_signature').where('updated_at', '<', before).orderBy('id')).execute();
        if (stale.length === 0)
            return 0;
        const ids = stale.map((m) => m.id);
        await trx.deleteFrom('sepa_signing_codes').where('mandate_id', 'in', ids).execute();
        await trx.deleteFrom('sepa_mandate_contracts').where('mandate_id', 'in', ids).execute();
        const { numDeletedRows } = await trx.deleteFrom('sepa_mandates').where('id', 'in', ids).where('status', '=', 'awaiting_signature').executeTakeFirstOrThrow();
        const deleted = Number(numDeletedRows);
        if (deleted > 0)
            await audit(trx, clock, { actor_type: 'system', action: 'mandate.purge_unsigned', outcome: 'success', details: { count: deleted, older_than_days: days } });
        return deleted;
    });
}
//# sourceMappingURL=direct-debit.service.js.map