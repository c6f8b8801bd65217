import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/database.ts';

/*
 * What no answer of the portal may show, checked on every page and e-mail the tests produce
 * (issue 9, points 11 and 17): a catalogue placeholder left unfilled (`{min}`), and, on an
 * English page, French spacing before a colon, semicolon, exclamation or question mark.
 */

/** `{min}`, `{count}`…: a message's placeholder that no parameter filled. */
const UNFILLED = /\{[A-Za-z_]\w*\}/g;

/** The placeholders left unfilled in a text. */
export const unfilledPlaceholders = (text: string): string[] => [...new Set(text.match(UNFILLED) ?? [])];

/** A space (also no-break or narrow) before `:` `;` `!` `?` that ends a word: French typography. */
const FRENCH_SPACING = /\S[ \u00a0\u202f]+[:;!?](?=[\s<]|$)/g;

/** The text of an HTML page (tags and entities of spaces removed), where the reader sees it. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;|&#160;|&#xa0;/gi, '\u00a0');
}

/** French spacing found in an English text, each with a little of what precedes it. */
export function frenchSpacing(text: string): string[] {
  return [...text.matchAll(FRENCH_SPACING)].map((m) => text.slice(Math.max(0, m.index - 30), m.index + m[0].length));
}

const isEnglishHtml = (html: string) => /<html[^>]*\blang="en"/.test(html);

/**
 * What is wrong with the words of an HTML page or a text, as readable lines (none when right).
 * `english`: whether the text is English (an HTML page says it itself).
 */
export function wordingProblems(where: string, body: string, kind: 'html' | 'text', english = false): string[] {
  const problems = unfilledPlaceholders(body).map((p) => `${where}: unfilled placeholder ${p}`);
  if (english || (kind === 'html' && isEnglishHtml(body))) {
    problems.push(...frenchSpacing(kind === 'html' ? visibleText(body) : body).map((s) => `${where}: French spacing in English: “${s}”`));
  }
  return problems;
}

/**
 * Watches every HTML or text answer of `app` and adds what is wrong with its words to
 * `problems`, for the test's hooks to report (an answer is left as it is).
 */
export function watchAnswers(app: FastifyInstance, problems: string[]) {
  app.addHook('onSend', async (req, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (typeof payload === 'string' && /^text\/(html|plain)/.test(type)) {
      problems.push(...wordingProblems(`${req.method} ${req.url}`, payload, type.startsWith('text/html') ? 'html' : 'text'));
    }
    return payload;
  });
}

/**
 * The e-mails of the outbox not yet checked: what is wrong with their subject and bodies
 * (in English, spacing too).
 * `seen` keeps the ids already reported, so that a message is reported once.
 */
export async function outboxProblems(db: Db, seen: Set<string>): Promise<string[]> {
  const ids = (await db.selectFrom('outbox').select('id').execute()).map((r) => r.id).filter((id) => !seen.has(id));
  const problems: string[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    const rows = await db
      .selectFrom('outbox')
      .select(['id', 'recipient', 'subject', 'text_body', 'html_body'])
      .where('id', 'in', ids.slice(i, i + 200))
      .execute();
    for (const r of rows) {
      seen.add(r.id);
      const where = `mail “${r.subject}” to ${r.recipient}`;
      const english = isEnglishHtml(r.html_body);
      problems.push(
        ...wordingProblems(where, r.subject, 'text', english),
        ...wordingProblems(where, r.text_body, 'text', english),
        ...wordingProblems(where, r.html_body, 'html'),
      );
    }
  }
  return problems;
}
