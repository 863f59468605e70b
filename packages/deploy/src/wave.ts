// One wave: the named steps of the rollout state machine (packages/core/src/rollout.ts `WaveStep`),
// each transition logged. Loaded with a dynamic import after the inputs are valid (AWS SDK).
//
// Order of work, so that bad input or a refused alias never half-deploys:
//   preflight  reads only: stop-the-line, every function exists, a given version exists, the
//              deployment store entry of each region (a promoted alias whose entry is still there is
//              verifying: a new release is refused), every alias can take the shift (rollout.ts
//              decides with the candidate we will publish), roles match, no trigger invokes a
//              function without the alias while the wave stays below 100%, rollback alarms quiet;
//   publish    the candidate in every region (reused on a re-run of the same commit);
//   lease      the store entry in each region before its first shift (the guardian finds the
//              deployment from here on; a re-run takes the entry over), then the planned
//              `deployment` output, so a cancelled run can still be rolled back;
//   shift      per step below 100%: every alias (regions in parallel, at most max-parallel at once),
//              then step-wait and the rollback alarms before the next step;
//   promote    the step to 100% (the alias is then verifying until the wave's last bake passes);
//   read-back  every alias as last read, compared with the wave's share; on a stop, read again.
import { readFileSync } from 'node:fs';
import { parseAlarmRefs, refCount, summarizeAlarms, type AlarmRefs } from '../../core/src/alarms.js';
import type { AliasRecord, Deployment, DeploymentTarget } from '../../core/src/deployment.js';
import type { ListedEntry } from '../../core/src/guardian.js';
import { checkVersionsCompatible, decide, describeAlias, formatWeight, phaseTransition, rolloutPhase, waveStepTransition, type Decision, type WaveStep } from '../../core/src/rollout.js';
import { describeTrigger, type UnqualifiedTriggers } from '../../core/src/triggers.js';
import type { VersionRef } from '../../github/src/inputs.js';
import { AwsClients } from '../../aws/src/clients.js';
import { readAlarmStates } from '../../aws/src/cloudwatch.js';
import { storeContext, type StoreContext } from '../../aws/src/deployment-store.js';
import { readFunctionSettings, readUnqualifiedTriggers } from '../../aws/src/function-reads.js';
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
} from '../../aws/src/lambda.js';
import { RegionLimiter } from '../../aws/src/limiter.js';
import { isInterruption, type WaveInterrupt } from './interrupt.js';
import { stoppedRegions } from './stop-the-line.js';
import { readEntries, watchesRecord, writeEntries } from './store.js';
import { errorText } from './text.js';

/** Where the candidate comes from. */
export type CodeSource =
  | { readonly kind: 'zip'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string }
  | { readonly kind: 'image'; readonly uri: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'version'; readonly ref: VersionRef };

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
  /** The store entry of the record's deployment was there when the preflight read it (a promoted alias is verifying). */
  watchedBefore?: boolean;
  /** This wave's store entry covers the alias (written in the lease step). */
  watched?: boolean;
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
  readonly interrupt: WaveInterrupt;
  /** Called with the planned deployment before the first alias write. */
  readonly onPlanned: (deployment: Deployment) => void;
  readonly now?: () => number;
}

/** A problem found before any write; `input` names the input to fix when one is to blame. */
interface Problem {
  readonly input: string | null;
  readonly message: string;
}

/** One wave as it runs: what every step reads and writes. */
interface WaveRun {
  readonly plan: WavePlan;
  readonly hooks: DeployHooks;
  readonly now: () => number;
  readonly clients: AwsClients;
  readonly ctx: LambdaContext;
  readonly store: StoreContext;
  readonly progress: TargetProgress[];
  readonly alarmLines: string[];
  readonly warnings: string[];
  readonly refs: AlarmRefs;
  readonly finalShare: number;
  step: WaveStep;
  entries: Map<string, ListedEntry | null>;
  planned: Map<TargetProgress, Decision>;
  /** When the first step that wrote a share above 0 had every write answered (the bake window's start). */
  firstTrafficAt: number | null;
}

