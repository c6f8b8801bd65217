import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { purgeUnsignedMandates } from './features/direct-debit/direct-debit.service.ts';
import { queueDocumentNotifications } from './features/documents/documents.notify.ts';
import { purgeNewsletterSubscriptions } from './features/newsletter/newsletter.service.ts';
import { providerFromConfig } from './features/payments/payments.index.ts';
import { reconcileExpiredAttempts } from './features/payments/payments.service.ts';
import { deliverSandboxWebhooks, httpSender } from './features/payments/sandbox.provider.ts';
import type { Clock } from './lib/clock.ts';
import { transportFromConfig } from './lib/mail/transport.ts';
import { OutboxWorker } from './lib/mail/worker.ts';

/**
 * The background worker as the product runs it (in the web process, or `portal worker`):
 * each round queues the grouped "new document" notices, closes payment attempts the
 * provider never confirmed, drops expired newsletter sign-ups and mandates never signed
 * (with their encrypted IBAN), lets the sandbox provider
 * send the webhooks it owes, then delivers the e-mail outbox.
 */
export function createWorker(
  db: Db,
  clock: Clock,
  config: Config,
  log?: (msg: string, data?: Record<string, unknown>) => void,
): OutboxWorker & { transportName: string } {
  const transport = transportFromConfig(config);
  const provider = providerFromConfig(db, clock, config);
  const jobs: Array<() => Promise<void>> = [
    async () => void (await queueDocumentNotifications(db, clock, config)),
    async () => void (await reconcileExpiredAttempts(db, clock, config, provider)),
    async () => void (await purgeNewsletterSubscriptions(db, clock)),
    async () => void (await purgeUnsignedMandates(db, clock)),
  ];
  if (config.PAYMENT_PROVIDER === 'sandbox') {
    jobs.push(async () => void (await deliverSandboxWebhooks(db, clock, config, httpSender(config))));
  }
  const worker = new OutboxWorker(db, clock, config, transport, { jobs, ...(log ? { log } : {}) });
  return Object.assign(worker, { transportName: transport.describe() });
}
