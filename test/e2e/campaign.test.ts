// A small seeded campaign, run twice on private moto servers: the same seed gives the same plan
// and the same verdict table, and the goals are computed from what really happened (the outcome of
// each release as the workflow runner reported it, the regions the traffic simulator saw routed to
// it, and the aliases read back from moto).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { planCampaign, runCampaign, REGIONS, type CampaignResult } from '../../packages/local/src/campaign.js';
import { snapshotBundles } from '../../packages/local/src/bundles.js';

const SEED = 11;
const RELEASES = 5;
const LANES = 2;

describe('planCampaign', () => {
  it('is a function of the seed and holds every kind of release', () => {
    const a = planCampaign(SEED, 50, 4);
    expect(planCampaign(SEED, 50, 4)).toEqual(a);
    expect(planCampaign(SEED + 1, 50, 4)).not.toEqual(a);
    const kinds = new Set(a.map((p) => p.kind));
    expect([...kinds].sort()).toEqual(['bad', 'healthy', 'large-regression', 'low-traffic', 'monitoring', 'slow-burn', 'small-regression']);
    expect(new Set(a.filter((p) => p.monitoring).map((p) => p.monitoring)).size).toBe(3);
    expect(a.some((p) => p.kill)).toBe(true);
    expect(a.some((p) => p.faults.length > 0)).toBe(true);
    expect(a.map((p) => p.lane)).toEqual(a.map((_, i) => i % 4));
  });
});

describe('npm run campaign (seed 11, 5 releases)', () => {
  const runs: CampaignResult[] = [];
  // Both runs use the same copy of the bundles, whatever builds of dist/ happen meanwhile.
  let bundles = '';
  beforeAll(async () => {
    bundles = mkdtempSync(join(tmpdir(), 'campaign-test-bundles-'));
    await snapshotBundles('dist', bundles);
  }, 200_000);
  afterAll(() => rmSync(bundles, { recursive: true, force: true }));

  it('meets the goals from real outcomes, and the same seed gives the same verdicts', async () => {
    for (let i = 0; i < 2; i++) runs.push(await runCampaign({ seed: SEED, releases: RELEASES, lanes: LANES, reportPath: null, print: () => undefined, bundles }));
    const [first, second] = runs as [CampaignResult, CampaignResult];
    expect(second.verdictTable).toBe(first.verdictTable);
    expect(second.verdictSha).toBe(first.verdictSha);
    expect(second.releases.map((r) => r.plan)).toEqual(first.releases.map((r) => r.plan));

    for (const run of runs) {
      expect(run.releases).toHaveLength(RELEASES);
      // Every alias of every lane was read back and checked.
      expect(run.aliasesChecked).toBe(LANES * REGIONS.length);
      expect(run.inconsistentAliases).toEqual([]);
      for (const r of run.releases) {
        expect(r.aliasesAsExpected).toBe(true);
        switch (r.plan.kind) {
          case 'healthy':
            expect(r.outcome).toBe('promoted');
            expect(r.routedRegions).toEqual([REGIONS[0], REGIONS[1]]);
            expect(r.requests.release).toBeGreaterThan(0);
            break;
          case 'bad':
          case 'slow-burn':
            expect(r.outcome).toBe('rolled-back');
            expect(['prod-onebox', 'prod-1']).toContain(r.failedWave);
            expect(r.routedRegions).toEqual([REGIONS[0]]);
            expect(r.faultToRollbackMs).toBeGreaterThan(0);
            expect(r.requests.release).toBeGreaterThan(0);
            expect(r.requests.release).toBeLessThan(r.requests.total);
            break;
          case 'low-traffic':
            expect(r.outcome).not.toBe('promoted');
            expect(r.failedWave).toBe('prod-onebox');
            break;
          case 'monitoring':
            // Blind monitoring never lets a release past the one-box unless the fault was transient.
            if (r.plan.monitoring !== 'cloudwatch-throttled') expect(r.outcome).not.toBe('promoted');
            break;
        }
      }
      // The goals are the counts of those outcomes.
      const goal = (prefix: string) => run.goals.find((g) => g.name.startsWith(prefix))!;
      const faulty = run.releases.filter((r) => r.plan.kind === 'bad' || r.plan.kind === 'slow-burn');
      expect(goal('bad releases caught').value).toBe(`${faulty.length}/${faulty.length} (100.00%)`);
      expect(goal('healthy releases wrongly').value).toBe(`0 of ${run.releases.filter((r) => r.plan.kind === 'healthy').length}`);
      expect(goal('low-traffic').value).toBe(`0 of ${run.releases.filter((r) => r.plan.kind === 'low-traffic').length}`);
      expect(goal('aliases left').value).toBe(`0 of ${LANES * REGIONS.length}`);
      expect(run.goals.every((g) => g.met)).toBe(true);
      expect(run.ok).toBe(true);
    }
  }, 600_000);
});
