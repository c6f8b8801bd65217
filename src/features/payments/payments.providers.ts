import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { PaymentProvider } from './payments.provider.ts';
import { sandboxProvider } from './sandbox.provider.ts';
import { stripeProvider } from './stripe.provider.ts';

/** The provider chosen by configuration. */
export function providerFromConfig(db: Db, clock: Clock, config: Config): PaymentProvider {
  switch (config.PAYMENT_PROVIDER) {
    case 'sandbox':
      return sandboxProvider(db, clock, config);
    case 'stripe':
      return stripeProvider(config);
  }
}
