import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { queueDocumentNotifications } from '../../features/documents/documents.notify.ts';
import type { Clock } from '../clock.ts';
import { transportFromConfig } from './transport.ts';
import { OutboxWorker } from './worker.ts';

/** The worker as the product runs it: the configured transport and the periodic jobs. */
export function createWorker(
  db: Db,
  clock: Clock,
  config: Config,
  log?: (msg: string, data?: Record<string, unknown>) => void,
): OutboxWorker & { transportName: string } {
  const transport = transportFromConfig(config);
  const worker = new OutboxWorker(db, clock, config, transport, {
    jobs: [async () => void (await queueDocumentNotifications(db, clock, config))],
    ...(log ? { log } : {}),
  });
  return Object.assign(worker, { transportName: transport.describe() });
}
