import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeRecord, type AliasRecord } from '../../packages/core/src/deployment.js';
import {
  checkRouting,
  checkVersionsCompatible,
  decide,
  detectDrift,
  provisionedConcurrencyWarning,
  routingMatches,
  type AliasState,
  type Decision,
  type Intent,
} from '../../packages/core/src/rollout.js';

const NOW = 1_800_000_000;

function rec(partial: Partial<AliasRecord>): AliasRecord {
  return { v: 1, stable: '1', candidate: null, previous: null, weight: 0, state: 'rolled-back', commit: 'abc', run: '7', at: NOW, ...partial };
}

function state(version: string, weights: Record<string, number> = {}, record?: AliasRecord | string): AliasState {
  if (typeof record === 'string') return { version, weights, record: decodeRecord(record) };
  return { version, weights, record: record ? { kind: 'record', record } : { kind: 'none' } };
}

/** The alias as Lambda would hold it after a write. */
function apply(decision: Decision, current: AliasState | null): AliasState | null {
  if (decision.kind !== 'write') return current;
  return { version: decision.config.functionVersion, weights: decision.config.weights, record: decodeRecord(decision.config.description) };
}

const shift = (candidate: string, weight: number): Intent => ({ kind: 'shift', candidate, weight, commit: 'c0ffee', run: '42' });
const logger = () => {
  const lines: string[] = [];
  return { lines, info: (m: string) => lines.push(m) };
};

function expectWrite(decision: Decision) {
  if (decision.kind !== 'write') throw new Error(`expected a write, got ${JSON.stringify(decision)}`);
  return decision;
}
function expectRefusal(decision: Decision, rule: string) {
  expect(decision).toMatchObject({ kind: 'refuse', rule });
}

describe('routing rules', () => {
  it('accepts one extra numeric version with a weight strictly between 0 and 1', () => {
    expect(checkRouting('3', { '4': 0.1 })).toBeNull();
    expect(checkRouting('3', {})).toBeNull();
  });
  it('refuses each broken rule by name', () => {
    expect(checkRouting('$LATEST', {})?.rule).toBe('no-latest');
    expect(checkRouting('3', { $LATEST: 0.1 })?.rule).toBe('no-latest');
    expect(checkRouting('live', {})?.rule).toBe('numeric-version');
    expect(checkRouting('3', { '4': 0.1, '5': 0.1 })?.rule).toBe('one-extra-version');
    expect(checkRouting('3', { '4': 0 })?.rule).toBe('weight-range');
    expect(checkRouting('3', { '4': 1 })?.rule).toBe('weight-range');
    expect(checkRouting('3', { '4': Number.NaN })?.rule).toBe('weight-range');
    expect(checkRouting('3', { '3': 0.5 })?.rule).toBe('candidate-differs');
  });
  it('requires the same role and dead-letter config', () => {
    const a = { version: '1', role: 'arn:role/a', deadLetterTarget: undefined };
    expect(checkVersionsCompatible(a, { ...a, version: '2' })).toBeNull();
    expect(checkVersionsCompatible(a, { ...a, version: '2', role: 'arn:role/b' })?.rule).toBe('same-execution-role');
    expect(checkVersionsCompatible(a, { ...a, version: '2', deadLetterTarget: 'arn:sqs:dlq' })?.rule).toBe('same-dead-letter-config');
  });
  it('F5: provisioned concurrency on the alias allows routing and only warns (spillover; PC locked while routing is in place)', () => {
    const warning = provisionedConcurrencyWarning(5, 0.1);
    expect(warning).toMatch(/5 provisioned concurrency/);
    expect(warning).toMatch(/allows routing 10%/);
    expect(warning).toMatch(/ProvisionedConcurrencySpilloverInvocations/);
    expect(warning).toMatch(/cannot be changed until it is promoted or rolled back/);
    expect(provisionedConcurrencyWarning(0, 0.1)).toBeNull();
    expect(provisionedConcurrencyWarning(5, 1)).toBeNull();
  });
  it('F14: weights read back within half a unit of the 5th decimal match; further apart they do not', () => {
    expect(routingMatches({ version: '1', weights: { '2': 0.1234549 } }, '1', { '2': 0.12345 })).toBe(true);
    expect(routingMatches({ version: '1', weights: { '2': 0.12346 } }, '1', { '2': 0.12344 })).toBe(false);
  });
});

