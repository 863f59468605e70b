// Whether the team's stop-the-line alarms fire in a region: while they do, the guardian rolls every
// in-flight deployment of the region back, and wave-deploy and alarm-check must not start anything
// there. Both call `stopTheLine` with the same SAFE_DEPLOY_STOP_ALARMS the guardian is given.
// A configured stop-the-line alarm that does not exist counts as stopped (fail closed), like a
// missing alarm in alarm-check. Read errors are thrown (MonitoringError): callers fail closed.
import type { AwsClients } from '../../aws/src/clients.js';
import { readAlarmStates } from '../../aws/src/cloudwatch.js';
import type { AlarmRefs } from '../../core/src/alarms.js';
import { parseStopAlarms, stopTheLineVerdict, type StopTheLineVerdict } from '../../core/src/guardian.js';

export type { StopTheLineVerdict } from '../../core/src/guardian.js';

/** Reads the stop-the-line alarms in one region (DescribeAlarms) and says whether the line is stopped. */
export async function stopTheLine(clients: AwsClients, region: string, stopAlarms: string | AlarmRefs): Promise<StopTheLineVerdict> {
  const refs = typeof stopAlarms === 'string' ? parseStopAlarms(stopAlarms) : stopAlarms;
  if (refs.names.length + refs.prefixes.length === 0) return stopTheLineVerdict(region, refs, [], []);
  const read = await readAlarmStates(clients, region, refs);
  return stopTheLineVerdict(region, refs, read.alarms, read.missing);
}
