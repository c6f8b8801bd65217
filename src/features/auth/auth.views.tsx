import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import { ErrorSummary, Field, type FormErrors } from '../../lib/forms.tsx';
import type { MessageKey, Translate } from '../../lib/i18n.ts';
import type { ActivationValues } from './activation.service.ts';

/** The page a form leads on to once done (`suite`), when there is one. */
const SuiteField = ({ suite }: { suite: string | undefined }) => (suite ? <input type="hidden" name="suite" value={suite} /> : null);

export function LoginView({
  ctx,
  identifier = '',
  error,
  errorParams,
  notice,
  suite,
}: {
  ctx: PageContext;
  identifier?: string;
  error?: MessageKey;
  errorParams?: Record<string, string | number>;
  notice?: MessageKey;
  /** The page to go on to once logged in. */
  suite?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('login.title')}</h1>
      <h2>{t('login.heading')}</h2>
      {notice && (
        <StatusMessage>{t(notice)}</StatusMessage>
      )}
      {error && (
        <StatusMessage alert id="login-error">{t(error, errorParams)}</StatusMessage>
      )}
      <p>{t('login.intro')}</p>
      <form method="post" action="/connexion" novalidate>
        <CsrfField ctx={ctx} />
        <SuiteField suite={suite} />
        <CustomerNumberField t={t} value={identifier} formError={error ? 'login-error' : undefined} />
        <Field
          t={t}
          name="password"
          type="password"
          label={t('login.password')}
          autocomplete="current-password"
          required
          formError={error ? 'login-error' : undefined}
        />
        <button type="submit" class="button">
          {t('login.submit')}
        </button>
      </form>
      <p>
        <a href="/mot-de-passe-oublie">{t('login.forgot')}</a>
      </p>
    </section>
  );
}

export function ActivationView({
  ctx,
  number,
  values,
  errors = {},
  suite,
}: {
  ctx: PageContext;
  number: string;
  values: ActivationValues;
  errors?: FormErrors;
  /** The page to go on to once the account is active. */
  suite?: string | undefined;
}) {
  const { t } = ctx;
  const labels = {
    password: t('activate.password'),
    password_confirm: t('activate.confirm'),
    email_primary: t('activate.emailPrimary'),
    email_secondary: t('activate.emailSecondary'),
  };
  return (
    <section class="panel narrow">
      <h1>{t('activate.title')}</h1>
      <ErrorSummary t={t} errors={errors} labels={labels} />
      <p>{t('activate.intro')}</p>
      <form method="post" action="/premiere-connexion" novalidate>
        <CsrfField ctx={ctx} />
        <SuiteField suite={suite} />
        <p class="readonly-field">
          <span class="label">{t('format.label', { label: t('activate.identifier') })}</span> <strong>{number}</strong>
        </p>
        <NewPasswordFields t={t} labels={labels} values={values} errors={errors} />
        <EmailAddressFields t={t} values={values} errors={errors} />
        <fieldset class="consent">
          <legend>{t('activate.paperless.legend')}</legend>
          <div class="checkbox">
            <input
              type="checkbox"
              id="paperless"
              name="paperless"
              value="yes"
              checked={values.paperless}
              aria-describedby="paperless-benefits"
            />
            <label for="paperless">{t('activate.paperless')}</label>
          </div>
          <p class="hint" id="paperless-benefits">
            {t('activate.paperless.benefits')}
          </p>
        </fieldset>
        <button type="submit" class="button">
          {t('activate.submit')}
        </button>
      </form>
      <form method="post" action="/deconnexion">
        <CsrfField ctx={ctx} />
        <p>{t('activate.later')}</p>
        <button type="submit" class="link-button dark">
          {t('header.logout')}
        </button>
      </form>
    </section>
  );
}

/** The customer number typed to log in or to ask for a reset link, with where to find it. */
export function CustomerNumberField({ t, value, formError }: { t: Translate; value: string; formError?: string | undefined }) {
  return (
    <Field
      t={t}
      name="identifiant"
      label={t('login.identifier')}
      hint={t('login.identifier.hint')}
      value={value}
      autocomplete="username"
      required
      formError={formError}
    />
  );
}

/**
 * A new password and its confirmation, with the policy as a hint. A password the user got
 * right is kept when another field of the form is wrong; a wrong one is not echoed.
 */
export function NewPasswordFields({
  t,
  labels,
  values,
  errors,
}: {
  t: Translate;
  labels: { password: string; password_confirm: string };
  values: { password: string; password_confirm: string };
  errors: FormErrors;
}) {
  const keep = !errors.password && !errors.password_confirm;
  return (
    <>
      <Field
        t={t}
        name="password"
        type="password"
        label={labels.password}
        hint={t('activate.password.hint')}
        value={keep ? values.password : ''}
        errors={errors.password}
        autocomplete="new-password"
        required
      />
      <Field
        t={t}
        name="password_confirm"
        type="password"
        label={labels.password_confirm}
        value={keep ? values.password_confirm : ''}
        errors={errors.password_confirm}
        autocomplete="new-password"
        required
      />
    </>
  );
}

/** The customer's two e-mail addresses: the main one required, the other optional. */
export function EmailAddressFields({
  t,
  values,
  errors,
}: {
  t: Translate;
  values: { email_primary: string; email_secondary: string };
  errors: FormErrors;
}) {
  return (
    <>
      <Field
        t={t}
        name="email_primary"
        type="email"
        label={
          <>
            {t('activate.emailPrimary')} <span class="req">{t('activate.required')}</span>
          </>
        }
        value={values.email_primary}
        errors={errors.email_primary}
        autocomplete="email"
        required
      />
      <Field
        t={t}
        name="email_secondary"
        type="email"
        label={
          <>
            {t('activate.emailSecondary')} <span class="opt">{t('activate.optional')}</span>
          </>
        }
        value={values.email_secondary}
        errors={errors.email_secondary}
        autocomplete="off"
      />
    </>
  );
}
