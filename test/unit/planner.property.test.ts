// Property tests: the planner's invariants over random region lists and wave settings.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ONEBOX_LIMIT, STAGE_BAKE_DEFAULTS, type BakePolicy, type Config, type ExplicitWave, type Stage } from '../../packages/core/src/config.js';
import { checkStageWaves, checkWaves, planWaves, type Wave } from '../../packages/core/src/planner.js';
import { PARTITIONS } from '../../packages/core/src/regions.js';

const bake = (minutes: number): BakePolicy => ({ durationMs: minutes * 60_000, minInvocations: STAGE_BAKE_DEFAULTS.minInvocations, mode: 'watch', maxWaitMs: minutes * 180_000, metricsDelayMs: 180_000 });

const regionList = fc.uniqueArray(fc.constantFrom(...PARTITIONS.aws), { minLength: 1, maxLength: 20 });
const oneboxShare = fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100_000); // 0.001% .. 10%

const stageArb = (name: string) =>
  fc.record({
    regions: regionList,
    onebox: fc.option(oneboxShare, { nil: undefined }),
    maxWaveSize: fc.integer({ min: 1, max: 12 }),
  }).map(({ regions, onebox, maxWaveSize }): Stage => ({
    name,
    environment: name,
    regions,
    bake: { first: bake(60), rest: bake(30) },
    waves: 'auto',
    maxWaveSize,
    ...(onebox !== undefined ? { onebox: { traffic: onebox, bake: bake(15) } } : {}),
  }));

const configArb = fc
  .array(fc.constantFrom('alpha', 'beta', 'gamma', 'prod', 'prod-eu', 'canary'), { minLength: 1, maxLength: 6 })
  .map((names) => [...new Set(names)])
  .chain((names) => fc.tuple(...names.map(stageArb)))
  .map(
    (stages): Config => ({
      version: 1,
      service: 's',
      alias: 'live',
      functions: ['f'],
      stages,
      alarms: { block: [], rollback: [], onebox: {} },
      windows: { timezone: 'UTC', allow: [], freeze: [] },
    }),
  );

/** The rollout rules, written out independently of the planner, for one stage's list of waves. */
function followsRules(stageRegions: readonly string[], waves: readonly { regions: readonly string[]; traffic: number }[]): boolean {
  if (waves.length === 0) return stageRegions.length === 0;
  const first = waves[0]!.regions[0]!;
  const firstFull = waves.findIndex((wave) => wave.traffic === 1 && wave.regions.includes(first));
  if (firstFull < 0) return false;
  for (let i = 0; i <= firstFull; i++) {
    if (waves[i]!.regions.length !== 1 || waves[i]!.regions[0] !== first) return false;
  }
  const fullCount = new Map<string, number>();
  const lastShare = new Map<string, number>();
  for (const wave of waves) {
    if (!(wave.traffic > 0 && wave.traffic <= 1)) return false;
    if (wave.traffic < 1 && (wave.traffic > ONEBOX_LIMIT || wave.regions.length !== 1)) return false;
    for (const region of wave.regions) {
      if (!stageRegions.includes(region)) return false;
      if (fullCount.has(region)) return false; // nothing after 100%
      if (wave.traffic === 1) fullCount.set(region, 1);
      else {
        if ((lastShare.get(region) ?? 0) >= wave.traffic) return false;
        lastShare.set(region, wave.traffic);
      }
    }
  }
  return stageRegions.every((region) => fullCount.get(region) === 1);
}

