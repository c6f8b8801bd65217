import { queueRenewalNotices } from '../features/terminations/terminations.service.ts';
import { HOUR } from '../lib/clock.ts';
import type { Job } from './job.ts';

/** Loi Chatel (L215-1): the notices of the right not to renew, sent in their window (`terminations.service.ts`). */
export const renewalNotices: Job = {
  name: 'renewal-notices',
  schedule: { every: HOUR },
  run: async ({ db, clock, config }) => {
    const { sent, more } = await queueRenewalNotices(db, clock, config);
    return { counts: { sent }, more };
  },
};
