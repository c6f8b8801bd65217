import type { ComponentChildren } from 'preact';
import type { MessageKey, Translate } from './i18n.ts';

/** Field name → message key of what is wrong with it. */
export type FieldErrors = Partial<Record<string, MessageKey>>;

/** The error summary at the top of a form: a list of links to the fields in error. */
export function ErrorSummary({ t, errors, labels }: { t: Translate; errors: FieldErrors; labels: Record<string, string> }) {
  const entries = Object.entries(errors).filter((e): e is [string, MessageKey] => Boolean(e[1]));
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{t('activate.errorSummary', { count: entries.length })}</h2>
      <ul>
        {entries.map(([field, key]) => (
          <li key={field}>
            <a href={`#${field}`}>
              {labels[field] ? `${labels[field]} : ` : ''}
              {t(key)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The `aria-describedby` of a field: the ids given, or nothing. */
export const describedBy = (...ids: Array<string | false | undefined | null>) => ids.filter(Boolean).join(' ') || undefined;

/** A labelled input with its hint and, when wrong, its error right next to it. */
export function Field(props: {
  t: Translate;
  name: string;
  label: ComponentChildren;
  type?: string;
  value?: string;
  error?: MessageKey | undefined;
  errorParams?: Record<string, string | number>;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: string;
  /** The id of an error shown elsewhere (a form-level message) that concerns this field too. */
  formError?: string | undefined;
}) {
  const { t, name, error } = props;
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={name}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${name}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${name}-error`}>
          {t(error, props.errorParams)}
        </p>
      )}
      <input
        id={name}
        name={name}
        type={(props.type ?? 'text') as 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode as never}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={error || props.formError ? 'true' : undefined}
        aria-describedby={describedBy(props.hint ? `${name}-hint` : null, error ? `${name}-error` : null, props.formError ?? null)}
      />
    </div>
  );
}
