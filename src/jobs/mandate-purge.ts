import { purgeUnsignedMandates } from '../features/direct-debit/direct-debit.service.ts';
import { HOUR } from '../lib/clock.ts';
import type { Job } from './job.ts';

/** Deletes the mandates never signed, with their encrypted IBAN, past their delay. */
export const mandatePurge: Job = {
  name: 'mandate-purge',
  schedule: { every: HOUR },
  run: async ({ db, clock }) => ({ counts: { deleted: await purgeUnsignedMandates(db, clock) } }),
};
