import type { ComponentChildren } from 'preact';
import type { Customer } from '../../db/schema.ts';
import { ErrorSummary, Field, type FormErrors } from '../../lib/forms.tsx';
import { formatDate, type MessageKey } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, PostButton, StatusMessage } from '../../lib/page.tsx';
import { EmailAddressFields, NewPasswordFields } from '../auth/auth.views.tsx';
import type { EmailSlot } from '../auth/verify.service.ts';
import type { BillingProfile } from '../customers/customers.billing.rules.ts';
import { BillingSection } from '../customers/customers.billing.views.tsx';
import type { ContractSummary } from './profile.queries.ts';
import type { ExportState } from '../mydata/mydata.rules.ts';
import { MyDataSection } from '../mydata/mydata.views.tsx';
import { customerMay } from '../../lib/nav.ts';

export function ProfileView({
  ctx,
  customer,
  contracts,
  notice,
  justActivated = false,
  billing,
  dataExport,
}: {
  ctx: PageContext;
  customer: Customer;
  contracts: ContractSummary[];
  notice: MessageKey | undefined;
  /** Just after the first connection: the addresses awaiting verification are said first. */
  justActivated?: boolean;
  /** A business customer's billing profile: its "Facturation" section. */
  billing?: BillingProfile | undefined;
  /** The state of the latest export of "Mes données" (`features/mydata`). */
  dataExport: ExportState;
}) {
  const { t, lang } = ctx;
  const none = <span class="muted">{t('profile.none')}</span>;
  const address = [
    customer.address_line1,
    customer.address_line2,
    `${customer.postal_code} ${customer.city}`,
    customer.country,
  ].filter(Boolean);
  const name = [customer.civility, customer.last_name, customer.first_name].filter(Boolean).join(' ');
  return (
    <>
      <h1>{t('profile.title')}</h1>
      {notice && (
        <StatusMessage>{t(notice)}</StatusMessage>
      )}
      {justActivated && <VerificationNotice ctx={ctx} customer={customer} />}
      <section class="panel" aria-labelledby="personal">
        <h2 id="personal">{t('profile.personal')}</h2>
        <dl class="facts">
          <dt>{t('profile.number')}</dt>
          <dd>{customer.number}</dd>
          {customer.kind === 'business' && customer.company_name && (
            <>
              <dt>{t('profile.company')}</dt>
              <dd>{customer.company_name}</dd>
            </>
          )}
          <dt>{t('profile.name')}</dt>
          <dd>{name}</dd>
          <dt>{t('profile.address')}</dt>
          <dd>
            {address.map((line, i) => (
              <span class="line" key={i}>
                {line}
              </span>
            ))}
          </dd>
          <dt>{t('profile.phone')}</dt>
          <dd>{customer.phone ?? none}</dd>
          <dt>{t('profile.mobile')}</dt>
          <dd>{customer.mobile_phone ?? none}</dd>
          <dt>{t('profile.paperless')}</dt>
          <dd>
            {customer.paperless === 1 && customer.paperless_changed_at
              ? t('profile.paperless.yes', { date: formatDate(customer.paperless_changed_at, lang) })
              : t('profile.paperless.no')}
          </dd>
          <dt>{t('profile.language')}</dt>
          <dd>{t(customer.language === 'fr' ? 'lang.name.fr' : 'lang.name.en')}</dd>
        </dl>
      </section>
      {billing && <BillingSection ctx={ctx} siren={customer.siren} profile={billing} />}
      <EmailsSection ctx={ctx} customer={customer} />
      {customer.kind === 'business' && customerMay(ctx.customer, 'owner') && (
        <section class="panel" aria-labelledby="utilisateurs">
          <h2 id="utilisateurs">{t('users.title')}</h2>
          <p>
            <a href="/profil/utilisateurs">{t('users.profileLink')}</a>
          </p>
        </section>
      )}
      <section class="panel" aria-labelledby="mot-de-passe">
        <h2 id="mot-de-passe" tabindex={-1}>
          {t('passwordChange.section')}
        </h2>
        <p>{t('passwordChange.sectionIntro')}</p>
        <p>
          <a href="/profil/mot-de-passe">{t('passwordChange.title')}</a>
        </p>
      </section>
      {customerMay(ctx.customer, 'manager') && (
        <section class="panel" aria-labelledby="documents-par-email">
          <h2 id="documents-par-email" tabindex={-1}>
            {t('profile.paperless.title')}
          </h2>
          {customer.paperless !== 1 && <p>{t('activate.paperless.benefits')}</p>}
          <form method="post" action="/profil/documents-par-email">
            <CsrfField ctx={ctx} />
            <input type="hidden" name="paperless" value={customer.paperless === 1 ? 'no' : 'yes'} />
            <button type="submit" class={customer.paperless === 1 ? 'link-button dark' : 'button'}>
              {t(customer.paperless === 1 ? 'profile.paperless.withdraw' : 'profile.paperless.give')}
            </button>
          </form>
        </section>
      )}
      <section class="panel" aria-labelledby="contracts">
        <h2 id="contracts">{t('profile.contracts')}</h2>
        {contracts.length === 0 ? (
          <p>{t('profile.contracts.none')}</p>
        ) : (
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('profile.contract.number')}</th>
                <th scope="col">{t('profile.contract.carPark')}</th>
                <th scope="col">{t('profile.contract.product')}</th>
                <th scope="col">{t('profile.contract.status')}</th>
                <th scope="col">{t('profile.contract.start')}</th>
              </tr>
            </thead>
            <tbody>
              {contracts.map((c) => (
                <tr key={c.id}>
                  <th scope="row" data-label={t('profile.contract.number')}>
                    <a href={`/contrats/${encodeURIComponent(c.number)}`}>{c.number}</a>
                  </th>
                  <td data-label={t('profile.contract.carPark')}>{c.car_park_name}</td>
                  <td data-label={t('profile.contract.product')}>{t(`product.${c.product}`)}</td>
                  <td data-label={t('profile.contract.status')}>{t(`status.${c.status}`)}</td>
                  <td data-label={t('profile.contract.start')}>{formatDate(c.start_date, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <MyDataSection ctx={ctx} state={dataExport} />
    </>
  );
}

/** The customer's two addresses, in the page's order, each with its state. */
function emailSlots(ctx: PageContext, customer: Customer) {
  const { t } = ctx;
  return [
    { slot: 'primary', label: t('profile.emailPrimary'), address: customer.email_primary, verified: Boolean(customer.email_primary_verified_at) },
    { slot: 'secondary', label: t('profile.emailSecondary'), address: customer.email_secondary, verified: Boolean(customer.email_secondary_verified_at) },
  ] as const;
}

/** The button that sends the verification link of one address again. */
function ResendVerificationForm({ ctx, slot, address, buttonClass }: { ctx: PageContext; slot: EmailSlot; address: string; buttonClass: string }) {
  return (
    <PostButton ctx={ctx} action="/profil/adresses-email/verification" class={buttonClass} fields={{ slot }}>
      {ctx.t('profileEmails.resend', { address })}
    </PostButton>
  );
}

/** "A verification link was sent to <address>", with the button that sends it again. */
export function PendingVerification({ ctx, slot, address }: { ctx: PageContext; slot: EmailSlot; address: string }) {
  return (
    <>
      <p>{ctx.t('profileEmails.sentTo', { address })}</p>
      <p>
        <ResendVerificationForm ctx={ctx} slot={slot} address={address} buttonClass="button" />
      </p>
    </>
  );
}

/** At the top of Profil after the first connection: each address still to verify, and why it matters. */
function VerificationNotice({ ctx, customer }: { ctx: PageContext; customer: Customer }) {
  const { t } = ctx;
  const pending = emailSlots(ctx, customer).filter((s) => s.address && !s.verified);
  if (pending.length === 0) return null;
  return (
    <section class="notice warning" aria-labelledby="adresse-a-verifier">
      <h2 id="adresse-a-verifier">{t('profileEmails.pendingTitle')}</h2>
      {pending.map((s) => (
        <PendingVerification key={s.slot} ctx={ctx} slot={s.slot} address={s.address as string} />
      ))}
      <p>{t('profileEmails.pendingWhy')}</p>
    </section>
  );
}

/** Each address with its state; a button sends the link again to one awaiting verification. */
function EmailsSection({ ctx, customer }: { ctx: PageContext; customer: Customer }) {
  const { t } = ctx;
  const slots = emailSlots(ctx, customer);
  const changes = customerMay(ctx.customer, 'manager');
  return (
    <section class="panel" aria-labelledby="adresses-email">
      <h2 id="adresses-email" tabindex={-1}>
        {t('profileEmails.title')}
      </h2>
      <p>{t('profileEmails.intro')}</p>
      <dl class="facts">
        {slots.flatMap((s) => [
          <dt key={`${s.slot}-dt`}>{s.label}</dt>,
          <dd key={`${s.slot}-dd`} id={`email-${s.slot}`}>
            {s.address ? (
              <>
                <span class="line">
                  {s.address} ({t(s.verified ? 'profileEmails.verified' : 'profileEmails.pending')})
                </span>
                {!s.verified && changes && <ResendVerificationForm ctx={ctx} slot={s.slot} address={s.address} buttonClass="link-button dark" />}
              </>
            ) : (
              <span class="muted">{t('profile.none')}</span>
            )}
          </dd>,
        ])}
      </dl>
      {changes && (
        <p>
          <a href="/profil/adresses-email">{t('profileEmails.change')}</a>
        </p>
      )}
    </section>
  );
}

export interface EmailChangeValues {
  email_primary: string;
  email_secondary: string;
}

/** A form error, with its parameters, shown above a form. */
export type FormMessage = { key: MessageKey; params?: Record<string, string | number> };

/**
 * The page of a change that asks for the current password again (A7): title, form-level
 * message, error summary, intro, the form with the current password before or after the
 * change's own fields, and the way back to Profil. What was typed is kept on error, never a
 * password.
 */
function ConfirmedChangePage(props: {
  ctx: PageContext;
  title: MessageKey;
  intro: MessageKey;
  action: string;
  submit: MessageKey;
  labels: { current_password: string } & Record<string, string>;
  errors: FormErrors;
  formError: FormMessage | undefined;
  currentPasswordFirst: boolean;
  children: ComponentChildren;
}) {
  const { ctx, errors } = props;
  const { t } = ctx;
  const current = (
    <Field
      t={t}
      name="current_password"
      type="password"
      label={props.labels.current_password}
      errors={errors.current_password}
      autocomplete="current-password"
      required
    />
  );
  return (
    <section class="panel narrow">
      <h1>{t(props.title)}</h1>
      {props.formError && (
        <StatusMessage alert>{t(props.formError.key, props.formError.params)}</StatusMessage>
      )}
      <ErrorSummary t={t} errors={errors} labels={props.labels} />
      <p>{t(props.intro)}</p>
      <form method="post" action={props.action} novalidate>
        <CsrfField ctx={ctx} />
        {props.currentPasswordFirst && current}
        {props.children}
        {!props.currentPasswordFirst && current}
        <button type="submit" class="button">
          {t(props.submit)}
        </button>
      </form>
      <p>
        <a href="/profil">{t('emailChange.cancel')}</a>
      </p>
    </section>
  );
}

/** The e-mail change form (A7): the addresses, then the current password. */
export function EmailChangeView({ ctx, values, errors = {}, formError }: { ctx: PageContext; values: EmailChangeValues; errors?: FormErrors; formError?: FormMessage }) {
  const { t } = ctx;
  const labels = {
    email_primary: t('activate.emailPrimary'),
    email_secondary: t('activate.emailSecondary'),
    current_password: t('emailChange.password'),
  };
  return (
    <ConfirmedChangePage
      ctx={ctx}
      title="emailChange.title"
      intro="emailChange.intro"
      action="/profil/adresses-email"
      submit="emailChange.submit"
      labels={labels}
      errors={errors}
      formError={formError}
      currentPasswordFirst={false}
    >
      <EmailAddressFields t={t} values={values} errors={errors} />
    </ConfirmedChangePage>
  );
}

export interface PasswordChangeValues {
  password: string;
  password_confirm: string;
}

/**
 * The password change form: the current password (never shown back), then the new one twice
 * with the same fields and policy hint as the first login and the reset.
 */
export function PasswordChangeView({ ctx, values, errors = {}, formError }: { ctx: PageContext; values: PasswordChangeValues; errors?: FormErrors; formError?: FormMessage }) {
  const { t } = ctx;
  const labels = {
    current_password: t('emailChange.password'),
    password: t('reset.form.password'),
    password_confirm: t('reset.form.confirm'),
  };
  return (
    <ConfirmedChangePage
      ctx={ctx}
      title="passwordChange.title"
      intro="passwordChange.intro"
      action="/profil/mot-de-passe"
      submit="reset.form.submit"
      labels={labels}
      errors={errors}
      formError={formError}
      currentPasswordFirst
    >
      <NewPasswordFields t={t} labels={labels} values={values} errors={errors} />
    </ConfirmedChangePage>
  );
}
