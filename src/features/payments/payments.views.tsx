import { Fragment } from 'preact';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { AttemptStatus, Language } from '../../db/schema.ts';
import { formatDate, translator } from '../../lib/i18n.ts';
import { formatMoney } from '../../lib/money.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import { DocumentNumber, Paging, UnlinkedNote } from '../account/account.views.tsx';
import type { DueInvoice, PaymentRow } from './payments.queries.ts';

export function PayView({
  ctx,
  due,
  selected,
  amount,
  credit,
  error,
}: {
  ctx: PageContext;
  due: DueInvoice[];
  selected: Set<string>;
  amount: number;
  credit: number;
  error?: 'pay.error.none' | 'pay.error.settled' | undefined;
}) {
  const { t, lang } = ctx;
  return (
    <>
      <p>
        <a href="/mon-compte">{t('pay.back')}</a>
      </p>
      <h1>{t('pay.title')}</h1>
      {due.length === 0 ? (
        <p>{t('pay.nothing')}</p>
      ) : (
        <form method="post" action="/mon-compte/paiement" class="panel narrow">
          <CsrfField ctx={ctx} />
          <p>{t('pay.intro')}</p>
          {error && (
            <StatusMessage alert id="invoices-error">{t(error)}</StatusMessage>
          )}
          <fieldset class="choices" aria-describedby={error ? 'invoices-error' : undefined}>
            <legend>{t('pay.choose')}</legend>
            {due.map((d) => (
              <div class="checkbox" key={d.id}>
                <input type="checkbox" id={`inv-${d.id}`} name="facture" value={d.id} checked={selected.has(d.id)} />
                <label for={`inv-${d.id}`}>
                  {t('pay.invoice', { number: d.number, date: formatDate(d.issue_date, lang), amount: formatMoney(d.remaining, lang) })}
                </label>
              </div>
            ))}
          </fieldset>
          <p class="balance-amount">{t('pay.total', { amount: formatMoney(amount, lang) })}</p>
          {credit > 0 && <p class="hint">{t('pay.creditNote', { amount: formatMoney(credit, lang) })}</p>}
          <button type="submit" class="button">
            {t('pay.submit')}
          </button>
        </form>
      )}
    </>
  );
}

const returnKey = {
  succeeded: 'pay.return.succeeded',
  pending: 'pay.return.pending',
  failed: 'pay.return.failed',
  cancelled: 'pay.return.cancelled',
  expired: 'pay.return.expired',
  superseded: 'pay.return.superseded',
} as const satisfies Record<AttemptStatus, string>;

export function ReturnView({ ctx, status, amount, attemptId }: { ctx: PageContext; status: AttemptStatus; amount: number; attemptId: string }) {
  const { t, lang } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('pay.return.title')}</h1>
      <p role="status" class={status === 'succeeded' ? 'notice' : undefined}>
        {t(returnKey[status], { amount: formatMoney(amount, lang) })}
      </p>
      {status === 'pending' && (
        <p>
          <a href={`/mon-compte/paiement/retour/${attemptId}`}>{t('pay.return.refresh')}</a>
        </p>
      )}
      {(status === 'failed' || status === 'cancelled' || status === 'expired') && (
        <p>
          <a class="button" href="/mon-compte/paiement">
            {t('pay.retry')}
          </a>
        </p>
      )}
      <p>
        <a href="/mon-compte">{t('pay.back')}</a>
      </p>
    </section>
  );
}

/** How many of the latest payments Mon compte shows; the rest are on their own page. */
export const RECENT_PAYMENTS = 5;

/** A document a payment settled, as the payments table shows it. */
export type SettledDocument = PaymentRow['documents'][number];

/**
 * Payments, each with the documents it settled. The one table of payments: the customer's
 * (credit line, numbers linked to the customer's PDF) and the back office's customer page
 * (a caption, numbers linked to the staff's download) differ only by these props.
 */
