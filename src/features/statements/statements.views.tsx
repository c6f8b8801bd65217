import type { ComponentChildren } from 'preact';
import type { Language } from '../../db/schema.ts';
import { formatDate, formatTime } from '../../lib/i18n.ts';
import { formatMoney, formatPercent } from '../../lib/money.ts';
import type { PageContext } from '../../lib/page.tsx';
import { DocumentNumber, UnlinkedNote } from '../account/account.views.tsx';
import { type ChartMonth, ExitsChart, countLabel } from './statements.chart.tsx';
import type { StatementDetail } from './statements.queries.ts';
import type { DiscountAmounts } from './statements.rules.ts';
import type { ContractStatements } from './statements.service.ts';

/* Months and times are shown in Paris time, in the page's language. */

const locale = (lang: Language) => (lang === 'fr' ? 'fr-FR' : 'en-GB');
const midMonth = (month: string) => new Date(`${month}-15T12:00:00Z`);

const monthLong = { fr: new Intl.DateTimeFormat(locale('fr'), { month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }), en: new Intl.DateTimeFormat(locale('en'), { month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }) };
const monthShort = { fr: new Intl.DateTimeFormat(locale('fr'), { month: 'short', year: '2-digit', timeZone: 'Europe/Paris' }), en: new Intl.DateTimeFormat(locale('en'), { month: 'short', year: '2-digit', timeZone: 'Europe/Paris' }) };

/** `novembre 2026` / `November 2026`. */
export function formatMonth(month: string, lang: Language): string {
  return monthLong[lang].format(midMonth(month));
}

/** `nov. 26` / `Nov 26`, for the chart's axis. */
export function formatMonthShort(month: string, lang: Language): string {
  return monthShort[lang].format(midMonth(month));
}


/** One month of one contract, as the page shows it. */
export const monthHref = (contractNumber: string, month: string) => `/decomptes/${encodeURIComponent(contractNumber)}/${month}`;

export function StatementsView({ ctx, contracts, since }: { ctx: PageContext; contracts: ContractStatements[]; since: string }) {
  const { t } = ctx;
  return (
    <div class="statements">
      <h1>{t('statements.title')}</h1>
      <p>{t('statements.intro')}</p>
      <p class="statements-rule">{t('statements.rule')}</p>
      {contracts.map((c, i) => (
        <ContractSection key={c.contract.id} ctx={ctx} data={c} idBase={`k${i + 1}`} since={since} />
      ))}
    </div>
  );
}

function ContractSection({ ctx, data, idBase, since }: { ctx: PageContext; data: ContractStatements; idBase: string; since: string }) {
  const { t, lang } = ctx;
  const { contract, rows } = data;
  const variant30 = contract.petit_rouleur_30 === 1;
  const headingId = `${idBase}-heading`;
  const months: ChartMonth[] = data.chart.map((m) => ({
    month: m.month,
    exits: m.exits,
    long: formatMonth(m.month, lang),
    short: formatMonthShort(m.month, lang),
  }));
  return (
    <section class="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('statements.contract', { number: contract.number, carPark: contract.car_park_name })}</h2>
      {contract.status !== 'active' && <p>{t('statements.status', { status: t(`status.${contract.status}`) })}</p>}
      {variant30 && <p class="statements-rule">{t('statements.rule30')}</p>}
      {rows.length === 0 ? (
        <p>{t('statements.none')}</p>
      ) : (
        <>
          <h3>{t('statements.chart.heading')}</h3>
          <div
            class="chart-scroll"
            role="group"
            tabindex={0}
            aria-label={t('statements.chart.region', { number: contract.number })}
          >
            <ExitsChart ctx={ctx} idBase={`${idBase}-chart`} contractNumber={contract.number} months={months} variant30={variant30} />
          </div>
          <p class="hint">{t('statements.table.hint')}</p>
          <StatementsTable
            ctx={ctx}
            rows={rows}
            caption={t('statements.table.caption', { number: contract.number })}
            month={(row) => (row.detailed ? <a href={monthHref(contract.number, row.month)}>{formatMonth(row.month, lang)}</a> : formatMonth(row.month, lang))}
            docNumber={(doc) => <DocumentNumber ctx={ctx} doc={doc} since={since} />}
          />
          <UnlinkedNote ctx={ctx} docs={rows.flatMap((r) => (r.document ? [r.document] : []))} since={since} />
        </>
      )}
    </section>
  );
}

type MonthRow = ContractStatements['rows'][number];

