// review-checklist against a hostile author: each case of the security review (findings/security.md
// F1 to F7) as an attack on dist/review-checklist/index.js, run the way the runner runs it against the
// loopback GitHub server. Every case states the outcome an attacker wants and asserts that it does not
// happen: no `success` check run on a commit whose checklist was not answered for that very commit,
// base and template by eligible reviewers.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { GitHubServer, type Person } from '../helpers/github-server.js';
import { commentEditedEvent, pullRequestEvent, reviewEvent, runAction, type ActionResult } from '../e2e/review-checklist-harness.js';

const PR = 7;
const H1 = 'a1'.repeat(20);
const H2 = 'b2'.repeat(20);
const SAFE = 'It is safe to merge and deploy this change now.';
const MIGRATION = 'The migration is deployed before the code that needs it.';
const MIGRATION_FILE = 'db/migrations/042_drop_orders.sql';
const TEMPLATE = [
  'version: 1',
  'sections:',
  '  - id: rollout',
  '    title: Rollout',
  '    items:',
  `      - { id: safe-to-deploy-now, text: ${SAFE} }`,
  `      - { id: migration-first, text: ${MIGRATION}, when: { paths: ["db/migrations/**"] } }`,
  '',
].join('\n');

let server: GitHubServer;
let dev: Person;
let alice: Person;
let bob: Person;

async function startServer(app?: { slug: string; id: number; name: string }): Promise<void> {
  server = await new GitHubServer('acme/orders', app).start();
  dev = server.person('dev');
  alice = server.person('alice');
  bob = server.person('bob');
  server.permissions.set('dev', 'write');
  server.permissions.set('alice', 'write');
  server.permissions.set('bob', 'maintain');
  server.files.set('.github/deploy-checklist.yml', TEMPLATE);
}

beforeEach(async () => {
  await startServer();
});

afterEach(async () => {
  await server.stop();
});

const tick = (text: string) => (body: string) => body.replace(`- [ ] ${text}`, `- [x] ${text}`);
const untick = (text: string) => (body: string) => body.replace(`- [x] ${text}`, `- [ ] ${text}`);

