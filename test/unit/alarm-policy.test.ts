import { describe, expect, it } from '@jest/globals';
import { evaluateAlarmCheck, parseAlarmRefs, parseFailOn, summarizeAlarms, type AlarmStatus } from '../../packages/core/src/alarms.js';

const alarm = (region: string, name: string, state: AlarmStatus['state']): AlarmStatus => ({ region, name, kind: 'metric', state, reason: 'r', updatedAt: null });

describe('alarm references and fail-on', () => {
  it('splits names and prefix: references, dropping duplicates', () => {
    expect(parseAlarmRefs(['orders-high', 'prefix:orders-', 'orders-high', ' PREFIX:pay- '])).toEqual({ names: ['orders-high'], prefixes: ['orders-', 'pay-'] });
    expect(() => parseAlarmRefs(['prefix:'])).toThrow(/input alarms: "prefix:" has an empty prefix/);
  });
  it('accepts ALARM or ALARM,INSUFFICIENT_DATA only', () => {
    expect(parseFailOn(['ALARM'])).toEqual(['ALARM']);
    expect(parseFailOn(['alarm', 'insufficient_data'])).toEqual(['ALARM', 'INSUFFICIENT_DATA']);
    expect(() => parseFailOn(['OK'])).toThrow(/input fail-on: "OK" is not a blocking state/);
    expect(() => parseFailOn(['INSUFFICIENT_DATA'])).toThrow(/must include ALARM/);
  });
});

describe('evaluateAlarmCheck', () => {
  const east = { region: 'us-east-1', alarms: [alarm('us-east-1', 'a', 'OK'), alarm('us-east-1', 'b', 'INSUFFICIENT_DATA')], missing: [] };
  it('passes with nothing in a blocking state', () => {
    expect(evaluateAlarmCheck([east], ['ALARM'], '')).toMatchObject({ state: 'INSUFFICIENT_DATA', pass: true });
    expect(evaluateAlarmCheck([east], ['ALARM', 'INSUFFICIENT_DATA'], '')).toMatchObject({ pass: false, state: 'INSUFFICIENT_DATA' });
  });
  it('blocks on a firing alarm, and a bypass reason lets it through as BYPASSED', () => {
    const west = { region: 'eu-west-1', alarms: [alarm('eu-west-1', 'a', 'ALARM')], missing: [] };
    const blocked = evaluateAlarmCheck([east, west], ['ALARM'], '');
    expect(blocked).toMatchObject({ state: 'ALARM', pass: false });
    expect(blocked.message).toMatch(/blocked: a \(eu-west-1: ALARM\)/);
    const bypassed = evaluateAlarmCheck([east, west], ['ALARM'], 'fix-forward for INC-42');
    expect(bypassed).toMatchObject({ state: 'BYPASSED', pass: true });
    expect(bypassed.message).toMatch(/fix-forward for INC-42/);
  });
  it('a missing alarm blocks even with a bypass reason', () => {
    const verdict = evaluateAlarmCheck([{ region: 'us-east-1', alarms: [], missing: ['orders-typo'] }], ['ALARM'], 'please');
    expect(verdict.pass).toBe(false);
    expect(verdict.message).toMatch(/alarm not found: orders-typo in us-east-1/);
  });
  it('summarizes counts by state', () => {
    expect(summarizeAlarms([alarm('r', 'a', 'OK'), alarm('r', 'b', 'ALARM')], 1)).toBe('1 OK, 1 ALARM, 1 missing');
  });
});