function assertInvariants(config: Config, waves: readonly Wave[]): void {
  // Stages strictly in order, each stage's waves together.
  expect(waves.map((wave) => wave.stageIndex)).toEqual([...waves.map((wave) => wave.stageIndex)].sort((a, b) => a - b));
  expect(new Set(waves.map((wave) => wave.stage)).size).toBe(config.stages.length);
  expect(new Set(waves.map((wave) => wave.id)).size).toBe(waves.length);
  waves.forEach((wave, i) => expect(wave.index).toBe(i));
  for (const stage of config.stages) {
    const own = waves.filter((wave) => wave.stage === stage.name);
    expect(followsRules(stage.regions, own)).toBe(true);
    for (const wave of own) {
      if (wave.onebox) {
        expect(wave.regions).toHaveLength(1);
        expect(wave.traffic).toBeLessThanOrEqual(ONEBOX_LIMIT);
      } else {
        expect(wave.traffic).toBe(1);
        expect(wave.regions.length).toBeLessThanOrEqual(Math.max(1, stage.maxWaveSize));
      }
    }
    // The first region bakes alone at 100% before anything else; sizes never shrink except the tail.
    const full = own.filter((wave) => !wave.onebox);
    expect(full[0]!.regions).toEqual([stage.regions[0]]);
    if (full.length > 1) expect(full[1]!.regions).toHaveLength(1);
    for (let i = 2; i < full.length - 1; i++) expect(full[i]!.regions.length).toBeGreaterThanOrEqual(full[i - 1]!.regions.length);
    expect(own.filter((wave) => wave.onebox)).toHaveLength(stage.onebox ? 1 : 0);
    expect(own[own.length - 1]!.last).toBe(true);
    // The rollout order is the configured region order.
    expect(full.flatMap((wave) => wave.regions)).toEqual(stage.regions);
  }
}

describe('planner properties', () => {
  it('waves: auto always follows the rollout rules', () => {
    fc.assert(
      fc.property(configArb, (config) => {
        expect(checkWaves(config)).toEqual([]);
        assertInvariants(config, planWaves(config));
      }),
      { numRuns: 300 },
    );
  });

  it('an automatic plan written out as explicit waves passes the same checks and plans the same', () => {
    fc.assert(
      fc.property(configArb, (config) => {
        const auto = planWaves(config);
        const explicit: Config = {
          ...config,
          stages: config.stages.map((stage) => ({
            ...stage,
            waves: auto.filter((wave) => wave.stage === stage.name).map((wave): ExplicitWave => ({ regions: wave.regions, traffic: wave.traffic })),
          })),
        };
        expect(checkWaves(explicit)).toEqual([]);
        expect(planWaves(explicit)).toEqual(auto);
      }),
      { numRuns: 200 },
    );
  });

  it('explicit waves are accepted exactly when they follow the rules', () => {
    const stageRegions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-south-1'];
    const anyWave = fc.record({
      regions: fc.uniqueArray(fc.constantFrom(...stageRegions, 'sa-east-1'), { minLength: 1, maxLength: 3 }),
      traffic: fc.constantFrom(1, 1, 1, 0.01, 0.05, 0.1, 0.2, 0),
    });
    // Mostly-valid lists: a permutation cut into groups, the first group a single region, optional one-boxes.
    const nearlyValid = fc
      .tuple(fc.shuffledSubarray(stageRegions, { minLength: 4, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }), fc.array(fc.constantFrom(0, 0.01, 0.1, 0.15), { minLength: 4, maxLength: 4 }))
      .map(([order, sizes, boxes]) => {
        const waves: { regions: string[]; traffic: number }[] = [];
        let start = 0;
        for (let i = 0; start < order.length; i++) {
          const size = i === 0 ? 1 : sizes[i % sizes.length]!;
          const group = order.slice(start, start + size);
          if (boxes[i % boxes.length]! > 0) waves.push({ regions: [group[0]!], traffic: boxes[i % boxes.length]! });
          waves.push({ regions: group, traffic: 1 });
          start += size;
        }
        return waves;
      });
    fc.assert(
      fc.property(fc.oneof(fc.array(anyWave, { minLength: 1, maxLength: 7 }), nearlyValid), (waves) => {
        const issues = checkStageWaves({ regions: stageRegions }, waves);
        expect(issues.length === 0).toBe(followsRules(stageRegions, waves));
      }),
      { numRuns: 1000 },
    );
  });
});
