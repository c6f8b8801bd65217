import { createHmac, timingSafeEqual } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, ConfigError } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { type Clock, MINUTE, newId, nowIso } from '../../lib/clock.ts';
import {
  type CheckoutRequest,
  PAYMENT_CURRENCY,
  type PaymentProvider,
  type ProviderEvent,
  type SessionState,
  WEBHOOK_TOLERANCE_SECONDS,
  webhookRejected,
} from './payments.provider.ts';
import { publicUrl } from '../../lib/links.ts';
import { isTokenShaped, newToken } from '../../lib/tokens.ts';

/*
 * The sandbox provider: a test payment service served by the app itself under
 * /sandbox-paiement, clearly marked as a test, behaving as a real provider does: hosted
 * page, signed webhooks (HMAC-SHA256 over "<timestamp>.<raw body>", header
 * `Sandbox-Signature: t=<unix seconds>,v1=<hex>`), delivered asynchronously with retries,
 * possibly more than once and out of order. Its signing secret is this installation's own
 * (`sandboxWebhookSecret`), and it is served only while it is the configured provider.
 */

export const SANDBOX_SIGNATURE_HEADER = 'sandbox-signature';

export function signSandboxPayload(secret: string, timestamp: number, payload: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export interface SandboxEventPayload {
  id: string;
  type: 'checkout.succeeded' | 'checkout.failed' | 'checkout.cancelled';
  created: number;
  data: { session_id: string; amount_cents: number; currency: string; reference: string };
}

/** Where the sandbox keeps its webhook signing secret. */
export const sandboxSecretPath = (config: Config) => join(config.DATA_DIR, 'sandbox-webhook.secret');

function readSandboxSecret(path: string): string {
  const secret = readFileSync(path, 'utf8').trim();
  if (!isTokenShaped(secret)) throw new ConfigError(`${path} does not hold a sandbox webhook secret: delete it and a new one is made`);
  return secret;
}

/**
 * The sandbox's webhook signing secret: 256 random bits (`newToken`) made for this
 * installation on first use and kept in `DATA_DIR/sandbox-webhook.secret` (mode 0600), never
 * a value in the code or the configuration. Every process of the installation (web, worker)
 * and the tests read the same file.
 */
export function sandboxWebhookSecret(config: Config): string {
  const path = sandboxSecretPath(config);
  try {
    return readSandboxSecret(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(config.DATA_DIR, { recursive: true });
  // Written whole under another name, then linked into place: a process starting at the same
  // instant never reads half a secret, and the first one linked is the one every process keeps.
  const draft = `${path}.${newId()}.tmp`;
  writeFileSync(draft, `${newToken()}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(draft);
  }
  return readSandboxSecret(path);
}

export function sandboxProvider(db: Db, clock: Clock, config: Config): PaymentProvider {
  const secret = sandboxWebhookSecret(config);
  return {
    name: 'sandbox',

    async createCheckout(req: CheckoutRequest) {
      const id = `sbx_${newId().replace(/-/g, '')}`;
      await db
        .insertInto('sandbox_sessions')
        .values({
          id,
          amount_cents: req.amountCents,
          description: req.description,
          reference: req.attemptId,
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
          status: 'open',
          created_at: nowIso(clock),
          completed_at: null,
        })
        .execute();
      return { sessionId: id, redirectUrl: publicUrl(config, `/sandbox-paiement/${id}`) };
    },

    resumeUrl: async (id) => publicUrl(config, `/sandbox-paiement/${id}`),

    async parseWebhook(raw, headers): Promise<ProviderEvent> {
      const header = headers[SANDBOX_SIGNATURE_HEADER];
      const value = Array.isArray(header) ? header[0] : header;
      const parts = Object.fromEntries((value ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
      const t = Number(parts.t);
      if (!value || !Number.isInteger(t) || !parts.v1) throw webhookRejected('missing or malformed signature');
      if (Math.abs(clock.now().getTime() / 1000 - t) > WEBHOOK_TOLERANCE_SECONDS) throw webhookRejected('timestamp outside tolerance');
      const expected = Buffer.from(signSandboxPayload(secret, t, raw.toString('utf8')).split('v1=')[1]!, 'hex');
      const given = Buffer.from(parts.v1, 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw webhookRejected('bad signature');
      let event: SandboxEventPayload;
      try {
        event = JSON.parse(raw.toString('utf8')) as SandboxEventPayload;
      } catch {
        throw webhookRejected('body is not JSON');
      }
      if (typeof event.id !== 'string' || typeof event.data?.session_id !== 'string') throw webhookRejected('not an event');
      const outcome =
        event.type === 'checkout.succeeded' ? 'succeeded' : event.type === 'checkout.failed' ? 'failed' : event.type === 'checkout.cancelled' ? 'cancelled' : 'ignored';
      const amount = event.data.amount_cents;
      const currency = event.data.currency;
      return {
        id: event.id,
        outcome,
        sessionId: event.data.session_id,
        amountCents: typeof amount === 'number' ? amount : null,
        currency: typeof currency === 'string' ? currency : null,
        type: event.type,
      };
    },

    async retrieve(sessionId): Promise<SessionState> {
      const s = await db.selectFrom('sandbox_sessions').select('status').where('id', '=', sessionId).executeTakeFirst();
      if (!s) return 'expired';
      return s.status;
    },

    async cancel(sessionId) {
      await db
        .updateTable('sandbox_sessions')
        .set({ status: 'cancelled', completed_at: nowIso(clock) })
        .where('id', '=', sessionId)
        .where('status', '=', 'open')
        .execute();
    },
  };
}

/** A session of the sandbox's hosted page, by its id. */
export function findSandboxSession(db: Db, sessionId: string) {
  return db.selectFrom('sandbox_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
}

/** The sandbox's side of a customer's choice on its hosted page: the session closes, a webhook is owed. */
export async function completeSandboxSession(
  db: Db,
  clock: Clock,
  sessionId: string,
  outcome: 'paid' | 'failed' | 'cancelled',
): Promise<{ redirect: string } | null> {
  return inTransaction(db, async (trx) => {
    const s = await trx.selectFrom('sandbox_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
    if (!s) return null;
    if (s.status !== 'open') return { redirect: s.status === 'paid' ? s.success_url : s.cancel_url };
    await trx.updateTable('sandbox_sessions').set({ status: outcome, completed_at: nowIso(clock) }).where('id', '=', sessionId).execute();
    const payload: SandboxEventPayload = {
      id: `evt_${newId().replace(/-/g, '')}`,
      type: outcome === 'paid' ? 'checkout.succeeded' : outcome === 'failed' ? 'checkout.failed' : 'checkout.cancelled',
      created: Math.floor(clock.now().getTime() / 1000),
      data: { session_id: s.id, amount_cents: s.amount_cents, currency: PAYMENT_CURRENCY, reference: s.reference },
    };
    await trx
      .insertInto('sandbox_webhooks')
      .values({
        id: newId(),
        event_id: payload.id,
        payload: JSON.stringify(payload),
        status: 'pending',
        attempts: 0,
        next_attempt_at: nowIso(clock),
        last_error: null,
        created_at: nowIso(clock),
      })
      .execute();
    return { redirect: outcome === 'paid' ? s.success_url : s.cancel_url };
  });
}

export type WebhookSender = (body: string, headers: Record<string, string>) => Promise<number>;

/** Posts to the portal's webhook endpoint over HTTP, as a real provider would. */
export const httpSender =
  (config: Config): WebhookSender =>
  async (body, headers) => {
    const res = await fetch(publicUrl(config, '/paiement/webhook/sandbox'), { method: 'POST', body, headers, signal: AbortSignal.timeout(10_000) });
    return res.status;
  };

/** How long a worker holds a webhook it is sending (the send times out after 10 s). */
const SENDING_LEASE_MS = MINUTE;

/**
 * Delivers the webhooks the sandbox owes (a worker job): signed at sending time, retried
 * with backoff until a 2xx, given up after 10 tries. Several workers may run it at once: each
 * webhook is claimed before it is sent, by an update guarded on the due time it was read with
 * and moving it a lease ahead, so only one worker sends it; one that dies mid-send leaves it
 * due again when the lease ends.
 */
export async function deliverSandboxWebhooks(db: Db, clock: Clock, config: Config, send: WebhookSender): Promise<number> {
  const due = await db
    .selectFrom('sandbox_webhooks')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowIso(clock))
    .orderBy('created_at')
    .limit(50)
    .execute();
  let delivered = 0;
  const secret = due.length > 0 ? sandboxWebhookSecret(config) : '';
  for (const w of due) {
    const claimed = await db
      .updateTable('sandbox_webhooks')
      .set({ next_attempt_at: new Date(clock.now().getTime() + SENDING_LEASE_MS).toISOString() })
      .where('id', '=', w.id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', w.next_attempt_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue; // another worker has it
    const t = Math.floor(clock.now().getTime() / 1000);
    let status = 0;
    let error: string | null = null;
    try {
      status = await send(w.payload, { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload(secret, t, w.payload) });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const ok = status >= 200 && status < 300;
    const attempts = w.attempts + 1;
    await db
      .updateTable('sandbox_webhooks')
      .set({
        status: ok ? 'delivered' : attempts >= 10 ? 'dead' : 'pending',
        attempts,
        next_attempt_at: new Date(clock.now().getTime() + Math.min(10_000 * 2 ** attempts, 3_600_000)).toISOString(),
        last_error: ok ? null : (error ?? `HTTP ${status}`),
      })
      .where('id', '=', w.id)
      .execute();
    if (ok) delivered++;
  }
  return delivered;
}
