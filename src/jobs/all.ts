import { dataExports, dataExportsPurge } from './data-exports.ts';
import { debitNotices } from './debit-notices.ts';
import { documentNotices } from './document-notices.ts';
import { eventsPurge } from './events-purge.ts';
import { expiredPayments } from './expired-payments.ts';
import type { Job } from './job.ts';
import { mailDelivery } from './mail-delivery.ts';
import { mandatePurge } from './mandate-purge.ts';
import { newsletterPurge } from './newsletter-purge.ts';
import { outboxPurge } from './outbox-purge.ts';
import { renewalNotices } from './renewal-notices.ts';
import { paymentReminders } from './payment-reminders.ts';
import { sandboxWebhooks } from './sandbox-webhooks.ts';

/**
 * Every background job, in the order a round runs them. The mail goes last, so that what the
 * jobs before it queued (notices, receipts of a webhook) leaves in the same round.
 */
export const allJobs: readonly Job[] = [documentNotices, renewalNotices, debitNotices, paymentReminders, expiredPayments, newsletterPurge, mandatePurge, outboxPurge, eventsPurge, sandboxWebhooks, dataExports, dataExportsPurge, mailDelivery];
