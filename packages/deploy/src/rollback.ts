// Rollback of a set of aliases, for every entry point: the rollback action (`rollBack`: preflight
// reads, one guarded write per alias, read back, store entries of rolled-back deployments removed)
// and the guardian (`rollBackGuarded` per alias, with its race handling).
//
// `rollBackGuarded` is the one guarded write: UpdateAlias with the RevisionId of the read the caller
// decided on (packages/aws/src/lambda.ts rollbackAlias, decided by the rollout state machine). When
// the pipeline writes between that read and the write (HTTP 412), a caller that gives `recheck`
// gets the alias read again and judged again, up to `attempts` times: nothing is overwritten unseen.
import { AwsClients } from '../../aws/src/clients.js';
import { storeContext } from '../../aws/src/deployment-store.js';
import { readFunctionSettings } from '../../aws/src/function-reads.js';
import { LambdaDeployError, forEachTarget, lambdaContext, readAlias, rollbackAlias, type AliasTarget, type AliasView, type LambdaContext, type Logger } from '../../aws/src/lambda.js';
import { decide, describeAlias, phaseTransition, routingMatches, unvettedVersion } from '../../core/src/rollout.js';
import { retireAfterRollback } from './store.js';
import { messageText } from './text.js';

/** What `recheck` says of an alias read again after a race: roll it back, or leave it (and why). */
export type Recheck = { readonly go: true } | { readonly go: false; readonly failed: boolean; readonly why: string };

export interface GuardedOptions {
  /** `previous` (the recorded stable version) or a published version. */
  readonly to: 'previous' | string;
  readonly run: string;
  readonly commit?: string;
  /** The read the decision was made on; its RevisionId guards the write. */
  readonly known: AliasView | null;
  /** Attempts in all when the alias changes between read and write (default 1: a race fails). */
  readonly attempts?: number;
  /** Judges the alias before each attempt (the guardian: still in flight for its deployment?). */
  readonly recheck?: (view: AliasView | null) => Recheck;
}

export interface GuardedRollback {
  readonly outcome: 'rolled-back' | 'already' | 'failed';
  readonly attempts: number;
  readonly before: AliasView | null;
  /** The alias as last read (after the write, or again after a failure). */
  readonly after: AliasView | null;
  /** True when `after` was read after the write or the failure (no read-back needed). */
  readonly afterRead: boolean;
  /** The failure's message (raw: callers pass it through logSafe before it reaches a log). */
  readonly error: string | null;
  readonly steps: readonly string[];
}

function rawMessage(error: unknown): string {
  const e = error as { message?: string };
  return e?.message ?? String(error);
}

/** Rolls one alias back, guarded by the RevisionId of `known`; see the header for races. */
export async function rollBackGuarded(ctx: LambdaContext, target: AliasTarget, options: GuardedOptions): Promise<GuardedRollback> {
  const steps: string[] = [];
  const limit = Math.max(1, options.attempts ?? 1);
  const before = options.known;
  let view = options.known;
  for (let attempt = 1; ; attempt += 1) {
    const judged = options.recheck?.(view) ?? { go: true as const };
    if (!judged.go) {
      steps.push(`attempt ${attempt}: no longer in flight (${judged.why}); nothing to write`);
      return { outcome: judged.failed ? 'failed' : 'already', attempts: attempt, before, after: view, afterRead: attempt > 1, error: judged.failed ? judged.why : null, steps };
    }
    try {
      const change = await rollbackAlias(ctx, target, { to: options.to, run: options.run, ...(options.commit ? { commit: options.commit } : {}), known: { alias: view } });
      return { outcome: change.wrote ? 'rolled-back' : 'already', attempts: attempt, before, after: change.after, afterRead: change.wrote, error: null, steps };
    } catch (error) {
      if (options.recheck && error instanceof LambdaDeployError && error.rule === 'alias-changed-concurrently' && attempt < limit) {
        steps.push(`attempt ${attempt}: the alias changed between our read and our write (412); reading it again and deciding again`);
        try {
          view = await readAlias(ctx, target);
        } catch (readError) {
          return { outcome: 'failed', attempts: attempt, before, after: view, afterRead: false, error: `cannot read the alias again: ${rawMessage(readError)}`, steps };
        }
        continue;
      }
      const after = await readAlias(ctx, target).then(
        (v) => ({ view: v, read: true }),
        () => ({ view, read: false }),
      );
      return { outcome: 'failed', attempts: attempt, before, after: after.view, afterRead: after.read, error: rawMessage(error), steps };
    }
  }
}

