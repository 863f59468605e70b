// The wave itself: preflight reads, publish, shift in steps, alarm checks between steps.
// Loaded with a dynamic import after the inputs are valid, because it pulls in the AWS SDK.
//
// Order of work, so that bad input or a refused alias never half-deploys:
//   1. preflight (reads only): every function exists, a given version exists, every alias can
//      take the shift (rollout.ts decides with the candidate we will publish), roles match, and
//      no trigger invokes a function without the alias while the wave stays below 100%;
//   2. publish the candidate in every region (reused on a re-run of the same commit);
//   3. write the planned `deployment` output, so a cancelled run can still be rolled back;
//   4. per step: shift every alias (regions in parallel, at most max-parallel at once), then
//      wait step-wait and check the rollback alarms before the next step.
import { readFileSync } from 'node:fs';
import { parseAlarmRefs, refCount, summarizeAlarms, type AlarmRefs } from '../../../packages/core/src/alarms.js';
import type { Deployment, DeploymentTarget } from '../../../packages/core/src/deployment.js';
import { logSafe } from '../../../packages/core/src/log-safe.js';
import { checkVersionsCompatible, decide, describeAlias, formatWeight, type Decision } from '../../../packages/core/src/rollout.js';
import { describeTrigger, type UnqualifiedTriggers } from '../../../packages/core/src/triggers.js';
import { AwsClients } from '../../../packages/aws/src/clients.js';
import { readAlarmStates } from '../../../packages/aws/src/cloudwatch.js';
import { readFunctionSettings, readUnqualifiedTriggers } from '../../../packages/aws/src/function-reads.js';
import {
  forEachTarget,
  lambdaContext,
  listVersions,
  publishCandidate,
  readAlias,
  shiftTraffic,
  type AliasTarget,
  type AliasView,
  type CodeSource as LambdaCode,
  type LambdaContext,
  type Logger,
  type PublishedVersions,
} from '../../../packages/aws/src/lambda.js';
import { RegionLimiter } from '../../../packages/aws/src/limiter.js';
import { storeContext, writeDeployment } from '../../../packages/aws/src/deployment-store.js';
import type { DeploymentEntry } from '../../../packages/core/src/guardian-entry.js';
import { stopTheLine } from '../../../packages/guardian/src/stop-the-line.js';
import { InterruptedError, type Interrupt } from './interrupt.js';
import type { CodeSource } from './request.js';

export interface WavePlan {
  readonly service?: string;
  readonly stage?: string;
  readonly wave?: string;
  readonly functions: readonly string[];
  readonly regions: readonly string[];
  readonly alias: string;
  readonly code: CodeSource;
  /** Shares to move through; the last is the wave's share. */
  readonly steps: readonly number[];
  readonly stepWaitMs: number;
  readonly alarms: readonly string[];
  readonly maxParallel: number;
  readonly commit: string;
  readonly run: string;
  readonly environment: string;
  /** A trigger invokes a function without the alias and the wave stays below 100%: refuse or allow (warn). */
  readonly unqualifiedTriggers?: UnqualifiedTriggers;
  /** Lease written into the deployment store before the first shift (ms); null: no lease. */
  readonly leaseMs?: number | null;
  /** SAFE_DEPLOY_STOP_ALARMS: while one fires in a region, nothing starts there. */
  readonly stopAlarms?: string;
  /** Parameter Store path of the deployment store (default /safe-deploy). */
  readonly storePath?: string;
}

/** Where one alias stands as the wave goes. */
export interface TargetProgress {
  readonly region: string;
  readonly target: AliasTarget;
  before: AliasView | null;
  /**
   * The function's versions as the preflight listed them (role and dead-letter target of each,
   * immutable once published), handed to the publish and shift steps so they do not read again.
   */
  versions?: PublishedVersions | null;
  candidate: string | null;
  reused: boolean;
  /** Version a rollback returns to. */
  stable: string | null;
  after: AliasView | null;
  /** Steps this alias has completed (0 = none). */
  stepsDone: number;
  writes: number;
  error: string | null;
}

