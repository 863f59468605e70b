// The guardian's pure parts: reading EventBridge events, the store entry format, and the decision
// (which aliases to roll back and why), including the sentinel's findings S1 (one bad record stops
// nothing), S2 (a long list of firing alarms is cut, never refused) and I1-I3 (no runner command
// from AWS text reaches a log).
import { describe, expect, it } from '@jest/globals';
import type { AlarmStatus } from '../../packages/core/src/alarms.js';
import { decodeRecord, encodeRecord, type AliasRecord } from '../../packages/core/src/deployment.js';
import { decodeEntry, encodeEntry, entryName, checkStorePath, ENTRY_VALUE_LIMIT, type DeploymentEntry } from '../../packages/core/src/guardian-entry.js';
import {
  REASON_MAX,
  alarmsToRead,
  decideGuardian,
  entriesToRead,
  parseStopAlarms,
  parseTrigger,
  stopTheLineVerdict,
  type GuardianInput,
  type ListedEntry,
  type ReadAlias,
} from '../../packages/core/src/guardian.js';

const NOW = 1_800_000_000;
const R = 'us-east-1';

function entry(overrides: Partial<DeploymentEntry> = {}): DeploymentEntry {
  return { service: 'orders', stage: 'prod', wave: 'prod-1', alias: 'live', functions: ['orders-api'], regions: [R, 'eu-west-1'], alarms: ['orders-5xx'], commit: 'abc123def456', run: '42', lease: null, at: NOW - 100, ...overrides };
}

function listed(e: DeploymentEntry, name = `/safe-deploy/live/${e.service}`): ListedEntry {
  return { name, ok: true, entry: e };
}

const baking: AliasRecord = { v: 1, stable: '3', candidate: '4', previous: null, weight: 0.1, state: 'baking', commit: 'abc123def456', run: '42', at: NOW - 100 };

function alias(fn: string, record: AliasRecord | string | null, version = '3', weights: Record<string, number> = { '4': 0.1 }): ReadAlias {
  const description = typeof record === 'string' ? record : record ? encodeRecord(record) : '';
  return { region: R, function: fn, alias: 'live', state: { version, weights, record: decodeRecord(description) } };
}

function alarm(name: string, state: AlarmStatus['state'] = 'ALARM', reason = 'Threshold crossed', region = R): AlarmStatus {
  return { region, name, kind: 'metric', state, reason, updatedAt: '2027-01-15T08:00:00.000Z' };
}

function input(overrides: Partial<GuardianInput>): GuardianInput {
  return {
    trigger: { kind: 'alarm', region: R, alarm: 'orders-5xx', state: 'ALARM', previous: 'OK', time: null, eventId: null },
    entries: [listed(entry())],
    aliases: [alias('orders-api', baking)],
    alarms: [alarm('orders-5xx')],
    stop: parseStopAlarms(''),
    now: NOW,
    ...overrides,
  };
}

const sweep = { kind: 'sweep', region: R, time: null, eventId: null } as const;

