import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { loadConfigText } from '../../packages/core/src/config-loader.js';
import type { Config } from '../../packages/core/src/config.js';
import { PlanError, autoWaves, findWave, planWaves, waveJson, wavesOfStage } from '../../packages/core/src/planner.js';

function load(text: string): Config {
  const result = loadConfigText('c.yml', text);
  if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join('\n'));
  return result.config;
}

const example = load(readFileSync('examples/orders/safe-deploy.yml', 'utf8'));

describe('planWaves with waves: auto', () => {
  it('plans the example: one-box, first region alone, next region alone, then 2 and 4 at a time', () => {
    const waves = planWaves(example).filter((wave) => wave.stage === 'prod');
    expect(waves.map((wave) => [wave.id, wave.regions, wave.traffic])).toEqual([
      ['prod-onebox', ['us-west-1'], 0.05],
      ['prod-1', ['us-west-1'], 1],
      ['prod-2', ['us-east-2'], 1],
      ['prod-3', ['eu-west-1', 'ap-southeast-2'], 1],
      ['prod-4', ['us-east-1', 'eu-central-1', 'ap-northeast-1'], 1],
    ]);
    expect(waves.map((wave) => wave.bake.durationMs / 3_600_000)).toEqual([1, 12, 3, 3, 3]);
    expect(waves.map((wave) => wave.bake.mode)).toEqual(['watch', 'verify', 'watch', 'watch', 'watch']);
    expect(waves.map((wave) => wave.last)).toEqual([false, false, false, false, true]);
  });

  it('runs the stages strictly in order and numbers the waves across the pipeline', () => {
    const waves = planWaves(example);
    expect(waves.map((wave) => wave.id)).toEqual(['alpha-1', 'beta-1', 'gamma-onebox', 'gamma-1', 'gamma-2', 'prod-onebox', 'prod-1', 'prod-2', 'prod-3', 'prod-4']);
    expect(waves.map((wave) => wave.index)).toEqual([...waves.keys()]);
    expect(waves.map((wave) => wave.stageIndex)).toEqual([0, 1, 2, 2, 2, 3, 3, 3, 3, 3]);
  });

  it('doubles up to 8 regions per wave, or up to max-wave-size', () => {
    const regions = Array.from({ length: 20 }, (_, i) => `r${i}`);
    expect(autoWaves({ regions, maxWaveSize: 8 }).map((wave) => wave.regions.length)).toEqual([1, 1, 2, 4, 8, 4]);
    expect(autoWaves({ regions, maxWaveSize: 2 }).map((wave) => wave.regions.length)).toEqual([1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(autoWaves({ regions: regions.slice(0, 1), maxWaveSize: 8, onebox: { traffic: 0.1, bake: example.stages[3]!.onebox!.bake } }).map((wave) => wave.traffic)).toEqual([0.1, 1]);
  });

  it('outputs flat JSON whose keys are the inputs of wave-deploy and bake-gate', () => {
    expect(waveJson(findWave(example, 'prod', 'prod-onebox'))).toEqual({
      index: 5,
      stage: 'prod',
      environment: 'prod',
      wave: 'prod-onebox',
      regions: ['us-west-1'],
      traffic: '5%',
      onebox: true,
      last: false,
      duration: '1h',
      'min-invocations': 10_000,
      mode: 'watch',
      'max-wait': '3h',
      'metrics-delay': '3m',
    });
  });

  it('hands on sub-second bake times exactly (the realistic demo\'s metrics-delay 3.5s is not rounded to 4s)', () => {
    const demo = load(readFileSync('examples/orders/safe-deploy.demo.realistic.yml', 'utf8'));
    for (const wave of planWaves(demo)) expect(waveJson(wave)['metrics-delay']).toBe('3s500ms');
    const fractional = load(readFileSync('examples/orders/safe-deploy.demo.realistic.yml', 'utf8').replace('bake: { duration: 2s, min-invocations: 5, metrics-delay: 3.5s }', 'bake: { duration: 2.4s, max-wait: 6.25s, min-invocations: 5, metrics-delay: 1.5s }'));
    expect(waveJson(findWave(fractional, 'alpha', 'alpha-1'))).toMatchObject({ duration: '2s400ms', 'max-wait': '6s250ms', 'metrics-delay': '1s500ms' });
  });
});

describe('planWaves with explicit waves', () => {
  const config = load(`service: s
functions: [f]
stages:
  - name: prod
    regions: [us-east-1, us-west-2, eu-west-1]
    onebox: { traffic: 5%, bake: { duration: 1h } }
    bake: { first: { duration: 12h, mode: verify }, rest: { duration: 3h } }
    waves:
      - { regions: [us-east-1], traffic: 1% }
      - { regions: [us-east-1], traffic: 5% }
      - { regions: [us-east-1] }
      - { regions: [us-west-2], traffic: 10%, bake: { duration: 20m } }
      - { regions: [us-west-2, eu-west-1] }
`);

  it('names one-boxes and full waves and picks their bakes', () => {
    const waves = planWaves(config);
    expect(waves.map((wave) => [wave.id, wave.regions.join(','), wave.traffic, wave.bake.durationMs / 60_000])).toEqual([
      ['prod-onebox', 'us-east-1', 0.01, 60],
      ['prod-onebox-2', 'us-east-1', 0.05, 60],
      ['prod-1', 'us-east-1', 1, 720],
      ['prod-onebox-3', 'us-west-2', 0.1, 20],
      ['prod-2', 'us-west-2,eu-west-1', 1, 180],
    ]);
  });

  it('throws a PlanError with every broken rule when given an unchecked config', () => {
    const broken: Config = { ...config, stages: [{ ...config.stages[0]!, waves: [{ regions: ['us-east-1', 'us-west-2'], traffic: 1 }] }] };
    let error: unknown;
    try {
      planWaves(broken);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).issues.map((issue) => issue.path.join('.'))).toEqual(['stages.0.waves.0.regions.1', 'stages.0.waves', 'stages.0.onebox']);
  });
});

describe('findWave', () => {
  it('finds a wave by stage and id', () => {
    expect(findWave(example, 'gamma', 'gamma-2').regions).toEqual(['eu-west-1']);
    expect(wavesOfStage(example, 'beta').map((wave) => wave.id)).toEqual(['beta-1']);
  });

  it('names the waves and stages that exist when asked for one that does not', () => {
    expect(() => findWave(example, 'prod', 'prod-9')).toThrow('no wave "prod-9" in stage prod; its waves: prod-onebox, prod-1, prod-2, prod-3, prod-4');
    expect(() => findWave(example, 'production', 'prod-1')).toThrow('no stage "production" in the config; stages: alpha, beta, gamma, prod');
  });
});
