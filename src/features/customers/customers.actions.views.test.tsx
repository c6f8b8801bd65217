import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../../config.ts';
import { translator } from '../../lib/i18n.ts';
import type { PageContext } from '../../lib/page.tsx';
import { CustomerActions } from './customers.actions.views.tsx';
import { settingsFromEnvironment } from '../settings/settings.rules.ts';

describe('the actions on a customer’s back-office page', () => {
  const ctx = (url: string): PageContext => ({ lang: 'fr', t: translator('fr'), csrf: 'token', path: url.split('?')[0]!, url, customer: null, staff: null, operator: settingsFromEnvironment(testConfig()) });
  const customer = { id: '00000000-0000-4000-8000-000000000000', number: 'CLT013261' };

  it('are one form per action, each posting to its route with the CSRF token', () => {
    const html = renderToString(<CustomerActions ctx={ctx('/gestion/clients/CLT013261')} customer={customer} />);
    for (const action of ['courrier-mot-de-passe', 'deverrouillage', 'fin-des-sessions', 'verification-email', 'vue-client']) {
      expect(html).toContain(`<form method="post" action="/gestion/clients/CLT013261/${action}"`);
    }
    expect(html.match(/name="_csrf" value="token"/g)).toHaveLength(6);
    expect(html).toContain('name="slot" value="primary"');
    expect(html).toContain('name="slot" value="secondary"');
    expect(html).toContain('href="/gestion/clients/CLT013261/coordonnees"');
    expect(html).toContain('href="/gestion/clients/CLT013261/immatriculation"');
    expect(html).not.toContain('role="status"');
  });

  it('say what the last action did, from the address its redirect named; an unknown one says nothing', () => {
    const done = renderToString(<CustomerActions ctx={ctx('/gestion/clients/CLT013261?fait=deverrouille')} customer={customer} />);
    expect(done).toContain('<p class="notice" role="status">La connexion du client est débloquée : il peut réessayer tout de suite.</p>');
    const odd = renderToString(<CustomerActions ctx={ctx('/gestion/clients/CLT013261?fait=%3Cscript%3E')} customer={customer} />);
    expect(odd).not.toContain('role="status"');
  });
});
