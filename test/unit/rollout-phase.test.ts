// The rollout's phases over a deployment's whole life: a promoted alias is "verifying" (the bake after
// 100%, stable kept, watched by the guardian) while its store entry exists, and at rest once the
// wave's last bake passed and ended the lease.
import { describe, expect, it } from '@jest/globals';
import type { AliasRecord } from '../../packages/core/src/deployment.js';
import { decide, lastBakeAction, lastBakeTransition, phaseTransition, rolloutPhase, waveStepTransition } from '../../packages/core/src/rollout.js';
import { watchOf } from '../../packages/core/src/guardian.js';

const base: AliasRecord = { v: 1, stable: '1', candidate: '2', previous: null, weight: 1, state: 'promoted', commit: 'abc123def456', run: '42', at: 1 };

describe('rolloutPhase', () => {
  it('says verifying for a promoted alias whose deployment is still watched, at-rest once it is not', () => {
    expect(rolloutPhase(base, true)).toBe('verifying');
    expect(rolloutPhase(base, false)).toBe('at-rest');
    expect(rolloutPhase({ ...base, candidate: '1' }, true)).toBe('at-rest');
    expect(rolloutPhase({ ...base, state: 'baking', weight: 0.1 }, true)).toBe('baking');
    expect(rolloutPhase({ ...base, state: 'shifting', weight: 0 }, false)).toBe('shifting');
    expect(rolloutPhase({ ...base, state: 'rolled-back', weight: 0 }, true)).toBe('rolled-back');
    expect(rolloutPhase(null, true)).toBe('adopted');
  });

  it('the last bake moves verifying to at-rest, and says so', () => {
    expect(lastBakeTransition(base)).toBe('verifying (promoted 2, stable 1 kept) -> at-rest (last bake passed, lease ended)');
    expect(lastBakeTransition({ ...base, state: 'baking', weight: 0.1 })).toMatch(/^baking \(2 at 10%, stable 1\) -> baking, parked \(last bake of the wave passed; the guardian keeps watching its alarms with no lease/);
    expect(lastBakeTransition(null)).toMatch(/^adopted/);
  });

  it('the guardian watches a verifying alias of its entry and returns it to the kept stable version', () => {
    const entry = { service: 'orders', stage: 'prod', wave: 'prod-1', alias: 'live', functions: ['orders-api'], regions: ['us-east-1'], alarms: [], commit: 'abc123def456', run: '42', lease: 100, at: 1 };
    const alias = { region: 'us-east-1', function: 'orders-api', alias: 'live', state: { version: '2', weights: {}, record: { kind: 'record' as const, record: base } } };
    expect(watchOf(entry, alias)).toEqual({ kind: 'in-flight', stable: '1', candidate: '2', state: 'promoted' });
    const rolled = { ...alias, state: { ...alias.state, version: '1', record: { kind: 'record' as const, record: { ...base, state: 'rolled-back' as const, weight: 0 } } } };
    expect(watchOf(entry, rolled).kind).toBe('at-rest');
  });
});

describe('the bake after 100% in the state machine', () => {
  const promoted = { version: '2', weights: {}, record: { kind: 'record' as const, record: base } };

  it('a passing last bake ends a promoted deployment and parks a share below 100%', () => {
    expect(lastBakeAction(base)).toBe('end');
    expect(lastBakeAction({ ...base, state: 'baking', weight: 0.1 })).toBe('park');
    expect(lastBakeAction({ ...base, state: 'shifting', weight: 0.05 })).toBe('park');
    expect(lastBakeAction({ ...base, state: 'rolled-back', weight: 0 })).toBe('end');
    expect(lastBakeAction(null)).toBe('end');
  });

  it('a new release is refused on a verifying alias and allowed once it is at rest', () => {
    const intent = { kind: 'shift' as const, candidate: '3', weight: 0.1, commit: 'fedcba987654', run: '43' };
    const refused = decide(promoted, intent, { now: 2, watched: true });
    expect(refused).toMatchObject({ kind: 'refuse', rule: 'release-verifying' });
    expect(refused.kind === 'refuse' && refused.message).toContain('candidate 2 of commit abc123def456 is verifying (promoted, stable 1 kept');
    const allowed = decide(promoted, intent, { now: 2, watched: false });
    expect(allowed).toMatchObject({ kind: 'write', config: { functionVersion: '2', weights: { '3': 0.1 }, record: { stable: '2', previous: '1', state: 'baking' } } });
  });

  it('a re-run of the verifying candidate writes nothing, and a rollback returns to the kept stable version', () => {
    expect(decide(promoted, { kind: 'shift', candidate: '2', weight: 1, commit: 'abc123def456', run: '44' }, { now: 2, watched: true }).kind).toBe('noop');
    expect(decide(promoted, { kind: 'rollback', to: 'previous', run: 'guardian' }, { now: 2, watched: true })).toMatchObject({
      kind: 'write',
      config: { functionVersion: '1', weights: {}, record: { state: 'rolled-back', stable: '1', candidate: '2' } },
    });
  });

  it('names each alias transition with what it keeps', () => {
    const baking = { ...base, state: 'baking' as const, weight: 0.1 };
    expect(phaseTransition(baking, true, base, true)).toBe('baking (2 at 10%, stable 1) -> verifying (promoted 2, stable 1 kept)');
    expect(phaseTransition(base, true, { ...base, state: 'rolled-back', weight: 0 }, false, 'rollback')).toBe('verifying (promoted 2, stable 1 kept) -> rolled-back (on 1) (rollback)');
    expect(phaseTransition(null, false, base, false)).toBe('adopted (no safe-deploy record) -> at-rest (on 2)');
  });

  it('the wave steps follow one order, and a step out of it is a bug', () => {
    expect(waveStepTransition('preflight', 'publish')).toBe('wave step: preflight -> publish');
    expect(waveStepTransition('lease', 'promote', 'step 1/1: 100%')).toBe('wave step: lease -> promote (step 1/1: 100%)');
    expect(waveStepTransition('shift', 'stopped', 'alarm')).toBe('wave step: shift -> stopped (alarm)');
    expect(() => waveStepTransition('preflight', 'shift')).toThrow('wave step preflight cannot be followed by shift');
    expect(() => waveStepTransition('done', 'stopped')).toThrow();
  });
});
