import type { Clock } from '../../lib/clock.ts';
import type { DemoSet, Row } from './demo.plans.ts';

/*
 * The demo's user of a business account (issue 14): CLT013263's accounts department has an
 * accountant, who logs in with her e-mail address and the active demo customers' password
 * (`DEMO_ACTIVE_PASSWORD`, its hash shared), printed in the `npm start` banner.
 */

/** The business account whose accountant she is. */
export const DEMO_BUSINESS_NUMBER = 'CLT013263';
export const DEMO_ACCOUNTANT = { email: 'sophie.marchand@comptabilite-demo.example', name: 'Sophie Marchand' } as const;

/** Her row: active since a month, invited the day before. */
export function demoUserRows(set: DemoSet, clock: Clock, passwordHash: string): Row<'customer_users'>[] {
  const account = set.customers.find((c) => c.row.number === DEMO_BUSINESS_NUMBER);
  if (!account) throw new Error(`The demo has no ${DEMO_BUSINESS_NUMBER}`);
  const now = clock.now().getTime();
  const day = 24 * 3600 * 1000;
  return [
    {
      id: set.ids.uuid(),
      customer_id: account.row.id,
      email: DEMO_ACCOUNTANT.email,
      name: DEMO_ACCOUNTANT.name,
      role: 'accountant',
      state: 'active',
      password_hash: passwordHash,
      token_hash: null,
      token_expires_at: null,
      invited_at: new Date(now - 31 * day).toISOString(),
      activated_at: new Date(now - 30 * day).toISOString(),
      last_login_at: null,
      removed_at: null,
    },
  ];
}