export interface RollbackTarget {
  readonly region: string;
  readonly function: string;
  readonly alias: string;
  /** The stable version the deployment recorded for this alias (when rolling back a deployment). */
  readonly recordedStable?: string;
  /** The candidate the deployment put on this alias. */
  readonly recordedCandidate?: string;
}

/** A rollback as the action asks for it (actions/rollback/src/request.ts reads it from the inputs). */
export interface RollbackOrder {
  readonly targets: readonly RollbackTarget[];
  /** `previous`: the stable version recorded (in the deployment, else on the alias); otherwise a version. */
  readonly to: 'previous' | { readonly version: string };
  readonly environment: string;
  readonly maxParallel: number;
  readonly run: string;
  readonly commit: string;
  /** Set when the targets came from wave-deploy's `deployment` (the errors name that input). */
  readonly deployment: unknown;
  /** Only aliases whose record names this commit are rolled back (empty: all). */
  readonly onlyCommit: string;
  /** SAFE_DEPLOY_STORE_PATH: where the deployment store entries live (default /safe-deploy). */
  readonly storePath?: string;
  /** An explicit version the caller confirmed although no record vets it (security L4; empty or absent: none). */
  readonly confirmUnvetted?: string;
}

export interface AliasRollback {
  readonly region: string;
  readonly target: AliasTarget;
  /** Version the alias goes back to; null when it could not be decided. */
  to: string | null;
  before: AliasView | null;
  after: AliasView | null;
  wrote: boolean;
  /** Left alone on purpose (another commit's deployment). */
  skipped: string | null;
  /** Set when the alias is not (verifiably) at its target. */
  error: string | null;
}

export interface RollbackResult {
  readonly outcome: 'rolled-back' | 'refused' | 'failed';
  readonly aliases: readonly AliasRollback[];
  readonly message: string | null;
  /** Store entries of rolled-back deployments removed (parameter names). */
  readonly retired?: readonly string[];
  /** What could not be done after the aliases were back (an entry not removed), one line each. */
  readonly notes?: readonly string[];
}

function recordOf(view: AliasView | null) {
  return view?.record.kind === 'record' ? view.record.record : null;
}

/** 1. Preflight: reads only. Every problem is collected; nothing is written if there is one. */
async function preflight(ctx: LambdaContext, order: RollbackOrder, aliases: AliasRollback[], now: () => number): Promise<string[]> {
  const explicit = order.to === 'previous' ? null : order.to.version;
  const checks = await forEachTarget(
    aliases,
    async (a): Promise<string[]> => {
      const t = a.target;
      const ref = { region: t.region, functionName: t.functionName };
      const source = order.deployment ? 'deployment' : 'functions';
      if (!(await readFunctionSettings(ctx, ref))) return [`input ${source}: function ${t.functionName} does not exist in ${t.region}`];
      a.before = await readAlias(ctx, t);
      if (!a.before) return [`input ${source}: alias ${t.alias} of ${t.functionName} does not exist in ${t.region}; there is nothing to roll back`];
      const record = recordOf(a.before);
      if (order.onlyCommit && record?.commit !== order.onlyCommit.slice(0, 12)) {
        a.skipped = `record names commit ${record?.commit || 'none'}, not ${order.onlyCommit.slice(0, 12)}: left as it is`;
        a.to = a.before.version;
        return [];
      }
      if (explicit && !(await readFunctionSettings(ctx, ref, explicit))) {
        return [`input to: version ${explicit} does not exist for function ${t.functionName} in ${t.region}; versions are numbered per function, so a number taken from another function or region does not carry over`];
      }
      const unvetted = explicit && order.confirmUnvetted !== explicit ? unvettedVersion(record, a.before.version, explicit) : null;
      if (unvetted) return [`input to: ${t.region} ${t.functionName}:${t.alias}: ${unvetted}; moving all traffic to it skips every bake, so repeat ${explicit} in input confirm-unvetted to do it anyway`];
      const recorded = order.targets.find((x) => x.region === t.region && x.function === t.functionName && x.alias === t.alias)?.recordedStable;
      const to = explicit ?? recorded ?? 'previous';
      const decision = decide(a.before, { kind: 'rollback', to, run: order.run, ...(order.commit ? { commit: order.commit } : {}) }, { now: now() / 1000 });
      if (decision.kind === 'refuse') return [`${t.region} ${t.functionName}:${t.alias}: ${decision.rule}: ${decision.message}. Alias now: ${describeAlias(a.before)}`];
      a.to = decision.kind === 'write' ? decision.config.functionVersion : to === 'previous' ? (record?.stable ?? a.before.version) : to;
      return [];
    },
    { maxRegions: order.maxParallel },
  );
  return checks.flatMap((c) => (c.ok ? c.value : [`${c.target.target.region} ${c.target.target.functionName}: cannot read before rolling back: ${messageText(c.error)}`]));
}

