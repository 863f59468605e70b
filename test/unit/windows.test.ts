import { describe, expect, it } from '@jest/globals';
import { checkWindow, isOpen, nextOpen, parseAllowWindow, parseFreeze, wallToInstant, type WindowRules } from '../../packages/core/src/windows.js';

const at = (iso: string) => Date.parse(iso);
const rules = (timezone: string, allow: string[], freeze: string[] = []): WindowRules => ({ timezone, allow: allow.map(parseAllowWindow), freeze: freeze.map(parseFreeze) });

describe('parsing', () => {
  it('reads days, ranges that wrap the week, lists and daily', () => {
    expect(parseAllowWindow('Mon-Thu 09:00-16:00')).toEqual({ text: 'Mon-Thu 09:00-16:00', days: [1, 2, 3, 4], startMinute: 540, endMinute: 960 });
    expect(parseAllowWindow('Fri-Mon 10:00-11:00').days).toEqual([0, 1, 5, 6]);
    expect(parseAllowWindow('mon,Wed,friday 08:00-24:00')).toMatchObject({ days: [1, 3, 5], endMinute: 1440 });
    expect(parseAllowWindow('daily 22:00-02:00')).toMatchObject({ days: [0, 1, 2, 3, 4, 5, 6], startMinute: 1320, endMinute: 120 });
    expect(parseAllowWindow('06:00-18:00').days).toHaveLength(7);
    expect(parseFreeze('2026-12-20..2027-01-04')).toEqual({ text: '2026-12-20..2027-01-04', from: '2026-12-20', to: '2027-01-04' });
    expect(parseFreeze('2026-11-26')).toEqual({ text: '2026-11-26', from: '2026-11-26', to: '2026-11-26' });
  });

  it.each([
    ['Mon-Thu', /not a weekly window/],
    ['Mon 9-16', /not a weekly window/],
    ['Funday 09:00-10:00', /not a day/],
    ['Mon 09:00-09:00', /same time/],
    ['Mon 24:00-09:00', /not a time of day/],
    ['Mon 09:60-10:00', /not a time of day/],
  ])('refuses window %p', (text, message) => {
    expect(() => parseAllowWindow(text)).toThrow(message);
  });

  it.each([
    ['2026-02-29', /not a calendar date/],
    ['2026-12-20..2026-12-01', /ends before it starts/],
    ['20.12.2026', /not a freeze/],
    ['2026-12-20..2026-12-24..2026-12-30', /not a freeze/],
  ])('refuses freeze %p', (text, message) => {
    expect(() => parseFreeze(text)).toThrow(message);
  });
});

describe('weekly windows on the wall clock', () => {
  const office = rules('America/Los_Angeles', ['Mon-Thu 09:00-16:00']);

  it('opens and closes at local hours', () => {
    expect(isOpen(office, at('2026-11-26T17:00:00Z'))).toBe(true); // Thu 09:00 PST
    expect(isOpen(office, at('2026-11-26T16:59:59Z'))).toBe(false); // Thu 08:59:59
    expect(isOpen(office, at('2026-11-26T23:59:59Z'))).toBe(true); // Thu 15:59:59
    expect(isOpen(office, at('2026-11-27T00:00:00Z'))).toBe(false); // Thu 16:00, end is exclusive
    expect(isOpen(office, at('2026-11-27T18:00:00Z'))).toBe(false); // Fri 10:00
  });

  it('follows a spring-forward day (2026-03-08 in Los Angeles)', () => {
    const sunday = rules('America/Los_Angeles', ['Sun 09:00-16:00']);
    expect(isOpen(sunday, at('2026-03-08T16:30:00Z'))).toBe(true); // 09:30 PDT (would be 08:30 PST)
    expect(isOpen(sunday, at('2026-03-08T16:00:00Z'))).toBe(true); // 09:00 PDT
    expect(isOpen(sunday, at('2026-03-08T15:59:00Z'))).toBe(false); // 08:59 PDT
    expect(isOpen(sunday, at('2026-03-08T23:30:00Z'))).toBe(false); // 16:30 PDT (would be 15:30 PST)
    expect(nextOpen(sunday, at('2026-03-07T20:00:00Z'))).toBe(at('2026-03-08T16:00:00Z'));
    // A window starting inside the skipped hour opens when the clock jumps to 03:00 PDT.
    const night = rules('America/Los_Angeles', ['Sun 02:30-04:00']);
    expect(nextOpen(night, at('2026-03-08T08:00:00Z'))).toBe(at('2026-03-08T10:00:00Z'));
    expect(wallToInstant('America/Los_Angeles', '2026-03-08', 150)).toBe(at('2026-03-08T10:00:00Z'));
  });

  it('follows a fall-back day (2026-11-01 in Los Angeles): a repeated time opens at its first occurrence', () => {
    const early = rules('America/Los_Angeles', ['Sun 01:30-03:00']);
    expect(nextOpen(early, at('2026-11-01T07:00:00Z'))).toBe(at('2026-11-01T08:30:00Z')); // 01:30 PDT
    expect(isOpen(early, at('2026-11-01T08:45:00Z'))).toBe(true); // 01:45 PDT
    expect(isOpen(early, at('2026-11-01T09:15:00Z'))).toBe(false); // 01:15 PST, the hour again, before 01:30
    expect(isOpen(early, at('2026-11-01T09:45:00Z'))).toBe(true); // 01:45 PST, second pass
    expect(isOpen(early, at('2026-11-01T11:00:00Z'))).toBe(false); // 03:00 PST
    const day = rules('America/Los_Angeles', ['Sun 09:00-16:00']);
    expect(nextOpen(day, at('2026-11-01T12:00:00Z'))).toBe(at('2026-11-01T17:00:00Z')); // 09:00 PST
  });

  it('handles a window that wraps midnight (the day named is the day it starts)', () => {
    const nights = rules('Europe/Berlin', ['Sun-Thu 22:00-02:00']);
    expect(isOpen(nights, at('2026-11-26T22:00:00Z'))).toBe(true); // Thu 23:00 CET
    expect(isOpen(nights, at('2026-11-27T00:30:00Z'))).toBe(true); // Fri 01:30, from Thursday's window
    expect(isOpen(nights, at('2026-11-27T01:00:00Z'))).toBe(false); // Fri 02:00
    expect(isOpen(nights, at('2026-11-27T21:30:00Z'))).toBe(false); // Fri 22:30
    expect(isOpen(nights, at('2026-11-28T00:00:00Z'))).toBe(false); // Sat 01:00
    expect(isOpen(nights, at('2026-11-30T00:00:00Z'))).toBe(true); // Mon 01:00, from Sunday's window
    expect(nextOpen(nights, at('2026-11-27T11:00:00Z'))).toBe(at('2026-11-29T21:00:00Z')); // Sun 22:00 CET
  });
});

