// The pipeline as a control loop: what is the next step for this service?
//
// A release is not one workflow run. Where each release stands lives in AWS: the alias records
// (version, routing, state, commit) and the guardian's store entry, one per region while a wave of
// the service is in flight there (its wave, commit, run and lease). Any run reads that state (the
// reader in packages/aws/src/release-state.ts) and this function says what to do next. Rules:
//
// - A wave is in flight while its regions hold the store entry (written by wave-deploy before the
//   first shift, ended by the wave's last bake). Its bake is due once duration + settle time have
//   passed since the last alias write; then a short job verifies the whole window from history
//   (bake-gate `mode: verify`, `final: true`), which ends the lease. Until then nothing runs: the
//   guardian watches the bake, no runner does.
// - A wave takes a new release only when it is at rest: no store entry in its regions and every
//   alias promoted, rolled back or never deployed (a one-box still holding an earlier release at its
//   share waits for that release to move on). The release it takes is the one that passed the wave
//   before (every alias on that commit, at least that wave's share, no store entry), or for the
//   first wave the `candidate` that passed the stage before. Newer releases coalesce by themselves:
//   the wave before holds only the newest that passed it.
// - A release rolled back in a wave is never offered to that wave again.
// - Deploy windows hold a due wave (nothing shifts, nothing rolls back) until they open; verifying a
//   bake is not moving traffic and is never held.
// - A wave whose store entry or records do not cover all its aliases (a runner lost mid-shift) is
//   resumed by deploying the same release again: wave-deploy converges without rewriting what is done.
import type { AliasRecord, Deployment } from './deployment.js';
import { rolloutPhase } from './rollout.js';

/** One wave of the loop, in pipeline order. */
export interface LoopWave {
  readonly id: string;
  readonly stage: string;
  readonly regions: readonly string[];
  /** Share of each region's traffic on the candidate after the wave, 0 < traffic <= 1. */
  readonly traffic: number;
  /** The wave's bake duration. */
  readonly bakeMs: number;
}

/** One alias as read from Lambda. */
export interface AliasSnapshot {
  readonly function: string;
  readonly version: string;
  readonly weights: Readonly<Record<string, number>>;
  readonly revision: string | null;
  /** The raw alias description (the record the deployment JSON carries). */
  readonly description: string;
  /** The decoded record; null when the alias has none (adopted). */
  readonly record: AliasRecord | null;
  /** Why the record cannot be read, when it looks like ours but does not parse. */
  readonly corrupt: string | null;
}

/** The guardian's store entry of the service in one region: present while a wave is in flight there. */
export interface EntrySnapshot {
  readonly wave: string | null;
  readonly commit: string;
  readonly run: string;
  /** Unix seconds of the lease end; null for none. */
  readonly lease: number | null;
  /** Unix seconds of the entry's last write (a parked one-box: when its last bake passed); absent when unknown. */
  readonly at?: number;
}

export interface RegionSnapshot {
  readonly region: string;
  readonly aliases: readonly AliasSnapshot[];
  readonly entry: EntrySnapshot | null;
}

export interface LoopState {
  readonly service: string;
  readonly alias: string;
  readonly waves: readonly LoopWave[];
  /** Every region any wave names. */
  readonly regions: Readonly<Record<string, RegionSnapshot>>;
  /** The release that passed the stage before the first wave (its commit), null when none is known. */
  readonly candidate: string | null;
  readonly nowMs: number;
  /** Added to a bake's duration before it is verified: longest function timeout + metrics delay. */
  readonly settleMs: number;
  /** Whether traffic may move now (deploy windows and freezes). */
  readonly window: { readonly open: boolean; readonly reason: string; readonly nextOpenMs: number | null };
}

export type NextStep =
  | { readonly kind: 'deploy'; readonly wave: string; readonly stage: string; readonly commit: string; readonly reason: string }
  | { readonly kind: 'verify'; readonly wave: string; readonly stage: string; readonly commit: string; readonly deployment: Deployment; readonly reason: string }
  | { readonly kind: 'wait'; readonly wave: string; readonly stage: string; readonly commit: string; readonly untilMs: number; readonly reason: string }
  | { readonly kind: 'hold'; readonly wave: string; readonly stage: string; readonly commit: string; readonly untilMs: number | null; readonly reason: string }
  | { readonly kind: 'blocked'; readonly wave: string; readonly stage: string; readonly commit: string | null; readonly reason: string };

export interface NextSteps {
  /** What to do now, wave by wave in pipeline order; empty when every wave is at rest with nothing new. */
  readonly steps: readonly NextStep[];
  /** The earliest time a later run has something to do (a bake falls due, a window opens); null: nothing pending. */
  readonly nextRunMs: number | null;
}

const short = (commit: string) => commit.slice(0, 12);
const EPSILON = 0.000005;

function aliasesOf(state: LoopState, wave: LoopWave): { region: string; alias: AliasSnapshot }[] {
  return wave.regions.flatMap((region) => (state.regions[region]?.aliases ?? []).map((alias) => ({ region, alias })));
}

