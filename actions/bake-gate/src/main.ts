// bake-gate: waits until the deployment has baked (watch mode) or checks after the fact that it
// did (verify mode). The policy lives in packages/core/src/bake.ts; this file reads inputs, wires
// the CloudWatch adapter into the policy's readers, and writes outputs and the job summary.
import * as core from '@actions/core';
import type { RegionAlarms } from '../../../packages/core/src/alarms.js';
import { summarizeAlarms } from '../../../packages/core/src/alarms.js';
import {
  bakeChart,
  bakeSeries,
  historyVerdict,
  runBake,
  type BakeOutcome,
  type TargetSample,
  type WindowCheck,
} from '../../../packages/core/src/bake.js';
import { formatDuration, formatShare } from '../../../packages/core/src/units.js';
import { shellQuote } from '../../../packages/github/src/summary.js';
import { readInputs, type BakeGateInputs } from './inputs.js';

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function rollbackCommand(inputs: BakeGateInputs, reason: string): string {
  const regions = [...new Set(inputs.deployment.targets.map((t) => t.region))].join(',');
  const stables = [...new Set(inputs.deployment.targets.map((t) => t.stable))];
  const version = stables.length === 1 ? stables[0] : 'previous';
  // The environment is user text and people paste this line: every value is quoted for the shell.
  return `gh workflow run rollback.yml -f environment=${shellQuote(inputs.environment)} -f regions=${shellQuote(regions)} -f version=${shellQuote(version ?? 'previous')} -f reason=${shellQuote(reason.slice(0, 120))}`;
}

