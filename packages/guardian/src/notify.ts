// The guardian's notifications: one EventBridge event per rollback (written or failed), on the bus
// SAFE_DEPLOY_EVENT_BUS names. Teams route them with their own rules (SNS, chat, paging).
// A notification that cannot be sent is reported; it never undoes or blocks a rollback.
import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { AwsClients } from '../../aws/src/clients.js';
import { logSafe } from '../../core/src/log-safe.js';

export const EVENT_SOURCE = 'safe-deploy.guardian';
export const EVENT_DETAIL_TYPE = 'safe-deploy guardian rollback';
/** PutEvents takes at most 10 entries per call. */
export const ENTRIES_PER_CALL = 10;

export interface RollbackNotice {
  readonly region: string;
  readonly function: string;
  readonly alias: string;
  readonly outcome: 'rolled-back' | 'failed';
  readonly cause: string;
  readonly reason: string;
  readonly to: string | null;
  readonly candidate: string | null;
  readonly trigger: 'alarm' | 'sweep';
  readonly deployment: Readonly<Record<string, string | null>> | null;
  readonly error: string | null;
  readonly at: string;
}

export interface SentNotice {
  readonly notice: RollbackNotice;
  readonly eventId: string | null;
  readonly error: string | null;
}

/** Sends one event per notice (in calls of 10); every notice gets an event id or the error. */
export async function sendNotices(clients: AwsClients, region: string, bus: string, notices: readonly RollbackNotice[]): Promise<SentNotice[]> {
  const client = clients.other('events', region, (config) => new EventBridgeClient(config));
  const sent: SentNotice[] = [];
  for (let i = 0; i < notices.length; i += ENTRIES_PER_CALL) {
    const batch = notices.slice(i, i + ENTRIES_PER_CALL);
    try {
      const answer = await client.send(
        new PutEventsCommand({
          Entries: batch.map((notice) => ({
            Source: EVENT_SOURCE,
            DetailType: EVENT_DETAIL_TYPE,
            EventBusName: bus,
            Time: new Date(notice.at),
            Detail: JSON.stringify(notice),
          })),
        }),
      );
      batch.forEach((notice, k) => {
        const entry = answer.Entries?.[k];
        sent.push({
          notice,
          eventId: entry?.EventId ?? null,
          error: entry?.ErrorCode ? logSafe(`${entry.ErrorCode}: ${entry.ErrorMessage ?? ''}`, 200) : entry?.EventId ? null : 'no event id in the answer',
        });
      });
    } catch (error) {
      const e = error as { name?: string; message?: string };
      for (const notice of batch) sent.push({ notice, eventId: null, error: logSafe(`${e.name ?? 'Error'}: ${e.message ?? String(error)}`, 200) });
    }
  }
  return sent;
}
