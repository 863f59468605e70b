// End to end: `npm run demo -- --scenario overlap` (runOverlap) on its own moto: three releases
// merged seconds apart through the service's deploy workflow and the control loop in the local
// runner, with the real bundles. To keep the suite quick the bakes are shorter than the scenario's
// Amazon-length ones (1 h one-box, 2 h first region, 1 h second region, at ×720); the runner-time
// figure is judged by the scenario at its own config and scale (docs/overlap.md), here only
// reported. Checks its verdict, the two files scenarios outside this repository read (their
// contract in DESIGN.md), and that production moved only by short jobs of the loop.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOverlap, type OverlapResult } from '../../packages/local/src/overlap.js';
import { checkOverlap, type AliasLogLine } from '../../packages/local/src/overlap-checks.js';
import { loadConfigOrThrow } from '../../packages/core/src/config-loader.js';
import { planWaves } from '../../packages/core/src/planner.js';

const root = process.cwd();

describe('npm run demo -- --scenario overlap', () => {
  let result: OverlapResult;
  let dir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'safe-deploy-overlap-'));
    const config = join(dir, 'safe-deploy.overlap.yml');
    // Two production regions (one-box, first region, second region) instead of three: every rule is
    // still exercised, with one wave fewer per release.
    const text = readFileSync(join(root, 'examples/orders/safe-deploy.overlap.yml'), 'utf8');
    writeFileSync(config, text.replace('duration: 12h', 'duration: 2h').replace('duration: 3h', 'duration: 1h').replace('regions: [us-east-1, us-west-2, eu-west-1]', 'regions: [us-east-1, us-west-2]'));
    result = await runOverlap({ reportDir: dir, config, timeScale: 720, judgeRunnerTime: false, print: (line) => lines.push(line) });
    if (!result.ok) process.stderr.write(`${lines.join('\n')}\n`);
  }, 600_000);

  it('passes its own checks', () => {
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('writes alias-log.jsonl and releases.json as DESIGN.md says, and the log alone proves the rules', () => {
    const releases = JSON.parse(readFileSync(join(dir, 'releases.json'), 'utf8')) as { config: string; releases: { commit: string; healthy: boolean; baseline?: boolean }[] };
    expect(releases.releases.map((r) => r.healthy)).toEqual([true, true, false, true]);
    const log = readFileSync(join(dir, 'alias-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AliasLogLine);
    for (const line of log) {
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['at', 'stage', 'region', 'function', 'alias', 'version', 'weights', 'commits']));
      // Every version named has its commit, and the commits are the releases'.
      expect(Object.keys(line.commits).sort()).toEqual(Object.keys(line.weights).sort());
      for (const commit of Object.values(line.commits)) expect(releases.releases.map((r) => r.commit)).toContain(commit);
    }
    // Re-judge from the files only: the config the pipeline ran (named by releases.json) and the log.
    const configPath = join(root, releases.config);
    const config = loadConfigOrThrow(configPath, readFileSync(configPath, 'utf8'));
    const waves = planWaves(config).map((w) => ({ id: w.id, stage: w.stage, regions: w.regions, traffic: w.traffic, bakeMs: w.bake.durationMs }));
    const verdict = checkOverlap(log, releases.releases, waves, config.stages.at(-1)!.name);
    expect(verdict.failures).toEqual([]);
    const bad = releases.releases.find((r) => !r.healthy)!;
    expect((verdict.prodRegions[bad.commit] ?? []).length).toBeLessThanOrEqual(1);
    expect(verdict.overlap?.commits.length).toBe(2);
  });

  it('moves production only by short jobs, and reports each release\'s runner time against its bake time', () => {
    const [a, b, c] = result.times;
    for (const t of [a!, c!]) {
      expect(t.bakeMs).toBeGreaterThan(0);
      expect(t.jobs).toBeGreaterThan(0);
      expect(t.ownMs).toBeGreaterThanOrEqual(t.jobs * 60_000); // each job bills a whole minute at least
      expect(t.fate).toBe('everywhere');
    }
    expect(b!.fate).toMatch(/^superseded by C/);
    expect(readFileSync(join(dir, 'overlap.md'), 'utf8')).toMatch(/\| A \| `[0-9a-f]{12}` \| healthy \| everywhere \|/);
    // No production job waits for a bake: every bake step of a production job verifies a window
    // from history (mode verify); the shift jobs end after the shift (bake-mode later).
    const prodBakes = result.steps.filter((s) => s.action === 'bake-gate' && (/^prod\//.test(s.label) || /verify/.test(s.job)) && s.outcome !== 'skipped');
    expect(prodBakes.length).toBeGreaterThan(0);
    for (const s of prodBakes) expect(s.with.mode).toBe('verify');
    expect(result.jobs.some((j) => /^prod\//.test(j.label))).toBe(true);
    // The lost runner: the first production verify died mid-bake, and a later run verified it again.
    expect(result.lostRunner).toMatch(/prod-onebox|verify/);
  });
});
