// One bake of a deployment, for bake-gate (the adapter reads the inputs, calls this, sets outputs and
// writes the summary): watch mode polls until the bake holds, verify mode judges the window after
// the fact from alarm history and metrics; either way the lease is renewed while it waits, and the
// wave's last bake ends (or parks) it when it passes (lease.ts). The judging is the bake policy's
// (packages/core/src/bake.ts); this file reads CloudWatch and Lambda for it.
import type { AwsClients } from '../../aws/src/clients.js';
import * as cw from '../../aws/src/cloudwatch.js';
import * as ft from '../../aws/src/function-timeouts.js';
import type { AlarmRefs, RegionAlarms } from '../../core/src/alarms.js';
import {
  historyVerdict,
  isoTime,
  needsStable,
  runBake,
  settleText,
  settlesAt,
  withFunctionTimeout,
  withPlannedTraffic,
  type BakeOutcome,
  type BakePolicy,
  type TargetSample,
  type WindowCheck,
} from '../../core/src/bake.js';
import { formatEffect, planTraffic, type PlanTarget } from '../../core/src/judge.js';
import type { Deployment } from '../../core/src/deployment.js';
import { LOG_LINE_MAX, logSafe } from '../../core/src/log-safe.js';
import { formatDuration, formatShare } from '../../core/src/units.js';
import { cell } from '../../github/src/summary.js';
import { LeaseKeeper } from './lease.js';



/** What one bake judges. */
export interface BakeOrder {
  readonly deployment: Deployment;
  readonly policy: BakePolicy;
  readonly refs: AlarmRefs;
  readonly mode: 'watch' | 'verify';
  /** Epoch ms the bake window starts. */
  readonly since: number;
  /** The wave's last bake: a pass ends (or parks) the deployment's lease. */
  readonly final: boolean;
  /** SAFE_DEPLOY_STORE_PATH (default /safe-deploy). */
  readonly storePath?: string;
}

export interface BakeLogger {
  info(message: string): void;
  warn(message: string, options?: { title?: string }): void;
}

export interface BakeReport {
  readonly outcome: BakeOutcome;
  /** What verify mode found in the alarm history. */
  readonly transitionsNote: string;
  /** The policy the bake ran with (the function timeout filled in). */
  readonly policy: BakePolicy;
  /** How the longest function timeout was found. */
  readonly timeoutNote: string;
  /** What happened to the lease; empty when the bake did not pass. */
  readonly leaseNote: string;
  /** The bake passed but its lease could not be ended: the step fails, saying so. */
  readonly leaseFailed: boolean;
  /** The judge's traffic plan, one sentence per target (empty when the judge is off). */
  readonly planLines: readonly string[];
}

/** How far before the shift the stable version's traffic is read to plan the judge: the duration, between 1 and 24 hours. */
function baselineMs(policy: BakePolicy): number {
  return Math.min(24 * 3_600_000, Math.max(3_600_000, policy.durationMs));
}

