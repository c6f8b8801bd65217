import { formatDate, formatDateTime } from '../../lib/i18n.ts';
import { ErrorSummary, Field, type FormErrors } from '../../lib/forms.tsx';
import { CsrfField, type PageContext, PostButton, StatusMessage } from '../../lib/page.tsx';
import { displayName } from '../customers/customers.service.ts';
import type { ContractToTerminate, QueuedTermination, TerminationRecord, TerminationSummary } from './terminations.queries.ts';

/*
 * "Résilier votre contrat": the link and state on Contrats, the date form (business), the
 * summary and its confirmation, the done and withdrawn pages, the public page and its
 * answers; the back office's queue. No script: every action is a form.
 */

export const terminationPath = (contract: string) => `/contrats/${encodeURIComponent(contract)}/resiliation`;
export const acknowledgementPdfPath = (contract: string) => `${terminationPath(contract)}/accuse.pdf`;

/** On a contract's card in Contrats: the clearly labelled link, or the termination under way with its PDF and withdrawal. */
export function TerminationOnContract({ ctx, contract, termination }: { ctx: PageContext; contract: string; termination: TerminationSummary | undefined }) {
  const { t, lang } = ctx;
  if (!termination) {
    return (
      <p class="termination">
        <a href={terminationPath(contract)} aria-label={t('terminations.linkLabel', { contract })}>
          {t('terminations.link')}
        </a>
      </p>
    );
  }
  const params = { requested: formatDate(termination.requested_at, lang), date: formatDate(termination.effective_date, lang), reference: termination.reference };
  return (
    <div class="termination">
      <p>{t(termination.status === 'processed' ? 'terminations.processed' : 'terminations.pending', params)}</p>
      <p>
        <a href={acknowledgementPdfPath(contract)}>{t('terminations.pdfLink')}</a>
      </p>
      <PostButton ctx={ctx} action={`${terminationPath(contract)}/retrait`} class="button secondary">
        {t('terminations.withdraw')}
      </PostButton>
    </div>
  );
}

/** A business customer's one question: a later date (optional). A GET form: nothing changes until the summary is confirmed. */
export function DateFormView({ ctx, found, earliest, typed, errors, action }: { ctx: PageContext; found: ContractToTerminate; earliest: string; typed: string; errors: FormErrors<'date'>; action: string }) {
  const { t, lang } = ctx;
  const number = found.contract.number;
  return (
    <>
      <p>
        <a href="/contrats">{t('terminations.back')}</a>
      </p>
      <h1>{t('terminations.title')}</h1>
      <p>{t('terminations.contract', { contract: number })}</p>
      <p>{t('terminations.intro')}</p>
      <ErrorSummary t={t} errors={errors} labels={{ date: t('terminations.date.label') }} title="terminations.errorSummary" />
      <form method="get" action={action} novalidate>
        <Field t={t} name="date" type="date" label={t('terminations.date.label')} hint={t('terminations.date.hint', { date: formatDate(earliest, lang) })} value={typed} errors={errors.date} />
        <button type="submit" class="button">
          {t('terminations.continue')}
        </button>
      </form>
    </>
  );
}

export interface SummaryFacts {
  contractNumber: string;
  carPark: string;
  holder: string;
  customerNumber: string;
  today: string;
  effective: string;
  /** The address typed on the public page; null: the customer's own addresses. */
  ackTo: string | null;
}

/** The summary shown before the customer confirms, and its one button. */
export function SummaryView({ ctx, facts, action, hidden, back }: { ctx: PageContext; facts: SummaryFacts; action: string; hidden: Record<string, string>; back: string | null }) {
  const { t, lang } = ctx;
  return (
    <>
      {back && (
        <p>
          <a href={back}>{t('terminations.back')}</a>
        </p>
      )}
      <h1>{t('terminations.summary.title')}</h1>
      <section class="panel">
        <dl class="facts">
          <dt>{t('terminations.summary.contract')}</dt>
          <dd>{t('terminations.summary.contractValue', { contract: facts.contractNumber, carPark: facts.carPark })}</dd>
          <dt>{t('terminations.summary.customer')}</dt>
          <dd>{t('terminations.summary.customerValue', { name: facts.holder, number: facts.customerNumber })}</dd>
          <dt>{t('terminations.summary.requested')}</dt>
          <dd>{formatDate(facts.today, lang)}</dd>
          <dt>{t('terminations.summary.effective')}</dt>
          <dd>
            <strong>{formatDate(facts.effective, lang)}</strong>
          </dd>
          <dt>{t('terminations.summary.ackTo')}</dt>
          <dd>{facts.ackTo ?? t('terminations.summary.ackToAccount')}</dd>
        </dl>
        <p>{t('terminations.summary.effects')}</p>
        <form method="post" action={action}>
          <CsrfField ctx={ctx} />
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <button type="submit" class="button">
            {t('terminations.confirm')}
          </button>
        </form>
        {back && (
          <p>
            <a href={back}>{t('terminations.cancel')}</a>
          </p>
        )}
      </section>
    </>
  );
}