function entriesOf(state: LoopState, wave: LoopWave): (EntrySnapshot | null)[] {
  return wave.regions.map((region) => state.regions[region]?.entry ?? null);
}

/** When the last alias write of the wave happened (its shift), ms. */
function shiftedAt(state: LoopState, wave: LoopWave): number {
  return Math.max(...aliasesOf(state, wave).map(({ alias }) => (alias.record?.at ?? 0) * 1000));
}

/**
 * A one-box whose last bake passed keeps its store entry, parked: no lease, rewritten when the bake
 * passed (so after the shift plus the bake), until the next wave's deploy takes it over. A wave
 * deployed with no lease at all has an entry written at the shift, which is not a pass.
 */
function parkedPass(state: LoopState, wave: LoopWave, entry: EntrySnapshot | null): boolean {
  if (!entry || wave.traffic >= 1 - EPSILON || entry.wave !== wave.id || entry.lease !== null || entry.at === undefined) return false;
  return entry.at * 1000 >= shiftedAt(state, wave) + wave.bakeMs;
}

/** Every alias of the wave carries `commit` at the wave's share or more, and no store entry is left (or a parked pass): the wave's last bake passed. */
function passed(state: LoopState, wave: LoopWave, commit: string): boolean {
  const aliases = aliasesOf(state, wave);
  if (aliases.length === 0 || entriesOf(state, wave).some((e) => e !== null && !(parkedPass(state, wave, e) && e.commit === short(commit)))) return false;
  return aliases.every(({ alias: { record } }) =>
    record !== null && record.commit === short(commit) && (record.state === 'baking' || record.state === 'promoted') && record.weight >= wave.traffic - EPSILON,
  );
}

/** The commit every alias of the wave has passed with, if there is one. */
function passedCommit(state: LoopState, wave: LoopWave): string | null {
  const first = aliasesOf(state, wave)[0]?.alias.record?.commit;
  return first && passed(state, wave, first) ? first : null;
}

/**
 * The release that has passed the whole stage (its last wave's bake passed: every alias on that
 * commit, no store entry), which the next stage's loop takes as its `candidate`; null when none.
 */
export function passedStage(state: LoopState): string | null {
  const last = state.waves.at(-1);
  return last ? passedCommit(state, last) : null;
}

/**
 * No store entry, and every alias promoted (last bake passed), rolled back, or never deployed by
 * safe-deploy; an alias already holding `incoming` at a smaller share (the one-box of the same
 * region) counts as at rest for it.
 */
function atRest(state: LoopState, wave: LoopWave, incoming: string, takeover: (e: EntrySnapshot | null) => boolean = () => false): boolean {
  if (entriesOf(state, wave).some((e) => e !== null && !takeover(e))) return false;
  return aliasesOf(state, wave).every(({ alias }) => {
    if (alias.record === null) return Object.keys(alias.weights).length === 0;
    if (alias.record.commit === short(incoming) && alias.record.state !== 'rolled-back') return true;
    const phase = rolloutPhase(alias.record, false);
    return phase === 'at-rest' || phase === 'rolled-back';
  });
}

function refusedIn(state: LoopState, wave: LoopWave, commit: string): boolean {
  return aliasesOf(state, wave).some(({ alias: { record } }) => record?.state === 'rolled-back' && record.commit === short(commit));
}

/** The `deployment` JSON of an in-flight wave, as wave-deploy reported it, rebuilt from the aliases (for bake-gate verify). */
export function deploymentOf(state: LoopState, wave: LoopWave, entry: EntrySnapshot, shiftedAtMs: number): Deployment {
  return {
    format: 1,
    service: state.service,
    stage: wave.stage,
    wave: wave.id,
    alias: state.alias,
    commit: entry.commit,
    run: entry.run,
    traffic: wave.traffic,
    shiftedAt: new Date(shiftedAtMs).toISOString(),
    leaseSeconds: entry.lease === null ? null : Math.max(0, entry.lease - Math.floor(shiftedAtMs / 1000)),
    targets: aliasesOf(state, wave).map(({ region, alias }) => ({
      region,
      function: alias.function,
      alias: state.alias,
      stable: alias.record?.stable ?? alias.version,
      candidate: alias.record?.candidate ?? alias.version,
      weight: alias.record?.weight ?? 1,
      revision: alias.revision,
      record: alias.description,
    })),
  };
}

