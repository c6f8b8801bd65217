import { translator } from '../../lib/i18n.ts';
import { type CreateContext, type CreatedRequest, createContactRequest } from '../contact/contact.service.ts';
import { type BillingChange, type BillingProfile, billingChanges } from './customers.billing.rules.ts';

/*
 * A business customer asks, from Profil, to change its billing profile: a contact request of
 * the category `billing` in customer service's inbox (the contact feature's queue, its
 * acknowledgement, staff notice and feed event), whose message lists each value asked, from →
 * to. Customer service applies it from the customer's page (`applyBillingProfile`).
 */

/** The lines a change of profile is told in, in this language. */
export function changeLines(lang: 'fr' | 'en', changes: BillingChange[]): string[] {
  const t = translator(lang);
  const none = t('billing.none');
  return changes.map((c) =>
    t('billing.request.line', {
      label: c.field === 'purchase_order_reference' ? t('billing.purchaseOrder.contract', { number: c.contract ?? '' }) : t(c.field === 'vat_number' ? 'billing.vatNumber' : 'billing.email'),
      from: c.from ?? none,
      to: c.to ?? none,
    }),
  );
}

/** Files the request; `unchanged` when the values asked are those held (nothing filed). */
export async function requestBillingChange(
  c: CreateContext,
  lang: 'fr' | 'en',
  before: BillingProfile,
  asked: BillingProfile,
  comment: string,
): Promise<{ unchanged: true } | { unchanged: false; request: CreatedRequest }> {
  const changes = billingChanges(before, asked);
  if (changes.length === 0) return { unchanged: true };
  const message = [translator(lang)('billing.request.message'), ...changeLines(lang, changes).map((l) => `- ${l}`), ...(comment ? ['', comment] : [])].join('\n');
  const request = await createContactRequest(c, { submissionId: null, category: 'billing', contractNumber: null, message, newPlate: null, effectiveDate: null, attachments: [] });
  return { unchanged: false, request };
}
