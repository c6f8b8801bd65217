import type { ComponentChildren } from 'preact';
import type { MessageKey, Translate } from './i18n.ts';

/** Something wrong with a field: a message, and the values of its placeholders. */
export interface FormError<K extends MessageKey = MessageKey> {
  key: K;
  params?: Record<string, string | number>;
}

/**
 * What is wrong with a form: field name → its errors, in the order found. A field in error
 * has at least one; a field may have several (one per attachment that is refused).
 */
export type FormErrors<F extends string = string> = Partial<Record<F, FormError[]>>;

/** Adds an error to a field. */
export function addError<F extends string>(errors: FormErrors<F>, field: F, key: MessageKey, params?: Record<string, string | number>) {
  (errors[field] ??= []).push(params ? { key, params } : { key });
}

/**
 * The error summary at the top of a form: a link to each error, with its field's label, in
 * the order of `labels` (the form's order). `anchors` names the control a link goes to when
 * it is not the field's own id; `children` follow the list.
 */
export function ErrorSummary<F extends string>(props: {
  t: Translate;
  /** The form's errors; the summary lists those of the fields in `labels`. */
  errors: NoInfer<FormErrors<F>>;
  labels: Record<F, string>;
  anchors?: Partial<Record<F, string>>;
  title?: MessageKey;
  /** The heading's level: 3 when the form sits under a heading of level 2. */
  level?: 2 | 3;
  children?: ComponentChildren;
}) {
  const { t, errors, labels } = props;
  const entries = (Object.keys(labels) as F[]).flatMap((field) => (errors[field] ?? []).map((error) => [field, error] as const));
  if (entries.length === 0) return null;
  const Heading = props.level === 3 ? 'h3' : 'h2';
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <Heading id="error-summary-title">{t(props.title ?? 'activate.errorSummary', { count: entries.length })}</Heading>
      <ul>
        {entries.map(([field, error], i) => (
          <li key={i}>
            <a href={`#${props.anchors?.[field] ?? field}`}>
              {t('format.labelValue', { label: labels[field], value: t(error.key, error.params) })}
            </a>
          </li>
        ))}
      </ul>
      {props.children}
    </div>
  );
}

/**
 * A field's errors, right next to it, as `<name>-error` (for its `aria-describedby`): one
 * paragraph, or — for a field that holds a list, such as attachments — a block of paragraphs.
 */
export function FieldErrorText({ t, name, errors, list }: { t: Translate; name: string; errors: FormError[] | undefined; list?: boolean }) {
  if (!errors?.length) return null;
  if (!list && errors.length === 1) {
    return (
      <p class="field-error" id={`${name}-error`}>
        {t(errors[0]!.key, errors[0]!.params)}
      </p>
    );
  }
  return (
    <div class="field-error" id={`${name}-error`}>
      {errors.map((e, i) => (
        <p key={i}>{t(e.key, e.params)}</p>
      ))}
    </div>
  );
}

/** The `aria-describedby` of a field: the ids given, or nothing. */
export const describedBy = (...ids: Array<string | false | undefined | null>) => ids.filter(Boolean).join(' ') || undefined;

/** A field's frame: its label, hint and errors above the control (`Field`, `TextAreaField`, and a feature's own controls). */
export function FieldFrame(props: { t: Translate; name: string; label: ComponentChildren; hint?: string | undefined; errors: FormError[] | undefined; list?: boolean | undefined; children: ComponentChildren }) {
  const { name } = props;
  return (
    <div class={props.errors?.length ? 'field has-error' : 'field'}>
      <label for={name}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${name}-hint`}>
          {props.hint}
        </p>
      )}
      <FieldErrorText t={props.t} name={name} errors={props.errors} list={props.list} />
      {props.children}
    </div>
  );
}

/** A labelled input with its hint and, when wrong, its errors right next to it. */
export function Field(props: {
  t: Translate;
  name: string;
  label: ComponentChildren;
  type?: string;
  value?: string;
  errors?: FormError[] | undefined;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: string;
  /** The id of an error shown elsewhere (a form-level message) that concerns this field too. */
  formError?: string | undefined;
}) {
  const { t, name } = props;
  const wrong = Boolean(props.errors?.length);
  return (
    <FieldFrame t={t} name={name} label={props.label} hint={props.hint} errors={props.errors}>
      <input
        id={name}
        name={name}
        type={(props.type ?? 'text') as 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode as never}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={wrong || props.formError ? 'true' : undefined}
        aria-describedby={describedBy(props.hint ? `${name}-hint` : null, wrong ? `${name}-error` : null, props.formError ?? null)}
      />
    </FieldFrame>
  );
}

/** A labelled text area with its hint and errors: the one way every form writes one (as `Field` for an input). */
export function TextAreaField(props: {
  t: Translate;
  name: string;
  label: ComponentChildren;
  hint?: string;
  value: string;
  errors?: FormError[] | undefined;
  rows: number;
  required?: boolean;
  /** The errors as a list (several lines of the text may be wrong). */
  list?: boolean;
}) {
  const { t, name } = props;
  const wrong = Boolean(props.errors?.length);
  return (
    <FieldFrame t={t} name={name} label={props.label} hint={props.hint} errors={props.errors} list={props.list}>
      <textarea
        id={name}
        name={name}
        rows={props.rows}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={wrong ? 'true' : undefined}
        aria-describedby={describedBy(props.hint ? `${name}-hint` : null, wrong ? `${name}-error` : null)}
        value={props.value}
      />
    </FieldFrame>
  );
}
