import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, databaseKinds, freshDatabase, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark } from '../../../tests/support/factories.ts';
import { frenchSpacing } from '../../../tests/support/wording.ts';
import { buildApp } from '../../app.tsx';
import { ConfigError, testConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { manualClock } from '../../lib/clock.ts';
import { translator } from '../../lib/i18n.ts';
import { defaultContentDir, loadPages, placeholderValues, renderPage } from './pages.content.ts';
import pagesRoutes from './pages.routes.tsx';

const SLUGS = ['faq', 'accessibilite', 'mentions-legales', 'confidentialite'];
const values = placeholderValues(testConfig());
const page = (body: string, front = 'title: Essai') => `---\n${front}\n---\n${body}`;

/** The levels of the headings of an HTML page, in order. */
const headingLevels = (html: string) => [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));

function tempContent(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'portal-content-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('content pages in Markdown', () => {
  it('ships the FAQ, accessibility statement, legal notice and privacy policy in French and English', async () => {
    const pages = await loadPages(defaultContentDir, testConfig());
    expect([...pages.keys()].sort()).toEqual([...SLUGS].sort());
    for (const slug of SLUGS) {
      for (const lang of ['fr', 'en'] as const) {
        const p = pages.get(slug)![lang];
        expect(p.title.length).toBeGreaterThan(3);
        expect(p.bodyHtml).not.toMatch(/\{\{|%7B%7B/i);
      }
    }
    const faq = pages.get('faq')!;
    expect(faq.fr.heading).toBe('Foire aux questions');
    expect(faq.fr.toc!.map((e) => e.text)).toContain('Connexion et mot de passe');
    // The manual's questions and the subscriber's.
    const questions = faq.fr.toc!.flatMap((e) => e.children.map((c) => c.text)).join('\n');
    for (const q of [
      'À quoi sert',
      'première fois',
      'documents par e-mail',
      'perdu mon mot de passe temporaire',
      'oublié mon mot de passe',
      'immatriculation',
      'payer en ligne',
      'prélèvement automatique',
      'papier',
      'plus de 5 ans',
      'remise petit rouleur',
      'service client',
    ]) {
      expect(questions).toContain(q);
    }
    expect(faq.fr.bodyHtml).toContain('22,5\u00a0%');
    expect(faq.fr.bodyHtml).toContain('30\u00a0% pour 3 sorties ou moins');
    // French spacing: no line starts with « : ; ? ! »; English is left alone, and has none.
    expect(faq.fr.bodyHtml).not.toMatch(/ [:;?!»]/);
    for (const slug of SLUGS) expect(frenchSpacing(pages.get(slug)!.en.bodyHtml.replace(/<[^>]*>/g, '')), slug).toEqual([]);
    expect(faq.en.bodyHtml).toContain('22.5%');
    expect(pages.get('accessibilite')!.fr.bodyHtml).toContain('<strong>partiellement conforme</strong>');
    expect(pages.get('accessibilite')!.fr.bodyHtml).toContain('Défenseur des droits');
    const privacy = pages.get('confidentialite')!.fr.bodyHtml;
    for (const text of ['3 ans', '5 ans', '10 ans', 'lang', 'csrf', 'portal_session', 'CNIL', 'strictement nécessaires']) expect(privacy).toContain(text);
  });

  it('answers the direct-debit question as the Prélèvement automatique page works, in both languages', async () => {
    const config = testConfig();
    const faq = (await loadPages(defaultContentDir, config)).get('faq')!;
    for (const [lang, heading, words, never] of [
      ['fr', 'comment-passer-au-prelevement-automatique', ['en ligne', 'code à usage unique', 'adresse e-mail principale vérifiée', 'formulaire pré-rempli', 'relevé d’identité bancaire (RIB)', 'révoquer'], ['demandez le formulaire', 'formulaire de contact']],
      ['en', 'how-do-i-set-up-direct-debit', ['online', 'one-time code', 'verified main e-mail address', 'pre-filled', 'bank details (RIB)', 'revoke'], ['Ask customer service for', 'contact form']],
    ] as const) {
      const html = faq[lang].bodyHtml;
      const start = html.indexOf(`<h3 id="${heading}">`);
      expect(start, heading).toBeGreaterThan(0);
      const answer = html.slice(start, html.indexOf('<h', start + 4));
      const t = translator(lang);
      // The page, by its title and by the footer's link, and its two ways: online with a code, or the paper form by post.
      expect(answer).toContain(`<a href="/prelevement">${t('directDebit.title')}</a>`);
      expect(answer).toContain(t('directDebit.footer'));
      expect(answer).toContain(`${config.OPERATOR_NAME}, ${config.OPERATOR_ADDRESS}`);
      for (const w of words) expect(answer, w).toContain(w);
      for (const w of never) expect(answer, w).not.toContain(w);
      expect(answer).not.toContain('href="/contact"');
    }
  });

  it('escapes raw HTML written in the Markdown', () => {
    const p = renderPage(page('# Titre\n\n<script>alert(1)</script>\n\nUn <b>gras</b> et <img src=x onerror=alert(1)>\n\n[lien](javascript:alert(1))\n'), values, 'essai.md');
    expect(p.bodyHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(p.bodyHtml).toContain('&lt;b&gt;gras&lt;/b&gt;');
    expect(p.bodyHtml).not.toMatch(/<script|<b>|<img|href="javascript/i);
  });

  it('fills placeholders as plain text: a value can inject neither HTML nor Markdown', () => {
    const hostile = placeholderValues(testConfig({ OPERATOR_NAME: 'Parcs <b>Démo</b> & **Cie** [x](javascript:alert(1))' }));
    const p = renderPage(
      page('# Éditeur {{operator.name}}\n\nPar {{ operator.name }}, SIREN {{operator.siren}}.\n\n[Écrire]( mailto:{{operator.email}} ) — [appeler](tel:{{operator.tel}})\n', 'title: {{operator.name}}'),
      hostile,
      'essai.md',
    );
    expect(p.title).toBe('Parcs <b>Démo</b> & **Cie** [x](javascript:alert(1))'); // text: the layout escapes it
    expect(p.heading).toBe('Éditeur Parcs <b>Démo</b> & **Cie** [x](javascript:alert(1))');
    expect(p.bodyHtml).toContain('Par Parcs &lt;b&gt;Démo&lt;/b&gt; &amp; **Cie** [x](javascript:alert(1)), SIREN 123456782.');
    expect(p.bodyHtml).toContain('<a href="mailto:service.client@parkings-demo.example">Écrire</a>');
    expect(p.bodyHtml).toContain('<a href="tel:0100000000">appeler</a>');
    expect(p.bodyHtml).not.toMatch(/<b>|<strong>|href="javascript/);
  });

  it('refuses a page that breaks a rule, naming the file', () => {
    const bad: [string, RegExp][] = [
      ['# T\n', /front matter/],
      [page('# T\n\n{{operator.password}}\n'), /unknown placeholder \{\{operator.password\}\}/],
      [page('## Pas de titre\n'), /first heading must be a level-1/],
      [page('Intro\n\n# T\n'), /nothing may come before/],
      [page('# T\n\n# Deux\n'), /only one level-1/],
      [page('# T\n\n### Saut\n'), /skips a level/],
      [page('# T\n', 'title: T\ncolor: red'), /unknown front matter/],
      [page('# T\n', 'toc: true'), /needs a title/],
    ];
    for (const [source, message] of bad) {
      expect(() => renderPage(source, values, 'content/fr/x.md')).toThrow(message);
      expect(() => renderPage(source, values, 'content/fr/x.md')).toThrow(ConfigError);
      expect(() => renderPage(source, values, 'content/fr/x.md')).toThrow(/^content\/fr\/x\.md: /);
    }
  });

  it('gives headings stable, unique ids and builds the table of contents from ## and ###', () => {
    const p = renderPage(page('# FAQ\n\n## Général\n\n### Pourquoi ?\n\n### Pourquoi ?\n\n## Autre\n', 'title: FAQ\ntoc: true'), values, 'faq.md');
    expect(p.headingId).toBe('faq');
    expect(p.toc).toEqual([
      {
        id: 'general',
        text: 'Général',
        children: [
          { id: 'pourquoi', text: 'Pourquoi\u00a0?', children: [] },
          { id: 'pourquoi-2', text: 'Pourquoi\u00a0?', children: [] },
        ],
      },
      { id: 'autre', text: 'Autre', children: [] },
    ]);
    expect(p.bodyHtml).toContain('<h3 id="pourquoi-2">');
  });

  it('needs every page in both languages', async () => {
    const dir = tempContent({ 'fr/seule.md': page('# Seule\n'), 'en/.keep': '' });
    await expect(loadPages(dir, testConfig())).rejects.toThrow(/en\/seule\.md is missing/);
  });
});

describe.each(databaseKinds())('public pages (%s)', (kind) => {
  const t = useTestApp(kind, { OPERATOR_NAME: 'Parkings <b>Démo</b> & Cie', OPERATOR_SIREN: '987654321', OPERATOR_PHONE: '01 44 82 99 99' });

  const inLanguage = (lang: 'fr' | 'en') => {
    const b = new Browser(t.app);
    b.cookies.set('lang', lang);
    return b;
  };

  it('serves every content page in French and English, with one h1 and no skipped heading level', async () => {
    for (const lang of ['fr', 'en'] as const) {
      for (const slug of SLUGS) {
        const res = await inLanguage(lang).get(`/${slug}`);
        expect(res.statusCode, `${lang} /${slug}`).toBe(200);
        expect(res.body).toContain(`<html lang="${lang}"`);
        const levels = headingLevels(res.body);
        expect(levels.filter((l) => l === 1), `${lang} /${slug}`).toHaveLength(1);
        expect(levels[0]).toBe(1);
        levels.forEach((l, i) => i > 0 && expect(l, `${lang} /${slug} heading ${i}`).toBeLessThanOrEqual(levels[i - 1]! + 1));
        expect(res.body).not.toMatch(/\{\{|%7B%7B/i);
      }
    }
    expect((await inLanguage('fr').get('/faq')).body).toContain('<h1 id="foire-aux-questions">Foire aux questions</h1>');
    expect((await inLanguage('en').get('/faq')).body).toContain('<h1 id="frequently-asked-questions">Frequently asked questions</h1>');
    expect((await inLanguage('en').get('/confidentialite')).body).toContain('<title>Privacy policy — ');
  });

  it('fills the legal notice from the configuration, escaped', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const res = await inLanguage(lang).get('/mentions-legales');
      expect(res.body).toContain('<strong>Parkings &lt;b&gt;Démo&lt;/b&gt; &amp; Cie</strong>, SAS au capital de 100 000 €');
      expect(res.body).not.toContain('<b>Démo</b>');
      expect(res.body).toContain('987654321');
      expect(res.body).toContain('FR11123456782');
      expect(res.body).toContain('<a href="tel:0144829999">01 44 82 99 99</a>');
      expect(res.body).toContain('href="mailto:service.client@parkings-demo.example"');
    }
  });

  it('links every FAQ entry of the table of contents to its question', async () => {
    const body = (await inLanguage('fr').get('/faq')).body;
    const links = [...body.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(15);
    for (const id of links) expect(body, id).toContain(`id="${id}"`);
  });

  it('answers 404 for an unknown page', async () => {
    for (const url of ['/page-inconnue', '/faq-2', '/FAQ', '/faq/plus']) {
      const res = await inLanguage('fr').get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Page introuvable');
    }
  });

  it('has the manual’s footer on every page, legal links on a second line', async () => {
    for (const url of ['/connexion', '/faq', '/parkings', '/newsletter']) {
      const body = (await inLanguage('fr').get(url)).body;
      const footer = body.slice(body.indexOf('<footer'));
      for (const [href, label] of [
        ['/contact', 'CONTACTS'],
        ['/faq', 'Foire aux questions'],
        ['/newsletter', 'Newsletter'],
        ['/prelevement', 'Demande de prélèvement'],
        ['/parkings', 'Tous nos parkings'],
        ['https://www.parkings-demo.example', 'Retour sur www.parkings-demo.example'],
        ['/mentions-legales', 'Mentions légales'],
        ['/confidentialite', 'Confidentialité'],
        ['/accessibilite', 'Accessibilité\u00a0: partiellement conforme'],
      ]) {
        expect(footer, `${url}: ${label}`).toMatch(new RegExp(`<a href="${href}"[^>]*>${label}</a>`));
      }
      // In the manual's order.
      expect(footer.indexOf('Newsletter')).toBeLessThan(footer.indexOf('Demande de prélèvement'));
      expect(footer.indexOf('Demande de prélèvement')).toBeLessThan(footer.indexOf('Tous nos parkings'));
    }
    const faq = (await inLanguage('fr').get('/faq')).body;
    expect(faq).toContain('<a href="/faq" aria-current="page">Foire aux questions</a>');
    const en = (await inLanguage('en').get('/faq')).body;
    expect(en).toContain('Accessibility: partially compliant');
  });

  it('lists every car park with its address, phone, hours and services, in both languages', async () => {
    const a = await createCarPark(t.db, t.clock, { name: 'CARDINET', phone: '01.44.82.99.99' });
    const b = await createCarPark(t.db, t.clock, {
      name: 'WAGRAM',
      hours: [{ for: 'everyone' }, { for: 'reception', days: [1, 5], hours: ['08:00', '19:30'] }],
    });
    // The hours in the page's language, never the stored value.
    const hours = {
      fr: { [a.code]: '<p>Horaires : 24h/24, 7j/7</p>', [b.code]: '<p>Horaires : 24h/24, 7j/7 ; accueil : du lundi au vendredi de 8h à 19h30</p>' },
      en: { [a.code]: '<p>Opening hours: open 24/7</p>', [b.code]: '<p>Opening hours: open 24/7; reception: Monday to Friday, 8:00 to 19:30</p>' },
    };
    for (const [lang, words] of [
      ['fr', ['Tous nos parkings', 'Horaires', 'Services']],
      ['en', ['All our car parks', 'Opening hours', 'Services']],
    ] as const) {
      const body = (await inLanguage(lang).get('/parkings')).body;
      for (const w of words) expect(body).toContain(w);
      for (const p of [a, b]) {
        const card = body.slice(body.indexOf(`id="park-${p.code}"`), body.indexOf('</article>', body.indexOf(`id="park-${p.code}"`)));
        expect(card).toContain(p.name);
        expect(card).toContain(p.address_line);
        expect(card).toContain(`${p.postal_code} ${p.city}`);
        expect(card).toContain(`href="tel:${p.phone.replace(/\D/g, '')}"`);
        expect(card).toContain(hours[lang][p.code]);
        expect(card).not.toContain(p.opening_hours);
        expect(card).toContain('Places moto');
        expect(card).toContain(lang === 'fr' ? 'Téléphone : <a' : 'Phone: <a');
      }
      expect(body).toMatch(/<ul class="cards">\s*<li>/);
    }
  });
});

describe.each(databaseKinds())('content pages from another directory (%s)', (kind) => {
  let app: FastifyInstance;
  let db: Db;
  beforeAll(async () => {
    ({ db } = await freshDatabase(kind));
    const dir = tempContent({
      'fr/essai.md': page('# Essai\n\nBonjour <em>tout</em> le monde, de la part de {{operator.name}}.\n\n## Suite\n\nFin.\n', 'title: Page d’essai'),
      'en/essai.md': page('# Trial\n\nHello from {{operator.name}}.\n', 'title: Trial page'),
    });
    app = await buildApp({ config: testConfig({ OPERATOR_NAME: 'A & <B>' }), db, clock: manualClock() });
    await app.register(pagesRoutes, { prefix: '/essai', contentDir: dir });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  it('serves a new Markdown file as a page, with no code change, HTML escaped', async () => {
    const fr = await new Browser(app).get('/essai/essai');
    expect(fr.statusCode).toBe(200);
    expect(fr.body).toContain('<title>Page d’essai — Mon espace client — A &amp; &lt;B></title>');
    expect(fr.body).toContain('<h1 id="essai">Essai</h1>');
    expect(fr.body).toContain('Bonjour &lt;em&gt;tout&lt;/em&gt; le monde, de la part de A &amp; &lt;B&gt;.');
    expect(fr.body).toContain('<h2 id="suite">Suite</h2>');
    const b = new Browser(app);
    b.cookies.set('lang', 'en');
    expect((await b.get('/essai/essai')).body).toContain('Hello from A &amp; &lt;B&gt;.');
    expect((await new Browser(app).get('/essai/autre')).statusCode).toBe(404);
  });
});
