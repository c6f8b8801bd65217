import type { ComponentChildren } from 'preact';
import { newId } from '../../lib/clock.ts';
import type { CarPark } from '../../db/schema.ts';
import { ErrorSummary, Field, FieldErrorText, type FormError, TextAreaField, describedBy } from '../../lib/forms.tsx';
import { formatDate, formatDateTime } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import { CarParkCard, openingHoursText, telHref } from '../public/public.views.tsx';
import type { AttachmentRow, ContractChoice, RequestDetails, RequestSummary } from './contact.queries.ts';
import { type AnswerErrors, type AnswerValues, CATEGORIES, type ContactErrors, type ContactField, type ContactValues } from './contact.rules.ts';
import { describeFile, requestPath } from './contact.mails.ts';

export interface OperatorContacts {
  phone: string;
  email: string;
  address: string;
  name: string;
  /** Customer service's hours, as stored (`public.rules.ts`). */
  opening_hours: string;
}

export interface ContactFormData {
  contracts: ContractChoice[];
  requests: RequestSummary[];
  values: ContactValues;
  errors: ContactErrors;
}

/** A blank form, with a new one-time submission id. */
export const emptyValues = (): ContactValues => ({ category: '', contract: '', message: '', new_plate: '', effective_date: '', submission: newId() });

function ContactErrorSummary({ ctx, errors }: { ctx: PageContext; errors: ContactErrors }) {
  const { t } = ctx;
  const labels: Record<ContactField, string> = {
    category: t('contact.form.category'),
    contract: t('contact.form.contract'),
    message: t('contact.form.message'),
    new_plate: t('contact.form.plate'),
    effective_date: t('contact.form.date'),
    attachments: t('contact.form.files'),
  };
  // The category's link goes to its first radio button.
  return (
    <ErrorSummary t={t} errors={errors} labels={labels} anchors={{ category: 'category-address' }} title="contact.form.errorSummary" level={3}>
      <p>{t('contact.form.files.again')}</p>
    </ErrorSummary>
  );
}

const Req = ({ ctx }: { ctx: PageContext }) => <span class="req">{ctx.t('contact.form.requiredMark')}</span>;
const Opt = ({ ctx }: { ctx: PageContext }) => <span class="opt">{ctx.t('contact.form.optionalMark')}</span>;

/** The file input of the contact form and of an answer: its limits, and its errors. */
function AttachmentsField({ ctx, errors, hasErrors }: { ctx: PageContext; errors: FormError[] | undefined; hasErrors: boolean }) {
  const { t } = ctx;
  return (
    <div class={errors ? 'field has-error' : 'field'}>
      <label for="attachments">
        {t('contact.form.files')} <Opt ctx={ctx} />
      </label>
      <p class="hint" id="attachments-hint">
        {t('contact.form.files.hint')}
      </p>
      {hasErrors && (
        <p class="hint warning" id="attachments-again">
          {t('contact.form.files.again')}
        </p>
      )}
      <FieldErrorText t={t} name="attachments" errors={errors} list />
      <input
        type="file"
        id="attachments"
        name="attachments"
        multiple
        accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
        aria-invalid={errors ? 'true' : undefined}
        aria-describedby={describedBy('attachments-hint', hasErrors && 'attachments-again', errors && 'attachments-error')}
      />
    </div>
  );
}