export async function bakeDeployment(inputs: BakeOrder, clients: AwsClients, logger: BakeLogger, window?: WindowCheck): Promise<BakeReport> {
      const lease = new LeaseKeeper(clients, inputs.deployment, logger, () => Date.now(), inputs.storePath);
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

    if (noAlarms) logger.warn('bake-gate: no rollback alarms given; only the candidate metrics are watched', { title: 'No alarms' });

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
        logger.warn(logSafe(`bake-gate: cannot read the timeout of ${t.function}:${t.version ?? '$LATEST'} in ${t.region}: ${t.problem}; waiting out Lambda's maximum (15m) instead`, LOG_LINE_MAX), {
          title: 'Function timeout unknown',
        });
      }
      timeoutNote = longest
        ? `Longest function timeout ${formatDuration(report.maxMs)} (${cell(longest.function)}:${cell(longest.version ?? '$LATEST')} in ${cell(longest.region)}).`
        : `Longest function timeout taken as Lambda's maximum ${formatDuration(report.maxMs)} (not readable).`;
    } catch (error) {
      failure = `monitoring failed, so the bake fails closed: ${logSafe((error as Error).message, LOG_LINE_MAX)}`;
    }

    // The judge's plan, from what each alias served before the shift (all of it the stable version's).
    // A full wave (the candidate takes all the traffic) has no stable version to compare with: no call.
    let planLines: string[] = [];
    const judge = policy.judge;
    if (!failure && judge) {
      const before = { start: new Date(inputs.since - baselineMs(policy)), end: new Date(inputs.since) };
      let baselines: (cw.AliasTraffic & { region: string })[] = [];
      let unread: string | null = null;
      if (inputs.deployment.targets.some((t) => t.weight > 0 && t.weight < 1)) {
        try {
          baselines = (await Promise.all(regions.map(async (r) => (await cw.readAliasTraffic(clients, r, targetsByRegion.get(r) ?? [], before)).map((b) => ({ region: r, ...b }))))).flat();
        } catch (error) {
          unread = `the stable version's recent traffic could not be read, so no plan: ${logSafe((error as Error).message, LOG_LINE_MAX)}`;
          logger.warn(logSafe(`bake-gate: ${unread}`, LOG_LINE_MAX), { title: 'No traffic plan' });
        }
      }
      const planTargets: PlanTarget[] = inputs.deployment.targets.map((t) => {
        const b = baselines.find((x) => x.region === t.region && x.function === t.function);
        return { region: t.region, function: t.function, share: t.weight, baseline: b ? { invocations: b.invocations, errors: b.errors, windowMs: baselineMs(policy) } : null };
      });
      const plan = planTraffic(judge, planTargets, policy);
      policy = withPlannedTraffic(policy, plan.planned);
      planLines = unread ? [unread, ...plan.lines] : plan.lines;
      logger.info(logSafe(`bake-gate judge: false-positive rate ${formatShare(judge.falsePositiveRate)} over the bake, minimum effect ${formatEffect(judge.minEffect)} the stable's error rate`, LOG_LINE_MAX));
      for (const line of planLines) logger.info(logSafe(`bake-gate plan: ${line}`, LOG_LINE_MAX));
    }

    const settleAt = settlesAt(policy, inputs.since);
    logger.info(
      `bake-gate ${inputs.mode}: ${inputs.deployment.targets.length} target(s) in ${regions.join(', ')}, ${formatDuration(policy.durationMs)} from ${isoTime(inputs.since)}, ` +
        `poll every ${formatDuration(policy.pollIntervalMs)}; the window settles at ${isoTime(settleAt)} (duration end + ${settleText(policy)})`,
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
        return `monitoring failed, so the bake fails closed: ${logSafe((error as Error).message, LOG_LINE_MAX)}`;
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
        verdict = `monitoring failed, so the bake fails closed: ${logSafe((error as Error).message, LOG_LINE_MAX)}`;
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
      onPoll: (report) => logger.info(logSafe(report.line, LOG_LINE_MAX)),
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
      const { failed, parked } = await lease.end();
      if (failed.length > 0) {
        leaseNote = `The bake passed, but the lease could not be ended, so the guardian will roll the deployment back when it runs out: ${failed.join('; ')}. Delete the store entry by hand (aws ssm delete-parameter) or re-run this step.`;
      } else if (parked.length > 0) {
        leaseNote = `Last bake of the wave: the candidate keeps its share below 100% in ${parked.join(', ')}, so its store entry stays with no lease (the guardian watches its alarms) until the next wave's deploy takes it over or a rollback removes it.`;
      } else leaseNote = 'Last bake of the wave: the lease is ended, the aliases are at rest.';
    } else if (outcome.result === 'baked') {
      leaseNote = 'Not the last bake of the wave (final: false): the lease stays for the next step.';
    }
  return { outcome, transitionsNote, policy, timeoutNote, leaseNote, leaseFailed: leaseNote.startsWith('The bake passed, but'), planLines };
}
