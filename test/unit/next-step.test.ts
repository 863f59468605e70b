// The control loop's decision, table by table: which wave does what next, from the alias records and
// the guardian's store entries alone.
import { describe, it, expect } from '@jest/globals';
import type { AliasRecord } from '../../packages/core/src/deployment.js';
import { nextSteps, passedStage, type AliasSnapshot, type EntrySnapshot, type LoopState, type LoopWave, type RegionSnapshot } from '../../packages/core/src/next-step.js';

const H = 3_600_000;
const T0 = Date.parse('2026-12-01T17:00:00Z');
const A = 'aaaaaaaaaaaa';
const B = 'bbbbbbbbbbbb';
const C = 'cccccccccccc';

const WAVES: LoopWave[] = [
  { id: 'prod-onebox', stage: 'prod', regions: ['us-west-1'], traffic: 0.05, bakeMs: 1 * H },
  { id: 'prod-1', stage: 'prod', regions: ['us-west-1'], traffic: 1, bakeMs: 12 * H },
  { id: 'prod-2', stage: 'prod', regions: ['us-east-2'], traffic: 1, bakeMs: 3 * H },
  { id: 'prod-3', stage: 'prod', regions: ['eu-west-1', 'ap-southeast-2'], traffic: 1, bakeMs: 3 * H },
];
const REGIONS = ['us-west-1', 'us-east-2', 'eu-west-1', 'ap-southeast-2'];

type Alias = { commit: string; state: AliasRecord['state']; weight: number; atMs?: number; stable?: string; candidate?: string };
const alias = (a: Alias | null, fn = 'orders-api'): AliasSnapshot => {
  if (a === null) return { function: fn, version: '1', weights: {}, revision: 'r', description: '', record: null, corrupt: null };
  const record: AliasRecord = { v: 1, stable: a.stable ?? '1', candidate: a.candidate ?? '2', previous: null, weight: a.weight, state: a.state, commit: a.commit, run: '9', at: Math.floor((a.atMs ?? T0) / 1000) };
  const version = a.state === 'promoted' ? record.candidate! : record.stable;
  const weights = a.state === 'baking' || a.state === 'shifting' ? { [record.candidate!]: a.weight } : {};
  return { function: fn, version, weights, revision: 'r', description: JSON.stringify({ sd: 1 }), record, corrupt: null };
};
const entry = (wave: string, commit: string): EntrySnapshot => ({ wave, commit, run: '9', lease: Math.floor(T0 / 1000) + 1800 });
/** A one-box entry as its last bake's pass leaves it: no lease, rewritten after the bake (`atMs`). */
const parked = (wave: string, commit: string, atMs: number): EntrySnapshot => ({ wave, commit, run: '9', lease: null, at: Math.floor(atMs / 1000) });

/** A state where every region is on release `base` at rest, with `changes` per region on top. */
function stateOf(changes: Record<string, { alias?: Alias | null; entry?: EntrySnapshot }>, extra: Partial<LoopState> = {}): LoopState {
  const regions: Record<string, RegionSnapshot> = {};
  for (const region of REGIONS) {
    const change = changes[region] ?? {};
    const a = change.alias === undefined ? { commit: A, state: 'promoted' as const, weight: 1 } : change.alias;
    regions[region] = { region, aliases: [alias(a)], entry: change.entry ?? null };
  }
  return { service: 'orders', alias: 'live', waves: WAVES, regions, candidate: null, nowMs: T0, settleMs: 5 * 60_000, window: { open: true, reason: 'inside the window', nextOpenMs: T0 }, ...extra };
}
const summary = (s: LoopState) => nextSteps(s).steps.map((x) => `${x.kind} ${x.wave} ${x.commit ?? '-'}`);