export function ContactForm({ ctx, data }: { ctx: PageContext; data: ContactFormData }) {
  const { t } = ctx;
  const { values, errors, contracts } = data;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <section class="panel" aria-labelledby="contact-form-title">
      <h2 id="contact-form-title">{t('contact.form.title')}</h2>
      <p>{t('contact.form.intro')}</p>
      <ContactErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/contact" enctype="multipart/form-data" novalidate class="contact-form">
        {/* First: the route checks the token before it reads any file. */}
        <CsrfField ctx={ctx} />
        <input type="hidden" name="submission" value={values.submission} />
        <fieldset class={errors.category ? 'choice has-error' : 'choice'} aria-describedby={errors.category ? 'category-error' : undefined}>
          <legend>
            {t('contact.form.category')} <Req ctx={ctx} />
          </legend>
          <FieldErrorText t={t} name="category" errors={errors.category} />
          {CATEGORIES.map((c) => (
            <div class="radio-item" key={c}>
              <input type="radio" id={`category-${c}`} name="category" value={c} checked={values.category === c} />
              <label for={`category-${c}`}>{t(`contact.category.${c}`)}</label>
              {c === 'plate' && (
                <div class="conditional" id="plate-details">
                  <Field
                    t={t}
                    name="new_plate"
                    label={
                      <>
                        {t('contact.form.plate')} <Req ctx={ctx} />
                      </>
                    }
                    hint={t('contact.form.plate.hint')}
                    value={values.new_plate}
                    errors={errors.new_plate}
                    autocomplete="off"
                    required
                  />
                  <Field
                    t={t}
                    name="effective_date"
                    type="date"
                    label={
                      <>
                        {t('contact.form.date')} <Req ctx={ctx} />
                      </>
                    }
                    hint={t('contact.form.date.hint')}
                    value={values.effective_date}
                    errors={errors.effective_date}
                    required
                  />
                </div>
              )}
            </div>
          ))}
        </fieldset>

        <div class={errors.contract ? 'field has-error' : 'field'}>
          <label for="contract">
            {t('contact.form.contract')} <Opt ctx={ctx} />
          </label>
          <FieldErrorText t={t} name="contract" errors={errors.contract} />
          <select id="contract" name="contract" aria-invalid={errors.contract ? 'true' : undefined} aria-describedby={describedBy(errors.contract && 'contract-error')}>
            <option value="">{t('contact.form.contract.none')}</option>
            {contracts.map((k) => (
              <option key={k.id} value={k.number} selected={values.contract === k.number}>
                {k.status === 'ended' ? t('contact.form.contract.ended', { number: k.number, carPark: k.car_park_name }) : `${k.number} — ${k.car_park_name}`}
              </option>
            ))}
          </select>
        </div>

        <TextAreaField
          t={t}
          name="message"
          label={
            <>
              {t('contact.form.message')} <Req ctx={ctx} />
            </>
          }
          hint={t('contact.form.message.hint')}
          errors={errors.message}
          rows={8}
          required
          value={values.message}
        />

        <AttachmentsField ctx={ctx} errors={errors.attachments} hasErrors={hasErrors} />

        <button type="submit" class="button">
          {t('contact.form.submit')}
        </button>
      </form>
    </section>
  );
}

