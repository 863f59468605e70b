// The campaign through the real bundles against the realistic local AWS (docs/realistic-aws.md):
// late metrics, alarms evaluated on completed periods, shared quotas, PublishVersion reuse and
// Pending versions. Six releases, one of each kind the realistic mode adds and a healthy one, on
// four lanes: the safety goals must hold and each kind must get its own verdict. The
// timing-derived figures (time to rollback, exposure) are reported, and only bounded below by the
// model's physical floor, since they depend on the machine's load.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FAULTY_KINDS, REGIONS, planCampaign, runCampaign, verdictsOf, type CampaignResult, type ReleaseKind } from '../../packages/local/src/campaign.js';
import { snapshotBundles } from '../../packages/local/src/bundles.js';
import { REALISTIC } from '../../packages/local/src/realistic.js';

const SEED = 7;
// Release i runs on lane i % LANES: the two that go through every wave (the storm and the healthy
// release) get a lane each, and each refused release follows one rolled back in the one-box
// (unchanged-code after three-datapoints: the zip of that rolled-back version again).
const LANES = 4;
const KINDS: ReleaseKind[] = ['late-errors', 'three-datapoints', 'cloudwatch-storm', 'healthy', 'unqualified-trigger', 'unchanged-code'];

describe('planCampaign in the realistic mode', () => {
  it('mixes in the realistic kinds, and the instant mode refuses them', () => {
    const kinds = new Set(planCampaign(SEED, 20, 4, { realistic: true }).map((p) => p.kind));
    for (const k of ['late-errors', 'three-datapoints', 'unqualified-trigger', 'unchanged-code', 'cloudwatch-storm', 'bad', 'healthy']) expect(kinds).toContain(k);
    // Ten releases hold every realistic kind (the larger shares give way, never a kind).
    const ten = new Set(planCampaign(SEED, 10, 4, { realistic: true }).map((p) => p.kind));
    for (const k of ['late-errors', 'three-datapoints', 'unqualified-trigger', 'unchanged-code', 'cloudwatch-storm', 'bad', 'slow-burn', 'low-traffic', 'monitoring']) expect(ten).toContain(k);
    expect(planCampaign(SEED, 6, LANES, { realistic: true, kinds: KINDS }).map((p) => p.kind)).toEqual(KINDS);
    expect(() => planCampaign(SEED, 1, 1, { kinds: ['late-errors'] })).toThrow(/late-errors need the realistic mode/);
    expect(new Set(planCampaign(SEED, 50, 4).map((p) => p.kind))).toEqual(new Set(['healthy', 'bad', 'slow-burn', 'low-traffic', 'monitoring', 'small-regression', 'large-regression']));
  });
});

describe('npm run campaign -- --realistic (seed 7, one release of each realistic kind)', () => {
  let bundles = '';
  beforeAll(async () => {
    bundles = mkdtempSync(join(tmpdir(), 'realistic-campaign-bundles-'));
    await snapshotBundles('dist', bundles);
  }, 200_000);
  afterAll(() => rmSync(bundles, { recursive: true, force: true }));

  it('meets the safety goals from real outcomes, gives each new kind its verdict and reports detection from the first bad invocation', async () => {
    const run: CampaignResult = await runCampaign({ seed: SEED, releases: KINDS.length, lanes: LANES, reportPath: null, print: () => undefined, bundles, realistic: true, kinds: KINDS });
    const goal = (prefix: string) => run.goals.find((g) => g.name.startsWith(prefix))!;
    const release = (kind: ReleaseKind) => run.releases.find((r) => r.plan.kind === kind)!;
    expect(run.releases.map((r) => r.plan.kind)).toEqual(KINDS);
    expect(run.aliasesChecked).toBe(LANES * REGIONS.length);
    expect(run.inconsistentAliases).toEqual([]);
    expect(run.releases.filter((r) => !r.aliasesAsExpected).map((r) => r.aliasProblems)).toEqual([]);

    // Errors only in the last minutes of the one-box bake: caught there, never baked.
    const late = release('late-errors');
    expect(late.outcome).toBe('rolled-back');
    expect(late.failedWave).toBe('prod-onebox');
    expect(['alarm', 'metric-breach']).toContain(late.bakeResult);
    expect(late.routedRegions).toEqual([REGIONS[0]]);
    // A rollback alarm that needs three datapoints: still stopped before a second region.
    const three = release('three-datapoints');
    expect(three.outcome).toBe('rolled-back');
    expect(three.routedRegions).toEqual([REGIONS[0]]);
    // Detection takes at least the ingestion delay: from the first bad invocation, never faster.
    for (const r of run.releases.filter((x) => FAULTY_KINDS.has(x.plan.kind))) {
      expect(r.faultToRollbackMs).toBeGreaterThanOrEqual(REALISTIC.visibilityDelayMs(0));
      expect(r.requests.release).toBeGreaterThan(0);
      expect(r.requests.releaseErrors).toBeGreaterThan(0);
    }
    // An unqualified SQS trigger: refused before any write, named.
    const trigger = release('unqualified-trigger');
    expect(trigger.outcome).toBe('refused');
    expect(trigger.refusal).toMatch(/unqualified trigger: event source mapping/);
    expect(trigger.versionsPublished).toBe(0);
    expect(trigger.routedRegions).toEqual([]);
    expect(verdictsOf(trigger).refusedUntouched).toBe('yes (unqualified trigger)');
    // The same zip as the latest version: "code unchanged", never promoted as new.
    const same = release('unchanged-code');
    expect(same.outcome).toBe('refused');
    expect(same.refusal).toMatch(/code unchanged/);
    expect(same.versionsPublished).toBe(0);
    expect(verdictsOf(same).refusedUntouched).toBe('yes (code unchanged)');
    // A throttling storm on CloudWatch: a healthy release is never rolled back as if bad.
    expect(['promoted', 'failed closed']).toContain(verdictsOf(release('cloudwatch-storm')).storm);
    expect(release('healthy').outcome).toBe('promoted');

    expect(goal('bad releases caught').value).toBe('2/2 (100.00%)');
    expect(goal('healthy releases wrongly').met).toBe(true);
    expect(goal('releases refused before any write').value).toBe('2/2');
    expect(goal('healthy releases in a CloudWatch throttling storm').met).toBe(true);
    expect(run.ok).toBe(true);
    expect(run.report).toContain('| realistic mode | realistic AWS: ×60');
    expect(run.report).toContain('physical floor of detection, one 60 s period alarm (ingestion + period + evaluation interval) | 3.5 s local = 3.5 production min');
    expect(run.report).toMatch(/time from the first bad invocation to the completed rollback \(faulty releases\) \| median [\d.]+ s = [\d.]+ production min, max/);
    expect(run.report).toMatch(/exposure: candidate errors served before the rollback \(faulty releases\) \| median \d+, max \d+/);
  }, 600_000);
});