function ok(result: ActionResult): ActionResult {
  if (result.code !== 0) throw new Error(`action failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

interface Ledger {
  readonly pr: number;
  readonly head: string;
  readonly base?: { ref: string; sha: string };
  readonly required: string[];
  readonly answers: Record<string, { answer: string; by: string }>;
}

/** Every ledger in a check run's output (each a JSON block after the ledger marker), read independently of the action's decoder. */
function decodeLedgers(text: string | null): Ledger[] {
  const blocks = (text ?? '').split('<!-- safe-deploy:ledger -->').slice(1);
  return blocks.map((block) => JSON.parse(/```json\n([^\n]*)\n```/.exec(block)![1]!) as Ledger);
}

/** Our app's check runs on a commit. */
function runsOn(sha: string) {
  return server.checkRunsFor(sha).filter((run) => run.name === 'deploy-safety-checklist' && run.app.slug === server.app.slug);
}

/** The ledger of one pull request on a commit (the commit's single check run of this app holds every pull request's). */
function ledgerOf(sha: string, pr = PR): Ledger {
  const runs = runsOn(sha);
  expect(runs).toHaveLength(1);
  const ledger = decodeLedgers(runs[0]!.output.text).find((entry) => entry.pr === pr);
  expect(ledger).toBeDefined();
  return ledger!;
}

async function openPull(pr = PR): Promise<number> {
  const result = ok(await runAction(server, { eventName: 'pull_request_target', payload: pullRequestEvent(server, pr, 'opened') }));
  return Number(result.outputs['comment-id']);
}

async function edit(id: number, editor: Person, change: (body: string) => string, pr = PR): Promise<ActionResult> {
  const edited = server.editComment(id, editor, change);
  return ok(await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, pr, id, editor, edited) }));
}

async function push(sha: string, before: string, sender: Person, extra: { files?: string[]; inputs?: Record<string, string> } = {}): Promise<ActionResult> {
  server.push(PR, sha, extra.files);
  return ok(
    await runAction(server, {
      eventName: 'pull_request_target',
      payload: pullRequestEvent(server, PR, 'synchronize', { before, sender }),
      ...(extra.inputs ? { inputs: extra.inputs } : {}),
    }),
  );
}

describe('F7: answers belong to one head, also after a force-push back to an older one', () => {
  it('a force-push back to a head answered for earlier starts afresh and credits nothing given for the newer head', async () => {
    server.addPull(PR, dev, H1, [MIGRATION_FILE]);
    const id = await openPull();
    await push(H2, H1, dev, { files: [MIGRATION_FILE] });
    // One edit, two ticks: a reviewer answering several items at once is credited for each.
    const answered = await edit(id, alice, (body) => tick(MIGRATION)(tick(SAFE)(body)));
    expect(answered.outputs.complete).toBe('true');
    expect(ledgerOf(H2).answers).toMatchObject({ 'safe-to-deploy-now': { by: 'alice' }, 'migration-first': { by: 'alice' } });
    expect(runsOn(H2)[0]!.conclusion).toBe('success');
    // The same synchronize delivered again (H2's ledger is newer than H1's) continues H2's ledger.
    const redelivered = ok(await runAction(server, { eventName: 'pull_request_target', payload: pullRequestEvent(server, PR, 'synchronize', { before: H1, sender: dev }) }));
    expect(redelivered.outputs.complete).toBe('true');

    const back = await push(H1, H2, dev, { files: [MIGRATION_FILE] });
    expect(back.outputs.complete).toBe('false');
    expect(ledgerOf(H1).answers).toEqual({});
    expect(runsOn(H1)[0]!.conclusion).toBe('action_required');
    expect(server.commentById(id).body).toContain(`- [ ] ${SAFE}`);
    expect(back.stdout).not.toContain('credited to @alice');

    // The reviewers' next tick counts for H1 alone, from the reset on.
    const again = await edit(id, bob, tick(SAFE));
    expect(Object.keys(ledgerOf(H1).answers)).toEqual(['safe-to-deploy-now']);
    expect(again.outputs.complete).toBe('false');
  });

  it('a stale pull_request_target or pull_request_review payload (re-run of an old run) steps aside', async () => {
    server.addPull(PR, dev, H1, [MIGRATION_FILE]);
    const openedAtH1 = pullRequestEvent(server, PR, 'opened');
    const reviewAtH1 = reviewEvent(server, PR, alice);
    const id = await openPull();
    await push(H2, H1, dev);
    await edit(id, alice, (body) => tick(MIGRATION)(tick(SAFE)(body)));

    for (const [eventName, payload] of [['pull_request_target', openedAtH1], ['pull_request_review', reviewAtH1]] as const) {
      const rerun = ok(await runAction(server, { eventName, payload }));
      expect(rerun.outputs.evaluated).toBe('false');
      expect(rerun.stdout).toContain(`head ${H1.slice(0, 7)}`);
      expect(rerun.requestLog).toEqual(['GET /repos/acme/orders/pulls/7']);
    }
    expect(runsOn(H1).map((run) => run.conclusion)).toEqual(['action_required']);
    expect(ledgerOf(H1).answers).toEqual({});
  });
});

describe('F1: answers belong to one base', () => {
  it('retargeting the pull request to another base resets the answers and recomputes what is required', async () => {
    const NEXT_SHA = 'c'.repeat(40);
    const MAIN_SHA = 'd'.repeat(40);
    server.addPull(PR, dev, H1, ['src/handler.ts'], { baseRef: 'next', baseSha: NEXT_SHA });
    const id = await openPull();
    const answered = await edit(id, alice, tick(SAFE));
    expect(answered.outputs.complete).toBe('true');

    server.retarget(PR, 'main', MAIN_SHA, ['src/handler.ts', MIGRATION_FILE]);
    const result = ok(await runAction(server, { eventName: 'pull_request_target', payload: pullRequestEvent(server, PR, 'edited', { baseFrom: { ref: 'next', sha: NEXT_SHA } }) }));
    expect(result.outputs.complete).toBe('false');
    expect(JSON.parse(result.outputs.missing!)).toEqual(['safe-to-deploy-now', 'migration-first']);
    const ledger = ledgerOf(H1);
    expect(ledger.base).toMatchObject({ ref: 'main', sha: MAIN_SHA });
    expect(ledger.required).toEqual(['safe-to-deploy-now', 'migration-first']);
    expect(ledger.answers).toEqual({});
    expect(runsOn(H1)[0]!.conclusion).toBe('action_required');
    expect(server.commentById(id).body).toContain('base branch changed from `next` to `main`');
    expect(result.requestLog).toContain('GET /repos/acme/orders/pulls/7/files?per_page=100');
    // What the retarget costs: the files and the commits against the new base are read again (9 requests).
    expect(result.requests).toBe(9);

    // A tick event that still carries the old base (a comment event reads the pull request itself) changes nothing of that.
    await edit(id, alice, tick(SAFE));
    expect(ledgerOf(H1).required).toEqual(['safe-to-deploy-now', 'migration-first']);
    expect(ledgerOf(H1).answers['migration-first']).toBeUndefined();
  });

  it('a base whose template rewords an item (same id) does not keep the answer given for the old wording (L7)', async () => {
    const NEXT_SHA = 'c'.repeat(40);
    const MAIN_SHA = 'd'.repeat(40);
    server.addPull(PR, dev, H1, ['src/handler.ts'], { baseRef: 'next', baseSha: NEXT_SHA });
    const id = await openPull();
    await edit(id, alice, tick(SAFE));
    const reworded = TEMPLATE.replace(SAFE, 'It is safe to deploy this change now and its migration has run in every region.');
    server.filesAt.set(MAIN_SHA, new Map([['.github/deploy-checklist.yml', reworded]]));
    server.retarget(PR, 'main', MAIN_SHA);
    const result = ok(await runAction(server, { eventName: 'pull_request_target', payload: pullRequestEvent(server, PR, 'edited', { baseFrom: { ref: 'next', sha: NEXT_SHA } }) }));
    expect(result.outputs.complete).toBe('false');
    expect(ledgerOf(H1).answers).toEqual({});
  });

  it('the base branch moving on keeps the answers when the diff and the template are the same', async () => {
    server.addPull(PR, dev, H1, ['src/handler.ts']);
    const id = await openPull();
    await edit(id, alice, tick(SAFE));
    server.advanceBase(PR, 'e'.repeat(40));
    const result = ok(await runAction(server, { eventName: 'pull_request_review', payload: reviewEvent(server, PR, bob) }));
    expect(result.outputs.complete).toBe('true');
    // The files are read again at the new base commit, and the still-green check asks which open pull requests share the head.
    expect(result.requestLog).toEqual([
      'GET /repos/acme/orders/pulls/7',
      `GET /repos/acme/orders/contents/.github%2Fdeploy-checklist.yml?ref=${'e'.repeat(40)}`,
      'POST /graphql viewer',
      `GET /repos/acme/orders/commits/${H1}/check-runs?check_name=deploy-safety-checklist&filter=all&per_page=100`,
      `GET /repos/acme/orders/issues/comments/${id}`,
      'GET /repos/acme/orders/pulls/7/files?per_page=100',
      `GET /repos/acme/orders/commits/${H1}/pulls?per_page=100`,
      `PATCH /repos/acme/orders/check-runs/${runsOn(H1)[0]!.id}`,
    ]);
    expect(ledgerOf(H1).base).toMatchObject({ ref: 'main', sha: 'e'.repeat(40) });
    expect(ledgerOf(H1).answers['safe-to-deploy-now']).toMatchObject({ by: 'alice' });
  });
});

describe('F2: one commit, several pull requests', () => {
  it('answers in one pull request never make the shared head commit green while another open pull request with that head is unanswered', async () => {
    server.addPull(7, dev, H1, ['src/handler.ts', MIGRATION_FILE], { headRef: 'feature-a' });
    server.addPull(8, dev, H1, ['src/handler.ts'], { headRef: 'feature-b', baseRef: 'next', baseSha: 'c'.repeat(40) });
    await openPull(7);
    const id8 = await openPull(8);
    const answered8 = await edit(id8, alice, tick(SAFE), 8);
    expect(answered8.outputs.complete).toBe('true'); // PR 8 itself is answered
    // ... but the commit's check (what branch protection reads, by commit and name) is not green.
    expect(runsOn(H1).map((run) => run.conclusion)).toEqual(['action_required']);
    expect(runsOn(H1)[0]!.output.summary).toContain('#7');

    // Re-evaluating PR 7 keeps it so.
    ok(await runAction(server, { eventName: 'pull_request_review', payload: reviewEvent(server, 7, bob) }));
    expect(runsOn(H1).map((run) => run.conclusion)).toEqual(['action_required']);

    // When PR 7 is answered too, the one check run turns green, and it holds both ledgers.
    const id7 = Number(server.commentsOn(7)[0]!.id);
    await edit(id7, bob, (body) => tick(MIGRATION)(tick(SAFE)(body)), 7);
    expect(runsOn(H1).map((run) => run.conclusion)).toEqual(['success']);
    expect(decodeLedgers(runsOn(H1)[0]!.output.text).map((ledger) => ledger.pr).sort()).toEqual([7, 8]);

    // PR 7 unticks: the commit is not green any more, whatever PR 8 says.
    await edit(id7, bob, untick(SAFE), 7);
    expect(runsOn(H1).map((run) => run.conclusion)).toEqual(['action_required']);
  });

  it('a pull request that shares the head but was never evaluated keeps the check from turning green', async () => {
    server.addPull(7, dev, H1, ['src/handler.ts']);
    const id = await openPull(7);
    server.addPull(8, dev, H1, ['src/handler.ts'], { headRef: 'feature-b' }); // its opened run never came
    const result = await edit(id, alice, tick(SAFE));
    expect(result.outputs.complete).toBe('true');
    expect(runsOn(H1).map((run) => run.conclusion)).toEqual(['action_required']);
    expect(runsOn(H1)[0]!.output.summary).toContain('#8');
    // Once #8 is closed, #7's next evaluation turns the commit green.
    server.closePull(8);
    const after = ok(await runAction(server, { eventName: 'pull_request_review', payload: reviewEvent(server, 7, bob) }));
    expect(after.requestLog).toContain(`GET /repos/acme/orders/commits/${H1}/pulls?per_page=100`);
    expect(runsOn(H1).map((run) => run.conclusion)).toEqual(['success']);
  });
});

describe('F2: older runs of this app on the commit', () => {
  it('a green run left by an older version (format 1 ledger) is taken over, never left green beside an open checklist', async () => {
    server.addPull(PR, dev, H1);
    const old = { format: 1, pr: PR, head: H1, commentId: null, bot: 'github-actions[bot]', template: 'x', required: [], answers: {}, notes: {}, written: null, resetFrom: null, started: null };
    server.forgeCheckRun(H1, 'deploy-safety-checklist', 'success', `<!-- safe-deploy:ledger -->\n\`\`\`json\n${JSON.stringify(old)}\n\`\`\``);
    await openPull();
    expect(runsOn(H1).map((run) => run.conclusion)).toEqual(['action_required']);
    expect(ledgerOf(H1).required).toEqual(['safe-to-deploy-now']);
  });
});

