import { STAFF_PREFIX } from '../../areas/staff-area.ts';
import { ErrorSummary, FieldErrorText, type FormErrors, TextAreaField, describedBy } from '../../lib/forms.tsx';
import { type MessageKey, formatDate, formatDateTime } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import { Paging } from '../account/account.views.tsx';
import { displayName } from '../customers/customers.service.ts';
import type { AttachmentRow } from './contact.queries.ts';
import type { InboxFilters, InboxRow, StaffRequestDetails } from './contact.backoffice.queries.ts';
import { staffRequestPath } from './contact.mails.ts';
import { CATEGORIES, SETTABLE_STATES, STATES, ageInDays } from './contact.rules.ts';
import { ConversationPanel, RequestContentFacts } from './contact.views.tsx';

/* The back office's pages of contact requests: the inbox, and one request with what an agent does with it. */

export const INBOX_PATH = `${STAFF_PREFIX}/demandes`;

/** The inbox's `etat=` for a state filter ('' for the default, every request not closed). */
const stateParam = (state: InboxFilters['state']) => (state === 'open' ? '' : state === 'all' ? 'toutes' : state === 'waiting' ? 'a-traiter' : state);

/** The inbox's address with these filters and page: paging keeps the filters. */
export function inboxHref(f: InboxFilters, page: number): string {
  const q = new URLSearchParams();
  if (f.state !== 'open') q.set('etat', stateParam(f.state));
  if (f.category) q.set('objet', f.category);
  if (f.contract) q.set('contrat', f.contract);
  if (f.olderThanDays !== undefined) q.set('plus_de', String(f.olderThanDays));
  if (f.assignee) q.set('attribution', f.assignee === 'me' ? 'moi' : 'personne');
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return `${INBOX_PATH}${s ? `?${s}` : ''}`;
}

/** A customer's page in the back office. */
export const customerHref = (number: string) => `${STAFF_PREFIX}/clients/${encodeURIComponent(number)}`;

/** `Aujourd’hui`, `1 jour`, `12 jours`. */
export function ageText(ctx: PageContext, createdAt: string, now: Date): string {
  const n = ageInDays(createdAt, now);
  return n === 0 ? ctx.t('contact.inbox.age.today') : n === 1 ? ctx.t('contact.inbox.age.day') : ctx.t('contact.inbox.age.days', { n });
}