/** 3. Read back: every alias compared with its target. */
async function readBack(ctx: LambdaContext, order: RollbackOrder, aliases: AliasRollback[], read: Set<AliasRollback>): Promise<void> {
  await forEachTarget(
    aliases,
    async (a) => {
      try {
        // An alias written (or failed) in step 2 was read right after; read the others now.
        if (!read.has(a)) a.after = await readAlias(ctx, a.target);
      } catch (error) {
        a.error = a.error ?? `cannot read the alias back: ${messageText(error)}`;
        return;
      }
      if (a.skipped || a.error) return;
      if (!a.after || !routingMatches(a.after, a.to as string, {})) {
        a.error = `read back ${describeAlias(a.after)}, expected version ${a.to} with no routing`;
      }
    },
    { maxRegions: order.maxParallel },
  );
}

/**
 * Puts the aliases back: preflight (reads only; nothing written on any problem), one guarded write
 * per alias that is not already at its target (all regions in parallel, a failure in one never
 * stops the others), every alias read back and compared, then the store entries whose deployment is
 * now wholly at rest removed (the guardian stops reading them). A verifying alias (promoted, its
 * last bake not passed) goes back to the stable version its record kept.
 */
export async function rollBack(order: RollbackOrder, logger: Logger, now: () => number = Date.now): Promise<RollbackResult> {
  const clients = new AwsClients({ caller: 'rollback' });
  const ctx = lambdaContext({ clients, logger, environment: order.environment });
  const aliases: AliasRollback[] = order.targets.map((t) => ({
    region: t.region,
    target: { region: t.region, functionName: t.function, alias: t.alias },
    to: null,
    before: null,
    after: null,
    wrote: false,
    skipped: null,
    error: null,
  }));
  try {
    const problems = await preflight(ctx, order, aliases, now);
    if (problems.length > 0) {
      for (const a of aliases) a.after = a.before;
      return { outcome: 'refused', aliases, message: `refused before any write:\n${problems.join('\n')}\nNothing was written.` };
    }

    // 2. Writes. The preflight's read decides each write; its RevisionId guards it.
    const read = new Set<AliasRollback>();
    const writes = await forEachTarget(
      aliases.filter((a) => !a.skipped),
      async (a) => {
        const done = await rollBackGuarded(ctx, a.target, { to: a.to as string, run: order.run, ...(order.commit ? { commit: order.commit } : {}), known: a.before });
        a.wrote = done.outcome === 'rolled-back';
        a.after = done.after;
        if (done.afterRead) read.add(a);
        if (done.error) a.error = messageText(done.error);
        return done;
      },
      { maxRegions: order.maxParallel },
    );
    for (const w of writes) if (!w.ok) w.target.error = messageText(w.error);

    await readBack(ctx, order, aliases, read);

    // 4. The store: a deployment whose every alias is back at rest has nothing left to watch.
    const store = storeContext({ clients, ...(order.storePath ? { path: order.storePath } : {}) });
    const settled = aliases.filter((a) => !a.error);
    const retiring = await Promise.all(
      [...new Set(settled.map((a) => a.region))].map((region) =>
        retireAfterRollback(store, ctx, region, settled.map((a) => ({ region: a.region, function: a.target.functionName, alias: a.target.alias, view: a.after }))),
      ),
    );
    const retired = retiring.flatMap((r) => r.retired);
    const notes = retiring.flatMap((r) => r.problems);
    // Each alias written, with the phase it left: a promoted alias whose entry was still there was verifying.
    for (const a of aliases.filter((x) => x.wrote)) {
      const before = recordOf(a.before);
      const watched = retiring.some((r) => r.entries.some((e) => e.alias === a.target.alias && e.functions.includes(a.target.functionName) && e.commit === before?.commit.slice(0, 12)));
      logger.info(`transition ${a.region} ${a.target.functionName}:${a.target.alias}: ${phaseTransition(before, watched, recordOf(a.after), false, 'rollback')}`);
    }
    for (const name of retired) logger.info(`deployment store: ${name} removed (its deployment is rolled back; the guardian stops reading it)`);
    for (const note of notes) logger.warn(note);

    const failed = aliases.filter((a) => a.error);
    if (failed.length > 0) {
      return { outcome: 'failed', aliases, message: failed.map((a) => `${a.target.region} ${a.target.functionName}:${a.target.alias}: ${a.error}`).join('\n'), retired, notes };
    }
    return { outcome: 'rolled-back', aliases, message: null, retired, notes };
  } catch (error) {
    return { outcome: 'failed', aliases, message: messageText(error) };
  } finally {
    clients.destroy();
  }
}
