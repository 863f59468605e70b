// End to end, one level up from review-checklist.test.ts: the service's starter workflow
// (workflows-templates/deploy-checklist.yml) calling .github/workflows/review-checklist.yml, run by the
// local workflow runner on the payloads GitHub sends, with the real bundle against the loopback GitHub
// server. Shows which events reach the action at all (F5: nothing else joins the concurrency group) and
// that the dedicated-App path (D1) hands the minted token to the action.
// The runner models the job's concurrency group (queue: max, below); not modelled: environment branch
// policies and `secrets: inherit` (the runner gives every job every secret);
// test/workflows/checklist-workflow.test.ts covers those declarations.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowRunner, type PlumbingStep, type WorkflowResult } from '../../packages/local/src/workflow-runner.js';
import { GitHubServer, webhookUser, type Person } from '../helpers/github-server.js';
import { BUNDLE, commentEditedEvent, pullRequestEvent, ROOT } from './review-checklist-harness.js';

const PR = 7;
const HEAD = 'a1'.repeat(20);
const TEMPLATE = 'workflows-templates/deploy-checklist.yml';
const UNIT = 'Unit tests cover the new and changed behaviour.';
const APP = { slug: 'safe-deploy-checklist', id: 90210, name: 'safe-deploy checklist' };
const CLIENT_ID = 'Iv23.90210';
const MINTED = 'ghs_minted_installation_token';

let server: GitHubServer;
let author: Person;
let writer: Person;
let minted: PlumbingStep[];

async function startServer(app?: typeof APP): Promise<void> {
  server = await new GitHubServer('acme/orders', app).start();
  author = server.person('dev');
  writer = server.person('alice');
  server.permissions.set('alice', 'write');
  server.addPull(PR, author, HEAD);
  minted = [];
}

