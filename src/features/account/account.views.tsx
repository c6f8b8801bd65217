import type { DocumentKind } from '../../db/schema.ts';
import { formatDate } from '../../lib/i18n.ts';
import { formatAmount, formatMoney } from '../../lib/money.ts';
import type { PageContext } from '../../lib/page.tsx';
import type { CurrentMandate } from '../direct-debit/direct-debit.queries.ts';
import type { DirectDebitCoverage } from '../direct-debit/direct-debit.rules.ts';
import { MandateSummary } from '../direct-debit/direct-debit.views.tsx';
import { PaymentHistory } from '../payments/payments.views.tsx';
import type { PaymentRow } from '../payments/payments.queries.ts';
import type { DocumentRow } from './account.queries.ts';

export interface AccountFilters {
  contrat?: string | undefined;
  type?: DocumentKind | undefined;
  annee?: number | undefined;
}

export const PAGE_SIZE = 20;

/** The query string of the history with these filters and page: paging keeps the filters. */
export function historyHref(f: AccountFilters, page: number): string {
  const q = new URLSearchParams();
  if (f.contrat) q.set('contrat', f.contrat);
  if (f.type) q.set('type', f.type);
  if (f.annee) q.set('annee', String(f.annee));
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return `/mon-compte${s ? `?${s}` : ''}#historique`;
}

export const pdfHref = (number: string) => `/mon-compte/documents/${encodeURIComponent(number)}.pdf`;

export interface AccountViewProps {
  ctx: PageContext;
  balance: number;
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
  payments: PaymentRow[];
  mandate: CurrentMandate | null;
}

/** "Reste à payer": the balance, the way to pay it, or what paying online needs. */
function BalancePanel({ ctx, balance, paperless }: { ctx: PageContext; balance: number; paperless: boolean }) {
  const { t, lang } = ctx;
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
function DocumentsTable({ ctx, rows }: { ctx: PageContext; rows: DocumentRow[] }) {
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
                {d.pdf_sha256 ? (
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

/** Previous and next pages of the history, keeping its filters. */
function Paging({ ctx, filters, page, total }: { ctx: PageContext; filters: AccountFilters; page: number; total: number }) {
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (pages <= 1) return null;
  return (
    <nav aria-label={t('account.paging')} class="paging">
      <p>{t('account.page', { page, pages, total })}</p>
      <ul>
        {page > 1 && (
          <li>
            <a href={historyHref(filters, page - 1)} rel="prev">
              {t('account.previous')}
            </a>
          </li>
        )}
        {page < pages && (
          <li>
            <a href={historyHref(filters, page + 1)} rel="next">
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
      <BalancePanel ctx={ctx} balance={p.balance} paperless={p.paperless} />

      <section class="panel" aria-labelledby="historique">
        <h2 id="historique" tabindex={-1}>
          {t('account.history')}
        </h2>
        <p>{t(p.paperless ? 'account.window.fiveYears' : 'account.window.twelveMonths')}</p>
        {p.olderCount > 0 && <p class="muted">{t('account.older', { count: p.olderCount })}</p>}
        <HistoryFilters ctx={ctx} filters={filters} contracts={p.contracts} years={p.years} />
        <DocumentsTable ctx={ctx} rows={p.rows} />
        <Paging ctx={ctx} filters={filters} page={p.page} total={p.total} />
      </section>

      <PaymentHistory ctx={ctx} payments={p.payments} />

      <section class="panel" aria-labelledby="direct-debit">
        <h2 id="direct-debit">{t('account.directDebit.title')}</h2>
        <MandateSummary ctx={ctx} mandate={p.mandate} coverage={p.directDebit} />
      </section>
    </>
  );
}
