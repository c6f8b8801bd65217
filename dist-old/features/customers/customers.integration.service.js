import { inTransaction } from '../../db/database.js';
import { retryOnUniqueViolation } from '../../db/dialect.js';
import { audit, integrationDetails, integrationEntry } from '../../lib/audit.js';
import { newId, nowIso } from '../../lib/clock.js';
import { applyEmailChange } from '../profile/emails.service.js';
import { lockCustomer, refreshSearchKeys, writeSearchKeys } from './customers.service.js';
/** The columns of `customers` the ERP writes (the e-mail addresses apart). */
function columnsOf(input) {
    return {
        kind: input.kind,
        civility: input.civility,
        last_name: input.last_name,
        first_name: input.first_name,
        company_name: input.company_name,
        siren: input.siren,
        address_line1: input.address.line1,
        address_line2: input.address.line2,
        postal_code: input.address.postal_code,
        city: input.address.city,
        country: input.address.country,
        phone: input.phones.landline,
        mobile_phone: input.phones.mobile,
        language: input.language,
        paper_required: input.paper_required ? 1 : 0,
    };
}
/** The columns whose value differs (the e-mail addresses as `email_primary` / `email_secondary`). */
function changedFields(before, next, emails) {
    const fields = Object.keys(next).filter((k) => before[k] !== next[k]);
    if (emails) {
        if (before.email_primary !== emails.primary)
            fields.push('email_primary');
        if ((before.email_secondary ?? null) !== emails.secondary)
            fields.push('email_secondary');
    }
    return fields;
}
/** Creates or updates the customer of this number from what the ERP says; nothing when it is already so. */
export async function putCustomer(db, clock, config, number, input, actor) {
    const attempt = () => inTransaction(db, async (trx) => {
        const found = await trx.selectFrom('customers').select('id').where('number', '=', number).executeTakeFirst();
        const next = columnsOf(input);
        const now = nowIso(clock);
        if (!found) {
            const row = {
                id: newId(),
                number,
                ...next,
                email_primary: input.emails?.primary ?? null,
                email_primary_verified_at: null,
                email_secondary: input.emails?.secondary ?? null,
                email_secondary_verified_at: null,
                paperless: 0,
                paperless_changed_at: null,
                created_at: now,
                updated_at: now,
            };
            await trx.insertInto('customers').values(row).execute();
            await writeSearchKeys(trx, row);
            const fields = Object.keys(next).concat(input.emails ? ['email_primary', 'email_secondary'] : []);
            await audit(trx, clock, {
                ...integrationEntry(actor),
                action: 'customer.create',
                outcome: 'success',
                target_type: 'customer',
                target_id: row.id,
                details: { ...integrationDetails(actor), number },
            });
            return { outcome: 'created', customerId: row.id, fields };
        }
        // Changes to one customer at the same instant (two PUTs, a PUT and the customer online) one after the other.
        await lockCustomer(trx, found.id);
        const before = await trx.selectFrom('customers').selectAll().where('id', '=', found.id).executeTakeFirstOrThrow();
        const fields = changedFields(before, next, input.emails);
        if (fields.length === 0)
            return { outcome: 'unchanged', customerId: before.id, fields };
        const columns = fields.filter((f) => f !== 'email_primary' && f !== 'email_secondary');
        let emails = null;
        if (columns.length > 0) {
            await trx.updateTable('customers').set({ ...next, updated_at: now }).where('id', '=', before.id).execute();
            await refreshSearchKeys(trx, before.id);
        }
        if (input.emails && columns.length < fields.length)
            emails = await applyEmailChange(trx, clock, config, before.id, input.emails, 'erp');
        await audit(trx, clock, {
            ...integrationEntry(actor),
            action: 'customer.update',
            outcome: 'success',
            target_type: 'customer',
            target_id: before.id,
            // Which fields, not their values: the record holds those.
            details: {
                ...integrationDetails(actor),
                number,
                fields,
                ...(emails ? { verifications_sent: emails.verificationsQueued, email_change_notices_sent: emails.noticesQueued } : {}),
            },
        });
        return { outcome: 'updated', customerId: before.id, fields };
    });
    return retryOnUniqueViolation(db, attempt);
}
//# sourceMappingURL=customers.integration.service.js.map