// The rollout state machine: the one place that decides how a Lambda alias moves.
//
// Pure: it is given what an alias looks like now (its version, routing weights and the
// deployment record decoded from its Description) and what the caller wants (shift traffic to
// a candidate, promote it, roll back), and it answers with the next alias configuration, a
// "nothing to do" (the alias already is where it should be, so a re-run writes nothing), or a
// refusal naming the rule that stops it. packages/aws carries the answer out in one UpdateAlias.
//
// Alias and record agree in exactly these shapes (S = record.stable, C = record.candidate):
//
//   state        FunctionVersion   AdditionalVersionWeights
//   shifting     S                 {C: w} with 0 < w < 1, or {} when w = 0
//   baking       S                 {C: w} with 0 < w < 1
//   promoted     C                 {}
//   rolled-back  S                 {}
//
// Any other combination means somebody changed the alias behind our back (infrastructure
// code, a console click): a shift or promote stops and reports both states.
//
// Transitions (the version serving all traffic is "serving"):
//
//   (no alias)      --shift C-->      promoted C (the first deployment creates the alias on C)
//   (no record)     adopted: serving = FunctionVersion, treated as rolled-back/promoted at rest
//   at rest         --shift C,w-->    baking/shifting {stable: serving, candidate: C, previous: old stable}
//   shifting/baking --shift C,w'-->   same candidate, new weight (w' = 1 promotes)
//   shifting/baking --shift D-->      refused: another candidate is in flight
//   shifting/baking --promote-->      promoted C
//   any             --rollback-->     rolled-back: FunctionVersion = target, no routing
//
// "At rest" is promoted (serving = C) or rolled-back (serving = S).
import { encodeRecord, roundWeight, sameWeight, type AliasRecord, type DecodedRecord, type DeploymentState } from './deployment.js';
import { logSafe } from './log-safe.js';

/** What an alias looks like now, as read from Lambda. */
export interface AliasState {
  /** The alias FunctionVersion. */
  readonly version: string;
  /** RoutingConfig.AdditionalVersionWeights (empty when the alias routes to one version). */
  readonly weights: Readonly<Record<string, number>>;
  /** The decoded Description. */
  readonly record: DecodedRecord;
}

/** Names of the rules a refusal can cite. */
export type RolloutRule =
  | 'numeric-version'
  | 'no-latest'
  | 'one-extra-version'
  | 'weight-range'
  | 'candidate-differs'
  | 'changed-behind-our-back'
  | 'corrupt-record'
  | 'another-candidate-in-flight'
  | 'nothing-to-promote'
  | 'nothing-to-roll-back'
  | 'same-execution-role'
  | 'same-dead-letter-config'
  | 'release-verifying';

export type Intent =
  | {
      readonly kind: 'shift';
      /** Published version being deployed. */
      readonly candidate: string;
      /** Share of traffic for the candidate, 0..1; 1 promotes. */
      readonly weight: number;
      /** Record state while the candidate holds part of the traffic (default baking). */
      readonly state?: Extract<DeploymentState, 'shifting' | 'baking'>;
      readonly commit: string;
      readonly run: string;
    }
  | { readonly kind: 'promote'; readonly candidate?: string; readonly commit: string; readonly run: string }
  | {
      readonly kind: 'rollback';
      /** `previous`: the recorded stable version; otherwise a published version number. */
      readonly to: 'previous' | string;
      readonly commit?: string;
      readonly run: string;
    };

/** The next alias configuration: what one UpdateAlias (or CreateAlias) sets. */
export interface AliasConfig {
  readonly functionVersion: string;
  readonly weights: Readonly<Record<string, number>>;
  readonly record: AliasRecord;
  /** encodeRecord(record): the alias Description. */
  readonly description: string;
}

export type Decision =
  | { readonly kind: 'write'; readonly create: boolean; readonly transition: string; readonly config: AliasConfig }
  | { readonly kind: 'noop'; readonly reason: string }
  | { readonly kind: 'refuse'; readonly rule: RolloutRule; readonly message: string };

export interface RolloutLogger {
  info(message: string): void;
}

