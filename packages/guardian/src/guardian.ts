// One guardian run: read the trigger, the store, the confirmed alarm states and the aliases that may
// have to move; let packages/core/src/guardian.ts decide; roll back with the actions' own adapter
// (rollbackAlias, guarded by RevisionId); write one JSON log line per decision; send one EventBridge
// event per rollback. A race with the pipeline (412 on the guarded write) ends safely: the alias is
// read again and decided again, so nothing the pipeline wrote is overwritten unseen.
import type { AwsClients } from '../../aws/src/clients.js';
import { MonitoringError, readAlarmStates } from '../../aws/src/cloudwatch.js';
import { listInFlight, storeContext, type StoreContext } from '../../aws/src/deployment-store.js';
import { forEachTarget, lambdaContext, readAlias, type AliasView, type LambdaContext } from '../../aws/src/lambda.js';
import { RegionLimiter } from '../../aws/src/limiter.js';
import type { AlarmRefs, AlarmStatus } from '../../core/src/alarms.js';
import type { DeploymentEntry } from '../../core/src/guardian-entry.js';
import {
  alarmsToRead,
  decideGuardian,
  entriesToRead,
  parseTrigger,
  refMatches,
  entryAlarmRefs,
  watchOf,
  type GuardianDecision,
  type GuardianTrigger,
  type ListedEntry,
  type ReadAlias,
} from '../../core/src/guardian.js';
import { logSafe } from '../../core/src/log-safe.js';
import { describeAlias } from '../../core/src/rollout.js';
import { rollBackGuarded, type Recheck } from '../../deploy/src/rollback.js';
import { asReadAlias, retireAtRest } from '../../deploy/src/store.js';
import { sendNotices, type RollbackNotice } from './notify.js';

/** The run id the guardian writes into the alias records it rolls back. */
export const GUARDIAN_RUN = 'guardian';
/** Attempts per alias when the pipeline writes between our read and our write. */
export const RACE_ATTEMPTS = 3;

export interface GuardianSettings {
  /** SAFE_DEPLOY_STOP_ALARMS, parsed. */
  readonly stop: AlarmRefs;
  /** SAFE_DEPLOY_EVENT_BUS: bus name or ARN; null sends no events. */
  readonly eventBus: string | null;
  /** SAFE_DEPLOY_STORE_PATH. */
  readonly storePath: string;
  /** The function's own region (AWS_REGION), used when an event names none. */
  readonly region: string | null;
}

export interface GuardianDeps {
  readonly settings: GuardianSettings;
  readonly clients: AwsClients;
  /** Receives each log line as an object (the handler prints it as one JSON line). */
  readonly log: (line: Record<string, unknown>) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type RollbackOutcome = 'rolled-back' | 'already' | 'failed';

export interface ExecutedRollback {
  readonly decision: GuardianDecision;
  readonly outcome: RollbackOutcome;
  readonly attempts: number;
  readonly before: string;
  readonly after: string;
  readonly error: string | null;
  readonly steps: readonly string[];
}

export interface GuardianResult {
  readonly trigger: GuardianTrigger['kind'];
  readonly region: string | null;
  /** What happened, in one phrase (also the summary line's `result`). */
  readonly result: string;
  readonly decisions: readonly GuardianDecision[];
  readonly rollbacks: readonly ExecutedRollback[];
  readonly events: readonly { readonly function: string; readonly alias: string; readonly eventId: string | null; readonly error: string | null }[];
  readonly notes: readonly string[];
}

/** Every string of a log line through logSafe (the line is JSON, and what it quotes came from AWS). */
function safe(value: unknown): unknown {
  if (typeof value === 'string') return logSafe(value);
  if (Array.isArray(value)) return value.map(safe);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, safe(v)]));
  return value;
}

function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return e?.message ?? String(error);
}

/**
 * Rolls one alias back with the orchestration's guarded rollback (packages/deploy/src/rollback.ts),
 * guarded by the RevisionId of `first` (the read the decision was made on). On a 412 the alias is
 * read again and judged again (watchOf): still in flight, it is rolled back from what the pipeline
 * wrote; at rest (rolled back, a newer release), nothing is written.
 */
async function rollBackOne(ctx: LambdaContext, entry: DeploymentEntry, decision: GuardianDecision, first: AliasView | null): Promise<ExecutedRollback & { view: AliasView | null }> {
  const region = decision.region;
  const target = { region, functionName: decision.function as string, alias: decision.alias as string };
  const done = await rollBackGuarded(ctx, target, {
    to: 'previous',
    run: GUARDIAN_RUN,
    known: first,
    attempts: RACE_ATTEMPTS,
    recheck: (view): Recheck => {
      const watch = watchOf(entry, asReadAlias(region, target.functionName, target.alias, view));
      return watch.kind === 'in-flight' ? { go: true } : { go: false, failed: watch.kind === 'unreadable', why: watch.why };
    },
  });
  return { decision, outcome: done.outcome, attempts: done.attempts, before: describeAlias(done.before), after: describeAlias(done.after), error: done.error, steps: done.steps, view: done.after };
}

