// The `if:` conditions and `${{ }}` values that decide what our workflows do, evaluated with GitHub's own
// expression evaluator (@actions/expressions) in the situations that matter: when the automatic rollback
// runs and what it restores, which bake runs where, which pipeline wave runs, who the checklist answers.
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { condition, template, value } from './evaluate.js';

type Doc = { jobs: Record<string, { if?: string; outputs?: Record<string, string>; with?: Record<string, string>; steps?: Array<{ id: string; if?: string; with?: Record<string, string> }> }> };
const load = (file: string) => parse(readFileSync(file, 'utf8')) as Doc;
const deployStage = load('.github/workflows/deploy-stage.yml');
const pipeline = load('.github/workflows/pipeline.yml');
const checklist = load('.github/workflows/review-checklist.yml');
const rollbackWorkflow = load('.github/workflows/rollback.yml');
const loop = load('.github/workflows/loop.yml');
const step = (doc: Doc, job: string, id: string) => {
  const found = doc.jobs[job]?.steps?.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${job}.${id}`);
  return found;
};

describe('deploy-stage.yml: the automatic rollback', () => {
  const rollback = step(deployStage, 'deploy', 'rollback');
  const outcomes = (o: Record<string, string>) =>
    Object.fromEntries(['check-inputs', 'alarm-check', 'publish', 'deploy', 'bake', 'promote', 'promote-bake'].map((id) => [id, { outcome: o[id] ?? 'skipped', outputs: {} }]));

  it('does not run when the stage fails before anything was written (an alarm fired)', () => {
    const steps = outcomes({ 'check-inputs': 'success', 'alarm-check': 'failure' });
    expect(condition(rollback.if as string, { steps }, { failed: true })).toBe(false);
  });

  it('runs when the deploy, the bake or the promotion failed, or the run was cancelled during the bake', () => {
    expect(condition(rollback.if as string, { steps: outcomes({ deploy: 'failure' }) }, { failed: true })).toBe(true);
    expect(condition(rollback.if as string, { steps: outcomes({ deploy: 'success', bake: 'failure' }) }, { failed: true })).toBe(true);
    expect(condition(rollback.if as string, { steps: outcomes({ deploy: 'success', bake: 'success', promote: 'failure' }) }, { failed: true })).toBe(true);
    expect(condition(rollback.if as string, { steps: outcomes({ deploy: 'success', bake: 'cancelled' }) }, { cancelled: true })).toBe(true);
    expect(condition(rollback.if as string, { steps: outcomes({ publish: 'success' }) }, { failed: true })).toBe(true);
  });

  it('does not run when everything succeeded', () => {
    expect(condition(rollback.if as string, { steps: outcomes({ deploy: 'success', bake: 'success' }) })).toBe(false);
  });

  it('restores the latest recorded deployment, else the functions of this commit in the regions', () => {
    const w = rollback.with as Record<string, string>;
    const inputs = { functions: 'orders-api', regions: 'us-west-1', alias: '' };
    const github = { sha: 'f00d', run_id: '7' };
    const withDeploy = { steps: { deploy: { outputs: { deployment: 'D1' } }, promote: { outputs: { deployment: 'D2' } } }, inputs, github };
    expect(value(w.deployment as string, withDeploy)).toBe('D2');
    expect(value(w.functions as string, withDeploy)).toBe('');
    expect(value(w.regions as string, withDeploy)).toBe('');
    expect(value(w.commit as string, withDeploy)).toBe('');
    const none = { steps: {}, inputs, github };
    expect(value(w.deployment as string, none)).toBe('');
    expect(value(w.functions as string, none)).toBe('orders-api');
    expect(value(w.regions as string, none)).toBe('us-west-1');
    expect(value(w.commit as string, none)).toBe('f00d');
    expect(value(w.alias as string, none)).toBe('live');
  });
});

describe('fresh credentials and cancellation', () => {
  const stepIds = (doc: Doc, job: string) => (doc.jobs[job]?.steps ?? []).map((s) => s.id);

  it.each(['deploy', 'verify'])('deploy-stage.yml %s job assumes the role again right before its rollback, under the same condition', (job) => {
    const ids = stepIds(deployStage, job);
    expect(ids.indexOf('aws-rollback')).toBe(ids.indexOf('rollback') - 1);
    const fresh = step(deployStage, job, 'aws-rollback') as { if?: string; uses?: string; with?: Record<string, string> };
    expect(fresh.uses).toMatch(/^aws-actions\/configure-aws-credentials@[0-9a-f]{40}$/);
    expect(fresh.if).toBe(step(deployStage, job, 'rollback').if);
    expect(fresh.with?.['role-duration-seconds']).toBeUndefined(); // the action's one hour: plenty for a rollback
  });

  const manual = step(rollbackWorkflow, 'rollback', 'rollback');
  it('rollback.yml: the rollback step keeps running when the run is cancelled (no SIGINT, no kill 10 s later)', () => {
    const ok = { targets: { outcome: 'success', outputs: {} }, aws: { outcome: 'success', outputs: {} } };
    expect(condition(manual.if as string, { steps: ok }, { cancelled: true })).toBe(true);
    expect(condition(manual.if as string, { steps: ok })).toBe(true);
  });

  it('rollback.yml: the rollback step never runs after refused inputs or without credentials', () => {
    expect(condition(manual.if as string, { steps: { targets: { outcome: 'failure', outputs: {} }, aws: { outcome: 'skipped', outputs: {} } } }, { failed: true })).toBe(false);
    expect(condition(manual.if as string, { steps: { targets: { outcome: 'success', outputs: {} }, aws: { outcome: 'failure', outputs: {} } } }, { failed: true })).toBe(false);
  });
});

describe('loop.yml: the control loop runs a job only for a step that is due', () => {
  const next = (outputs: Record<string, string>) => ({ needs: { next: { result: 'success', outputs }, stages: { result: 'success', outputs: { environment: 'prod' } } } });

  it('verifies and deploys nothing when the next steps hold none (a bake still running, a window closed)', () => {
    expect(condition(loop.jobs.verify?.if as string, next({ verify: '[]', deploy: '[]' }))).toBe(false);
    expect(condition(loop.jobs.deploy?.if as string, next({ verify: '[]', deploy: '[]' }))).toBe(false);
  });

  it('verifies a due bake and deploys a due wave', () => {
    expect(condition(loop.jobs.verify?.if as string, next({ verify: '[{"wave":"prod-1"}]', deploy: '[]' }))).toBe(true);
    expect(condition(loop.jobs.deploy?.if as string, next({ verify: '[]', deploy: '[{"wave":"prod-2"}]' }))).toBe(true);
  });

  it('a verify is never judged against the deploy window (no config), and rolls back with fresh credentials', () => {
    const verify = step(loop, 'verify', 'verify');
    expect(verify.with?.mode).toBe('verify');
    expect(verify.with?.final).toBe(true);
    expect(verify.with && 'config' in verify.with).toBe(false);
    const ids = (loop.jobs.verify?.steps ?? []).map((s) => s.id);
    expect(ids.slice(-2)).toEqual(['aws-rollback', 'rollback']);
    expect(step(loop, 'verify', 'aws-rollback').if).toBe(step(loop, 'verify', 'rollback').if);
  });

  it('dispatches the next run only after it verified a bake (a deploy frees no wave)', () => {
    const again = loop.jobs.again?.if as string;
    const ctx = (verify: string, deploy: string) => ({ inputs: { 'dispatch-workflow': 'deploy.yml' }, needs: { verify: { result: verify }, deploy: { result: deploy }, next: { result: 'success' } } });
    expect(condition(again, ctx('skipped', 'skipped'))).toBe(false);
    expect(condition(again, ctx('success', 'skipped'))).toBe(true);
    expect(condition(again, ctx('skipped', 'success'))).toBe(false);
    expect(condition(again, ctx('failure', 'success'))).toBe(false);
    expect(condition(again, { ...ctx('success', 'success'), inputs: { 'dispatch-workflow': '' } })).toBe(false);
  });
});

describe('deploy-stage.yml: which bake runs where', () => {
  const inputs = (i: Record<string, unknown>) => ({ inputs: { promote: false, 'bake-mode': 'watch', 'promote-bake-mode': 'watch', ...i } });
  const bake = step(deployStage, 'deploy', 'bake').if as string;
  const promoteBake = step(deployStage, 'deploy', 'promote-bake').if as string;
  const verify = deployStage.jobs.verify?.if as string;

  it('a watch bake runs in the deploy job; a verify bake in the verify job after the wait timer', () => {
    expect([condition(bake, inputs({})), condition(verify, inputs({}))]).toEqual([true, false]);
    expect([condition(bake, inputs({ 'bake-mode': 'verify' })), condition(verify, inputs({ 'bake-mode': 'verify' }))]).toEqual([false, true]);
  });

  it('with promote, the last bake decides where it runs', () => {
    expect([condition(bake, inputs({ promote: true })), condition(promoteBake, inputs({ promote: true })), condition(verify, inputs({ promote: true }))]).toEqual([true, true, false]);
    const last = inputs({ promote: true, 'promote-bake-mode': 'verify' });
    expect([condition(bake, last), condition(promoteBake, last), condition(verify, last)]).toEqual([true, false, true]);
  });

  it('the job outputs carry the latest deployment and the last bake result', () => {
    const outputs = deployStage.jobs.deploy?.outputs as Record<string, string>;
    const steps = { deploy: { outputs: { deployment: 'D1' } }, 'rehearse-redeploy': { outputs: { deployment: 'D1b' } }, bake: { outputs: { result: 'baked' } } };
    expect(value(outputs.deployment as string, { steps })).toBe('D1b');
    expect(value(outputs.result as string, { steps })).toBe('baked');
  });
});

describe('pipeline.yml: waves run in order and stop at the first failure', () => {
  const needs = (o: Record<string, unknown>) => ({ needs: { plan: { result: 'success', outputs: { count: '5' } }, build: { result: 'success' }, ...o } });

  it('wave-01 runs after plan and build, also when there is nothing to build', () => {
    const cond = pipeline.jobs['wave-01']?.if as string;
    expect(condition(cond, needs({}))).toBe(true);
    expect(condition(cond, needs({ build: { result: 'skipped' } }))).toBe(true);
    expect(condition(cond, needs({ build: { result: 'failure' } }))).toBe(false);
    expect(condition(cond, needs({ plan: { result: 'failure', outputs: {} } }))).toBe(false);
  });

  it('a wave job name never fails to evaluate, even when the plan failed and left no waves', () => {
    const jobs = pipeline.jobs as Record<string, { name?: string }>;
    const name = jobs['wave-03']?.name as string;
    expect(value(name, needs({ plan: { result: 'failure', outputs: {} } }))).toBe('wave 03');
    expect(value(name, needs({ plan: { result: 'success', outputs: { count: '2', waves: '[{"name":"a"},{"name":"b"}]' } } }))).toBe('wave 03');
    expect(value(name, needs({ plan: { result: 'success', outputs: { count: '3', waves: '[{},{},{"name":"gamma / gamma-onebox"}]' } } }))).toBe('gamma / gamma-onebox');
  });

  it('wave N runs only after wave N-1 succeeded and only if the plan has N waves', () => {
    const cond = pipeline.jobs['wave-03']?.if as string;
    expect(condition(cond, needs({ 'wave-02': { result: 'success' } }))).toBe(true);
    expect(condition(cond, needs({ 'wave-02': { result: 'failure' } }))).toBe(false);
    expect(condition(cond, needs({ 'wave-02': { result: 'skipped' } }))).toBe(false);
    expect(condition(cond, needs({ 'wave-02': { result: 'success' }, plan: { result: 'success', outputs: { count: '2' } } }))).toBe(false);
    expect(condition(cond, needs({ 'wave-02': { result: 'success' } }), { cancelled: true })).toBe(false);
  });
});

describe('review-checklist.yml', () => {
  // Which events start an evaluation: test/workflows/checklist-workflow.test.ts.
  const w = step(checklist as Doc, 'checklist', 'checklist').with as Record<string, string>;
  const app = () => step(checklist as Doc, 'checklist-app', 'checklist').with as Record<string, string>;

  it('uses the caller-given token, else the job token; the App job only the token it minted', () => {
    expect(value(w.token as string, { secrets: { 'checklist-token': 'app-token' }, github: { token: 'job-token' } })).toBe('app-token');
    expect(value(w.token as string, { secrets: {}, github: { token: 'job-token' } })).toBe('job-token');
    expect(value(app().token as string, { steps: { 'app-token': { outputs: { token: 'ghs_minted' } } }, secrets: { 'checklist-token': 'stored' }, github: { token: 'job-token' } })).toBe('ghs_minted');
  });

  it('resets answers on push unless the caller says false (also when not called as a reusable workflow)', () => {
    for (const withs of [w, app()]) {
      expect(value(withs['reset-on-push'] as string, { inputs: {} })).toBe('true');
      expect(value(withs['reset-on-push'] as string, { inputs: { 'reset-on-push': true } })).toBe('true');
      expect(value(withs['reset-on-push'] as string, { inputs: { 'reset-on-push': false } })).toBe('false');
    }
  });
});

describe('rollback.yml: who asked for the rollback (L3)', () => {
  const reason = step(load('.github/workflows/rollback.yml'), 'rollback', 'rollback').with?.reason as string;
  const github = (actor: string, triggering: string, attempt: string) => ({ actor, triggering_actor: triggering, run_id: '77', run_attempt: attempt });

  it('names who dispatched the first attempt', () => {
    expect(template(reason, { inputs: { reason: 'error spike' }, github: github('alice', 'alice', '1') })).toBe('error spike (by alice, run 77 attempt 1)');
  });

  it('on a re-run names who re-ran it, and keeps who started the run', () => {
    // github.actor stays the first dispatcher on a re-run; triggering_actor is who pressed "Re-run".
    expect(template(reason, { inputs: { reason: 'error spike' }, github: github('alice', 'bob', '2') })).toBe('error spike (by bob, re-run of a run started by alice, run 77 attempt 2)');
  });

  it('falls back to the actor where no triggering_actor is set', () => {
    expect(template(reason, { inputs: { reason: 'r' }, github: { actor: 'alice', run_id: '7', run_attempt: '1' } })).toBe('r (by alice, run 7 attempt 1)');
  });
});