export interface DecideOptions {
  /** Unix seconds stamped on the record. */
  readonly now: number;
  readonly logger?: RolloutLogger;
  /**
   * The deployment store still holds the entry of the deployment the record names: a `promoted`
   * record is then `verifying` (its last bake has not passed, its stable version is kept), not at
   * rest, and a shift of another candidate is refused (rule `release-verifying`).
   */
  readonly watched?: boolean;
}

const VERSION = /^\d+$/;

export class RoutingRuleError extends Error {
  constructor(
    readonly rule: RolloutRule,
    message: string,
  ) {
    super(message);
    this.name = 'RoutingRuleError';
  }
}

/** Routing in words: `version 3` or `version 3 +7 at 10%`. */
export function describeRouting(version: string, weights: Readonly<Record<string, number>>): string {
  const extra = Object.entries(weights)
    .map(([v, w]) => ` +${logSafe(v, 40)} at ${formatWeight(w)}`)
    .join(',');
  return `version ${version}${extra}`;
}

/**
 * A short human form of an alias: its routing, plus the record when there is one. Everything in it
 * came from Lambda (the alias, its Description), so every piece goes through logSafe: the result
 * can be logged as it is.
 */
export function describeAlias(state: AliasState | null): string {
  if (!state) return 'no alias';
  return logSafe(describeAliasRaw(state), 1000);
}

function describeAliasRaw(state: AliasState): string {
  const routing = describeRouting(logSafe(state.version, 40), state.weights);
  switch (state.record.kind) {
    case 'record': {
      const r = state.record.record;
      return `${routing}; record ${r.state} stable=${r.stable} candidate=${r.candidate ?? '-'} weight=${formatWeight(r.weight)} commit=${r.commit || '-'} run=${r.run || '-'}`;
    }
    case 'corrupt':
      return `${routing}; record unreadable (${logSafe(state.record.reason, 300)})`;
    default:
      return `${routing}; no record`;
  }
}

export function formatWeight(weight: number): string {
  return `${roundWeight(weight * 100)}%`;
}

/**
 * Routing rules Lambda enforces (and the emulator does not): checked before any call.
 * Returns null when the configuration is allowed, else the broken rule.
 */
export function checkRouting(functionVersion: string, weights: Readonly<Record<string, number>>): { rule: RolloutRule; message: string } | null {
  const versions = [functionVersion, ...Object.keys(weights)];
  if (versions.some((v) => v === '$LATEST')) {
    return { rule: 'no-latest', message: 'an alias with routing must point at published versions, never $LATEST' };
  }
  const bad = versions.find((v) => !VERSION.test(v));
  if (bad !== undefined) return { rule: 'numeric-version', message: `"${bad}" is not a published version number` };
  const extra = Object.entries(weights);
  if (extra.length > 1) {
    return { rule: 'one-extra-version', message: `an alias routes to at most one extra version, got ${extra.map(([v]) => v).join(', ')}` };
  }
  const [entry] = extra;
  if (entry) {
    const [version, weight] = entry;
    if (!(Number.isFinite(weight) && weight > 0 && weight < 1)) {
      return { rule: 'weight-range', message: `the extra version's weight must lie strictly between 0 and 1, got ${weight}` };
    }
    if (version === functionVersion) {
      return { rule: 'candidate-differs', message: `the candidate ${version} is the version the alias already serves` };
    }
  }
  return null;
}

/** What the alias routing should be for a record, by the table at the top of this file. */
export function expectedRouting(record: AliasRecord): { functionVersion: string; weights: Record<string, number> } {
  switch (record.state) {
    case 'promoted':
      return { functionVersion: record.candidate ?? record.stable, weights: {} };
    case 'rolled-back':
      return { functionVersion: record.stable, weights: {} };
    default:
      return {
        functionVersion: record.stable,
        weights: record.candidate && record.weight > 0 && record.weight < 1 ? { [record.candidate]: roundWeight(record.weight) } : {},
      };
  }
}

function sameWeights(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => b[k] !== undefined && sameWeight(b[k] as number, a[k] as number));
}

