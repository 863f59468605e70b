// The checklist workflow on real GitHub: which events start an evaluation (the job `if:`, evaluated
// with GitHub's expression evaluator on the payloads GitHub sends), that they queue instead of being
// dropped, the least privilege of each job, and the dedicated-App path (D1): the reusable workflow
// mints the App's token itself inside an environment, and the starter template can switch to it.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { CHECKLIST_MARKER } from '../../packages/core/src/checklist-marker.js';
import { condition } from './evaluate.js';
import { runStep, workflowStep } from './run-step.js';
import { actionFiles, formatProblem, PINNED_ACTIONS, REPO_ROOT, workflowFiles, workflowProblems } from './workflow-checks.js';

const WORKFLOW = '.github/workflows/review-checklist.yml';
const TEMPLATE = 'workflows-templates/deploy-checklist.yml';
const APP_TOKEN_ACTION = 'actions/create-github-app-token@bcd2ba49218906704ab6c1aa796996da409d3eb1';

interface Step {
  id: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  if?: string;
  uses?: string;
  environment?: string | { name: string; deployment?: boolean | string };
  concurrency?: { group: string; 'cancel-in-progress'?: boolean; queue?: string };
  permissions?: Record<string, string>;
  secrets?: string | Record<string, string>;
  with?: Record<string, unknown>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, { types?: string[]; inputs?: Record<string, { type: string; default?: unknown }>; secrets?: Record<string, unknown> } | null>;
  jobs: Record<string, Job>;
}

const doc = parse(readFileSync(WORKFLOW, 'utf8')) as Workflow;
const template = parse(readFileSync(TEMPLATE, 'utf8')) as Workflow;
const tokenJob = (doc.jobs.checklist ?? {}) as Job;
const appJob = (doc.jobs['checklist-app'] ?? {}) as Job;
const stepOf = (job: Job, id: string) => {
  const found = job.steps?.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};

// ---- payloads as GitHub sends them (only the fields the filter reads) --------------------------

const REPO = 'acme/orders';
const BOT = { login: 'github-actions[bot]', type: 'Bot' };
const checklistBody = `${CHECKLIST_MARKER}\n## Deployment safety checklist\n- [x] Safe to deploy now <!-- item:safe-to-deploy-now -->`;

function prEvent(action: string, changes: Record<string, unknown> = {}) {
  return {
    event_name: 'pull_request_target',
    repository: REPO,
    event: { action, number: 7, changes, pull_request: { number: 7, head: { repo: { full_name: 'someone/orders' } } }, sender: { login: 'dev', type: 'User' } },
  };
}

function commentEvent(action: 'edited' | 'deleted' | 'created', opts: { author?: { login: string; type: string }; sender?: { login: string; type: string }; body?: string; from?: string | null; onPr?: boolean } = {}) {
  const from = opts.from === undefined ? checklistBody : opts.from;
  return {
    event_name: 'issue_comment',
    repository: REPO,
    event: {
      action,
      issue: { number: 7, ...(opts.onPr === false ? {} : { pull_request: { url: `https://api.github.com/repos/${REPO}/pulls/7` } }) },
      comment: { id: 11, user: opts.author ?? BOT, body: opts.body ?? checklistBody },
      ...(action === 'edited' && from !== null ? { changes: { body: { from } } } : {}),
      sender: opts.sender ?? { login: 'alice', type: 'User' },
    },
  };
}

/** One of each kind of event the filter must decide on (both ways). */
function sampleEvents() {
  const mallory = { login: 'mallory', type: 'User' };
  return [
    ...['opened', 'synchronize', 'reopened', 'ready_for_review', 'closed'].map((a) => prEvent(a)),
    prEvent('edited', { base: { ref: { from: 'next' }, sha: { from: 'b'.repeat(40) } } }),
    prEvent('edited', { title: { from: 't' } }),
    commentEvent('edited'),
    commentEvent('edited', { body: 'all gone' }),
    commentEvent('deleted'),
    commentEvent('edited', { author: mallory, sender: mallory, body: 'nit', from: 'nit!' }),
    commentEvent('edited', { author: mallory, sender: mallory }),
    commentEvent('edited', { sender: BOT }),
    commentEvent('edited', { onPr: false }),
    commentEvent('created', { author: mallory, sender: mallory, from: null }),
  ];
}

/** Which job of the reusable workflow runs for this event, with or without the App. */
function runs(github: Record<string, unknown>, inputs: Record<string, unknown> = {}): string[] {
  return Object.entries(doc.jobs)
    .filter(([, job]) => condition(job.if ?? 'true', { github, inputs }))
    .map(([id]) => id);
}

