import { Fragment } from 'preact';
import type { ComponentChildren } from 'preact';
import { STAFF_PREFIX } from '../../areas/staff-area.ts';
import { type MessageKey, formatDate, formatDateTime } from '../../lib/i18n.ts';
import { formatMoney } from '../../lib/money.ts';
import type { PageContext } from '../../lib/page.tsx';
import { Paging } from '../account/account.views.tsx';
import type { InboxFilters } from '../contact/contact.backoffice.queries.ts';
import { inboxHref } from '../contact/contact.backoffice.views.tsx';
import { ageInDays } from '../contact/contact.rules.ts';
import { listHref as mandateListHref } from '../direct-debit/direct-debit.backoffice.views.tsx';
import { PAPER_PATH } from '../documents/documents.backoffice.views.tsx';
import { LETTERS_PATH } from '../letters/letters.views.tsx';
import { PaymentsTable } from '../payments/payments.views.tsx';
import { emailsHref } from '../mail/mail.backoffice.views.tsx';
import type { DocumentRow } from '../account/account.queries.ts';
import { StatementsTable, formatMonth } from '../statements/statements.views.tsx';
import { CustomerActions } from './customers.actions.views.tsx';
import type { CustomerFile, SearchResult } from './customers.backoffice.queries.ts';
import { SEARCH_PAGE_SIZE } from './customers.backoffice.queries.ts';
import type { LoginStatus } from './customers.rules.ts';
import { displayName } from './customers.service.ts';
import { BackofficeUsersSection } from '../users/users.views.tsx';

/* The back office's home, its customer search and one customer's page (French: `ctx.t` is the staff's). */

export const CUSTOMERS_PATH = `${STAFF_PREFIX}/clients`;
export const customerHref = (number: string) => `${CUSTOMERS_PATH}/${encodeURIComponent(number)}`;
export const customerDocumentsHref = (number: string, page = 1) => `${customerHref(number)}/documents${page > 1 ? `?page=${page}` : ''}`;
export const staffPdfHref = (customerNumber: string, documentNumber: string) =>
  `${customerHref(customerNumber)}/documents/${encodeURIComponent(documentNumber)}.pdf`;
/** A contact request in the back office's inbox. */
export const requestHref = (reference: string) => `${STAFF_PREFIX}/demandes/${encodeURIComponent(reference)}`;
export const searchHref = (query: string, page = 1) => `${CUSTOMERS_PATH}?${new URLSearchParams({ q: query, ...(page > 1 ? { page: String(page) } : {}) })}`;

/** The search box: a GET form, so it works without script and its results have an address. */
export function SearchForm({ ctx, query }: { ctx: PageContext; query: string }) {
  const { t } = ctx;
  return (
    <form method="get" action={CUSTOMERS_PATH} role="search" class="panel">
      <div class="field">
        <label for="q">{t('customers.search.label')}</label>
        <p class="hint" id="q-hint">
          {t('customers.search.hint')}
        </p>
        <input type="search" id="q" name="q" value={query} aria-describedby="q-hint" autocomplete="off" spellcheck={false} maxlength={200} />
      </div>
      <button type="submit" class="button">
        {t('customers.search.submit')}
      </button>
    </form>
  );
}

/** What waits in each queue, as the home page lists it; each feature counts its own (`customers.backoffice.routes.tsx` gathers them). */
export interface HomeQueues {
  /** Requests waiting for customer service (new or in progress), and when the oldest came in. */
  requestsWaiting: { count: number; oldest: string | null };
  /** Of those, the ones nobody is assigned to. */
  requestsUnassigned: number;
  /** Of those, the ones assigned to the member reading the page. */
  requestsMine: number;
  mandatesToValidate: number;
  paper: { customers: number; documents: number };
  mailsFailing: number;
  mailsDead: number;
  neverActivated: number;
  customers: number;
}

/** One line of the home page: what waits, linking to the list of it; `detail` beside it. */
function QueueLine({ href, text, detail }: { href: string; text: string; detail?: string | undefined }) {
  return (
    <li>
      <a href={href}>{text}</a>
      {detail && <> — {detail}</>}
    </li>
  );
}