export type WaveOutcome = 'deployed' | 'refused' | 'failed' | 'alarm' | 'interrupted';

export interface WaveResult {
  readonly outcome: WaveOutcome;
  readonly plan: WavePlan;
  readonly targets: readonly TargetProgress[];
  /** Steps completed by every alias. */
  readonly stepsDone: number;
  /** The failure, for setFailed; null when deployed. */
  readonly message: string | null;
  readonly deployment: Deployment | null;
  readonly alarmLines: readonly string[];
  /** Risks accepted on the way (unqualified triggers under `allow`), one line each. */
  readonly warnings?: readonly string[];
}

export interface DeployHooks {
  readonly logger: Logger;
  readonly interrupt: Interrupt;
  /** Called with the planned deployment before the first alias write. */
  readonly onPlanned: (deployment: Deployment) => void;
  readonly now?: () => number;
}

/** A problem found before any write; `input` names the input to fix when one is to blame. */
interface Problem {
  readonly input: string | null;
  readonly message: string;
}

/** An error as one log-safe text (AWS messages can carry anything). */
function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  const text = e?.message ? (e.name && !e.message.startsWith(e.name) && e.name !== 'Error' && e.name !== 'LambdaDeployError' && e.name !== 'AccessDeniedError' ? `${e.name}: ${e.message}` : e.message) : String(error);
  return logSafe(text, 4000);
}

function targetsOf(plan: WavePlan): AliasTarget[] {
  return plan.regions.flatMap((region) => plan.functions.map((functionName) => ({ region, functionName, alias: plan.alias })));
}

/** The version a rollback returns to, from what the alias says now. */
function stableOf(view: AliasView | null): string | null {
  if (!view) return null;
  if (view.record.kind === 'record') return view.record.record.stable;
  return view.version || null;
}

/** The candidate a re-run of this commit would find in flight, when there is one. */
function ourCandidate(view: AliasView | null, commit: string): string | null {
  if (view?.record.kind !== 'record') return null;
  const record = view.record.record;
  return record.candidate && record.commit === commit.slice(0, 12) ? record.candidate : null;
}

/** The gate refused a write after a stop signal (the layer may wrap the InterruptedError in its own error). */
function isInterruption(error: Error): boolean {
  return error instanceof InterruptedError || /stopped by SIG[A-Z]+ before /.test(error.message);
}

const NOT_YET_PUBLISHED = '999999999';

/**
 * The wave leaves the candidate below 100% and changes (or publishes from) $LATEST: then a trigger
 * that invokes the function without the alias runs the candidate at once, for all of its traffic.
 * Deploying an already published `version` leaves $LATEST alone, and a 100% wave gives every caller
 * the candidate anyway, so neither needs the trigger reads.
 */
export function needsTriggerCheck(plan: Pick<WavePlan, 'steps' | 'code'>): boolean {
  const finalShare = plan.steps[plan.steps.length - 1] ?? 0;
  return finalShare < 1 && plan.code.kind !== 'version';
}