describe('review-checklist.yml runs only for events that can change the answer (F5, L9)', () => {
  it('listens to pull_request_target and issue_comment only, with the actions that matter', () => {
    expect(Object.keys(doc.on).sort()).toEqual(['issue_comment', 'pull_request_target', 'workflow_call']);
    expect(doc.on.pull_request_target?.types).toEqual(['opened', 'synchronize', 'reopened', 'edited', 'ready_for_review']);
    expect(doc.on.issue_comment?.types).toEqual(['edited', 'deleted']);
  });

  it('evaluates a pull request opened, pushed to, reopened or marked ready', () => {
    for (const action of ['opened', 'synchronize', 'reopened', 'ready_for_review']) expect(runs(prEvent(action))).toEqual(['checklist']);
    // A caller may subscribe to more pull request actions; none of these can change the answer.
    for (const action of ['closed', 'labeled', 'assigned', 'review_requested', 'converted_to_draft']) expect(runs(prEvent(action))).toEqual([]);
  });

  it('evaluates a retarget to another base, not a title or body edit', () => {
    expect(runs(prEvent('edited', { base: { ref: { from: 'next' }, sha: { from: 'b'.repeat(40) } } }))).toEqual(['checklist']);
    expect(runs(prEvent('edited', { title: { from: 'old title' } }))).toEqual([]);
    expect(runs(prEvent('edited', { body: { from: 'old body' } }))).toEqual([]);
  });

  it("evaluates a person's edit of the action's checklist comment (a tick, an untick)", () => {
    expect(runs(commentEvent('edited'))).toEqual(['checklist']);
    // The marker was removed by the edit: only changes.body.from still has it.
    expect(runs(commentEvent('edited', { body: 'all gone' }))).toEqual(['checklist']);
    // The checklist comment deleted: the next run posts it again from the check run's ledger.
    expect(runs(commentEvent('deleted'))).toEqual(['checklist']);
  });

  it('never lets other comments join the group: edits of any other comment start nothing (F5)', () => {
    // Someone edits their own comment on the pull request (the old filter admitted this, and such
    // a run could replace an untick's pending run in the concurrency group).
    expect(runs(commentEvent('edited', { author: { login: 'mallory', type: 'User' }, sender: { login: 'mallory', type: 'User' }, body: 'nit: typo', from: 'nit: tpyo' }))).toEqual([]);
    // A person's copy of the checklist, marker included.
    expect(runs(commentEvent('edited', { author: { login: 'mallory', type: 'User' }, sender: { login: 'mallory', type: 'User' } }))).toEqual([]);
    // Another bot's comment without the marker (a coverage report).
    expect(runs(commentEvent('edited', { author: { login: 'codecov[bot]', type: 'Bot' }, body: 'coverage 81%', from: 'coverage 80%' }))).toEqual([]);
    // The action's own write (GITHUB_TOKEN starts no run, an App token does: skipped either way).
    expect(runs(commentEvent('edited', { sender: BOT }))).toEqual([]);
    // A comment on an issue.
    expect(runs(commentEvent('edited', { onPr: false }))).toEqual([]);
    // New comments (a caller may subscribe to every issue_comment type): a person quoting the
    // checklist, and the action posting it (the sender of a new comment is its author).
    const mallory = { login: 'mallory', type: 'User' };
    expect(runs(commentEvent('created', { author: mallory, sender: mallory, from: null }))).toEqual([]);
    expect(runs(commentEvent('created', { sender: BOT, from: null }))).toEqual([]);
  });

  it('reads the marker the action writes (the filter and packages/core agree)', () => {
    const filtered = [...(tokenJob.if as string).matchAll(/contains\([^,]+, '([^']+)'\)/g)].map((m) => m[1]);
    expect(filtered.length).toBe(2);
    for (const marker of filtered) expect(CHECKLIST_MARKER.startsWith(marker as string)).toBe(true);
  });

  it('the App job applies the same filter and exactly one of the two jobs runs', () => {
    const normalise = (text: string) => text.replace(/\s+/g, ' ').replace(/&& !?inputs\.app-environment\s*$/, '').trim();
    expect(normalise(appJob.if as string)).toBe(normalise(tokenJob.if as string));
    const app = { 'app-environment': 'checklist-app' };
    expect(runs(commentEvent('edited'), app)).toEqual(['checklist-app']);
    expect(runs(prEvent('synchronize'), app)).toEqual(['checklist-app']);
    expect(runs(prEvent('edited', { title: { from: 't' } }), app)).toEqual([]);
    expect(runs(commentEvent('edited', { author: { login: 'mallory', type: 'User' }, sender: { login: 'mallory', type: 'User' }, body: 'x', from: 'y' }), app)).toEqual([]);
    expect(runs(prEvent('opened'), { 'app-environment': '' })).toEqual(['checklist']);
  });

  it('the starter template listens to exactly the events the reusable workflow evaluates', () => {
    const own = Object.fromEntries(Object.entries(doc.on).filter(([name]) => name !== 'workflow_call'));
    expect(template.on).toEqual(own);
    // The filter lives in the called workflow only, so the two cannot drift apart.
    expect(template.jobs.checklist?.if).toBeUndefined();
  });
});

describe('review-checklist.yml queues every evaluation instead of dropping it', () => {
  it.each(['checklist', 'checklist-app'])('%s: one group per pull request, nothing cancelled, queue: max', (id) => {
    const concurrency = doc.jobs[id]?.concurrency;
    expect(concurrency).toEqual({
      group: 'safe-deploy-checklist-${{ github.repository }}-${{ github.event.pull_request.number || github.event.issue.number }}',
      'cancel-in-progress': false,
      queue: 'max',
    });
  });
});

describe('review-checklist.yml least privilege (L8)', () => {
  it('the job token may write comments and check runs, and only read pull requests and contents', () => {
    expect(tokenJob.permissions).toEqual({ contents: 'read', 'pull-requests': 'read', issues: 'write', checks: 'write' });
  });

  it('the App job gives the job token nothing: the App token does the work', () => {
    expect(appJob.permissions).toEqual({});
  });

  it('the starter template grants the caller job the same, and no more', () => {
    expect(template.jobs.checklist?.permissions).toEqual({ contents: 'read', 'pull-requests': 'read', issues: 'write', checks: 'write' });
  });
});

describe('review-checklist.yml: a dedicated GitHub App as the check source (D1)', () => {
  it('takes the environment that holds the App key as an input, and the client ID', () => {
    const inputs = doc.on.workflow_call?.inputs ?? {};
    expect(inputs['app-environment']).toMatchObject({ type: 'string', default: '' });
    expect(inputs['app-client-id']).toMatchObject({ type: 'string', default: '' });
  });

  it('runs the App job in that environment, without a deployment record per event', () => {
    expect(appJob.environment).toEqual({ name: '${{ inputs.app-environment }}', deployment: false });
    expect(tokenJob.environment).toBeUndefined();
  });

  it('mints the installation token inside the job, with create-github-app-token pinned by commit', () => {
    const ids = (appJob.steps ?? []).map((s) => s.id);
    expect(ids).toEqual(['app-secrets', 'app-token', 'checklist']);
    const mint = stepOf(appJob, 'app-token');
    expect(mint.uses).toBe(APP_TOKEN_ACTION);
    expect(PINNED_ACTIONS[APP_TOKEN_ACTION]?.tag).toBe('v3.2.0');
    // The key comes from the environment's secrets, never through the caller's `secrets:` mapping.
    expect(mint.with).toEqual({
      'client-id': '${{ inputs.app-client-id || vars.SAFE_DEPLOY_CHECKLIST_APP_CLIENT_ID }}',
      'private-key': '${{ secrets.SAFE_DEPLOY_CHECKLIST_APP_PRIVATE_KEY }}',
    });
    expect(Object.keys(doc.on.workflow_call?.secrets ?? {})).not.toContain('SAFE_DEPLOY_CHECKLIST_APP_PRIVATE_KEY');
    expect(stepOf(appJob, 'checklist').with?.token).toBe('${{ steps.app-token.outputs.token }}');
  });

  it('the key never reaches a shell: only whether it is set', () => {
    const check = stepOf(appJob, 'app-secrets');
    for (const text of Object.values(check.env ?? {})) {
      if (text.includes('secrets.')) expect(text).toBe("${{ secrets.SAFE_DEPLOY_CHECKLIST_APP_PRIVATE_KEY != '' }}");
    }
    expect(JSON.stringify(stepOf(appJob, 'checklist'))).not.toContain('secrets.');
  });

  describe('an App environment without its key or client ID fails first, naming what is missing', () => {
    const check = () => workflowStep(WORKFLOW, 'checklist-app', 'app-secrets');

    it('passes when both are set', () => {
      const result = runStep(check(), { HAS_KEY: 'true', HAS_CLIENT_ID: 'true', APP_ENVIRONMENT: 'checklist-app' });
      expect(result.status).toBe(0);
      expect(result.stdout).toBe('');
    });

    it('without the key: names the environment, the secret and `secrets: inherit`', () => {
      const result = runStep(check(), { HAS_KEY: 'false', HAS_CLIENT_ID: 'true', APP_ENVIRONMENT: 'checklist-app' });
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/^::error title=safe-deploy review checklist::input app-environment: the secret SAFE_DEPLOY_CHECKLIST_APP_PRIVATE_KEY is empty in environment checklist-app\..*'secrets: inherit'/m);
    });

    it('without the client ID: names the input and the variable', () => {
      const result = runStep(check(), { HAS_KEY: 'true', HAS_CLIENT_ID: 'false', APP_ENVIRONMENT: 'checklist-app' });
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/^::error title=safe-deploy review checklist::input app-client-id: empty, and environment checklist-app has no variable SAFE_DEPLOY_CHECKLIST_APP_CLIENT_ID/m);
    });

    it('an environment name cannot start a runner command', () => {
      const result = runStep(check(), { HAS_KEY: 'false', HAS_CLIENT_ID: 'false', APP_ENVIRONMENT: 'x\n::add-mask::us-east-1' });
      expect(result.status).toBe(1);
      expect(result.stdout.split('\n').filter((l) => l.startsWith('::') && !l.startsWith('::error title=safe-deploy review checklist::'))).toEqual([]);
    });
  });

  describe('the starter template switched to the App (its two commented lines) still validates', () => {
    let root: string;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'safe-deploy-app-template-'));
      for (const file of [...workflowFiles(), ...actionFiles()]) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        cpSync(join(REPO_ROOT, file), join(root, file));
      }
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('with secrets: inherit and app-environment', async () => {
      const text = readFileSync(TEMPLATE, 'utf8');
      const switched = text.replace('    # secrets: inherit\n', '    secrets: inherit\n').replace('      # app-environment: checklist-app\n', '      app-environment: checklist-app\n');
      expect(switched).not.toBe(text);
      const job = (parse(switched) as Workflow).jobs.checklist as Job;
      expect(job.secrets).toBe('inherit');
      expect(job.with?.['app-environment']).toBe('checklist-app');
      writeFileSync(join(root, TEMPLATE), switched);
      expect((await workflowProblems(TEMPLATE, root)).map(formatProblem)).toEqual([]);
    });

    it('a misspelt input of the called workflow is caught in that form too', async () => {
      const text = readFileSync(TEMPLATE, 'utf8').replace('      # app-environment: checklist-app\n', '      app-enviroment: checklist-app\n');
      writeFileSync(join(root, TEMPLATE), text);
      expect((await workflowProblems(TEMPLATE, root)).map(formatProblem).join('\n')).toMatch(/app-enviroment/);
    });
  });

  describe('the hand-written App workflow in docs/review-checklist.md', () => {
    const docText = readFileSync('docs/review-checklist.md', 'utf8');
    const section = docText.slice(docText.indexOf('**The hand-written workflow**'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    let root: string;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'safe-deploy-doc-workflow-'));
      for (const file of actionFiles()) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        cpSync(join(REPO_ROOT, file), join(root, file));
      }
      mkdirSync(join(root, '.github/workflows'), { recursive: true });
      writeFileSync(join(root, '.github/workflows/deploy-checklist.yml'), block);
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('passes GitHub validation and our rules', async () => {
      expect(block).toContain('actions/create-github-app-token@');
      expect((await workflowProblems('.github/workflows/deploy-checklist.yml', root)).map(formatProblem)).toEqual([]);
    });

    it('has the reusable workflow\'s events, filter, queue and token path', () => {
      const hand = parse(block) as Workflow;
      const job = hand.jobs.checklist as Job;
      expect(hand.on).toEqual(template.on);
      // The same decision as the reusable workflow's filter on every sample event.
      for (const github of sampleEvents()) {
        expect([github.event.action, condition(job.if as string, { github })]).toEqual([github.event.action, condition(tokenJob.if as string, { github, inputs: {} })]);
      }
      expect(job.concurrency).toMatchObject({ 'cancel-in-progress': false, queue: 'max' });
      expect(job.environment).toEqual({ name: 'checklist-app', deployment: false });
      expect(job.permissions).toEqual({});
      expect(stepOf(job, 'app-token').uses).toBe(APP_TOKEN_ACTION);
      expect(stepOf(job, 'checklist').with?.token).toBe('${{ steps.app-token.outputs.token }}');
    });
  });
});