/** `/gestion`: the agent's start page — the search, then what waits in each queue, each a link to its list. */
export function HomeView({ ctx, queues, now }: { ctx: PageContext; queues: HomeQueues; now: Date }) {
  const { t } = ctx;
  const waiting: InboxFilters = { state: 'waiting' };
  const oldest = queues.requestsWaiting.oldest;
  const oldestDays = oldest === null ? null : ageInDays(oldest, now);
  return (
    <>
      <h1>{t('customers.home.heading')}</h1>
      <SearchForm ctx={ctx} query="" />
      <section class="panel" aria-labelledby="files">
        <h2 id="files">{t('customers.home.queues')}</h2>
        <ul>
          <QueueLine
            href={inboxHref(waiting, 1)}
            text={t('customers.home.requestsWaiting', { count: queues.requestsWaiting.count })}
            detail={oldestDays === null ? undefined : oldestDays === 0 ? t('customers.home.oldestToday') : t('customers.home.oldestDays', { n: oldestDays })}
          />
          <QueueLine href={inboxHref({ ...waiting, assignee: 'nobody' }, 1)} text={t('customers.home.requestsUnassigned', { count: queues.requestsUnassigned })} />
          <QueueLine href={inboxHref({ ...waiting, assignee: 'me' }, 1)} text={t('customers.home.requestsMine', { count: queues.requestsMine })} />
          <QueueLine href={mandateListHref('to_validate')} text={t('customers.home.mandates', { count: queues.mandatesToValidate })} />
          <QueueLine href={PAPER_PATH} text={t('customers.home.paper', { documents: queues.paper.documents, customers: queues.paper.customers })} />
          <QueueLine href={emailsHref({ state: 'failing', recipient: '', template: null })} text={t('customers.home.mailsFailing', { count: queues.mailsFailing })} />
          <QueueLine href={emailsHref({ state: 'dead', recipient: '', template: null })} text={t('customers.home.mailsDead', { count: queues.mailsDead })} />
          <QueueLine href={LETTERS_PATH} text={t('customers.home.neverActivated', { count: queues.neverActivated })} />
        </ul>
      </section>
      <section class="panel" aria-labelledby="en-bref">
        <h2 id="en-bref">{t('customers.home.figures')}</h2>
        <ul>
          <QueueLine href={CUSTOMERS_PATH} text={t('customers.home.customers', { count: queues.customers })} />
        </ul>
      </section>
    </>
  );
}

/** What the search page shows under its box: nothing yet, a query too short, no match, or a page of results. */
export type SearchOutcome =
  | { kind: 'empty' }
  | { kind: 'tooShort' }
  | { kind: 'results'; rows: SearchResult[]; total: number; page: number };

