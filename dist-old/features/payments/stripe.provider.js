import { systemClock } from '../../lib/clock.js';
import { PAYMENT_CURRENCY, WEBHOOK_TOLERANCE_SECONDS, webhookRejected, } from './payments.provider.js';
/*
 * Stripe Checkout, through the official SDK. The customer's browser goes to Stripe's hosted
 * page (PCI DSS SAQ A: no card data ever reaches the portal, P1); Stripe tells us the outcome
 * by webhooks signed over the raw body (`Stripe-Signature: t=…,v1=…`), checked with the SDK
 * and a 300 s tolerance (W1). Stripe's timestamps are real time, so the checks use the real
 * clock, not the app's.
 */
export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';
/** Stripe accepts a Checkout Session expiry from 30 minutes to 24 hours after its creation. */
const MIN_EXPIRY_SECONDS = 31 * 60; // a minute of margin for the request's own latency
const MAX_EXPIRY_SECONDS = 24 * 60 * 60 - 60;
/**
 * Stripe checks times against its own clock, the real one: expiries and webhook timestamps
 * are measured on the system clock, whatever clock the portal runs on (tests move theirs).
 */
export function clampExpiry(expiresAt, nowMs = systemClock.now().getTime()) {
    const now = Math.floor(nowMs / 1000);
    const wanted = Math.floor(expiresAt.getTime() / 1000);
    return Math.min(Math.max(wanted, now + MIN_EXPIRY_SECONDS), now + MAX_EXPIRY_SECONDS);
}
// The SDK (some 20 MB and two hundred modules) is loaded when the first payment needs it, not at start.
async function stripeClient(secretKey, config) {
    const { default: StripeSdk } = await import('stripe');
    const api = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : null;
    return new StripeSdk(secretKey, {
        maxNetworkRetries: 2, // safe: every creation carries an idempotency key
        timeout: 20_000,
        telemetry: false,
        ...(api
            ? {
                host: api.hostname,
                protocol: api.protocol === 'http:' ? 'http' : 'https',
                port: api.port || (api.protocol === 'http:' ? 80 : 443),
            }
            : {}),
    });
}
/** What a Checkout Session says about the money, for attempts the webhook never confirmed. */
export function sessionState(s) {
    if (s.status === 'open')
        return 'open';
    if (s.status === 'expired')
        return 'expired';
    if (s.payment_status === 'paid')
        return 'paid';
    // Complete but unpaid: an asynchronous method (a bank debit) still processing, or failed.
    const pi = s.payment_intent;
    if (pi && typeof pi === 'object' && (pi.status === 'requires_payment_method' || pi.status === 'canceled'))
        return 'failed';
    return 'open';
}
function firstHeader(v) {
    return Array.isArray(v) ? v[0] : v;
}
/** The first line of the SDK's (long, multi-line) reason: enough for the audit log. */
const reason = (e) => (e instanceof Error ? (e.message.split('\n')[0] ?? '').trim().slice(0, 200) : 'invalid webhook') || 'invalid webhook';
export function stripeProvider(config) {
    const key = config.STRIPE_SECRET_KEY;
    if (!key)
        throw new Error('STRIPE_SECRET_KEY is required with PAYMENT_PROVIDER=stripe');
    let client;
    const sdk = () => (client ??= stripeClient(key, config));
    const secret = config.STRIPE_WEBHOOK_SECRET;
    const retrieve = async (id) => (await sdk()).checkout.sessions.retrieve(id, { expand: ['payment_intent'] });
    return {
        name: 'stripe',
        async createCheckout(req) {
            const session = await (await sdk()).checkout.sessions.create({
                mode: 'payment',
                line_items: [
                    {
                        price_data: { currency: PAYMENT_CURRENCY, unit_amount: req.amountCents, product_data: { name: req.description } },
                        quantity: 1,
                    },
                ],
                success_url: req.successUrl,
                cancel_url: req.cancelUrl,
                client_reference_id: req.attemptId,
                metadata: { attempt_id: req.attemptId, customer_number: req.customerNumber },
                payment_intent_data: { description: req.description, metadata: { attempt_id: req.attemptId, customer_number: req.customerNumber } },
                expires_at: clampExpiry(req.expiresAt),
                locale: 'auto',
                submit_type: 'pay',
            }, 
            // A retried creation (network error, SDK retry) returns the same session.
            { idempotencyKey: req.attemptId });
            if (!session.url)
                throw new Error(`Stripe returned no URL for checkout session ${session.id}`);
            return { sessionId: session.id, redirectUrl: session.url };
        },
        async resumeUrl(sessionId) {
            const session = await (await sdk()).checkout.sessions.retrieve(sessionId);
            if (session.status !== 'open' || !session.url)
                throw new Error(`Stripe checkout session ${sessionId} is no longer open`);
            return session.url;
        },
        async parseWebhook(raw, headers) {
            const header = firstHeader(headers[STRIPE_SIGNATURE_HEADER]);
            if (!secret)
                throw webhookRejected('no webhook secret configured');
            if (!header)
                throw webhookRejected('missing signature');
            const stripe = await sdk();
            let event;
            try {
                event = stripe.webhooks.constructEvent(raw, header, secret, WEBHOOK_TOLERANCE_SECONDS);
            }
            catch (e) {
                throw webhookRejected(reason(e));
            }
            // The SDK refuses old timestamps only; a timestamp from the future is refused as well.
            const t = Number(/(?:^|,)\s*t=(\d+)/.exec(header)?.[1]);
            if (!Number.isFinite(t) || t - systemClock.now().getTime() / 1000 > WEBHOOK_TOLERANCE_SECONDS)
                throw webhookRejected('timestamp outside tolerance');
            if (typeof event?.id !== 'string' || typeof event.type !== 'string')
                throw webhookRejected('not an event');
            const object = event.data?.object;
            const session = object && object.object === 'checkout.session' && typeof object.id === 'string' ? object : null;
            // What Stripe says was paid: checked against the attempt before anything is booked.
            const amount = typeof session?.amount_total === 'number' ? session.amount_total : null;
            const currency = typeof session?.currency === 'string' ? session.currency.toLowerCase() : null;
            let outcome = 'ignored';
            if (session) {
                switch (event.type) {
                    case 'checkout.session.completed':
                        // 'unpaid': an asynchronous method still processing; its own event will follow.
                        outcome = session.payment_status === 'paid' ? 'succeeded' : 'ignored';
                        break;
                    case 'checkout.session.async_payment_succeeded':
                        outcome = 'succeeded';
                        break;
                    case 'checkout.session.async_payment_failed':
                        outcome = 'failed';
                        break;
                    case 'checkout.session.expired':
                        outcome = 'cancelled';
                        break;
                }
            }
            return { id: event.id, outcome, sessionId: session?.id ?? null, amountCents: amount, currency, type: event.type };
        },
        async retrieve(sessionId) {
            return sessionState(await retrieve(sessionId));
        },
        async cancel(sessionId) {
            const stripe = await sdk();
            try {
                await stripe.checkout.sessions.expire(sessionId);
            }
            catch (e) {
                // Stripe refuses to expire a session that is already complete or expired: nothing to stop.
                if (e instanceof stripe.errors.StripeInvalidRequestError) {
                    const session = await stripe.checkout.sessions.retrieve(sessionId).catch(() => null);
                    if (session && session.status !== 'open')
                        return;
                }
                throw e;
            }
        },
    };
}
//# sourceMappingURL=stripe.provider.js.map