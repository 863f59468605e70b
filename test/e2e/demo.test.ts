// End to end: `npm run demo`'s core (runDemo) on a private moto, with the demo config's bakes
// shortened to one second so the test stays quick. Checks the outcome (exit status, aliases in moto,
// the bad release never past the one-box, its one-box rolled back by the guardian after the bake's
// runner was lost, the report naming who acted) and that what ran is what the workflow files say: the
// pipeline's jobs in order, and in each wave the steps of deploy-stage.yml in file order (up to the
// step whose runner was lost), with the same actions and the same `with:` keys.
import { describe, it, expect, beforeAll } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runDemo, DEFAULT_CONFIG, DEPLOY_STAGE, type DemoResult } from '../../packages/local/src/demo.js';
import { loadConfigOrThrow } from '../../packages/core/src/config-loader.js';
import { planWaves } from '../../packages/core/src/planner.js';
import { ourActionName } from '../../packages/local/src/workflow-runner.js';

const root = process.cwd();

interface WorkflowStep {
  id?: string;
  uses?: string;
  run?: string;
  if?: unknown;
  with?: Record<string, unknown>;
}

describe('npm run demo', () => {
  let result: DemoResult;
  let lines: string[];
  let configFile: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safe-deploy-demo-'));
    // Same pipeline as the demo config, every bake one second long.
    const text = readFileSync(join(root, DEFAULT_CONFIG), 'utf8').replace(/duration: \d+s/g, 'duration: 1s');
    configFile = join(dir, 'safe-deploy.yml');
    writeFileSync(configFile, text);
    lines = [];
    result = await runDemo({ config: configFile, reportDir: join(dir, 'report'), print: (line) => lines.push(line) });
    // On failure, the timeline says which step failed and why (for example a bundle being rebuilt).
    if (!result.ok) process.stderr.write(`${lines.join('\n')}\n`);
  }, 420_000);

  it('passes every check it makes (exit status 0)', () => {
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('ships the healthy release everywhere and stops the bad one in the prod one-box', () => {
    const [good, bad] = result.releases;
    expect(good!.result).toBe('success');
    expect(bad!.result).toBe('failure');
    const config = loadConfigOrThrow(configFile, readFileSync(configFile, 'utf8'));
    const prod = config.stages.at(-1)!;
    expect(prod.regions.length).toBeGreaterThanOrEqual(4);
    expect(result.badExposure).toEqual([prod.regions[0]]);
    // Timed from the first bad production invocation, not from the alarm (plain mode: no model).
    expect(result.badToRollbackMs).toBeGreaterThan(0);
    expect(result.realistic).toBeNull();
    // Read back from moto: no alias anywhere routes to anything but one version, and no production
    // region after the first ever got the bad code published.
    for (const alias of result.aliases) expect(alias.additional).toBeNull();
    const prodAliases = result.aliases.filter((a) => a.stage === prod.name);
    expect(new Set(prodAliases.map((a) => a.region))).toEqual(new Set(prod.regions));
    const firstRegion = prodAliases.filter((a) => a.region === prod.regions[0]);
    const otherRegions = prodAliases.filter((a) => a.region !== prod.regions[0]);
    // v1 provisioned, v2 the healthy release; the one-box region also holds v3, the refused one.
    for (const a of otherRegions) expect(a.published).toEqual(['1', '2']);
    for (const a of firstRegion) expect(a.published).toEqual(['1', '2', '3']);
    for (const a of prodAliases) expect(a.version).toBe('2');
    // The one-box bake lost its runner (SIGKILL, no outputs, no further step: no rollback step ran).
    const failedBake = bad!.steps.find((s) => s.action === 'bake-gate' && s.outcome === 'failure');
    expect(failedBake?.label).toBe(`${prod.name}/${prod.name}-onebox`);
    expect(failedBake?.signals).toEqual(['SIGKILL']);
    expect(failedBake?.outputs.result).toBeUndefined();
    expect(bad!.steps.filter((s) => s.label === failedBake?.label && s.action === 'rollback' && s.outcome !== 'skipped')).toEqual([]);
    expect(bad!.steps.at(-1)).toBe(failedBake);
    // The guardian of the production account rolled the one-box back, every function, nothing else.
    expect(result.rolledBackBy).toBe('guardian');
    expect(result.guardianRollbacks.map((g) => `${g.region} ${g.function}:${g.alias} v${g.from}->v${g.to} ${g.cause}`).sort()).toEqual(
      config.functions.map((fn) => `${prod.regions[0]} ${fn}:${config.alias} v3->v2 rollback-alarm`).sort(),
    );
  });

  it('prints a timeline with one line per step and the timing', () => {
    const stepLines = lines.filter((l) => /^\s+\+\s*\d+\.\d+s\s+r\d\s/.test(l));
    const ran = result.releases.flatMap((r) => r.steps).filter((s) => s.outcome !== 'skipped');
    const byGuardian = result.timeline.filter((t) => t.actor === 'guardian');
    expect(result.timeline.filter((t) => t.actor === 'pipeline')).toHaveLength(ran.length);
    expect(byGuardian.length).toBeGreaterThanOrEqual(1);
    expect(byGuardian.every((t) => t.release === 'r3' && t.action === 'guardian' && t.result === 'rolled-back')).toBe(true);
    expect(stepLines).toHaveLength(ran.length + byGuardian.length);
    expect(stepLines.some((l) => /prod\/prod-onebox\s+bake-gate\s+bake\s+✗ failure .*runner was lost/.test(l))).toBe(true);
    expect(stepLines.some((l) => /prod\/prod-onebox\s+rollback\s/.test(l))).toBe(false);
    expect(stepLines.some((l) => /r3\s+prod\/\S+\s+guardian\s+(sweep|alarm-event)\s+✓ rolled-back .*v3 off, back on v2 \(rollback-alarm; .*no runner\)/.test(l))).toBe(true);
    // The guardian acted after the runner was lost.
    const lost = result.timeline.find((t) => t.action === 'bake-gate' && t.release === 'r3' && t.result === 'failure')!;
    for (const t of byGuardian) expect(t.atMs).toBeGreaterThan(lost.atMs);
    expect(lines.some((l) => /^timing: wall \d+\.\ds, bakes \d+\.\ds needed .* ratio \d+\.\d\d$/.test(l))).toBe(true);
  });

  it('writes the report with every job summary in order', () => {
    expect(existsSync(result.reportPath)).toBe(true);
    const report = readFileSync(result.reportPath, 'utf8');
    expect(report).toContain('# safe-deploy demo report');
    expect(report).toContain('Rolled back by: **guardian**');
    expect(report).toMatch(/\| \+\d+\.\ds \| r3 \| guardian \| prod\/\S+ \| guardian \| (sweep|alarm-event) \| rolled-back \|/);
    expect(report).toMatch(/\| \+\d+\.\ds \| r3 \| pipeline \| prod\/prod-onebox \| bake-gate \| bake \| failure \|/);
    const withSummary = result.releases.flatMap((r) => r.steps.filter((s) => s.summary.trim() !== '').map((s) => `${r.tag} · ${s.label} · ${s.id} (`));
    expect(withSummary.length).toBeGreaterThan(10);
    let at = 0;
    for (const heading of withSummary) {
      const found = report.indexOf(heading, at);
      expect(found).toBeGreaterThan(at - 1);
      at = found + 1;
    }
  });

  it('runs the pipeline jobs in the order of the plan, each wave through deploy-stage.yml', () => {
    const config = loadConfigOrThrow(configFile, readFileSync(configFile, 'utf8'));
    const waves = planWaves(config).map((w) => `${w.stage}/${w.id}`);
    const [good, bad] = result.releases;
    const wavesRun = (steps: DemoResult["releases"][number]["steps"]) => [...new Set(steps.filter((s) => s.workflow === DEPLOY_STAGE).map((s) => s.label))];
    expect(wavesRun(good!.steps)).toEqual(waves);
    expect(wavesRun(bad!.steps)).toEqual(waves.slice(0, waves.indexOf('prod/prod-onebox') + 1));
    for (const release of [good!, bad!]) {
      const firstJobs = [...new Set(release.steps.filter((s) => s.workflow !== DEPLOY_STAGE).map((s) => s.label))];
      expect(firstJobs).toEqual(['plan', 'build']);
    }
  });

  it("executes each wave's steps exactly as deploy-stage.yml lists them", () => {
    const workflow = parseYaml(readFileSync(join(root, DEPLOY_STAGE), 'utf8')) as { jobs: { deploy: { steps: WorkflowStep[] } } };
    const declared = workflow.jobs.deploy.steps;
    const ids = declared.map((s) => s.id);
    for (const release of result.releases) {
      const byWave = new Map<string, typeof release.steps>();
      for (const s of release.steps.filter((x) => x.workflow === DEPLOY_STAGE && x.job.endsWith('deploy'))) {
        byWave.set(s.label, [...(byWave.get(s.label) ?? []), s]);
      }
      for (const [wave, steps] of byWave) {
        // Every step of the file is accounted for, in the file's order (run or skipped by its `if:`),
        // up to the step whose runner was lost (SIGKILL): after it no step runs at all.
        const lostAt = steps.findIndex((s) => s.signals.includes('SIGKILL'));
        expect(steps.map((s) => s.id)).toEqual(lostAt < 0 ? ids : ids.slice(0, lostAt + 1));
        for (const [i, step] of steps.entries()) {
          const spec = declared[i]!;
          if (spec.if === undefined && step.outcome === 'skipped') throw new Error(`${release.tag} ${wave}: step ${step.id} has no if: but was skipped`);
          if (spec.uses) {
            expect(step.uses).toBe(spec.uses);
            expect(step.action).toBe(ourActionName(spec.uses));
            if (step.outcome !== 'skipped') expect(Object.keys(step.with).sort()).toEqual(Object.keys(spec.with ?? {}).sort());
          } else {
            expect(step.kind).toBe('run');
          }
        }
        // Our actions, in the order they ran: the block alarms are checked before anything moves.
        const ran = steps.filter((s) => s.outcome !== 'skipped' && s.action).map((s) => s.action);
        expect(ran.slice(0, 2)).toEqual(['alarm-check', 'wave-deploy']);
      }
    }
  });
});