function InboxFiltersForm({ ctx, filters }: { ctx: PageContext; filters: InboxFilters }) {
  const { t } = ctx;
  const state = stateParam(filters.state);
  return (
    <form method="get" action={INBOX_PATH} class="filters" aria-label={t('contact.inbox.filters')}>
      <div class="field">
        <label for="f-etat">{t('contact.inbox.filter.state')}</label>
        <select id="f-etat" name="etat">
          <option value="">{t('contact.inbox.filter.state.open')}</option>
          <option value="a-traiter" selected={state === 'a-traiter'}>
            {t('contact.inbox.filter.state.waiting')}
          </option>
          {STATES.map((s) => (
            <option key={s} value={s} selected={state === s}>
              {t(`contact.staffStatus.${s}`)}
            </option>
          ))}
          <option value="toutes" selected={state === 'toutes'}>
            {t('contact.inbox.filter.state.all')}
          </option>
        </select>
      </div>
      <div class="field">
        <label for="f-objet">{t('contact.inbox.filter.category')}</label>
        <select id="f-objet" name="objet">
          <option value="">{t('contact.inbox.filter.category.all')}</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c} selected={filters.category === c}>
              {t(`contact.category.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-contrat">{t('contact.inbox.filter.contract')}</label>
        <input id="f-contrat" name="contrat" type="text" value={filters.contract ?? ''} autocomplete="off" />
      </div>
      <div class="field">
        <label for="f-plus-de">{t('contact.inbox.filter.age')}</label>
        <input id="f-plus-de" name="plus_de" type="number" min="0" max="3650" inputmode="numeric" value={filters.olderThanDays === undefined ? '' : String(filters.olderThanDays)} />
      </div>
      <div class="field">
        <label for="f-attribution">{t('contact.inbox.filter.assignee')}</label>
        <select id="f-attribution" name="attribution">
          <option value="">{t('contact.inbox.filter.assignee.all')}</option>
          <option value="moi" selected={filters.assignee === 'me'}>
            {t('contact.inbox.filter.assignee.me')}
          </option>
          <option value="personne" selected={filters.assignee === 'nobody'}>
            {t('contact.inbox.filter.assignee.nobody')}
          </option>
        </select>
      </div>
      <div class="filter-actions">
        <button type="submit" class="button">
          {t('contact.inbox.filter.submit')}
        </button>
        <a href={INBOX_PATH}>{t('contact.inbox.filter.reset')}</a>
      </div>
    </form>
  );
}

export function InboxView({ ctx, filters, rows, total, page, now }: { ctx: PageContext; filters: InboxFilters; rows: InboxRow[]; total: number; page: number; now: Date }) {
  const { t, lang } = ctx;
  const col = {
    reference: t('contact.inbox.col.reference'),
    customer: t('contact.inbox.col.customer'),
    category: t('contact.inbox.col.category'),
    received: t('contact.inbox.col.received'),
    age: t('contact.inbox.col.age'),
    state: t('contact.inbox.col.state'),
    assignee: t('contact.inbox.col.assignee'),
  };
  return (
    <>
      <h1>{t('contact.inbox.title')}</h1>
      <p>{t('contact.inbox.intro')}</p>
      <InboxFiltersForm ctx={ctx} filters={filters} />
      {rows.length === 0 ? (
        <p>{t('contact.inbox.none')}</p>
      ) : (
        <table class="stack inbox">
          <caption>{t('contact.inbox.caption', { total })}</caption>
          <thead>
            <tr>
              <th scope="col">{col.reference}</th>
              <th scope="col">{col.customer}</th>
              <th scope="col">{col.category}</th>
              <th scope="col">{col.received}</th>
              <th scope="col">{col.age}</th>
              <th scope="col">{col.state}</th>
              <th scope="col">{col.assignee}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row" data-label={col.reference}>
                  <a href={staffRequestPath(r.reference)}>{r.reference}</a>
                </th>
                <td data-label={col.customer}>
                  <a href={customerHref(r.customer_number)}>{t('contact.staff.customerLink', { number: r.customer_number, name: displayName(r) })}</a>
                </td>
                <td data-label={col.category}>{t(`contact.category.${r.category}`)}</td>
                <td data-label={col.received}>{formatDate(r.created_at, lang)}</td>
                <td data-label={col.age}>{ageText(ctx, r.created_at, now)}</td>
                <td data-label={col.state}>
                  <span class={`status status-${r.status}`}>{t(`contact.staffStatus.${r.status}`)}</span>
                </td>
                <td data-label={col.assignee}>{r.assignee_name ?? t('contact.inbox.nobody')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Paging ctx={ctx} page={page} total={total} summary="contact.inbox.paging" href={(p) => inboxHref(filters, p)} />
    </>
  );
}

/** What an agent typed in one of the request page's forms, kept when it comes back with errors. */
export interface StaffFormValues {
  note: string;
  reply: string;
  close: boolean;
  /** Each form's one-time id. */
  noteSubmission: string;
  replySubmission: string;
}

export type StaffField = 'assignee' | 'note' | 'reply' | 'state';
export type StaffErrors = FormErrors<StaffField>;

export interface StaffRequestViewProps {
  ctx: PageContext;
  request: StaffRequestDetails;
  staff: { id: string; display_name: string }[];
  meId: string;
  notice: { key: MessageKey; params?: Record<string, string> } | null;
  values: StaffFormValues;
  errors: StaffErrors;
}

const Req = ({ ctx }: { ctx: PageContext }) => <span class="req">{ctx.t('contact.form.requiredMark')}</span>;

/** A text area of the request page, with its hint and errors (all required). */
function TextArea({ ctx, name, label, hint, value, errors }: { ctx: PageContext; name: StaffField; label: string; hint: string; value: string; errors: StaffErrors }) {
  return (
    <TextAreaField
      t={ctx.t}
      name={name}
      label={
        <>
          {label} <Req ctx={ctx} />
        </>
      }
      hint={hint}
      errors={errors[name]}
      rows={6}
      required
      value={value}
    />
  );
}

/** The conversation after the request, notes included and marked. */
function StaffConversation({ ctx, request, href }: { ctx: PageContext; request: StaffRequestDetails; href: (a: AttachmentRow) => string }) {
  const { t, lang } = ctx;
  return (
    <ConversationPanel
      ctx={ctx}
      headingId="conversation"
      title={t('contact.staff.conversation')}
      none={t('contact.staff.conversation.none')}
      messages={request.messages}
      attachments={request.attachments}
      href={href}
      meta={(m) => {
        const author = m.author_type === 'customer' ? t('contact.staff.author.customer') : (m.staff_name ?? t('contact.staff.author.service'));
        return t('contact.staff.meta', { author, dateTime: formatDateTime(m.created_at, lang) });
      }}
      kind={(m) => (m.internal ? 'note' : m.author_type)}
      mark={(m) => m.internal === 1 && <p class="note-mark">{t('contact.staff.note.mark')}</p>}
    />
  );
}

export function StaffRequestView({ ctx, request, staff, meId, notice, values, errors }: StaffRequestViewProps) {
  const { t, lang } = ctx;
  const path = staffRequestPath(request.reference);
  const href = (a: AttachmentRow) => `${path}/pieces/${a.id}`;
  const emailed = Boolean((request.email_primary && request.email_primary_verified_at) || (request.email_secondary && request.email_secondary_verified_at));
  const labels: Record<StaffField, string> = {
    assignee: t('contact.staff.assign.label'),
    note: t('contact.staff.note.label'),
    reply: t('contact.staff.reply.label'),
    state: t('contact.staff.state.label'),
  };
  return (
    <>
      <p>
        <a href={INBOX_PATH}>{t('contact.staff.back')}</a>
      </p>
      <h1>{t('contact.request.title', { reference: request.reference })}</h1>
      {notice && (
        <StatusMessage>{t(notice.key, notice.params)}</StatusMessage>
      )}
      <ErrorSummary t={t} errors={errors} labels={labels} title="contact.staff.errorSummary" />
      <section class="panel" aria-labelledby="request-details">
        <h2 id="request-details">{t('contact.staff.details')}</h2>
        <dl class="facts">
          <dt>{t('contact.staff.customer')}</dt>
          <dd>
            <a href={customerHref(request.customer_number)}>
              {t('contact.staff.customerLink', { number: request.customer_number, name: displayName(request) })}
            </a>
          </dd>
          <dt>{t('contact.staff.customerLanguage')}</dt>
          <dd>{t(`contact.staff.language.${request.customer_language}`)}</dd>
          <dt>{t('contact.request.category')}</dt>
          <dd>{t(`contact.category.${request.category}`)}</dd>
          <dt>{t('contact.request.contract')}</dt>
          <dd>
            {request.contract_number ? `${request.contract_number}${request.car_park_name ? ` — ${request.car_park_name}` : ''}` : t('contact.request.none')}
          </dd>
          <dt>{t('contact.staff.received')}</dt>
          <dd>{formatDateTime(request.created_at, lang)}</dd>
          <dt>{t('contact.staff.state')}</dt>
          <dd>
            <span class={`status status-${request.status}`}>{t(`contact.staffStatus.${request.status}`)}</span>
          </dd>
          {request.closed_at && (
            <>
              <dt>{t('contact.staff.closedAt')}</dt>
              <dd>{formatDateTime(request.closed_at, lang)}</dd>
            </>
          )}
          <dt>{t('contact.staff.assignee')}</dt>
          <dd>{request.assignee_name ?? t('contact.inbox.nobody')}</dd>
          <RequestContentFacts ctx={ctx} request={request} labels={{ message: t('contact.staff.message'), files: t('contact.staff.attachments') }} href={href} />
        </dl>
        {request.attachments.length > 0 && <p class="hint">{t('contact.staff.attachments.hint')}</p>}
      </section>

      <StaffConversation ctx={ctx} request={request} href={href} />

      <section class="panel" aria-labelledby="actions">
        <h2 id="actions">{t('contact.staff.actions')}</h2>

        <h3 id="reply-title">{t('contact.staff.reply.title')}</h3>
        {!emailed && <p class="notice warning">{t('contact.staff.reply.noEmail')}</p>}
        <form method="post" action={`${path}/reponse`} aria-labelledby="reply-title" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="submission" value={values.replySubmission} />
          <TextArea ctx={ctx} name="reply" label={labels.reply} hint={t('contact.staff.reply.hint')} value={values.reply} errors={errors} />
          <div class="checkbox">
            <input type="checkbox" id="close" name="close" value="1" checked={values.close} />
            <label for="close">{t('contact.staff.reply.close')}</label>
          </div>
          <button type="submit" class="button">
            {t('contact.staff.reply.submit')}
          </button>
        </form>

        <h3 id="note-title">{t('contact.staff.note.title')}</h3>
        <form method="post" action={`${path}/note`} aria-labelledby="note-title" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="submission" value={values.noteSubmission} />
          <TextArea ctx={ctx} name="note" label={labels.note} hint={t('contact.staff.note.hint')} value={values.note} errors={errors} />
          <button type="submit" class="button secondary">
            {t('contact.staff.note.submit')}
          </button>
        </form>

        <h3 id="assign-title">{t('contact.staff.assign.title')}</h3>
        {request.assigned_staff_id !== meId && (
          <form method="post" action={`${path}/attribution`} class="inline-block">
            <CsrfField ctx={ctx} />
            <input type="hidden" name="assignee" value={meId} />
            <button type="submit" class="button secondary">
              {t('contact.staff.assign.me')}
            </button>
          </form>
        )}
        <form method="post" action={`${path}/attribution`} aria-labelledby="assign-title" novalidate>
          <CsrfField ctx={ctx} />
          <div class={errors.assignee ? 'field has-error' : 'field'}>
            <label for="assignee">{labels.assignee}</label>
            <FieldErrorText t={t} name="assignee" errors={errors.assignee} />
            <select id="assignee" name="assignee" aria-invalid={errors.assignee ? 'true' : undefined} aria-describedby={describedBy(errors.assignee && 'assignee-error')}>
              <option value="">{t('contact.staff.assign.nobody')}</option>
              {staff.map((s) => (
                <option key={s.id} value={s.id} selected={request.assigned_staff_id === s.id}>
                  {s.display_name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button secondary">
            {t('contact.staff.assign.submit')}
          </button>
        </form>

        <h3 id="state-title">{t('contact.staff.state.title')}</h3>
        <form method="post" action={`${path}/etat`} aria-labelledby="state-title" novalidate>
          <CsrfField ctx={ctx} />
          <div class={errors.state ? 'field has-error' : 'field'}>
            <label for="state">{labels.state}</label>
            <FieldErrorText t={t} name="state" errors={errors.state} />
            <select id="state" name="state" aria-invalid={errors.state ? 'true' : undefined} aria-describedby={describedBy(errors.state && 'state-error')}>
              {SETTABLE_STATES.map((s) => (
                <option key={s} value={s} selected={request.status === s}>
                  {t(`contact.staffStatus.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button secondary">
            {t('contact.staff.state.submit')}
          </button>
        </form>
      </section>
    </>
  );
}
