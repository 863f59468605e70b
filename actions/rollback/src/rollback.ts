// The rollback itself: preflight reads, one guarded write per alias that is not already at its
// target (all regions in parallel), then every alias read back and compared.
// Loaded with a dynamic import after the inputs are valid, because it pulls in the AWS SDK.
import { logSafe } from '../../../packages/core/src/log-safe.js';
import { decide, describeAlias, routingMatches, unvettedVersion } from '../../../packages/core/src/rollout.js';
import { AwsClients } from '../../../packages/aws/src/clients.js';
import { readFunctionSettings } from '../../../packages/aws/src/function-reads.js';
import { forEachTarget, lambdaContext, readAlias, rollbackAlias, type AliasTarget, type AliasView, type Logger } from '../../../packages/aws/src/lambda.js';
import type { RollbackRequest, RollbackTarget } from './request.js';

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
}

/** An error as one log-safe text (AWS messages can carry anything). */
function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return logSafe(e?.message ?? String(error), 4000);
}

function recordOf(view: AliasView | null) {
  return view?.record.kind === 'record' ? view.record.record : null;
}

export async function rollBack(request: RollbackRequest, logger: Logger, now: () => number = Date.now): Promise<RollbackResult> {
  const clients = new AwsClients({ caller: 'rollback' });
  const ctx = lambdaContext({ clients, logger, environment: request.environment });
  const aliases: AliasRollback[] = request.targets.map((t: RollbackTarget) => ({
    region: t.region,
    target: { region: t.region, functionName: t.function, alias: t.alias },
    to: null,
    before: null,
    after: null,
    wrote: false,
    skipped: null,
    error: null,
  }));
  const explicit = request.to === 'previous' ? null : request.to.version;
  try {
    // 1. Preflight: reads only. Every problem is collected; nothing is written if there is one.
    const checks = await forEachTarget(
      aliases,
      async (a): Promise<string[]> => {
        const t = a.target;
        const ref = { region: t.region, functionName: t.functionName };
        const source = request.deployment ? 'deployment' : 'functions';
        if (!(await readFunctionSettings(ctx, ref))) return [`input ${source}: function ${t.functionName} does not exist in ${t.region}`];
        a.before = await readAlias(ctx, t);
        if (!a.before) return [`input ${source}: alias ${t.alias} of ${t.functionName} does not exist in ${t.region}; there is nothing to roll back`];
        const record = recordOf(a.before);
        if (request.onlyCommit && record?.commit !== request.onlyCommit.slice(0, 12)) {
          a.skipped = `record names commit ${record?.commit || 'none'}, not ${request.onlyCommit.slice(0, 12)}: left as it is`;
          a.to = a.before.version;
          return [];
        }
        if (explicit) {
          if (!(await readFunctionSettings(ctx, ref, explicit))) {
            return [`input to: version ${explicit} does not exist for function ${t.functionName} in ${t.region}; versions are numbered per function, so a number taken from another function or region does not carry over`];
          }
          const unvetted = request.confirmUnvetted === explicit ? null : unvettedVersion(record, a.before.version, explicit);
          if (unvetted) return [`input to: ${t.region} ${t.functionName}:${t.alias}: ${unvetted}; moving all traffic to it skips every bake, so repeat ${explicit} in input confirm-unvetted to do it anyway`];
        }
        const recorded = request.targets.find((x) => x.region === t.region && x.function === t.functionName && x.alias === t.alias)?.recordedStable;
        const to = explicit ?? recorded ?? 'previous';
        const decision = decide(a.before, { kind: 'rollback', to, run: request.run, ...(request.commit ? { commit: request.commit } : {}) }, { now: now() / 1000 });
        if (decision.kind === 'refuse') return [`${t.region} ${t.functionName}:${t.alias}: ${decision.rule}: ${decision.message}. Alias now: ${describeAlias(a.before)}`];
        a.to = decision.kind === 'write' ? decision.config.functionVersion : to === 'previous' ? (record?.stable ?? a.before.version) : to;
        return [];
      },
      { maxRegions: request.maxParallel },
    );
    const problems = checks.flatMap((c) => (c.ok ? c.value : [`${c.target.target.region} ${c.target.target.functionName}: cannot read before rolling back: ${errorText(c.error)}`]));
    if (problems.length > 0) {
      for (const a of aliases) a.after = a.before;
      return { outcome: 'refused', aliases, message: `refused before any write:\n${problems.join('\n')}\nNothing was written.` };
    }

    // 2. Writes: every region in parallel; a failure in one never stops the others.
    const writes = await forEachTarget(
      aliases.filter((a) => !a.skipped),
      async (a) => {
        // The preflight's read decides the write; its RevisionId guards it, so a change since fails instead of being overwritten.
        const change = await rollbackAlias(ctx, a.target, { to: a.to as string, run: request.run, ...(request.commit ? { commit: request.commit } : {}), known: { alias: a.before } });
        a.wrote = change.wrote;
        a.after = change.after;
        return change;
      },
      { maxRegions: request.maxParallel },
    );
    for (const w of writes) if (!w.ok) w.target.error = errorText(w.error);

    // 3. Every alias as read back, compared with its target.
    await forEachTarget(
      aliases,
      async (a) => {
        try {
          // An alias written in step 2 was read back right after its write (lambda.ts); read the others now.
          if (!a.wrote) a.after = await readAlias(ctx, a.target);
        } catch (error) {
          a.error = a.error ?? `cannot read the alias back: ${errorText(error)}`;
          return;
        }
        if (a.skipped || a.error) return;
        if (!a.after || !routingMatches(a.after, a.to as string, {})) {
          a.error = `read back ${describeAlias(a.after)}, expected version ${a.to} with no routing`;
        }
      },
      { maxRegions: request.maxParallel },
    );
    const failed = aliases.filter((a) => a.error);
    if (failed.length > 0) {
      return { outcome: 'failed', aliases, message: failed.map((a) => `${a.target.region} ${a.target.functionName}:${a.target.alias}: ${a.error}`).join('\n') };
    }
    return { outcome: 'rolled-back', aliases, message: null };
  } catch (error) {
    return { outcome: 'failed', aliases, message: errorText(error) };
  } finally {
    clients.destroy();
  }
}