export function renderSummary(inputs: BakeGateInputs, outcome: BakeOutcome, transitionsNote: string): string {
  const ok = outcome.result === 'baked';
  const d = inputs.deployment;
  const lines = [
    `## ${ok ? '✅' : '⛔'} bake-gate (${inputs.mode}): ${outcome.result}`,
    '',
    outcome.reason,
    '',
    `Deployment ${d.service ?? ''} ${d.stage ?? ''} ${d.wave ?? ''} alias \`${d.alias}\` at ${formatShare(d.traffic)}, commit \`${d.commit.slice(0, 12)}\`. ` +
      `Bake ${formatDuration(inputs.policy.durationMs)} (max-wait ${formatDuration(inputs.policy.maxWaitMs)}), at least ${inputs.policy.minInvocations} candidate invocations per region, ` +
      `elapsed ${formatDuration(Math.max(0, outcome.endedAt - outcome.startedAt))} over ${outcome.polls} poll(s).`,
    '',
    '| Region | Function | Stable → candidate | Weight | Candidate invocations | Errors | Error rate | Throttles | p99 |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const samples = new Map<string, TargetSample>();
  for (const s of outcome.last?.metrics ?? []) samples.set(`${s.region}/${s.function}`, s);
  for (const t of d.targets) {
    const s = samples.get(`${t.region}/${t.function}`);
    const c = s?.candidate;
    const rate = c && c.invocations > 0 ? `${Math.round((c.errors / c.invocations) * 10_000) / 100}%` : '-';
    lines.push(
      `| ${t.region} | ${t.function} | v${t.stable} → v${t.candidate} | ${formatShare(t.weight)} | ${c?.invocations ?? 0} | ${c?.errors ?? 0} | ${rate} | ${c?.throttles ?? 0} | ${c?.p99Ms != null ? `${Math.round(c.p99Ms)}ms` : '-'} |`,
    );
  }
  lines.push('', '| Region | Invocations / required | Alarms |', '|---|---|---|');
  for (const [region, n] of Object.entries(outcome.invocations)) {
    const alarms = outcome.last?.alarms.find((a) => a.region === region);
    lines.push(`| ${region} | ${n} / ${inputs.policy.minInvocations}${n >= inputs.policy.minInvocations ? ' ✅' : ''} | ${alarms ? summarizeAlarms(alarms.alarms, alarms.missing.length) : '-'} |`);
  }
  const notOk = (outcome.last?.alarms ?? []).flatMap((r) => [
    ...r.missing.map((m) => `| ${r.region} | ${escapeCell(m)} | **MISSING** | not found |`),
    ...r.alarms.filter((a) => a.state !== 'OK').map((a) => `| ${r.region} | ${escapeCell(a.name)} | **${a.state}** | ${escapeCell(a.reason.slice(0, 200))} |`),
  ]);
  if (notOk.length > 0) lines.push('', '| Region | Alarm | State | Reason |', '|---|---|---|---|', ...notOk);
  if (transitionsNote) lines.push('', transitionsNote);
  const chart = bakeChart(bakeSeries(outcome.last?.metrics ?? []), outcome.startedAt);
  if (chart) lines.push('', chart);
  if (!ok) {
    lines.push('', 'The rollback step of this job puts every alias back on its stable version. To finish by hand:', '', '```sh', rollbackCommand(inputs, `bake-gate ${outcome.result}`), '```');
  }
  return lines.join('\n') + '\n';
}

async function loadWindow(configPath: string): Promise<WindowCheck | undefined> {
  if (configPath === '') return undefined;
  const { loadWindowCheck } = await import('./window.js');
  return loadWindowCheck(configPath);
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name), Date.now());
    const window = await loadWindow(inputs.config);
    const { AwsClients } = await import('../../../packages/aws/src/clients.js');
    const cw = await import('../../../packages/aws/src/cloudwatch.js');
    const clients = new AwsClients({ caller: 'bake-gate' });
    try {
      const regions = [...new Set(inputs.deployment.targets.map((t) => t.region))];
      const targetsByRegion = new Map(regions.map((r) => [r, inputs.deployment.targets.filter((t) => t.region === r).map((t) => ({ function: t.function, alias: t.alias, candidate: t.candidate, stable: t.stable }))]));
      const metricOptions = { p99: inputs.policy.maxP99Ms !== null, stable: inputs.policy.maxErrorRateOverStable !== null };
      const noAlarms = inputs.refs.names.length + inputs.refs.prefixes.length === 0;
      const readAlarms = async (): Promise<RegionAlarms[]> =>
        noAlarms ? regions.map((region) => ({ region, alarms: [], missing: [] })) : Promise.all(regions.map((r) => cw.readAlarmStates(clients, r, inputs.refs)));
      const readMetrics = async (start: number, end: number) =>
        (await Promise.all(regions.map((r) => cw.readCandidateMetrics(clients, r, targetsByRegion.get(r) ?? [], { start: new Date(start), end: new Date(end + 60_000) }, metricOptions)))).flat();

      if (noAlarms) core.warning('bake-gate: no rollback alarms given; only the candidate metrics are watched', { title: 'No alarms' });
      core.info(
        `bake-gate ${inputs.mode}: ${inputs.deployment.targets.length} target(s) in ${regions.join(', ')}, ${formatDuration(inputs.policy.durationMs)} from ${new Date(inputs.since).toISOString()}, ` +
          `poll every ${formatDuration(inputs.policy.pollIntervalMs)}`,
      );

      let outcome: BakeOutcome | null = null;
      let transitionsNote = '';
      if (inputs.mode === 'verify' && !noAlarms) {
        // Alarm state changes since the start: the watch that did not happen while the job waited.
        const now = new Date();
        let current: RegionAlarms[] = [];
        let history: Awaited<ReturnType<typeof cw.readAlarmHistory>> = [];
        let failure: string | null = null;
        try {
          current = await readAlarms();
          history = (await Promise.all(current.map((r) => cw.readAlarmHistory(clients, r.region, r.alarms.map((a) => a.name), new Date(inputs.since), now)))).flat();
        } catch (error) {
          failure = `monitoring failed, so the bake fails closed: ${(error as Error).message}`;
        }
        transitionsNote = history.length === 0 ? 'No alarm changed state during the bake window.' : `Alarm state changes during the bake window: ${history.map((h) => `${h.name} (${h.region}) → ${h.to} at ${h.at}`).join('; ')}.`;
        const verdict = failure ?? historyVerdict(inputs.policy, history);
        if (verdict) {
          const metrics = failure ? [] : await readMetrics(inputs.since, Date.now()).catch(() => []);
          outcome = {
            result: 'alarm',
            reason: verdict,
            startedAt: inputs.since,
            endedAt: Date.now(),
            polls: 1,
            invocations: Object.fromEntries(regions.map((r) => [r, metrics.filter((m) => m.region === r).reduce((n, m) => n + m.candidate.invocations, 0)])),
            last: { now: Date.now(), regions, alarms: current, metrics },
          };
        }
      }
      outcome ??= await runBake(inputs.policy, inputs.since, regions, {
        now: () => Date.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        readAlarms,
        readMetrics,
        window,
        onPoll: (report) => core.info(report.line),
      });

      core.setOutput('result', outcome.result);
      core.setOutput('invocations', JSON.stringify(outcome.invocations));
      core.info(`bake-gate result: ${outcome.result}: ${outcome.reason}`);
      await core.summary.addRaw(renderSummary(inputs, outcome, transitionsNote)).write();
      if (outcome.result !== 'baked') core.setFailed(`bake-gate ${outcome.result}: ${outcome.reason}`);
    } finally {
      clients.destroy();
    }
  } catch (error) {
    core.setFailed(`bake-gate: ${(error as Error).message}`);
  }
}
