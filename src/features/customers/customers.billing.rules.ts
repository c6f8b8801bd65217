import { frenchVatKey } from '../settings/settings.rules.ts';

/*
 * A business customer's billing profile (issue 14, migration 030): its intracommunity VAT
 * number and billing e-mail, and each contract's purchase-order reference — written by the ERP
 * (API, import) or by customer service applying the customer's request (Profil, "Facturation").
 * Pure rules, shared by all of them.
 */

/** The longest purchase-order reference kept (EN 16931 BT-13 has no limit; the page prints it). */
export const PURCHASE_ORDER_MAX = 50;

/** A VAT number as typed (`fr 40 303 265 045`) written the one way: upper case, no spaces, dots or dashes. */
export const normaliseVatNumber = (typed: string): string => typed.replace(/[\s.\-]/g, '').toUpperCase();

/**
 * What is wrong with an intracommunity VAT number, normalised: `format` (two letters then 2 to 13
 * letters or digits), `key` (a French one is `FR`, the 2-digit key of its SIREN, the SIREN), `siren`
 * (a French one names another company than the customer's SIREN); null: none.
 */
export function vatNumberProblem(vat: string, siren: string | null): 'format' | 'key' | 'siren' | null {
  if (!/^[A-Z]{2}[0-9A-Z]{2,13}$/.test(vat)) return 'format';
  if (!vat.startsWith('FR')) return null;
  const m = /^FR(\d{2})(\d{9})$/.exec(vat);
  if (!m) return 'format';
  if (m[1] !== frenchVatKey(m[2] as string)) return 'key';
  if (siren && m[2] !== siren) return 'siren';
  return null;
}

/** A purchase-order reference as typed, trimmed; empty: none. */
export const normalisePurchaseOrder = (typed: string): string | null => typed.trim().replace(/\s+/g, ' ') || null;
