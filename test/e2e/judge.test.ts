// The judge through bake-gate's bundle on moto: no error-rate threshold given, so the bundle
// compares the candidate with the stable version on the same alias (DESIGN contract). The counts
// are written as the traffic simulator writes Lambda's per-version metrics, exactly: 600 candidate
// and 5000 stable invocations over five minutes at a split of 600/5600.
import { afterAll, describe, expect, it } from '@jest/globals';
import type { TrafficSpec } from '../../packages/local/src/traffic.js';
import { motoEndpoint, testClients } from '../helpers/aws.js';
import { oneBox, writeTraffic } from '../helpers/cloudwatch.js';
import { runBundle } from './bake-harness.js';

const clients = testClients();
const region = 'us-east-1';
const MIN = 60_000;

afterAll(() => clients.destroy());

/** A one-box shifted six minutes ago with 600 candidate and 5000 stable invocations written since. */
async function judged(candidateErrorRate: number, options: { baseline?: boolean } = {}) {
  const shiftedAt = new Date(Date.now() - 6 * MIN);
  const box = await oneBox({ regions: [region], weight: 0.10714, shiftedAt });
  const target = box.deployment.targets[0]!;
  const spec: TrafficSpec = {
    region,
    function: target.function,
    alias: target.alias,
    stable: target.stable,
    candidate: target.candidate,
    weight: 600 / 5600,
    perMinute: 1120,
    candidateErrorRate,
    stableErrorRate: 0.01,
  };
  const start = shiftedAt.getTime() + 1000;
  const totals = await writeTraffic(clients, [spec], { from: new Date(start), to: new Date(start + 5 * MIN) });
  const counts = totals[`${region}/${target.function}`]!;
  expect(counts[target.candidate]).toEqual({ invocations: 600, errors: Math.floor(600 * candidateErrorRate + 1e-9) });
  expect(counts[target.stable]).toEqual({ invocations: 5000, errors: 50 });
  if (options.baseline) {
    // Before the shift the alias served only the stable version, 1% errors (ending before the look-back of the bake's own read).
    await writeTraffic(clients, [{ ...spec, candidate: null, weight: 0 }], { from: new Date(shiftedAt.getTime() - 55 * MIN), to: new Date(shiftedAt.getTime() - 6 * MIN), stepMs: 5 * MIN });
  }
  return runBundle(
    'bake-gate',
    { deployment: JSON.stringify(box.deployment), duration: '5s', 'min-invocations': '500', 'poll-interval': '1s', 'metrics-delay': '1s', mode: 'watch' },
    motoEndpoint(),
  );
}

describe('the judge in the bake-gate bundle on moto', () => {
  it('fails a candidate at 4% over 600 calls against a stable at 1% over 5000 as metric-breach', async () => {
    const run = await judged(0.04);
    expect(run.outputs.result).toBe('metric-breach');
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/bake-gate result: metric-breach: the judge finds the error rate of sd-bake-\w+:live v2 in us-east-1 above the stable v1's: candidate 24\/600 \(4%\) vs stable 50\/5000 \(1%\), ratio 4x, evidence \d+\.\d\d \/ 3\.00/);
    expect(run.stdout).toMatch(/^::error::bake-gate metric-breach/m);
    expect(run.summary).toContain('**Judge**');
    expect(run.summary).toMatch(/\| us-east-1 \| sd-bake-\w+ \| candidate 24\/600 \(4%\) vs stable 50\/5000 \(1%\), ratio 4x, evidence/);
  });

  it('passes a candidate at 1.3% over 600 calls, printing the counts, the statistic and the threshold each poll, and the plan', async () => {
    const run = await judged(8 / 600, { baseline: true }); // 1.3%: 8 errors
    expect(run.stderr).not.toMatch(/::error/);
    expect(run.outputs.result).toBe('baked');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^poll 1 \| .* \| judge candidate 8\/600 \(1\.33%\) vs stable 50\/5000 \(1%\), ratio 1\.33x, evidence -?\d+\.\d\d \/ 3\.00 \|/m);
    expect(run.stdout).toContain('bake-gate judge: false-positive rate 5% over the bake, minimum effect 1.5x');
    // From the stable version's traffic before the shift: thousands of candidate invocations to see 1.5x, far more than max-wait (15s) brings.
    expect(run.stdout).toMatch(/bake-gate plan: sd-bake-\w+ in us-east-1: the stable version served [\d,]+ invocations with [\d,]+ errors \(\d(\.\d+)?%\) in the 60 min before the shift; seeing 1\.5x its error rate takes about [\d,]+ candidate invocations at 10\.71%, but .*: it cannot be judged at 1\.5x in its window; it can see about [\d.]+x or more/);
    expect(run.summary).toMatch(/- Plan: .*cannot be judged at 1\.5x in its window/);
  });
});
