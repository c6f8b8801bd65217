import type { ComponentChildren } from 'preact';
import { STAFF_PREFIX } from '../../areas/staff-area.ts';
import type { StaffRole, StaffState } from '../../db/schema.ts';
import { ErrorSummary, Field, FieldErrorText, type FormErrors, describedBy } from '../../lib/forms.tsx';
import { type MessageKey, type Translate, formatDate, formatDateTime } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import type { TeamRow } from './staff.queries.ts';
import { type InviteValues, STAFF_ROLES } from './staff.rules.ts';
import type { EnrolmentLink } from './team.service.ts';

/* The team page (admins): the members, the invitation form; one member's page with the changes an admin can make. */

const roleKey = (r: StaffRole): MessageKey => (r === 'admin' ? 'staff.role.admin' : 'staff.role.agent');
const stateKey = (s: StaffState): MessageKey => `staff.state.${s}`;
const nameOf = (t: Translate, m: { display_name: string }) => m.display_name || t('staff.team.noName');

/** A link just issued, shown once: where it was e-mailed, until when it works, and the link itself. */
function LinkIssued({ ctx, email, link }: { ctx: PageContext; email: string; link: EnrolmentLink }) {
  return (
    <div class="notice" role="status">
      <p>{ctx.t('staff.link.sent', { email, date: formatDateTime(link.expiresAt, ctx.lang) })}</p>
      <p class="enrolment-link">{link.url}</p>
    </div>
  );
}

