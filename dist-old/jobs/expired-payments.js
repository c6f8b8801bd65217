import { reconcileExpiredAttempts } from '../features/payments/payments.service.js';
/** Closes the payment attempts past their expiry, booking those the provider says were paid. */
export const expiredPayments = {
    name: 'expired-payments',
    schedule: 'every round',
    run: async ({ db, clock, config, payments }) => ({ counts: { reconciled: await reconcileExpiredAttempts(db, clock, config, payments) } }),
};
//# sourceMappingURL=expired-payments.js.map