beforeEach(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: npm run build -- review-checklist`);
  await startServer();
});
afterEach(async () => server.stop());

/** A repository root whose starter template has the App path switched on (its two commented lines). */
function appRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'sd-checklist-app-root-'));
  for (const dir of ['.github', 'actions', 'dist', 'node_modules']) symlinkSync(join(ROOT, dir), join(root, dir));
  mkdirSync(join(root, 'workflows-templates'));
  const text = readFileSync(join(ROOT, TEMPLATE), 'utf8');
  const switched = text.replace('    # secrets: inherit\n', '    secrets: inherit\n').replace('      # app-environment: checklist-app\n', '      app-environment: checklist-app\n');
  expect(switched).not.toBe(text);
  writeFileSync(join(root, TEMPLATE), switched);
  return root;
}

interface Run {
  readonly result: WorkflowResult;
  /** Inner jobs of review-checklist.yml that ran steps. */
  readonly jobs: string[];
  readonly requests: number;
}

/** The runner GitHub would be for these events (one per delivery, or one for several runs at once). */
function checklistRunner(eventName: 'pull_request_target' | 'issue_comment', payload: object, options: { root?: string; secrets?: Record<string, string> } = {}): WorkflowRunner {
  const before = server.requests.length;
  const sender = (payload as { sender: { login: string } }).sender.login;
  return new WorkflowRunner({
    repoRoot: options.root ?? ROOT,
    tempDir: mkdtempSync(join(tmpdir(), 'sd-checklist-run-')),
    github: {
      repository: 'acme/orders',
      // pull_request_target and issue_comment run on the default branch.
      sha: 'c'.repeat(40),
      ref: 'refs/heads/main',
      run_id: String(1000 + before),
      run_number: '1',
      run_attempt: '1',
      actor: sender,
      event_name: eventName,
      workflow: 'Deploy checklist',
      server_url: 'https://github.com',
      api_url: server.url,
      token: 'ghs_job_token',
      event: JSON.parse(JSON.stringify(payload)),
    },
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() },
    secrets: options.secrets ?? {},
    environmentVars: { 'checklist-app': { SAFE_DEPLOY_CHECKLIST_APP_CLIENT_ID: CLIENT_ID } },
    // actions/create-github-app-token: GitHub would sign a JWT with the key and exchange it for an
    // installation token; here the loopback server answers every token as its app.
    plumbing: (step) => {
      if (!step.uses.startsWith('actions/create-github-app-token@')) return undefined;
      minted.push(step);
      return { outputs: { token: MINTED, 'app-slug': APP.slug, 'installation-id': '4711' }, note: `minted an installation token of ${APP.slug} in environment ${step.environment}` };
    },
  });
}

/** GitHub delivers one event: the runner runs the starter workflow for it (a fresh run, as on GitHub). */
async function deliver(eventName: 'pull_request_target' | 'issue_comment', payload: object, options: { root?: string; secrets?: Record<string, string> } = {}): Promise<Run> {
  const before = server.requests.length;
  const result = await checklistRunner(eventName, payload, options).runWorkflow(TEMPLATE);
  const jobs = [...new Set(result.steps.map((s) => s.job.split(' / ')[1] ?? s.job))];
  for (const step of result.steps) {
    if (step.outcome === 'failure' && step.id === 'checklist') throw new Error(`the checklist step failed:\n${step.log}`);
  }
  return { result, jobs, requests: server.requests.length - before };
}

const tick = (text: string) => (body: string) => body.replace(`- [ ] ${text}`, `- [x] ${text}`);
const checkRuns = () => server.checkRunsFor(HEAD).filter((run) => run.name === 'deploy-safety-checklist');

describe('the starter checklist workflow, event by event', () => {
  it('a pull request opened: the job-token job posts the comment and the check', async () => {
    const run = await deliver('pull_request_target', pullRequestEvent(server, PR, 'opened', { fork: true }));
    expect(run.result.result).toBe('success');
    expect(run.jobs).toEqual(['checklist']);
    expect(run.requests).toBeGreaterThan(0);
    expect(server.commentsOn(PR).map((c) => c.author.login)).toEqual(['github-actions[bot]']);
    expect(checkRuns().map((r) => [r.app.slug, r.conclusion])).toEqual([['github-actions', 'action_required']]);
  });

  it("a reviewer's tick reaches the action; another commenter's edit and a title edit start nothing (F5)", async () => {
    await deliver('pull_request_target', pullRequestEvent(server, PR, 'opened'));
    const checklist = server.commentsOn(PR)[0]!;

    // Someone edits their own comment on the pull request: no job, no request, no place in the group.
    const own = server.postComment(PR, server.person('mallory'), 'nit: tpyo');
    const ownChange = server.editComment(own.id, server.person('mallory'), () => 'nit: typo');
    const other = await deliver('issue_comment', commentEditedEvent(server, PR, own.id, server.person('mallory'), ownChange));
    expect([other.jobs, other.requests]).toEqual([[], 0]);

    // A title edit (edited without changes.base).
    const title = await deliver('pull_request_target', { ...pullRequestEvent(server, PR, 'edited'), changes: { title: { from: 'Old title' } } });
    expect([title.jobs, title.requests]).toEqual([[], 0]);

    // The reviewer ticks the checklist comment.
    const change = server.editComment(checklist.id, writer, tick(UNIT));
    const ticked = await deliver('issue_comment', commentEditedEvent(server, PR, checklist.id, writer, change));
    expect(ticked.jobs).toEqual(['checklist']);
    expect(ticked.requests).toBeGreaterThan(0);
    expect(checkRuns()[0]!.output.text).toContain('unit-tests');
  });

  it('a retarget to another base is evaluated', async () => {
    await deliver('pull_request_target', pullRequestEvent(server, PR, 'opened'));
    const retarget = { ...pullRequestEvent(server, PR, 'edited'), changes: { base: { ref: { from: 'next' }, sha: { from: 'd'.repeat(40) } } } };
    const run = await deliver('pull_request_target', retarget);
    expect(run.jobs).toEqual(['checklist']);
    expect(run.requests).toBeGreaterThan(0);
  });

  it("the action's own write (an edit sent by its bot) starts nothing", async () => {
    await deliver('pull_request_target', pullRequestEvent(server, PR, 'opened'));
    const checklist = server.commentsOn(PR)[0]!;
    const bot = { ...server.bot };
    const change = server.editComment(checklist.id, bot, (b) => b);
    const payload = { ...commentEditedEvent(server, PR, checklist.id, bot, change), sender: { ...webhookUser(bot), type: 'Bot' as const } };
    const run = await deliver('issue_comment', payload);
    expect([run.jobs, run.requests]).toEqual([[], 0]);
  });
});

describe('events in quick succession (M1)', () => {
  it('three events on one pull request at once: queue: max runs every evaluation, in order; none is replaced', async () => {
    await deliver('pull_request_target', pullRequestEvent(server, PR, 'opened'));
    const runner = checklistRunner('pull_request_target', pullRequestEvent(server, PR, 'reopened'));
    const runs = ['501', '502', '503'].map((id) =>
      runner.start(TEMPLATE, { github: { run_id: id, event_name: 'pull_request_target', event: JSON.parse(JSON.stringify(pullRequestEvent(server, PR, 'reopened'))) } }),
    );
    const results = await Promise.all(runs.map((r) => r.result));
    expect(results.map((r) => r.result)).toEqual(['success', 'success', 'success']);
    const group = runner.concurrencyEvents.filter((e) => e.group === `safe-deploy-checklist-acme/orders-${PR}`);
    expect(group.filter((e) => e.what === 'running').map((e) => e.holder)).toEqual(['run 501 / checklist / checklist', 'run 502 / checklist / checklist', 'run 503 / checklist / checklist']);
    expect(group.filter((e) => e.what === 'pending')).toHaveLength(2);
    expect(group.some((e) => e.what === 'replaced')).toBe(false);
  });
});

describe('the starter checklist workflow with the dedicated App (D1)', () => {
  beforeEach(async () => {
    await server.stop();
    await startServer(APP);
  });

  it('mints the token in the checklist-app job and the comment and check come from the App', async () => {
    const root = appRoot();
    const run = await deliver('pull_request_target', pullRequestEvent(server, PR, 'opened'), { root, secrets: { SAFE_DEPLOY_CHECKLIST_APP_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----' } });
    expect(run.result.result).toBe('success');
    expect(run.jobs).toEqual(['checklist-app']);
    expect(run.result.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['app-secrets', 'success'],
      ['app-token', 'success'],
      ['checklist', 'success'],
    ]);
    expect(minted).toHaveLength(1);
    expect(minted[0]!.environment).toBe('checklist-app');
    expect(minted[0]!.with['client-id']).toBe(CLIENT_ID);
    expect(minted[0]!.with['private-key']).toContain('BEGIN RSA PRIVATE KEY');
    // The action got the minted token, not the job token.
    expect(run.result.steps.find((s) => s.id === 'checklist')?.with.token).toBe(MINTED);
    expect(server.commentsOn(PR).map((c) => c.author.login)).toEqual([`${APP.slug}[bot]`]);
    expect(checkRuns().map((r) => r.app.slug)).toEqual([APP.slug]);

    // A reviewer's tick goes the same way.
    const checklist = server.commentsOn(PR)[0]!;
    const change = server.editComment(checklist.id, writer, tick(UNIT));
    const ticked = await deliver('issue_comment', commentEditedEvent(server, PR, checklist.id, writer, change), { root, secrets: { SAFE_DEPLOY_CHECKLIST_APP_PRIVATE_KEY: 'key' } });
    expect(ticked.jobs).toEqual(['checklist-app']);
    expect(checkRuns()[0]!.output.text).toContain('unit-tests');
  });

  it('without the key in the environment, fails before any GitHub request and says what to add', async () => {
    const run = await deliver('pull_request_target', pullRequestEvent(server, PR, 'opened'), { root: appRoot(), secrets: {} });
    expect(run.result.result).toBe('failure');
    expect(run.requests).toBe(0);
    expect(minted).toEqual([]);
    const check = run.result.steps.find((s) => s.id === 'app-secrets')!;
    expect(check.outcome).toBe('failure');
    expect(check.annotations.join('\n')).toContain('SAFE_DEPLOY_CHECKLIST_APP_PRIVATE_KEY is empty in environment checklist-app');
    expect(run.result.steps.filter((s) => s.id !== 'app-secrets').map((s) => [s.id, s.outcome])).toEqual([
      ['app-token', 'skipped'],
      ['checklist', 'skipped'],
    ]);
  });
});
