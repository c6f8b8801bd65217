import { jsx as _jsx, jsxs as _jsxs } from "preact/jsx-runtime";
/** Adds an error to a field. */
export function addError(errors, field, key, params) {
    (errors[field] ??= []).push(params ? { key, params } : { key });
}
/**
 * The error summary at the top of a form: a link to each error, with its field's label, in
 * the order of `labels` (the form's order). `anchors` names the control a link goes to when
 * it is not the field's own id; `children` follow the list.
 */
export function ErrorSummary(props) {
    const { t, errors, labels } = props;
    const entries = Object.keys(labels).flatMap((field) => (errors[field] ?? []).map((error) => [field, error]));
    if (entries.length === 0)
        return null;
    const Heading = props.level === 3 ? 'h3' : 'h2';
    return (_jsxs("div", { class: "error-summary", role: "alert", "aria-labelledby": "error-summary-title", tabindex: -1, children: [_jsx(Heading, { id: "error-summary-title", children: t(props.title ?? 'activate.errorSummary', { count: entries.length }) }), _jsx("ul", { children: entries.map(([field, error], i) => (_jsx("li", { children: _jsx("a", { href: `#${props.anchors?.[field] ?? field}`, children: t('format.labelValue', { label: labels[field], value: t(error.key, error.params) }) }) }, i))) }), props.children] }));
}
/**
 * A field's errors, right next to it, as `<name>-error` (for its `aria-describedby`): one
 * paragraph, or — for a field that holds a list, such as attachments — a block of paragraphs.
 */
export function FieldErrorText({ t, name, errors, list }) {
    if (!errors?.length)
        return null;
    if (!list && errors.length === 1) {
        return (_jsx("p", { class: "field-error", id: `${name}-error`, children: t(errors[0].key, errors[0].params) }));
    }
    return (_jsx("div", { class: "field-error", id: `${name}-error`, children: errors.map((e, i) => (_jsx("p", { children: t(e.key, e.params) }, i))) }));
}
/** The `aria-describedby` of a field: the ids given, or nothing. */
export const describedBy = (...ids) => ids.filter(Boolean).join(' ') || undefined;
/** A field's frame: its label, hint and errors above the control (`Field`, `TextAreaField`, and a feature's own controls). */
export function FieldFrame(props) {
    const { name } = props;
    return (_jsxs("div", { class: props.errors?.length ? 'field has-error' : 'field', children: [_jsx("label", { for: name, children: props.label }), props.hint && (_jsx("p", { class: "hint", id: `${name}-hint`, children: props.hint })), _jsx(FieldErrorText, { t: props.t, name: name, errors: props.errors, list: props.list }), props.children] }));
}
/** A labelled input with its hint and, when wrong, its errors right next to it. */
export function Field(props) {
    const { t, name } = props;
    const wrong = Boolean(props.errors?.length);
    return (_jsx(FieldFrame, { t: t, name: name, label: props.label, hint: props.hint, errors: props.errors, children: _jsx("input", { id: name, name: name, type: (props.type ?? 'text'), value: props.value ?? '', autocomplete: props.autocomplete, inputmode: props.inputmode, "aria-required": props.required ? 'true' : undefined, "aria-invalid": wrong || props.formError ? 'true' : undefined, "aria-describedby": describedBy(props.hint ? `${name}-hint` : null, wrong ? `${name}-error` : null, props.formError ?? null) }) }));
}
/** A labelled text area with its hint and errors: the one way every form writes one (as `Field` for an input). */
export function TextAreaField(props) {
    const { t, name } = props;
    const wrong = Boolean(props.errors?.length);
    return (_jsx(FieldFrame, { t: t, name: name, label: props.label, hint: props.hint, errors: props.errors, list: props.list, children: _jsx("textarea", { id: name, name: name, rows: props.rows, "aria-required": props.required ? 'true' : undefined, "aria-invalid": wrong ? 'true' : undefined, "aria-describedby": describedBy(props.hint ? `${name}-hint` : null, wrong ? `${name}-error` : null), value: props.value }) }));
}
//# sourceMappingURL=forms.js.map