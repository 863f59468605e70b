// The realistic mode's one time scale: production units in, local milliseconds out, once.
import { describe, expect, it } from '@jest/globals';
import { realisticModel, REALISTIC } from '../../packages/local/src/realistic.js';

describe('realisticModel', () => {
  it('converts production durations through one time scale (default ×60: a production minute is a local second)', () => {
    expect(REALISTIC.timeScale).toBe(60);
    expect(REALISTIC.local(60_000)).toBe(1000);
    expect(REALISTIC.toProduction(1000)).toBe(60_000);
    expect(REALISTIC.visibilityDelayMs(0)).toBe(1500); // 90 s ingestion
    expect(REALISTIC.visibilityDelayMs(600_000)).toBe(11_500); // a 10-minute invocation arrives 10 local s later
    expect(REALISTIC.evaluationIntervalMs).toBe(1000);
    expect(REALISTIC.versionActivationMs).toBe(1000);
    expect(REALISTIC.periodSeconds(60)).toBe(1);
    expect(REALISTIC.periodSeconds(300)).toBe(5);
    expect(REALISTIC.periodSeconds(10)).toBe(1); // at least one whole local second
  });

  it('keeps proportions at another scale', () => {
    const half = realisticModel({ timeScale: 30, ingestionDelayMs: 120_000 });
    expect(half.visibilityDelayMs(0)).toBe(4000);
    expect(half.periodMs(60)).toBe(2000);
    expect(half.detectionFloorMs({ periodSeconds: 60, datapointsToAlarm: 3 })).toBe(4000 + 6000 + 2000);
  });

  it('states the physical floor of detection: ingestion + the periods the alarm needs + one evaluation interval', () => {
    expect(REALISTIC.detectionFloorMs({ periodSeconds: 60, datapointsToAlarm: 1 })).toBe(3500);
    expect(REALISTIC.detectionFloorMs({ periodSeconds: 60, datapointsToAlarm: 3 })).toBe(5500);
  });

  it('gives the metrics-delay a bake needs in this model, as a bake-gate duration', () => {
    expect(REALISTIC.metricsDelay()).toBe('3.5s');
    expect(realisticModel({ timeScale: 30 }).metricsDelay()).toBe('7s');
    expect(REALISTIC.metricsDelay(300)).toBe('7.5s');
  });

  it('quotas are on by default and can be turned off', () => {
    expect(REALISTIC.quotas && REALISTIC.quotas['cloudwatch-describe-alarm-history']?.perSecond).toBe(3);
    expect(realisticModel({ quotas: false }).quotas).toBe(false);
  });

  it('refuses a bad setting, naming it', () => {
    expect(() => realisticModel({ timeScale: 0 })).toThrow(/timeScale/);
    expect(() => realisticModel({ ingestionDelayMs: -1 })).toThrow(/ingestionDelayMs/);
    expect(() => realisticModel({ evaluationIntervalMs: 0 })).toThrow(/evaluationIntervalMs/);
  });
});
