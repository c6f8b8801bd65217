import { AppError } from '../../lib/errors.js';
/** The one currency the portal asks its providers for (lower case, as Stripe writes it); every attempt is in it. */
export const PAYMENT_CURRENCY = 'eur';
/** A webhook that is not from the provider, or too old: answered 400, nothing written (W1). */
export const webhookRejected = (detail) => new AppError('webhook_rejected', { detail });
/** Webhook timestamps older or newer than this are refused (replay window). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
//# sourceMappingURL=payments.provider.js.map