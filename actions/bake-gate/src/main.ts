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
  judgedMetrics,
  needsStable,
  pairCounts,
  runBake,
  settleText,
  settlesAt,
  withFunctionTimeout,
  withPlannedTraffic,
  type BakeOutcome,
  type BakePolicy,
  type TargetSample,
  type WindowCheck,
} from '../../../packages/core/src/bake.js';
import type { AliasTraffic } from '../../../packages/aws/src/cloudwatch.js';
import type { Judge } from '../../../packages/core/src/config.js';
import { formatEffect, judgeErrors, judgementText, planTraffic, type PlanTarget } from '../../../packages/core/src/judge.js';
import { logSafe } from '../../../packages/core/src/log-safe.js';
import { formatDuration, formatShare } from '../../../packages/core/src/units.js';
import { cell, shellQuote } from '../../../packages/github/src/summary.js';
import { readInputs, withConfigJudge, type BakeGateInputs } from './inputs.js';

/** Foreign text (AWS messages, alarm names and reasons) in one log line: no control characters, no `::`. */
const LOG_MAX = 4000;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

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
    `Window ${iso(outcome.startedAt)} → ${iso(durationEnd)}; it ${outcome.endedAt >= outcome.settlesAt ? 'settled' : 'settles'} at **${iso(outcome.settlesAt)}** ` +
      `(duration end + ${settleText(policy)}: Lambda stamps metrics at invocation start and sends them when it ends). ` +
      (settled ? `Verdict on data stamped up to ${iso(settled.cutoff)}, read at ${iso(outcome.last?.now ?? outcome.endedAt)}.` : 'No verdict was taken on the settled window.') +
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

/** How far before the shift the stable version's traffic is read to plan the judge: the duration, between 1 and 24 hours. */
function baselineMs(policy: BakePolicy): number {
  return Math.min(24 * 3_600_000, Math.max(3_600_000, policy.durationMs));
}

