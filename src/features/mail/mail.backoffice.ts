import type { Db } from '../../db/database.ts';
import { type StaffActor, audit } from '../../lib/audit.ts';
import type { Clock } from '../../lib/clock.ts';
import { type RequeueOutcome, requeueMessage } from '../../lib/mail/outbox.ts';

/*
 * Customer service's "retry" on the outbox (`/gestion/emails`): a failed message is sent again
 * while it still has its content (`requeueMessage`); every try is audited, done or refused.
 */

export async function retryMessage(db: Db, clock: Clock, messageId: string, by: StaffActor) {
  const result = await requeueMessage(db, clock, messageId);
  if (result.outcome !== 'not_found') {
    await audit(db, clock, {
      actor_type: 'staff',
      actor_id: by.staffId,
      action: 'outbox.retry',
      outcome: result.outcome === 'requeued' ? 'success' : 'failure',
      target_type: 'outbox',
      target_id: messageId,
      ...by.meta,
      details: { template: result.message?.template, status: result.message?.status, ...(result.outcome === 'requeued' ? {} : { reason: result.outcome }) },
    });
  }
  return result;
}

export type { RequeueOutcome };
