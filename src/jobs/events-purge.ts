import { HOUR } from '../lib/clock.ts';
import { purgeEvents } from '../lib/events.ts';
import type { Job } from './job.ts';

/** Deletes the events of the ERP's feeds older than `INTEGRATION_EVENTS_RETENTION_DAYS`. */
export const eventsPurge: Job = {
  name: 'events-purge',
  schedule: { every: HOUR },
  run: async ({ db, clock, config }) => ({ counts: { deleted: await purgeEvents(db, clock, config) } }),
};