export function PaymentsTable({
  ctx,
  payments,
  docNumber,
  caption,
  showCredit = false,
  className = 'stack',
}: {
  ctx: PageContext;
  payments: PaymentRow[];
  docNumber: (doc: SettledDocument) => ComponentChildren;
  caption?: string;
  /** Say under the documents what a succeeded payment left as credit. */
  showCredit?: boolean;
  className?: string;
}) {
  const { t, lang } = ctx;
  return (
    <table class={className}>
      {caption !== undefined && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t('history.date')}</th>
          <th scope="col" class="num">
            {t('history.amount')}
          </th>
          <th scope="col">{t('history.method')}</th>
          <th scope="col">{t('history.documents')}</th>
          <th scope="col">{t('history.status')}</th>
        </tr>
      </thead>
      <tbody>
        {payments.map((p) => {
          const credit = showCredit && p.status === 'succeeded' ? p.amount_cents - p.documents.reduce((s, d) => s + d.amount_cents, 0) : 0;
          return (
            <tr key={p.id}>
              <th scope="row" data-label={t('history.date')}>
                {formatDate(p.received_at ?? p.created_at, lang)}
              </th>
              <td data-label={t('history.amount')} class="num">
                {formatMoney(p.amount_cents, lang)}
              </td>
              <td data-label={t('history.method')}>{t(`method.${p.method}`)}</td>
              <td data-label={t('history.documents')}>
                <span>
                  {p.documents.length === 0
                    ? '—'
                    : p.documents.map((d, i) => (
                        <Fragment key={d.number}>
                          {i > 0 && ', '}
                          {docNumber(d)}
                        </Fragment>
                      ))}
                  {credit > 0 && <span class="line">{t('history.credit', { amount: formatMoney(credit, lang) })}</span>}
                </span>
              </td>
              <td data-label={t('history.status')}>{t(`paymentStatus.${p.status}`)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The customer's payments: numbers linked to their PDF when served, and the note on those that are not. */
function CustomerPaymentsTable({ ctx, payments, since }: { ctx: PageContext; payments: PaymentRow[]; since: string }) {
  return (
    <>
      <PaymentsTable ctx={ctx} payments={payments} className="stack payments" showCredit docNumber={(d) => <DocumentNumber ctx={ctx} doc={d} since={since} />} />
      <UnlinkedNote ctx={ctx} docs={payments.flatMap((p) => p.documents)} since={since} />
    </>
  );
}

/** On Mon compte: the latest payments, and the way to all of them when there are more. */
export function PaymentHistory({ ctx, payments, total, since }: { ctx: PageContext; payments: PaymentRow[]; total: number; since: string }) {
  const { t } = ctx;
  return (
    <section class="panel" aria-labelledby="paiements">
      <h2 id="paiements">{t('history.title')}</h2>
      {payments.length === 0 ? (
        <p>{t('history.none')}</p>
      ) : (
        <>
          {total > payments.length && <p>{t('history.latest', { shown: payments.length, count: total })}</p>}
          <CustomerPaymentsTable ctx={ctx} payments={payments} since={since} />
          {total > payments.length && (
            <p>
              <a href="/mon-compte/paiements">{t('history.all', { count: total })}</a>
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** `/mon-compte/paiements`: every payment, a page at a time. */
export function PaymentsPage({ ctx, payments, total, page, since }: { ctx: PageContext; payments: PaymentRow[]; total: number; page: number; since: string }) {
  const { t } = ctx;
  return (
    <>
      <p>
        <a href="/mon-compte">{t('pay.back')}</a>
      </p>
      <h1>{t('history.title')}</h1>
      <div class="panel">
        {total === 0 && <p>{t('history.none')}</p>}
        {payments.length > 0 && <CustomerPaymentsTable ctx={ctx} payments={payments} since={since} />}
        <Paging ctx={ctx} page={page} total={total} summary="history.page" href={(n) => (n > 1 ? `/mon-compte/paiements?page=${n}` : '/mon-compte/paiements')} />
      </div>
    </>
  );
}

/** The sandbox provider's hosted page: its own frame, plainly a test, never a card field. */
export function sandboxPage(
  lang: Language,
  csrf: string,
  session: { id: string; amount_cents: number; description: string; status: string; cancel_url: string },
  merchant: string,
): string {
  const t = translator(lang);
  const open = session.status === 'open';
  const button = (action: string, label: string, cls: string) => (
    <form method="post" action={`/sandbox-paiement/${session.id}`} class="inline-block">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="action" value={action} />
      <button type="submit" class={cls}>
        {label}
      </button>
    </form>
  );
  return `<!doctype html>${renderToString(
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t('sandbox.title')}</title>
        <link rel="stylesheet" href="/static/portal.css" />
      </head>
      <body class="sandbox">
        <header class="sandbox-banner" role="banner">
          <p>{t('sandbox.banner')}</p>
        </header>
        <main id="main">
          <section class="panel narrow">
            <h1>{t('sandbox.title')}</h1>
            <dl class="facts">
              <dt>{t('sandbox.merchant')}</dt>
              <dd>{merchant}</dd>
              <dt>{t('sandbox.description')}</dt>
              <dd>{session.description}</dd>
              <dt>{t('sandbox.amount')}</dt>
              <dd class="balance-amount">{formatMoney(session.amount_cents, lang)}</dd>
            </dl>
            {open ? (
              <div class="sandbox-actions">
                {button('pay', t('sandbox.pay'), 'button')}
                {button('fail', t('sandbox.fail'), 'button secondary')}
                {button('cancel', t('sandbox.cancel'), 'link-button dark')}
                <p class="hint">{t('sandbox.abandon')}</p>
              </div>
            ) : (
              <>
                <p>{t('sandbox.closed')}</p>
                <p>
                  <a href={session.cancel_url}>{t('sandbox.back')}</a>
                </p>
              </>
            )}
          </section>
        </main>
      </body>
    </html>,
  )}`;
}
