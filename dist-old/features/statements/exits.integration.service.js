import { inTransaction } from '../../db/database.js';
import { forUpdate, retryOnUniqueViolation } from '../../db/dialect.js';
import { audit, integrationDetails, integrationEntry } from '../../lib/audit.js';
import { newId, nowIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { monthIndex, parisMonth } from './statements.rules.js';
const where = (field, code, key, params) => ({ field, in: 'path', code, key, ...(params ? { params } : {}) });
/** Creates or updates the exit count of the contract of this number for `month` (`YYYY-MM`); nothing when it is already so. */
export async function putExitCount(db, clock, contractNumber, month, input, actor) {
    const exits = input.exits?.map((e) => new Date(e).toISOString()).sort() ?? [];
    const attempt = () => inTransaction(db, async (trx) => {
        // Two PUTs of one contract at the same instant one after the other.
        const contract = await forUpdate(trx, trx.selectFrom('contracts').select(['id', 'customer_id', 'product', 'start_date', 'end_date']).where('number', '=', contractNumber)).executeTakeFirst();
        if (!contract)
            throw new AppError('api_not_found', { detail: `no contract ${contractNumber}` });
        if (contract.product !== 'resident_petit_rouleur')
            throw new AppError('validation_failed', { fields: [where('number', 'product', 'api.field.notPetitRouleur')], detail: 'not a petit-rouleur contract' });
        const fields = [];
        if (monthIndex(month) > monthIndex(parisMonth(clock.now())))
            fields.push(where('month', 'to_come', 'api.field.monthToCome'));
        else if (month < contract.start_date.slice(0, 7) || (contract.end_date !== null && month > contract.end_date.slice(0, 7)))
            fields.push(where('month', 'outside_contract', 'api.field.monthOutsideContract'));
        (input.exits ?? []).forEach((e, i) => {
            if (parisMonth(new Date(e)) !== month)
                fields.push({ field: `exits[${i}]`, code: 'month', key: 'api.field.exitOutsideMonth', params: { month } });
        });
        if (fields.length > 0)
            throw new AppError('validation_failed', { fields, detail: 'exit count outside its contract or month' });
        const before = await trx
            .selectFrom('exit_statements as s')
            .leftJoin('financial_documents as d', 'd.id', 's.document_id')
            .select(['s.id', 's.exit_count', 's.document_id', 'd.number as document_number'])
            .where('s.contract_id', '=', contract.id)
            .where('s.month', '=', month)
            .executeTakeFirst();
        const details = { ...integrationDetails(actor), contract: contractNumber, month };
        if (!before) {
            const id = newId();
            await trx.insertInto('exit_statements').values({ id, contract_id: contract.id, month, exit_count: input.exit_count, document_id: null, created_at: nowIso(clock) }).execute();
            if (exits.length > 0)
                await trx.insertInto('exits').values(exits.map((exited_at) => ({ id: newId(), statement_id: id, exited_at }))).execute();
            await audit(trx, clock, {
                ...integrationEntry(actor),
                action: 'exit_count.create',
                outcome: 'success',
                target_type: 'customer',
                target_id: contract.customer_id,
                details: { ...details, exit_count: input.exit_count, exits_detailed: exits.length > 0 },
            });
            return { outcome: 'created', statementId: id, fields: ['exit_count', ...(exits.length > 0 ? ['exits'] : [])] };
        }
        const held = (await trx.selectFrom('exits').select('exited_at').where('statement_id', '=', before.id).execute()).map((e) => e.exited_at).sort();
        const changed = [
            ...(before.exit_count !== input.exit_count ? ['exit_count'] : []),
            ...(held.length !== exits.length || held.some((e, i) => e !== exits[i]) ? ['exits'] : []),
        ];
        if (changed.length === 0)
            return { outcome: 'unchanged', statementId: before.id, fields: [] };
        if (changed.includes('exit_count') && before.document_id !== null) {
            throw new AppError('api_conflict', {
                fields: [{ field: 'exit_count', code: 'billed', key: 'api.field.monthBilled', params: { document: before.document_number ?? before.document_id } }],
                detail: `${contractNumber} ${month} is billed`,
            });
        }
        if (changed.includes('exit_count'))
            await trx.updateTable('exit_statements').set({ exit_count: input.exit_count }).where('id', '=', before.id).execute();
        if (changed.includes('exits')) {
            await trx.deleteFrom('exits').where('statement_id', '=', before.id).execute();
            if (exits.length > 0)
                await trx.insertInto('exits').values(exits.map((exited_at) => ({ id: newId(), statement_id: before.id, exited_at }))).execute();
        }
        await audit(trx, clock, {
            ...integrationEntry(actor),
            action: 'exit_count.update',
            outcome: 'success',
            target_type: 'customer',
            target_id: contract.customer_id,
            details: { ...details, fields: changed, exit_count: [before.exit_count, input.exit_count], exits_detailed: exits.length > 0 },
        });
        return { outcome: 'updated', statementId: before.id, fields: changed };
    });
    return retryOnUniqueViolation(db, attempt);
}
//# sourceMappingURL=exits.integration.service.js.map