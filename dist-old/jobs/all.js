import { documentNotices } from './document-notices.js';
import { eventsPurge } from './events-purge.js';
import { expiredPayments } from './expired-payments.js';
import { mailDelivery } from './mail-delivery.js';
import { mandatePurge } from './mandate-purge.js';
import { newsletterPurge } from './newsletter-purge.js';
import { outboxPurge } from './outbox-purge.js';
import { sandboxWebhooks } from './sandbox-webhooks.js';
/**
 * Every background job, in the order a round runs them. The mail goes last, so that what the
 * jobs before it queued (notices, receipts of a webhook) leaves in the same round.
 */
export const allJobs = [documentNotices, expiredPayments, newsletterPurge, mandatePurge, outboxPurge, eventsPurge, sandboxWebhooks, mailDelivery];
//# sourceMappingURL=all.js.map