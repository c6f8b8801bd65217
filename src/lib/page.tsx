import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { type OperatorSettings, legalMention, logoUrl, themeUrl } from '../features/settings/settings.rules.ts';
import { type StaffViewer, csrfBindingOfPage, fullSessionCustomer } from '../features/auth/sessions.ts';
import type { Language } from '../db/schema.ts';
import { type MessageKey, type Translate, translator } from './i18n.ts';
import { type CurrentCustomer, staffNavItems, visibleNavItems } from './nav.ts';
import { STAFF_PREFIX, type StaffPrincipal, isStaffUrl, staffOf } from '../areas/staff-area.ts';

/** Everything a view needs to know about the request it renders for. */
export interface PageContext {
  lang: Language;
  t: Translate;
  csrf: string;
  path: string;
  /** The path with its query: where the language switch comes back to. */
  url: string;
  customer: CurrentCustomer | null;
  /** Set when a staff member looks at the customer's pages (read-only): the layout says so on every page. */
  viewedBy?: StaffViewer | null;
  /** Set on the back office's pages (`/gestion`): the frame is then the staff's. */
  staff: StaffPrincipal | null;
  /** The operator's settings (`features/settings`): name, legal mentions, logo, colour. */
  operator: OperatorSettings;
}

export function pageContext(req: FastifyRequest, reply: FastifyReply): PageContext {
  const lang = req.lang;
  return {
    lang,
    t: translator(lang),
    csrf: reply.generateCsrf({ userInfo: csrfBindingOfPage(req) }),
    path: req.url.split('?')[0] ?? '/',
    url: req.url,
    customer: isStaffUrl(req.url) ? null : fullSessionCustomer(req.session),
    viewedBy: isStaffUrl(req.url) ? null : (req.session?.viewedBy ?? null),
    staff: staffOf(req),
    operator: req.server.operator,
  };
}

/** Hidden CSRF field for every state-changing form. */
export const CsrfField = ({ ctx }: { ctx: PageContext }) => <input type="hidden" name="_csrf" value={ctx.csrf} />;

/** The operator's name in the header, after its logo when it has one (the name says it: the image is decorative). */
function BrandOperator({ ctx }: { ctx: PageContext }) {
  const logo = logoUrl(ctx.operator);
  return (
    <span class="brand-operator">
      {logo && <img class="brand-logo" src={logo} alt="" />}
      {ctx.operator.name}
    </span>
  );
}

function Header({ ctx }: { ctx: PageContext }) {
  const { t, customer } = ctx;
  const other: Language = ctx.lang === 'fr' ? 'en' : 'fr';
  const tools = (
    <div class="tools">
      <form method="post" action="/langue" class="inline">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="lang" value={other} />
        <input type="hidden" name="next" value={ctx.url} />
        <button type="submit" class="link-button" lang={other} aria-label={t('lang.switch.label')}>
          {t('lang.switch')}
        </button>
      </form>
      {customer && !ctx.viewedBy && (
        <PostButton ctx={ctx} action="/deconnexion" class="link-button">
          {t('header.logout')}
        </PostButton>
      )}
    </div>
  );
  // Logged in: the navigation beside the brand, behind a "Menu" disclosure on a phone (no
  // script: <details>; on a wide screen the stylesheet keeps it open and hides the button),
  // then the welcome line with the language switch and logout, always in view.
  return (
    <header class="site-header">
      {ctx.viewedBy && customer && <StaffViewBanner ctx={ctx} viewer={ctx.viewedBy} customer={customer} />}
      <div class="bar">
        <a class="brand" href="/">
          <BrandOperator ctx={ctx} />
          <span class="brand-site">{t('site.title')}</span>
        </a>
        {customer ? (
          <details class="menu">
            <summary>{t('nav.menu')}</summary>
            <nav aria-label={t('nav.label')} class="main-nav">
              <ul>
                {visibleNavItems(customer).map((i) => (
                  <li key={i.href}>
                    <a href={i.href} aria-current={ctx.path.startsWith(i.href) ? 'page' : undefined}>
                      {t(i.key)}
                    </a>
                  </li>
                ))}
                <li>
                  <a href="/contact" aria-current={ctx.path === '/contact' || ctx.path.startsWith('/contact/') ? 'page' : undefined}>
                    {t('nav.contact')}
                  </a>
                </li>
              </ul>
            </nav>
          </details>
        ) : (
          tools
        )}
      </div>
      {customer && (
        <div class="bar secondary">
          <p class="welcome">{t('header.welcome', { name: customer.user.id ? customer.user.name : customer.displayName })}</p>
          {tools}
        </div>
      )}
    </header>
  );
}

