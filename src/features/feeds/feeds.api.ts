import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EventFeed } from '../../db/schema.ts';
import type { ApiScope } from '../api-clients/api-clients.rules.ts';
import { badCursor, cursorQuery, decodeCursor, encodeCursor, isoDateTime, problemResponses } from '../../lib/api.ts';
import { apiActor } from '../../lib/audit.ts';
import { type EventType, eventPayloads, typesOf } from '../../lib/events.ts';
import { type FeedEventRow, feedEventsAfter } from './feeds.queries.ts';
import { ibansForFeed } from './feeds.service.ts';

/*
 * What the ERP reads back (issue 11): each feed is "everything since …", in the order the
 * events were committed (`lib/events.ts` writes them, in the transaction of each change):
 *   GET /api/v1/feeds/payments?cursor=&limit=           card payments booked online (payments:read)
 *   GET /api/v1/feeds/mandates?cursor=&limit=           mandates signed, validated, rejected, revoked (mandates:read;
 *                                                       the full IBAN too with mandates:iban, each read audited)
 *   GET /api/v1/feeds/contact-requests?cursor=&limit=   contact requests made and answered back (contact_requests:read)
 *   GET /api/v1/feeds/customer-changes?cursor=&limit=   e-mail addresses, postal address and phones, paperless consent (customer_changes:read)
 *   GET /api/v1/feeds/vehicle-changes?cursor=&limit=    changes of plate, vehicle changes asked and decided (vehicle_changes:read)
 *   GET /api/v1/feeds/access?cursor=&limit=             what the access system lets in, from when: vehicles allowed and removed, badges blocked and issued (access:read)
 *   GET /api/v1/feeds/terminations?cursor=&limit=       contract terminations asked, withdrawn, processed; renewal notices (terminations:read)
 *   GET /api/v1/feeds/e-invoices?cursor=&limit=         e-invoices published, rendered or the ERP's (e_invoices:read)
 * A page answers `{ items, next_cursor }`; `next_cursor` is never null — at the end of a feed
 * it is where to poll from next time (the cursor sent, when there was nothing new).
 */

/** The cursor of a position in a feed: the feed's name and the last event id read (0: before the first). */
const cursorAt = (feed: EventFeed, id: number) => encodeCursor([feed, String(id)]);

/** The event id a cursor of this feed stands after; a cursor of another feed, or not ours, is a bad `cursor` field. */
function positionOf(feed: EventFeed, cursor: string | undefined): number {
  const key = decodeCursor(cursor, 2);
  if (!key) return 0;
  const [of, id] = key as [string, string];
  if (of !== feed || !/^\d{1,15}$/.test(id)) throw badCursor(`cursor not of the ${feed} feed`);
  return Number(id);
}

/** What every item of every feed says, before its type's own fields. */
const common = {
  id: z.int().describe('The event’s position in the portal’s log: increasing, never reused.'),
  occurred_at: isoDateTime,
  customer_number: z.string(),
  origin: z.enum(['customer', 'staff', 'system']).describe('Who made the change: the customer online, customer service, or the portal’s own rules (`system`: a mandate lapsed after 36 months unused). The ERP’s own writes are not in the feeds.'),
};

/** The item of each type of event: the common fields, its type, its payload's fields. */
const itemOf = <T extends EventType>(type: T, extra: z.ZodRawShape = {}) => z.object({ ...common, type: z.literal(type), ...eventPayloads[type].shape, ...extra });

/** The items of a feed: one shape per type of event, told apart by `type`. */
function itemsOf(feed: EventFeed, extra: z.ZodRawShape = {}) {
  const [first, ...rest] = typesOf(feed).map((type) => itemOf(type, extra));
  if (!first) throw new Error(`feed ${feed} has no event type`);
  return rest.length === 0 ? first : z.discriminatedUnion('type', [first, ...rest]);
}

const feedPage = (item: z.ZodType) =>
  z.object({
    items: z.array(item),
    next_cursor: z.string().describe('Pass it as `?cursor=` to read what came after; never null: at the end, poll again with it later.'),
  });

/** An event as a feed shows it. */
const itemFrom = (row: FeedEventRow, extra: Record<string, unknown> = {}) => ({
  id: row.id,
  type: row.type,
  occurred_at: row.created_at,
  customer_number: row.customer_number,
  origin: row.origin,
  ...(JSON.parse(row.payload) as Record<string, unknown>),
  ...extra,
});

interface FeedRoute {
  feed: EventFeed;
  path: string;
  scope: ApiScope;
  summary: string;
  description: string;
}

