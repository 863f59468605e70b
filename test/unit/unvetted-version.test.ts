// A manual rollback onto an explicit version: which versions the alias record vouches for, and how
// the others are named (refused, never promoted) so the caller has to confirm them.
import { describe, it, expect } from '@jest/globals';
import type { AliasRecord } from '../../packages/core/src/deployment.js';
import { unvettedVersion } from '../../packages/core/src/rollout.js';
import { readRollbackRequest } from '../../actions/rollback/src/request.js';
import { InputError } from '../../packages/github/src/inputs.js';

const record = (r: Partial<AliasRecord>): AliasRecord => ({ v: 1, stable: '5', candidate: '6', previous: '4', weight: 0, state: 'rolled-back', commit: 'c', run: '1', at: 1, ...r });

describe('unvettedVersion', () => {
  it.each([
    ['the recorded stable version', record({}), '5', null],
    ['the recorded previous version', record({}), '4', null],
    ['the promoted candidate', record({ state: 'promoted', candidate: '6', weight: 1 }), '6', null],
    ['the refused candidate', record({}), '6', /^version 6 was refused: the record shows it rolled back \(stable 5\)$/],
    ['a candidate still baking', record({ state: 'baking', weight: 0.1 }), '6', /^version 6 was never promoted here: .*candidate 6 \(baking\)$/],
    ['an older version nothing names', record({}), '2', /^version 2 was never promoted here: the record names stable 5, previous 4 and candidate 6 \(rolled-back\)$/],
  ])('%s', (_what, r, version, expected) => {
    const result = unvettedVersion(r, r.stable, version);
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatch(expected);
  });

  it('an alias without a record vouches only for the version it serves', () => {
    expect(unvettedVersion(null, '3', '3')).toBeNull();
    expect(unvettedVersion(null, '3', '2')).toBe('version 2 was never promoted here: the alias has no safe-deploy record and serves 3');
  });
});

describe('rollback input confirm-unvetted', () => {
  const source = (values: Record<string, string>) => (name: string) => values[name] ?? '';
  const base = { functions: 'api', regions: 'us-east-1', reason: 'r' };

  it('is read when it repeats the version of input to', () => {
    expect(readRollbackRequest(source({ ...base, to: '6', 'confirm-unvetted': '6' }), {}).confirmUnvetted).toBe('6');
    expect(readRollbackRequest(source({ ...base, to: '6' }), {}).confirmUnvetted).toBe('');
  });

  it.each([
    ['another number', { to: '6', 'confirm-unvetted': '5' }, /"5" must repeat the version number of input to \(6\)/],
    ['a rollback to previous', { to: 'previous', 'confirm-unvetted': '5' }, /"5" must repeat the version number of input to \(previous\)/],
  ])('is refused, naming the input, for %s', (_what, values, message) => {
    let error: unknown;
    try {
      readRollbackRequest(source({ ...base, ...values }), {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('confirm-unvetted');
    expect((error as Error).message).toMatch(message);
  });
});