export function nextSteps(state: LoopState): NextSteps {
  const steps: NextStep[] = [];
  const later: number[] = [];
  const busy = new Set<string>();

  // 1. Waves in flight: resume a partial shift, wait for the bake, or verify it once it is due.
  for (const wave of state.waves) {
    const entries = entriesOf(state, wave);
    const mine = entries.filter((e): e is EntrySnapshot => e !== null && e.wave === wave.id);
    if (mine.length === 0) continue;
    // Its last bake passed: the wave after it takes the entry over with the release.
    if (mine.length === entries.length && mine.every((e) => parkedPass(state, wave, e))) continue;
    busy.add(wave.id);
    const commit = mine[0]!.commit;
    const base = { wave: wave.id, stage: wave.stage, commit };
    const corrupt = aliasesOf(state, wave).find(({ alias }) => alias.corrupt !== null);
    if (corrupt) {
      steps.push({ kind: 'blocked', ...base, reason: `${corrupt.region} ${corrupt.alias.function}: the alias record cannot be read (${corrupt.alias.corrupt}); fix or roll back by hand` });
      continue;
    }
    if (mine.some((e) => e.commit !== commit)) {
      steps.push({ kind: 'blocked', ...base, reason: `the regions of ${wave.id} hold store entries of different commits (${[...new Set(mine.map((e) => e.commit))].join(', ')})` });
      continue;
    }
    const covered = entries.every((e) => e !== null && e.wave === wave.id) && aliasesOf(state, wave).every(({ alias }) => alias.record?.commit === short(commit) && alias.record.weight >= wave.traffic - EPSILON && alias.record.state !== 'rolled-back');
    if (!covered) {
      if (state.window.open) steps.push({ kind: 'deploy', ...base, reason: `${wave.id} was left part-shifted for ${commit} (a lost runner?): deploy it again, which converges` });
      else {
        steps.push({ kind: 'hold', ...base, untilMs: state.window.nextOpenMs, reason: `${wave.id} is part-shifted for ${commit} and waits for the deploy window (${state.window.reason}); the guardian's lease rolls it back if it runs out` });
        if (state.window.nextOpenMs !== null) later.push(state.window.nextOpenMs);
      }
      continue;
    }
    const shiftedAtMs = shiftedAt(state, wave);
    const dueMs = shiftedAtMs + wave.bakeMs + state.settleMs;
    if (state.nowMs < dueMs) {
      steps.push({ kind: 'wait', ...base, untilMs: dueMs, reason: `${wave.id} bakes ${commit} until ${new Date(dueMs).toISOString()}; the guardian watches it meanwhile` });
      later.push(dueMs);
    } else {
      steps.push({ kind: 'verify', ...base, deployment: deploymentOf(state, wave, mine[0]!, shiftedAtMs), reason: `${wave.id}'s bake of ${commit} is over: verify the whole window from alarm history, then end its lease` });
    }
  }

  // A store entry no wave of the loop claims (no wave id, or one the plan no longer has) holds its
  // regions: nothing moves there until a person looks (the guardian still watches it).
  const known = new Set(state.waves.map((w) => w.id));
  for (const wave of state.waves) {
    const stray = wave.regions.map((region) => ({ region, entry: state.regions[region]?.entry ?? null })).find(({ entry }) => entry !== null && (entry.wave === null || !known.has(entry.wave)));
    if (stray && !busy.has(wave.id)) {
      busy.add(wave.id);
      steps.push({ kind: 'blocked', wave: wave.id, stage: wave.stage, commit: stray.entry!.commit, reason: `${stray.region} holds a store entry of ${stray.entry!.wave ?? 'no wave'} (commit ${stray.entry!.commit}), which is not a wave of this plan; let its bake end or roll it back by hand` });
    }
  }

  // 2. Waves at rest take the release that passed the wave before, in pipeline order.
  for (const [i, wave] of state.waves.entries()) {
    if (busy.has(wave.id)) continue;
    const incoming = i === 0 ? state.candidate : passedCommit(state, state.waves[i - 1]!);
    // A region in flight for another wave (the one-box and the first region share their aliases),
    // except the parked entry of the wave before, which this wave's deploy takes over.
    const previous = state.waves[i - 1];
    const takeover = (e: EntrySnapshot | null) => e !== null && incoming !== null && previous !== undefined && e.commit === short(incoming) && parkedPass(state, previous, e);
    if (entriesOf(state, wave).some((e) => e !== null && !takeover(e))) continue;
    if (!incoming || passed(state, wave, incoming) || refusedIn(state, wave, incoming)) continue;
    if (!atRest(state, wave, incoming, takeover)) continue;
    const base = { wave: wave.id, stage: wave.stage, commit: short(incoming) };
    if (aliasesOf(state, wave).some(({ alias }) => alias.corrupt !== null)) {
      steps.push({ kind: 'blocked', ...base, reason: `an alias record of ${wave.id} cannot be read; fix or roll back by hand` });
      continue;
    }
    const from = i === 0 ? 'the stage before' : state.waves[i - 1]!.id;
    if (state.window.open) {
      steps.push({ kind: 'deploy', ...base, reason: `${wave.id} is at rest and ${short(incoming)} passed ${from}` });
    } else {
      steps.push({ kind: 'hold', ...base, untilMs: state.window.nextOpenMs, reason: `${wave.id} is due for ${short(incoming)} but waits: ${state.window.reason}` });
      if (state.window.nextOpenMs !== null) later.push(state.window.nextOpenMs);
    }
  }

  const order = new Map(state.waves.map((w, i) => [w.id, i]));
  steps.sort((a, b) => (order.get(a.wave) ?? 0) - (order.get(b.wave) ?? 0));
  return { steps, nextRunMs: later.length > 0 ? Math.min(...later) : null };
}