export async function run(): Promise<void> {
  try {
    const read = readInputs((name) => core.getInput(name), Date.now());
    const loaded = await loadConfig(read.config);
    const window = loaded.window;
    const inputs = withConfigJudge(read, loaded.judge);
    const { AwsClients } = await import('../../../packages/aws/src/clients.js');
    const cw = await import('../../../packages/aws/src/cloudwatch.js');
    const ft = await import('../../../packages/aws/src/function-timeouts.js');
    const clients = new AwsClients({ caller: 'bake-gate' });
    const { LeaseKeeper } = await import('./lease.js');
    const lease = new LeaseKeeper(clients, inputs.deployment, { info: (m) => core.info(m), warn: (m) => core.warning(m) }, () => Date.now(), process.env.SAFE_DEPLOY_STORE_PATH?.trim() || undefined);
    // Between polls the runner sleeps; a watching runner renews the lease at least every lease/3.
    const sleep = async (ms: number): Promise<void> => {
      let left = ms;
      do {
        await lease.renewIfDue();
        const chunk = lease.leaseMs === null ? left : Math.min(left, Math.max(1000, Math.floor(lease.leaseMs / 6)));
        await new Promise((resolve) => setTimeout(resolve, chunk));
        left -= chunk;
      } while (left > 0);
    };
    try {
      const regions = [...new Set(inputs.deployment.targets.map((t) => t.region))];
      const targetsByRegion = new Map(regions.map((r) => [r, inputs.deployment.targets.filter((t) => t.region === r).map((t) => ({ function: t.function, alias: t.alias, candidate: t.candidate, stable: t.stable }))]));
      const metricOptions = {
        p99: inputs.policy.maxP99Ms !== null || inputs.policy.maxP99OverStable !== null,
        stable: needsStable(inputs.policy),
        stableP99: inputs.policy.maxP99OverStable !== null,
        aliasThrottles: true,
      };
      const noAlarms = inputs.refs.names.length + inputs.refs.prefixes.length === 0;
      const readAlarms = async (): Promise<RegionAlarms[]> =>
        noAlarms ? regions.map((region) => ({ region, alarms: [], missing: [] })) : Promise.all(regions.map((r) => cw.readAlarmStates(clients, r, inputs.refs)));
      // A read up to now also asks for the current partial minute; a settled read stops at its cutoff.
      const readMetrics = async (start: number, end: number, latest: boolean) =>
        (
          await Promise.all(
            regions.map((r) =>
              cw.readCandidateMetrics(clients, r, targetsByRegion.get(r) ?? [], { start: new Date(start), end: new Date(latest ? end + 60_000 : Math.max(end, start + 1000)) }, metricOptions),
            ),
          )
        ).flat();

      if (noAlarms) core.warning('bake-gate: no rollback alarms given; only the candidate metrics are watched', { title: 'No alarms' });

      // The longest function timeout: an invocation's metrics arrive when it ends, stamped at its start.
      let policy = inputs.policy;
      let timeoutNote = '';
      let failure: string | null = null;
      try {
        const report = await ft.readFunctionTimeouts(
          clients,
          inputs.deployment.targets.map((t) => ({ region: t.region, function: t.function, version: t.candidate })),
        );
        policy = withFunctionTimeout(inputs.policy, report.maxMs);
        const longest = report.timeouts.filter((t) => t.timeoutMs === report.maxMs && t.problem === null)[0];
        for (const t of report.timeouts.filter((x) => x.problem !== null)) {
          core.warning(logSafe(`bake-gate: cannot read the timeout of ${t.function}:${t.version ?? '$LATEST'} in ${t.region}: ${t.problem}; waiting out Lambda's maximum (15m) instead`, LOG_MAX), {
            title: 'Function timeout unknown',
          });
        }
        timeoutNote = longest
          ? `Longest function timeout ${formatDuration(report.maxMs)} (${cell(longest.function)}:${cell(longest.version ?? '$LATEST')} in ${cell(longest.region)}).`
          : `Longest function timeout taken as Lambda's maximum ${formatDuration(report.maxMs)} (not readable).`;
      } catch (error) {
        failure = `monitoring failed, so the bake fails closed: ${logSafe((error as Error).message, LOG_MAX)}`;
      }

      // The judge's plan, from what each alias served before the shift (all of it the stable version's).
      // A full wave (the candidate takes all the traffic) has no stable version to compare with: no call.
      let planLines: string[] = [];
      const judge = policy.judge;
      if (!failure && judge) {
        const before = { start: new Date(inputs.since - baselineMs(policy)), end: new Date(inputs.since) };
        let baselines: (AliasTraffic & { region: string })[] = [];
        let unread: string | null = null;
        if (inputs.deployment.targets.some((t) => t.weight > 0 && t.weight < 1)) {
          try {
            baselines = (await Promise.all(regions.map(async (r) => (await cw.readAliasTraffic(clients, r, targetsByRegion.get(r) ?? [], before)).map((b) => ({ region: r, ...b }))))).flat();
          } catch (error) {
            unread = `the stable version's recent traffic could not be read, so no plan: ${logSafe((error as Error).message, LOG_MAX)}`;
            core.warning(logSafe(`bake-gate: ${unread}`, LOG_MAX), { title: 'No traffic plan' });
          }
        }
        const planTargets: PlanTarget[] = inputs.deployment.targets.map((t) => {
          const b = baselines.find((x) => x.region === t.region && x.function === t.function);
          return { region: t.region, function: t.function, share: t.weight, baseline: b ? { invocations: b.invocations, errors: b.errors, windowMs: baselineMs(policy) } : null };
        });
        const plan = planTraffic(judge, planTargets, policy);
        policy = withPlannedTraffic(policy, plan.planned);
        planLines = unread ? [unread, ...plan.lines] : plan.lines;
        core.info(
          logSafe(
            `bake-gate judge: false-positive rate ${formatShare(judge.falsePositiveRate)} over the bake, minimum effect ${formatEffect(judge.minEffect)} the stable's error rate`,
            LOG_MAX,
          ),
        );
        for (const line of planLines) core.info(logSafe(`bake-gate plan: ${line}`, LOG_MAX));
      }

      const settleAt = settlesAt(policy, inputs.since);
      core.info(
        `bake-gate ${inputs.mode}: ${inputs.deployment.targets.length} target(s) in ${regions.join(', ')}, ${formatDuration(policy.durationMs)} from ${iso(inputs.since)}, ` +
          `poll every ${formatDuration(policy.pollIntervalMs)}; the window settles at ${iso(settleAt)} (duration end + ${settleText(policy)})`,
      );

      let outcome: BakeOutcome | null = null;
      let transitionsNote = '';
      const failClosed = (reason: string, current: RegionAlarms[], metrics: TargetSample[]): BakeOutcome => ({
        result: 'alarm',
        reason,
        startedAt: inputs.since,
        endedAt: Date.now(),
        polls: 1,
        invocations: Object.fromEntries(regions.map((r) => [r, metrics.filter((m) => m.region === r).reduce((n, m) => n + m.candidate.invocations, 0)])),
        last: { now: Date.now(), regions, alarms: current, metrics },
        settlesAt: settleAt,
      });
      if (failure) outcome = failClosed(failure, [], []);

      // Verify mode: alarm state changes since the start, the watch that did not happen while the job waited.
      const history: Awaited<ReturnType<typeof cw.readAlarmHistory>> = [];
      let historyUntil = inputs.since;
      const readHistory = async (names: Map<string, string[]>): Promise<string | null> => {
        const until = Date.now();
        try {
          history.push(...(await Promise.all(regions.map((r) => cw.readAlarmHistory(clients, r, names.get(r) ?? [], new Date(historyUntil), new Date(until))))).flat());
        } catch (error) {
          return `monitoring failed, so the bake fails closed: ${logSafe((error as Error).message, LOG_MAX)}`;
        }
        historyUntil = until;
        return historyVerdict(policy, history);
      };
      const note = () =>
        (transitionsNote =
          history.length === 0
            ? 'No alarm changed state during the bake window.'
            : `Alarm state changes during the bake window: ${history.map((h) => `${logSafe(h.name, 300)} (${h.region}) → ${h.to} at ${h.at}`).join('; ')}.`);
      const names = new Map<string, string[]>();
      if (!outcome && inputs.mode === 'verify' && !noAlarms) {
        let current: RegionAlarms[] = [];
        let verdict: string | null;
        try {
          current = await readAlarms();
          for (const r of current) names.set(r.region, r.alarms.map((a) => a.name));
          verdict = await readHistory(names);
        } catch (error) {
          verdict = `monitoring failed, so the bake fails closed: ${logSafe((error as Error).message, LOG_MAX)}`;
        }
        note();
        if (verdict) {
          const failed = verdict.startsWith('monitoring failed');
          const metrics = failed ? [] : await readMetrics(inputs.since, Date.now(), true).catch(() => []);
          outcome = failClosed(verdict, current, metrics);
        }
      }
      outcome ??= await runBake(policy, inputs.since, regions, {
        now: () => Date.now(),
        sleep,
        readAlarms,
        readMetrics,
        window,
        onPoll: (report) => core.info(logSafe(report.line, LOG_MAX)),
      });
      // A verify that then waited for the window to settle reads the history again up to its verdict.
      if (outcome.result === 'baked' && inputs.mode === 'verify' && !noAlarms) {
        const verdict = await readHistory(names);
        note();
        if (verdict) outcome = { ...outcome, result: 'alarm', reason: verdict };
      }

      // The wave's last bake passed: its lease ends and the guardian stops watching (at rest).
      let leaseNote = '';
      if (outcome.result === 'baked' && inputs.final) {
        const failed = await lease.end();
        if (failed.length > 0) {
          leaseNote = `The bake passed, but the lease could not be ended, so the guardian will roll the deployment back when it runs out: ${failed.join('; ')}. Delete the store entry by hand (aws ssm delete-parameter) or re-run this step.`;
        } else leaseNote = 'Last bake of the wave: the lease is ended, the aliases are at rest.';
      } else if (outcome.result === 'baked') {
        leaseNote = 'Not the last bake of the wave (final: false): the lease stays for the next step.';
      }
      core.setOutput('result', outcome.result);
      core.setOutput('invocations', JSON.stringify(outcome.invocations));
      core.info(`bake-gate result: ${outcome.result}: ${logSafe(outcome.reason, LOG_MAX)}`);
      await core.summary.addRaw(renderSummary(inputs, outcome, { transitionsNote, policy, timeoutNote, planLines }) + (leaseNote ? `\n${cell(leaseNote)}\n` : '')).write();
      if (outcome.result !== 'baked') core.setFailed(`bake-gate ${outcome.result}: ${logSafe(outcome.reason, LOG_MAX)}`);
      else if (leaseNote.startsWith('The bake passed, but')) core.setFailed(`bake-gate: ${leaseNote}`);
    } finally {
      clients.destroy();
    }
  } catch (error) {
    core.setFailed(`bake-gate: ${logSafe((error as Error).message, LOG_MAX)}`);
  }
}
