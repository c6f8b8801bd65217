/*
 * Reading a form page's errors from its HTML: what the error summary links to, and where
 * those controls sit in the page, so a test can say the summary follows the page's order.
 */

/** The ids the error summary's links go to, in the summary's order. */
export function summaryTargets(html: string): string[] {
  const start = html.indexOf('class="error-summary"');
  if (start < 0) return [];
  const summary = html.slice(start, html.indexOf('</ul>', start));
  return [...summary.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1]!);
}

/** Those ids in the order their controls appear in the page, after the summary. */
export function pageOrder(html: string, ids: string[]): string[] {
  const after = html.indexOf('</ul>', html.indexOf('class="error-summary"'));
  return [...ids].sort((a, b) => html.indexOf(`id="${a}"`, after) - html.indexOf(`id="${b}"`, after));
}

/** The text of a field's error (`<name>-error`), tags removed. */
export function fieldError(html: string, name: string): string | undefined {
  const m = new RegExp(`id="${name}-error"[^>]*>([\\s\\S]*?)</(p|div)>`).exec(html);
  return m?.[1]?.replace(/<[^>]*>/g, '');
}
