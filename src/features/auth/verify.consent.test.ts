import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds } from '../../../tests/support/app.ts';
import { newSubscriber } from '../../../tests/support/factories.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';

describe.each(databaseKinds())('paperless consent given at the first connection (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);

  it('is confirmed by e-mail once the first address is verified, and only once', async () => {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '10.8.0.1');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
    const done = await b.submit('/premiere-connexion', '/premiere-connexion', {
      password: 'cheval agrafe batterie',
      password_confirm: 'cheval agrafe batterie',
      email_primary: 'consent-first@example.fr',
      email_secondary: 'consent-second@example.fr',
      paperless: 'yes',
    });
    expect(done.statusCode).toBe(303);
    await mb.deliver();
    for (const address of ['consent-first@example.fr', 'consent-second@example.fr']) {
      const link = mb.link(mb.last(address)!.text, `${t.config.PUBLIC_URL}/verification-email/`)!;
      const page = await b.get(link.slice(t.config.PUBLIC_URL.length));
      await b.post('/verification-email', { _csrf: csrfToken(page.body), token: link.split('/').pop()! });
    }
    await mb.deliver();
    const confirmations = [...mb.smtp.to('consent-first@example.fr'), ...mb.smtp.to('consent-second@example.fr')].filter((m) =>
      /documents par e-mail/i.test(m.subject),
    );
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.to).toEqual(['consent-first@example.fr']);
  });
});
