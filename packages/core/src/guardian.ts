// The guardian's decision: which aliases of a region to roll back now, and why.
//
// Pure. The handler (packages/guardian) reads what this needs and carries the answer out with the
// same rollback the actions use (packages/aws/src/lambda.ts rollbackAlias):
//   trigger          an EventBridge "CloudWatch Alarm State Change" event, or the scheduled sweep
//   entries          the deployments the store lists in the region (packages/core/src/guardian-entry.ts)
//   aliases          each entry's aliases as read from Lambda, record decoded
//   alarms           alarm states as DescribeAlarms answered them (never the event's word alone)
//   stop             SAFE_DEPLOY_STOP_ALARMS: the team's stop-the-line alarms, names or `prefix:`
//   now              unix seconds
//
// Rules, for every alias that is in flight:
//   (a) rollback-alarm   an alarm of the deployment's own `alarms` is confirmed in ALARM;
//   (b) stop-the-line    a stop-the-line alarm is confirmed in ALARM in the region: every in-flight
//                        deployment of the region goes back (Amazon: "all of the team's ongoing
//                        deployments in that Region roll back");
//   (c) lease-expired    the sweep finds the deployment's lease in the past: the pipeline stopped watching.
// The event path applies (a) and (b) for the event's alarm only; the sweep applies all three to
// every alarm it read, so an event EventBridge never delivered is caught a minute later.
//
// An alias is in flight when its store entry names the commit its record names and the record still
// names a stable version to return to: state shifting, baking, or promoted (the bake after 100% is
// watched until the last bake ends the lease and deletes the entry). Rolled back, adopted (no
// record), another commit's record: at rest, left alone. A record that does not decode, a missing
// alias, a store entry that does not decode: reported (by name, never their text) and skipped; the
// other aliases are decided as if they were not there (S1). A second delivery of the same event
// finds the aliases rolled back and decides nothing (idempotent). Reasons are cut, never refused (S2).
import type { AlarmState, AlarmStatus } from './alarms.js';
import { parseAlarmRefs, type AlarmRefs } from './alarms.js';
import type { DecodedRecord } from './deployment.js';
import type { DeploymentEntry } from './guardian-entry.js';
import { logSafe } from './log-safe.js';

/** Longest reason a rollback carries (in its log line and its notification). */
export const REASON_MAX = 400;
/** Alarms named in one reason; the rest are counted. */
export const REASON_ALARMS = 3;

export type GuardianTrigger =
  | {
      readonly kind: 'alarm';
      readonly region: string;
      readonly alarm: string;
      /** The state the event announces; acted on only once DescribeAlarms confirms it. */
      readonly state: AlarmState;
      readonly previous: AlarmState | null;
      readonly time: string | null;
      readonly eventId: string | null;
    }
  | { readonly kind: 'sweep'; readonly region: string; readonly time: string | null; readonly eventId: string | null }
  | { readonly kind: 'ignored'; readonly region: string | null; readonly why: string };