export const summaryFacts = (found: ContractToTerminate, today: string, effective: string, ackTo: string | null): SummaryFacts => ({
  contractNumber: found.contract.number,
  carPark: found.contract.car_park_name,
  holder: displayName(found.contract),
  customerNumber: found.contract.customer_number,
  today,
  effective,
  ackTo,
});

/** Recorded: the date, the reference, where the acknowledgement went. */
export function DoneView({ ctx, r, publicPage }: { ctx: PageContext; r: TerminationRecord; publicPage: boolean }) {
  const { t, lang } = ctx;
  return (
    <section class="panel">
      <h1>{t('terminations.done.title')}</h1>
      <StatusMessage>{t('terminations.done.p1', { contract: r.contract_number, date: formatDate(r.effective_date, lang), reference: r.reference })}</StatusMessage>
      <p>{t(publicPage ? 'terminations.public.done.p2' : 'terminations.done.p2')}</p>
      {!publicPage && (
        <p>
          <a href={acknowledgementPdfPath(r.contract_number)}>{t('terminations.pdfLink')}</a>
        </p>
      )}
      <p>
        <a href="/contrats">{t('terminations.toContracts')}</a>
      </p>
    </section>
  );
}

/** A page of one message: why not, withdrawn, a link no longer valid. */
export function NoticeView({ ctx, title, message, link }: { ctx: PageContext; title: string; message: string; link: { href: string; label: string } }) {
  return (
    <section class="panel">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={link.href}>{link.label}</a>
      </p>
    </section>
  );
}

/** The withdrawal link's page: what would be withdrawn, and the button. */
export function WithdrawLinkView({ ctx, r, token }: { ctx: PageContext; r: TerminationRecord; token: string }) {
  const { t, lang } = ctx;
  return (
    <section class="panel">
      <h1>{t('terminations.withdrawLink.title')}</h1>
      <p>{t('terminations.pending', { requested: formatDateTime(r.requested_at, lang), date: formatDate(r.effective_date, lang), reference: r.reference })}</p>
      <p>{t('terminations.withdrawLink.p1', { date: formatDate(r.effective_date, lang) })}</p>
      <form method="post" action="/resilier/retrait">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="token" value={token} />
        <button type="submit" class="button">
          {t('terminations.withdraw')}
        </button>
      </form>
    </section>
  );
}

export type PublicField = 'numero_client' | 'nom' | 'numero_contrat' | 'email';
export type PublicValues = Record<PublicField, string>;

/** The public page: what identifies the customer and the contract, and where to write. */
export function PublicFormView({ ctx, values, errors, throttledMinutes }: { ctx: PageContext; values: PublicValues; errors: FormErrors<PublicField>; throttledMinutes?: number }) {
  const { t } = ctx;
  const labels: Record<PublicField, string> = {
    numero_client: t('terminations.public.number'),
    nom: t('terminations.public.name'),
    numero_contrat: t('terminations.public.contract'),
    email: t('terminations.public.email'),
  };
  const count = Object.values(errors).reduce((n, e) => n + (e?.length ?? 0), 0);
  return (
    <>
      <h1>{t('terminations.title')}</h1>
      <p>{t('terminations.public.intro')}</p>
      <p>
        {t('terminations.public.logged')} <a href="/contrats">{t('terminations.toContracts')}</a>
      </p>
      {throttledMinutes !== undefined && <StatusMessage alert>{t('terminations.public.throttled', { minutes: throttledMinutes })}</StatusMessage>}
      {count > 0 && <ErrorSummary t={t} errors={errors} labels={labels} title="terminations.public.errorSummary" />}
      <section class="panel">
        <form method="post" action="/resilier" novalidate>
          <CsrfField ctx={ctx} />
          <Field t={t} name="numero_client" label={labels.numero_client} hint={t('terminations.public.numberHint')} value={values.numero_client} errors={errors.numero_client} required autocomplete="username" />
          <Field t={t} name="nom" label={labels.nom} hint={t('terminations.public.nameHint')} value={values.nom} errors={errors.nom} required autocomplete="family-name" />
          <Field t={t} name="numero_contrat" label={labels.numero_contrat} hint={t('terminations.public.contractHint')} value={values.numero_contrat} errors={errors.numero_contrat} required />
          <Field t={t} name="email" type="email" label={labels.email} value={values.email} errors={errors.email} required autocomplete="email" />
          <button type="submit" class="button">
            {t('terminations.public.submit')}
          </button>
        </form>
      </section>
    </>
  );
}

