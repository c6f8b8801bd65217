import { deliverSandboxWebhooks, httpSender } from '../features/payments/sandbox.provider.js';
/** The sandbox provider, like a real one, sends its webhooks over HTTP to the portal. */
export const sandboxWebhooks = {
    name: 'sandbox-webhooks',
    schedule: 'every round',
    enabled: (config) => config.PAYMENT_PROVIDER === 'sandbox',
    run: async ({ db, clock, config }) => ({ counts: { delivered: await deliverSandboxWebhooks(db, clock, config, httpSender(config)) } }),
};
//# sourceMappingURL=sandbox-webhooks.js.map