/** True when the alias routes exactly as the configuration says. */
export function routingMatches(state: Pick<AliasState, 'version' | 'weights'>, functionVersion: string, weights: Readonly<Record<string, number>>): boolean {
  return state.version === functionVersion && sameWeights(state.weights, weights);
}

/** Null when the alias routes as its record says; otherwise what disagrees. */
export function detectDrift(state: AliasState): string | null {
  if (state.record.kind !== 'record') return null;
  const expected = expectedRouting(state.record.record);
  if (routingMatches(state, expected.functionVersion, expected.weights)) return null;
  const want = describeRouting(expected.functionVersion, expected.weights);
  const have = describeRouting(state.version, state.weights);
  return `the record (${state.record.record.state}) says the alias should route ${want}, but it routes ${have}`;
}

/** The version serving all traffic when the alias is at rest, or null while a candidate is in flight. */
function atRest(state: AliasState): { serving: string; stable: string | null } | null {
  if (state.record.kind !== 'record') {
    return Object.keys(state.weights).length === 0 ? { serving: state.version, stable: null } : null;
  }
  const r = state.record.record;
  if (r.state === 'promoted') return { serving: r.candidate ?? r.stable, stable: r.stable };
  if (r.state === 'rolled-back') return { serving: r.stable, stable: r.stable };
  if (r.weight === 0 && r.state === 'shifting') return { serving: r.stable, stable: r.stable };
  return null;
}

function sameRecordMeaning(a: AliasRecord, b: AliasRecord): boolean {
  return a.stable === b.stable && a.candidate === b.candidate && a.state === b.state && sameWeight(a.weight, b.weight);
}

function refuse(rule: RolloutRule, message: string): Decision {
  return { kind: 'refuse', rule, message };
}

function write(
  options: DecideOptions,
  current: AliasState | null,
  transition: string,
  functionVersion: string,
  weights: Record<string, number>,
  record: AliasRecord,
): Decision {
  const routing = checkRouting(functionVersion, weights);
  if (routing) return refuse(routing.rule, routing.message);
  const config: AliasConfig = { functionVersion, weights, record, description: encodeRecord(record) };
  if (current && routingMatches(current, functionVersion, weights) && current.record.kind === 'record' && sameRecordMeaning(current.record.record, record)) {
    const reason = `already ${describeAlias(current)}; nothing to write`;
    options.logger?.info(`${transition}: ${reason}`);
    return { kind: 'noop', reason };
  }
  options.logger?.info(`${transition}: ${describeAlias(current)} -> ${describeAlias({ version: functionVersion, weights, record: { kind: 'record', record } })}`);
  return { kind: 'write', create: current === null, transition, config };
}

