import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { ErrorSummary, Field, FieldErrorText, type FormErrors, addError } from './forms.tsx';
import { translator } from './i18n.ts';

const t = translator('fr');

describe('form errors', () => {
  it('adds errors to a field in the order found, with their params', () => {
    const errors: FormErrors<'password' | 'attachments'> = {};
    addError(errors, 'attachments', 'contact.error.file.type', { name: 'a.exe' });
    addError(errors, 'attachments', 'contact.error.file.empty', { name: 'b.pdf' });
    addError(errors, 'password', 'error.password.mismatch');
    expect(errors).toEqual({
      attachments: [
        { key: 'contact.error.file.type', params: { name: 'a.exe' } },
        { key: 'contact.error.file.empty', params: { name: 'b.pdf' } },
      ],
      password: [{ key: 'error.password.mismatch' }],
    });
  });

  it('sums them up in the order of the labels, one link per error, with their params', () => {
    const errors: FormErrors = {};
    addError(errors, 'email_primary', 'error.email.required');
    addError(errors, 'password', 'error.password.tooShort', { min: 12, max: 256 });
    const html = renderToString(<ErrorSummary t={t} errors={errors} labels={{ password: 'Mot de passe', email_primary: 'Adresse' }} />);
    expect(html).toContain('<h2 id="error-summary-title">Le formulaire contient 2 erreur(s) :</h2>');
    expect(html.indexOf('href="#password"')).toBeLessThan(html.indexOf('href="#email_primary"'));
    expect(html).toContain('Mot de passe : Le mot de passe doit contenir au moins 12 caractères.');
    const en = renderToString(<ErrorSummary t={translator('en')} errors={errors} labels={{ password: 'Password' }} />);
    expect(en).toContain('The form has 1 error(s):');
    expect(en).toContain('Password: The password must be at least 12 characters long.');
    expect(en).not.toContain('email_primary');
  });

  it('links to another control when told, and says nothing without errors', () => {
    const errors: FormErrors<'category'> = { category: [{ key: 'contact.error.category' }] };
    const html = renderToString(
      <ErrorSummary t={t} errors={errors} labels={{ category: 'Objet' }} anchors={{ category: 'category-address' }} title="contact.form.errorSummary" level={3}>
        <p>après</p>
      </ErrorSummary>,
    );
    expect(html).toContain('<h3 id="error-summary-title">');
    expect(html).toContain('href="#category-address"');
    expect(html).toMatch(/<\/ul><p>après<\/p><\/div>$/);
    expect(renderToString(<ErrorSummary t={t} errors={{}} labels={{ category: 'Objet' }} />)).toBe('');
  });

  it('shows a field’s error next to it, a list field’s as a block', () => {
    const one = [{ key: 'error.email.required' as const }];
    expect(renderToString(<FieldErrorText t={t} name="email" errors={one} />)).toBe('<p class="field-error" id="email-error">Saisissez votre adresse e-mail principale.</p>');
    expect(renderToString(<FieldErrorText t={t} name="attachments" errors={one} list />)).toBe(
      '<div class="field-error" id="attachments-error"><p>Saisissez votre adresse e-mail principale.</p></div>',
    );
    expect(renderToString(<FieldErrorText t={t} name="email" errors={undefined} />)).toBe('');
    const field = renderToString(<Field t={t} name="email" label="Adresse" hint="Indice" errors={one} />);
    expect(field).toContain('class="field has-error"');
    expect(field).toContain('aria-invalid="true" aria-describedby="email-hint email-error"');
  });
});
