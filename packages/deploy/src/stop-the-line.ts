// Whether the team's stop-the-line alarms fire in a region: while they do, the guardian rolls every
// in-flight deployment of the region back, and wave-deploy and alarm-check must not start anything
// there. All of them read SAFE_DEPLOY_STOP_ALARMS through this file.
// A configured stop-the-line alarm that does not exist counts as stopped (fail closed), like a
// missing alarm in alarm-check. Read errors are thrown (MonitoringError) by `stopTheLine`; callers fail closed.
import type { AwsClients } from '../../aws/src/clients.js';
import { readAlarmStates } from '../../aws/src/cloudwatch.js';
import type { AlarmRefs } from '../../core/src/alarms.js';
import { parseStopAlarms, stopTheLineVerdict, type StopTheLineVerdict } from '../../core/src/guardian.js';
import { errorText } from './text.js';

export type { StopTheLineVerdict } from '../../core/src/guardian.js';

/** Reads the stop-the-line alarms in one region (DescribeAlarms) and says whether the line is stopped. */
export async function stopTheLine(clients: AwsClients, region: string, stopAlarms: string | AlarmRefs): Promise<StopTheLineVerdict> {
  const refs = typeof stopAlarms === 'string' ? parseStopAlarms(stopAlarms) : stopAlarms;
  if (refs.names.length + refs.prefixes.length === 0) return stopTheLineVerdict(region, refs, [], []);
  const read = await readAlarmStates(clients, region, refs);
  return stopTheLineVerdict(region, refs, read.alarms, read.missing);
}

/**
 * One line per region where nothing may start: a stop-the-line alarm fires, is missing, or cannot be
 * read (fail closed). Empty when every region is clear or no stop-the-line alarm is configured.
 */
export async function stoppedRegions(clients: AwsClients, regions: readonly string[], stopAlarms: string | AlarmRefs | null | undefined): Promise<string[]> {
  if (stopAlarms === null || stopAlarms === undefined || (typeof stopAlarms === 'string' && stopAlarms.trim() === '')) return [];
  const lines = await Promise.all(
    regions.map(async (region): Promise<string | null> => {
      try {
        const verdict = await stopTheLine(clients, region, stopAlarms);
        return verdict.stopped ? verdict.message : null;
      } catch (error) {
        return `stop-the-line alarms (SAFE_DEPLOY_STOP_ALARMS) cannot be read in ${region}, so nothing starts unwatched: ${errorText(error, 1000)}`;
      }
    }),
  );
  return lines.filter((l): l is string => l !== null);
}