describe('F3: the pusher and the commit authors cannot answer', () => {
  it('refuses ticks by the last pusher and by authors and committers of the commits, even when a bot opened the pull request', async () => {
    const renovate = server.person('renovate[bot]', true);
    const carol = server.person('carol');
    const mallory = server.person('mallory');
    for (const login of ['carol', 'mallory']) server.permissions.set(login, 'write');
    server.addPull(PR, renovate, H1, ['src/handler.ts']);
    const id = await openPull();
    // alice pushes her own commit onto the bot's pull request; bob committed (rebased) the bot's commit.
    server.setCommits(PR, [
      { sha: H1, author: renovate, committer: bob },
      { sha: H2, author: alice, committer: alice },
    ]);
    await push(H2, H1, alice);
    let result = await edit(id, alice, tick(SAFE));
    expect(result.outputs.complete).toBe('false');
    expect(server.commentById(id).body).toContain('The tick by @alice was removed: @alice pushed');
    result = await edit(id, bob, tick(SAFE));
    expect(result.outputs.complete).toBe('false');
    expect(server.commentById(id).body).toContain('The tick by @bob was removed: @bob committed');

    // mallory force-pushes a commit she neither wrote nor committed: the pusher alone is enough to refuse her.
    const H3 = 'c3'.repeat(20);
    server.setCommits(PR, [{ sha: H3, author: renovate, committer: renovate }]);
    await push(H3, H2, mallory);
    result = await edit(id, mallory, tick(SAFE));
    expect(result.outputs.complete).toBe('false');
    expect(server.commentById(id).body).toContain('@mallory pushed');
    result = await edit(id, carol, tick(SAFE));
    expect(result.outputs.complete).toBe('true');
    expect(ledgerOf(H3).answers['safe-to-deploy-now']).toMatchObject({ by: 'carol' });
  });
});