describe('parseTrigger', () => {
  it('reads a metric alarm state change in the documented shape', () => {
    const event = {
      version: '0',
      id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: '123456789012',
      time: '2019-10-02T17:04:40Z',
      region: 'eu-west-1',
      resources: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-5xx'],
      detail: { alarmName: 'orders-5xx', state: { value: 'ALARM', reason: 'x', timestamp: '2019-10-02T17:04:40.985+0000' }, previousState: { value: 'OK' }, configuration: {} },
    };
    expect(parseTrigger(event, 'us-east-1')).toEqual({ kind: 'alarm', region: 'eu-west-1', alarm: 'orders-5xx', state: 'ALARM', previous: 'OK', time: '2019-10-02T17:04:40Z', eventId: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92' });
  });

  it('reads the scheduled sweep, and falls back to the function region', () => {
    expect(parseTrigger({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }, 'ap-southeast-2')).toMatchObject({ kind: 'sweep', region: 'ap-southeast-2' });
  });

  it('ignores other events, saying why, without echoing control characters', () => {
    const t = parseTrigger({ source: 'evil\n::error::x', 'detail-type': 'Other', region: R }, null);
    expect(t.kind).toBe('ignored');
    expect(JSON.stringify(t)).not.toMatch(/\\n|::error/);
    expect(parseTrigger({ source: 'aws.cloudwatch', 'detail-type': 'CloudWatch Alarm State Change', region: R, detail: { state: { value: 'ALARM' } } }, null)).toMatchObject({ kind: 'ignored' });
    expect(parseTrigger({}, null)).toMatchObject({ kind: 'ignored', region: null });
  });
});

describe('SAFE_DEPLOY_STOP_ALARMS', () => {
  it('takes names and prefixes separated by commas or newlines', () => {
    expect(parseStopAlarms('team-sev1, prefix:team-sev2-\nother')).toEqual({ names: ['team-sev1', 'other'], prefixes: ['team-sev2-'] });
    expect(parseStopAlarms(undefined)).toEqual({ names: [], prefixes: [] });
  });
  it('names the variable in its error', () => {
    expect(() => parseStopAlarms('prefix:')).toThrow(/SAFE_DEPLOY_STOP_ALARMS/);
  });
});

describe('store entry', () => {
  it('round-trips and is named <path>/<alias>/<service or first function>', () => {
    const e = entry({ lease: NOW + 600 });
    expect(decodeEntry(encodeEntry(e))).toEqual({ ok: true, entry: e });
    expect(entryName('/safe-deploy', e)).toBe('/safe-deploy/live/orders');
    expect(entryName('/safe-deploy/team-a/', entry({ service: null, functions: ['b-fn', 'a-fn'] }))).toBe('/safe-deploy/team-a/live/a-fn');
  });
  it('refuses what would not fit or could carry commands, naming the field', () => {
    expect(() => encodeEntry(entry({ run: '1\n::stop-commands::x' }))).toThrow(/run/);
    expect(() => encodeEntry(entry({ functions: ['orders api'] }))).toThrow(/functions\.0/);
    expect(() => encodeEntry(entry({ alarms: Array.from({ length: 30 }, (_, i) => `${'a'.repeat(200)}-${i}`) }))).toThrow(new RegExp(`above the ${ENTRY_VALUE_LIMIT}`));
    expect(() => checkStorePath('/aws/x')).toThrow(/reserves/);
    expect(() => checkStorePath('safe-deploy', 'SAFE_DEPLOY_STORE_PATH')).toThrow(/SAFE_DEPLOY_STORE_PATH/);
  });
  it('reports a value that does not decode by field names only', () => {
    expect(decodeEntry('{"sd":1,"alias":"live\\n::error::x"}')).toEqual({ ok: false, problem: expect.not.stringMatching(/::|\n/) });
    expect(decodeEntry('not json ::error::x')).toEqual({ ok: false, problem: 'not JSON' });
  });
});

describe('decideGuardian', () => {
  it('(a) rolls back a deployment whose own rollback alarm is confirmed in ALARM', () => {
    const plan = decideGuardian(input({}));
    expect(plan.rollbacks).toEqual([
      expect.objectContaining({ function: 'orders-api', alias: 'live', action: 'rollback', cause: 'rollback-alarm', to: '3', candidate: '4', transition: 'baking -> rolling-back' }),
    ]);
    expect(plan.rollbacks[0]?.reason).toBe('rollback alarm orders-5xx in ALARM in us-east-1 since 2027-01-15T08:00:00.000Z: Threshold crossed');
  });

  it('matches prefix references, and only alarms of the region and of the event', () => {
    expect(decideGuardian(input({ entries: [listed(entry({ alarms: ['prefix:orders-'] }))] })).rollbacks).toHaveLength(1);
    expect(decideGuardian(input({ alarms: [alarm('orders-5xx', 'ALARM', 'x', 'eu-west-1')] })).rollbacks).toHaveLength(0);
    const other = input({ trigger: { kind: 'alarm', region: R, alarm: 'unrelated', state: 'ALARM', previous: null, time: null, eventId: null }, alarms: [alarm('unrelated')] });
    expect(decideGuardian(other).decisions).toEqual([expect.objectContaining({ action: 'watch' })]);
  });

  it('never acts on the event alone: an alarm DescribeAlarms reads as OK rolls nothing back', () => {
    expect(decideGuardian(input({ alarms: [alarm('orders-5xx', 'OK')] })).rollbacks).toHaveLength(0);
    expect(decideGuardian(input({ alarms: [] })).rollbacks).toHaveLength(0);
  });

  it('(b) rolls back every in-flight deployment of the region on a stop-the-line alarm', () => {
    const plan = decideGuardian(
      input({
        trigger: { kind: 'alarm', region: R, alarm: 'team-sev1', state: 'ALARM', previous: 'OK', time: null, eventId: null },
        stop: parseStopAlarms('prefix:team-'),
        entries: [listed(entry()), listed(entry({ service: 'billing', functions: ['billing-api', 'billing-worker'], alarms: [], commit: 'fff000111222' }))],
        aliases: [alias('orders-api', baking), alias('billing-api', { ...baking, commit: 'fff000111222' }), alias('billing-worker', { ...baking, commit: 'fff000111222', state: 'promoted', weight: 1 }, '4', {})],
        alarms: [alarm('team-sev1')],
      }),
    );
    expect(plan.rollbacks.map((d) => [d.function, d.cause])).toEqual([
      ['orders-api', 'stop-the-line'],
      ['billing-api', 'stop-the-line'],
      ['billing-worker', 'stop-the-line'],
    ]);
    expect(plan.rollbacks[2]?.transition).toBe('promoted -> rolling-back');
  });

  it('(c) rolls back on an expired lease in the sweep only; a live lease is watched', () => {
    const expired = listed(entry({ lease: NOW - 30 }));
    expect(decideGuardian(input({ trigger: sweep, entries: [expired], alarms: [] })).rollbacks[0]).toMatchObject({ cause: 'lease-expired', reason: expect.stringMatching(/^lease expired at .* \(30 s ago\)/) });
    expect(decideGuardian(input({ trigger: sweep, entries: [listed(entry({ lease: NOW + 30 }))], alarms: [] })).decisions).toEqual([expect.objectContaining({ action: 'watch', reason: expect.stringContaining('lease until') })]);
    // An alarm event for another alarm does not judge leases (the sweep does, every minute).
    expect(decideGuardian(input({ entries: [expired], alarms: [alarm('orders-5xx', 'OK')] })).rollbacks).toHaveLength(0);
  });

  it('is idempotent: a rolled-back alias, another commit and an adopted alias are left at rest', () => {
    for (const a of [alias('orders-api', { ...baking, state: 'rolled-back', weight: 0 }, '3', {}), alias('orders-api', { ...baking, commit: 'newer0000000' }), alias('orders-api', null, '3', {})]) {
      const plan = decideGuardian(input({ aliases: [a] }));
      expect(plan.rollbacks).toHaveLength(0);
      expect(plan.decisions).toEqual([expect.objectContaining({ action: 'skip', transition: 'at rest' })]);
    }
  });

  it('S1: one forged record and one unreadable store entry are reported and skipped; the good alias is still rolled back', () => {
    const forged = '{"sd":1,"st":"baking","c":"9","s":"7","w":0.5,"t":"x\\n::error title=forged::y"}';
    const plan = decideGuardian(
      input({
        entries: [{ name: '/safe-deploy/live/broken', ok: false, problem: 'not JSON' }, listed(entry({ functions: ['orders-admin', 'orders-api', 'orders-gone'] }))],
        aliases: [alias('orders-admin', forged), alias('orders-api', baking)],
      }),
    );
    expect(plan.rollbacks.map((d) => d.function)).toEqual(['orders-api']);
    const reports = plan.decisions.filter((d) => d.action === 'report');
    expect(reports.map((d) => [d.function, d.transition])).toEqual([
      [null, 'unreadable store entry'],
      ['orders-admin', 'unreadable alias'],
      ['orders-gone', 'unreadable alias'],
    ]);
    expect(reports[1]?.reason).toMatch(/^the alias record cannot be read \(invalid [a-z, ]+\)/);
    expect(reports[2]?.reason).toMatch(/^the alias does not exist/);
    expect(JSON.stringify(plan)).not.toMatch(/::error|forged/);
  });

  it('S2: many firing alarms with long names make a cut reason, never a refusal', () => {
    const names = Array.from({ length: 40 }, (_, i) => `orders-${'x'.repeat(240)}-${i}`);
    const plan = decideGuardian(input({ trigger: sweep, entries: [listed(entry({ alarms: ['prefix:orders-'] }))], alarms: names.map((n) => alarm(n)) }));
    expect(plan.rollbacks).toHaveLength(1);
    expect(plan.rollbacks[0]!.reason.length).toBeLessThanOrEqual(REASON_MAX);
    expect(plan.rollbacks[0]!.reason).toMatch(/…$/);
  });

  it('I1-I3: alarm names and reasons with control characters and runner commands are neutralised', () => {
    const plan = decideGuardian(input({ entries: [listed(entry({ alarms: ['prefix:orders'] }))], trigger: sweep, alarms: [alarm('orders\n::add-mask::us-east-1', 'ALARM', 'bad\r\n::stop-commands::tok')] }));
    expect(plan.rollbacks).toHaveLength(1);
    expect(plan.rollbacks[0]!.reason).not.toMatch(/[\r\n]|::(add-mask|stop-commands)/);
  });

  it('reads aliases only for deployments that have a reason to move', () => {
    const quiet = listed(entry({ service: 'quiet', alarms: ['quiet-5xx'] }), '/safe-deploy/live/quiet');
    const pre = { trigger: sweep, entries: [listed(entry()), quiet], alarms: [alarm('orders-5xx'), alarm('quiet-5xx', 'OK')], stop: parseStopAlarms(''), now: NOW };
    expect(entriesToRead(pre).map((e) => e.name)).toEqual(['/safe-deploy/live/orders']);
    expect(alarmsToRead(parseStopAlarms('team-sev1'), [entry(), entry({ alarms: ['prefix:pay-'] })])).toEqual({ names: ['team-sev1', 'orders-5xx'], prefixes: ['pay-'] });
  });
});

describe('stopTheLineVerdict', () => {
  const stop = parseStopAlarms('team-sev1, prefix:team-sev2-');
  it('stops while one fires, and fails closed on a missing one', () => {
    expect(stopTheLineVerdict(R, stop, [alarm('team-sev1', 'OK'), alarm('team-sev2-db')], [])).toMatchObject({ stopped: true, message: expect.stringContaining('team-sev2-db in ALARM') });
    expect(stopTheLineVerdict(R, stop, [alarm('team-sev1', 'OK')], ['prefix:team-sev2-'])).toMatchObject({ stopped: true, message: expect.stringMatching(/not found/) });
    expect(stopTheLineVerdict(R, stop, [alarm('team-sev1', 'OK'), alarm('team-sev2-db', 'OK')], [])).toMatchObject({ stopped: false });
    expect(stopTheLineVerdict(R, parseStopAlarms(''), [], [])).toMatchObject({ stopped: false });
  });
});