async function preflight(ctx: LambdaContext, plan: WavePlan, progress: TargetProgress[], now: () => number, warnings: string[]): Promise<Problem[]> {
  const finalShare = plan.steps[plan.steps.length - 1] ?? 0;
  const versionRef = plan.code.kind === 'version' ? plan.code.ref.version : null;
  const checkTriggers = needsTriggerCheck(plan);
  const outcomes = await forEachTarget(
    progress,
    async (p): Promise<Problem[]> => {
      const ref = { region: p.target.region, functionName: p.target.functionName };
      const problems: Problem[] = [];
      // One ListVersionsByFunction answers whether the function exists, whether a given version
      // does, and the role and dead-letter target of $LATEST and of every version; publishing
      // reuses the same listing to find a version of this commit.
      const versions = await listVersions(ctx, ref);
      if (!versions) {
        return [{ input: 'functions', message: `function ${ref.functionName} does not exist in ${ref.region} (nothing was written anywhere)` }];
      }
      p.versions = versions;
      const latest = versions.latest ?? (await readFunctionSettings(ctx, ref));
      if (!latest) {
        return [{ input: 'functions', message: `function ${ref.functionName} does not exist in ${ref.region} (nothing was written anywhere)` }];
      }
      if (versionRef && !versions.settings.has(versionRef)) {
        problems.push({ input: 'version', message: `version ${versionRef} does not exist for function ${ref.functionName} in ${ref.region}; versions are numbered per function` });
      }
      p.before = await readAlias(ctx, p.target);
      p.stable = stableOf(p.before);
      const candidate = versionRef ?? ourCandidate(p.before, plan.commit) ?? NOT_YET_PUBLISHED;
      const decision = decide(p.before, { kind: 'shift', candidate, weight: finalShare, state: 'baking', commit: plan.commit, run: plan.run }, { now: now() / 1000 });
      if (decision.kind === 'refuse') {
        // The placeholder for a version this run has not published yet never reaches a person.
        const message = decision.message.replaceAll(NOT_YET_PUBLISHED, `a new version of commit ${plan.commit.slice(0, 12)}`);
        problems.push({ input: null, message: `${ref.region} ${ref.functionName}:${plan.alias}: ${decision.rule}: ${message}. Alias now: ${describeAlias(p.before)}` });
      } else if (decision.kind === 'write' && Object.keys(decision.config.weights).length > 0 && !versionRef) {
        // The new version is published from $LATEST: it carries $LATEST's role and dead-letter config.
        const stable = versions.settings.get(decision.config.functionVersion);
        const clash = stable && checkVersionsCompatible(stable, { ...latest, version: 'the candidate' });
        if (clash) problems.push({ input: null, message: `${ref.region} ${ref.functionName}:${plan.alias}: ${clash.rule}: ${clash.message}` });
      }
      if (checkTriggers) {
        const triggers = await readUnqualifiedTriggers(ctx, ref);
        const where = { region: ref.region, functionName: ref.functionName, alias: plan.alias };
        for (const trigger of triggers) {
          const line = `${ref.region} ${ref.functionName}: unqualified trigger: ${describeTrigger(trigger, where)}`;
          if ((plan.unqualifiedTriggers ?? 'refuse') === 'refuse') {
            problems.push({ input: null, message: `${line}. It would run the candidate for all of its traffic as soon as $LATEST is updated, before any one-box share or bake, and keep it after a rollback of the alias (unqualified-triggers: refuse)` });
          } else {
            warnings.push(`${line} (accepted: unqualified-triggers: allow; it runs the candidate for all of its traffic from the first write, and a rollback of the alias does not undo it)`);
          }
        }
      }
      return problems;
    },
    { maxRegions: plan.maxParallel },
  );
  return outcomes.flatMap((o, i) => {
    if (o.ok) return o.value;
    const t = progress[i]!.target;
    return [{ input: null, message: `${t.region} ${t.functionName}: cannot read before deploying: ${errorText(o.error)}` }];
  });
}

function lambdaCode(code: CodeSource): LambdaCode | undefined {
  switch (code.kind) {
    case 'zip':
      return { kind: 'zip', zipFile: readFileSync(code.path) };
    case 's3':
      return { kind: 's3', bucket: code.bucket, key: code.key };
    case 'image':
      return { kind: 'image', imageUri: code.uri };
    default:
      return undefined;
  }
}

function weightOn(view: AliasView | null, candidate: string | null): number {
  if (!view || !candidate) return 0;
  if (view.version === candidate && Object.keys(view.weights).length === 0) return 1;
  return view.weights[candidate] ?? 0;
}

