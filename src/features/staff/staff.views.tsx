import { STAFF_PREFIX } from '../../areas/staff-area.ts';
import type { StaffRole } from '../../db/schema.ts';
import { ErrorSummary, Field, type FormErrors } from '../../lib/forms.tsx';
import type { MessageKey } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import { STAFF_MIN_LENGTH } from '../../lib/passwords.ts';
import { type EnrolmentValues, groupByFour } from './staff.rules.ts';

/* The staff's own pages: login, second factor, enrolment and its recovery codes. */

/** The page to go on to once logged in, carried by the login forms. */
const SuiteField = ({ suite }: { suite: string | undefined }) => (suite ? <input type="hidden" name="suite" value={suite} /> : null);

/** A form-level message: an error (`role="alert"`, with an id its fields point to) or a notice. */
function FormMessage({ ctx, error, errorParams, notice }: { ctx: PageContext; error?: MessageKey | undefined; errorParams?: Record<string, string | number> | undefined; notice?: MessageKey | undefined }) {
  return (
    <>
      {notice && (
        <StatusMessage>{ctx.t(notice)}</StatusMessage>
      )}
      {error && (
        <StatusMessage alert id="form-error">{ctx.t(error, errorParams)}</StatusMessage>
      )}
    </>
  );
}

export function StaffLoginView({
  ctx,
  email = '',
  error,
  errorParams,
  notice,
  suite,
}: {
  ctx: PageContext;
  email?: string;
  error?: MessageKey | undefined;
  errorParams?: Record<string, string | number>;
  notice?: MessageKey | undefined;
  suite?: string | undefined;
}) {
  const { t } = ctx;
  const formError = error ? 'form-error' : undefined;
  return (
    <section class="panel narrow">
      <h1>{t('staff.login.title')}</h1>
      <FormMessage ctx={ctx} error={error} errorParams={errorParams} notice={notice} />
      <p>{t('staff.login.intro', { operator: ctx.operator.name })}</p>
      <form method="post" action={`${STAFF_PREFIX}/connexion`} novalidate>
        <CsrfField ctx={ctx} />
        <SuiteField suite={suite} />
        <Field t={t} name="email" type="email" label={t('staff.login.email')} value={email} autocomplete="username" required formError={formError} />
        <Field t={t} name="password" type="password" label={t('staff.login.password')} autocomplete="current-password" required formError={formError} />
        <button type="submit" class="button">
          {t('staff.login.submit')}
        </button>
      </form>
    </section>
  );
}

export function SecondFactorView({
  ctx,
  error,
  errorParams,
  suite,
}: {
  ctx: PageContext;
  error?: MessageKey | undefined;
  errorParams?: Record<string, string | number>;
  suite?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('staff.verify.title')}</h1>
      <FormMessage ctx={ctx} error={error} errorParams={errorParams} />
      <p>{t('staff.verify.intro')}</p>
      <form method="post" action={`${STAFF_PREFIX}/verification`} novalidate>
        <CsrfField ctx={ctx} />
        <SuiteField suite={suite} />
        <Field
          t={t}
          name="code"
          label={t('staff.verify.code')}
          hint={t('staff.verify.code.hint')}
          autocomplete="one-time-code"
          required
          formError={error ? 'form-error' : undefined}
        />
        <button type="submit" class="button">
          {t('staff.verify.submit')}
        </button>
      </form>
      <p>
        <a href={`${STAFF_PREFIX}/connexion`}>{t('staff.verify.restart')}</a>
      </p>
    </section>
  );
}

/** What the enrolment page shows of the member and of the secret their app is to take. */
export interface EnrolmentPage {
  token: string;
  email: string;
  role: StaffRole;
  secret: string;
  /** The QR code of the `otpauth://` URI, as a data URI. */
  qrCode: string;
}

export function EnrolmentView({ ctx, page, values, errors = {} }: { ctx: PageContext; page: EnrolmentPage; values: EnrolmentValues; errors?: FormErrors }) {
  const { t } = ctx;
  const labels = {
    name: t('staff.enrol.name'),
    password: t('staff.enrol.password'),
    password_confirm: t('staff.enrol.confirm'),
    code: t('staff.enrol.code'),
  };
  return (
    <section class="panel narrow">
      <h1>{t('staff.enrol.title')}</h1>
      <ErrorSummary t={t} errors={errors} labels={labels} />
      <p>{t('staff.enrol.intro', { operator: ctx.operator.name, role: t(page.role === 'admin' ? 'staff.role.admin' : 'staff.role.agent') })}</p>
      <form method="post" action={`${STAFF_PREFIX}/inscription`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="token" value={page.token} />
        <p class="readonly-field">
          <span class="label">{t('format.label', { label: t('staff.enrol.email') })}</span> <strong>{page.email}</strong>
        </p>
        <Field t={t} name="name" label={labels.name} value={values.name} errors={errors.name} autocomplete="name" required />
        {/* Passwords are never sent back: typed again after an error. */}
        <Field
          t={t}
          name="password"
          type="password"
          label={labels.password}
          hint={t('staff.enrol.password.hint', { min: STAFF_MIN_LENGTH })}
          errors={errors.password}
          autocomplete="new-password"
          required
        />
        <Field t={t} name="password_confirm" type="password" label={labels.password_confirm} errors={errors.password_confirm} autocomplete="new-password" required />
        <fieldset class="consent">
          <legend>{t('staff.enrol.totp.legend')}</legend>
          <p>{t('staff.enrol.totp.scan')}</p>
          <p class="qr-code">
            <img src={page.qrCode} alt={t('staff.enrol.totp.qrAlt')} width={200} height={200} />
          </p>
          <p>{t('staff.enrol.totp.manual')}</p>
          <p class="totp-secret">
            <code>{groupByFour(page.secret)}</code>
          </p>
          <Field
            t={t}
            name="code"
            label={labels.code}
            hint={t('staff.enrol.code.hint')}
            value={values.code}
            errors={errors.code}
            inputmode="numeric"
            autocomplete="one-time-code"
            required
          />
        </fieldset>
        <button type="submit" class="button">
          {t('staff.enrol.submit')}
        </button>
      </form>
    </section>
  );
}

export function EnrolmentInvalidView({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('staff.enrol.invalid.title')}</h1>
      <p>{t('staff.enrol.invalid')}</p>
      <p>
        <a href={`${STAFF_PREFIX}/connexion`}>{t('staff.enrol.toLogin')}</a>
      </p>
    </section>
  );
}

/** The recovery codes, shown once, right after the enrolment. */
export function RecoveryCodesView({ ctx, codes }: { ctx: PageContext; codes: string[] }) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('staff.codes.title')}</h1>
      <StatusMessage>{t('staff.codes.intro', { count: codes.length })}</StatusMessage>
      <p>
        <strong>{t('staff.codes.keep')}</strong>
      </p>
      <h2>{t('staff.codes.list')}</h2>
      <ol class="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <p>
        <a class="button" href={STAFF_PREFIX}>
          {t('staff.codes.continue')}
        </a>
      </p>
    </section>
  );
}