/**
 * A contract's statements, a row a month: exits, rate, discount and the document that carried it.
 * The one table for the customer's page and the back office's customer page; they differ by the
 * caption, the month cell (a link to the month's exits or not) and the document's link.
 */
export function StatementsTable({
  ctx,
  rows,
  caption,
  month,
  docNumber,
}: {
  ctx: PageContext;
  rows: MonthRow[];
  caption: string;
  month: (row: MonthRow) => ComponentChildren;
  docNumber: (doc: NonNullable<MonthRow['document']>) => ComponentChildren;
}) {
  const { t, lang } = ctx;
  return (
    <table class="stack statements-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('statements.col.month')}</th>
          <th scope="col" class="num">
            {t('statements.col.exits')}
          </th>
          <th scope="col" class="num">
            {t('statements.col.rate')}
          </th>
          <th scope="col" class="num">
            {t('statements.col.discount')}
          </th>
          <th scope="col">{t('statements.col.document')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.month}>
            <th scope="row" data-label={t('statements.col.month')}>
              {month(row)}
            </th>
            <td data-label={t('statements.col.exits')} class="num">
              {row.exits}
            </td>
            <td data-label={t('statements.col.rate')} class="num">
              {formatPercent(row.rateBp, lang)}
            </td>
            <td data-label={t('statements.col.discount')} class="num">
              {formatMoney(row.discount.ttc, lang)}
            </td>
            <td data-label={t('statements.col.document')}>
              {row.document ? docNumber(row.document) : <span class="muted">{t('statements.document.none')}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ExitsView({
  ctx,
  statement,
  rateBp,
  discount,
  exits,
  since,
}: {
  ctx: PageContext;
  statement: StatementDetail;
  rateBp: number;
  discount: DiscountAmounts;
  exits: { id: string; exited_at: string }[];
  since: string;
}) {
  const { t, lang } = ctx;
  const month = formatMonth(statement.month, lang);
  return (
    <div class="statements">
      <p>
        <a href="/decomptes">{t('statements.back')}</a>
      </p>
      <h1>{t('statements.exits.title', { month })}</h1>
      <section class="panel" aria-labelledby="summary">
        <h2 id="summary">{t('statements.exits.summary')}</h2>
        <dl class="facts">
          <dt>{t('statements.exits.contract')}</dt>
          <dd>{statement.contract_number}</dd>
          <dt>{t('statements.exits.carPark')}</dt>
          <dd>{statement.car_park_name}</dd>
          <dt>{t('statements.exits.count')}</dt>
          <dd>{countLabel(ctx, statement.exit_count)}</dd>
          <dt>{t('statements.exits.rate')}</dt>
          <dd>{formatPercent(rateBp, lang)}</dd>
          <dt>{t('statements.exits.discount')}</dt>
          <dd>
            {t('statements.exits.discountValue', {
              ttc: formatMoney(discount.ttc, lang),
              ht: formatMoney(discount.ht, lang),
              vat: formatMoney(discount.vat, lang),
            })}
          </dd>
          <dt>{t('statements.exits.document')}</dt>
          <dd>
            {statement.document ? <DocumentNumber ctx={ctx} doc={statement.document} since={since} /> : <span class="muted">{t('statements.document.none')}</span>}
          </dd>
        </dl>
        <UnlinkedNote ctx={ctx} docs={statement.document ? [statement.document] : []} since={since} />
        <p class="statements-rule">{t('statements.rule')}</p>
        {statement.petit_rouleur_30 === 1 && <p class="statements-rule">{t('statements.rule30')}</p>}
      </section>
      <section class="panel" aria-labelledby="exits">
        <h2 id="exits">{t('statements.exits.list')}</h2>
        {exits.length === 0 ? (
          <p>{t('statements.exits.none')}</p>
        ) : (
          <table class="stack exits-table">
            <caption>{t('statements.exits.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('statements.col.position')}</th>
                <th scope="col">{t('statements.col.date')}</th>
                <th scope="col">{t('statements.col.time')}</th>
              </tr>
            </thead>
            <tbody>
              {exits.map((e, i) => (
                <tr key={e.id}>
                  <th scope="row" data-label={t('statements.col.position')}>
                    {i + 1}
                  </th>
                  <td data-label={t('statements.col.date')}>{formatDate(e.exited_at, lang)}</td>
                  <td data-label={t('statements.col.time')}>
                    <time dateTime={e.exited_at}>{formatTime(e.exited_at, lang)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
