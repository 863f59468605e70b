// alarm-check's bundle against moto, in two regions.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { motoEndpoint, testClients, uniqueName } from '../helpers/aws.js';
import { createAlarms, setAlarmState } from '../helpers/cloudwatch.js';
import { runBundle } from './bake-harness.js';

const clients = testClients();
const regions = 'us-east-1, eu-west-1';

afterAll(() => {
  clients.destroy();
});

describe('alarm-check bundle on moto', () => {
  let prefix: string;
  beforeAll(async () => {
    prefix = uniqueName('sd-check');
    await createAlarms(clients, ['us-east-1', 'eu-west-1'], `${prefix}-high-severity`, 'OK');
    await createAlarms(clients, ['us-east-1', 'eu-west-1'], `${prefix}-latency`, 'OK');
  });

  it('passes when every alarm is OK, with a summary by region and state', async () => {
    const run = await runBundle('alarm-check', { alarms: `${prefix}-high-severity\nprefix:${prefix}-`, regions }, motoEndpoint());
    expect(run.code).toBe(0);
    expect(run.outputs.state).toBe('OK');
    const alarms = JSON.parse(run.outputs.alarms ?? '[]') as { region: string; name: string; state: string }[];
    expect(alarms).toHaveLength(4);
    expect(run.summary).toContain('alarm-check: OK');
    expect(run.summary).toContain('| us-east-1 | 2 | 0 | 0 | 0 |');
  });

  it('blocks on a firing alarm and lets a bypass through with its reason in the summary', async () => {
    const firing = uniqueName('sd-check-firing');
    await createAlarms(clients, ['us-east-1', 'eu-west-1'], firing, 'OK');
    await setAlarmState(clients, 'eu-west-1', firing, 'ALARM', 'Threshold Crossed: 12 errors');

    const blocked = await runBundle('alarm-check', { alarms: `${firing}`, regions }, motoEndpoint());
    expect(blocked.code).not.toBe(0);
    expect(blocked.outputs.state).toBe('ALARM');
    expect(blocked.stdout).toMatch(new RegExp(`::error::blocked: ${firing} \\(eu-west-1: ALARM\\)`));
    expect(blocked.summary).toMatch(new RegExp(`\\| eu-west-1 \\| ${firing} \\| metric \\| \\*\\*ALARM\\*\\* \\|.*Threshold Crossed: 12 errors`));

    const bypassed = await runBundle('alarm-check', { alarms: `${firing}`, regions, 'bypass-reason': 'fix-forward for INC-4711' }, motoEndpoint());
    expect(bypassed.code).toBe(0);
    expect(bypassed.outputs.state).toBe('BYPASSED');
    expect(bypassed.stdout).toMatch(/::warning title=Alarm bypassed::alarm-check bypassed/);
    expect(bypassed.summary).toContain('Reason given: **fix-forward for INC-4711**');
  });

  it('fails on a named alarm that does not exist, even with a bypass', async () => {
    const run = await runBundle('alarm-check', { alarms: `${prefix}-high-severity, ${prefix}-typo`, regions, 'bypass-reason': 'x' }, motoEndpoint());
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(new RegExp(`alarm not found: ${prefix}-typo in us-east-1, ${prefix}-typo in eu-west-1`));
    expect(run.summary).toContain('**MISSING**');
  });

  it('blocks on INSUFFICIENT_DATA only when fail-on says so', async () => {
    const quiet = uniqueName('sd-check-quiet');
    await createAlarms(clients, ['us-east-1'], quiet, 'INSUFFICIENT_DATA');
    const lenient = await runBundle('alarm-check', { alarms: quiet, regions: 'us-east-1' }, motoEndpoint());
    expect(lenient.code).toBe(0);
    expect(lenient.outputs.state).toBe('INSUFFICIENT_DATA');
    const strict = await runBundle('alarm-check', { alarms: quiet, regions: 'us-east-1', 'fail-on': 'ALARM,INSUFFICIENT_DATA' }, motoEndpoint());
    expect(strict.code).not.toBe(0);
  });

  it('refuses bad input before any AWS call, naming the input', async () => {
    const run = await runBundle('alarm-check', { alarms: 'a', regions: 'us-east-1', 'fail-on': 'OK' }, 'http://127.0.0.1:9');
    expect(run.stdout).toMatch(/::error::alarm-check: input fail-on: "OK" is not a blocking state/);
    const region = await runBundle('alarm-check', { alarms: 'a', regions: 'US East' }, 'http://127.0.0.1:9');
    expect(region.stdout).toMatch(/input regions: "US East" is not an AWS region name/);
  });
});
