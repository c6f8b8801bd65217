import { ErrorSummary, Field, type FormErrors } from '../../lib/forms.tsx';
import type { MessageKey } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';

export function NewsletterView({
  ctx,
  notice,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  notice?: MessageKey | undefined;
  errors?: FormErrors<'email' | 'unsubscribe_email'>;
  values?: { email?: string; unsubscribe_email?: string };
}) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('newsletter.title')}</h1>
      <p>{t('newsletter.intro')}</p>
      {notice && (
        <StatusMessage>{t(notice)}</StatusMessage>
      )}
      <section class="panel newsletter-form" aria-labelledby="subscribe-title">
        <h2 id="subscribe-title">{t('newsletter.subscribe.title')}</h2>
        <ErrorSummary t={t} errors={errors} labels={{ email: t('newsletter.email') }} />
        <form method="post" action="/newsletter" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            t={t}
            name="email"
            type="email"
            label={t('newsletter.email')}
            hint={t('newsletter.email.hint')}
            value={values.email}
            errors={errors.email}
            autocomplete="email"
            required
          />
          <p>{t('newsletter.language')}</p>
          <p class="consent-note">
            {t('newsletter.privacy')}
            <a href="/confidentialite">{t('newsletter.privacy.link')}</a>.
          </p>
          <button type="submit" class="button">
            {t('newsletter.subscribe.submit')}
          </button>
        </form>
      </section>
      <section class="panel newsletter-form" aria-labelledby="unsubscribe-title" id="desabonnement">
        <h2 id="unsubscribe-title">{t('newsletter.unsubscribe.title')}</h2>
        <p>{t('newsletter.unsubscribe.intro')}</p>
        <ErrorSummary t={t} errors={errors} labels={{ unsubscribe_email: t('newsletter.unsubscribe.email') }} />
        <form method="post" action="/newsletter/desabonnement" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            t={t}
            name="unsubscribe_email"
            type="email"
            label={t('newsletter.unsubscribe.email')}
            value={values.unsubscribe_email}
            errors={errors.unsubscribe_email}
            autocomplete="email"
            required
          />
          <button type="submit" class="button">
            {t('newsletter.unsubscribe.request')}
          </button>
        </form>
      </section>
    </>
  );
}

/** A heading, a sentence, one button that posts back to `action`. */
export function OneButtonView({
  ctx,
  titleKey,
  text,
  action,
  submitKey,
}: {
  ctx: PageContext;
  titleKey: MessageKey;
  text: string;
  action: string;
  submitKey: MessageKey;
}) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t(titleKey)}</h1>
      <p>{text}</p>
      <form method="post" action={action}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="button">
          {t(submitKey)}
        </button>
      </form>
    </section>
  );
}

/** An outcome (confirmed, unsubscribed, link not valid) and where to go next. */
export function OutcomeView({
  ctx,
  titleKey,
  messageKey,
  link,
}: {
  ctx: PageContext;
  titleKey: MessageKey;
  messageKey: MessageKey;
  link: { href: string; key: MessageKey };
}) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t(titleKey)}</h1>
      <p>{t(messageKey)}</p>
      <p>
        <a href={link.href}>{t(link.key)}</a>
      </p>
    </section>
  );
}
