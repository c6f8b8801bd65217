import type { ComponentChildren } from 'preact';
import type { DocumentKind } from '../../db/schema.ts';
import { type MessageKey, formatDate } from '../../lib/i18n.ts';
import { formatAmount, formatMoney } from '../../lib/money.ts';
import type { PageContext } from '../../lib/page.tsx';
import type { CurrentMandate } from '../direct-debit/direct-debit.queries.ts';
import type { DirectDebitCoverage } from '../direct-debit/direct-debit.rules.ts';
import { MandateSummary } from '../direct-debit/direct-debit.views.tsx';
import type { OpenDocument } from '../payments/payments.queries.ts';
import type { DocumentRow } from './account.queries.ts';
import { type StatementErrors, type StatementValues, pdfServed } from './account.rules.ts';
import { ErrorSummary, Field } from '../../lib/forms.tsx';

export interface AccountFilters {
  contrat?: string | undefined;
  type?: DocumentKind | undefined;
  annee?: number | undefined;
  /** `a-regler`: only documents with something remaining. */
  etat?: 'a-regler' | undefined;
}

export const PAGE_SIZE = 20;

/** How many documents due Mon compte lists under the balance (the oldest); the "à régler" history shows them all. */
export const DUE_SHOWN = 5;

/** The query string of the history's filters (`?contrat=…&type=…`), or nothing. */
function filtersQuery(f: AccountFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.contrat) q.set('contrat', f.contrat);
  if (f.type) q.set('type', f.type);
  if (f.annee) q.set('annee', String(f.annee));
  if (f.etat) q.set('etat', f.etat);
  return q;
}

/** The ZIP or the CSV of the history's list with these filters (every page of it). */
export function listFileHref(file: 'documents.zip' | 'documents.csv', f: AccountFilters): string {
  const s = filtersQuery(f).toString();
  return `/mon-compte/${file}${s ? `?${s}` : ''}`;
}

/** The query string of the history with these filters and page: paging keeps the filters. */
export function historyHref(f: AccountFilters, page: number): string {
  const q = filtersQuery(f);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return `/mon-compte${s ? `?${s}` : ''}#historique`;
}

export const pdfHref = (number: string) => `/mon-compte/documents/${encodeURIComponent(number)}.pdf`;

/** A document as its number is shown: the kind, and what decides whether its PDF is served. */
export interface DocumentRef {
  kind: DocumentKind;
  number: string;
  issue_date: string;
  pdf_sha256: string | null;
}

/** A document's number, a link to its PDF when the PDF route will serve it (`pdfServed`), else plain text. */
export function DocumentNumber({ ctx, doc, since }: { ctx: PageContext; doc: DocumentRef; since: string }) {
  const { t } = ctx;
  if (!pdfServed(doc, since)) return <>{doc.number}</>;
  return (
    <a href={pdfHref(doc.number)} aria-label={t('account.pdf.label', { type: t(`account.the.${doc.kind}`), number: doc.number })}>
      {doc.number}
    </a>
  );
}

/** Said once under a list where some numbers are not links: why, and how to get those documents. */
export function UnlinkedNote({ ctx, docs, since }: { ctx: PageContext; docs: DocumentRef[]; since: string }) {
  return docs.some((d) => !pdfServed(d, since)) ? <p class="hint">{ctx.t('account.pdf.unlinked')}</p> : null;
}

export interface AccountViewProps {
  ctx: PageContext;
  balance: number;
  /** What is due: documents with something remaining, oldest first. */
  due: OpenDocument[];
  /** The first day of the customer's history (which PDFs are served). */
  since: string;
  paperless: boolean;
  /** Current contracts already paid by direct debit (a paper mandate): no invitation for them. */
  directDebit: DirectDebitCoverage;
  rows: DocumentRow[];
  total: number;
  page: number;
  filters: AccountFilters;
  contracts: { number: string }[];
  years: number[];
  olderCount: number;
  /** The payment history's section (the payments feature's view). */
  payments: ComponentChildren;
  mandate: CurrentMandate | null;
  /** The statement form's values: this year until today. */
  statement: StatementValues;
}

