import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt, {} from 'markdown-it';
import { ConfigError } from '../../config.js';
import { translator } from '../../lib/i18n.js';
import { openingHoursText } from '../public/public.views.js';
import { legalMention, settingsFromEnvironment } from '../settings/settings.rules.js';
/*
 * The public pages (FAQ, legal notice, privacy policy, accessibility statement…) are Markdown
 * files, editable without touching the code: `content/<lang>/<slug>.md`, each starting with a
 * small front matter:
 *
 *   ---
 *   title: Foire aux questions      (required: the browser tab's title)
 *   toc: true                       (optional: a table of contents of the ## and ### headings)
 *   updated: 2026-11-27             (optional: "last updated" under the heading)
 *   ---
 *   # Foire aux questions
 *
 * The Markdown's `#` is the page's h1 (exactly one, first), and headings never skip a level.
 * Raw HTML is not allowed (it is shown as text); French pages get no-break spaces before
 * « : ; ? ! » and the like. `{{operator.name}}`-style placeholders are
 * filled from the operator's settings and the configuration as plain text (escaped like any
 * other text: a value can neither inject HTML nor Markdown); in a link target they are
 * URL-encoded. Every page is read and checked when the app starts: a mistake in a file stops
 * the start with a message naming the file, rather than showing a broken page. Pages are
 * rendered again when the settings they show change (`PageRenderer`).
 */
