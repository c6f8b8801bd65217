import { type FormErrors, addError } from '../../lib/forms.tsx';
import { emailAddress } from '../../lib/validation.ts';
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

// ---------------------------------------------------------------- the forms (Profil's request, the back office's)

/** The billing profile as held: VAT number, billing e-mail, each current contract's purchase order. */
export interface BillingProfile {
  vat_number: string | null;
  billing_email: string | null;
  purchaseOrders: { number: string; reference: string | null }[];
}

/** What a form typed: the fields, then each contract's reference by its number (`po_<number>`). */
export interface BillingValues {
  vat_number: string;
  billing_email: string;
  purchaseOrders: Record<string, string>;
  /** The customer's comment (Profil) or the staff member's reason (back office). */
  note: string;
}

export const NOTE_MAX = 500;
/** The name of a contract's reference field. */
export const purchaseOrderField = (contractNumber: string) => `po_${contractNumber}`;

/** A form's body read: its text fields kept as typed (cut to a sane length), the contracts' references by number. */
export function billingValues(body: unknown, contracts: readonly string[], noteField: 'comment' | 'reason'): BillingValues {
  const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const text = (k: string, max: number) => (typeof b[k] === 'string' ? (b[k] as string).slice(0, max) : '');
  return {
    vat_number: text('vat_number', 100),
    billing_email: text('billing_email', 300),
    purchaseOrders: Object.fromEntries(contracts.map((n) => [n, text(purchaseOrderField(n), PURCHASE_ORDER_MAX + 100)])),
    note: text(noteField, NOTE_MAX + 100),
  };
}

/** The form's values from what is held. */
export function valuesOf(p: BillingProfile): BillingValues {
  return { vat_number: p.vat_number ?? '', billing_email: p.billing_email ?? '', purchaseOrders: Object.fromEntries(p.purchaseOrders.map((o) => [o.number, o.reference ?? ''])), note: '' };
}

export type BillingErrors = FormErrors<string>;

/**
 * Checks a billing profile typed (Profil's request or the back office's form) against the
 * customer's SIREN: the VAT number (`vatNumberProblem`), the e-mail address, each reference's
 * length, the note's (`noteRequired`: the back office's reason). Returns the profile to hold.
 */
export function checkBillingProfile(
  v: BillingValues,
  siren: string | null,
  noteRequired: boolean,
): { ok: true; profile: BillingProfile; note: string } | { ok: false; errors: BillingErrors } {
  const errors: BillingErrors = {};
  const vat = v.vat_number.trim() ? normaliseVatNumber(v.vat_number) : null;
  const problem = vat ? vatNumberProblem(vat, siren) : null;
  if (problem) addError(errors, 'vat_number', `billing.error.vatNumber.${problem}`, problem === 'siren' ? { siren: siren ?? '' } : undefined);
  const email = v.billing_email.trim().toLowerCase() || null;
  if (email && !emailAddress.safeParse(email).success) addError(errors, 'billing_email', 'billing.error.email');
  const purchaseOrders = Object.entries(v.purchaseOrders).map(([number, typed]) => {
    const reference = normalisePurchaseOrder(typed);
    if (reference && reference.length > PURCHASE_ORDER_MAX) addError(errors, purchaseOrderField(number), 'billing.error.purchaseOrder', { max: PURCHASE_ORDER_MAX });
    return { number, reference };
  });
  const note = v.note.trim();
  if (noteRequired && !note) addError(errors, 'note', 'billing.bo.error.reason');
  else if (note.length > NOTE_MAX) addError(errors, 'note', 'billing.error.comment', { max: NOTE_MAX });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, profile: { vat_number: vat, billing_email: email, purchaseOrders }, note };
}

/** One value a change of profile changes: the customer's field or a contract's reference, from → to. */
export interface BillingChange {
  field: 'vat_number' | 'billing_email' | 'purchase_order_reference';
  /** For a contract's reference: the contract's number. */
  contract: string | null;
  from: string | null;
  to: string | null;
}

/** What going from one profile to the other changes (the contracts of `after` only). */
export function billingChanges(before: BillingProfile, after: BillingProfile): BillingChange[] {
  const changes: BillingChange[] = [];
  if (before.vat_number !== after.vat_number) changes.push({ field: 'vat_number', contract: null, from: before.vat_number, to: after.vat_number });
  if (before.billing_email !== after.billing_email) changes.push({ field: 'billing_email', contract: null, from: before.billing_email, to: after.billing_email });
  for (const o of after.purchaseOrders) {
    const held = before.purchaseOrders.find((b) => b.number === o.number)?.reference ?? null;
    if (held !== o.reference) changes.push({ field: 'purchase_order_reference', contract: o.number, from: held, to: o.reference });
  }
  return changes;
}