function asState(value: unknown): AlarmState | null {
  return value === 'OK' || value === 'ALARM' || value === 'INSUFFICIENT_DATA' ? value : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Reads an EventBridge event: "CloudWatch Alarm State Change" from aws.cloudwatch (metric and
 * composite alarms share the shape: detail.alarmName, detail.state.value, detail.previousState.value)
 * or "Scheduled Event" from aws.events (the sweep). Anything else is ignored, with the reason.
 * `defaultRegion` (the function's own region) is used when the event names none.
 */
export function parseTrigger(event: unknown, defaultRegion: string | null): GuardianTrigger {
  const e = (event ?? {}) as Record<string, unknown>;
  const region = text(e.region) ?? defaultRegion;
  const source = text(e.source);
  const detailType = text(e['detail-type']);
  const eventId = text(e.id);
  const time = text(e.time);
  if (!region) return { kind: 'ignored', region: null, why: 'the event names no region and the function knows none (AWS_REGION)' };
  if (source === 'aws.events' && detailType === 'Scheduled Event') return { kind: 'sweep', region, time, eventId };
  if (source === 'aws.cloudwatch' && detailType === 'CloudWatch Alarm State Change') {
    const detail = (e.detail ?? {}) as Record<string, unknown>;
    const alarm = text(detail.alarmName);
    const state = asState((detail.state as Record<string, unknown> | undefined)?.value);
    if (!alarm || !state) return { kind: 'ignored', region, why: 'alarm state change without detail.alarmName or detail.state.value' };
    const previous = asState((detail.previousState as Record<string, unknown> | undefined)?.value);
    return { kind: 'alarm', region, alarm, state, previous, time, eventId };
  }
  return { kind: 'ignored', region, why: `not an alarm state change or the sweep schedule (source ${logSafe(source ?? 'none', 80)}, detail-type ${logSafe(detailType ?? 'none', 80)})` };
}

/** Parses SAFE_DEPLOY_STOP_ALARMS: alarm names or `prefix:`, separated by commas or newlines. */
export function parseStopAlarms(value: string | undefined | null): AlarmRefs {
  return parseAlarmRefs((value ?? '').split(/[\n,]/), 'SAFE_DEPLOY_STOP_ALARMS');
}

/** True when `name` is one of the references (an exact name, or starts with a prefix). */
export function refMatches(refs: AlarmRefs, name: string): boolean {
  return refs.names.includes(name) || refs.prefixes.some((p) => name.startsWith(p));
}

/** References of a store entry's `alarms`; an unusable reference is dropped and reported. */
export function entryAlarmRefs(entry: DeploymentEntry): { refs: AlarmRefs; problems: string[] } {
  const names: string[] = [];
  const prefixes: string[] = [];
  const problems: string[] = [];
  for (const item of entry.alarms) {
    try {
      const refs = parseAlarmRefs([item], 'alarms');
      names.push(...refs.names);
      prefixes.push(...refs.prefixes);
    } catch {
      problems.push(`unusable alarm reference ${logSafe(item, 80)}`);
    }
  }
  return { refs: { names, prefixes }, problems };
}

/** Every alarm reference the sweep reads in a region: the stop-the-line alarms and every entry's. */
export function alarmsToRead(stop: AlarmRefs, entries: readonly DeploymentEntry[]): AlarmRefs {
  const names = new Set(stop.names);
  const prefixes = new Set(stop.prefixes);
  for (const entry of entries) {
    const { refs } = entryAlarmRefs(entry);
    refs.names.forEach((n) => names.add(n));
    refs.prefixes.forEach((p) => prefixes.add(p));
  }
  return { names: [...names], prefixes: [...prefixes] };
}

/** The verdict wave-deploy and alarm-check need before starting anything in a region. */
export interface StopTheLineVerdict {
  readonly region: string;
  /** True while a stop-the-line alarm is in ALARM, or a configured one cannot be found (fail closed). */
  readonly stopped: boolean;
  readonly firing: readonly AlarmStatus[];
  readonly missing: readonly string[];
  readonly message: string;
}

export function stopTheLineVerdict(region: string, stop: AlarmRefs, alarms: readonly AlarmStatus[], missing: readonly string[]): StopTheLineVerdict {
  const firing = alarms.filter((a) => a.state === 'ALARM' && refMatches(stop, a.name));
  if (stop.names.length + stop.prefixes.length === 0) {
    return { region, stopped: false, firing: [], missing: [], message: `no stop-the-line alarms configured for ${region}` };
  }
  if (firing.length > 0) {
    return { region, stopped: true, firing, missing, message: `stop-the-line in ${region}: ${alarmList(firing)} in ALARM; nothing starts there until it clears` };
  }
  if (missing.length > 0) {
    return {
      region,
      stopped: true,
      firing,
      missing,
      message: `stop-the-line alarm not found in ${region}: ${missing.map((m) => logSafe(m, 80)).slice(0, REASON_ALARMS).join(', ')}${missing.length > REASON_ALARMS ? ` and ${missing.length - REASON_ALARMS} more` : ''}; nothing starts unwatched`,
    };
  }
  return { region, stopped: false, firing, missing, message: `no stop-the-line alarm in ALARM in ${region}` };
}

function alarmList(alarms: readonly AlarmStatus[]): string {
  const named = alarms.slice(0, REASON_ALARMS).map((a) => logSafe(a.name, 120));
  return named.join(', ') + (alarms.length > REASON_ALARMS ? ` and ${alarms.length - REASON_ALARMS} more` : '');
}

/** A store entry as the handler listed it: decoded, or reported by name. */
export type ListedEntry =
  | { readonly name: string; readonly ok: true; readonly entry: DeploymentEntry }
  | { readonly name: string; readonly ok: false; readonly problem: string };

/** One alias of an entry as read from Lambda (null: the alias or the function does not exist). */
export interface ReadAlias {
  readonly region: string;
  readonly function: string;
  readonly alias: string;
  readonly state: { readonly version: string; readonly weights: Readonly<Record<string, number>>; readonly record: DecodedRecord } | null;
  /** Set when the alias could not be read (throttled past retries, access denied): judged unreadable, never absent. */
  readonly error?: string;
}

export type Watch =
  | { readonly kind: 'in-flight'; readonly stable: string; readonly candidate: string; readonly state: string }
  | { readonly kind: 'at-rest'; readonly why: string }
  | { readonly kind: 'unreadable'; readonly why: string };

function safeRecordProblem(reason: string): string {
  // decodeRecord's reason can quote the description (JSON.parse messages do); keep field names only.
  if (reason.startsWith('not JSON')) return 'not JSON';
  const fields = reason
    .split('; ')
    .map((p) => p.split(':')[0]?.trim() ?? '')
    .filter((f) => /^[A-Za-z0-9_.()]+$/.test(f));
  return fields.length > 0 ? `invalid ${[...new Set(fields)].join(', ')}` : 'invalid';
}

/** Whether the guardian watches this alias for this entry, and why (pure, used again after a race). */
export function watchOf(entry: DeploymentEntry, alias: ReadAlias): Watch {
  if (alias.error !== undefined) return { kind: 'unreadable', why: `the alias cannot be read (${logSafe(alias.error, 200)})` };
  if (!alias.state) return { kind: 'unreadable', why: 'the alias does not exist' };
  const record = alias.state.record;
  if (record.kind === 'corrupt') return { kind: 'unreadable', why: `the alias record cannot be read (${safeRecordProblem(record.reason)})` };
  if (record.kind === 'none') return { kind: 'at-rest', why: 'the alias carries no safe-deploy record' };
  const r = record.record;
  if (r.commit !== entry.commit) return { kind: 'at-rest', why: `the record names commit ${logSafe(r.commit || 'none', 40)}, not this deployment's ${logSafe(entry.commit, 40)}` };
  if (r.state === 'rolled-back') return { kind: 'at-rest', why: `already rolled back to ${r.stable}` };
  if (r.candidate === null || r.candidate === r.stable) return { kind: 'at-rest', why: `no candidate besides the stable version ${r.stable}` };
  return { kind: 'in-flight', stable: r.stable, candidate: r.candidate, state: r.state };
}

/**
 * True when every alias of the entry (in the region of `aliases`) is at rest for it: rolled back,
 * carrying another commit's record, or no record at all. Its deployment is over, so the entry can
 * go (a rollback's last step). An alias not among `aliases`, unreadable, or still in flight keeps it.
 */
export function entryAtRest(entry: DeploymentEntry, aliases: readonly ReadAlias[]): boolean {
  return entry.functions.every((fn) => {
    const alias = aliases.find((a) => a.function === fn && a.alias === entry.alias);
    return alias !== undefined && watchOf(entry, alias).kind === 'at-rest';
  });
}

export type Cause = 'rollback-alarm' | 'stop-the-line' | 'lease-expired';

export interface DeploymentRef {
  /** The store parameter. */
  readonly entry: string;
  readonly service: string | null;
  readonly stage: string | null;
  readonly wave: string | null;
  readonly commit: string;
  readonly run: string;
}

/** One decision about one alias (or one unreadable entry), logged as one line. */
export interface GuardianDecision {
  readonly region: string;
  readonly function: string | null;
  readonly alias: string | null;
  readonly deployment: DeploymentRef | null;
  /** rollback: roll it back now; watch: in flight, nothing fires; skip: at rest; report: cannot be judged. */
  readonly action: 'rollback' | 'watch' | 'skip' | 'report';
  /** What moves: `baking -> rolling-back`, `baking -> baking`, `rolled-back (at rest)`, ... */
  readonly transition: string;
  readonly cause: Cause | null;
  readonly reason: string;
  /** For a rollback: the version it returns to and the candidate it removes. */
  readonly to: string | null;
  readonly candidate: string | null;
}

export interface GuardianInput {
  readonly trigger: Exclude<GuardianTrigger, { kind: 'ignored' }>;
  readonly entries: readonly ListedEntry[];
  readonly aliases: readonly ReadAlias[];
  /** Alarm states as DescribeAlarms answered them in the trigger's region. */
  readonly alarms: readonly AlarmStatus[];
  readonly stop: AlarmRefs;
  readonly now: number;
}

export interface GuardianPlan {
  readonly decisions: readonly GuardianDecision[];
  /** The decisions with action `rollback`. */
  readonly rollbacks: readonly GuardianDecision[];
  /** Problems that are not about one alias (an unusable alarm reference, ...). */
  readonly notes: readonly string[];
}

function refOf(name: string, entry: DeploymentEntry): DeploymentRef {
  return { entry: name, service: entry.service, stage: entry.stage, wave: entry.wave, commit: entry.commit, run: entry.run };
}

function cut(reason: string): string {
  return logSafe(reason, REASON_MAX);
}

function alarmReason(kind: 'rollback alarm' | 'stop-the-line alarm', alarms: readonly AlarmStatus[], region: string): string {
  const first = alarms[0] as AlarmStatus;
  const since = first.updatedAt ? ` since ${first.updatedAt}` : '';
  const why = first.reason ? `: ${logSafe(first.reason, 160)}` : '';
  return `${kind}${alarms.length > 1 ? 's' : ''} ${alarmList(alarms)} in ALARM in ${region}${since}${why}`;
}

interface EntryCause {
  readonly cause: Cause;
  readonly reason: string;
}

/** Alarms of the trigger's region confirmed in ALARM that this evaluation may act on. */
function confirmedFiring(input: Omit<GuardianInput, 'aliases'>): AlarmStatus[] {
  const { trigger } = input;
  return input.alarms.filter((a) => a.state === 'ALARM' && a.region === trigger.region && (trigger.kind === 'sweep' || a.name === trigger.alarm));
}

/** Why an entry's deployment must go back now (stop-the-line first, then its own alarm, then its lease), or null. */
function causeOf(input: Omit<GuardianInput, 'aliases'>, entry: DeploymentEntry, firing: readonly AlarmStatus[]): EntryCause | null {
  const region = input.trigger.region;
  const stopFiring = firing.filter((a) => refMatches(input.stop, a.name));
  if (stopFiring.length > 0) return { cause: 'stop-the-line', reason: cut(alarmReason('stop-the-line alarm', stopFiring, region)) };
  const { refs } = entryAlarmRefs(entry);
  const own = firing.filter((a) => refMatches(refs, a.name));
  if (own.length > 0) return { cause: 'rollback-alarm', reason: cut(alarmReason('rollback alarm', own, region)) };
  if (input.trigger.kind === 'sweep' && entry.lease !== null && entry.lease <= input.now) {
    const ago = Math.max(0, Math.floor(input.now - entry.lease));
    return { cause: 'lease-expired', reason: cut(`lease expired at ${new Date(entry.lease * 1000).toISOString()} (${ago} s ago): the pipeline stopped watching run ${entry.run || '-'}`) };
  }
  return null;
}

/**
 * The entries whose aliases must be read: those with a cause to roll back. An entry with none is
 * decided without reading its aliases (the sweep stays cheap: no GetAlias while nothing fires).
 */
export function entriesToRead(input: Omit<GuardianInput, 'aliases'>): { readonly name: string; readonly entry: DeploymentEntry }[] {
  const firing = confirmedFiring(input);
  return input.entries.flatMap((l) => (l.ok && causeOf(input, l.entry, firing) ? [{ name: l.name, entry: l.entry }] : []));
}

/** Decides every alias of the region. Never throws on bad data: it is reported and skipped. */
export function decideGuardian(input: GuardianInput): GuardianPlan {
  const region = input.trigger.region;
  const firing = confirmedFiring(input);
  const decisions: GuardianDecision[] = [];
  const notes: string[] = [];
  // An alias named by two entries is decided once, for the entry whose commit its record names.
  const decided = new Set<string>();
  const aliasOf = (fn: string, alias: string): ReadAlias => input.aliases.find((a) => a.region === region && a.function === fn && a.alias === alias) ?? { region, function: fn, alias, state: null };

  for (const listed of input.entries) {
    if (!listed.ok) {
      decisions.push({
        region,
        function: null,
        alias: null,
        deployment: null,
        action: 'report',
        transition: 'unreadable store entry',
        cause: null,
        reason: cut(`store entry ${listed.name} cannot be read (${listed.problem}); its deployment is not watched here until wave-deploy rewrites it`),
        to: null,
        candidate: null,
      });
      continue;
    }
    const entry = listed.entry;
    const deployment = refOf(listed.name, entry);
    for (const p of entryAlarmRefs(entry).problems) notes.push(cut(`${listed.name}: ${p}`));
    const why = causeOf(input, entry, firing);
    if (!why) {
      const lease = entry.lease === null ? 'no lease' : `lease until ${new Date(entry.lease * 1000).toISOString()}`;
      decisions.push({
        region,
        function: null,
        alias: entry.alias,
        deployment,
        action: 'watch',
        transition: 'watched -> watched',
        cause: null,
        reason: cut(`${entry.functions.length} function(s); no alarm of it in ALARM; ${lease}`),
        to: null,
        candidate: null,
      });
      continue;
    }

    for (const fn of entry.functions) {
      const alias = aliasOf(fn, entry.alias);
      const key = `${fn}:${entry.alias}`;
      if (decided.has(key)) continue;
      const watch = watchOf(entry, alias);
      const base = { region, function: fn, alias: entry.alias, deployment };
      if (watch.kind === 'unreadable') {
        decisions.push({ ...base, action: 'report', transition: 'unreadable alias', cause: why.cause, reason: cut(`${watch.why}; skipped, every other alias is still decided`), to: null, candidate: null });
        decided.add(key);
        continue;
      }
      if (watch.kind === 'at-rest') {
        // Another entry naming the same alias may still own it; an at-rest verdict never hides that one.
        const owned = input.entries.some((e) => e !== listed && e.ok && e.entry.alias === entry.alias && e.entry.functions.includes(fn) && watchOf(e.entry, alias).kind === 'in-flight');
        if (!owned) {
          decisions.push({ ...base, action: 'skip', transition: 'at rest', cause: why.cause, reason: cut(watch.why), to: null, candidate: null });
          decided.add(key);
        }
        continue;
      }
      decided.add(key);
      decisions.push({ ...base, to: watch.stable, candidate: watch.candidate, action: 'rollback', transition: `${watch.state} -> rolling-back`, cause: why.cause, reason: why.reason });
    }
  }
  return { decisions, rollbacks: decisions.filter((d) => d.action === 'rollback'), notes };
}