/** Decides the next alias configuration for an intent. `current` is null when the alias does not exist yet. */
export function decide(current: AliasState | null, intent: Intent, options: DecideOptions): Decision {
  const at = Math.floor(options.now);
  if (intent.kind === 'rollback') return decideRollback(current, intent, at, options);

  const candidate = intent.kind === 'shift' ? intent.candidate : intent.candidate;
  if (candidate !== undefined) {
    if (candidate === '$LATEST') return refuse('no-latest', 'the candidate must be a published version, never $LATEST');
    if (!VERSION.test(candidate)) return refuse('numeric-version', `candidate "${candidate}" is not a published version number`);
  }
  if (intent.kind === 'shift' && !(Number.isFinite(intent.weight) && intent.weight >= 0 && intent.weight <= 1)) {
    return refuse('weight-range', `traffic share must be between 0% and 100%, got ${intent.weight}`);
  }

  // First deployment: nothing serves through the alias yet, so it is created on the candidate.
  if (current === null) {
    if (intent.kind === 'promote' && candidate === undefined) return refuse('nothing-to-promote', 'the alias does not exist and no candidate was given');
    const version = candidate as string;
    const record: AliasRecord = { v: 1, stable: version, candidate: version, previous: null, weight: 1, state: 'promoted', commit: intent.commit, run: intent.run, at };
    return write(options, null, 'create alias (first deployment)', version, {}, record);
  }

  if (current.record.kind === 'corrupt') {
    return refuse('corrupt-record', `the alias description looks like a safe-deploy record but cannot be read (${current.record.reason}); roll back to an explicit version to rewrite it`);
  }
  const broken = checkRouting(current.version, current.weights);
  if (broken) {
    return refuse(broken.rule, `the alias routes ${describeRouting(current.version, current.weights)}, which cannot be deployed from: ${broken.message}; roll back to an explicit published version first`);
  }
  const drift = detectDrift(current);
  if (drift) return refuse('changed-behind-our-back', `the alias was changed outside safe-deploy: ${drift}`);

  const rest = atRest(current);
  const record = current.record.kind === 'record' ? current.record.record : null;

  if (intent.kind === 'promote') {
    const target = candidate ?? record?.candidate ?? undefined;
    if (rest && record?.state === 'promoted' && (candidate === undefined || candidate === record.candidate)) {
      return write(options, current, 'promote', rest.serving, {}, { ...record, commit: intent.commit, run: intent.run, at });
    }
    const inFlight = record !== null && (record.state === 'shifting' || record.state === 'baking') && record.candidate !== null;
    if (!inFlight || !record || !target) {
      return refuse('nothing-to-promote', `no candidate is in flight on the alias (${describeAlias(current)})`);
    }
    if (target !== record.candidate) {
      return refuse('another-candidate-in-flight', `asked to promote ${target}, but the candidate in flight is ${record.candidate}`);
    }
    return write(options, current, 'promote', target, {}, { ...record, weight: 1, state: 'promoted', commit: intent.commit, run: intent.run, at });
  }

  // shift
  if (record && rolloutPhase(record, options.watched === true) === 'verifying' && intent.candidate !== record.candidate) {
    return refuse(
      'release-verifying',
      `candidate ${record.candidate} of commit ${record.commit || '-'} is verifying (promoted, stable ${record.stable} kept until the wave's last bake passes); a wave takes a new release only at rest: let its last bake pass (bake-gate final) or roll it back before deploying ${intent.candidate}`,
    );
  }
  const weight = roundWeight(intent.weight);
  const base = rest
    ? { stable: rest.serving, previous: rest.serving === record?.stable ? (record?.previous ?? null) : (record?.stable ?? null) }
    : record
      ? { stable: record.stable, previous: record.previous }
      : null;
  if (!base) {
    return refuse('changed-behind-our-back', `the alias has routing but no safe-deploy record (${describeAlias(current)}); remove the routing or roll back to an explicit version first`);
  }
  if (!rest && record && intent.candidate === record.stable) {
    return refuse('candidate-differs', `the candidate ${intent.candidate} is the stable version of the alias (candidate ${record.candidate} is in flight)`);
  }
  if (!rest && record && record.candidate !== intent.candidate) {
    return refuse('another-candidate-in-flight', `candidate ${record.candidate} is in flight (${record.state} at ${formatWeight(record.weight)}); promote or roll it back before deploying ${intent.candidate}`);
  }
  if (rest && intent.candidate === rest.serving) {
    // Re-run after a promote, or deploying what already serves: nothing moves.
    const reason = `version ${intent.candidate} already serves all traffic (${describeAlias(current)}); nothing to write`;
    options.logger?.info(`shift: ${reason}`);
    return { kind: 'noop', reason };
  }
  if (intent.candidate === base.stable) {
    return refuse('candidate-differs', `the candidate ${intent.candidate} is the stable version of the alias`);
  }
  if (weight === 1) {
    const next: AliasRecord = { v: 1, stable: base.stable, candidate: intent.candidate, previous: base.previous, weight: 1, state: 'promoted', commit: intent.commit, run: intent.run, at };
    return write(options, current, `shift ${intent.candidate} to 100% (promote)`, intent.candidate, {}, next);
  }
  if (weight === 0) {
    if (rest) {
      const reason = `traffic 0%: the alias stays on ${rest.serving} (publish only)`;
      options.logger?.info(`shift: ${reason}`);
      return { kind: 'noop', reason };
    }
    const next: AliasRecord = { v: 1, stable: base.stable, candidate: intent.candidate, previous: base.previous, weight: 0, state: 'shifting', commit: intent.commit, run: intent.run, at };
    return write(options, current, `shift ${intent.candidate} to 0%`, base.stable, {}, next);
  }
  const next: AliasRecord = {
    v: 1,
    stable: base.stable,
    candidate: intent.candidate,
    previous: base.previous,
    weight,
    state: intent.state ?? 'baking',
    commit: intent.commit,
    run: intent.run,
    at,
  };
  return write(options, current, `shift ${intent.candidate} to ${formatWeight(weight)}`, base.stable, { [intent.candidate]: weight }, next);
}