/** "Reste à payer": the balance, the way to pay it, what makes it up, or what paying online needs. */
function BalancePanel({ ctx, balance, paperless, due, since }: Pick<AccountViewProps, 'ctx' | 'balance' | 'paperless' | 'due' | 'since'>) {
  const { t, lang } = ctx;
  // Money received and not yet set against an invoice: what the documents' remainders leave of the balance.
  const unallocated = due.reduce((sum, d) => sum + d.remaining, 0) - balance;
  const shown = due.slice(0, DUE_SHOWN);
  return (
    <section class="panel balance" aria-labelledby="balance">
      <div class="balance-line">
        <p id="balance" class="balance-amount">
          {t('account.balance', { amount: formatMoney(Math.max(0, balance), lang) })}
        </p>
        {paperless && balance > 0 && (
          <a class="button" href="/mon-compte/paiement">
            {t('pay.button')}
          </a>
        )}
      </div>
      {balance < 0 && <p>{t('account.credit', { amount: formatMoney(-balance, lang) })}</p>}
      {due.length > 0 && (
        <>
          <h2 id="a-regler" class="due-title">
            {t(due.some((d) => d.kind === 'invoice') ? 'account.due.title' : 'account.due.creditTitle')}
          </h2>
          <ul class="due-list" aria-labelledby="a-regler">
            {shown.map((d) => (
              <li key={d.id}>
                <span>
                  {t(`account.kind.${d.kind}`)} <DocumentNumber ctx={ctx} doc={d} since={since} />{' '}
                  <span class="muted">
                    {t('account.due.date', { date: formatDate(d.issue_date, lang) })}
                    {d.contract_number && ` · ${t('account.due.contract', { number: d.contract_number })}`}
                  </span>
                </span>
                <strong>
                  {d.remaining > 0
                    ? t('account.due.remaining', { amount: formatMoney(d.remaining, lang) })
                    : t('account.due.credit', { amount: formatMoney(-d.remaining, lang) })}
                </strong>
              </li>
            ))}
            {unallocated > 0 && (
              <li>
                <span>{t('account.due.unallocated')}</span>
                <strong>{t('account.due.credit', { amount: formatMoney(unallocated, lang) })}</strong>
              </li>
            )}
          </ul>
          {due.length > shown.length && (
            <p>
              {t('account.due.shown', { shown: shown.length, count: due.length })}{' '}
              <a href={historyHref({ etat: 'a-regler' }, 1)}>{t('account.due.all', { count: due.length })}</a>
            </p>
          )}
          <UnlinkedNote ctx={ctx} docs={shown} since={since} />
        </>
      )}
      {!paperless && (
        <p>
          {t('account.paperlessNeeded')} <a href="/profil#documents-par-email">{t('account.paperlessLink')}</a>
        </p>
      )}
    </section>
  );
}

