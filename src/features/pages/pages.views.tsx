import { formatDate } from '../../lib/i18n.ts';
import type { PageContext } from '../../lib/page.tsx';
import type { RenderedPage, TocEntry } from './pages.content.ts';

function TocList({ entries }: { entries: TocEntry[] }) {
  return (
    <ul>
      {entries.map((e) => (
        <li key={e.id}>
          <a href={`#${e.id}`}>{e.text}</a>
          {e.children.length > 0 && <TocList entries={e.children} />}
        </li>
      ))}
    </ul>
  );
}

/** A content page: its h1, an optional table of contents, then the Markdown's HTML. */
export function ContentPageView({ ctx, page }: { ctx: PageContext; page: RenderedPage }) {
  return (
    <article class="prose" aria-labelledby={page.headingId}>
      <h1 id={page.headingId}>{page.heading}</h1>
      {page.updated && <p class="muted">{ctx.t('pages.updated', { date: formatDate(page.updated, ctx.lang) })}</p>}
      {page.toc && page.toc.length > 0 && (
        <nav class="toc" aria-labelledby="toc-title">
          <h2 id="toc-title">{ctx.t('pages.toc')}</h2>
          <TocList entries={page.toc} />
        </nav>
      )}
      {/* markdown-it's output: raw HTML is off, text is escaped, links are validated. */}
      <div class="prose-body" dangerouslySetInnerHTML={{ __html: page.bodyHtml }} />
    </article>
  );
}
