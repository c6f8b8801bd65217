import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { forUpdateSkipLocked, inSubqueryOnce } from '../../db/dialect.js';
import { MINUTE, nowIso } from '../clock.js';
import { CONTENT_FORGOTTEN } from './outbox.js';
/** 30 s, 1 min, 2 min… capped at 1 h. */
export function backoffMs(attempts) {
    return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * MINUTE);
}
/** A worker's name as it appears in `locked_by`: the host, the process and a random part. */
export const workerId = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
export class OutboxWorker {
    db;
    clock;
    config;
    transport;
    opts;
    id;
    batchSize;
    leaseMs;
    giveUpAfterMs;
    constructor(db, clock, config, transport, opts = {}) {
        this.db = db;
        this.clock = clock;
        this.config = config;
        this.transport = transport;
        this.opts = opts;
        this.id = opts.id ?? workerId();
        this.batchSize = opts.batchSize ?? 20;
        this.leaseMs = opts.leaseMs ?? 2 * MINUTE;
        this.giveUpAfterMs = opts.giveUpAfterMs ?? 5 * 24 * 60 * MINUTE;
    }
    /** Claims up to one batch of due messages for this worker. */
    async claim() {
        const now = nowIso(this.clock);
        const until = new Date(this.clock.now().getTime() + this.leaseMs).toISOString();
        const due = (eb) => eb.and([
            eb('status', '=', 'pending'),
            eb('next_attempt_at', '<=', now),
            eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]),
        ]);
        return this.db
            .updateTable('outbox')
            .set({ locked_until: until, locked_by: this.id })
            .where((eb) => eb.and([
            inSubqueryOnce(this.db, 'id', eb
                .selectFrom('outbox')
                .select('id')
                .where(due)
                .orderBy('created_at')
                .limit(this.batchSize)
                .$call((q) => forUpdateSkipLocked(this.db, q))),
            // Checked again on the row itself: the loser of a race updates nothing.
            due(eb),
        ]))
            .returningAll()
            .execute();
    }
    get stopped() {
        return this.opts.signal?.aborted ?? false;
    }
    /** One round: claim a batch, deliver it. */
    async runOnce() {
        const result = { sent: 0, failed: 0 };
        if (this.stopped)
            return result;
        const batch = await this.claim();
        for (const m of batch.sort((a, b) => a.created_at.localeCompare(b.created_at))) {
            if (this.stopped)
                break;
            // Renew the lease right before sending: if a slow send before this one outlived it and
            // another worker took the message over, leave it to that worker.
            const renewed = await this.db
                .updateTable('outbox')
                .set({ locked_until: new Date(this.clock.now().getTime() + this.leaseMs).toISOString() })
                .where('id', '=', m.id)
                .where('locked_by', '=', this.id)
                .where('status', '=', 'pending')
                .executeTakeFirst();
            if (Number(renewed.numUpdatedRows) !== 1)
                continue;
            try {
                await this.transport.send({
                    id: m.id,
                    from: this.config.MAIL_FROM,
                    to: m.recipient,
                    subject: m.subject,
                    text: m.text_body,
                    html: m.html_body,
                    messageId: m.message_id,
                    headers: JSON.parse(m.headers),
                });
                await this.db
                    .updateTable('outbox')
                    .set({ status: 'sent', sent_at: nowIso(this.clock), attempts: m.attempts + 1, locked_until: null, locked_by: null, last_error: null, ...CONTENT_FORGOTTEN })
                    .where('id', '=', m.id)
                    .where('locked_by', '=', this.id)
                    .execute();
                result.sent++;
            }
            catch (e) {
                const attempts = m.attempts + 1;
                const dead = this.clock.now().getTime() - Date.parse(m.created_at) >= this.giveUpAfterMs;
                const error = e instanceof Error ? e.message : String(e);
                await this.db
                    .updateTable('outbox')
                    .set({
                    status: dead ? 'dead' : 'pending',
                    attempts,
                    next_attempt_at: new Date(this.clock.now().getTime() + backoffMs(attempts)).toISOString(),
                    locked_until: null,
                    locked_by: null,
                    last_error: error.slice(0, 500),
                    ...(dead ? CONTENT_FORGOTTEN : {}),
                })
                    .where('id', '=', m.id)
                    .where('locked_by', '=', this.id)
                    .execute();
                result.failed++;
                this.opts.log?.(dead ? 'mail given up' : 'mail delivery failed, will retry', { id: m.id, attempts, error });
            }
        }
        if (this.stopped) {
            // Stopping: hand back what this worker claimed but did not try, rather than wait for the lease.
            await this.db
                .updateTable('outbox')
                .set({ locked_until: null, locked_by: null })
                .where('locked_by', '=', this.id)
                .where('status', '=', 'pending')
                .execute();
        }
        return result;
    }
    /** Delivers until nothing is due (tests; `portal worker --once` drains the job runner). */
    async drain(maxRounds = 1000) {
        const total = { sent: 0, failed: 0 };
        for (let i = 0; i < maxRounds; i++) {
            const r = await this.runOnce();
            total.sent += r.sent;
            total.failed += r.failed;
            if (r.sent + r.failed === 0)
                break;
        }
        return total;
    }
}
//# sourceMappingURL=worker.js.map