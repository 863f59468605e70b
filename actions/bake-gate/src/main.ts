// bake-gate: waits until the deployment has baked (watch mode) or checks after the fact that it
// did (verify mode). The policy lives in packages/core/src/bake.ts, the bake itself (CloudWatch
// reads, lease renewal, the last bake ending or parking the lease) in packages/deploy/src/bake-gate.ts;
// this file reads inputs, calls it, and writes outputs and the job summary.
import * as core from '@actions/core';
import { summarizeAlarms } from '../../../packages/core/src/alarms.js';
import {
  bakeChart,
  bakeSeries,
  isoTime,
  judgedMetrics,
  pairCounts,
  settleText,
  type BakeOutcome,
  type BakePolicy,
  type TargetSample,
  type WindowCheck,
} from '../../../packages/core/src/bake.js';
import type { Judge } from '../../../packages/core/src/config.js';
import { formatEffect, judgeErrors, judgementText } from '../../../packages/core/src/judge.js';
import { LOG_LINE_MAX, logSafe } from '../../../packages/core/src/log-safe.js';
import { formatDuration, formatShare } from '../../../packages/core/src/units.js';
import { cell, shellQuote } from '../../../packages/github/src/summary.js';
import { readInputs, withConfigJudge, type BakeGateInputs } from './inputs.js';



function rollbackCommand(inputs: BakeGateInputs, reason: string): string {
  const regions = [...new Set(inputs.deployment.targets.map((t) => t.region))].join(',');
  const stables = [...new Set(inputs.deployment.targets.map((t) => t.stable))];
  const version = stables.length === 1 ? stables[0] : 'previous';
  // The environment is user text and people paste this line: every value is quoted for the shell.
  return `gh workflow run rollback.yml -f environment=${shellQuote(inputs.environment)} -f regions=${shellQuote(regions)} -f version=${shellQuote(version ?? 'previous')} -f reason=${shellQuote(reason.slice(0, 120))}`;
}

export interface SummaryExtras {
  /** What verify mode found in the alarm history. */
  readonly transitionsNote: string;
  /** The policy the bake ran with (the function timeout filled in). */
  readonly policy: BakePolicy;
  /** How the longest function timeout was found. */
  readonly timeoutNote: string;
  /** The judge's traffic plan, one sentence per target (empty when the judge is off). */
  readonly planLines?: readonly string[];
}

/** The judge's paragraph of the summary: its settings, the plan, and where each target stands. */
function judgeSummary(policy: BakePolicy, metrics: readonly TargetSample[], planLines: readonly string[]): string[] {
  if (!policy.judge) return [];
  const lines = [
    '',
    `**Judge** (the candidate against the stable version in the same window, checked every poll): false-positive rate ${formatShare(policy.judge.falsePositiveRate)} over the whole bake, ` +
      `minimum effect ${formatEffect(policy.judge.minEffect)} the stable's error rate` +
      (policy.maxP99OverStable !== null ? `, p99 at most ${formatShare(policy.maxP99OverStable)} above the stable's (from 1000 invocations of each)` : '') +
      '. The bake fails when the evidence reaches the threshold; see docs/bake.md, "The judge".',
  ];
  for (const line of planLines) lines.push('', `- Plan: ${cell(line)}`);
  if (metrics.length > 0) {
    lines.push('', '| Region | Function | Judge |', '|---|---|---|');
    for (const s of metrics) lines.push(`| ${cell(s.region)} | ${cell(s.function)} | ${cell(judgementText(pairCounts(s), judgeErrors(policy.judge, pairCounts(s), metrics.length)))} |`);
  }
  return lines;
}

