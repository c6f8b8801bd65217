import { prepareDataExports, purgeExpiredExports } from '../features/mydata/mydata.service.ts';
import { HOUR } from '../lib/clock.ts';
import type { Job } from './job.ts';

/** Prepares the customers' data exports asked for ("Mes données"), each under a lease, and e-mails their link. */
export const dataExports: Job = {
  name: 'data-exports',
  schedule: 'every round',
  run: async ({ db, clock, config, workerId, signal }) => {
    const { prepared, more } = await prepareDataExports(db, clock, config, workerId, { signal });
    return { counts: { prepared }, more };
  },
};

/** Deletes the data exports' archives past their 7 days. */
export const dataExportsPurge: Job = {
  name: 'data-exports-purge',
  schedule: { every: HOUR },
  run: async ({ db, clock, config }) => ({ counts: { purged: await purgeExpiredExports(db, clock, config) } }),
};