export function RequestsList({ ctx, requests }: { ctx: PageContext; requests: RequestSummary[] }) {
  const { t, lang } = ctx;
  return (
    <section class="panel" aria-labelledby="mes-demandes">
      <h2 id="mes-demandes" tabindex={-1}>
        {t('contact.requests.title')}
      </h2>
      {requests.length === 0 ? (
        <p>{t('contact.requests.none')}</p>
      ) : (
        <table class="stack requests">
          <thead>
            <tr>
              <th scope="col">{t('contact.requests.reference')}</th>
              <th scope="col">{t('contact.requests.date')}</th>
              <th scope="col">{t('contact.requests.category')}</th>
              <th scope="col">{t('contact.requests.contract')}</th>
              <th scope="col">{t('contact.requests.status')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id}>
                <th scope="row" data-label={t('contact.requests.reference')}>
                  <a href={`/contact/demandes/${r.reference}`}>{r.reference}</a>
                </th>
                <td data-label={t('contact.requests.date')}>{formatDate(r.created_at, lang)}</td>
                <td data-label={t('contact.requests.category')}>{t(`contact.category.${r.category}`)}</td>
                <td data-label={t('contact.requests.contract')}>{r.contract_number ?? t('contact.request.none')}</td>
                <td data-label={t('contact.requests.status')}>
                  <span class={`status status-${r.status}`}>{t(`contact.status.${r.status}`)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ContactPageView({
  ctx,
  operator,
  parks,
  form,
}: {
  ctx: PageContext;
  operator: OperatorContacts;
  parks: CarPark[];
  /** The form and "Mes demandes", for a logged-in customer only. */
  form: ContactFormData | null;
}) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('contact.title')}</h1>
      <p>{t('contact.intro')}</p>
      {form ? (
        <>
          <ContactForm ctx={ctx} data={form} />
          <RequestsList ctx={ctx} requests={form.requests} />
        </>
      ) : (
        <p class="login-invite">
          {t('contact.login')} <a href="/connexion">{t('contact.login.link')}</a>
        </p>
      )}
      <section class="panel" aria-labelledby="service">
        <h2 id="service">{t('contact.service')}</h2>
        <dl class="facts">
          <dt>{t('contact.phone')}</dt>
          <dd>
            <a href={telHref(operator.phone)}>{operator.phone}</a>
          </dd>
          <dt>{t('parkings.hours')}</dt>
          <dd>{openingHoursText(ctx, operator.opening_hours)}</dd>
          <dt>{t('contact.email')}</dt>
          <dd>
            <a href={`mailto:${operator.email}`}>{operator.email}</a>
          </dd>
          <dt>{t('contact.address')}</dt>
          <dd>
            {operator.name}, {operator.address}
          </dd>
        </dl>
      </section>
      {parks.length > 0 && (
        <section class="panel" aria-labelledby="your-parks">
          <h2 id="your-parks">{t('contact.yourParks')}</h2>
          <div class="cards">
            {parks.map((p) => (
              <CarParkCard key={p.id} ctx={ctx} park={p} headingLevel={3} />
            ))}
          </div>
        </section>
      )}
    </>
  );
}

/** A link that downloads one attachment, named, typed and sized. */
export function AttachmentLink({ ctx, href, file }: { ctx: PageContext; href: string; file: AttachmentRow }) {
  const { t, lang } = ctx;
  const described = describeFile(t, lang, file);
  return (
    <a href={href} download={file.original_name} aria-label={t('contact.request.download', { file: described })}>
      {described}
    </a>
  );
}

/** The attachments of a request or of one of its messages, each a download link. */
export function AttachmentList({ ctx, files, href }: { ctx: PageContext; files: AttachmentRow[]; href: (a: AttachmentRow) => string }) {
  return (
    <ul class="attachments">
      {files.map((a) => (
        <li key={a.id}>
          <AttachmentLink ctx={ctx} href={href(a)} file={a} />
        </li>
      ))}
    </ul>
  );
}

/** The customer's answer, as typed, and what is wrong with it. */
export interface AnswerFormData {
  values: AnswerValues;
  errors: AnswerErrors;
}

export const emptyAnswer = (): AnswerFormData => ({ values: { message: '', submission: newId() }, errors: {} });

/** The customer's answer to their request: a message and files, as the contact form takes them. */
function AnswerForm({ ctx, request, form }: { ctx: PageContext; request: RequestDetails; form: AnswerFormData }) {
  const { t } = ctx;
  const { values, errors } = form;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <section class="panel" aria-labelledby="answer-title">
      <h2 id="answer-title">{t('contact.answer.title')}</h2>
      {request.status === 'waiting_customer' && <p>{t('contact.answer.waiting')}</p>}
      {request.status === 'closed' && <p>{t('contact.answer.reopen')}</p>}
      <ErrorSummary t={t} errors={errors} labels={{ message: t('contact.answer.message'), attachments: t('contact.form.files') }} title="contact.answer.errorSummary" level={3}>
        <p>{t('contact.form.files.again')}</p>
      </ErrorSummary>
      <form method="post" action={`${requestPath(request.reference)}/reponse`} enctype="multipart/form-data" novalidate class="contact-form">
        {/* First: the route checks the token before it reads any file. */}
        <CsrfField ctx={ctx} />
        <input type="hidden" name="submission" value={values.submission} />
        <TextAreaField
          t={t}
          name="message"
          label={
            <>
              {t('contact.answer.message')} <Req ctx={ctx} />
            </>
          }
          hint={t('contact.form.message.hint')}
          errors={errors.message}
          rows={6}
          required
          value={values.message}
        />
        <AttachmentsField ctx={ctx} errors={errors.attachments} hasErrors={hasErrors} />
        <button type="submit" class="button">
          {t('contact.answer.submit')}
        </button>
      </form>
    </section>
  );
}

/** A message of a request's conversation, as both the customer's page and the back office list them. */
interface ConversationMessage {
  id: string;
  author_type: string;
  created_at: string;
  body: string;
}

/**
 * A request's conversation: each message with its meta line, its text and its files. The one
 * rendering for the customer's page and the back office's; they differ by the words (heading,
 * meta line), the message's class and a mark before it (the back office's internal notes).
 */
export function ConversationPanel<M extends ConversationMessage>({
  ctx,
  headingId,
  title,
  none,
  messages,
  attachments,
  href,
  meta,
  kind = (m) => m.author_type,
  mark,
}: {
  ctx: PageContext;
  headingId: string;
  title: string;
  none: string;
  messages: M[];
  attachments: AttachmentRow[];
  href: (a: AttachmentRow) => string;
  meta: (m: M) => string;
  /** The message's class after `message-`: its author's type unless said otherwise. */
  kind?: (m: M) => string;
  mark?: (m: M) => ComponentChildren;
}) {
  return (
    <section class="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {messages.length === 0 ? (
        <p>{none}</p>
      ) : (
        <ol class="conversation">
          {messages.map((m) => {
            const files = attachments.filter((a) => a.message_id === m.id);
            return (
              <li key={m.id} class={`message message-${kind(m)}`}>
                {mark?.(m)}
                <p class="message-meta">{meta(m)}</p>
                <p class="message-text">{m.body}</p>
                {files.length > 0 && <AttachmentList ctx={ctx} files={files} href={href} />}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** The conversation after the request, as the customer sees it: their answers and the service's replies (never a note). */
function Conversation({ ctx, request }: { ctx: PageContext; request: RequestDetails }) {
  const { t, lang } = ctx;
  return (
    <ConversationPanel
      ctx={ctx}
      headingId="conversation-title"
      title={t('contact.conversation.title')}
      none={t('contact.conversation.none')}
      messages={request.messages}
      attachments={request.attachments}
      href={(a) => `${requestPath(request.reference)}/pieces/${a.id}`}
      meta={(m) =>
        t('contact.conversation.meta', {
          author: t(m.author_type === 'customer' ? 'contact.conversation.you' : 'contact.conversation.service'),
          dateTime: formatDateTime(m.created_at, lang),
        })
      }
    />
  );
}

/**
 * What a request says, as `<dt>`/`<dd>` pairs inside its facts: the new plate and its date (a plate
 * change), the message and the files sent with it. The customer's page and the back office's;
 * they name the message and the files in their own words.
 */
export function RequestContentFacts({
  ctx,
  request,
  labels,
  href,
}: {
  ctx: PageContext;
  request: { new_plate: string | null; effective_date: string | null; message: string; attachments: AttachmentRow[] };
  labels: { message: string; files: string };
  href: (a: AttachmentRow) => string;
}) {
  const { t, lang } = ctx;
  const own = request.attachments.filter((a) => a.message_id === null);
  return (
    <>
      {request.new_plate && (
        <>
          <dt>{t('contact.request.plate')}</dt>
          <dd class="plate">{request.new_plate}</dd>
        </>
      )}
      {request.effective_date && (
        <>
          <dt>{t('contact.request.effective')}</dt>
          <dd>{formatDate(request.effective_date, lang)}</dd>
        </>
      )}
      <dt>{labels.message}</dt>
      <dd class="message-text">{request.message}</dd>
      <dt>{labels.files}</dt>
      <dd>{own.length === 0 ? t('contact.request.noFiles') : <AttachmentList ctx={ctx} files={own} href={href} />}</dd>
    </>
  );
}

export function RequestView({
  ctx,
  request,
  sent,
  answered,
  answer,
}: {
  ctx: PageContext;
  request: RequestDetails;
  /** Just sent: the confirmation, and to whom the acknowledgement goes. */
  sent: { addresses: string[] } | null;
  /** The customer's answer just sent. */
  answered: boolean;
  answer: AnswerFormData;
}) {
  const { t, lang } = ctx;
  return (
    <>
      <h1>{t('contact.request.title', { reference: request.reference })}</h1>
      {sent && (
        <div class="notice" role="status">
          <p>{t('contact.request.sent', { reference: request.reference })}</p>
          <p>{sent.addresses.length > 0 ? t('contact.request.ackSent', { addresses: sent.addresses.join(', ') }) : t('contact.request.noAck')}</p>
        </div>
      )}
      {answered && (
        <StatusMessage>{t('contact.answer.sent')}</StatusMessage>
      )}
      <section class="panel" aria-labelledby="request-details">
        <h2 id="request-details">{t('contact.request.details')}</h2>
        <dl class="facts">
          <dt>{t('contact.request.reference')}</dt>
          <dd>{request.reference}</dd>
          <dt>{t('contact.request.date')}</dt>
          <dd>{formatDate(request.created_at, lang)}</dd>
          <dt>{t('contact.request.category')}</dt>
          <dd>{t(`contact.category.${request.category}`)}</dd>
          <dt>{t('contact.request.contract')}</dt>
          <dd>
            {request.contract_number ? (
              <a href={`/contrats/${encodeURIComponent(request.contract_number)}`}>
                {request.contract_number}
                {request.car_park_name ? ` — ${request.car_park_name}` : ''}
              </a>
            ) : (
              t('contact.request.none')
            )}
          </dd>
          <dt>{t('contact.request.status')}</dt>
          <dd>
            <span class={`status status-${request.status}`}>{t(`contact.status.${request.status}`)}</span>
          </dd>
          <RequestContentFacts
            ctx={ctx}
            request={request}
            labels={{ message: t('contact.request.message'), files: t('contact.request.files') }}
            href={(a) => `${requestPath(request.reference)}/pieces/${a.id}`}
          />
        </dl>
      </section>
      <Conversation ctx={ctx} request={request} />
      <AnswerForm ctx={ctx} request={request} form={answer} />
      <p>
        <a href="/contact#mes-demandes">{t('contact.request.back')}</a>
      </p>
    </>
  );
}