export async function runGuardian(event: unknown, deps: GuardianDeps): Promise<GuardianResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { settings, clients } = deps;
  const trigger = parseTrigger(event, settings.region);
  const base = { component: 'safe-deploy-guardian', trigger: trigger.kind, region: trigger.region, eventId: trigger.kind === 'ignored' ? null : trigger.eventId };
  const emit = (line: Record<string, unknown>) => deps.log(safe({ at: new Date(now()).toISOString(), ...base, ...line }) as Record<string, unknown>);
  const finish = (result: Omit<GuardianResult, 'trigger' | 'region'>, level: 'info' | 'warn' | 'error' = 'info'): GuardianResult => {
    emit({
      level,
      kind: 'summary',
      ...(trigger.kind === 'alarm' ? { alarm: trigger.alarm, announced: trigger.state } : {}),
      result: result.result,
      decisions: result.decisions.length,
      rolledBack: result.rollbacks.filter((r) => r.outcome === 'rolled-back').length,
      already: result.rollbacks.filter((r) => r.outcome === 'already').length,
      failed: result.rollbacks.filter((r) => r.outcome === 'failed').length,
      events: result.events.filter((e) => e.eventId).length,
      notes: result.notes,
      ms: now() - started,
    });
    return { trigger: trigger.kind, region: trigger.region, ...result };
  };
  const nothing = (result: string, notes: string[] = []) => finish({ result, decisions: [], rollbacks: [], events: [], notes });

  if (trigger.kind === 'ignored') return nothing(`ignored: ${trigger.why}`);
  if (trigger.kind === 'alarm' && trigger.state !== 'ALARM') return nothing(`ignored: the alarm went to ${trigger.state}; only ALARM rolls back`);
  const region = trigger.region;
  const limiter = new RegionLimiter({ ...(deps.sleep ? { sleep: deps.sleep } : {}), now });
  const store: StoreContext = storeContext({ clients, path: settings.storePath, ...(deps.sleep ? { sleep: deps.sleep } : {}), now });

  // 1. The store: every deployment the region has in flight.
  const entries: ListedEntry[] = await listInFlight(store, region);
  const okEntries = entries.flatMap((e) => (e.ok ? [e.entry] : []));
  if (entries.length === 0) return nothing(`nothing in flight under ${settings.storePath} in ${region}`);

  // 2. The alarms to confirm. The event path reads only the event's alarm, and only when it watches something here.
  let refs: AlarmRefs;
  if (trigger.kind === 'alarm') {
    const watched = refMatches(settings.stop, trigger.alarm) || okEntries.some((e) => refMatches(entryAlarmRefs(e).refs, trigger.alarm));
    if (!watched) return nothing(`ignored: alarm ${trigger.alarm} is neither a stop-the-line alarm nor a rollback alarm of the ${okEntries.length} deployment(s) in flight here`);
    refs = { names: [trigger.alarm], prefixes: [] };
  } else {
    refs = alarmsToRead(settings.stop, okEntries);
  }
  const notes: string[] = [];
  let alarms: AlarmStatus[] = [];
  if (refs.names.length + refs.prefixes.length > 0) {
    try {
      const read = await readAlarmStates(clients, region, refs);
      alarms = [...read.alarms];
      for (const m of read.missing) notes.push(`alarm ${m} not found in ${region}: nothing can fire on it`);
    } catch (error) {
      if (trigger.kind === 'alarm' || !(error instanceof MonitoringError)) throw error; // the event is retried by Lambda
      notes.push(`alarm states unreadable, only leases judged this sweep: ${errorText(error)}`);
    }
  }
  if (trigger.kind === 'alarm') {
    const confirmed = alarms.find((a) => a.name === trigger.alarm);
    if (!confirmed || confirmed.state !== 'ALARM') {
      const decision: GuardianDecision = {
        region,
        function: null,
        alias: null,
        deployment: null,
        action: 'skip',
        transition: 'unconfirmed',
        cause: null,
        reason: `the event says ${trigger.alarm} is ALARM, DescribeAlarms says ${confirmed ? confirmed.state : 'it does not exist'}: nothing changed`,
        to: null,
        candidate: null,
      };
      emit({ level: 'info', kind: 'decision', ...decision });
      return finish({ result: 'unconfirmed: nothing changed', decisions: [decision], rollbacks: [], events: [], notes });
    }
  }

  // 3. The aliases of the deployments that have a reason to move, all regions' calls paced.
  const pre = { trigger, entries, alarms, stop: settings.stop, now: now() / 1000 };
  const lambdaCtx = (entry: DeploymentEntry | null, steps: string[]): LambdaContext =>
    lambdaContext({
      clients,
      limiter,
      now,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      environment: entry?.stage ?? '<environment>',
      logger: { info: (m) => steps.push(logSafe(m)), warn: (m) => steps.push(logSafe(m)) },
    });
  const reads = entriesToRead(pre).flatMap(({ entry }) => entry.functions.map((fn) => ({ region, functionName: fn, alias: entry.alias, entry })));
  const unique = reads.filter((r, i) => reads.findIndex((o) => o.functionName === r.functionName && o.alias === r.alias) === i);
  const views = new Map<string, AliasView | null>();
  const readCtx = lambdaCtx(null, []);
  const readOutcomes = await forEachTarget(unique, (t) => readAlias(readCtx, { region: t.region, functionName: t.functionName, alias: t.alias }));
  const aliases: ReadAlias[] = readOutcomes.map((o) => {
    const t = o.target;
    if (!o.ok) return { ...asReadAlias(region, t.functionName, t.alias, null), error: errorText(o.error) };
    views.set(`${t.functionName}:${t.alias}`, o.value);
    return asReadAlias(region, t.functionName, t.alias, o.value);
  });

  // 4. Decide, then carry out every rollback (in parallel, each on its own).
  const plan = decideGuardian({ ...pre, aliases });
  notes.push(...plan.notes);
  for (const d of plan.decisions) if (d.action !== 'rollback') emit({ level: d.action === 'report' ? 'warn' : 'info', kind: 'decision', ...d });
  const byName = new Map(entries.flatMap((e) => (e.ok ? [[e.name, e.entry] as const] : [])));
  const entryOf = (d: GuardianDecision) => byName.get(d.deployment?.entry ?? '') ?? null;
  const executed = await forEachTarget(
    plan.rollbacks.map((d) => ({ region, decision: d })),
    ({ decision }) => {
      const entry = entryOf(decision) as DeploymentEntry;
      const steps: string[] = [];
      return rollBackOne(lambdaCtx(entry, steps), entry, decision, views.get(`${decision.function}:${decision.alias}`) ?? null).then((r) => ({ ...r, steps: [...steps, ...r.steps] }));
    },
  );
  const rollbacks: ExecutedRollback[] = executed.map((o) => {
    if (!o.ok) return { decision: o.target.decision, outcome: 'failed', attempts: 1, before: '-', after: '-', error: errorText(o.error), steps: [] };
    const { view, ...rollback } = o.value;
    if (rollback.outcome !== 'failed') views.set(`${rollback.decision.function}:${rollback.decision.alias}`, view);
    return rollback;
  });

  // 5. One notification per rollback that changed an alias or failed (a repeated event sends none).
  const notices: RollbackNotice[] = rollbacks
    .filter((r) => r.outcome !== 'already')
    .map((r) => ({
      region,
      function: r.decision.function as string,
      alias: r.decision.alias as string,
      outcome: r.outcome === 'failed' ? 'failed' : 'rolled-back',
      cause: r.decision.cause ?? '',
      reason: r.decision.reason,
      to: r.decision.to,
      candidate: r.decision.candidate,
      trigger: trigger.kind,
      deployment: r.decision.deployment ? { ...r.decision.deployment } : null,
      error: r.error ? logSafe(r.error) : null,
      at: new Date(now()).toISOString(),
    }));
  const events: GuardianResult['events'][number][] = [];
  if (settings.eventBus && notices.length > 0) {
    for (const s of await sendNotices(clients, region, settings.eventBus, notices)) {
      events.push({ function: s.notice.function, alias: s.notice.alias, eventId: s.eventId, error: s.error });
      if (s.error) notes.push(`notification for ${s.notice.function}:${s.notice.alias} not sent: ${s.error}`);
    }
  }

  // 6. Last (nothing waits on it): a deployment whose every alias is now at rest (rolled back, by us or before) leaves the store:
  // the sweep stops reading it. Each delete is guarded by a read of the same deployment.
  const settled = unique.map((t) => asReadAlias(region, t.functionName, t.alias, views.get(`${t.functionName}:${t.alias}`) ?? null)).filter((a) => views.has(`${a.function}:${a.alias}`));
  const retiring = await retireAtRest(store, region, entriesToRead(pre), settled);
  notes.push(...retiring.problems);
  for (const name of retiring.retired) emit({ level: 'info', kind: 'store', entry: name, result: 'removed', reason: 'every alias of the deployment is at rest (rolled back); the sweep stops reading it' });
  for (const r of rollbacks) {
    emit({
      level: r.outcome === 'failed' ? 'error' : 'info',
      kind: 'decision',
      ...r.decision,
      result: r.outcome,
      attempts: r.attempts,
      before: r.before,
      after: r.after,
      ...(r.error ? { error: r.error } : {}),
      steps: r.steps,
    });
  }

  const failed = rollbacks.filter((r) => r.outcome === 'failed');
  const rolled = rollbacks.filter((r) => r.outcome === 'rolled-back');
  const reported = plan.decisions.filter((d) => d.action === 'report').length;
  const result =
    failed.length > 0
      ? `${failed.length} rollback(s) failed, ${rolled.length} rolled back`
      : rolled.length > 0
        ? `${rolled.length} alias(es) rolled back${reported ? `, ${reported} reported` : ''}`
        : `nothing to roll back (${plan.decisions.length} decision(s)${reported ? `, ${reported} reported` : ''})`;
  return finish({ result, decisions: plan.decisions, rollbacks, events, notes }, failed.length > 0 ? 'error' : reported > 0 ? 'warn' : 'info');
}
