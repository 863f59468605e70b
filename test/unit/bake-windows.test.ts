// The deploy window around a bake (packages/core/src/windows.ts), on the edges of a DST change.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWindowCheck } from '../../actions/bake-gate/src/window.js';
import { bakePolicy, runBake, type BakeIO, type WindowCheck } from '../../packages/core/src/bake.js';
import { checkWindow, parseAllowWindow, parseFreeze } from '../../packages/core/src/windows.js';

const MIN = 60_000;
const rules = { timezone: 'America/Los_Angeles', allow: [parseAllowWindow('Mon-Fri 09:00-16:00')], freeze: [parseFreeze('2026-12-20..2027-01-04')] };
const window: WindowCheck = (now) => checkWindow(rules, now.getTime());
// The fake metrics here are complete the moment they are read, so no metrics-delay: the bake ends at its duration.
const policy = bakePolicy({ durationMs: 10 * MIN, minInvocations: 100, pollIntervalMs: 30_000, metricsDelayMs: 0 });

/** A healthy bake (20 candidate invocations a minute) starting at `start`, on a fake clock. */
async function bakeFrom(startIso: string) {
  const start = Date.parse(startIso);
  let now = start;
  const io: BakeIO = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    readAlarms: async () => [{ region: 'us-west-2', alarms: [], missing: [] }],
    readMetrics: async () => {
      const invocations = Math.floor((now - start) / MIN) * 20;
      return [{ region: 'us-west-2', function: 'orders-api', alias: 'live', candidate: { version: '2', invocations, errors: 0, p99Ms: null, points: [] }, stable: null }];
    },
    window,
  };
  return runBake(policy, start, ['us-west-2'], io);
}

describe('deploy windows around a bake, across the end of daylight saving time (2026-11-01 in Los Angeles)', () => {
  it('opens at 09:00 local on both sides of the change (16:00 UTC in PDT, 17:00 UTC in PST)', async () => {
    expect((await bakeFrom('2026-10-30T16:00:00Z')).result).toBe('baked'); // Fri 09:00 PDT
    expect((await bakeFrom('2026-11-02T17:00:00Z')).result).toBe('baked'); // Mon 09:00 PST
    const early = await bakeFrom('2026-11-02T16:30:00Z'); // Mon 08:30 PST (would be 09:30 in PDT)
    expect(early.result).toBe('outside-window');
    expect(early.polls).toBe(0);
    expect(early.reason).toMatch(/Mon 2026-11-02 08:30 PST is outside the deploy windows Mon-Fri 09:00-16:00; next window opens Mon 2026-11-02 09:00 PST/);
  });

  it('closes at 16:00 local: a bake finishing after it is not promoted', async () => {
    // Fri 15:55 PDT + 10m ends 16:05 PDT
    const friday = await bakeFrom('2026-10-30T22:55:00Z');
    expect(friday.result).toBe('outside-window');
    expect(friday.reason).toMatch(/^baked, but outside the deploy window: Fri 2026-10-30 16:05 PDT/);
    // Mon 15:45 PST + 10m ends 15:55 PST: inside (the same UTC times were 16:55 PDT a week earlier)
    expect((await bakeFrom('2026-11-02T23:45:00Z')).result).toBe('baked');
    expect((await bakeFrom('2026-10-26T23:45:00Z')).result).toBe('outside-window');
  });

  it('refuses a bake inside a freeze', async () => {
    const frozen = await bakeFrom('2026-12-21T18:00:00Z');
    expect(frozen.result).toBe('outside-window');
    expect(frozen.reason).toMatch(/inside the freeze 2026-12-20\.\.2027-01-04/);
  });

  it('bake-gate reads the windows from the config file given in `config`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-window-'));
    const file = join(dir, 'safe-deploy.yml');
    writeFileSync(
      file,
      [
        'version: 1',
        'service: orders',
        'alias: live',
        'functions: [orders-api]',
        'stages:',
        '  - { name: beta, regions: [us-west-2] }',
        'alarms: { block: [orders-high-severity], rollback: [orders-high-severity] }',
        'windows:',
        '  timezone: America/Los_Angeles',
        '  allow: ["Mon-Thu 09:00-16:00"]',
        '',
      ].join('\n'),
    );
    const check = await loadWindowCheck(file);
    expect(check(new Date('2026-11-02T17:00:00Z')).open).toBe(true);
    expect(check(new Date('2026-11-02T16:59:00Z')).open).toBe(false);
    await expect(loadWindowCheck(join(dir, 'missing.yml'))).rejects.toThrow(/input config: cannot read .*missing\.yml \(ENOENT\)/);
  });
});
