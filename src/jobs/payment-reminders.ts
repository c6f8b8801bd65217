import { sendPaymentReminders } from '../features/payments/payments.reminders.ts';
import { HOUR } from '../lib/clock.ts';
import type { Job } from './job.ts';

/** Reminds customers of their unpaid invoices past due, on the back office's schedule, each reminder once. */
export const paymentReminders: Job = {
  name: 'payment-reminders',
  schedule: { every: HOUR },
  run: async ({ db, clock, config }) => ({ counts: await sendPaymentReminders(db, clock, config) }),
};