describe('nextSteps', () => {
  it.each<[string, LoopState, string[]]>([
    ['everything at rest, nothing new: no step', stateOf({}), []],
    ['a release that passed the stage before goes to the one-box', stateOf({}, { candidate: B }), [`deploy prod-onebox ${B}`]],
    ['the one-box bakes: wait, no runner', stateOf({ 'us-west-1': { alias: { commit: B, state: 'baking', weight: 0.05 }, entry: entry('prod-onebox', B) } }, { candidate: B, nowMs: T0 + 30 * 60_000 }), [`wait prod-onebox ${B}`]],
    ['the one-box bake is over (1 h + settle): verify it', stateOf({ 'us-west-1': { alias: { commit: B, state: 'baking', weight: 0.05 }, entry: entry('prod-onebox', B) } }, { candidate: B, nowMs: T0 + H + 5 * 60_000 }), [`verify prod-onebox ${B}`]],
    ['the one-box passed (lease ended): the first region takes it', stateOf({ 'us-west-1': { alias: { commit: B, state: 'baking', weight: 0.05 } } }, { candidate: B }), [`deploy prod-1 ${B}`]],
    ['the one-box passed (entry parked, no lease): the first region takes it over, no second verify', stateOf({ 'us-west-1': { alias: { commit: B, state: 'baking', weight: 0.05 }, entry: parked('prod-onebox', B, T0 + H + 6 * 60_000) } }, { candidate: C, nowMs: T0 + H + 7 * 60_000 }), [`deploy prod-1 ${B}`]],
    ['a one-box entry with no lease written at its shift has not passed: verify it once due', stateOf({ 'us-west-1': { alias: { commit: B, state: 'baking', weight: 0.05 }, entry: parked('prod-onebox', B, T0) } }, { candidate: B, nowMs: T0 + H + 6 * 60_000 }), [`verify prod-onebox ${B}`]],
    ['a newer release waits while the one-box still holds the last one at its share', stateOf({ 'us-west-1': { alias: { commit: B, state: 'baking', weight: 0.05 } } }, { candidate: C }), [`deploy prod-1 ${B}`]],
    ['the first region bakes 12 h: nothing to do before it is due', stateOf({ 'us-west-1': { alias: { commit: B, state: 'promoted', weight: 1 }, entry: entry('prod-1', B) } }, { candidate: C, nowMs: T0 + 11 * H }), [`wait prod-1 ${B}`]],
    ['prod-1 passed: prod-2 takes B and the one-box takes C (two releases in production at once)', stateOf({ 'us-west-1': { alias: { commit: B, state: 'promoted', weight: 1 } } }, { candidate: C }), [`deploy prod-onebox ${C}`, `deploy prod-2 ${B}`]],
    ['a release rolled back in the one-box is never offered again', stateOf({ 'us-west-1': { alias: { commit: C, state: 'rolled-back', weight: 0 } } }, { candidate: C }), []],
    ['waves in order: prod-3 waits until prod-2 has passed B', stateOf({ 'us-west-1': { alias: { commit: B, state: 'promoted', weight: 1 } }, 'us-east-2': { alias: { commit: B, state: 'promoted', weight: 1 }, entry: entry('prod-2', B) } }, { nowMs: T0 + H }), [`wait prod-2 ${B}`]],
    ['a wave left part-shifted by a lost runner is deployed again', stateOf({ 'eu-west-1': { alias: { commit: B, state: 'promoted', weight: 1 }, entry: entry('prod-3', B) }, 'us-west-1': { alias: { commit: B, state: 'promoted', weight: 1 } }, 'us-east-2': { alias: { commit: B, state: 'promoted', weight: 1 } } }), [`deploy prod-3 ${B}`]],
  ])('%s', (_what, state, expected) => {
    expect(summary(state)).toEqual(expected);
  });

  it('a closed window holds a due wave (nothing shifts, nothing rolls back) and says when the next run is due', () => {
    const opens = T0 + 15 * H;
    const state = stateOf({ 'us-west-1': { alias: { commit: B, state: 'promoted', weight: 1 } } }, { window: { open: false, reason: 'Thu 17:00 is outside Mon-Thu 09:00-16:00', nextOpenMs: opens } });
    const result = nextSteps(state);
    expect(result.steps).toEqual([expect.objectContaining({ kind: 'hold', wave: 'prod-2', commit: B, untilMs: opens })]);
    expect(result.steps[0]!.reason).toContain('outside Mon-Thu');
    expect(result.nextRunMs).toBe(opens);
  });

  it('a closed window never holds a verify: reading the bake moves no traffic', () => {
    const state = stateOf({ 'us-east-2': { alias: { commit: B, state: 'promoted', weight: 1 }, entry: entry('prod-2', B) }, 'us-west-1': { alias: { commit: B, state: 'promoted', weight: 1 } } }, { nowMs: T0 + 4 * H, window: { open: false, reason: 'closed', nextOpenMs: null } });
    expect(summary(state)).toEqual([`verify prod-2 ${B}`]);
  });

  it('a verify step carries the deployment bake-gate verifies, its window starting at the last alias write', () => {
    const shifted = T0 - 20 * 60_000;
    const state = stateOf({ 'us-west-1': { alias: { commit: B, state: 'baking', weight: 0.05, atMs: shifted, stable: '4', candidate: '5' }, entry: entry('prod-onebox', B) } }, { nowMs: T0 + H });
    const [step] = nextSteps(state).steps;
    expect(step?.kind).toBe('verify');
    if (step?.kind !== 'verify') return;
    expect(step.deployment).toMatchObject({ format: 1, service: 'orders', stage: 'prod', wave: 'prod-onebox', alias: 'live', commit: B, traffic: 0.05, shiftedAt: new Date(shifted).toISOString() });
    expect(step.deployment.targets).toEqual([expect.objectContaining({ region: 'us-west-1', function: 'orders-api', stable: '4', candidate: '5', weight: 0.05 })]);
  });

  it('the next run is due when the earliest bake falls due', () => {
    const state = stateOf({ 'us-west-1': { alias: { commit: B, state: 'promoted', weight: 1 }, entry: entry('prod-1', B) } }, { nowMs: T0 + H });
    expect(nextSteps(state).nextRunMs).toBe(T0 + 12 * H + 5 * 60_000);
  });

  it('an unreadable record blocks its wave and names the alias', () => {
    const base = stateOf({ 'us-east-2': { entry: entry('prod-2', B) } });
    const region = base.regions['us-east-2']!;
    const state: LoopState = { ...base, regions: { ...base.regions, 'us-east-2': { ...region, aliases: [{ ...region.aliases[0]!, corrupt: 'w: too big' }] } } };
    const [step] = nextSteps(state).steps;
    expect(step).toMatchObject({ kind: 'blocked', wave: 'prod-2' });
    expect(step!.reason).toContain('us-east-2 orders-api: the alias record cannot be read (w: too big)');
  });

  it('passedStage names the release every alias of the last wave holds with its bake done, else none', () => {
    const all = (a: Alias | null, e?: EntrySnapshot) => Object.fromEntries(REGIONS.map((r) => [r, { alias: a, ...(e ? { entry: e } : {}) }]));
    expect(passedStage(stateOf(all({ commit: B, state: 'promoted', weight: 1 })))).toBe(B);
    expect(passedStage(stateOf({ ...all({ commit: B, state: 'promoted', weight: 1 }), 'ap-southeast-2': { alias: { commit: B, state: 'promoted', weight: 1 }, entry: entry('prod-3', B) } }))).toBeNull();
    expect(passedStage(stateOf({ ...all({ commit: B, state: 'promoted', weight: 1 }), 'eu-west-1': { alias: { commit: C, state: 'rolled-back', weight: 0 } } }))).toBeNull();
  });

  it('a store entry of no known wave blocks the waves of its region and names it', () => {
    const state = stateOf({ 'us-east-2': { alias: { commit: B, state: 'baking', weight: 0.1 }, entry: { ...entry('prod-old', B), wave: null } }, 'us-west-1': { alias: { commit: B, state: 'promoted', weight: 1 } } });
    const steps = nextSteps(state).steps;
    expect(steps).toEqual([expect.objectContaining({ kind: 'blocked', wave: 'prod-2', commit: B })]);
    expect(steps[0]!.reason).toContain('us-east-2 holds a store entry of no wave');
  });
});
