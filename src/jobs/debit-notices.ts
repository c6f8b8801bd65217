import { lapseUnusedMandates, sendPreNotifications } from '../features/direct-debit/direct-debit.notices.ts';
import { HOUR } from '../lib/clock.ts';
import type { Job } from './job.ts';

/** The SEPA pre-notification of each coming debit, once; the mandates unused for 36 months lapsed. */
export const debitNotices: Job = {
  name: 'debit-notices',
  schedule: { every: HOUR },
  run: async ({ db, clock, config }) => ({
    counts: { pre_notified: await sendPreNotifications(db, clock, config), lapsed: await lapseUnusedMandates(db, clock, config) },
  }),
};
