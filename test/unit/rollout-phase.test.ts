// The rollout's phases over a deployment's whole life: a promoted alias is "verifying" (the bake after
// 100%, stable kept, watched by the guardian) while its store entry exists, and at rest once the
// wave's last bake passed and ended the lease.
import { describe, expect, it } from '@jest/globals';
import type { AliasRecord } from '../../packages/core/src/deployment.js';
import { lastBakeTransition, rolloutPhase } from '../../packages/core/src/rollout.js';
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
    expect(lastBakeTransition({ ...base, state: 'baking', weight: 0.1 })).toMatch(/^baking \(2 at 10%, stable 1\) -> baking, unwatched by the guardian/);
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
