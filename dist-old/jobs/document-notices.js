import { queueDocumentNotifications } from '../features/documents/documents.notify.js';
/** Queues one "new documents" e-mail per customer for what was published since the last one. */
export const documentNotices = {
    name: 'document-notices',
    schedule: 'every round',
    run: async ({ db, clock, config }) => ({ counts: { queued: await queueDocumentNotifications(db, clock, config) } }),
};
//# sourceMappingURL=document-notices.js.map