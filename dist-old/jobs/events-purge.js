import { HOUR } from '../lib/clock.js';
import { purgeEvents } from '../lib/events.js';
/** Deletes the events of the ERP's feeds older than `INTEGRATION_EVENTS_RETENTION_DAYS`. */
export const eventsPurge = {
    name: 'events-purge',
    schedule: { every: HOUR },
    run: async ({ db, clock, config }) => ({ counts: { deleted: await purgeEvents(db, clock, config) } }),
};
//# sourceMappingURL=events-purge.js.map