describe('the rollout state machine', () => {
  it('creates the alias on the candidate at the first deployment', () => {
    const log = logger();
    const d = expectWrite(decide(null, shift('1', 0.1), { now: NOW, logger: log }));
    expect(d.create).toBe(true);
    expect(d.config).toMatchObject({ functionVersion: '1', weights: {}, record: { stable: '1', candidate: '1', state: 'promoted', weight: 1 } });
    expect(log.lines.join('\n')).toMatch(/create alias \(first deployment\): no alias -> version 1/);
  });

  it('adopts an alias without a record: its version is stable', () => {
    const d = expectWrite(decide(state('5', {}, 'managed by terraform'), shift('6', 0.1), { now: NOW }));
    expect(d.create).toBe(false);
    expect(d.config.functionVersion).toBe('5');
    expect(d.config.weights).toEqual({ '6': 0.1 });
    expect(d.config.record).toMatchObject({ stable: '5', candidate: '6', previous: null, weight: 0.1, state: 'baking', commit: 'c0ffee', run: '42', at: NOW });
  });

  it('walks one-box, wider share, promote, second release, rollback, with every transition logged', () => {
    const log = logger();
    let alias: AliasState | null = state('1', {}, '');
    const step = (intent: Intent) => {
      const decision = decide(alias, intent, { now: NOW, logger: log });
      alias = apply(decision, alias);
      return decision;
    };
    expectWrite(step(shift('2', 0.1)));
    expect(alias).toMatchObject({ version: '1', weights: { '2': 0.1 } });
    expectWrite(step({ kind: 'shift', candidate: '2', weight: 0.5, state: 'shifting', commit: 'c0ffee', run: '42' }));
    expect(alias).toMatchObject({ version: '1', weights: { '2': 0.5 } });
    expectWrite(step({ kind: 'promote', commit: 'c0ffee', run: '42' }));
    expect(alias).toMatchObject({ version: '2', weights: {}, record: { record: { stable: '1', candidate: '2', state: 'promoted' } } });
    // second release: the promoted candidate becomes stable, the old stable becomes previous
    expectWrite(step(shift('3', 0.1)));
    expect(alias).toMatchObject({ version: '2', weights: { '3': 0.1 }, record: { record: { stable: '2', candidate: '3', previous: '1' } } });
    expectWrite(step({ kind: 'rollback', to: 'previous', run: '43' }));
    expect(alias).toMatchObject({ version: '2', weights: {}, record: { record: { stable: '2', candidate: '3', state: 'rolled-back', run: '43' } } });
    expect(step({ kind: 'rollback', to: 'previous', run: '44' })).toMatchObject({ kind: 'noop' });
    expect(log.lines).toHaveLength(6);
    expect(log.lines[2]).toMatch(/^promote: /);
    expect(log.lines[5]).toMatch(/already on 2/);
  });

  it('writes nothing when a re-run finds the alias already at the intended state', () => {
    const baking = state('1', { '2': 0.1 }, rec({ stable: '1', candidate: '2', weight: 0.1, state: 'baking', run: '41' }));
    expect(decide(baking, shift('2', 0.1), { now: NOW })).toMatchObject({ kind: 'noop' });
    const promoted = state('2', {}, rec({ stable: '1', candidate: '2', weight: 1, state: 'promoted' }));
    expect(decide(promoted, shift('2', 1), { now: NOW })).toMatchObject({ kind: 'noop' });
    expect(decide(promoted, shift('2', 0.1), { now: NOW })).toMatchObject({ kind: 'noop' });
    expect(decide(promoted, { kind: 'promote', commit: 'x', run: '1' }, { now: NOW })).toMatchObject({ kind: 'noop' });
  });

  it('treats traffic 0% at rest as publish only', () => {
    expect(decide(state('1'), shift('2', 0), { now: NOW })).toMatchObject({ kind: 'noop', reason: expect.stringMatching(/publish only/) });
  });

  it('takes a candidate back to 0% while it is in flight', () => {
    const baking = state('1', { '2': 0.1 }, rec({ stable: '1', candidate: '2', weight: 0.1, state: 'baking' }));
    const d = expectWrite(decide(baking, shift('2', 0), { now: NOW }));
    expect(d.config).toMatchObject({ functionVersion: '1', weights: {}, record: { state: 'shifting', weight: 0, candidate: '2' } });
  });

  it('promotes a candidate held at 0% straight to all traffic', () => {
    const held = state('1', {}, rec({ stable: '1', candidate: '2', weight: 0, state: 'shifting' }));
    const d = expectWrite(decide(held, { kind: 'promote', commit: 'c', run: '2' }, { now: NOW }));
    expect(d.config).toMatchObject({ functionVersion: '2', weights: {}, record: { stable: '1', candidate: '2', state: 'promoted', weight: 1 } });
  });

  it('refuses a second candidate while one is in flight', () => {
    const baking = state('1', { '2': 0.1 }, rec({ stable: '1', candidate: '2', weight: 0.1, state: 'baking' }));
    expectRefusal(decide(baking, shift('3', 0.1), { now: NOW }), 'another-candidate-in-flight');
    expectRefusal(decide(baking, { kind: 'promote', candidate: '3', commit: 'x', run: '1' }, { now: NOW }), 'another-candidate-in-flight');
  });

  it('refuses bad candidates and shares', () => {
    const rest = state('4');
    expectRefusal(decide(rest, shift('$LATEST', 0.1), { now: NOW }), 'no-latest');
    expectRefusal(decide(rest, shift('v5', 0.1), { now: NOW }), 'numeric-version');
    expectRefusal(decide(rest, shift('5', 1.5), { now: NOW }), 'weight-range');
    expectRefusal(decide(rest, shift('5', -0.1), { now: NOW }), 'weight-range');
    const baking = state('4', { '5': 0.1 }, rec({ stable: '4', candidate: '5', weight: 0.1, state: 'baking' }));
    expectRefusal(decide(baking, shift('4', 0.1), { now: NOW }), 'candidate-differs');
    // at rest, deploying the version that already serves everything (a revert that rebuilt identical code) moves nothing
    const rolledBack = state('4', {}, rec({ stable: '4', candidate: '5', state: 'rolled-back' }));
    expect(decide(rolledBack, shift('4', 0.1), { now: NOW })).toMatchObject({ kind: 'noop', reason: expect.stringMatching(/already serves/) });
  });

  it('refuses to promote when nothing is in flight', () => {
    expectRefusal(decide(state('4'), { kind: 'promote', commit: 'x', run: '1' }, { now: NOW }), 'nothing-to-promote');
    expectRefusal(decide(null, { kind: 'promote', commit: 'x', run: '1' }, { now: NOW }), 'nothing-to-promote');
  });

  it('detects an alias changed behind our back and refuses to deploy, naming both states', () => {
    // the record says 10% on 2, but someone moved the alias to 3 with no routing
    const drifted = state('3', {}, rec({ stable: '1', candidate: '2', weight: 0.1, state: 'baking' }));
    expect(detectDrift(drifted)).toMatch(/should route version 1 \+2 at 10%, but it routes version 3/);
    const d = decide(drifted, shift('4', 0.1), { now: NOW });
    expectRefusal(d, 'changed-behind-our-back');
    expect((d as { message: string }).message).toMatch(/version 1 \+2 at 10%.*version 3/);
    expectRefusal(decide(drifted, { kind: 'rollback', to: 'previous', run: '1' }, { now: NOW }), 'changed-behind-our-back');
    // an explicit rollback still works: it is how a person finishes by hand
    const d2 = expectWrite(decide(drifted, { kind: 'rollback', to: '1', run: '1' }, { now: NOW }));
    expect(d2.config).toMatchObject({ functionVersion: '1', weights: {}, record: { stable: '1', candidate: '3', state: 'rolled-back' } });
  });

  it('refuses an adopted alias that already has routing, and a corrupt record', () => {
    expectRefusal(decide(state('1', { '2': 0.3 }), shift('3', 0.1), { now: NOW }), 'changed-behind-our-back');
    const corrupt = state('1', {}, '{"sd":1,"s":"x"}');
    expect(corrupt.record.kind).toBe('corrupt');
    expectRefusal(decide(corrupt, shift('3', 0.1), { now: NOW }), 'corrupt-record');
    expectRefusal(decide(corrupt, { kind: 'rollback', to: 'previous', run: '1' }, { now: NOW }), 'corrupt-record');
    expectWrite(decide(corrupt, { kind: 'rollback', to: '1', run: '1' }, { now: NOW }));
  });

  it('rolls back an adopted alias to its own version (removing routing) and to explicit versions', () => {
    const d = expectWrite(decide(state('1', { '2': 0.3 }), { kind: 'rollback', to: 'previous', run: '1' }, { now: NOW }));
    expect(d.config).toMatchObject({ functionVersion: '1', weights: {}, record: { stable: '1', candidate: '2' } });
    expect(decide(state('1'), { kind: 'rollback', to: 'previous', run: '1' }, { now: NOW })).toMatchObject({ kind: 'noop' });
    expectRefusal(decide(state('1'), { kind: 'rollback', to: '$LATEST', run: '1' }, { now: NOW }), 'no-latest');
    expectRefusal(decide(null, { kind: 'rollback', to: 'previous', run: '1' }, { now: NOW }), 'nothing-to-roll-back');
    // rolling back a promoted release returns to the recorded stable version
    const promoted = state('2', {}, rec({ stable: '1', candidate: '2', weight: 1, state: 'promoted', previous: null }));
    const back = expectWrite(decide(promoted, { kind: 'rollback', to: 'previous', run: '9' }, { now: NOW }));
    expect(back.config).toMatchObject({ functionVersion: '1', record: { stable: '1', candidate: '2', state: 'rolled-back' } });
  });

  it('keeps every reachable alias within the routing rules and consistent with its record', () => {
    const intent = fc.oneof(
      fc.record({ kind: fc.constant('shift' as const), candidate: fc.constantFrom('1', '2', '3', '4'), weight: fc.constantFrom(0, 0.05, 0.1, 0.5, 1), commit: fc.constant('c'), run: fc.constant('r') }),
      fc.record({ kind: fc.constant('promote' as const), commit: fc.constant('c'), run: fc.constant('r') }),
      fc.record({ kind: fc.constant('rollback' as const), to: fc.constantFrom('previous', '1', '3'), run: fc.constant('r') }),
    );
    fc.assert(
      fc.property(fc.array(intent, { maxLength: 12 }), (intents) => {
        let alias: AliasState | null = null;
        for (const i of intents) {
          const d = decide(alias, i as Intent, { now: NOW });
          alias = apply(d, alias);
          if (alias) {
            expect(checkRouting(alias.version, alias.weights)).toBeNull();
            expect(detectDrift(alias)).toBeNull();
          }
          // a decision applied twice writes only once
          if (d.kind === 'write') expect(decide(alias, i as Intent, { now: NOW }).kind).not.toBe('write');
        }
      }),
    );
  });
});