/** `content/` at the project root. */
export const defaultContentDir = fileURLToPath(new URL('../../../content/', import.meta.url));
const LANGS = ['fr', 'en'];
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** The values content may use, as `{{key}}`, in a page of this language. */
export function placeholderValues(config, operator = settingsFromEnvironment(config), lang = 'fr') {
    const t = translator(lang);
    const mediator = [operator.mediator_name, operator.mediator_address, operator.mediator_website].filter(Boolean).join(', ');
    return {
        'operator.name': operator.name,
        'operator.legalForm': legalMention(operator, t),
        'operator.address': operator.address,
        'operator.siren': operator.siren,
        'operator.rcs': operator.rcs,
        'operator.vat': operator.vat_number,
        'operator.phone': operator.phone,
        /** The phone number as a `tel:` link wants it. */
        'operator.tel': operator.phone.replace(/[^\d+]/g, ''),
        'operator.email': operator.email,
        'operator.website': operator.website,
        'operator.websiteHost': new URL(operator.website).host,
        'operator.hours': openingHoursText({ t, lang }, operator.opening_hours),
        'operator.mediator': mediator || t('settings.mediator.missing'),
        'site.url': config.PUBLIC_URL,
        'site.host': new URL(config.PUBLIC_URL).host,
        'portal.tempPasswordDays': String(config.TEMP_PASSWORD_DAYS),
        'portal.lockMinutes': String(config.LOGIN_LOCK_MAX_MINUTES),
        'portal.sessionIdleMinutes': String(config.SESSION_IDLE_MINUTES),
        'portal.sessionHours': String(config.SESSION_ABSOLUTE_HOURS),
    };
}
function markdown() {
    // No raw HTML, no automatic links, no typographic replacements (they are English-only).
    return new MarkdownIt({ html: false, linkify: false, typographer: false });
}
function parseFrontMatter(source, file) {
    const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
    if (!m)
        throw new ConfigError(`${file}: the file must start with a front matter (---, title: …, ---)`);
    const fields = new Map();
    for (const line of m[1].split('\n')) {
        if (line.trim() === '' || line.trim().startsWith('#'))
            continue;
        const kv = /^([A-Za-z]+):\s*(.*)$/.exec(line);
        if (!kv)
            throw new ConfigError(`${file}: front matter line not understood: ${line}`);
        fields.set(kv[1], kv[2].trim().replace(/^(["'])(.*)\1$/, '$2'));
    }
    const unknown = [...fields.keys()].filter((k) => !['title', 'toc', 'updated'].includes(k));
    if (unknown.length)
        throw new ConfigError(`${file}: unknown front matter field(s): ${unknown.join(', ')}`);
    const title = fields.get('title');
    if (!title)
        throw new ConfigError(`${file}: the front matter needs a title`);
    const toc = fields.get('toc') ?? 'false';
    if (toc !== 'true' && toc !== 'false')
        throw new ConfigError(`${file}: toc must be true or false`);
    const updated = fields.get('updated') ?? null;
    if (updated !== null && !/^\d{4}-\d{2}-\d{2}$/.test(updated))
        throw new ConfigError(`${file}: updated must be YYYY-MM-DD`);
    return { meta: { title, toc: toc === 'true', updated }, body: text.slice(m[0].length) };
}
const PLACEHOLDER = /\{\{\s*([A-Za-z.]+)\s*\}\}/g;
/** The same placeholder once markdown-it has URL-encoded a link target. */
const ENCODED_PLACEHOLDER = /%7B%7B([A-Za-z.]+)%7D%7D/gi;
/**
 * French typography, safe: a no-break space before : ; ? ! » % € and after «, so that a line
 * never starts with one of them. Applied to the page's own words, before placeholders are filled.
 */
export const frenchSpacing = (text) => text.replace(/ ([:;?!»%€])/g, '\u00a0$1').replace(/« /g, '«\u00a0');
function fill(text, values) {
    return text.replace(PLACEHOLDER, (_m, key) => values[key]);
}
/** `Foire aux questions` → `foire-aux-questions`. */
export function slugify(text) {
    return (text
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60)
        .replace(/-+$/, '') || 'section');
}
const inlineText = (t) => (t?.children ?? [])
    .filter((c) => c.type === 'text' || c.type === 'code_inline')
    .map((c) => c.content)
    .join('')
    .trim();
/**
 * Renders one page's Markdown (front matter included). `file` names it in errors.
 * Throws ConfigError when the page breaks a rule: missing title, unknown placeholder, not
 * exactly one h1 first, a skipped heading level, a link markdown-it would refuse.
 */
export function renderPage(source, values, file, slug = 'page', lang = 'fr') {
    const { meta, body } = parseFrontMatter(source, file);
    for (const text of [meta.title, body]) {
        for (const m of text.matchAll(PLACEHOLDER)) {
            if (!(m[1] in values))
                throw new ConfigError(`${file}: unknown placeholder {{${m[1]}}} (known: ${Object.keys(values).join(', ')})`);
        }
    }
    const md = markdown();
    const tokens = md.parse(body, {});
    // Placeholders: as text in text (the renderer escapes it), URL-encoded in link targets.
    const walk = (list) => {
        for (const t of list) {
            if (t.type === 'text')
                t.content = fill(lang === 'fr' ? frenchSpacing(t.content) : t.content, values);
            if (t.type === 'code_inline')
                t.content = fill(t.content, values);
            if (t.type === 'link_open' || t.type === 'image') {
                const href = String(t.attrGet(t.type === 'image' ? 'src' : 'href') ?? '');
                const filled = href.replace(ENCODED_PLACEHOLDER, (_m, key) => {
                    if (!(key in values))
                        throw new ConfigError(`${file}: unknown placeholder {{${key}}}`);
                    return md.normalizeLink(values[key]);
                });
                if (!md.validateLink(filled))
                    throw new ConfigError(`${file}: link refused: ${filled}`);
                t.attrSet(t.type === 'image' ? 'src' : 'href', filled);
            }
            if (t.children)
                walk(t.children);
        }
    };
    walk(tokens);
    // Headings: one h1, first; no skipped level; every heading gets a stable id.
    const used = new Set(['main', 'toc-title']);
    const headings = [];
    let previous = 0;
    tokens.forEach((t, i) => {
        if (t.type !== 'heading_open')
            return;
        const level = Number(t.tag.slice(1));
        const text = inlineText(tokens[i + 1]);
        if (headings.length === 0 && level !== 1)
            throw new ConfigError(`${file}: the first heading must be a level-1 heading (# Title)`);
        if (headings.length > 0 && level === 1)
            throw new ConfigError(`${file}: only one level-1 heading is allowed ("${text}")`);
        if (level > previous + 1)
            throw new ConfigError(`${file}: heading "${text}" skips a level (h${previous} → h${level})`);
        previous = level;
        let id = slugify(text);
        for (let n = 2; used.has(id); n++)
            id = `${slugify(text)}-${n}`;
        used.add(id);
        t.attrSet('id', id);
        headings.push({ level, id, text });
    });
    const h1 = headings[0];
    if (!h1)
        throw new ConfigError(`${file}: the page needs a level-1 heading (# Title)`);
    const h1Close = tokens.findIndex((t) => t.type === 'heading_close');
    if (tokens.slice(0, tokens.findIndex((t) => t.type === 'heading_open')).length > 0) {
        throw new ConfigError(`${file}: nothing may come before the level-1 heading`);
    }
    let toc = null;
    if (meta.toc) {
        toc = [];
        for (const h of headings.slice(1)) {
            if (h.level === 2)
                toc.push({ id: h.id, text: h.text, children: [] });
            else if (h.level === 3 && toc.length > 0)
                toc[toc.length - 1].children.push({ id: h.id, text: h.text, children: [] });
        }
    }
    return {
        slug,
        lang,
        title: fill(lang === 'fr' ? frenchSpacing(meta.title) : meta.title, values),
        heading: h1.text,
        headingId: h1.id,
        updated: meta.updated,
        toc,
        bodyHtml: md.renderer.render(tokens.slice(h1Close + 1), md.options, {}),
    };
}
/**
 * Reads every page of `dir` (`<dir>/fr/*.md`, `<dir>/en/*.md`) and renders it with `operator`'s
 * settings (the environment's by default), which checks it. Each slug must exist in both languages.
 */
export async function loadPages(dir, config, operator) {
    const sources = await readPageSources(dir);
    return renderPages(sources, (lang) => placeholderValues(config, operator, lang));
}
/** Renders the pages read with the values of each language. */
export function renderPages(sources, values) {
    const byLangValues = Object.fromEntries(LANGS.map((l) => [l, values(l)]));
    const pages = new Map();
    for (const [slug, byLang] of sources) {
        pages.set(slug, Object.fromEntries(LANGS.map((l) => [l, renderPage(byLang[l].source, byLangValues[l], byLang[l].file, slug, l)])));
    }
    return pages;
}
/**
 * The pages as the operator's settings of the moment fill them: rendered again only when a
 * value they show has changed since the last rendering.
 */
export function pageRenderer(sources, config) {
    let last = null;
    return (operator) => {
        const values = (lang) => placeholderValues(config, operator, lang);
        const key = JSON.stringify(LANGS.map(values));
        if (last?.key !== key)
            last = { key, pages: renderPages(sources, values) };
        return last.pages;
    };
}
/** Reads the Markdown of every page of `dir`; each slug must exist in both languages. */
export async function readPageSources(dir) {
    const found = new Map();
    for (const lang of LANGS) {
        let names;
        try {
            names = (await readdir(join(dir, lang))).filter((n) => n.endsWith('.md')).sort();
        }
        catch (e) {
            throw new ConfigError(`content directory ${join(dir, lang)} cannot be read: ${e.message}`);
        }
        for (const name of names) {
            const slug = name.slice(0, -3);
            const file = join(dir, lang, name);
            if (!SLUG.test(slug))
                throw new ConfigError(`${file}: a page's file name must be lowercase letters, digits and dashes`);
            found.set(slug, { ...found.get(slug), [lang]: { file, source: await readFile(file, 'utf8') } });
        }
    }
    const sources = new Map();
    for (const [slug, byLang] of found) {
        const missing = LANGS.filter((l) => !byLang[l]);
        if (missing.length)
            throw new ConfigError(`${join(dir, missing[0], `${slug}.md`)} is missing (every page exists in ${LANGS.join(' and ')})`);
        sources.set(slug, byLang);
    }
    return sources;
}
//# sourceMappingURL=pages.content.js.map