// Alarm references and the alarm-check policy.
//
// A reference is an alarm name (`orders-high-severity`) or a name prefix (`prefix:orders-`).
// A named alarm that does not exist, and a prefix that matches no alarm, are monitoring
// failures: they block, exactly like a firing alarm, because an unwatched deploy is not safe.

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export type AlarmRef = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'prefix'; readonly prefix: string };

export interface AlarmRefs {
  readonly names: readonly string[];
  readonly prefixes: readonly string[];
}

/** One alarm as read in one region. */
export interface AlarmStatus {
  readonly region: string;
  readonly name: string;
  readonly kind: 'metric' | 'composite';
  readonly state: AlarmState;
  readonly reason: string;
  /** ISO time of the last state change, when known. */
  readonly updatedAt: string | null;
}

/** Every alarm read in one region, and the references that found nothing there. */
export interface RegionAlarms {
  readonly region: string;
  readonly alarms: readonly AlarmStatus[];
  /** Names that do not exist and `prefix:` references matching nothing, as written. */
  readonly missing: readonly string[];
}

const NAME = /^[^\s][\s\S]{0,254}$/;

/** Parses alarm references (names or `prefix:...`); the error names the input. Duplicates are dropped. */
export function parseAlarmRefs(items: readonly string[], inputName = 'alarms'): AlarmRefs {
  const names = new Set<string>();
  const prefixes = new Set<string>();
  for (const raw of items) {
    const item = raw.trim();
    if (item === '') continue;
    if (item.toLowerCase().startsWith('prefix:')) {
      const prefix = item.slice('prefix:'.length).trim();
      if (prefix === '') throw new Error(`input ${inputName}: "${raw}" has an empty prefix; write prefix:NAME-START, for example prefix:orders-`);
      prefixes.add(prefix);
    } else {
      if (!NAME.test(item)) throw new Error(`input ${inputName}: "${raw}" is not an alarm name (1 to 255 characters)`);
      names.add(item);
    }
  }
  return { names: [...names], prefixes: [...prefixes] };
}

export function refCount(refs: AlarmRefs): number {
  return refs.names.length + refs.prefixes.length;
}

/** Parses the `fail-on` input: `ALARM` or `ALARM,INSUFFICIENT_DATA`. */
export function parseFailOn(items: readonly string[], inputName = 'fail-on'): readonly AlarmState[] {
  const states = new Set<AlarmState>();
  for (const item of items) {
    const state = item.trim().toUpperCase();
    if (state !== 'ALARM' && state !== 'INSUFFICIENT_DATA') {
      throw new Error(`input ${inputName}: "${item}" is not a blocking state; use ALARM or ALARM,INSUFFICIENT_DATA`);
    }
    states.add(state);
  }
  if (!states.has('ALARM')) throw new Error(`input ${inputName}: must include ALARM (a firing alarm always blocks)`);
  return [...states];
}

export type AlarmCheckState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | 'BYPASSED';

export interface AlarmCheckVerdict {
  /** The output `state`. */
  readonly state: AlarmCheckState;
  /** True when the stage may start. */
  readonly pass: boolean;
  /** Alarms in a blocking state. */
  readonly blocking: readonly AlarmStatus[];
  /** Missing alarms per region (always blocking: a bypass does not cover them). */
  readonly missing: readonly { readonly region: string; readonly ref: string }[];
  readonly message: string;
}

/**
 * The alarm-check decision. A firing alarm blocks unless a bypass reason is given (a fix-forward
 * for the very alarm that fires). A missing alarm always blocks: a bypass is for a known alarm,
 * not for a typo that would leave every later stage unwatched.
 */
export function evaluateAlarmCheck(regions: readonly RegionAlarms[], failOn: readonly AlarmState[], bypassReason: string): AlarmCheckVerdict {
  const all = regions.flatMap((r) => r.alarms);
  const blocking = all.filter((a) => failOn.includes(a.state));
  const missing = regions.flatMap((r) => r.missing.map((ref) => ({ region: r.region, ref })));
  const worst: AlarmCheckState = all.some((a) => a.state === 'ALARM') ? 'ALARM' : all.some((a) => a.state === 'INSUFFICIENT_DATA') ? 'INSUFFICIENT_DATA' : 'OK';
  const bypass = bypassReason.trim();
  if (missing.length > 0) {
    const list = missing.map((m) => `${m.ref} in ${m.region}`).join(', ');
    const firing = blocking.length > 0 ? ` Also in ${failOn.join(' or ')}: ${blocking.map((a) => `${a.name} (${a.region}: ${a.state})`).join(', ')}.` : '';
    return { state: worst === 'OK' ? 'INSUFFICIENT_DATA' : worst, pass: false, blocking, missing, message: `alarm not found: ${list}. Create it or fix the name; a stage never starts unwatched.${firing}` };
  }
  if (blocking.length === 0) {
    return { state: worst, pass: true, blocking, missing, message: `${all.length} alarm(s) in ${regions.length} region(s), none in ${failOn.join(' or ')}` };
  }
  const list = blocking.map((a) => `${a.name} (${a.region}: ${a.state})`).join(', ');
  if (bypass !== '') {
    return { state: 'BYPASSED', pass: true, blocking, missing, message: `bypassed while ${list}: ${bypass}` };
  }
  return { state: worst, pass: false, blocking, missing, message: `blocked: ${list}. Wait for the alarm to clear, or re-run with bypass-reason to ship the fix for it.` };
}

/** "3 OK, 1 ALARM" style summary, states in a fixed order, zero counts left out (except OK). */
export function summarizeAlarms(alarms: readonly AlarmStatus[], missing = 0): string {
  const count = (s: AlarmState) => alarms.filter((a) => a.state === s).length;
  const parts = [`${count('OK')} OK`];
  if (count('ALARM') > 0) parts.push(`${count('ALARM')} ALARM`);
  if (count('INSUFFICIENT_DATA') > 0) parts.push(`${count('INSUFFICIENT_DATA')} INSUFFICIENT_DATA`);
  if (missing > 0) parts.push(`${missing} missing`);
  return parts.join(', ');
}