function decideRollback(current: AliasState | null, intent: Extract<Intent, { kind: 'rollback' }>, at: number, options: DecideOptions): Decision {
  if (current === null) return refuse('nothing-to-roll-back', 'the alias does not exist');
  const explicit = intent.to !== 'previous';
  if (explicit) {
    if (intent.to === '$LATEST') return refuse('no-latest', 'a rollback target must be a published version, never $LATEST');
    if (!VERSION.test(intent.to)) return refuse('numeric-version', `rollback target "${intent.to}" is not a published version number`);
  }
  const record = current.record.kind === 'record' ? current.record.record : null;
  if (!explicit) {
    if (current.record.kind === 'corrupt') {
      return refuse('corrupt-record', `the alias record cannot be read (${current.record.reason}), so "previous" is unknown; roll back to an explicit version`);
    }
    const drift = detectDrift(current);
    if (drift) {
      return refuse('changed-behind-our-back', `the alias was changed outside safe-deploy, so its recorded stable version may be stale: ${drift}; roll back to an explicit version`);
    }
  }
  // Without a record the alias is adopted: its FunctionVersion is the stable one.
  const target = explicit ? intent.to : (record?.stable ?? current.version);
  // The version being refused: whatever else served traffic.
  const served = [current.version, ...Object.keys(current.weights)].filter((v) => v !== target && VERSION.test(v));
  const refused = served[served.length - 1] ?? (record?.candidate !== target ? (record?.candidate ?? null) : null);
  const previous = record && record.stable !== target ? record.stable : (record?.previous ?? null);
  if (routingMatches(current, target, {})) {
    const settled = current.record.kind === 'none' || (record !== null && (record.state === 'promoted' || record.state === 'rolled-back') && atRest(current)?.serving === target);
    if (settled) {
      const reason = `already on ${target} with no routing and no deployment in flight; nothing to write`;
      options.logger?.info(`rollback: ${reason}`);
      return { kind: 'noop', reason };
    }
  }
  const next: AliasRecord = {
    v: 1,
    stable: target,
    candidate: refused,
    previous,
    weight: 0,
    state: 'rolled-back',
    commit: intent.commit ?? record?.commit ?? '',
    run: intent.run,
    at,
  };
  return write(options, current, `rollback to ${target}`, target, {}, next);
}

/** One version's settings that both versions of a weighted alias must share. */
export interface VersionSettings {
  readonly version: string;
  readonly role: string | undefined;
  readonly deadLetterTarget: string | undefined;
}

/**
 * Checks Lambda's rules for a weighted alias that depend on the versions themselves: the same
 * execution role and the same dead-letter config. (Provisioned concurrency is no such rule: see
 * `provisionedConcurrencyWarning`.)
 */
export function checkVersionsCompatible(stable: VersionSettings, candidate: VersionSettings): { rule: RolloutRule; message: string } | null {
  if ((stable.role ?? '') !== (candidate.role ?? '')) {
    return {
      rule: 'same-execution-role',
      message: `versions ${stable.version} and ${candidate.version} have different execution roles (${stable.role ?? 'none'} vs ${candidate.role ?? 'none'}); Lambda cannot split traffic between them`,
    };
  }
  if ((stable.deadLetterTarget ?? '') !== (candidate.deadLetterTarget ?? '')) {
    return {
      rule: 'same-dead-letter-config',
      message: `versions ${stable.version} and ${candidate.version} have different dead-letter targets (${stable.deadLetterTarget ?? 'none'} vs ${candidate.deadLetterTarget ?? 'none'}); Lambda cannot split traffic between them`,
    };
  }
  return null;
}

