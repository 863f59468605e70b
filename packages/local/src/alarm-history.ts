// Alarm history for the realistic mode: the items the local alarm evaluator records on every state
// change, kept per account and region, and the DescribeAlarmHistory query over them (moto has no
// DescribeAlarmHistory; the fault proxy answers it from here).
//
// Shape and parameters as in the CloudWatch API reference (API_DescribeAlarmHistory.html,
// API_AlarmHistoryItem.html): AlarmName, AlarmTypes (metric alarms only when omitted),
// HistoryItemType, StartDate, EndDate, MaxRecords (1 to 100, default 50), NextToken, ScanBy
// (TimestampDescending by default). CloudWatch keeps history for two weeks; so does this store.

export type AlarmType = 'MetricAlarm' | 'CompositeAlarm';
export type HistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';

export interface AlarmHistoryItem {
  readonly AlarmName: string;
  readonly AlarmType: AlarmType;
  readonly Timestamp: Date;
  readonly HistoryItemType: HistoryItemType;
  readonly HistorySummary: string;
  readonly HistoryData: string;
}

/** A DescribeAlarmHistory request as the SDK sends it in AWS JSON 1.0 (dates in epoch seconds). */
export interface HistoryQuery {
  readonly AlarmName?: string;
  readonly AlarmTypes?: readonly string[];
  readonly HistoryItemType?: string;
  readonly StartDate?: number | string;
  readonly EndDate?: number | string;
  readonly MaxRecords?: number;
  readonly NextToken?: string;
  readonly ScanBy?: string;
}

/** An error CloudWatch would answer with (HTTP 400, `code` as the error type). */
export class CloudWatchRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

const RETENTION_MS = 14 * 24 * 3600_000;
const HISTORY_ITEM_TYPES = new Set(['ConfigurationUpdate', 'StateUpdate', 'Action', 'AlarmContributorStateUpdate', 'AlarmContributorAction']);

function toDate(value: number | string | undefined, field: string): Date | null {
  if (value === undefined || value === null) return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new CloudWatchRequestError('InvalidParameterValue', `The parameter ${field} is not a valid timestamp.`);
  return date;
}

export class AlarmHistory {
  private readonly byScope = new Map<string, { seq: number; item: AlarmHistoryItem }[]>();
  private sequence = 0;
  private tokenSequence = 0;
  /** A page ends at an item; the next page starts past it, so items recorded meanwhile never shift a page. */
  private readonly tokens = new Map<string, { scope: string; after: number; key: string }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  private scope(account: string, region: string): string {
    return `${account}/${region}`;
  }

  record(account: string, region: string, item: AlarmHistoryItem): void {
    const key = this.scope(account, region);
    const list = this.byScope.get(key) ?? [];
    list.push({ seq: ++this.sequence, item });
    const horizon = this.now() - RETENTION_MS;
    while (list.length > 0 && list[0]!.item.Timestamp.getTime() < horizon) list.shift();
    this.byScope.set(key, list);
  }

  /** Every item of an account and region, oldest first. */
  items(account: string, region: string): readonly AlarmHistoryItem[] {
    return (this.byScope.get(this.scope(account, region)) ?? []).map((e) => e.item);
  }

  query(account: string, region: string, query: HistoryQuery): { AlarmHistoryItems: AlarmHistoryItem[]; NextToken?: string } {
    const max = query.MaxRecords ?? 50;
    if (!Number.isInteger(max) || max < 1 || max > 100) {
      throw new CloudWatchRequestError('ValidationError', `1 validation error detected: Value '${max}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and 100`);
    }
    const scanBy = query.ScanBy ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
      throw new CloudWatchRequestError('ValidationError', `1 validation error detected: Value '${scanBy}' at 'scanBy' failed to satisfy enum value set: [TimestampDescending, TimestampAscending]`);
    }
    if (query.HistoryItemType !== undefined && !HISTORY_ITEM_TYPES.has(query.HistoryItemType)) {
      throw new CloudWatchRequestError('ValidationError', `1 validation error detected: Value '${query.HistoryItemType}' at 'historyItemType' failed to satisfy enum value set: [${[...HISTORY_ITEM_TYPES].join(', ')}]`);
    }
    const types = new Set(query.AlarmTypes && query.AlarmTypes.length > 0 ? query.AlarmTypes : ['MetricAlarm']);
    for (const t of types) {
      if (t !== 'MetricAlarm' && t !== 'CompositeAlarm') throw new CloudWatchRequestError('ValidationError', `1 validation error detected: Value '${t}' at 'alarmTypes' failed to satisfy enum value set: [CompositeAlarm, MetricAlarm]`);
    }
    const start = toDate(query.StartDate, 'StartDate');
    const end = toDate(query.EndDate, 'EndDate');
    const scope = this.scope(account, region);
    // The filters and ordering a token was issued for must be the ones it is used with.
    const key = JSON.stringify([query.AlarmName ?? null, [...types].sort(), query.HistoryItemType ?? null, start?.getTime() ?? null, end?.getTime() ?? null, scanBy]);
    let after: number | null = null;
    if (query.NextToken !== undefined) {
      const token = this.tokens.get(query.NextToken);
      if (!token || token.scope !== scope || token.key !== key) throw new CloudWatchRequestError('InvalidNextToken', 'The service returned an error with Error Code InvalidNextToken.');
      after = token.after;
    }
    const ascending = scanBy === 'TimestampAscending';
    const matching = (this.byScope.get(scope) ?? []).filter(
      ({ seq, item }) =>
        (after === null || (ascending ? seq > after : seq < after)) &&
        (query.AlarmName === undefined || item.AlarmName === query.AlarmName) &&
        types.has(item.AlarmType) &&
        (query.HistoryItemType === undefined || item.HistoryItemType === query.HistoryItemType) &&
        (start === null || item.Timestamp.getTime() >= start.getTime()) &&
        (end === null || item.Timestamp.getTime() <= end.getTime()),
    );
    const ordered = ascending ? matching : [...matching].reverse();
    const page = ordered.slice(0, max);
    let next: string | undefined;
    if (ordered.length > max) {
      next = `h${(++this.tokenSequence).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      this.tokens.set(next, { scope, after: page.at(-1)!.seq, key });
    }
    return { AlarmHistoryItems: page.map((e) => e.item), ...(next ? { NextToken: next } : {}) };
  }
}

/** The account and region of an alarm ARN (`arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME`). */
export function alarmArnScope(arn: string): { region: string; account: string } | null {
  const match = /^arn:aws[\w-]*:cloudwatch:([^:]+):(\d{12}):alarm:/.exec(arn);
  return match ? { region: match[1]!, account: match[2]! } : null;
}
