import { ErrorSummary, type FormErrors } from '../../lib/forms.tsx';
import type { MessageKey } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import { CustomerNumberField, NewPasswordFields } from './auth.views.tsx';

export function ResetRequestView({
  ctx,
  identifier = '',
  error,
  errorParams,
}: {
  ctx: PageContext;
  identifier?: string;
  error?: MessageKey;
  errorParams?: Record<string, string | number>;
}) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('reset.request.title')}</h1>
      {error && (
        <StatusMessage alert>{t(error, errorParams)}</StatusMessage>
      )}
      <p>{t('reset.request.intro')}</p>
      <form method="post" action="/mot-de-passe-oublie" novalidate>
        <CsrfField ctx={ctx} />
        <CustomerNumberField t={t} value={identifier} />
        <button type="submit" class="button">
          {t('reset.request.submit')}
        </button>
      </form>
      <p>{t('reset.request.noEmail')}</p>
      <p>
        <a href="/connexion">{t('reset.backToLogin')}</a>
      </p>
    </section>
  );
}

/** The one answer to a reset request, whoever the number belongs to (A5): it must not depend on the request. */
export function ResetSentView({ ctx, phone, email }: { ctx: PageContext; phone: string; email: string }) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('reset.sent.title')}</h1>
      <StatusMessage>{t('reset.sent.body')}</StatusMessage>
      <p>{t('reset.sent.otherwise', { phone, email })}</p>
      <ul>
        <li>
          <a href="/connexion">{t('reset.backToLogin')}</a>
        </li>
        <li>
          <a href="/contact">{t('reset.contact')}</a>
        </li>
      </ul>
    </section>
  );
}

export interface ResetFormValues {
  password: string;
  password_confirm: string;
}

export function ResetFormView({
  ctx,
  token,
  number,
  values,
  errors = {},
}: {
  ctx: PageContext;
  token: string;
  number: string;
  values: ResetFormValues;
  errors?: FormErrors;
}) {
  const { t } = ctx;
  const labels = { password: t('reset.form.password'), password_confirm: t('reset.form.confirm') };
  return (
    <section class="panel narrow">
      <h1>{t('reset.form.title')}</h1>
      <ErrorSummary t={t} errors={errors} labels={labels} />
      <p>{t('reset.form.intro')}</p>
      <form method="post" action="/reinitialiser" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="token" value={token} />
        <p class="readonly-field">
          <span class="label">{t('format.label', { label: t('activate.identifier') })}</span> <strong>{number}</strong>
        </p>
        <NewPasswordFields t={t} labels={labels} values={values} errors={errors} />
        <button type="submit" class="button">
          {t('reset.form.submit')}
        </button>
      </form>
    </section>
  );
}

export function ResetInvalidView({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('reset.invalid.title')}</h1>
      <p>{t('reset.invalid.body')}</p>
      <p>
        <a class="button" href="/mot-de-passe-oublie">
          {t('reset.invalid.again')}
        </a>
      </p>
      <p>
        <a href="/connexion">{t('reset.backToLogin')}</a>
      </p>
    </section>
  );
}

export type VerifyOutcome = 'used' | 'expired' | 'unknown' | 'stale';

const outcomeKeys: Record<VerifyOutcome, [MessageKey, MessageKey]> = {
  used: ['verify.used.title', 'verify.used.body'],
  expired: ['verify.expired.title', 'verify.expired.body'],
  unknown: ['verify.unknown.title', 'verify.unknown.body'],
  stale: ['verify.stale.title', 'verify.stale.body'],
};

export const verifyOutcomeTitle = (o: VerifyOutcome): MessageKey => outcomeKeys[o][0];

export function VerifyConfirmView({ ctx, token, address }: { ctx: PageContext; token: string; address: string }) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('verify.title')}</h1>
      <p>{t('verify.confirm.intro', { address })}</p>
      <form method="post" action="/verification-email">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="token" value={token} />
        <button type="submit" class="button">
          {t('verify.confirm.submit')}
        </button>
      </form>
    </section>
  );
}

export function VerifyDoneView({ ctx, address }: { ctx: PageContext; address: string }) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('verify.done.title')}</h1>
      <StatusMessage>{t('verify.done.body', { address })}</StatusMessage>
      <p>
        <a href="/profil">{t('verify.toPortal')}</a>
      </p>
    </section>
  );
}

export function VerifyRefusedView({ ctx, outcome }: { ctx: PageContext; outcome: VerifyOutcome }) {
  const { t } = ctx;
  const [title, body] = outcomeKeys[outcome];
  return (
    <section class="panel narrow">
      <h1>{t(title)}</h1>
      <p>{t(body)}</p>
      <p>
        <a href="/profil">{t('verify.toPortal')}</a>
      </p>
    </section>
  );
}
