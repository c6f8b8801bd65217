import { AppError } from '../../lib/errors.ts';

/*
 * The payment provider interface. The portal never sees card data (PCI DSS SAQ A, security
 * bar P1): it creates a checkout session at the provider, redirects the customer's browser to
 * the provider's hosted page, and learns the outcome from the provider's signed webhook — the
 * source of truth — or, for sessions never confirmed, by asking the provider.
 */

export interface CheckoutRequest {
  attemptId: string;
  amountCents: number;
  /** Shown on the hosted page, e.g. "Règlement de 2 factures — CLT013261". */
  description: string;
  customerNumber: string;
  successUrl: string;
  cancelUrl: string;
  /** When the session must stop accepting payment. */
  expiresAt: Date;
}

export interface ProviderEvent {
  /** The provider's event id: unique, the key of idempotency. */
  id: string;
  outcome: 'succeeded' | 'failed' | 'cancelled' | 'ignored';
  /** The checkout session the event is about. */
  sessionId: string | null;
  /**
   * What the provider says was paid, in PAYMENT_CURRENCY's minor unit, and in which currency
   * (lower case, ISO 4217). Never booked as such: a success is booked for the attempt's amount,
   * and only when these equal it (`processProviderEvent`).
   */
  amountCents: number | null;
  currency: string | null;
  type: string;
}

export type SessionState = 'open' | 'paid' | 'failed' | 'cancelled' | 'expired';

export interface PaymentProvider {
  readonly name: string;
  createCheckout(req: CheckoutRequest): Promise<{ sessionId: string; redirectUrl: string }>;
  /** Where to send the browser back to an open session (a reload, a second click). */
  resumeUrl(sessionId: string): Promise<string>;
  /** Verifies the signature over the raw body and its timestamp; throws AppError `webhook_rejected` otherwise (W1). */
  parseWebhook(raw: Buffer, headers: Record<string, string | string[] | undefined>): Promise<ProviderEvent>;
  /** What became of a session, for attempts the webhook never confirmed. */
  retrieve(sessionId: string): Promise<SessionState>;
  /** Stops a session from taking payment (best effort: it may already be paid). */
  cancel(sessionId: string): Promise<void>;
}

/** The one currency the portal asks its providers for (lower case, as Stripe writes it); every attempt is in it. */
export const PAYMENT_CURRENCY = 'eur';

/** A webhook that is not from the provider, or too old: answered 400, nothing written (W1). */
export const webhookRejected = (detail: string) => new AppError('webhook_rejected', { detail });

/** Webhook timestamps older or newer than this are refused (replay window). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
