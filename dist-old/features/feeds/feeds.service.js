import { audit, integrationDetails, integrationEntry } from '../../lib/audit.js';
import { openIban } from '../direct-debit/direct-debit.secrets.js';
import { sealedIbans } from './feeds.queries.js';
/**
 * The full IBANs of the mandates a page of the mandates feed tells about, for a client holding
 * `mandates:iban`: decrypted from the mandates for this one answer (the events hold only the
 * masked IBAN), and each mandate's IBAN given audited (`mandate.iban_view`, the action of the
 * back office's "show the IBAN", under the API client), with the events it was read for.
 */
export async function ibansForFeed(db, clock, config, actor, events) {
    const mandates = await sealedIbans(db, [...new Set(events.map((e) => e.mandateId))]);
    const ibans = new Map();
    for (const m of mandates) {
        await audit(db, clock, {
            ...integrationEntry(actor),
            action: 'mandate.iban_view',
            outcome: 'success',
            target_type: 'mandate',
            target_id: m.rum,
            details: { ...integrationDetails(actor), customer_id: m.customer_id, feed: 'mandates', events: events.filter((e) => e.mandateId === m.id).map((e) => e.eventId) },
        });
        ibans.set(m.id, openIban(config, m.iban_encrypted));
    }
    return ibans;
}
//# sourceMappingURL=feeds.service.js.map