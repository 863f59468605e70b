// alarm-check: reads the CloudWatch alarm states in every region and blocks a stage that would
// start while an alarm fires. Inputs are validated before the AWS SDK is even loaded.
import { isRegion } from '../../../packages/core/src/regions.js';
import * as core from '@actions/core';
import {
  evaluateAlarmCheck,
  parseAlarmRefs,
  parseFailOn,
  refCount,
  summarizeAlarms,
  type AlarmCheckVerdict,
  type RegionAlarms,
} from '../../../packages/core/src/alarms.js';
import { parseList } from '../../../packages/core/src/units.js';
import type { AlarmRefs } from '../../../packages/core/src/alarms.js';
import { parseStopAlarms } from '../../../packages/core/src/guardian.js';
import { cellText as escapeCell } from '../../../packages/github/src/summary.js';


export interface AlarmCheckInputs {
  readonly refs: ReturnType<typeof parseAlarmRefs>;
  readonly regions: readonly string[];
  readonly failOn: ReturnType<typeof parseFailOn>;
  readonly bypassReason: string;
  /** SAFE_DEPLOY_STOP_ALARMS, parsed; null when none is configured. */
  readonly stopAlarms: AlarmRefs | null;
}

export function readInputs(input: (name: string) => string = (name) => core.getInput(name), env: NodeJS.ProcessEnv = process.env): AlarmCheckInputs {
  const refs = parseAlarmRefs(parseList(input('alarms')), 'alarms');
  if (refCount(refs) === 0) throw new Error('input alarms: give at least one alarm name or prefix:NAME-START reference');
  const regions = [...new Set(parseList(input('regions')))];
  if (regions.length === 0) throw new Error('input regions: give at least one AWS region, for example us-east-1');
  for (const region of regions) if (!isRegion(region)) throw new Error(`input regions: "${region}" is not an AWS region name (like us-east-1)`);
  const failOn = parseFailOn(parseList(input('fail-on') || 'ALARM'), 'fail-on');
  let stop: AlarmRefs;
  try {
    stop = parseStopAlarms(env.SAFE_DEPLOY_STOP_ALARMS);
  } catch (error) {
    throw new Error(`environment SAFE_DEPLOY_STOP_ALARMS: ${(error as Error).message}`);
  }
  return { refs, regions, failOn, bypassReason: input('bypass-reason').trim(), stopAlarms: refCount(stop) > 0 ? stop : null };
}

export function renderSummary(inputs: AlarmCheckInputs, readings: readonly RegionAlarms[], verdict: AlarmCheckVerdict): string {
  const icon = verdict.state === 'BYPASSED' ? '⚠️' : verdict.pass ? '✅' : '⛔';
  const lines = [`## ${icon} alarm-check: ${verdict.state}`, '', verdict.message, ''];
  if (verdict.state === 'BYPASSED') {
    lines.push(`> [!WARNING]`, `> Bypassed while an alarm fires. Reason given: **${escapeCell(inputs.bypassReason)}**`, '');
  }
  lines.push('| Region | OK | ALARM | INSUFFICIENT_DATA | missing |', '|---|---|---|---|---|');
  for (const r of readings) {
    const n = (s: string) => r.alarms.filter((a) => a.state === s).length;
    lines.push(`| ${r.region} | ${n('OK')} | ${n('ALARM')} | ${n('INSUFFICIENT_DATA')} | ${r.missing.length > 0 ? escapeCell(r.missing.join(', ')) : 0} |`);
  }
  lines.push('', '| Region | Alarm | Type | State | Since | Reason |', '|---|---|---|---|---|---|');
  const order = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 } as const;
  for (const r of readings) {
    for (const ref of r.missing) lines.push(`| ${r.region} | ${escapeCell(ref)} | - | **MISSING** | - | not found |`);
    for (const a of [...r.alarms].sort((x, y) => order[x.state] - order[y.state] || x.name.localeCompare(y.name))) {
      const state = a.state === 'OK' ? 'OK' : `**${a.state}**`;
      lines.push(`| ${r.region} | ${escapeCell(a.name)} | ${a.kind} | ${state} | ${a.updatedAt ?? '-'} | ${escapeCell(a.reason.slice(0, 200))} |`);
    }
  }
  lines.push('', `Blocking states: ${inputs.failOn.join(', ')}.`);
  return lines.join('\n') + '\n';
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const { AwsClients } = await import('../../../packages/aws/src/clients.js');
    const { readAlarmStates } = await import('../../../packages/aws/src/cloudwatch.js');
    const { stoppedRegions } = await import('../../../packages/deploy/src/stop-the-line.js');
    const clients = new AwsClients({ caller: 'alarm-check' });
    let readings: RegionAlarms[];
    let stopped: string[];
    try {
      // Stop-the-line first: while one of the team's stop-the-line alarms fires in a region, nothing
      // starts there, whatever bypass-reason says (a rollback is never held by it).
      stopped = await stoppedRegions(clients, inputs.regions, inputs.stopAlarms);
      readings = stopped.length > 0 ? [] : await Promise.all(inputs.regions.map((region) => readAlarmStates(clients, region, inputs.refs)));
    } finally {
      clients.destroy();
    }
    if (stopped.length > 0) {
      core.setOutput('state', 'STOPPED');
      core.setOutput('alarms', '[]');
      for (const line of stopped) core.error(line, { title: 'Stop-the-line' });
      await core.summary.addRaw(`## ⛔ alarm-check: STOPPED\n\n${stopped.map((l) => `- ${escapeCell(l)}`).join('\n')}\n\nNothing starts in these regions until the stop-the-line alarm clears; bypass-reason does not apply. A rollback is never held.\n`).write();
      core.setFailed(`alarm-check: ${stopped.join('; ')}`);
      return;
    }
    const verdict = evaluateAlarmCheck(readings, inputs.failOn, inputs.bypassReason);
    for (const r of readings) core.info(`${r.region}: ${summarizeAlarms(r.alarms, r.missing.length)}`);
    core.setOutput('state', verdict.state);
    core.setOutput('alarms', JSON.stringify(readings.flatMap((r) => r.alarms.map((a) => ({ region: a.region, name: a.name, state: a.state, reason: a.reason })))));
    await core.summary.addRaw(renderSummary(inputs, readings, verdict)).write();
    if (verdict.state === 'BYPASSED') core.warning(`alarm-check bypassed: ${verdict.message}`, { title: 'Alarm bypassed' });
    if (!verdict.pass) core.setFailed(verdict.message);
  } catch (error) {
    core.setFailed(`alarm-check: ${(error as Error).message}`);
  }
}
