import { describe, expect, it } from '@jest/globals';
import type { TargetProgress, WavePlan, WaveResult } from '../../packages/deploy/src/wave.js';
import { Interrupt, InterruptedError } from '../../actions/wave-deploy/src/interrupt.js';
import { failureReport, handCommand, touched, waveFlow, waveTable } from '../../actions/wave-deploy/src/report.js';
import type { AliasView } from '../../packages/aws/src/lambda.js';
import { decodeRecord, encodeRecord } from '../../packages/core/src/deployment.js';

const plan: WavePlan = {
  functions: ['api'],
  regions: ['us-east-1', 'eu-west-1'],
  alias: 'live',
  code: { kind: 'none' },
  steps: [0.1, 1],
  stepWaitMs: 0,
  alarms: [],
  maxParallel: 8,
  commit: 'abcdef0123456789',
  run: '7',
  environment: 'prod',
  stage: 'prod',
  wave: 'prod-1',
};

function view(region: string, version: string, weights: Record<string, number>, record?: Parameters<typeof encodeRecord>[0]): AliasView {
  const description = record ? encodeRecord(record) : '';
  return { region, functionName: 'api', alias: 'live', version, weights, revision: null, description, record: decodeRecord(description) };
}

function progress(region: string, after: AliasView | null, stepsDone: number, error: string | null = null): TargetProgress {
  return { region, target: { region, functionName: 'api', alias: 'live' }, before: view(region, '3', {}), candidate: '4', reused: false, stable: '3', after, stepsDone, writes: error ? 0 : 1, error };
}

const shifted = (region: string) => view(region, '3', { '4': 0.1 }, { v: 1, stable: '3', candidate: '4', previous: null, weight: 0.1, state: 'shifting', commit: 'abcdef012345', run: '7', at: 1 });

describe('wave report', () => {
  const result: WaveResult = {
    outcome: 'failed',
    plan,
    targets: [progress('us-east-1', shifted('us-east-1'), 1), progress('eu-west-1', view('eu-west-1', '3', {}), 0, 'eu-west-1 api:live: write-failed: boom. Alias now: version 3. To finish by hand: gh workflow run rollback.yml -f regions=eu-west-1 -f version=3')],
    stepsDone: 0,
    message: 'the shift failed at step 1 (10%)',
    deployment: null,
    alarmLines: [],
  };

  it('counts as changed only aliases whose routing or record moved', () => {
    expect(result.targets.map(touched)).toEqual([true, false]);
  });

  it('names only the changed aliases in the hand command', () => {
    expect(handCommand(result)).toBe("gh workflow run rollback.yml -f environment=prod -f regions=us-east-1 -f version=3 -f reason='wave prod-1 failed at commit abcdef012345'");
  });

  it('draws how far each region got, step by step', () => {
    const flow = waveFlow(result);
    expect(flow).toContain('s0_us_east_1["✅ us-east-1<br/>10%"]:::done');
    expect(flow).toContain('s0_eu_west_1["❌ eu-west-1<br/>10%"]:::failed');
    expect(flow).toContain('s1_us_east_1["⬜ us-east-1<br/>100%"]:::pending');
    expect(flow).toContain('subgraph g1["step 2: 100% (promote)"]');
  });

  it('tables stable → candidate and the weight per alias, without the per-alias hand command', () => {
    const table = waveTable(result);
    expect(table).toContain('| us-east-1 | api | 3 → 4 | 10% | shifting | published | 1 | — |');
    expect(table).toContain('| eu-west-1 | api | 3 → 4 | 0% | no record | published | 0 | eu-west-1 api:live: write-failed: boom. Alias now: version 3 |');
  });

  it('the failure message lists every alias now and one command', () => {
    const text = failureReport(result);
    expect(text).toContain('Aliases now:\n  us-east-1 api:live: version 3 +4 at 10%; record shifting');
    expect(text.match(/gh workflow run/g)).toHaveLength(1);
  });
});

describe('Interrupt', () => {
  it('lets writes through until a stop signal, then refuses them but not reads', () => {
    const interrupt = new Interrupt();
    expect(() => interrupt.gate('UpdateAlias')).not.toThrow();
    interrupt.install();
    try {
      process.emit('SIGTERM', 'SIGTERM');
      expect(interrupt.signal).toBe('SIGTERM');
      expect(() => interrupt.gate('UpdateAlias')).toThrow(InterruptedError);
      expect(() => interrupt.gate('PublishVersion')).toThrow(/stopped by SIGTERM before PublishVersion/);
      expect(() => interrupt.gate('GetAlias')).not.toThrow();
    } finally {
      interrupt.uninstall();
    }
  });

  it('ends a wait early when the signal comes', async () => {
    const interrupt = new Interrupt().install();
    try {
      const started = Date.now();
      const wait = interrupt.sleep(60_000);
      setTimeout(() => process.emit('SIGINT', 'SIGINT'), 20);
      await expect(wait).resolves.toBe(false);
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(interrupt.sleep(10)).resolves.toBe(false);
    } finally {
      interrupt.uninstall();
    }
  });

  it('sleeps the whole time without a signal', async () => {
    await expect(new Interrupt().sleep(5)).resolves.toBe(true);
  });
});
