import { purgeUnsignedMandates } from '../features/direct-debit/direct-debit.service.js';
import { HOUR } from '../lib/clock.js';
/** Deletes the mandates never signed, with their encrypted IBAN, past their delay. */
export const mandatePurge = {
    name: 'mandate-purge',
    schedule: { every: HOUR },
    run: async ({ db, clock }) => ({ counts: { deleted: await purgeUnsignedMandates(db, clock) } }),
};
//# sourceMappingURL=mandate-purge.js.map