function deploymentOf(plan: WavePlan, progress: readonly TargetProgress[], traffic: number, planned: Map<TargetProgress, Decision> | null, at: Date): Deployment | null {
  const targets: DeploymentTarget[] = [];
  for (const p of progress) {
    if (!p.candidate) continue;
    const decision = planned?.get(p);
    const view = p.after ?? p.before;
    let stable = p.stable ?? p.candidate;
    let weight = weightOn(view, p.candidate);
    let record = view?.description ?? '';
    if (decision?.kind === 'write') {
      stable = decision.config.record.stable;
      weight = traffic;
      record = decision.config.description;
    }
    targets.push({ region: p.target.region, function: p.target.functionName, alias: plan.alias, stable, candidate: p.candidate, weight, revision: view?.revision ?? null, record: record.slice(0, 256) });
  }
  if (targets.length === 0) return null;
  return {
    format: 1,
    ...(plan.service ? { service: plan.service } : {}),
    ...(plan.stage ? { stage: plan.stage } : {}),
    ...(plan.wave ? { wave: plan.wave } : {}),
    alias: plan.alias,
    commit: plan.commit,
    run: plan.run,
    traffic,
    shiftedAt: at.toISOString(),
    ...(plan.leaseMs !== undefined ? { leaseSeconds: plan.leaseMs === null ? null : Math.round(plan.leaseMs / 1000) } : {}),
    targets,
  };
}

/** The store entry of the deployment in one region: what the guardian needs beyond the alias records. */
export function storeEntry(plan: WavePlan, region: string, nowMs: number): DeploymentEntry {
  return {
    service: plan.service ?? null,
    stage: plan.stage ?? null,
    wave: plan.wave ?? null,
    alias: plan.alias,
    functions: [...plan.functions],
    regions: [...plan.regions],
    alarms: [...plan.alarms],
    commit: plan.commit,
    run: plan.run,
    lease: plan.leaseMs === null || plan.leaseMs === undefined ? null : Math.floor((nowMs + plan.leaseMs) / 1000),
    at: Math.floor(nowMs / 1000),
  };
}

/**
 * Stop-the-line: reads SAFE_DEPLOY_STOP_ALARMS in every region of the wave. A region where one is in
 * ALARM (or a configured one is missing, or cannot be read) is a problem: nothing starts anywhere.
 */
async function stopTheLineProblems(clients: AwsClients, plan: WavePlan): Promise<Problem[]> {
  if (!plan.stopAlarms || plan.stopAlarms.trim() === '') return [];
  const verdicts = await Promise.all(
    plan.regions.map(async (region): Promise<Problem | null> => {
      try {
        const verdict = await stopTheLine(clients, region, plan.stopAlarms as string);
        return verdict.stopped ? { input: null, message: verdict.message } : null;
      } catch (error) {
        return { input: null, message: `stop-the-line alarms (SAFE_DEPLOY_STOP_ALARMS) cannot be read in ${region}, so nothing starts unwatched: ${errorText(error)}` };
      }
    }),
  );
  return verdicts.filter((v): v is Problem => v !== null);
}

async function checkAlarms(clients: AwsClients, plan: WavePlan, refs: AlarmRefs): Promise<{ firing: string | null; missing: string | null; line: string }> {
  const regions = await Promise.all(plan.regions.map((region) => readAlarmStates(clients, region, refs)));
  const all = regions.flatMap((r) => r.alarms);
  const missing = regions.flatMap((r) => r.missing.map((m) => `${m} in ${r.region}`));
  const firing = all.filter((a) => a.state === 'ALARM').map((a) => `${a.name} (${a.region})`);
  const line = `rollback alarms: ${summarizeAlarms(all, missing.length)}`;
  return {
    firing: firing.length > 0 ? `rollback alarm firing: ${firing.join(', ')}` : missing.length > 0 ? `rollback alarm not found: ${missing.join(', ')} (a step never continues unwatched)` : null,
    missing: missing.length > 0 ? `rollback alarm not found: ${missing.join(', ')}` : null,
    line,
  };
}