export function renderSummary(inputs: BakeGateInputs, outcome: BakeOutcome, extras: SummaryExtras): string {
  const ok = outcome.result === 'baked';
  const d = inputs.deployment;
  const policy = extras.policy;
  const durationEnd = outcome.startedAt + policy.durationMs;
  const settled = outcome.last?.settled ?? null;
  const metrics = outcome.last ? judgedMetrics(outcome.last) : [];
  const lines = [
    `## ${ok ? '✅' : '⛔'} bake-gate (${inputs.mode}): ${outcome.result}`,
    '',
    cell(outcome.reason),
    '',
    `Deployment ${[d.service, d.stage, d.wave].filter((x) => x).map(cell).join(' ')} alias \`${cell(d.alias)}\` at ${formatShare(d.traffic)}, commit \`${cell(d.commit.slice(0, 12))}\`. ` +
      `Bake ${formatDuration(policy.durationMs)} (max-wait ${formatDuration(policy.maxWaitMs)}), at least ${policy.minInvocations} candidate invocations per region, ` +
      `elapsed ${formatDuration(Math.max(0, outcome.endedAt - outcome.startedAt))} over ${outcome.polls} poll(s).`,
    '',
    `Window ${isoTime(outcome.startedAt)} → ${isoTime(durationEnd)}; it ${outcome.endedAt >= outcome.settlesAt ? 'settled' : 'settles'} at **${isoTime(outcome.settlesAt)}** ` +
      `(duration end + ${settleText(policy)}: Lambda stamps metrics at invocation start and sends them when it ends). ` +
      (settled ? `Verdict on data stamped up to ${isoTime(settled.cutoff)}, read at ${isoTime(outcome.last?.now ?? outcome.endedAt)}.` : 'No verdict was taken on the settled window.') +
      (extras.timeoutNote ? ` ${extras.timeoutNote}` : ''),
    '',
    '| Region | Function | Stable → candidate | Weight | Candidate invocations | Errors | Error rate | Alias throttles (all versions) | p99 |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const samples = new Map<string, TargetSample>();
  for (const s of metrics) samples.set(`${s.region}/${s.function}`, s);
  for (const t of d.targets) {
    const s = samples.get(`${t.region}/${t.function}`);
    const c = s?.candidate;
    const rate = c && c.invocations > 0 ? `${Math.round((c.errors / c.invocations) * 10_000) / 100}%` : '-';
    const throttles = s?.aliasThrottles === undefined || s.aliasThrottles === null ? 'no data' : String(s.aliasThrottles);
    lines.push(
      `| ${cell(t.region)} | ${cell(t.function)} | v${cell(t.stable)} → v${cell(t.candidate)} | ${formatShare(t.weight)} | ${c?.invocations ?? 0} | ${c?.errors ?? 0} | ${rate} | ${throttles} | ${c?.p99Ms != null ? `${Math.round(c.p99Ms)}ms` : '-'} |`,
    );
  }
  lines.push(
    '',
    'Throttles: Lambda does not document a Throttles series per `ExecutedVersion`, so this is the alias over all its versions (stable included); "no data" means CloudWatch returned no data point, not that nothing was throttled. Throttled requests count as neither invocations nor errors.',
  );
  lines.push('', '| Region | Invocations / required | Alarms |', '|---|---|---|');
  for (const [region, n] of Object.entries(outcome.invocations)) {
    const alarms = outcome.last?.alarms.find((a) => a.region === region);
    lines.push(`| ${cell(region)} | ${n} / ${policy.minInvocations}${n >= policy.minInvocations ? ' ✅' : ''} | ${alarms ? cell(summarizeAlarms(alarms.alarms, alarms.missing.length)) : '-'} |`);
  }
  const notOk = (outcome.last?.alarms ?? []).flatMap((r) => [
    ...r.missing.map((m) => `| ${cell(r.region)} | ${cell(m)} | **MISSING** | not found |`),
    ...r.alarms.filter((a) => a.state !== 'OK').map((a) => `| ${cell(r.region)} | ${cell(a.name)} | **${a.state}** | ${cell(a.reason.slice(0, 200))} |`),
  ]);
  if (notOk.length > 0) lines.push('', '| Region | Alarm | State | Reason |', '|---|---|---|---|', ...notOk);
  lines.push(...judgeSummary(policy, metrics, extras.planLines ?? []));
  if (extras.transitionsNote) lines.push('', cell(extras.transitionsNote));
  const chart = bakeChart(bakeSeries(metrics), outcome.startedAt);
  if (chart) lines.push('', chart);
  if (!ok) {
    lines.push('', 'The rollback step of this job puts every alias back on its stable version. To finish by hand:', '', '```sh', rollbackCommand(inputs, `bake-gate ${outcome.result}`), '```');
  }
  return lines.join('\n') + '\n';
}

async function loadConfig(configPath: string): Promise<{ window: WindowCheck | undefined; judge: Judge | undefined }> {
  if (configPath === '') return { window: undefined, judge: undefined };
  const { loadBakeConfig } = await import('./window.js');
  return loadBakeConfig(configPath);
}

export async function run(): Promise<void> {
  try {
    const read = readInputs((name) => core.getInput(name), Date.now());
    const loaded = await loadConfig(read.config);
    const window = loaded.window;
    const inputs = withConfigJudge(read, loaded.judge);
    const { AwsClients } = await import('../../../packages/aws/src/clients.js');
    const { bakeDeployment } = await import('../../../packages/deploy/src/bake-gate.js');
    const clients = new AwsClients({ caller: 'bake-gate' });
    try {
      const storePath = process.env.SAFE_DEPLOY_STORE_PATH?.trim() || undefined;
      const report = await bakeDeployment({ ...inputs, ...(storePath ? { storePath } : {}) }, clients, { info: (m) => core.info(m), warn: (m, options) => core.warning(m, options) }, window);
      const { outcome, leaseNote } = report;
      core.setOutput('result', outcome.result);
      core.setOutput('invocations', JSON.stringify(outcome.invocations));
      core.info(`bake-gate result: ${outcome.result}: ${logSafe(outcome.reason, LOG_LINE_MAX)}`);
      await core.summary.addRaw(renderSummary(inputs, outcome, report) + (leaseNote ? `\n${cell(leaseNote)}\n` : '')).write();
      if (outcome.result !== 'baked') core.setFailed(`bake-gate ${outcome.result}: ${logSafe(outcome.reason, LOG_LINE_MAX)}`);
      else if (report.leaseFailed) core.setFailed(`bake-gate: ${leaseNote}`);
    } finally {
      clients.destroy();
    }
  } catch (error) {
    core.setFailed(`bake-gate: ${logSafe((error as Error).message, LOG_LINE_MAX)}`);
  }
}