/**
 * Provisioned concurrency on an alias that is about to route a share to a candidate. AWS allows it
 * ("You can add a routing configuration to an alias that has provisioned concurrency"); what it
 * refuses is changing the alias's provisioned concurrency while the routing is in place. So the
 * shift goes ahead, and the warning says what to watch: the candidate's share may run on
 * on-demand environments (cold starts, `ProvisionedConcurrencySpilloverInvocations`), and the
 * provisioned-concurrency setting must not be changed until the alias is promoted or rolled back.
 * Null when there is nothing to say.
 */
export function provisionedConcurrencyWarning(provisioned: number, weight: number): string | null {
  if (!(provisioned > 0) || !(weight > 0 && weight < 1)) return null;
  return (
    `the alias has ${provisioned} provisioned concurrency; Lambda allows routing ${formatWeight(weight)} to the candidate on it, ` +
    `but requests beyond what is provisioned for each version spill over to on-demand environments (cold starts; watch ProvisionedConcurrencySpilloverInvocations), ` +
    `and the alias's provisioned concurrency cannot be changed until it is promoted or rolled back (no routing)`
  );
}

/**
 * Where a deployment stands on one alias over its whole life, the bake after 100% included. The
 * alias record alone cannot say whether a `promoted` alias is still being verified: that is the
 * deployment store entry (guardian-entry.ts), present from wave-deploy's first shift until the wave's
 * last bake passes. `watched` says whether the entry of the record's deployment is there.
 *
 *   phase        record state           entry    guardian
 *   shifting     shifting               any      watches (with an entry)
 *   baking       baking                 any      watches (with an entry)
 *   verifying    promoted               present  watches: the bake after 100%, stable kept to return to
 *   at-rest      promoted               gone     leaves it: the last bake passed
 *   rolled-back  rolled-back            any      leaves it
 *   adopted      no record              -        leaves it
 *
 * Transitions to rest: verifying --last bake passes (lease ended)--> at-rest; any --rollback--> rolled-back.
 */
export type RolloutPhase = 'shifting' | 'baking' | 'verifying' | 'at-rest' | 'rolled-back' | 'adopted';

export function rolloutPhase(record: AliasRecord | null, watched: boolean): RolloutPhase {
  if (!record) return 'adopted';
  if (record.state === 'promoted') return watched && record.candidate !== null && record.candidate !== record.stable ? 'verifying' : 'at-rest';
  return record.state;
}

/** One phase in words, with what it keeps: `verifying (promoted 2, stable 1 kept)`, `baking (2 at 10%, stable 1)`. */
export function describePhase(record: AliasRecord | null, watched: boolean): string {
  const phase = rolloutPhase(record, watched);
  if (!record) return 'adopted (no safe-deploy record)';
  switch (phase) {
    case 'verifying':
      return `verifying (promoted ${record.candidate}, stable ${record.stable} kept)`;
    case 'baking':
    case 'shifting':
      return `${phase} (${record.candidate} at ${formatWeight(record.weight)}, stable ${record.stable})`;
    case 'rolled-back':
      return `rolled-back (on ${record.stable})`;
    default:
      return `at-rest (on ${record.candidate ?? record.stable})`;
  }
}

/** The logged transition of one alias between two records (each with whether its deployment is watched). */
export function phaseTransition(before: AliasRecord | null, beforeWatched: boolean, after: AliasRecord | null, afterWatched: boolean, why = ''): string {
  return `${describePhase(before, beforeWatched)} -> ${describePhase(after, afterWatched)}${why ? ` (${why})` : ''}`;
}

/**
 * What a passing last bake of a wave does to its store entry, by the phase the alias is in:
 *   verifying (promoted)      end: the entry is deleted, the alias is at rest;
 *   baking/shifting (a share) park: the entry stays, its lease cleared, so the guardian keeps
 *                             watching the share on its alarms until the next wave's deploy takes
 *                             the entry over (or a rollback removes it);
 *   anything else             end (nothing is in flight to watch).
 */