const feeds: FeedRoute[] = [
  {
    feed: 'payments',
    path: '/feeds/payments',
    scope: 'payments:read',
    summary: 'Card payments made online, and what they settled',
    description: 'A `payment.received` for each card payment booked from the provider: its amount, the invoices it settled, the credit set against them, what is left as credit.',
  },
  {
    feed: 'mandates',
    path: '/feeds/mandates',
    scope: 'mandates:read',
    summary: 'SEPA mandates signed, validated, rejected or revoked',
    description:
      '`mandate.signed` (online, by the customer: waits for customer service), `mandate.validated` (by customer service; a paper mandate recorded is validated at once, `source: "paper"`), `mandate.rejected` (with the reason the customer was told), `mandate.revoked` (`end_reason`: `customer`, revoked by the customer; `replaced`, a new mandate for a new bank account validated — its `mandate.signed` named this one in `replaces_rum`; `lapsed`, 36 months without a debit, `origin: "system"`). The IBAN is masked; `iban` is the full IBAN only for a client that also holds `mandates:iban` (null otherwise), and each mandate whose IBAN is answered is in the audit log.',
  },
  {
    feed: 'contact_requests',
    path: '/feeds/contact-requests',
    scope: 'contact_requests:read',
    summary: 'Contact requests made, and customers’ answers back',
    description: '`contact_request.created` (the form: category, contract, message, a plate change with its date) and `contact_request.answered` (the customer answers back on the request’s page; a closed request reopens).',
  },
  {
    feed: 'customer_changes',
    path: '/feeds/customer-changes',
    scope: 'customer_changes:read',
    summary: 'Changes of contact details and of paperless consent',
    description:
      '`customer.emails_changed` (the customer in Profil or at the first login, customer service’s correction: a new address is unverified until its link is used), `customer.contact_details_changed` (customer service corrects the postal address or phones: the values as they now are), `customer.paperless_changed` (given or withdrawn, at the first login or in Profil).',
  },
  {
    feed: 'vehicle_changes',
    path: '/feeds/vehicle-changes',
    scope: 'vehicle_changes:read',
    summary: 'Changes of plate, vehicle changes asked and decided',
    description:
      '`vehicle.plate_changed`: customer service records a contract’s new plate from its effective date (the old one ends the day before). `vehicle.change_requested` (the customer replaces or adds a vehicle online, with its registration certificate: pending), `vehicle.change_approved` (customer service checked the certificate: the contract’s vehicles change from `valid_from`), `vehicle.change_refused` (with the reason the customer was told).',
  },
  {
    feed: 'access',
    path: '/feeds/access',
    scope: 'access:read',
    summary: 'What the access system lets in, and from when: plates and badges',
    description:
      '`access.vehicle_allowed` (a plate let in from `applies_from`) and `access.vehicle_removed` (a plate no longer let in from `applies_from`); `access.badge_blocked` (the customer reports a badge lost, stolen or broken: blocked at once), `access.badge_issued` (its replacement handed over at the car park or posted: the contract’s badge from then on). Each names the customer, the contract and the car park’s code.',
  },
  {
    feed: 'terminations',
    path: '/feeds/terminations',
    scope: 'terminations:read',
    summary: 'Contract terminations asked, withdrawn or processed; renewal notices',
    description:
      '`contract.termination_requested` (the customer, logged in or through the public page: the contract’s last day, the badge to return), `contract.termination_withdrawn` (the customer, until that day), `contract.termination_processed` (customer service: badge back, final invoice or credit note issued). `contract.renewal_notice_sent`: the loi Chatel notice (L215-1) of a consumer’s contract renewed tacitly, sent by e-mail or to be posted, on time or late.',
  },
  {
    feed: 'e_invoices',
    path: '/feeds/e-invoices',
    scope: 'e_invoices:read',
    summary: 'E-invoices published (Factur-X), for the approved platform to transmit',
    description:
      '`document.e_invoice_issued`: a business customer’s invoice or credit note published as Factur-X (`source: "rendered"`), or a PDF the ERP uploaded that already carried its `factur-x.xml` (`source: "erp"`, told back although the ERP sent it, `origin: "system"`). `pdf_url` fetches exactly the file the customer downloads (same `pdf_sha256`).',
  },
];

const feedsApiRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock, config } = app;

  for (const f of feeds) {
    const mandates = f.feed === 'mandates';
    const item = mandates ? itemsOf(f.feed, { iban: z.string().nullable().describe('The full IBAN, only with the scope mandates:iban; null otherwise.') }) : itemsOf(f.feed);
    app.get(
      f.path,
      {
        config: { apiScope: f.scope },
        schema: {
          tags: ['feeds'],
          summary: f.summary,
          description: `${f.description} Items come in the order they happened, \`id\` increasing; \`next_cursor\` resumes exactly after the last item.`,
          querystring: cursorQuery,
          response: { 200: feedPage(item), ...problemResponses },
        },
      },
      async (req) => {
        const after = positionOf(f.feed, req.query.cursor);
        const rows = await feedEventsAfter(db, f.feed, after, req.query.limit);
        const next_cursor = cursorAt(f.feed, rows.at(-1)?.id ?? after);
        if (!mandates) return { items: rows.map((r) => itemFrom(r)), next_cursor };
        const withIban = req.apiClient.scopes.includes('mandates:iban');
        const ibans = withIban ? await ibansForFeed(db, clock, config, apiActor(req), rows.map((r) => ({ eventId: r.id, mandateId: r.subject_id ?? '' }))) : new Map<string, string>();
        return { items: rows.map((r) => itemFrom(r, { iban: ibans.get(r.subject_id ?? '') ?? null })), next_cursor };
      },
    );
  }
};

export default feedsApiRoutes;
