import { sendRenewalNotices } from '../features/renewals/renewals.service.ts';
import { HOUR } from '../lib/clock.ts';
import type { Job } from './job.ts';

/** Sends the loi Chatel renewal notices whose window has opened (or passed: late), once per contract and deadline. */
export const renewalNotices: Job = {
  name: 'renewal-notices',
  schedule: { every: HOUR },
  run: async ({ db, clock, config }) => {
    const { email, letter, late } = await sendRenewalNotices(db, clock, config);
    return { counts: { email, letter, late } };
  },
};
