import { describe, expect, it } from '@jest/globals';
import { ALIAS_DESCRIPTION_LIMIT, decodeRecord, encodeRecord, parseDeployment, type AliasRecord } from '../../packages/core/src/deployment.js';

const record: AliasRecord = {
  v: 1,
  stable: '41',
  candidate: '42',
  previous: '40',
  weight: 0.1,
  state: 'baking',
  commit: '0123456789abcdef0123456789abcdef01234567',
  run: '9876543210',
  at: 1_764_000_000,
};

describe('alias record', () => {
  it('round-trips and fits the description limit even with the longest values', () => {
    const longest: AliasRecord = { ...record, stable: '99999999', candidate: '99999998', previous: '99999997', weight: 0.12345, run: '9'.repeat(24), at: 9_999_999_999 };
    const text = encodeRecord(longest);
    expect(text.length).toBeLessThanOrEqual(ALIAS_DESCRIPTION_LIMIT);
    expect(decodeRecord(text)).toEqual({ kind: 'record', record: { ...longest, commit: longest.commit.slice(0, 12) } });
  });

  it('treats foreign descriptions as no record, and broken records as corrupt', () => {
    expect(decodeRecord('')).toEqual({ kind: 'none' });
    expect(decodeRecord('managed by terraform')).toEqual({ kind: 'none' });
    expect(decodeRecord(undefined)).toEqual({ kind: 'none' });
    expect(decodeRecord('{"sd":1,"s":"x"}').kind).toBe('corrupt');
    expect(decodeRecord('{"sd":1,').kind).toBe('corrupt');
  });
});

describe('parseDeployment', () => {
  it('names the input when the JSON is wrong', () => {
    expect(() => parseDeployment('nope')).toThrow(/input deployment: not JSON/);
    expect(() => parseDeployment('{"format":1}')).toThrow(/input deployment: not a safe-deploy deployment/);
  });
});

describe('I1: commit and run fields', () => {
  it('a record whose g or r carries anything but [0-9A-Za-z._-] is corrupt, not a record', () => {
    const forged = '{"sd":1,"s":"1","c":"2","p":null,"w":0.1,"st":"baking","g":"x\\n::error::forged-by-alias","r":"1\\n::stop-commands::zz","t":1}';
    const decoded = decodeRecord(forged);
    expect(decoded.kind).toBe('corrupt');
    expect(decodeRecord(forged.replace('x\\n::error::forged-by-alias', 'abc').replace('1\\n::stop-commands::zz', '12.3')).kind).toBe('record');
  });
  it('encoding replaces any other character, so what is written always decodes', () => {
    const text = encodeRecord({ v: 1, stable: '1', candidate: '2', previous: null, weight: 0.1, state: 'baking', commit: 'a b\nc', run: '9/1', at: 1 });
    const decoded = decodeRecord(text);
    expect(decoded.kind).toBe('record');
    expect(decoded.kind === 'record' && [decoded.record.commit, decoded.record.run]).toEqual(['a_b_c', '9_1']);
  });
});