export type LastBakeAction = 'end' | 'park';

export function lastBakeAction(record: AliasRecord | null): LastBakeAction {
  const phase = rolloutPhase(record, true);
  return phase === 'baking' || phase === 'shifting' ? 'park' : 'end';
}

/** The logged transition when the wave's last bake passes (the record is not rewritten; the entry's deletion or parking is the transition). */
export function lastBakeTransition(record: AliasRecord | null): string {
  if (!record) return 'adopted -> adopted (no safe-deploy record)';
  if (lastBakeAction(record) === 'park') {
    return `${describePhase(record, true)} -> ${rolloutPhase(record, true)}, parked (last bake of the wave passed; the guardian keeps watching its alarms with no lease until the next wave's deploy takes the entry over or a rollback removes it)`;
  }
  const phase = rolloutPhase(record, true);
  if (phase === 'verifying') return `${describePhase(record, true)} -> at-rest (last bake passed, lease ended)`;
  return `${phase} -> ${phase}`;
}

/**
 * The named steps of one wave (packages/deploy/src/wave.ts), in order:
 *   preflight  reads only: functions, versions, aliases (decided here), triggers, store, alarms
 *   publish    the candidate in every region (reused on a re-run of the same commit)
 *   lease      the deployment store entry (regions, functions, alarms, lease) before the first shift
 *   shift      one step below 100% on every alias (repeated for each such step)
 *   promote    the step to 100%
 *   read-back  every alias as last read, compared with the wave's share
 *   done       the wave holds its share
 *   stopped    refused, failed, stopped by an alarm or a signal (read back for the report)
 * A step may also end the wave early: publish-only waves (traffic 0%) go publish -> done.
 */
export type WaveStep = 'preflight' | 'publish' | 'lease' | 'shift' | 'promote' | 'read-back' | 'done' | 'stopped';

const WAVE_NEXT: Readonly<Record<WaveStep, readonly WaveStep[]>> = {
  preflight: ['publish', 'stopped'],
  publish: ['lease', 'done', 'stopped'],
  lease: ['shift', 'promote', 'stopped'],
  shift: ['shift', 'promote', 'read-back', 'stopped'],
  promote: ['read-back', 'stopped'],
  'read-back': ['done', 'stopped'],
  done: [],
  stopped: [],
};

/** The logged line of a wave moving from one step to the next; throws on a move the table does not allow (a bug, never input). */
export function waveStepTransition(from: WaveStep, to: WaveStep, detail = ''): string {
  if (!WAVE_NEXT[from].includes(to)) throw new Error(`wave step ${from} cannot be followed by ${to}`);
  return `wave step: ${from} -> ${to}${detail ? ` (${detail})` : ''}`;
}

/**
 * Whether a manual rollback may put an alias on an explicit `version` without a confirmation: the
 * alias record names it as its stable or previous version, or as the candidate it promoted. Any
 * other version either was refused (the record's rolled-back candidate) or never held all the
 * traffic through safe-deploy; moving 100% to it skips every bake and alarm gate, so it is named as
 * such and needs the caller to repeat the number. Returns null when the version is vetted.
 */
export function unvettedVersion(record: AliasRecord | null, serving: string, version: string): string | null {
  if (record === null) {
    if (version === serving) return null;
    return `version ${version} was never promoted here: the alias has no safe-deploy record and serves ${serving}`;
  }
  if (version === record.stable || version === record.previous) return null;
  if (record.state === 'promoted' && version === record.candidate) return null;
  if (record.state === 'rolled-back' && version === record.candidate) {
    return `version ${version} was refused: the record shows it rolled back (stable ${record.stable})`;
  }
  return `version ${version} was never promoted here: the record names stable ${record.stable}${record.previous ? `, previous ${record.previous}` : ''}${record.candidate ? ` and candidate ${record.candidate} (${record.state})` : ''}`;
}
