import { HOUR } from '../lib/clock.ts';
import { purgeOutbox } from '../lib/mail/outbox.ts';
import type { Job } from './job.ts';

/** Deletes the e-mails sent or given up more than `OUTBOX_RETENTION_DAYS` ago. */
export const outboxPurge: Job = {
  name: 'outbox-purge',
  schedule: { every: HOUR },
  run: async ({ db, clock, config }) => ({ counts: { deleted: await purgeOutbox(db, clock, config) } }),
};
