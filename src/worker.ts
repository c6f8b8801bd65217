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
/** Runs `job` at most once an hour: housekeeping need not run every round. */
function hourly(clock: Clock, job: () => Promise<void>): () => Promise<void> {
  let last = 0;
  return async () => {
    const now = clock.now().getTime();
    if (now - last < 60 * 60_000) return;
    last = now;
    await job();
  };
}

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
    hourly(clock, async () => {
      await purgeNewsletterSubscriptions(db, clock);
      await purgeUnsignedMandates(db, clock);
    }),
  ];
  if (config.PAYMENT_PROVIDER === 'sandbox') {
    jobs.push(async () => void (await deliverSandboxWebhooks(db, clock, config, httpSender(config))));
  }
  const worker = new OutboxWorker(db, clock, config, transport, { jobs, ...(log ? { log } : {}) });
  return Object.assign(worker, { transportName: transport.describe() });
}