/**
 * A form that is one button posting to `action` (logout, a removal, a retry…): the one way to
 * write it. `label` names the button for a screen reader where its text alone is ambiguous in a
 * list ("Retirer" → "Retirer Sophie Marchand"); `fields` are hidden inputs sent with it.
 */
export function PostButton(props: {
  ctx: PageContext;
  action: string;
  class: string;
  label?: string | undefined;
  fields?: Record<string, string> | undefined;
  children: ComponentChildren;
}) {
  return (
    <form method="post" action={props.action} class="inline">
      <CsrfField ctx={props.ctx} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.class} aria-label={props.label}>
        {props.children}
      </button>
    </form>
  );
}

/** On every page of a staff member's read-only view of a customer: what this is, and the way out. */
function StaffViewBanner({ ctx, viewer, customer }: { ctx: PageContext; viewer: StaffViewer; customer: CurrentCustomer }) {
  const { t } = ctx;
  return (
    <div class="staff-view-banner">
      <p>
        <strong>{t('customerView.banner.title')}</strong>{' '}
        {t('customerView.banner.who', { staff: viewer.staffName, name: customer.displayName, number: customer.number })}
      </p>
      <PostButton ctx={ctx} action="/vue-client/fin" class="button">
        {t('customerView.banner.quit')}
      </PostButton>
    </div>
  );
}