export function SearchView({ ctx, query, outcome }: { ctx: PageContext; query: string; outcome: SearchOutcome }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('customers.search.title')}</h1>
      <SearchForm ctx={ctx} query={query} />
      {outcome.kind === 'tooShort' && (
        <p class="form-error" role="status">
          {t('customers.search.tooShort')}
        </p>
      )}
      {outcome.kind === 'results' && outcome.total === 0 && <p role="status">{t('customers.search.none', { query: query.trim() })}</p>}
      {outcome.kind === 'results' && outcome.total > 0 && (
        <div class="panel">
          <table class="stack">
            <caption>{t('customers.search.caption', { query: query.trim(), total: outcome.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('customers.col.number')}</th>
                <th scope="col">{t('customers.col.name')}</th>
                <th scope="col">{t('customers.col.city')}</th>
                <th scope="col">{t('customers.col.login')}</th>
                <th scope="col">{t('customers.col.matched')}</th>
              </tr>
            </thead>
            <tbody>
              {outcome.rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row" data-label={t('customers.col.number')}>
                    <a href={customerHref(r.number)}>{r.number}</a>
                  </th>
                  <td data-label={t('customers.col.name')}>{displayName(r)}</td>
                  <td data-label={t('customers.col.city')}>
                    {r.postal_code} {r.city}
                  </td>
                  <td data-label={t('customers.col.login')}>{t(`customers.loginState.${r.login_state ?? 'none'}`)}</td>
                  <td data-label={t('customers.col.matched')}>
                    <span>
                      {r.matchedOn.map((f) => t(`customers.match.${f}`)).join(', ')}
                      {r.exact && ` (${t('customers.search.exact')})`}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Paging
            ctx={ctx}
            page={outcome.page}
            total={outcome.total}
            size={SEARCH_PAGE_SIZE}
            summary="customers.search.page"
            href={(n) => searchHref(query, n)}
          />
        </div>
      )}
    </>
  );
}

// ---------------------------------------------------------------- one customer

const SECTIONS = [
  ['identite', 'customers.section.identity'],
  ['connexion', 'customers.section.login'],
  ['papier', 'customers.section.paperless'],
  ['contrats', 'customers.section.contracts'],
  ['compte', 'customers.section.account'],
  ['paiements', 'customers.section.payments'],
  ['mandats', 'customers.section.mandates'],
  ['decomptes', 'customers.section.statements'],
  ['demandes', 'customers.section.requests'],
  ['emails', 'customers.section.mails'],
  ['actions', 'customers.section.actions'],
] as const satisfies readonly (readonly [string, MessageKey])[];

type SectionId = (typeof SECTIONS)[number][0];
const headingOf = (id: SectionId) => SECTIONS.find(([s]) => s === id)![1];

function Section({ ctx, id, children }: { ctx: PageContext; id: SectionId; children: ComponentChildren }) {
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id} tabindex={-1}>
        {ctx.t(headingOf(id))}
      </h2>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function EmailFact({ ctx, address, verifiedAt }: { ctx: PageContext; address: string | null; verifiedAt: string | null }) {
  const { t, lang } = ctx;
  if (!address) return <>{t('profile.none')}</>;
  return (
    <>
      {address} ({verifiedAt ? t('customers.email.verified', { date: formatDate(verifiedAt, lang) }) : t('customers.email.unverified')})
    </>
  );
}

function Identity({ ctx, c }: { ctx: PageContext; c: CustomerFile['customer'] }) {
  const { t, lang } = ctx;
  return (
    <dl class="facts">
      <Fact label={t('profile.number')}>{c.number}</Fact>
      <Fact label={t('customers.field.kind')}>{t(`customers.kind.${c.kind}`)}</Fact>
      <Fact label={t('profile.name')}>{[c.civility, c.last_name, c.first_name].filter(Boolean).join(' ')}</Fact>
      {c.company_name && <Fact label={t('profile.company')}>{c.company_name}</Fact>}
      {c.siren && <Fact label={t('customers.field.siren')}>{c.siren}</Fact>}
      <Fact label={t('profile.address')}>
        {[c.address_line1, c.address_line2, `${c.postal_code} ${c.city}`, c.country].filter(Boolean).map((line) => (
          <span class="line" key={line}>
            {line}
          </span>
        ))}
      </Fact>
      <Fact label={t('profile.phone')}>{c.phone ?? t('profile.none')}</Fact>
      <Fact label={t('profile.mobile')}>{c.mobile_phone ?? t('profile.none')}</Fact>
      <Fact label={t('profile.emailPrimary')}>
        <EmailFact ctx={ctx} address={c.email_primary} verifiedAt={c.email_primary_verified_at} />
      </Fact>
      <Fact label={t('profile.emailSecondary')}>
        <EmailFact ctx={ctx} address={c.email_secondary} verifiedAt={c.email_secondary_verified_at} />
      </Fact>
      <Fact label={t('profile.language')}>{t(`lang.name.${c.language}`)}</Fact>
      <Fact label={t('customers.field.since')}>{formatDate(c.created_at, lang)}</Fact>
    </dl>
  );
}

/** Where the customer's login stands, in a sentence. */
function loginSentence(ctx: PageContext, s: LoginStatus): string {
  const { t, lang } = ctx;
  switch (s.state) {
    case 'none':
      return t('customers.login.none');
    case 'not_activated':
      if (!s.issuedAt || !s.expiresAt) return t('customers.login.notActivated');
      return t(s.expired ? 'customers.login.temporaryExpired' : 'customers.login.temporary', {
        issued: formatDateTime(s.issuedAt, lang),
        expires: formatDateTime(s.expiresAt, lang),
      });
    case 'active':
      return s.activatedAt ? t('customers.login.active', { date: formatDate(s.activatedAt, lang) }) : t('customers.login.activeUndated');
    case 'locked':
      return t('customers.login.locked');
  }
}

const HOW_KEYS: Record<string, MessageKey> = {
  password: 'customers.how.password',
  temporary_password: 'customers.how.temporary_password',
  wrong_password: 'customers.how.wrong_password',
  temporary_password_expired: 'customers.how.temporary_password_expired',
  account_locked: 'customers.how.account_locked',
};

function Login({ ctx, file }: { ctx: PageContext; file: CustomerFile }) {
  const { t, lang } = ctx;
  const s = file.login;
  return (
    <>
      <p>{loginSentence(ctx, s)}</p>
      {s.heldUntil ? (
        <p class="notice warning">{t('customers.login.held', { until: formatDateTime(s.heldUntil, lang), failures: s.failures })}</p>
      ) : (
        s.failures > 0 && <p>{t('customers.login.failures', { failures: s.failures })}</p>
      )}
      <dl class="facts">
        <Fact label={t('customers.login.last')}>{s.lastLoginAt ? formatDateTime(s.lastLoginAt, lang) : t('customers.login.never')}</Fact>
      </dl>
      {file.logins.length === 0 ? (
        <p>{t('customers.logins.none')}</p>
      ) : (
        <table class="stack">
          <caption>{t('customers.logins.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('customers.col.at')}</th>
              <th scope="col">{t('customers.col.result')}</th>
              <th scope="col">{t('customers.col.how')}</th>
              <th scope="col">{t('customers.col.ip')}</th>
            </tr>
          </thead>
          <tbody>
            {file.logins.map((l, i) => (
              <tr key={`${l.at}-${i}`}>
                <th scope="row" data-label={t('customers.col.at')}>
                  {formatDateTime(l.at, lang)}
                </th>
                <td data-label={t('customers.col.result')}>{t(`customers.outcome.${l.outcome}`)}</td>
                <td data-label={t('customers.col.how')}>{l.how ? (HOW_KEYS[l.how] ? t(HOW_KEYS[l.how]!) : l.how) : '—'}</td>
                <td data-label={t('customers.col.ip')} class="bo-long">
                  {l.ip ?? '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

const SOURCE_KEYS: Record<string, MessageKey> = { first_login: 'customers.source.first_login', profile: 'customers.source.profile' };

function Paperless({ ctx, file }: { ctx: PageContext; file: CustomerFile }) {
  const { t, lang } = ctx;
  const c = file.customer;
  return (
    <>
      <p>
        {c.paperless === 1
          ? c.paperless_changed_at
            ? t('customers.paperless.yes', { date: formatDate(c.paperless_changed_at, lang) })
            : t('customers.paperless.yesUndated')
          : t('customers.paperless.no')}
      </p>
      {file.consents.length === 0 ? (
        <p>{t('customers.paperless.none')}</p>
      ) : (
        <table class="stack">
          <caption>{t('customers.paperless.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('customers.col.at')}</th>
              <th scope="col">{t('customers.col.choice')}</th>
              <th scope="col">{t('customers.col.source')}</th>
            </tr>
          </thead>
          <tbody>
            {file.consents.map((p) => (
              <tr key={p.id}>
                <th scope="row" data-label={t('customers.col.at')}>
                  {formatDateTime(p.at, lang)}
                </th>
                <td data-label={t('customers.col.choice')}>{t(p.given === 1 ? 'customers.paperless.given' : 'customers.paperless.withdrawn')}</td>
                <td data-label={t('customers.col.source')}>{SOURCE_KEYS[p.source] ? t(SOURCE_KEYS[p.source]!) : p.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Contracts({ ctx, file }: { ctx: PageContext; file: CustomerFile }) {
  const { t, lang } = ctx;
  if (file.contracts.length === 0) return <p>{t('customers.contracts.none')}</p>;
  return (
    <table class="stack">
      <caption>{t('customers.contracts.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('account.col.contract')}</th>
          <th scope="col">{t('customers.col.product')}</th>
          <th scope="col">{t('customers.col.carPark')}</th>
          <th scope="col">{t('customers.col.start')}</th>
          <th scope="col">{t('customers.col.end')}</th>
          <th scope="col">{t('customers.col.status')}</th>
          <th scope="col">{t('customers.col.plates')}</th>
        </tr>
      </thead>
      <tbody>
        {file.contracts.map((k) => (
          <tr key={k.id}>
            <th scope="row" data-label={t('account.col.contract')}>
              {k.number}
            </th>
            <td data-label={t('customers.col.product')}>{t(`product.${k.product}`)}</td>
            <td data-label={t('customers.col.carPark')}>{k.car_park_name}</td>
            <td data-label={t('customers.col.start')}>{formatDate(k.start_date, lang)}</td>
            <td data-label={t('customers.col.end')}>{k.end_date ? formatDate(k.end_date, lang) : '—'}</td>
            <td data-label={t('customers.col.status')}>
              {t(`status.${k.status}`)}
              {k.termination_effective_date && <> — {t('terminations.bo.onContract', { date: formatDate(k.termination_effective_date, lang) })}</>}
            </td>
            <td data-label={t('customers.col.plates')}>
              <span>
                {k.vehicles.length === 0
                  ? '—'
                  : k.vehicles.map((v, i) => (
                      <Fragment key={v.plate}>
                        {i > 0 && ', '}
                        <span class="plate">{v.plate}</span>
                      </Fragment>
                    ))}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A document's number: a link to its PDF (the staff's download) when it has one. */
function StaffDocumentNumber({ ctx, customerNumber, doc }: { ctx: PageContext; customerNumber: string; doc: { number: string; pdf_sha256: string | null } }) {
  if (!doc.pdf_sha256) return <>{doc.number}</>;
  return (
    <a href={staffPdfHref(customerNumber, doc.number)} aria-label={ctx.t('customers.documents.pdf', { number: doc.number })}>
      {doc.number}
    </a>
  );
}

/** Documents, newest first: number (the PDF), type, date, contract, amount and what remains. */
export function DocumentsTable({ ctx, customerNumber, rows, caption }: { ctx: PageContext; customerNumber: string; rows: DocumentRow[]; caption: string }) {
  const { t, lang } = ctx;
  return (
    <>
      <table class="stack">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('account.col.number')}</th>
            <th scope="col">{t('account.col.type')}</th>
            <th scope="col">{t('account.col.date')}</th>
            <th scope="col">{t('account.col.contract')}</th>
            <th scope="col" class="num">
              {t('account.col.amount')}
            </th>
            <th scope="col" class="num">
              {t('account.col.remaining')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id}>
              <th scope="row" data-label={t('account.col.number')}>
                <StaffDocumentNumber ctx={ctx} customerNumber={customerNumber} doc={d} />
              </th>
              <td data-label={t('account.col.type')}>{t(`account.kind.${d.kind}`)}</td>
              <td data-label={t('account.col.date')}>{formatDate(d.issue_date, lang)}</td>
              <td data-label={t('account.col.contract')}>{d.contract_number ?? '—'}</td>
              <td data-label={t('account.col.amount')} class="num">
                {formatMoney(d.total_ttc_cents, lang)}
              </td>
              <td data-label={t('account.col.remaining')} class="num">
                {formatMoney(d.remaining, lang)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.some((d) => !d.pdf_sha256) && <p class="hint">{t('customers.documents.noPdf')}</p>}
    </>
  );
}

function Account({ ctx, file }: { ctx: PageContext; file: CustomerFile }) {
  const { t, lang } = ctx;
  const { balance, documents, customer } = file;
  return (
    <>
      <p class="balance-amount">
        {balance > 0
          ? t('customers.balance.due', { amount: formatMoney(balance, lang) })
          : balance < 0
            ? t('customers.balance.credit', { amount: formatMoney(-balance, lang) })
            : t('customers.balance.settled')}
      </p>
      {documents.total === 0 ? (
        <p>{t('customers.documents.none')}</p>
      ) : (
        <>
          <DocumentsTable
            ctx={ctx}
            customerNumber={customer.number}
            rows={documents.rows}
            caption={t('customers.documents.caption', { shown: documents.rows.length, total: documents.total })}
          />
          <p>
            <a href={customerDocumentsHref(customer.number)}>{t('customers.documents.all', { count: documents.total })}</a>
          </p>
        </>
      )}
    </>
  );
}

function Payments({ ctx, file }: { ctx: PageContext; file: CustomerFile }) {
  const { t } = ctx;
  const { payments, customer } = file;
  if (payments.total === 0) return <p>{t('history.none')}</p>;
  return (
    <PaymentsTable
      ctx={ctx}
      payments={payments.rows}
      caption={t('customers.payments.caption', { shown: payments.rows.length, total: payments.total })}
      docNumber={(d) => <StaffDocumentNumber ctx={ctx} customerNumber={customer.number} doc={d} />}
    />
  );
}

function Mandates({ ctx, file }: { ctx: PageContext; file: CustomerFile }) {
  const { t, lang } = ctx;
  if (file.mandates.length === 0) return <p>{t('customers.mandates.none')}</p>;
  return (
    <table class="stack">
      <caption>{t('customers.mandates.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('customers.col.rum')}</th>
          <th scope="col">{t('customers.col.status')}</th>
          <th scope="col">{t('customers.col.iban')}</th>
          <th scope="col">{t('customers.col.signed')}</th>
        </tr>
      </thead>
      <tbody>
        {file.mandates.map((m) => (
          <tr key={m.id}>
            <th scope="row" data-label={t('customers.col.rum')} class="bo-long">
              {m.rum}
            </th>
            <td data-label={t('customers.col.status')}>{t(`customers.mandate.${m.status}`)}</td>
            <td data-label={t('customers.col.iban')}>{m.maskedIban}</td>
            <td data-label={t('customers.col.signed')}>{m.signed_at ? formatDate(m.signed_at, lang) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Statements({ ctx, file }: { ctx: PageContext; file: CustomerFile }) {
  const { t, lang } = ctx;
  if (file.statements.length === 0) return <p>{t('customers.statements.none')}</p>;
  return (
    <>
      {file.statements.map(({ contract, rows, months }) =>
        rows.length === 0 ? (
          <p key={contract.id}>{t('customers.statements.empty', { number: contract.number, carPark: contract.car_park_name })}</p>
        ) : (
          <StatementsTable
            key={contract.id}
            ctx={ctx}
            rows={rows}
            caption={t('customers.statements.caption', { number: contract.number, carPark: contract.car_park_name, shown: rows.length, count: months })}
            month={(row) => formatMonth(row.month, lang)}
            docNumber={(doc) => <StaffDocumentNumber ctx={ctx} customerNumber={file.customer.number} doc={doc} />}
          />
        ),
      )}
    </>
  );
}

function Requests({ ctx, file }: { ctx: PageContext; file: CustomerFile }) {
  const { t, lang } = ctx;
  if (file.requests.length === 0) return <p>{t('customers.requests.none')}</p>;
  return (
    <table class="stack">
      <caption>{t('customers.requests.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('customers.col.reference')}</th>
          <th scope="col">{t('customers.col.at')}</th>
          <th scope="col">{t('customers.col.category')}</th>
          <th scope="col">{t('customers.col.status')}</th>
        </tr>
      </thead>
      <tbody>
        {file.requests.map((r) => (
          <tr key={r.id}>
            <th scope="row" data-label={t('customers.col.reference')}>
              <a href={requestHref(r.reference)}>{r.reference}</a>
            </th>
            <td data-label={t('customers.col.at')}>{formatDate(r.created_at, lang)}</td>
            <td data-label={t('customers.col.category')}>{t(`contact.category.${r.category}`)}</td>
            <td data-label={t('customers.col.status')}>{t(`contact.staffStatus.${r.status}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Mails({ ctx, file }: { ctx: PageContext; file: CustomerFile }) {
  const { t, lang } = ctx;
  return (
    <>
      <p class="hint">{t('customers.mails.note')}</p>
      {file.mails.length === 0 ? (
        <p>{t('customers.mails.none')}</p>
      ) : (
        <table class="stack">
          <caption>{t('customers.mails.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('customers.col.at')}</th>
              <th scope="col">{t('customers.col.subject')}</th>
              <th scope="col">{t('customers.col.template')}</th>
              <th scope="col">{t('customers.col.recipient')}</th>
              <th scope="col">{t('customers.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {file.mails.map((m) => (
              <tr key={m.id}>
                <th scope="row" data-label={t('customers.col.at')}>
                  {formatDateTime(m.created_at, lang)}
                </th>
                <td data-label={t('customers.col.subject')} class="bo-long">
                  {m.subject}
                </td>
                <td data-label={t('customers.col.template')}>{m.template}</td>
                <td data-label={t('customers.col.recipient')} class="bo-long">
                  {m.recipient}
                </td>
                <td data-label={t('customers.col.status')}>
                  {t(`customers.mail.${m.status}`)}
                  {m.sent_at && ` (${formatDateTime(m.sent_at, lang)})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** `/gestion/clients/:number`: the customer at a glance, one section per subject, with a table of contents. */
export function CustomerView({ ctx, file }: { ctx: PageContext; file: CustomerFile }) {
  const { t } = ctx;
  const c = file.customer;
  return (
    <>
      <p>
        <a href={CUSTOMERS_PATH}>{t('customers.page.back')}</a>
      </p>
      <h1>
        {displayName(c)} — {c.number}
      </h1>
      <nav class="toc" aria-labelledby="sommaire">
        <h2 id="sommaire">{t('customers.page.toc')}</h2>
        <ul>
          {SECTIONS.map(([id, key]) => (
            <li key={id}>
              <a href={`#${id}`}>{t(key)}</a>
            </li>
          ))}
        </ul>
      </nav>
      <Section ctx={ctx} id="identite">
        <Identity ctx={ctx} c={c} />
      </Section>
      <Section ctx={ctx} id="connexion">
        <Login ctx={ctx} file={file} />
      </Section>
      {c.kind === 'business' && <BackofficeUsersSection ctx={ctx} customerNumber={c.number} users={file.users} />}
      <Section ctx={ctx} id="papier">
        <Paperless ctx={ctx} file={file} />
      </Section>
      <Section ctx={ctx} id="contrats">
        <Contracts ctx={ctx} file={file} />
      </Section>
      <Section ctx={ctx} id="compte">
        <Account ctx={ctx} file={file} />
      </Section>
      <Section ctx={ctx} id="paiements">
        <Payments ctx={ctx} file={file} />
      </Section>
      <Section ctx={ctx} id="mandats">
        <Mandates ctx={ctx} file={file} />
      </Section>
      <Section ctx={ctx} id="decomptes">
        <Statements ctx={ctx} file={file} />
      </Section>
      <Section ctx={ctx} id="demandes">
        <Requests ctx={ctx} file={file} />
      </Section>
      <Section ctx={ctx} id="emails">
        <Mails ctx={ctx} file={file} />
      </Section>
      <Section ctx={ctx} id="actions">
        <CustomerActions ctx={ctx} customer={{ id: c.id, number: c.number, kind: c.kind }} />
      </Section>
    </>
  );
}

/** `/gestion/clients/:number/documents`: every document, a page at a time. */
export function CustomerDocumentsView({
  ctx,
  customer,
  rows,
  total,
  page,
  size,
}: {
  ctx: PageContext;
  customer: Parameters<typeof displayName>[0] & { number: string };
  rows: DocumentRow[];
  total: number;
  page: number;
  size: number;
}) {
  const { t } = ctx;
  return (
    <>
      <p>
        <a href={customerHref(customer.number)}>{t('customers.page.title', { number: customer.number })}</a>
      </p>
      <h1>{t('customers.documents.heading', { name: displayName(customer), number: customer.number })}</h1>
      <div class="panel">
        {total === 0 ? (
          <p>{t('customers.documents.none')}</p>
        ) : (
          rows.length > 0 && <DocumentsTable ctx={ctx} customerNumber={customer.number} rows={rows} caption={t('customers.documents.listCaption')} />
        )}
        <Paging ctx={ctx} page={page} total={total} size={size} summary="customers.documents.page" href={(n) => customerDocumentsHref(customer.number, n)} />
      </div>
    </>
  );
}
