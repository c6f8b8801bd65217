import type { ContractStatus } from '../../db/schema.ts';
import { formatDate } from '../../lib/i18n.ts';
import { formatMoney, formatPercent, vatOf } from '../../lib/money.ts';
import type { PageContext } from '../../lib/page.tsx';
import type { CurrentMandate } from '../direct-debit/direct-debit.queries.ts';
import type { DirectDebitCoverage } from '../direct-debit/direct-debit.rules.ts';
import { MandateSummary } from '../direct-debit/direct-debit.views.tsx';
import { openingHoursText } from '../public/public.views.tsx';
import { BadgeLink } from '../badges/badges.views.tsx';
import type { TerminationSummary } from '../terminations/terminations.queries.ts';
import { TerminationOnContract } from '../terminations/terminations.views.tsx';
import type { ContractDetails } from './contracts.queries.ts';
import { customerMay } from '../../lib/nav.ts';

function ContractFacts({ ctx, c, blocked }: { ctx: PageContext; c: ContractDetails; blocked: ReadonlySet<string> }) {
  const { t, lang } = ctx;
  const unknown = <span class="muted">{t('contracts.unknown')}</span>;
  const vat = vatOf(c.price_ht_cents, c.vat_rate_bp);
  return (
    <dl class="facts">
      <dt>{t('contracts.carPark')}</dt>
      <dd>{c.car_park_name}</dd>
      <dt>{t('contracts.address')}</dt>
      <dd>
        {c.car_park_address}, {c.car_park_postal_code} {c.car_park_city}
      </dd>
      <dt>{t('contracts.phone')}</dt>
      <dd>
        <a href={`tel:${c.car_park_phone.replace(/[^\d+]/g, '')}`}>{c.car_park_phone}</a>
      </dd>
      <dt>{t('contracts.hours')}</dt>
      <dd>{openingHoursText(ctx, c.car_park_hours)}</dd>
      <dt>{t('contracts.product')}</dt>
      <dd>{t(`product.${c.product}`)}</dd>
      <dt>{t('contracts.status')}</dt>
      <dd>{t(`status.${c.status}`)}</dd>
      <dt>{t('contracts.start')}</dt>
      <dd>{formatDate(c.start_date, lang)}</dd>
      {c.end_date ? (
        <>
          <dt>{t('contracts.end')}</dt>
          <dd>{formatDate(c.end_date, lang)}</dd>
        </>
      ) : c.renewal_date ? (
        <>
          <dt>{t('contracts.renewal')}</dt>
          <dd>{formatDate(c.renewal_date, lang)}</dd>
        </>
      ) : (
        <>
          <dt>{t('contracts.end')}</dt>
          <dd>{t('contracts.tacit')}</dd>
        </>
      )}
      <dt>{t('contracts.price')}</dt>
      <dd>
        {t('contracts.priceValue', {
          ttc: formatMoney(c.price_ht_cents + vat, lang),
          period: t(`period.${c.billing_period}`),
          ht: formatMoney(c.price_ht_cents, lang),
          rate: formatPercent(c.vat_rate_bp, lang),
          vat: formatMoney(vat, lang),
        })}
      </dd>
      <dt>{t('contracts.frequency')}</dt>
      <dd>{t(`frequency.${c.billing_period}`)}</dd>
      <dt>{t('contracts.payment')}</dt>
      <dd>{t(c.direct_debit ? 'contracts.payment.directDebit' : 'contracts.payment.other')}</dd>
      <dt>{t('contracts.vehicles')}</dt>
      <dd>
        {c.vehicles.length === 0
          ? t('contracts.vehicles.none')
          : c.vehicles.map((v) => (
              <span class="line" key={v.plate}>
                <strong class="plate">{v.plate}</strong>
                {v.description ? ` — ${v.description}` : ''}
              </span>
            ))}
        {c.status !== 'ended' && customerMay(ctx.customer, 'manager') && (
          <span class="line">
            <a href={`/contrats/${encodeURIComponent(c.number)}/vehicules`}>{t('vehicles.manage')}</a>
          </span>
        )}
      </dd>
      <dt>{t('contracts.badge')}</dt>
      <dd>
        {c.badge_number ?? unknown}
        {c.badge_number && isCurrent(c.status) && customerMay(ctx.customer, 'manager') && <BadgeLink ctx={ctx} contractNumber={c.number} blocked={blocked.has(c.number)} />}
      </dd>
      <dt>{t('contracts.space')}</dt>
      <dd>{c.space_label ?? unknown}</dd>
    </dl>
  );
}