function Footer({ ctx }: { ctx: PageContext }) {
  const { t, operator } = ctx;
  const site = new URL(operator.website).host;
  const here = (href: string) => (ctx.path === href ? 'page' : undefined);
  // The manual's footer, CONTACTS first.
  const links: [string, string][] = [
    ['/contact', t('footer.contacts')],
    ['/faq', t('footer.faq')],
    ['/newsletter', t('footer.newsletter')],
    ['/prelevement', t('directDebit.footer')],
    ['/parkings', t('footer.parkings')],
    // Always reachable, logged in or not (L215-1-1).
    ['/resilier', t('terminations.footer')],
  ];
  const legal: [string, string][] = [
    ['/mentions-legales', t('footer.legalNotice')],
    ['/confidentialite', t('footer.privacy')],
    ['/accessibilite', t('footer.accessibility')],
  ];
  return (
    <footer class="site-footer">
      <nav aria-label={t('footer.label')}>
        <ul>
          {links.map(([href, label]) => (
            <li key={href}>
              <a href={href} aria-current={here(href)}>
                {label}
              </a>
            </li>
          ))}
          <li>
            <a href={operator.website}>{t('footer.back', { site })}</a>
          </li>
        </ul>
      </nav>
      <nav aria-label={t('footer.legalLabel')} class="footer-legal">
        <ul>
          {legal.map(([href, label]) => (
            <li key={href}>
              <a href={href} aria-current={here(href)}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p class="legal">
        {t('footer.legal', {
          operator: operator.name,
          legal: legalMention(operator, t),
          siren: operator.siren,
        })}
      </p>
    </footer>
  );
}

/** The back office's frame: its name, its navigation by role, who is logged in and log-out. */
function StaffHeader({ ctx }: { ctx: PageContext }) {
  const { t, staff } = ctx;
  return (
    <header class="site-header">
      <div class="bar">
        <a class="brand" href={STAFF_PREFIX}>
          <BrandOperator ctx={ctx} />
          <span class="brand-site">{t('staff.site.title')}</span>
        </a>
        {staff && (
          <details class="menu">
            <summary>{t('nav.menu')}</summary>
            <nav aria-label={t('staff.nav.label')} class="main-nav">
              <ul>
                {staffNavItems
                  .filter((i) => !i.role || i.role === staff.role)
                  .map((i) => (
                    <li key={i.href}>
                      <a href={i.href} aria-current={ctx.path === i.href || ctx.path.startsWith(`${i.href}/`) ? 'page' : undefined}>
                        {t(i.key)}
                      </a>
                    </li>
                  ))}
              </ul>
            </nav>
          </details>
        )}
      </div>
      {staff && (
        <div class="bar secondary">
          <p class="welcome">{t('staff.header.who', { name: staff.displayName, role: t(staff.role === 'admin' ? 'staff.role.admin' : 'staff.role.agent') })}</p>
          <div class="tools">
            <PostButton ctx={ctx} action={`${STAFF_PREFIX}/deconnexion`} class="link-button">
              {t('header.logout')}
            </PostButton>
          </div>
        </div>
      )}
    </header>
  );
}

function StaffFooter({ ctx }: { ctx: PageContext }) {
  return (
    <footer class="site-footer">
      <p class="legal">{ctx.t('staff.footer', { operator: ctx.operator.name })}</p>
    </footer>
  );
}

/** A page's main content rendered once (`renderMain`), to be kept and sent again as it is (decision 016). */
export interface RenderedMain {
  html: string;
}

export const renderMain = (body: VNode | VNode[]): RenderedMain => ({ html: renderToString(<>{body}</>) });

const isRendered = (body: VNode | VNode[] | RenderedMain): body is RenderedMain => !Array.isArray(body) && typeof (body as RenderedMain).html === 'string';

export function Layout({ ctx, title, children }: { ctx: PageContext; title: string; children: VNode | VNode[] | RenderedMain }) {
  const inStaffArea = isStaffUrl(ctx.path);
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${ctx.t(inStaffArea ? 'staff.site.title' : 'site.title')} — ${ctx.operator.name}`}</title>
        <link rel="stylesheet" href="/static/portal.css" />
        {themeUrl(ctx.operator) && <link rel="stylesheet" href={themeUrl(ctx.operator)!} />}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {ctx.t('site.skip')}
        </a>
        {inStaffArea ? <StaffHeader ctx={ctx} /> : <Header ctx={ctx} />}
        {isRendered(children) ? (
          <main id="main" tabindex={-1} dangerouslySetInnerHTML={{ __html: children.html }} />
        ) : (
          <main id="main" tabindex={-1}>
            {children}
          </main>
        )}
        {inStaffArea ? <StaffFooter ctx={ctx} /> : <Footer ctx={ctx} />}
      </body>
    </html>
  );
}

/** Renders a full page. The one way pages are sent. */
export function sendPage(
  reply: FastifyReply,
  ctx: PageContext,
  title: string,
  body: VNode | VNode[] | RenderedMain,
  status = 200,
): FastifyReply {
  const html = `<!doctype html>${renderToString(
    <Layout ctx={ctx} title={title}>
      {body}
    </Layout>,
  )}`;
  return reply.status(status).type('text/html; charset=utf-8').send(html);
}

/**
 * What a form or an action just did, said at the top of what it concerns — a status the
 * screen reader announces — or, with `alert`, what went wrong. The one way pages say either
 * in a line (a block of several paragraphs is a `div` of the same class and role).
 */
export function StatusMessage({ children, alert = false, id }: { children: ComponentChildren; alert?: boolean; id?: string }) {
  return alert ? (
    <p class="form-error" role="alert" id={id}>
      {children}
    </p>
  ) : (
    <p class="notice" role="status" id={id}>
      {children}
    </p>
  );
}

/** A page made of a heading and a message: errors and notices; its way home is the back office's there. */
export function MessagePage({ ctx, titleKey, messageKey, requestId }: { ctx: PageContext; titleKey: MessageKey; messageKey: MessageKey; requestId?: string }) {
  return (
    <section class="panel">
      <h1>{ctx.t(titleKey)}</h1>
      <p>{ctx.t(messageKey)}</p>
      {requestId ? <p class="hint">{ctx.t('error.reference', { id: requestId })}</p> : null}
      <p>
        <a href={isStaffUrl(ctx.path) ? STAFF_PREFIX : '/'}>{ctx.t('error.home')}</a>
      </p>
    </section>
  );
}
