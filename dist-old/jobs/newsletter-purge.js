import { purgeNewsletterSubscriptions } from '../features/newsletter/newsletter.service.js';
import { HOUR } from '../lib/clock.js';
/** Deletes the newsletter sign-ups never confirmed, and unsubscriptions, past their delay. */
export const newsletterPurge = {
    name: 'newsletter-purge',
    schedule: { every: HOUR },
    run: async ({ db, clock }) => ({ counts: { deleted: await purgeNewsletterSubscriptions(db, clock) } }),
};
//# sourceMappingURL=newsletter-purge.js.map