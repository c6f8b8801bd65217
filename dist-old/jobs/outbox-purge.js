import { HOUR } from '../lib/clock.js';
import { purgeOutbox } from '../lib/mail/outbox.js';
/** Deletes the e-mails sent or given up more than `OUTBOX_RETENTION_DAYS` ago. */
export const outboxPurge = {
    name: 'outbox-purge',
    schedule: { every: HOUR },
    run: async ({ db, clock, config }) => ({ counts: { deleted: await purgeOutbox(db, clock, config) } }),
};
//# sourceMappingURL=outbox-purge.js.map