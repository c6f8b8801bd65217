import { sandboxProvider } from './sandbox.provider.js';
import { stripeProvider } from './stripe.provider.js';
/** The provider chosen by configuration. */
export function providerFromConfig(db, clock, config) {
    switch (config.PAYMENT_PROVIDER) {
        case 'sandbox':
            return sandboxProvider(db, clock, config);
        case 'stripe':
            return stripeProvider(config);
    }
}
//# sourceMappingURL=payments.providers.js.map