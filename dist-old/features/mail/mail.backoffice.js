import { audit } from '../../lib/audit.js';
import { requeueMessage } from '../../lib/mail/outbox.js';
/*
 * Customer service's "retry" on the outbox (`/gestion/emails`): a failed message is sent again
 * while it still has its content (`requeueMessage`); every try is audited, done or refused.
 */
export async function retryMessage(db, clock, messageId, by) {
    const result = await requeueMessage(db, clock, messageId);
    if (result.outcome !== 'not_found') {
        await audit(db, clock, {
            actor_type: 'staff',
            actor_id: by.staffId,
            action: 'outbox.retry',
            outcome: result.outcome === 'requeued' ? 'success' : 'failure',
            target_type: 'outbox',
            target_id: messageId,
            ...by.meta,
            details: { template: result.message?.template, status: result.message?.status, ...(result.outcome === 'requeued' ? {} : { reason: result.outcome }) },
        });
    }
    return result;
}
//# sourceMappingURL=mail.backoffice.js.map