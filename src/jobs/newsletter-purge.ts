import { purgeNewsletterSubscriptions } from '../features/newsletter/newsletter.service.ts';
import { HOUR } from '../lib/clock.ts';
import type { Job } from './job.ts';

/** Deletes the newsletter sign-ups never confirmed, and unsubscriptions, past their delay. */
export const newsletterPurge: Job = {
  name: 'newsletter-purge',
  schedule: { every: HOUR },
  run: async ({ db, clock }) => ({ counts: { deleted: await purgeNewsletterSubscriptions(db, clock) } }),
};
