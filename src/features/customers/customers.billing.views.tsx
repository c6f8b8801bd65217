import { ErrorSummary, Field, TextAreaField } from '../../lib/forms.tsx';
import { CsrfField, type PageContext } from '../../lib/page.tsx';
import { customerPath } from './customers.actions.views.tsx';
import { type BillingErrors, type BillingProfile, type BillingValues, NOTE_MAX, PURCHASE_ORDER_MAX, purchaseOrderField } from './customers.billing.rules.ts';

/*
 * A business customer's billing profile: the "Facturation" section of Profil, the customer's
 * request to change it (`/profil/facturation`), and customer service's form that applies it
 * (`/gestion/clients/:number/facturation`). Both forms are the same fields.
 */

/** Profil's "Facturation" section (business customers): what the e-invoices say, and the way to ask for a change. */
export function BillingSection({ ctx, siren, profile }: { ctx: PageContext; siren: string | null; profile: BillingProfile }) {
  const { t } = ctx;
  const none = <span class="muted">{t('billing.none')}</span>;
  return (
    <section class="panel" aria-labelledby="facturation">
      <h2 id="facturation" tabindex={-1}>
        {t('billing.section')}
      </h2>
      <p>{t('billing.intro')}</p>
      <dl class="facts">
        <dt>{t('billing.siren')}</dt>
        <dd>{siren ?? none}</dd>
        <dt>{t('billing.vatNumber')}</dt>
        <dd>{profile.vat_number ?? none}</dd>
        <dt>{t('billing.email')}</dt>
        <dd>{profile.billing_email ?? <span class="muted">{t('billing.email.none')}</span>}</dd>
        {profile.purchaseOrders.flatMap((o) => [
          <dt key={`${o.number}-dt`}>{t('billing.purchaseOrder.contract', { number: o.number })}</dt>,
          <dd key={`${o.number}-dd`}>{o.reference ?? none}</dd>,
        ])}
      </dl>
      <p>
        <a href="/profil/facturation">{t('billing.change')}</a>
      </p>
    </section>
  );
}

/** The fields both forms share: VAT number, billing e-mail, each contract's reference. */
function ProfileFields({ ctx, values, errors }: { ctx: PageContext; values: BillingValues; errors: BillingErrors }) {
  const { t } = ctx;
  return (
    <>
      <Field t={t} name="vat_number" label={t('billing.vatNumber')} value={values.vat_number} errors={errors.vat_number} hint={t('billing.request.vatNumber.hint')} autocomplete="off" />
      <Field t={t} name="billing_email" label={t('billing.email')} type="email" value={values.billing_email} errors={errors.billing_email} hint={t('billing.request.email.hint')} autocomplete="email" />
      {Object.entries(values.purchaseOrders).map(([number, typed]) => (
        <Field
          key={number}
          t={t}
          name={purchaseOrderField(number)}
          label={t('billing.purchaseOrder.contract', { number })}
          value={typed}
          errors={errors[purchaseOrderField(number)]}
          hint={t('billing.request.purchaseOrder.hint', { max: PURCHASE_ORDER_MAX })}
          autocomplete="off"
        />
      ))}
    </>
  );
}

/** The labels of the error summary, in the form's order. */
function labelsOf(ctx: PageContext, values: BillingValues, note: string): Record<string, string> {
  const { t } = ctx;
  return {
    form: t('billing.request.title'),
    vat_number: t('billing.vatNumber'),
    billing_email: t('billing.email'),
    ...Object.fromEntries(Object.keys(values.purchaseOrders).map((n) => [purchaseOrderField(n), t('billing.purchaseOrder.contract', { number: n })])),
    note,
  };
}

/** The customer's request (`/profil/facturation`): the values wanted and a comment. */
export function BillingRequestView({ ctx, values, errors }: { ctx: PageContext; values: BillingValues; errors: BillingErrors }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('billing.request.title')}</h1>
      <p>{t('billing.request.intro')}</p>
      <form method="post" action="/profil/facturation" class="panel" novalidate>
        <ErrorSummary t={t} errors={errors} labels={labelsOf(ctx, values, t('billing.request.comment'))} anchors={{ form: 'vat_number', note: 'comment' }} />
        <CsrfField ctx={ctx} />
        <ProfileFields ctx={ctx} values={values} errors={errors} />
        <TextAreaField t={t} name="comment" label={t('billing.request.comment')} errors={errors.note} rows={3} value={values.note} hint={t('billing.error.comment', { max: NOTE_MAX })} />
        <button type="submit" class="button">
          {t('billing.request.submit')}
        </button>
      </form>
      <p>
        <a href="/profil#facturation">{t('billing.request.cancel')}</a>
      </p>
    </>
  );
}

/** Customer service's form (`/gestion/clients/:number/facturation`): the values to hold and the reason. */
export function BillingStaffView({ ctx, number, values, errors }: { ctx: PageContext; number: string; values: BillingValues; errors: BillingErrors }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('billing.bo.title', { number })}</h1>
      <p>
        <a href={customerPath(number)}>{t('customerActions.back')}</a>
      </p>
      <p>{t('billing.bo.intro')}</p>
      <form method="post" action={customerPath(number, '/facturation')} class="panel" novalidate>
        <ErrorSummary t={t} errors={errors} labels={labelsOf(ctx, values, t('billing.bo.reason'))} anchors={{ form: 'vat_number', note: 'reason' }} />
        <CsrfField ctx={ctx} />
        <ProfileFields ctx={ctx} values={values} errors={errors} />
        <TextAreaField t={t} name="reason" label={t('billing.bo.reason')} errors={errors.note} rows={3} required value={values.note} />
        <button type="submit" class="button">
          {t('billing.bo.submit')}
        </button>
      </form>
    </>
  );
}