function targetsOf(plan: WavePlan): AliasTarget[] {
  return plan.regions.flatMap((region) => plan.functions.map((functionName) => ({ region, functionName, alias: plan.alias })));
}

function recordOf(view: AliasView | null): AliasRecord | null {
  return view?.record.kind === 'record' ? view.record.record : null;
}

/** The version a rollback returns to, from what the alias says now. */
function stableOf(view: AliasView | null): string | null {
  if (!view) return null;
  return recordOf(view)?.stable ?? (view.version || null);
}

/** The candidate a re-run of this commit would find in flight, when there is one. */
function ourCandidate(view: AliasView | null, commit: string): string | null {
  const record = recordOf(view);
  return record?.candidate && record.commit === commit.slice(0, 12) ? record.candidate : null;
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

function enter(run: WaveRun, to: WaveStep, detail = ''): void {
  run.hooks.logger.info(waveStepTransition(run.step, to, detail));
  run.step = to;
}

function finish(run: WaveRun, outcome: WaveOutcome, message: string | null, deployment: Deployment | null, stepsDone: number): WaveResult {
  if (run.step !== 'done' && run.step !== 'stopped') enter(run, outcome === 'deployed' ? 'done' : 'stopped', outcome);
  return { outcome, plan: run.plan, targets: run.progress, stepsDone, message, deployment, alarmLines: run.alarmLines, warnings: run.warnings };
}

function weightOn(view: AliasView | null, candidate: string | null): number {
  if (!view || !candidate) return 0;
  if (view.version === candidate && Object.keys(view.weights).length === 0) return 1;
  return view.weights[candidate] ?? 0;
}

function deploymentOf(run: WaveRun, traffic: number, planned: Map<TargetProgress, Decision> | null, at: Date): Deployment | null {
  const { plan } = run;
  const targets: DeploymentTarget[] = [];
  for (const p of run.progress) {
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

/**
 * The bake window starts where the candidate surely had traffic in this run: when the first step
 * that wrote a share above 0 had every write answered. A re-run that writes nothing keeps the moment
 * the aliases' records were last written.
 */
function windowStart(run: WaveRun): Date {
  if (run.firstTrafficAt !== null) return new Date(run.firstTrafficAt);
  const written = run.progress.flatMap((p) => {
    const r = recordOf(p.after ?? p.before);
    return r && p.candidate && r.candidate === p.candidate ? [r.at * 1000] : [];
  });
  return new Date(written.length > 0 ? Math.max(...written) : run.now());
}

async function checkAlarms(run: WaveRun): Promise<{ firing: string | null; missing: string | null; line: string }> {
  const regions = await Promise.all(run.plan.regions.map((region) => readAlarmStates(run.clients, region, run.refs)));
  const all = regions.flatMap((r) => r.alarms);
  const missing = regions.flatMap((r) => r.missing.map((m) => `${m} in ${r.region}`));
  const firing = all.filter((a) => a.state === 'ALARM').map((a) => `${a.name} (${a.region})`);
  return {
    firing: firing.length > 0 ? `rollback alarm firing: ${firing.join(', ')}` : missing.length > 0 ? `rollback alarm not found: ${missing.join(', ')} (a step never continues unwatched)` : null,
    missing: missing.length > 0 ? `rollback alarm not found: ${missing.join(', ')}` : null,
    line: `rollback alarms: ${summarizeAlarms(all, missing.length)}`,
  };
}

/** Per alias: the function, a given version, the alias as the rollout decides it, roles, triggers. */
async function preflightTargets(run: WaveRun): Promise<Problem[]> {
  const { plan, ctx } = run;
  const versionRef = plan.code.kind === 'version' ? plan.code.ref.version : null;
  const checkTriggers = needsTriggerCheck(plan);
  const outcomes = await forEachTarget(
    run.progress,
    async (p): Promise<Problem[]> => {
      const ref = { region: p.target.region, functionName: p.target.functionName };
      const problems: Problem[] = [];
      // One ListVersionsByFunction answers whether the function exists, whether a given version
      // does, and the role and dead-letter target of $LATEST and of every version; publishing
      // reuses the same listing to find a version of this commit.
      const versions = await listVersions(ctx, ref);
      const latest = versions ? (versions.latest ?? (await readFunctionSettings(ctx, ref))) : null;
      if (!versions || !latest) {
        return [{ input: 'functions', message: `function ${ref.functionName} does not exist in ${ref.region} (nothing was written anywhere)` }];
      }
      p.versions = versions;
      if (versionRef && !versions.settings.has(versionRef)) {
        problems.push({ input: 'version', message: `version ${versionRef} does not exist for function ${ref.functionName} in ${ref.region}; versions are numbered per function` });
      }
      p.before = await readAlias(ctx, p.target);
      p.stable = stableOf(p.before);
      p.watchedBefore = watchesRecord(run.entries.get(p.region), p.target.functionName, plan.alias, recordOf(p.before));
      const candidate = versionRef ?? ourCandidate(p.before, plan.commit) ?? NOT_YET_PUBLISHED;
      const decision = decide(p.before, { kind: 'shift', candidate, weight: run.finalShare, state: 'baking', commit: plan.commit, run: plan.run }, { now: run.now() / 1000, watched: p.watchedBefore });
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
        const where = { region: ref.region, functionName: ref.functionName, alias: plan.alias };
        for (const trigger of await readUnqualifiedTriggers(ctx, ref)) {
          const line = `${ref.region} ${ref.functionName}: unqualified trigger: ${describeTrigger(trigger, where)}`;
          if ((plan.unqualifiedTriggers ?? 'refuse') === 'refuse') {
            problems.push({ input: null, message: `${line}. It would run the candidate for all of its traffic as soon as $LATEST is updated, before any one-box share or bake, and keep it after a rollback of the alias (unqualified-triggers: refuse)` });
          } else {
            run.warnings.push(`${line} (accepted: unqualified-triggers: allow; it runs the candidate for all of its traffic from the first write, and a rollback of the alias does not undo it)`);
          }
        }
      }
      return problems;
    },
    { maxRegions: plan.maxParallel },
  );
  return outcomes.flatMap((o, i) => {
    if (o.ok) return o.value;
    const t = run.progress[i]!.target;
    return [{ input: null, message: `${t.region} ${t.functionName}: cannot read before deploying: ${errorText(o.error)}` }];
  });
}

/** Step preflight: reads only. Returns the refusal, or null to go on. */
async function preflight(run: WaveRun): Promise<WaveResult | null> {
  const stopped = await stoppedRegions(run.clients, run.plan.regions, run.plan.stopAlarms);
  if (stopped.length > 0) {
    return finish(run, 'refused', `refused before anything was read from or written to Lambda: ${stopped.join('\n')}\nNothing was written. A rollback is never held by stop-the-line.`, null, 0);
  }
  const problems: Problem[] = [];
  try {
    run.entries = await readEntries(run.store, run.plan);
  } catch (error) {
    problems.push({ input: null, message: `cannot read the deployment store (Parameter Store), so it is unknown whether a promoted alias is still verifying: ${errorText(error)}` });
  }
  for (const [region, listed] of run.entries) {
    if (listed && !listed.ok) run.hooks.logger.warn(`deployment store: ${listed.name} in ${region} cannot be read (${listed.problem}); this wave rewrites it`);
  }
  problems.push(...(await preflightTargets(run)));
  for (const warning of run.warnings) run.hooks.logger.warn(warning);
  if (refCount(run.refs) > 0) {
    const check = await checkAlarms(run);
    run.alarmLines.push(`before the wave: ${check.line}`);
    if (check.missing) problems.push({ input: 'alarms', message: `${check.missing}; create the alarm or fix its name (nothing was written)` });
    else if (check.firing) problems.push({ input: null, message: `${check.firing} before the wave started` });
  }
  if (problems.length > 0) {
    const named = problems.find((p) => p.input);
    const lines = problems.map((p) => (p.input ? `input ${p.input}: ${p.message}` : p.message));
    return finish(run, 'refused', `${named ? '' : 'refused before any write: '}${lines.join('\n')}${named ? '' : '\nNothing was written.'}`, null, 0);
  }
  if (run.hooks.interrupt.stopping) return finish(run, 'interrupted', `stopped by ${run.hooks.interrupt.signal} before any write`, null, 0);
  return null;
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

/** Step publish: the candidate (or a reused version of this commit) everywhere before any traffic moves. */
async function publish(run: WaveRun): Promise<WaveResult | null> {
  const { plan, hooks } = run;
  enter(run, 'publish', plan.code.kind === 'version' ? `version ${plan.code.ref.version}` : plan.code.kind);
  if (plan.code.kind === 'version') {
    for (const p of run.progress) p.candidate = plan.code.ref.version;
    return null;
  }
  const code = lambdaCode(plan.code);
  const published = await forEachTarget(
    run.progress,
    async (p) => {
      const candidate = await publishCandidate(run.ctx, { region: p.target.region, functionName: p.target.functionName }, { code, commit: plan.commit, run: plan.run, ...(p.versions ? { versions: p.versions } : {}) });
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
  if (failed.length === 0) return null;
  for (const o of failed) if (!o.ok) o.target.error = errorText(o.error);
  if (failed.every((o) => !o.ok && (o.error as { rule?: string }).rule === 'code-unchanged')) {
    // PublishVersion handed back an existing version: there is no new candidate to deploy.
    return finish(run, 'refused', `code unchanged: no new version, nothing was shifted (no alias was changed):\n${failed.map((o) => (o.ok ? '' : errorText(o.error))).join('\n')}`, null, 0);
  }
  const interrupted = hooks.interrupt.stopping && failed.every((o) => !o.ok && isInterruption(o.error));
  return finish(
    run,
    interrupted ? 'interrupted' : 'failed',
    `${interrupted ? `stopped by ${hooks.interrupt.signal} while publishing the candidate` : 'publishing the candidate failed'}; no alias was changed:\n${failed.map((o) => (o.ok ? '' : `${o.target.target.region} ${o.target.target.functionName}: ${errorText(o.error)}`)).join('\n')}`,
    null,
    0,
  );
}

/**
 * A region where every alias already serves this candidate at rest (promoted, its deployment's entry
 * gone: the wave's last bake passed) gets no new entry: a re-run after the verify would otherwise
 * lease a release that is done, and its lease could run out with nobody left to end it.
 */
function atRestRegions(run: WaveRun): Set<string> {
  return new Set(
    run.plan.regions.filter((region) =>
      run.progress
        .filter((p) => p.region === region)
        .every((p) => {
          const record = recordOf(p.before);
          return run.planned.get(p)?.kind === 'noop' && record?.candidate === p.candidate && rolloutPhase(record, p.watchedBefore === true) === 'at-rest';
        }),
    ),
  );
}

/** Step lease: decide every alias again with the published candidate, then the store entry before any shift. */
async function lease(run: WaveRun): Promise<WaveResult | null> {
  const { plan, hooks } = run;
  for (const p of run.progress) {
    const decision = decide(p.before, { kind: 'shift', candidate: p.candidate!, weight: run.finalShare, state: 'baking', commit: plan.commit, run: plan.run }, { now: run.now() / 1000, watched: p.watchedBefore === true });
    run.planned.set(p, decision);
    // What a rollback of this wave returns to, fixed before any alias moves: an alias the wave
    // never reaches keeps its own release, so its older record must not decide this.
    if (decision.kind === 'write') p.stable = decision.config.record.stable;
  }
  const refused = [...run.planned].filter(([, d]) => d.kind === 'refuse');
  if (refused.length > 0) {
    return finish(
      run,
      'refused',
      `refused before moving traffic (the candidate was published, no alias was changed):\n${refused
        .map(([p, d]) => `${p.target.region} ${p.target.functionName}:${plan.alias}: ${d.kind === 'refuse' ? `${d.rule}: ${d.message}` : ''}. Alias now: ${describeAlias(p.before)}`)
        .join('\n')}`,
      null,
      0,
    );
  }
  const rest = atRestRegions(run);
  const leased = plan.regions.filter((r) => !rest.has(r));
  enter(run, 'lease', `store entry in ${leased.length > 0 ? leased.join(', ') : 'no region'}`);
  for (const region of rest) {
    hooks.logger.info(`deployment store: every alias in ${region} already serves commit ${plan.commit.slice(0, 12)} at rest (its last bake passed); no entry written, nothing for the guardian to watch`);
  }
  const failed = await writeEntries(run.store, plan, leased, run.now, hooks.logger);
  if (failed.length > 0) {
    return finish(
      run,
      'failed',
      `writing the deployment store entry (Parameter Store, what the guardian watches) failed, so no traffic was shifted (the candidate was published, no alias was changed):\n${failed.join('\n')}`,
      null,
      0,
    );
  }
  for (const p of run.progress) p.watched = !rest.has(p.region);
  hooks.onPlanned(deploymentOf(run, run.finalShare, run.planned, new Date(run.now()))!);
  return null;
}

/** Steps shift and promote: every step of the plan, the alarms checked between them. */
async function shiftSteps(run: WaveRun): Promise<WaveResult | null> {
  const { plan, hooks } = run;
  for (let step = 0; step < plan.steps.length; step++) {
    const share = plan.steps[step] as number;
    const last = step === plan.steps.length - 1;
    if (hooks.interrupt.stopping) return finish(run, 'interrupted', `stopped by ${hooks.interrupt.signal} before step ${step + 1} (${formatWeight(share)})`, deploymentOf(run, run.finalShare, null, new Date(run.now())), step);
    enter(run, share === 1 ? 'promote' : 'shift', `step ${step + 1}/${plan.steps.length}: ${formatWeight(share)}`);
    hooks.logger.info(`step ${step + 1}/${plan.steps.length}: candidate to ${formatWeight(share)} in ${plan.regions.join(', ')}`);
    const shifted = await forEachTarget(
      run.progress,
      async (p) => {
        // The alias as this run last read it (the preflight, then each step's read-back): the
        // write is guarded by its RevisionId, so a change since then fails instead of being overwritten.
        const seen = p.after ?? p.before;
        const seenWatched = p.after ? p.watched === true : p.watchedBefore === true;
        const known = { alias: seen, watched: seenWatched, ...(p.versions ? { versions: p.versions.settings } : {}) };
        const change = await shiftTraffic(run.ctx, p.target, { candidate: p.candidate!, weight: share, commit: plan.commit, run: plan.run, state: last ? 'baking' : 'shifting', known });
        p.after = change.after;
        if (change.wrote) {
          p.writes += 1;
          hooks.logger.info(`transition ${p.region} ${p.target.functionName}:${plan.alias}: ${phaseTransition(recordOf(seen), seenWatched, recordOf(change.after), p.watched === true)}`);
        }
        const record = recordOf(change.after);
        if (record) p.stable = record.stable;
        p.stepsDone = step + 1;
        return change;
      },
      { maxRegions: plan.maxParallel },
    );
    if (run.firstTrafficAt === null && share > 0 && shifted.some((o) => o.ok && o.value.wrote)) run.firstTrafficAt = run.now();
    const failed = shifted.filter((o) => !o.ok);
    if (failed.length > 0) {
      for (const o of failed) if (!o.ok) o.target.error = errorText(o.error);
      const interrupted = hooks.interrupt.stopping && failed.every((o) => !o.ok && isInterruption(o.error));
      return finish(
        run,
        interrupted ? 'interrupted' : 'failed',
        `${interrupted ? `stopped by ${hooks.interrupt.signal}` : 'the shift failed'} at step ${step + 1} (${formatWeight(share)}):\n${failed.map((o) => (o.ok ? '' : errorText(o.error))).join('\n')}`,
        deploymentOf(run, run.finalShare, null, windowStart(run)),
        step,
      );
    }
    if (last) break;
    if (plan.stepWaitMs > 0) {
      hooks.logger.info(`waiting ${Math.round(plan.stepWaitMs / 1000)}s before the next step`);
      const slept = await hooks.interrupt.sleep(plan.stepWaitMs);
      if (!slept) return finish(run, 'interrupted', `stopped by ${hooks.interrupt.signal} after step ${step + 1} (${formatWeight(share)})`, deploymentOf(run, run.finalShare, null, windowStart(run)), step + 1);
    }
    if (refCount(run.refs) > 0) {
      const check = await checkAlarms(run);
      run.alarmLines.push(`after step ${step + 1} (${formatWeight(share)}): ${check.line}`);
      hooks.logger.info(`after step ${step + 1}: ${check.line}`);
      if (check.firing) {
        return finish(run, 'alarm', `${check.firing}; stopped after step ${step + 1} (${formatWeight(share)}), the candidate holds that share until it is rolled back`, deploymentOf(run, run.finalShare, null, windowStart(run)), step + 1);
      }
    } else {
      hooks.logger.warn(`no rollback alarms configured: nothing to check between steps`);
    }
  }
  return null;
}

/**
 * Step read-back: every alias, as its last read shows it, gives the candidate traffic (no new calls:
 * each write was read back and compared by the adapter; this catches an alias left without it).
 */
function readBackStep(run: WaveRun): WaveResult {
  enter(run, 'read-back');
  const off = run.progress.filter((p) => run.finalShare > 0 && weightOn(p.after, p.candidate) === 0);
  for (const p of off) p.error = `read back ${describeAlias(p.after)}, expected the candidate ${p.candidate} to serve ${formatWeight(run.finalShare)}`;
  if (off.length > 0) {
    return finish(run, 'failed', off.map((p) => `${p.region} ${p.target.functionName}:${run.plan.alias}: ${p.error}`).join('\n'), deploymentOf(run, run.finalShare, null, windowStart(run)), run.plan.steps.length);
  }
  return finish(run, 'deployed', null, deploymentOf(run, run.finalShare, null, windowStart(run)), run.plan.steps.length);
}

export async function deployWave(plan: WavePlan, hooks: DeployHooks): Promise<WaveResult> {
  const now = hooks.now ?? Date.now;
  const clients = new AwsClients({ caller: 'wave-deploy' });
  const run: WaveRun = {
    plan,
    hooks,
    now,
    clients,
    // One clock for the records and the deployment's times; the pacing keeps the real one.
    ctx: lambdaContext({ clients, logger: hooks.logger, environment: plan.environment, now, limiter: new RegionLimiter(), onCall: (_region, operation) => hooks.interrupt.gate(operation) }),
    store: storeContext({ clients, ...(plan.storePath ? { path: plan.storePath } : {}) }),
    progress: targetsOf(plan).map((target) => ({ region: target.region, target, before: null, versions: null, candidate: null, reused: false, stable: null, after: null, stepsDone: 0, writes: 0, error: null })),
    alarmLines: [],
    warnings: [],
    refs: parseAlarmRefs(plan.alarms, 'alarms'),
    finalShare: plan.steps[plan.steps.length - 1] ?? 0,
    step: 'preflight',
    entries: new Map(),
    planned: new Map(),
    firstTrafficAt: null,
  };
  let result: WaveResult;
  try {
    result = (await preflight(run)) ?? (await publish(run)) ?? publishOnly(run) ?? (await lease(run)) ?? (await shiftSteps(run)) ?? readBackStep(run);
  } catch (error) {
    result = finish(run, hooks.interrupt.stopping ? 'interrupted' : 'failed', errorText(error), deploymentOf(run, run.finalShare, null, windowStart(run)), 0);
  } finally {
    clients.destroy();
  }
  // A wave that stopped after writing reads every alias again, so the report says where each stands.
  if (result.outcome === 'failed' || result.outcome === 'alarm' || result.outcome === 'interrupted') await readBack(plan, run.progress);
  return result;
}

/**
 * traffic 0%: publish only. No alias is written, not even to take back a share a one-box of this
 * same candidate already holds; the version serving the alias is what a rollback keeps.
 */
function publishOnly(run: WaveRun): WaveResult | null {
  if (run.plan.steps.length !== 1 || run.finalShare !== 0) return null;
  for (const p of run.progress) {
    p.stable = p.before?.version ?? p.candidate;
    p.after = p.before;
    p.stepsDone = 1;
  }
  return finish(run, 'deployed', null, deploymentOf(run, 0, null, new Date(run.now())), 1);
}

/** Reads every alias again (for the failure report); a read that fails says so. */
export async function readBack(plan: Pick<WavePlan, 'environment'>, progress: readonly TargetProgress[]): Promise<void> {
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