describe('freezes', () => {
  it('freezes across New Year, both dates inclusive, in the configured time zone', () => {
    const office = rules('America/Los_Angeles', ['Mon-Thu 09:00-16:00'], ['2026-12-20..2027-01-04']);
    expect(isOpen(office, at('2026-12-17T18:00:00Z'))).toBe(true); // Thu 10:00 PST before the freeze
    expect(isOpen(office, at('2026-12-31T18:00:00Z'))).toBe(false); // Thu 10:00, frozen
    expect(isOpen(office, at('2027-01-04T18:00:00Z'))).toBe(false); // Mon 10:00, last frozen day
    expect(isOpen(office, at('2027-01-05T18:00:00Z'))).toBe(true); // Tue 10:00
    expect(nextOpen(office, at('2026-12-24T18:00:00Z'))).toBe(at('2027-01-05T17:00:00Z')); // Tue 09:00 PST

    const anyTime = rules('America/Los_Angeles', [], ['2026-12-20..2027-01-04']);
    expect(isOpen(anyTime, at('2026-12-20T07:59:00Z'))).toBe(true); // Dec 19, 23:59 PST
    expect(isOpen(anyTime, at('2026-12-20T08:00:00Z'))).toBe(false); // Dec 20, 00:00 PST
    expect(nextOpen(anyTime, at('2026-12-31T23:00:00Z'))).toBe(at('2027-01-05T08:00:00Z')); // midnight after the freeze
  });

  it('says why it is closed and when it opens', () => {
    const office = rules('America/Los_Angeles', ['Mon-Thu 09:00-16:00'], ['2026-12-20..2027-01-04']);
    const frozen = checkWindow(office, at('2026-12-31T18:00:00Z'));
    expect(frozen).toMatchObject({ open: false, nextOpenMs: at('2027-01-05T17:00:00Z'), localTime: 'Thu 2026-12-31 10:00 PST', freeze: { from: '2026-12-20' } });
    expect(frozen.reason).toBe('Thu 2026-12-31 10:00 PST is inside the freeze 2026-12-20..2027-01-04; next window opens Tue 2027-01-05 09:00 PST (2027-01-05T17:00:00.000Z)');
    const evening = checkWindow(office, at('2026-11-26T02:00:00Z'));
    expect(evening.reason).toBe('Wed 2026-11-25 18:00 PST is outside the deploy windows Mon-Thu 09:00-16:00; next window opens Thu 2026-11-26 09:00 PST (2026-11-26T17:00:00.000Z)');
    const open = checkWindow(office, at('2026-11-26T18:00:00Z'));
    expect(open).toMatchObject({ open: true, nextOpenMs: at('2026-11-26T18:00:00Z'), window: { text: 'Mon-Thu 09:00-16:00' } });
    expect(checkWindow(rules('UTC', []), 0)).toMatchObject({ open: true, reason: 'Thu 1970-01-01 00:00 UTC: no deploy windows or freezes apply' });
  });

  it('reports null when nothing opens within two years', () => {
    const never = rules('UTC', [], ['2026-01-01..2030-12-31']);
    expect(checkWindow(never, at('2026-06-01T00:00:00Z'))).toMatchObject({ open: false, nextOpenMs: null });
  });
});