/** The role, as radio buttons (agent or admin). */
function RoleChoice({ t, value, errors }: { t: Translate; value: string; errors?: FormErrors['role'] }) {
  return (
    <fieldset class="choices" aria-describedby={describedBy(errors?.length ? 'role-error' : null)}>
      <legend>{t('staff.field.role')}</legend>
      <FieldErrorText t={t} name="role" errors={errors} />
      {STAFF_ROLES.map((r, i) => (
        <div class="radio-item" key={r}>
          <input type="radio" id={i === 0 ? 'role' : `role-${r}`} name="role" value={r} checked={value === r} />
          <label for={i === 0 ? 'role' : `role-${r}`}>{t(`staff.role.option.${r}`)}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function TeamView({
  ctx,
  members,
  values,
  errors = {},
  invited,
}: {
  ctx: PageContext;
  members: TeamRow[];
  values: InviteValues;
  errors?: FormErrors;
  invited?: { email: string; link: EnrolmentLink } | undefined;
}) {
  const { t, lang } = ctx;
  const labels = { email: t('staff.field.email'), name: t('staff.field.name'), role: t('staff.field.role') };
  return (
    <>
      <h1>{t('staff.team.title')}</h1>
      {invited && <LinkIssued ctx={ctx} email={invited.email} link={invited.link} />}
      <section class="panel">
        <table class="stack">
          <caption>{t('staff.team.caption', { count: members.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('staff.team.col.name')}</th>
              <th scope="col">{t('staff.team.col.email')}</th>
              <th scope="col">{t('staff.team.col.role')}</th>
              <th scope="col">{t('staff.team.col.state')}</th>
              <th scope="col">{t('staff.team.col.lastLogin')}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <th scope="row" data-label={t('staff.team.col.name')}>
                  <a href={`${STAFF_PREFIX}/equipe/${m.id}`}>{nameOf(t, m)}</a>
                </th>
                <td data-label={t('staff.team.col.email')}>{m.email}</td>
                <td data-label={t('staff.team.col.role')}>{t(roleKey(m.role))}</td>
                <td data-label={t('staff.team.col.state')}>{t(stateKey(m.state))}</td>
                <td data-label={t('staff.team.col.lastLogin')}>{m.last_login_at ? formatDateTime(m.last_login_at, lang) : t('staff.team.never')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel narrow" aria-labelledby="invite-heading">
        <h2 id="invite-heading">{t('staff.team.invite.heading')}</h2>
        <ErrorSummary t={t} errors={errors} labels={labels} level={3} />
        <p>{t('staff.team.invite.intro')}</p>
        <form method="post" action={`${STAFF_PREFIX}/equipe`} novalidate>
          <CsrfField ctx={ctx} />
          <Field t={t} name="email" type="email" label={labels.email} value={values.email} errors={errors.email} autocomplete="off" required />
          <Field t={t} name="name" label={labels.name} hint={t('staff.field.name.hint')} value={values.name} errors={errors.name} autocomplete="off" />
          <RoleChoice t={t} value={values.role} errors={errors.role} />
          <button type="submit" class="button">
            {t('staff.team.invite.submit')}
          </button>
        </form>
      </section>
    </>
  );
}

/** One action of the member page: a heading, what it does, its form. */
function Action({ ctx, id, heading, intro, action, submit, children }: { ctx: PageContext; id: string; heading: MessageKey; intro?: MessageKey; action: string; submit: MessageKey; children?: ComponentChildren }) {
  const { t } = ctx;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>{t(heading)}</h2>
      {intro && <p>{t(intro)}</p>}
      <form method="post" action={action}>
        <CsrfField ctx={ctx} />
        {children}
        <button type="submit" class="button">
          {t(submit)}
        </button>
      </form>
    </section>
  );
}

export function MemberView({
  ctx,
  member,
  isSelf,
  notice,
  error,
  link,
}: {
  ctx: PageContext;
  member: TeamRow;
  isSelf: boolean;
  notice?: MessageKey | undefined;
  error?: MessageKey | undefined;
  link?: EnrolmentLink | undefined;
}) {
  const { t, lang } = ctx;
  const base = `${STAFF_PREFIX}/equipe/${member.id}`;
  return (
    <>
      <p>
        <a href={`${STAFF_PREFIX}/equipe`}>{t('staff.member.back')}</a>
      </p>
      <h1>{t('staff.member.title', { name: nameOf(t, member) })}</h1>
      {notice && (
        <StatusMessage>{t(notice)}</StatusMessage>
      )}
      {error && (
        <StatusMessage alert>{t(error)}</StatusMessage>
      )}
      {link && <LinkIssued ctx={ctx} email={member.email} link={link} />}
      <section class="panel">
        <dl class="facts">
          <dt>{t('staff.team.col.email')}</dt>
          <dd>{member.email}</dd>
          <dt>{t('staff.team.col.role')}</dt>
          <dd>{t(roleKey(member.role))}</dd>
          <dt>{t('staff.team.col.state')}</dt>
          <dd>
            {t(stateKey(member.state))}
            {member.disabled_at && <span class="line">{t('staff.member.disabledAt', { date: formatDate(member.disabled_at, lang) })}</span>}
          </dd>
          <dt>{t('staff.team.col.lastLogin')}</dt>
          <dd>{member.last_login_at ? formatDateTime(member.last_login_at, lang) : t('staff.team.never')}</dd>
        </dl>
        <p class="muted">
          {t('staff.member.since', { date: formatDate(member.created_at, lang) })}
          {isSelf && ` ${t('staff.member.you')}`}
        </p>
      </section>
      {member.state === 'disabled' ? (
        <Action ctx={ctx} id="enable-heading" heading="staff.member.enable.heading" action={`${base}/reactivation`} submit="staff.member.enable.submit" />
      ) : (
        <>
          <Action ctx={ctx} id="role-heading" heading="staff.member.role.heading" action={`${base}/role`} submit="staff.member.role.submit">
            <RoleChoice t={t} value={member.role} />
          </Action>
          {!isSelf && (
            <>
              <Action ctx={ctx} id="link-heading" heading="staff.member.link.heading" intro="staff.member.link.intro" action={`${base}/nouveau-lien`} submit="staff.member.link.submit" />
              <Action ctx={ctx} id="disable-heading" heading="staff.member.disable.heading" intro="staff.member.disable.intro" action={`${base}/desactivation`} submit="staff.member.disable.submit" />
            </>
          )}
        </>
      )}
    </>
  );
}
