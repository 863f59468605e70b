// The sentinel's sweep: the guardian's own scheduled sweep (runGuardian with a "Scheduled Event"),
// run from a GitHub runner over several regions at once, for teams without the guardian installed.
// Every rule, decoder and guard is the guardian's: strict record and store decoding, a bad record
// reported and skipped per alias (S1), reasons cut and never refused (S2), every string from AWS
// through logSafe (I3), every alias of the region whose deployment has a cause rolled back
// (RevisionId-guarded, read back). This file only fans out over regions and flattens the answers
// into one report per alias for the outputs and the job summary.
import type { AwsClients } from '../../../packages/aws/src/clients.js';
import type { AlarmRefs } from '../../../packages/core/src/alarms.js';
import { sweepEvent } from '../../../packages/core/src/guardian-events.js';
import type { GuardianDecision } from '../../../packages/core/src/guardian.js';
import { logSafe } from '../../../packages/core/src/log-safe.js';
import { runGuardian, type GuardianResult } from '../../../packages/guardian/src/index.js';

export interface SweepOptions {
  readonly regions: readonly string[];
  readonly storePath: string;
  readonly stop: AlarmRefs;
  readonly clients: AwsClients;
  /** The run that sweeps (GITHUB_RUN_ID), carried in the event id of each region's sweep. */
  readonly runId: string;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Receives each of the guardian's log lines (every string already through logSafe). */
  readonly log?: (line: Record<string, unknown>) => void;
}

/** One alias (or one unreadable store entry) as the sweep left it. */
export interface AliasReport {
  readonly region: string;
  /** null for a store entry that could not be read, and for a watched deployment (no alias read). */
  readonly function: string | null;
  readonly alias: string | null;
  readonly deployment: string | null;
  /** rolled-back, already, failed: a rollback was carried out; watch, skip, report: see GuardianDecision. */
  readonly state: 'rolled-back' | 'already' | 'failed' | 'watch' | 'skip' | 'report';
  readonly cause: string | null;
  readonly transition: string;
  readonly reason: string;
}

export interface RegionSweep {
  readonly region: string;
  /** The guardian's phrase for the region, or why the region could not be swept. */
  readonly result: string;
  readonly ok: boolean;
  readonly notes: readonly string[];
}

export interface SentinelReport {
  readonly regions: readonly RegionSweep[];
  readonly aliases: readonly AliasReport[];
  /** clean: nothing had to move; rolled-back: every rollback done; reported: something could not be judged; failed: a rollback or a region failed. */
  readonly state: 'clean' | 'rolled-back' | 'reported' | 'failed';
}

function deploymentOf(d: GuardianDecision): string | null {
  if (!d.deployment) return null;
  const who = [d.deployment.service, d.deployment.stage, d.deployment.wave].filter(Boolean).join('/');
  return logSafe(`${who || d.deployment.entry} commit ${d.deployment.commit || '-'} run ${d.deployment.run || '-'}`, 200);
}

/** Flattens one region's guardian answer into alias lines (rollbacks carry their outcome). */
export function aliasReports(result: GuardianResult): AliasReport[] {
  const executed = new Map(result.rollbacks.map((r) => [`${r.decision.function}:${r.decision.alias}`, r]));
  return result.decisions.map((d) => {
    const done = d.action === 'rollback' ? executed.get(`${d.function}:${d.alias}`) : undefined;
    const state: AliasReport['state'] = d.action === 'rollback' ? (done?.outcome ?? 'failed') : d.action;
    const reason = done?.error ? `${d.reason}; ${done.error}` : d.reason;
    return {
      region: d.region,
      function: d.function,
      alias: d.alias,
      deployment: deploymentOf(d),
      state,
      cause: d.cause,
      transition: logSafe(d.transition, 80),
      reason: logSafe(reason),
    };
  });
}

function stateOf(regions: readonly RegionSweep[], aliases: readonly AliasReport[]): SentinelReport['state'] {
  if (regions.some((r) => !r.ok) || aliases.some((a) => a.state === 'failed')) return 'failed';
  if (aliases.some((a) => a.state === 'report')) return 'reported';
  return aliases.some((a) => a.state === 'rolled-back') ? 'rolled-back' : 'clean';
}

/** Sweeps every region at once; a region that cannot be swept is reported and the others still are. */
export async function sweepRegions(options: SweepOptions): Promise<SentinelReport> {
  const now = options.now ?? Date.now;
  const settings = { stop: options.stop, eventBus: null, storePath: options.storePath, region: null };
  const answers = await Promise.all(
    options.regions.map(async (region) => {
      try {
        const result = await runGuardian(sweepEvent(region, `sentinel-${options.runId}-${region}`, new Date(now()).toISOString()), {
          settings,
          clients: options.clients,
          log: options.log ?? (() => undefined),
          now,
          ...(options.sleep ? { sleep: options.sleep } : {}),
        });
        const sweep: RegionSweep = { region, result: logSafe(result.result), ok: true, notes: result.notes.map((n) => logSafe(n)) };
        return { sweep, aliases: aliasReports(result) };
      } catch (error) {
        const e = error as { name?: string; message?: string };
        const sweep: RegionSweep = { region, result: logSafe(`not swept: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`), ok: false, notes: [] };
        return { sweep, aliases: [] as AliasReport[] };
      }
    }),
  );
  const regions = answers.map((a) => a.sweep);
  const aliases = answers.flatMap((a) => a.aliases);
  return { regions, aliases, state: stateOf(regions, aliases) };
}