function ContractCard({ ctx, c, blocked, terminations }: { ctx: PageContext; c: ContractDetails; blocked: ReadonlySet<string>; terminations: Map<string, TerminationSummary> }) {
  const id = `contract-${c.number}`;
  return (
    <article class="panel" aria-labelledby={id}>
      <h3 id={id}>
        <a href={`/contrats/${encodeURIComponent(c.number)}`}>{ctx.t('contracts.contract', { number: c.number })}</a>
      </h3>
      <ContractFacts ctx={ctx} c={c} blocked={blocked} />
      {isCurrent(c.status) && customerMay(ctx.customer, 'manager') && <TerminationOnContract ctx={ctx} contract={c.number} termination={terminations.get(c.id)} />}
    </article>
  );
}

const isCurrent = (s: ContractStatus) => s !== 'ended';

export function ContractsView({
  ctx,
  contracts,
  mandate,
  coverage,
  blocked,
  terminations,
}: {
  ctx: PageContext;
  contracts: ContractDetails[];
  /** The contracts whose badge is blocked (`features/badges`). */
  blocked: ReadonlySet<string>;
  mandate: CurrentMandate | null;
  coverage: DirectDebitCoverage;
  terminations: Map<string, TerminationSummary>;
}) {
  const { t } = ctx;
  const current = contracts.filter((c) => isCurrent(c.status));
  const ended = contracts.filter((c) => !isCurrent(c.status));
  return (
    <>
      <h1>{t('contracts.title')}</h1>
      <section aria-labelledby="current">
        <h2 id="current">{t('contracts.current')}</h2>
        {current.length === 0 ? <p>{t('contracts.none')}</p> : current.map((c) => <ContractCard key={c.id} ctx={ctx} c={c} blocked={blocked} terminations={terminations} />)}
      </section>
      {ended.length > 0 && (
        <section aria-labelledby="ended">
          <h2 id="ended">{t('contracts.ended')}</h2>
          {ended.map((c) => (
            <ContractCard key={c.id} ctx={ctx} c={c} blocked={blocked} terminations={terminations} />
          ))}
        </section>
      )}
      <p>{t('contracts.change')}</p>
      <section class="panel" aria-labelledby="direct-debit">
        <h2 id="direct-debit">{t('contracts.directDebit')}</h2>
        <MandateSummary ctx={ctx} mandate={mandate} coverage={coverage} />
      </section>
    </>
  );
}

export function ContractView({ ctx, contract, blocked, terminations }: { ctx: PageContext; contract: ContractDetails; blocked: ReadonlySet<string>; terminations: Map<string, TerminationSummary> }) {
  const { t } = ctx;
  return (
    <>
      <p>
        <a href="/contrats">{t('contracts.back')}</a>
      </p>
      <h1>{t('contracts.contract', { number: contract.number })}</h1>
      {!customerMay(ctx.customer, 'manager') && <p class="notice">{t('users.readOnly')}</p>}
      <section class="panel">
        <ContractFacts ctx={ctx} c={contract} blocked={blocked} />
        {isCurrent(contract.status) && customerMay(ctx.customer, 'manager') && <TerminationOnContract ctx={ctx} contract={contract.number} termination={terminations.get(contract.id)} />}
      </section>
      <p>{t('contracts.change')}</p>
    </>
  );
}