export async function deployWave(plan: WavePlan, hooks: DeployHooks): Promise<WaveResult> {
  const now = hooks.now ?? Date.now;
  const clients = new AwsClients({ caller: 'wave-deploy' });
  // One clock for the records and the deployment's times; the pacing keeps the real one.
  const ctx = lambdaContext({ clients, logger: hooks.logger, environment: plan.environment, now, limiter: new RegionLimiter(), onCall: (_region, operation) => hooks.interrupt.gate(operation) });
  const progress: TargetProgress[] = targetsOf(plan).map((target) => ({ region: target.region, target, before: null, versions: null, candidate: null, reused: false, stable: null, after: null, stepsDone: 0, writes: 0, error: null }));
  const alarmLines: string[] = [];
  const warnings: string[] = [];
  const refs = parseAlarmRefs(plan.alarms, 'alarms');
  const result = (outcome: WaveOutcome, message: string | null, deployment: Deployment | null, stepsDone: number): WaveResult => ({
    outcome,
    plan,
    targets: progress,
    stepsDone,
    message,
    deployment,
    alarmLines,
    warnings,
  });
  // The bake window starts where the candidate surely had traffic in this run: when the first step
  // that wrote a share above 0 had every write answered (a write lands somewhere before its answer,
  // so no part of the window is counted before the candidate served). With several steps, errors of
  // the later steps are inside it; a single step keeps the old moment (the end of the shift). A
  // re-run that writes nothing keeps the moment the aliases' records were last written.
  let firstTrafficAt: number | null = null;
  const windowStart = (): Date => {
    if (firstTrafficAt !== null) return new Date(firstTrafficAt);
    const written = progress.flatMap((p) => {
      const r = (p.after ?? p.before)?.record;
      return r?.kind === 'record' && p.candidate && r.record.candidate === p.candidate ? [r.record.at * 1000] : [];
    });
    return new Date(written.length > 0 ? Math.max(...written) : now());
  };
  try {
    // 1. Preflight: reads only. The rollback alarms must exist and be quiet before anything moves.
    const problems = await stopTheLineProblems(clients, plan);
    if (problems.length > 0) {
      return result('refused', `refused before anything was read from or written to Lambda: ${problems.map((p) => p.message).join('\n')}\nNothing was written. A rollback is never held by stop-the-line.`, null, 0);
    }
    problems.push(...(await preflight(ctx, plan, progress, now, warnings)));
    for (const warning of warnings) hooks.logger.warn(warning);
    if (refCount(refs) > 0) {
      const check = await checkAlarms(clients, plan, refs);
      alarmLines.push(`before the wave: ${check.line}`);
      if (check.missing) problems.push({ input: 'alarms', message: `${check.missing}; create the alarm or fix its name (nothing was written)` });
      else if (check.firing) problems.push({ input: null, message: `${check.firing} before the wave started` });
    }
    if (problems.length > 0) {
      const named = problems.find((p) => p.input);
      const lines = problems.map((p) => (p.input ? `input ${p.input}: ${p.message}` : p.message));
      return result('refused', `${named ? '' : 'refused before any write: '}${lines.join('\n')}${named ? '' : '\nNothing was written.'}`, null, 0);
    }
    if (hooks.interrupt.stopping) return result('interrupted', `stopped by ${hooks.interrupt.signal} before any write`, null, 0);

    // 2. Publish (or reuse) the candidate everywhere before moving any traffic.
    if (plan.code.kind === 'version') {
      for (const p of progress) p.candidate = plan.code.ref.version;
    } else {
      const code = lambdaCode(plan.code);
      const published = await forEachTarget(
        progress,
        async (p) => {
          const candidate = await publishCandidate(
            ctx,
            { region: p.target.region, functionName: p.target.functionName },
            { code, commit: plan.commit, run: plan.run, ...(p.versions ? { versions: p.versions } : {}) },
          );
          p.candidate = candidate.version;
          p.reused = candidate.reused;
          // A published version never changes: its role and dead-letter target, as Lambda answered, serve the shift's preflight.
          if (candidate.settings) p.versions?.settings.set(candidate.version, candidate.settings);
          if (!candidate.reused) p.writes += code ? 2 : 1;
          return candidate;
        },
        { maxRegions: plan.maxParallel },
      );
      const failed = published.filter((o) => !o.ok);
      if (failed.length > 0) {
        for (const o of failed) if (!o.ok) o.target.error = errorText(o.error);
        const unchanged = failed.every((o) => !o.ok && (o.error as { rule?: string }).rule === 'code-unchanged');
        if (unchanged) {
          // PublishVersion handed back an existing version: there is no new candidate to deploy.
          return result(
            'refused',
            `code unchanged: no new version, nothing was shifted (no alias was changed):\n${failed.map((o) => (o.ok ? '' : errorText(o.error))).join('\n')}`,
            null,
            0,
          );
        }
        const interrupted = hooks.interrupt.stopping && failed.every((o) => !o.ok && isInterruption(o.error));
        return result(
          interrupted ? 'interrupted' : 'failed',
          `${interrupted ? `stopped by ${hooks.interrupt.signal} while publishing the candidate` : 'publishing the candidate failed'}; no alias was changed:\n${failed.map((o) => (o.ok ? '' : `${o.target.target.region} ${o.target.target.functionName}: ${errorText(o.error)}`)).join('\n')}`,
          null,
          0,
        );
      }
    }

    // 3. The planned deployment, handed out before the first alias write.
    const finalShare = plan.steps[plan.steps.length - 1] ?? 0;
    if (plan.steps.length === 1 && finalShare === 0) {
      // traffic 0%: publish only. No alias is written, not even to take back a share a one-box of
      // this same candidate already holds; the version serving the alias is what a rollback keeps.
      for (const p of progress) {
        p.stable = p.before?.version ?? p.candidate;
        p.after = p.before;
        p.stepsDone = 1;
      }
      return result('deployed', null, deploymentOf(plan, progress, 0, null, new Date(now())), 1);
    }
    const planned = new Map<TargetProgress, Decision>();
    for (const p of progress) {
      const decision = decide(p.before, { kind: 'shift', candidate: p.candidate!, weight: finalShare, state: 'baking', commit: plan.commit, run: plan.run }, { now: now() / 1000 });
      planned.set(p, decision);
      // What a rollback of this wave returns to, fixed before any alias moves: an alias the wave
      // never reaches keeps its own release, so its older record must not decide this.
      if (decision.kind === 'write') p.stable = decision.config.record.stable;
    }
    const refused = [...planned].filter(([, d]) => d.kind === 'refuse');
    if (refused.length > 0) {
      return result(
        'refused',
        `refused before moving traffic (the candidate was published, no alias was changed):\n${refused
          .map(([p, d]) => `${p.target.region} ${p.target.functionName}:${plan.alias}: ${d.kind === 'refuse' ? `${d.rule}: ${d.message}` : ''}. Alias now: ${describeAlias(p.before)}`)
          .join('\n')}`,
        null,
        0,
      );
    }
    // The deployment store entry (regions, functions, alarms, lease) before the first shift in each
    // region: the guardian of that region finds the deployment from here on. A failed write moves nothing.
    const store = storeContext({ clients, ...(plan.storePath ? { path: plan.storePath } : {}) });
    const written = await Promise.all(
      plan.regions.map(async (region) => {
        try {
          const entry = storeEntry(plan, region, now());
          const answer = await writeDeployment(store, region, entry);
          hooks.logger.info(`deployment store: ${answer.name} in ${region} written (version ${answer.version}, ${entry.lease === null ? 'no lease' : `lease until ${new Date(entry.lease * 1000).toISOString()}`})`);
          return null;
        } catch (error) {
          return `${region}: ${errorText(error)}`;
        }
      }),
    );
    const storeFailed = written.filter((w): w is string => w !== null);
    if (storeFailed.length > 0) {
      return result(
        'failed',
        `writing the deployment store entry (Parameter Store, what the guardian watches) failed, so no traffic was shifted (the candidate was published, no alias was changed):\n${storeFailed.join('\n')}`,
        null,
        0,
      );
    }
    hooks.onPlanned(deploymentOf(plan, progress, finalShare, planned, new Date(now()))!);

    // 4. Steps.
    for (let step = 0; step < plan.steps.length; step++) {
      const share = plan.steps[step] as number;
      const last = step === plan.steps.length - 1;
      if (hooks.interrupt.stopping) return result('interrupted', `stopped by ${hooks.interrupt.signal} before step ${step + 1} (${formatWeight(share)})`, deploymentOf(plan, progress, finalShare, null, new Date(now())), step);
      hooks.logger.info(`step ${step + 1}/${plan.steps.length}: candidate to ${formatWeight(share)} in ${plan.regions.join(', ')}`);
      const shifted = await forEachTarget(
        progress,
        async (p) => {
          // The alias as this run last read it (the preflight, then each step's read-back): the
          // write is guarded by its RevisionId, so a change since then fails instead of being overwritten.
          const known = { alias: p.after ?? p.before, ...(p.versions ? { versions: p.versions.settings } : {}) };
          const change = await shiftTraffic(ctx, p.target, { candidate: p.candidate!, weight: share, commit: plan.commit, run: plan.run, state: last ? 'baking' : 'shifting', known });
          p.after = change.after;
          if (change.wrote) p.writes += 1;
          if (change.after.record.kind === 'record') p.stable = change.after.record.record.stable;
          p.stepsDone = step + 1;
          return change;
        },
        { maxRegions: plan.maxParallel },
      );
      if (firstTrafficAt === null && share > 0 && shifted.some((o) => o.ok && o.value.wrote)) firstTrafficAt = now();
      const failed = shifted.filter((o) => !o.ok);
      if (failed.length > 0) {
        for (const o of failed) if (!o.ok) o.target.error = errorText(o.error);
        const interrupted = hooks.interrupt.stopping && failed.every((o) => !o.ok && isInterruption(o.error));
        return result(
          interrupted ? 'interrupted' : 'failed',
          `${interrupted ? `stopped by ${hooks.interrupt.signal}` : 'the shift failed'} at step ${step + 1} (${formatWeight(share)}):\n${failed.map((o) => (o.ok ? '' : errorText(o.error))).join('\n')}`,
          deploymentOf(plan, progress, finalShare, null, windowStart()),
          step,
        );
      }
      if (last) break;
      if (plan.stepWaitMs > 0) {
        hooks.logger.info(`waiting ${Math.round(plan.stepWaitMs / 1000)}s before the next step`);
        const slept = await hooks.interrupt.sleep(plan.stepWaitMs);
        if (!slept) return result('interrupted', `stopped by ${hooks.interrupt.signal} after step ${step + 1} (${formatWeight(share)})`, deploymentOf(plan, progress, finalShare, null, windowStart()), step + 1);
      }
      if (refCount(refs) > 0) {
        const check = await checkAlarms(clients, plan, refs);
        alarmLines.push(`after step ${step + 1} (${formatWeight(share)}): ${check.line}`);
        hooks.logger.info(`after step ${step + 1}: ${check.line}`);
        if (check.firing) {
          return result('alarm', `${check.firing}; stopped after step ${step + 1} (${formatWeight(share)}), the candidate holds that share until it is rolled back`, deploymentOf(plan, progress, finalShare, null, windowStart()), step + 1);
        }
      } else {
        hooks.logger.warn(`no rollback alarms configured: nothing to check between steps`);
      }
    }
    return result('deployed', null, deploymentOf(plan, progress, finalShare, null, windowStart()), plan.steps.length);
  } catch (error) {
    return result(hooks.interrupt.stopping ? 'interrupted' : 'failed', errorText(error), deploymentOf(plan, progress, plan.steps[plan.steps.length - 1] ?? 0, null, windowStart()), 0);
  } finally {
    clients.destroy();
  }
}

/** Reads every alias again (for the failure report); a read that fails says so. */
export async function readBack(plan: WavePlan, progress: readonly TargetProgress[]): Promise<void> {
  const clients = new AwsClients({ caller: 'wave-deploy', maxAttempts: 2 });
  const ctx = lambdaContext({ clients, environment: plan.environment });
  try {
    await forEachTarget(progress, async (p) => {
      try {
        p.after = await readAlias(ctx, p.target);
      } catch (error) {
        p.error = p.error ?? `cannot read the alias now: ${errorText(error)}`;
      }
    });
  } finally {
    clients.destroy();
  }
}