describe('F4: a revision saved from an older state of the comment credits nothing', () => {
  it("a stale copy saved after a reset credits neither the old ticks nor the saver's own", async () => {
    server.addPull(PR, dev, H1, [MIGRATION_FILE]);
    const id = await openPull();
    await edit(id, alice, tick(MIGRATION));
    const staleCopy = server.commentById(id).body.replace(/\r\n/g, '\n'); // what bob's open tab still shows
    await push(H2, H1, dev, { files: [MIGRATION_FILE] });
    expect(ledgerOf(H2).answers).toEqual({});
    // bob ticks "safe" in his stale tab and saves the whole body.
    const result = await edit(id, bob, () => tick(SAFE)(staleCopy));
    expect(result.outputs.complete).toBe('false');
    expect(ledgerOf(H2).answers).toEqual({});
    const body = server.commentById(id).body;
    expect(body).toContain(`- [ ] ${SAFE}`);
    expect(body).toContain(`- [ ] ${MIGRATION}`);
    expect(body).toContain('outdated copy');
  });

  it('a stale copy of the same head (an answer since withdrawn) does not bring the withdrawn answer back', async () => {
    server.addPull(PR, dev, H1, [MIGRATION_FILE]);
    const id = await openPull();
    await edit(id, alice, tick(MIGRATION));
    const staleCopy = server.commentById(id).body.replace(/\r\n/g, '\n');
    await edit(id, alice, untick(MIGRATION));
    expect(ledgerOf(H1).answers).toEqual({});
    await edit(id, bob, () => tick(SAFE)(staleCopy));
    expect(ledgerOf(H1).answers).toEqual({});
  });
});

