import type { MessageKey } from '../../lib/i18n.ts';
import { formatDateTime } from '../../lib/i18n.ts';
import type { PageContext } from '../../lib/page.tsx';
import type { AuditRow } from './audit.queries.ts';
import { detailLines } from './audit.rules.ts';
import { StatusMessage } from '../../lib/page.tsx';

export const AUDIT_PATH = '/gestion/journal';

/** The filters as the form holds them (and the links of the pages keep them). */
export interface AuditFilterValues {
  membre: string;
  client: string;
  action: string;
  du: string;
  au: string;
}

/** The log's address with these filters, from this cursor on. */
export function auditHref(f: AuditFilterValues, avant?: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) params.set(k, v);
  if (avant) params.set('avant', avant);
  const query = params.toString();
  return query ? `${AUDIT_PATH}?${query}` : AUDIT_PATH;
}

function Filters({ ctx, values, staff }: { ctx: PageContext; values: AuditFilterValues; staff: { id: string; display_name: string; email: string }[] }) {
  const { t } = ctx;
  const text = (name: keyof AuditFilterValues, label: MessageKey, type: 'text' | 'date' = 'text', hint?: MessageKey) => (
    <div class="field">
      <label for={`f-${name}`}>{t(label)}</label>
      {hint && (
        <p class="hint" id={`f-${name}-hint`}>
          {t(hint)}
        </p>
      )}
      <input id={`f-${name}`} name={name} type={type as 'text'} value={values[name]} aria-describedby={hint ? `f-${name}-hint` : undefined} />
    </div>
  );
  return (
    <form method="get" action={AUDIT_PATH} class="filters" aria-label={t('audit.filters')}>
      <div class="field">
        <label for="f-membre">{t('audit.filter.staff')}</label>
        <select id="f-membre" name="membre">
          <option value="">{t('audit.filter.staff.all')}</option>
          {staff.map((m) => (
            <option key={m.id} value={m.id} selected={values.membre === m.id}>
              {`${m.display_name} (${m.email})`}
            </option>
          ))}
        </select>
      </div>
      {text('client', 'audit.filter.customer')}
      {text('action', 'audit.filter.action', 'text', 'audit.filter.action.hint')}
      {text('du', 'audit.filter.from', 'date')}
      {text('au', 'audit.filter.to', 'date')}
      <div class="filter-actions">
        <button type="submit" class="button">
          {t('audit.filter.submit')}
        </button>{' '}
        <a href={AUDIT_PATH}>{t('audit.filter.reset')}</a>
      </div>
    </form>
  );
}

function Who({ ctx, row }: { ctx: PageContext; row: AuditRow }) {
  const { t } = ctx;
  switch (row.actor_type) {
    case 'staff':
      return <>{row.staff_name ? t('audit.actor.staff', { name: row.staff_name }) : t('audit.actor.unknownStaff', { id: row.actor_id ?? '—' })}</>;
    case 'customer':
      return (
        <>
          {row.actor_customer_number ? t('audit.actor.customer', { number: row.actor_customer_number }) : t('audit.actor.unknownCustomer', { id: row.actor_id ?? '—' })}
          {/* A user of a business account acting for it (issue 14): by name. */}
          {row.user_name && <> {t('users.audit.by', { name: row.user_name })}</>}
        </>
      );
    default:
      return <>{t(`audit.actor.${row.actor_type}`)}</>;
  }
}

function Target({ ctx, row }: { ctx: PageContext; row: AuditRow }) {
  const { t } = ctx;
  if (row.target_customer_number) {
    const n = row.target_customer_number;
    return (
      <a href={`/gestion/clients/${encodeURIComponent(n)}`} aria-label={t('audit.target.customerLabel', { number: n })}>
        {n}
      </a>
    );
  }
  if (!row.target_type) return <>{t('audit.target.none')}</>;
  return <>{`${row.target_type} ${row.target_id ?? ''}`.trim()}</>;
}

export interface AuditPageProps {
  values: AuditFilterValues;
  staff: { id: string; display_name: string; email: string }[];
  rows: AuditRow[];
  /** The cursor of the next (older) page, when there is one. */
  next: string | null;
  /** Whether this page is a later one (a link back to the newest entries). */
  paged: boolean;
  unknownCustomer: string | null;
}

/** The audit log: its filters, a table of entries, newest first, and the way to older ones. */
export function AuditView({ ctx, values, staff, rows, next, paged, unknownCustomer }: { ctx: PageContext } & AuditPageProps) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      <Filters ctx={ctx} values={values} staff={staff} />
      {unknownCustomer && (
        <StatusMessage alert>{t('audit.unknownCustomer', { number: unknownCustomer })}</StatusMessage>
      )}
      {rows.length === 0 ? (
        <p>{t('audit.none')}</p>
      ) : (
        <table class="stack audit-log">
          <caption>{t('audit.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.col.at')}</th>
              <th scope="col">{t('audit.col.who')}</th>
              <th scope="col">{t('audit.col.action')}</th>
              <th scope="col">{t('audit.col.outcome')}</th>
              <th scope="col">{t('audit.col.target')}</th>
              <th scope="col">{t('audit.col.ip')}</th>
              <th scope="col">{t('audit.col.details')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const details = detailLines(r.details);
              return (
                <tr key={r.id}>
                  <td data-label={t('audit.col.at')}>
                    <time dateTime={r.at}>{formatDateTime(r.at, ctx.lang)}</time>
                  </td>
                  <td data-label={t('audit.col.who')}>
                    <Who ctx={ctx} row={r} />
                  </td>
                  <td data-label={t('audit.col.action')}>
                    <code>{r.action}</code>
                  </td>
                  <td data-label={t('audit.col.outcome')}>{t(`audit.outcome.${r.outcome}`)}</td>
                  <td data-label={t('audit.col.target')}>
                    <Target ctx={ctx} row={r} />
                  </td>
                  <td data-label={t('audit.col.ip')}>{r.ip ?? '—'}</td>
                  <td data-label={t('audit.col.details')}>
                    {details.length > 0 && (
                      <ul class="audit-details">
                        {details.map((d, i) => (
                          <li key={i}>{d.key ? t('format.labelValue', { label: d.key, value: d.value }) : d.value}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {(next || paged) && (
        <nav aria-label={t('audit.paging')} class="paging">
          <ul>
            {paged && (
              <li>
                <a href={auditHref(values)}>{t('audit.newest')}</a>
              </li>
            )}
            {next && (
              <li>
                <a href={auditHref(values, next)} rel="next">
                  {t('audit.older')}
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>
  );
}