export function PublicSentView({ ctx }: { ctx: PageContext }) {
  const { t, operator } = ctx;
  return (
    <section class="panel">
      <h1>{t('terminations.public.sent.title')}</h1>
      <StatusMessage>{t('terminations.public.sent.p1')}</StatusMessage>
      <p>{t('terminations.public.sent.p2', { phone: operator.phone, email: operator.email })}</p>
    </section>
  );
}

// ---------------------------------------------------------------- back office

const customerHref = (number: string) => `/gestion/clients/${encodeURIComponent(number)}`;

export function QueueView({ ctx, toProcess, processed, done }: { ctx: PageContext; toProcess: QueuedTermination[]; processed: QueuedTermination[]; done: string | null }) {
  const { t, lang } = ctx;
  const who = (r: QueuedTermination) => (
    <a href={customerHref(r.customer_number)}>
      {displayName(r)} ({r.customer_number})
    </a>
  );
  return (
    <>
      <h1>{t('terminations.bo.title')}</h1>
      {done && <StatusMessage>{done}</StatusMessage>}
      <p>{t('terminations.bo.intro')}</p>
      {toProcess.length === 0 ? (
        <p>{t('terminations.bo.none')}</p>
      ) : (
        <div>
          <table class="stack">
            <caption>{t('terminations.bo.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('terminations.bo.col.reference')}</th>
                <th scope="col">{t('terminations.bo.col.customer')}</th>
                <th scope="col">{t('terminations.bo.col.contract')}</th>
                <th scope="col">{t('terminations.bo.col.requested')}</th>
                <th scope="col">{t('terminations.bo.col.effective')}</th>
                <th scope="col">{t('terminations.bo.col.todo')}</th>
                <th scope="col">{t('terminations.bo.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {toProcess.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.reference}</th>
                  <td>{who(r)}</td>
                  <td>
                    {r.contract_number} — {r.car_park_name}
                  </td>
                  <td>
                    {formatDate(r.requested_at, lang)} ({t(`terminations.bo.channel.${r.channel}`)})
                  </td>
                  <td>{formatDate(r.effective_date, lang)}</td>
                  <td>{r.badge_number ? t('terminations.bo.todo', { badge: r.badge_number }) : t('terminations.bo.todoNoBadge')}</td>
                  <td>
                    <PostButton ctx={ctx} action={`/gestion/resiliations/${r.id}/traitee`} class="button" label={t('terminations.bo.processLabel', { reference: r.reference })}>
                      {t('terminations.bo.process')}
                    </PostButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('terminations.bo.processedTitle')}</h2>
      {processed.length === 0 ? (
        <p>{t('terminations.bo.processedNone')}</p>
      ) : (
        <div>
          <table class="stack">
            <caption>{t('terminations.bo.processedCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('terminations.bo.col.reference')}</th>
                <th scope="col">{t('terminations.bo.col.customer')}</th>
                <th scope="col">{t('terminations.bo.col.contract')}</th>
                <th scope="col">{t('terminations.bo.col.effective')}</th>
                <th scope="col">{t('terminations.bo.col.processed')}</th>
              </tr>
            </thead>
            <tbody>
              {processed.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.reference}</th>
                  <td>{who(r)}</td>
                  <td>{r.contract_number}</td>
                  <td>{formatDate(r.effective_date, lang)}</td>
                  <td>{r.processed_at ? formatDate(r.processed_at, lang) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
