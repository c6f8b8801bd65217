import { OutboxWorker } from '../lib/mail/worker.js';
/**
 * Delivers one batch of the e-mail outbox (`lib/mail/worker.ts`), under the runner's id so
 * that its leases are the runner's; a full batch asks for another round at once.
 */
export const mailDelivery = {
    name: 'mail-delivery',
    schedule: 'every round',
    run: async ({ db, clock, config, mail, log, workerId, signal }) => {
        const outbox = new OutboxWorker(db, clock, config, mail, { id: workerId, signal, log });
        const r = await outbox.runOnce();
        return { counts: { sent: r.sent, failed: r.failed }, more: r.sent + r.failed >= outbox.batchSize };
    },
};
//# sourceMappingURL=mail-delivery.js.map