import { describe, expect, it } from '@jest/globals';
import { formatDuration, formatDurationExact, formatShare, parseDuration, parseList, parseShare, UnitError } from '../../packages/core/src/units.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['800ms', 800],
    ['1h0m5s', 3_605_000],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', 'ten minutes', '30m1h', '1h1h', '-5m', '5 m', '1w'])('refuses %p', (text) => {
    expect(() => parseDuration(text)).toThrow(UnitError);
  });

  it('round-trips through formatDuration', () => {
    for (const text of ['90s', '1h30m', '2d', '800ms', '1d2h3m4s']) {
      expect(parseDuration(formatDuration(parseDuration(text)))).toBe(parseDuration(text));
    }
    expect(formatDuration(5_400_000)).toBe('1h30m');
  });

  it('formatDurationExact keeps the sub-second rest that formatDuration rounds away', () => {
    expect(formatDuration(3500)).toBe('4s');
    expect(formatDurationExact(3500)).toBe('3s500ms');
    expect(formatDurationExact(2400)).toBe('2s400ms');
    expect(formatDurationExact(400)).toBe('400ms');
    expect(formatDurationExact(0)).toBe('0s');
    expect(formatDurationExact(5_400_000)).toBe('1h30m');
    for (const text of ['3.5s', '2.4s', '1h0.25s', '90s', '1d2h3m4s', '1.5m', '800ms']) {
      expect(parseDuration(formatDurationExact(parseDuration(text)))).toBe(parseDuration(text));
    }
  });
});

describe('parseShare', () => {
  it('reads percentages as fractions', () => {
    expect(parseShare('5%')).toBe(0.05);
    expect(parseShare('10%')).toBe(0.1);
    expect(parseShare('12.5%')).toBe(0.125);
    expect(parseShare('100%')).toBe(1);
    expect(parseShare(' 0% ')).toBe(0);
    expect(formatShare(0.125)).toBe('12.5%');
  });

  it.each(['0.1', '10', '150%', '-5%', 'five%', ''])('refuses %p', (text) => {
    expect(() => parseShare(text)).toThrow(UnitError);
  });
});

describe('parseList', () => {
  it('splits on newlines and commas and drops blanks', () => {
    expect(parseList('us-east-1, eu-west-1\n\n ap-southeast-2 ,')).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
    expect(parseList('')).toEqual([]);
    expect(parseList(undefined)).toEqual([]);
  });
});