describe('F5: an untick made while a run works is not written over', () => {
  it('re-reads the comment before writing, so an untick lands even when its own run never comes', async () => {
    server.files.set('.github/deploy-checklist.yml', TEMPLATE.split('\n').filter((line) => !line.includes('migration-first')).join('\n'));
    server.addPull(PR, dev, H1);
    const id = await openPull();
    const ticked = server.editComment(id, alice, tick(SAFE));
    // While the run for the tick works (after it read the comment), alice unticks; that run is then dropped.
    server.afterNextCommentRead = () => {
      server.editComment(id, alice, untick(SAFE));
    };
    const result = ok(await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, alice, ticked) }));
    expect(result.outputs.complete).toBe('false');
    expect(server.commentById(id).body).toContain(`- [ ] ${SAFE}`);
    // The next run (a title edit) finds no answer either.
    const later = ok(await runAction(server, { eventName: 'pull_request_target', payload: pullRequestEvent(server, PR, 'edited') }));
    expect(later.outputs.complete).toBe('false');
    expect(ledgerOf(H1).answers).toEqual({});
  });
});

describe("F6: the token's identity is known or the run fails", () => {
  it('fails, writing nothing, when GraphQL viewer cannot be read, instead of trusting github-actions ledgers', async () => {
    await server.stop();
    await startServer({ slug: 'checklist-app', id: 90210, name: 'checklist app' });
    server.addPull(PR, dev, H1);
    // Any workflow can write these as github-actions: a check run with a ledger in which everything is answered, and a marker comment.
    const githubActions = server.person('github-actions[bot]', true);
    const forged = server.postComment(PR, githubActions, `<!-- safe-deploy:review-checklist -->\n## Deployment safety checklist\n- [x] ${SAFE} <!-- item:safe-to-deploy-now -->\n`);
    const ledger = {
      format: 1,
      pr: PR,
      head: H1,
      commentId: forged.id,
      bot: 'github-actions[bot]',
      template: 'x',
      required: ['safe-to-deploy-now'],
      answers: { 'safe-to-deploy-now': { answer: 'yes', by: 'alice', at: '2026-11-26T08:00:00Z' } },
      notes: {},
      written: null,
      resetFrom: null,
      started: null,
    };
    server.forgeCheckRun(H1, 'deploy-safety-checklist', 'success', `<!-- safe-deploy:ledger -->\n\`\`\`json\n${JSON.stringify(ledger)}\n\`\`\``);
    server.push(PR, H2);
    server.viewerFailures = 3;
    const result = await runAction(server, {
      eventName: 'pull_request_target',
      payload: pullRequestEvent(server, PR, 'synchronize', { before: H1 }),
      inputs: { 'reset-on-push': 'false' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::could not read the token's identity");
    expect(runsOn(H2)).toEqual([]);
    expect(result.requestLog.filter((line) => !line.startsWith('GET') && !line.endsWith('viewer'))).toEqual([]);
  });
});

describe('L1: path globs on attacker-chosen paths', () => {
  it('decides a pathological 6 KB path against a template with four interior ** at once', async () => {
    const pathological = `${'a/b/c/'.repeat(1000)}x.txt`;
    server.files.set(
      '.github/deploy-checklist.yml',
      `${TEMPLATE}      - { id: deep-sql, text: The deep SQL is reviewed., when: { paths: ["**/a/**/b/**/c/**/*.sql"] } }\n`,
    );
    server.addPull(PR, dev, H1, [pathological, 'src/handler.ts']);
    const result = await runAction(server, { eventName: 'pull_request_target', payload: pullRequestEvent(server, PR, 'opened') });
    ok(result);
    expect(JSON.parse(result.outputs.missing!)).toEqual(['safe-to-deploy-now']);
  }, 60_000);
});
