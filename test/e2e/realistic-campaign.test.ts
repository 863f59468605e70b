// The campaign through the real bundles against the realistic local AWS (docs/realistic-aws.md):
// late metrics, alarms evaluated on completed periods, shared quotas, PublishVersion reuse and
// Pending versions. The safety goals must hold there too; the timing-derived figures (time to
// rollback, exposure) are reported, not asserted, since they depend on the machine's load.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REGIONS, runCampaign, type CampaignResult } from '../../packages/local/src/campaign.js';

const SEED = 7;
const RELEASES = 5;
const LANES = 3;

describe('npm run campaign -- --realistic (seed 7, 5 releases)', () => {
  let bundles = '';
  beforeAll(async () => {
    bundles = mkdtempSync(join(tmpdir(), 'realistic-campaign-bundles-'));
    for (let tries = 0; tries < 60; tries++) {
      rmSync(bundles, { recursive: true, force: true });
      cpSync('dist', bundles, { recursive: true });
      if (['alarm-check', 'bake-gate', 'rollback', 'wave-deploy'].every((a) => existsSync(join(bundles, a, 'index.js')))) return;
      await new Promise((r) => setTimeout(r, 3000));
    }
    throw new Error('dist/ lacks a bundle: run npm run build');
  }, 200_000);
  afterAll(() => rmSync(bundles, { recursive: true, force: true }));

  it('meets the safety goals from real outcomes in the realistic world and reports its physical floor', async () => {
    const run: CampaignResult = await runCampaign({ seed: SEED, releases: RELEASES, lanes: LANES, reportPath: null, print: () => undefined, bundles, realistic: true });
    const goal = (prefix: string) => run.goals.find((g) => g.name.startsWith(prefix))!;
    expect(run.releases).toHaveLength(RELEASES);
    expect(run.aliasesChecked).toBe(LANES * REGIONS.length);
    expect(run.inconsistentAliases).toEqual([]);
    expect(run.releases.filter((r) => !r.aliasesAsExpected).map((r) => r.aliasProblems)).toEqual([]);
    const faulty = run.releases.filter((r) => r.plan.kind === 'bad' || r.plan.kind === 'slow-burn');
    expect(faulty.length).toBeGreaterThan(0);
    expect(goal('bad releases caught').met).toBe(true);
    expect(goal('healthy releases wrongly').met).toBe(true);
    expect(goal('low-traffic').met).toBe(true);
    // Detection takes at least the model's ingestion delay: the first bad invocation is seconds before any rollback.
    for (const r of faulty) if (r.faultToRollbackMs !== null) expect(r.faultToRollbackMs).toBeGreaterThanOrEqual(1500);
    expect(run.report).toContain('| realistic mode | realistic AWS: ×60');
    expect(run.report).toContain('physical floor of detection, one 60 s period alarm (ingestion + period + evaluation interval) | 3.5 s local = 3.5 production min');
  }, 600_000);
});
