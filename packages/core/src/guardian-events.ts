// The two EventBridge events the guardian receives, in their documented shapes (EventBridge user
// guide, "Amazon CloudWatch events" and "Scheduled events"): what the sentinel, the local demo's
// guardian and the benches hand to runGuardian, so every entry point feeds it the same events.
// Pure: the caller gives the time and the id.

export interface AlarmChange {
  readonly region: string;
  readonly account: string;
  readonly alarmName: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly previous: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly reason: string;
  /** ISO time of the change. */
  readonly time: string;
  readonly id: string;
}

/** A "CloudWatch Alarm State Change" event from aws.cloudwatch (metric alarm shape). */
export function alarmStateChangeEvent(change: AlarmChange): Record<string, unknown> {
  return {
    version: '0',
    id: change.id,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: change.account,
    time: change.time,
    region: change.region,
    resources: [`arn:aws:cloudwatch:${change.region}:${change.account}:alarm:${change.alarmName}`],
    detail: {
      alarmName: change.alarmName,
      state: { value: change.state, reason: change.reason, timestamp: change.time },
      previousState: { value: change.previous, reason: '', timestamp: change.time },
    },
  };
}

/** The "Scheduled Event" from aws.events that the guardian's sweep rule delivers. */
export function sweepEvent(region: string, id: string, time: string, account = ''): Record<string, unknown> {
  return { version: '0', id, 'detail-type': 'Scheduled Event', source: 'aws.events', account, time, region, resources: [], detail: {} };
}