/** The history's filters: a GET form, so the filtered page has an address of its own. */
function HistoryFilters({ ctx, filters, contracts, years }: Pick<AccountViewProps, 'ctx' | 'filters' | 'contracts' | 'years'>) {
  const { t } = ctx;
  const kindLabel = (k: DocumentKind) => t(`account.kind.${k}`);
  return (
    <form method="get" action="/mon-compte#historique" class="filters" aria-label={t('account.filters')}>
      <div class="field">
        <label for="f-contrat">{t('account.filter.contract')}</label>
        <select id="f-contrat" name="contrat">
          <option value="">{t('account.filter.all')}</option>
          {contracts.map((c) => (
            <option key={c.number} value={c.number} selected={filters.contrat === c.number}>
              {c.number}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-type">{t('account.filter.type')}</label>
        <select id="f-type" name="type">
          <option value="">{t('account.filter.all')}</option>
          {(['invoice', 'credit_note'] as const).map((k) => (
            <option key={k} value={k} selected={filters.type === k}>
              {kindLabel(k)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-annee">{t('account.filter.year')}</label>
        <select id="f-annee" name="annee">
          <option value="">{t('account.filter.all')}</option>
          {years.map((y) => (
            <option key={y} value={String(y)} selected={filters.annee === y}>
              {y}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-etat">{t('account.filter.state')}</label>
        <select id="f-etat" name="etat">
          <option value="">{t('account.filter.all')}</option>
          <option value="a-regler" selected={filters.etat === 'a-regler'}>
            {t('account.filter.open')}
          </option>
        </select>
      </div>
      <div class="filter-actions">
        <button type="submit" class="button">
          {t('account.filter.submit')}
        </button>
        <a href="/mon-compte#historique">{t('account.filter.reset')}</a>
      </div>
    </form>
  );
}

/** One page of invoices and credit notes, each with what remains and its PDF. */
function DocumentsTable({ ctx, rows, since }: { ctx: PageContext; rows: DocumentRow[]; since: string }) {
  const { t, lang } = ctx;
  const kindLabel = (k: DocumentKind) => t(`account.kind.${k}`);
  return (
    rows.length === 0 ? (
      <p>{t('account.none')}</p>
    ) : (
      <table class="stack documents">
        <thead>
          <tr>
            <th scope="col">{t('account.col.type')}</th>
            <th scope="col">{t('account.col.number')}</th>
            <th scope="col">{t('account.col.contract')}</th>
            <th scope="col">{t('account.col.date')}</th>
            <th scope="col">{t('account.col.period')}</th>
            <th scope="col" class="num">
              {t('account.col.amount')}
            </th>
            <th scope="col" class="num">
              {t('account.col.remaining')}
            </th>
            <th scope="col">{t('account.col.pdf')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id}>
              <td data-label={t('account.col.type')}>{kindLabel(d.kind)}</td>
              <th scope="row" data-label={t('account.col.number')}>
                {d.number}
              </th>
              <td data-label={t('account.col.contract')}>{d.contract_number ?? '—'}</td>
              <td data-label={t('account.col.date')}>{formatDate(d.issue_date, lang)}</td>
              <td data-label={t('account.col.period')}>
                {d.period_start && d.period_end
                  ? t('account.period', { start: formatDate(d.period_start, lang), end: formatDate(d.period_end, lang) })
                  : '—'}
              </td>
              <td data-label={t('account.col.amount')} class="num">
                {formatAmount(d.kind === 'invoice' ? d.total_ttc_cents : -d.total_ttc_cents, lang)}
              </td>
              <td data-label={t('account.col.remaining')} class="num">
                {formatAmount(d.remaining, lang)}
              </td>
              <td data-label={t('account.col.pdf')}>
                {pdfServed(d, since) ? (
                  <a href={pdfHref(d.number)} aria-label={t('account.pdf.label', { type: t(`account.the.${d.kind}`), number: d.number })}>
                    {t('account.pdf')}
                  </a>
                ) : (
                  <span class="muted">{t('account.pdf.none')}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )
  );
}

/** Where a list is, which page of how many, and the previous and next pages (their links keep the list's filters). */
export function Paging({
  ctx,
  page,
  total,
  summary,
  href,
  size = PAGE_SIZE,
}: {
  ctx: PageContext;
  page: number;
  total: number;
  summary: MessageKey;
  href: (page: number) => string;
  /** Rows per page. */
  size?: number;
}) {
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages <= 1) return null;
  return (
    <nav aria-label={t('account.paging')} class="paging">
      <p>{t(summary, { page, pages, total })}</p>
      <ul>
        {page > 1 && (
          <li>
            <a href={href(page - 1)} rel="prev">
              {t('account.previous')}
            </a>
          </li>
        )}
        {page < pages && (
          <li>
            <a href={href(page + 1)} rel="next">
              {t('account.next')}
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

export function AccountView(p: AccountViewProps) {
  const { ctx, filters } = p;
  const { t } = ctx;
  return (
    <>
      <h1>{t('account.title')}</h1>
      <BalancePanel ctx={ctx} balance={p.balance} paperless={p.paperless} due={p.due} since={p.since} />

      <section class="panel" aria-labelledby="historique">
        <h2 id="historique" tabindex={-1}>
          {t('account.history')}
        </h2>
        <p>{t(p.paperless ? 'account.window.fiveYears' : 'account.window.twelveMonths')}</p>
        {p.olderCount > 0 && <p class="muted">{t('account.older', { count: p.olderCount })}</p>}
        <HistoryFilters ctx={ctx} filters={filters} contracts={p.contracts} years={p.years} />
        <DocumentsTable ctx={ctx} rows={p.rows} since={p.since} />
        <Paging ctx={ctx} page={p.page} total={p.total} summary="account.page" href={(page) => historyHref(filters, page)} />
        {p.total > 0 && <ListDownloads ctx={ctx} filters={filters} total={p.total} />}
      </section>

      <section class="panel" aria-labelledby="releve">
        <h2 id="releve">{t('account.statement.title')}</h2>
        <StatementForm ctx={ctx} values={p.statement} errors={{}} />
      </section>

      {p.payments}

      <section class="panel" aria-labelledby="direct-debit">
        <h2 id="direct-debit">{t('account.directDebit.title')}</h2>
        <MandateSummary ctx={ctx} mandate={p.mandate} coverage={p.directDebit} />
      </section>
    </>
  );
}

/** The whole list, with its filters, at once: every document's file in a ZIP, the rows in a CSV. */
function ListDownloads({ ctx, filters, total }: { ctx: PageContext; filters: AccountFilters; total: number }) {
  const { t } = ctx;
  return (
    <div class="downloads">
      <p class="hint" id="downloads-hint">
        {t('account.downloads.hint', { count: total })}
      </p>
      <p class="filter-actions">
        <a class="button" href={listFileHref('documents.zip', filters)} aria-describedby="downloads-hint">
          {t('account.downloads.zip')}
        </a>
        <a class="button" href={listFileHref('documents.csv', filters)} aria-describedby="downloads-hint">
          {t('account.downloads.csv')}
        </a>
      </p>
    </div>
  );
}

const STATEMENT_LABELS = (t: PageContext['t']): Record<keyof StatementValues, string> => ({ du: t('account.statement.from'), au: t('account.statement.to') });

/** The statement's period, two days: a GET form whose answer is the PDF, or this form again with what is wrong. */
export function StatementForm({ ctx, values, errors }: { ctx: PageContext; values: StatementValues; errors: StatementErrors }) {
  const { t } = ctx;
  const labels = STATEMENT_LABELS(t);
  return (
    <>
      <p>{t('account.statement.intro')}</p>
      <ErrorSummary t={t} errors={errors} labels={labels} title="account.statement.errorSummary" level={3} />
      <form method="get" action="/mon-compte/releve" class="filters" novalidate>
        <Field t={t} name="du" type="date" label={labels.du} value={values.du} errors={errors.du} hint={t('account.statement.hint')} required />
        <Field t={t} name="au" type="date" label={labels.au} value={values.au} errors={errors.au} hint={t('account.statement.hint')} required />
        <div class="filter-actions">
          <button type="submit" class="button">
            {t('account.statement.submit')}
          </button>
        </div>
      </form>
    </>
  );
}

/** The statement form on its own, when what was typed is wrong (the values kept) or when it is asked for directly. */
export function StatementPage({ ctx, values, errors }: { ctx: PageContext; values: StatementValues; errors: StatementErrors }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('account.statement.title')}</h1>
      <section class="panel">
        <StatementForm ctx={ctx} values={values} errors={errors} />
      </section>
      <p>
        <a href="/mon-compte">{t('account.statement.back')}</a>
      </p>
    </>
  );
}
