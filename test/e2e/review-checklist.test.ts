// End to end: dist/review-checklist/index.js run the way the runner runs it, against a GitHub
// API server on loopback (REST + GraphQL shapes). Each test starts its own server.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CHECKLIST_MARKER } from '../../packages/core/src/checklist-comment.js';
import { decodeLedger, encodeLedger, type Ledger } from '../../packages/core/src/checklist-ledger.js';
import { GitHubServer, type Person } from '../helpers/github-server.js';
import { commentEditedEvent, pullRequestEvent, reviewEvent, runAction, type ActionResult } from './review-checklist-harness.js';

const PR = 7;
const HEAD = 'a1'.repeat(20);
const UNIT = 'Unit tests cover the new and changed behaviour.';
const INTEGRATION = 'Integration tests exercise the change against real dependencies, not mocks.';
const ROLLBACK = 'The change is backward compatible and safe to roll back';
/** The template is read at the pull request's base commit (the server's base is b…b). */
const TEMPLATE = `GET /repos/acme/orders/contents/.github%2Fdeploy-checklist.yml?ref=${'b'.repeat(40)}`;
/** The token's identity, asked once per evaluation. */
const VIEWER = 'POST /graphql viewer';

let server: GitHubServer;
let author: Person;
let writer: Person;
let maintainer: Person;
let reader: Person;

beforeEach(async () => {
  server = await new GitHubServer('acme/orders').start();
  author = server.person('dev');
  writer = server.person('alice');
  maintainer = server.person('bob');
  reader = server.person('rita');
  server.permissions.set('dev', 'write'); // the author has write access too: still not eligible
  server.permissions.set('alice', 'write');
  server.permissions.set('bob', 'maintain');
  server.permissions.set('rita', 'read');
  server.addPull(PR, author, HEAD);
});

afterEach(async () => {
  await server.stop();
});

const tick = (text: string) => (body: string) => body.replace(`- [ ] ${text}`, `- [x] ${text}`);

function ledgerOf(sha: string): Ledger {
  const runs = server.checkRunsFor(sha).filter((run) => run.name === 'deploy-safety-checklist' && run.app.slug === server.app.slug);
  expect(runs).toHaveLength(1);
  const ledger = decodeLedger(runs[0]!.output.text);
  expect(ledger).not.toBeNull();
  return ledger!;
}

function expectSuccess(result: ActionResult): void {
  if (result.code !== 0) throw new Error(`action failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  expect(result.stdout).not.toContain('::error::');
}

async function open(): Promise<number> {
  const result = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'opened') });
  expectSuccess(result);
  return Number(result.outputs['comment-id']);
}

/** A person edits the checklist comment in the browser and GitHub sends the edited event. */
async function editAndRun(commentId: number, editor: Person, edit: (body: string) => string): Promise<ActionResult> {
  const change = server.editComment(commentId, editor, edit);
  const result = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, commentId, editor, change) });
  expectSuccess(result);
  return result;
}

describe('review-checklist bundle', () => {
  it('posts one sticky comment and an action_required check run when the pull request opens', async () => {
    const result = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'opened') });
    expectSuccess(result);
    expect(result.outputs.complete).toBe('false');
    expect(JSON.parse(result.outputs.missing!)).toHaveLength(8);
    const comments = server.commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.author.login).toBe('github-actions[bot]');
    expect(comments[0]!.body).toContain('<!-- safe-deploy:review-checklist -->');
    const run = server.checkRunsFor(HEAD)[0]!;
    expect(run.conclusion).toBe('action_required');
    expect(ledgerOf(HEAD)).toMatchObject({ pr: PR, head: HEAD, commentId: comments[0]!.id, bot: 'github-actions[bot]', answers: {} });
    // the pull request as it is now, template, identity, check runs on the head, one page of comments,
    // the commits (who made the change cannot answer), create comment, create check run
    expect(result.requestLog).toEqual([
      'GET /repos/acme/orders/pulls/7',
      TEMPLATE,
      VIEWER,
      `GET /repos/acme/orders/commits/${HEAD}/check-runs?check_name=deploy-safety-checklist&filter=all&per_page=100`,
      'GET /repos/acme/orders/issues/7/comments?per_page=100',
      'GET /repos/acme/orders/pulls/7/commits?per_page=100',
      'POST /repos/acme/orders/issues/7/comments',
      'POST /repos/acme/orders/check-runs',
    ]);
    expect(result.summary).toContain('GitHub API requests: 8');

    // Re-running on the same head (an `edited` pull request) updates nothing and creates nothing.
    const again = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'edited') });
    expectSuccess(again);
    expect(server.commentsOn(PR)).toHaveLength(1);
    expect(server.checkRunsFor(HEAD)).toHaveLength(1);
    expect(again.requests).toBe(5); // pull request, template, identity, check runs, the comment by its recorded id
  });

  it("credits a write-permission reviewer's tick, in 9 requests", async () => {
    const id = await open();
    const result = await editAndRun(id, writer, tick(UNIT));
    expect(ledgerOf(HEAD).answers['unit-tests']).toMatchObject({ answer: 'yes', by: 'alice' });
    const body = server.commentById(id).body;
    expect(body).toContain(`- [x] ${UNIT} <!-- item:unit-tests -->\n  - ✅ Answered by @alice on 2026-11-26 08:00 UTC`);
    expect(result.requestLog).toEqual([
      'GET /repos/acme/orders/pulls/7',
      TEMPLATE,
      VIEWER,
      `GET /repos/acme/orders/commits/${HEAD}/check-runs?check_name=deploy-safety-checklist&filter=all&per_page=100`,
      `GET /repos/acme/orders/issues/comments/${id}`,
      'GET /repos/acme/orders/collaborators/alice/permission',
      `GET /repos/acme/orders/issues/comments/${id}`, // read again just before the write: a change made meanwhile is not written over
      `PATCH /repos/acme/orders/issues/comments/${id}`,
      `PATCH /repos/acme/orders/check-runs/${server.checkRunsFor(HEAD)[0]!.id}`,
    ]);
    expect(result.stdout).toContain('unit-tests: credited to @alice');
  });

  it('retries a read that GitHub answers with a 5xx', async () => {
    const id = await open();
    const change = server.editComment(id, writer, tick(UNIT));
    server.failNext = 1;
    const result = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, writer, change) });
    expectSuccess(result);
    expect(result.stdout).toContain('GitHub answered 502 to GET');
    expect(result.requests).toBe(10);
    expect(ledgerOf(HEAD).answers['unit-tests']).toMatchObject({ by: 'alice' });
  });

  it('does not credit the author ticking their own item, and unticks it with the reason', async () => {
    const id = await open();
    const result = await editAndRun(id, author, tick(UNIT));
    expect(ledgerOf(HEAD).answers).toEqual({});
    const body = server.commentById(id).body;
    expect(body).toContain(`- [ ] ${UNIT} <!-- item:unit-tests -->`);
    expect(body).toContain('⚠️ The tick by @dev was removed: @dev opened this pull request, and authors cannot answer their own checklist.');
    // The author is refused without asking GitHub for their permission.
    expect(result.requestLog.some((line) => line.includes('/permission'))).toBe(false);
  });

  it("does not credit a read-only user's tick", async () => {
    const id = await open();
    await editAndRun(id, reader, tick(UNIT));
    expect(ledgerOf(HEAD).answers).toEqual({});
    expect(server.commentById(id).body).toContain(
      'The tick by @rita was removed: @rita has read permission on acme/orders; answers need write, maintain or admin permission.',
    );
  });

  it('credits members of a configured team, and says so when the token cannot read teams', async () => {
    const id = await open();
    server.teams.set('acme/release-reviewers', new Set(['rita']));
    const change = server.editComment(id, reader, tick(UNIT));
    const inputs = { answerers: 'acme/release-reviewers' };
    let result = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, reader, change), inputs });
    expectSuccess(result);
    expect(ledgerOf(HEAD).answers['unit-tests']).toMatchObject({ by: 'rita' });

    server.teamsReadable = false;
    const second = server.editComment(id, reader, tick(INTEGRATION));
    result = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, reader, second), inputs });
    expectSuccess(result);
    expect(ledgerOf(HEAD).answers['integration-tests']).toBeUndefined();
    expect(server.commentById(id).body).toContain('the token cannot read team membership');
  });

  it('reconciles missed events from the edit history', async () => {
    const id = await open();
    // Two edits whose events were never processed: a reviewer ticks, then the author ticks another item.
    server.editComment(id, maintainer, tick(UNIT));
    server.editComment(id, author, tick(INTEGRATION));
    const result = await runAction(server, { eventName: 'pull_request_review', payload: reviewEvent(server, PR, writer) });
    expectSuccess(result);
    const ledger = ledgerOf(HEAD);
    expect(ledger.answers['unit-tests']).toMatchObject({ answer: 'yes', by: 'bob' });
    expect(ledger.answers['integration-tests']).toBeUndefined();
    expect(server.commentById(id).body).toContain('The tick by @dev was removed');
    expect(result.requestLog).toEqual([
      'GET /repos/acme/orders/pulls/7',
      TEMPLATE,
      VIEWER,
      `GET /repos/acme/orders/commits/${HEAD}/check-runs?check_name=deploy-safety-checklist&filter=all&per_page=100`,
      `GET /repos/acme/orders/issues/comments/${id}`,
      'POST /graphql userContentEdits',
      'GET /repos/acme/orders/collaborators/bob/permission',
      `GET /repos/acme/orders/issues/comments/${id}`,
      `PATCH /repos/acme/orders/issues/comments/${id}`,
      `PATCH /repos/acme/orders/check-runs/${server.checkRunsFor(HEAD)[0]!.id}`,
    ]);

    // An edited event that arrives late (its `from` is not the body the action wrote) also goes to the history.
    const first = server.editComment(id, writer, tick(ROLLBACK));
    server.editComment(id, reader, tick('It is safe to merge and deploy'));
    const late = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, writer, first) });
    expectSuccess(late);
    expect(late.requestLog).toContain('POST /graphql userContentEdits');
    expect(late.requests).toBe(11); // the tick path, the edit history, and a second permission (two people ticked)
    expect(ledgerOf(HEAD).answers['rollback-safe']).toMatchObject({ by: 'alice' });
    expect(ledgerOf(HEAD).answers['safe-to-deploy-now']).toBeUndefined();
  });

  it('reconciles missed events when the history leaves out the created version', async () => {
    server.historyIncludesCreated = false;
    const id = await open();
    server.editComment(id, writer, tick(UNIT));
    server.editComment(id, reader, tick(INTEGRATION));
    const result = await runAction(server, { eventName: 'pull_request_review', payload: reviewEvent(server, PR, writer) });
    expectSuccess(result);
    expect(ledgerOf(HEAD).answers['unit-tests']).toMatchObject({ by: 'alice' });
    expect(ledgerOf(HEAD).answers['integration-tests']).toBeUndefined();
    expect(server.commentById(id).body).toContain('The tick by @rita was removed');
  });

  it('applies an edit that a concurrent write of the action overwrote', async () => {
    const id = await open();
    const first = server.editComment(id, writer, tick(UNIT));
    let second: { from: string; body: string; at: string } | null = null;
    // While the run for the first edit works, a maintainer ticks another item; the run's write then overwrites it.
    server.beforeNextCommentWrite = () => {
      second = server.editComment(id, maintainer, tick(INTEGRATION));
    };
    let result = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, writer, first) });
    expectSuccess(result);
    expect(server.commentById(id).body).toContain(`- [ ] ${INTEGRATION}`);
    expect(second).not.toBeNull();

    // The maintainer's edited event arrives next: its tick is credited although the comment no longer shows it.
    result = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, maintainer, second!) });
    expectSuccess(result);
    expect(ledgerOf(HEAD).answers['integration-tests']).toMatchObject({ by: 'bob' });
    expect(ledgerOf(HEAD).answers['unit-tests']).toMatchObject({ by: 'alice' });
    expect(server.commentById(id).body).toContain(`- [x] ${INTEGRATION}`);

    // Delivered again (a re-run), the first edit changes nothing: decisions are idempotent.
    result = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, writer, first) });
    expectSuccess(result);
    expect(Object.keys(ledgerOf(HEAD).answers).sort()).toEqual(['integration-tests', 'unit-tests']);
  });

  it('credits nobody when the edit history of a tick was deleted', async () => {
    const id = await open();
    server.editComment(id, writer, tick(UNIT));
    server.deleteRevision(id, server.commentById(id).revisions.length - 1);
    server.editComment(id, maintainer, tick(INTEGRATION));
    const result = await runAction(server, { eventName: 'pull_request_review', payload: reviewEvent(server, PR, writer) });
    expectSuccess(result);
    expect(ledgerOf(HEAD).answers).toEqual({});
    expect(server.commentById(id).body).toContain('nobody eligible can be credited');
  });

  it('withdraws an answer whose item was changed, struck through, hidden or deleted', async () => {
    const id = await open();
    await editAndRun(id, writer, (body) => tick(ROLLBACK)(tick(INTEGRATION)(tick(UNIT)(body))));
    await editAndRun(id, maintainer, tick('It is safe to merge and deploy'));
    expect(Object.keys(ledgerOf(HEAD).answers).sort()).toEqual(['integration-tests', 'rollback-safe', 'safe-to-deploy-now', 'unit-tests']);

    await editAndRun(id, author, (body) => body.replace(UNIT, 'Unit tests exist.'));
    await editAndRun(id, author, (body) => body.replace(INTEGRATION, `~~${INTEGRATION}~~`));
    await editAndRun(id, author, (body) => body.replace(/^(- \[x\] The change is backward compatible.*)$/m, '<details>\n\n$1\n\n</details>\n'));
    await editAndRun(id, author, (body) => body.replace(/^- \[x\] It is safe to merge.*\n/m, ''));
    expect(ledgerOf(HEAD).answers).toEqual({});
    const body = server.commentById(id).body;
    expect(body).toContain('@dev changed the text of this item, so the answer by @alice was withdrawn');
    expect(body).toContain('@dev struck this item through, so the answer by @alice was withdrawn');
    expect(body).toContain('@dev hid this item, so the answer by @alice was withdrawn');
    expect(body).toContain('@dev deleted this item, so the answer by @bob was withdrawn');
    // The comment is restored to the template's text.
    expect(body).toContain(`- [ ] ${UNIT} <!-- item:unit-tests -->`);
  });

  it('ignores a forged copy of the checklist comment posted by someone else', async () => {
    const id = await open();
    const forged = server.postComment(PR, author, server.commentById(id).body.replace(/- \[ \]/g, '- [x]'));
    const change = server.editComment(forged.id, writer, (body) => body.replace('## ', '## Edited '));
    const result = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, forged.id, writer, change) });
    expectSuccess(result);
    expect(result.outputs.evaluated).toBe('false');
    expect(result.stdout).toContain(`copies the checklist marker but was posted by @dev, not by the action; it is ignored`);
    expect(result.requests).toBe(0);
    expect(result.summary).toContain('Nothing to do: comment');
    expect(ledgerOf(HEAD).answers).toEqual({});
  });

  it('finds the checklist comment beyond the first page of 150 comments and ignores forged copies there', async () => {
    for (let i = 0; i < 50; i++) server.postComment(PR, i % 2 ? writer : author, `comment ${i}`);
    // On the first page: a copy of the marker with every box ticked, posted by the author.
    const forged = server.postComment(PR, author, `${CHECKLIST_MARKER}\n## Deployment safety checklist\n- [x] ${UNIT} <!-- item:unit-tests -->\n`);
    for (let i = 0; i < 69; i++) server.postComment(PR, writer, `comment ${i + 51}`);
    const id = await open();
    for (let i = 0; i < 30; i++) server.postComment(PR, writer, `later comment ${i}`);
    expect(server.commentsOn(PR)).toHaveLength(151);
    expect(server.commentsOn(PR).findIndex((c) => c.id === id)).toBe(120);

    // A new head whose synchronize event was missed: there is no ledger to take the comment id from.
    const NEXT = 'b2'.repeat(20);
    server.push(PR, NEXT);
    const result = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'reopened') });
    expectSuccess(result);
    expect(result.outputs['comment-id']).toBe(String(id));
    expect(server.commentsOn(PR)).toHaveLength(151);
    expect(ledgerOf(NEXT).commentId).toBe(id);
    expect(result.stdout).toContain('ignored 1 comment(s) that copy the checklist marker');
    expect(result.requestLog.filter((line) => line.includes('/issues/7/comments'))).toEqual([
      'GET /repos/acme/orders/issues/7/comments?per_page=100',
      'GET /repos/acme/orders/issues/7/comments?per_page=100&page=2',
    ]);
    expect(server.commentById(forged.id).body).toContain('- [x]');
  });

  it('starts a fresh ledger when new commits are pushed, unless reset-on-push is false', async () => {
    const id = await open();
    const oldTick = server.editComment(id, writer, tick(UNIT));
    expectSuccess(await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, writer, oldTick) }));
    const NEXT = 'c3'.repeat(20);
    server.push(PR, NEXT);
    const result = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'synchronize', { before: HEAD }) });
    expectSuccess(result);
    expect(ledgerOf(NEXT)).toMatchObject({ head: NEXT, commentId: id, answers: {}, reset: { cause: 'push', from: HEAD } });
    expect(ledgerOf(HEAD).answers['unit-tests']).toMatchObject({ by: 'alice' }); // the old head keeps its record
    const body = server.commentById(id).body;
    expect(body).toContain(`- [ ] ${UNIT}`);
    expect(body).toContain('the answers given for `a1a1a1a` were cleared');
    expect(result.requestLog).toEqual([
      'GET /repos/acme/orders/pulls/7',
      TEMPLATE,
      VIEWER,
      `GET /repos/acme/orders/commits/${NEXT}/check-runs?check_name=deploy-safety-checklist&filter=all&per_page=100`,
      `GET /repos/acme/orders/commits/${HEAD}/check-runs?check_name=deploy-safety-checklist&filter=all&per_page=100`,
      `GET /repos/acme/orders/issues/comments/${id}`,
      'GET /repos/acme/orders/pulls/7/commits?per_page=100',
      `PATCH /repos/acme/orders/issues/comments/${id}`,
      'POST /repos/acme/orders/check-runs',
    ]);

    // The edited event of the tick given for the old head, delivered again now: it must not count for the new head.
    const stale = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, writer, oldTick) });
    expectSuccess(stale);
    expect(ledgerOf(NEXT).answers).toEqual({});

    await editAndRun(id, writer, tick(INTEGRATION));
    const THIRD = 'd4'.repeat(20);
    server.push(PR, THIRD);
    const kept = await runAction(server, {
      eventName: 'pull_request',
      payload: pullRequestEvent(server, PR, 'synchronize', { before: NEXT }),
      inputs: { 'reset-on-push': 'false' },
    });
    expectSuccess(kept);
    expect(ledgerOf(THIRD).answers['integration-tests']).toMatchObject({ by: 'alice' });
    expect(server.commentById(id).body).toContain(`- [x] ${INTEGRATION}`);
  });

  it('succeeds when every required item for the changed paths is answered', async () => {
    const template = [
      'version: 1',
      'sections:',
      '  - id: rollout',
      '    title: Rollout',
      '    items:',
      '      - { id: rollback-safe, text: Safe to roll back. }',
      '      - { id: migration-first, text: The migration is deployed first., when: { paths: ["db/migrations/**"] } }',
      '      - { id: dashboards, text: Dashboards updated., required: false }',
      '',
    ].join('\n');
    server.files.set('.github/deploy-checklist.yml', template);
    let result = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'opened') });
    expectSuccess(result);
    expect(JSON.parse(result.outputs.missing!)).toEqual(['rollback-safe']);
    expect(result.requestLog).toContain('GET /repos/acme/orders/pulls/7/files?per_page=100');
    const id = Number(result.outputs['comment-id']);
    const change = server.editComment(id, writer, tick('Safe to roll back.'));
    result = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, writer, change) });
    expectSuccess(result);
    expect(result.outputs.complete).toBe('true');
    expect(result.outputs.missing).toBe('[]');
    expect(server.checkRunsFor(HEAD)[0]!.conclusion).toBe('success');
    expect(server.checkRunsFor(HEAD)[0]!.output.title).toBe('All 1 required item(s) answered');
    expect(result.requestLog.some((line) => line.includes('/files'))).toBe(false); // read once per head
    // The tick that completes the checklist asks once which open pull requests share the head (10 requests).
    expect(result.requests).toBe(10);
    expect(result.requestLog).toContain(`GET /repos/acme/orders/commits/${HEAD}/pulls?per_page=100`);
    expect(result.summary).toContain('Complete');

    // A push that touches a migration makes the path-scoped item required.
    const NEXT = 'e5'.repeat(20);
    server.push(PR, NEXT, ['db/migrations/002_orders.sql']);
    result = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'synchronize', { before: HEAD }) });
    expectSuccess(result);
    expect(JSON.parse(result.outputs.missing!)).toEqual(['rollback-safe', 'migration-first']);
  });

  it('fails with file:line:col on a malformed template, before writing anything', async () => {
    server.files.set('.github/deploy-checklist.yml', 'version: 1\nsections:\n  - id: rollout\n    title: Rollout\n    items:\n      - { id: x, txt: typo }\n');
    const result = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'opened') });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::checklist template .github/deploy-checklist.yml does not fit the schema:');
    expect(result.stdout).toContain('.github/deploy-checklist.yml:6:9: sections[0].items[0].text: Invalid input: expected string, received undefined');
    expect(result.stdout).toContain('.github/deploy-checklist.yml:6:18: sections[0].items[0].txt: Unrecognized key: "txt"');
    expect(result.requestLog).toEqual(['GET /repos/acme/orders/pulls/7', TEMPLATE]);
    expect(server.commentsOn(PR)).toHaveLength(0);
  });

  it('serves fork pull requests through pull_request_target and issue_comment, never with the read-only pull_request token', async () => {
    const skipped = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'opened', { fork: true }) });
    expectSuccess(skipped);
    expect(skipped.outputs.evaluated).toBe('false');
    expect(skipped.stdout).toContain('comes from a fork');
    expect(skipped.requests).toBe(0);
    const review = await runAction(server, { eventName: 'pull_request_review', payload: reviewEvent(server, PR, writer, true) });
    expect(review.requests).toBe(0);

    const target = await runAction(server, { eventName: 'pull_request_target', payload: pullRequestEvent(server, PR, 'opened', { fork: true }) });
    expectSuccess(target);
    const id = Number(target.outputs['comment-id']);
    await editAndRun(id, writer, tick(UNIT));
    expect(ledgerOf(HEAD).answers['unit-tests']).toMatchObject({ by: 'alice' });
  });

  it('with a dedicated app token, ignores check runs and comments that other workflows write as github-actions', async () => {
    await server.stop();
    server = await new GitHubServer('acme/orders', { slug: 'safe-deploy-checklist', id: 90210, name: 'safe-deploy checklist' }).start();
    server.permissions.set('alice', 'write');
    server.addPull(PR, author, HEAD);
    const id = await open();
    expect(server.commentById(id).author.login).toBe('safe-deploy-checklist[bot]');
    // A workflow in the pull request writes a check run with a ledger in which everything is answered.
    const real = ledgerOf(HEAD);
    const everything = Object.fromEntries(real.required.map((item) => [item, { answer: 'yes' as const, by: 'alice', at: '2026-11-26T08:00:00Z', item: 'x' }]));
    server.forgeCheckRun(HEAD, 'deploy-safety-checklist', 'success', encodeLedger({ ...real, bot: 'github-actions[bot]', answers: everything }));
    server.forgeCheckRun(HEAD, 'deploy-safety-checklist', 'success', encodeLedger({ ...real, answers: everything }));

    const result = await editAndRun(id, writer, tick(UNIT));
    expect(result.outputs.complete).toBe('false');
    const ours = server.checkRunsFor(HEAD).filter((run) => run.app.slug === 'safe-deploy-checklist');
    expect(ours).toHaveLength(1);
    expect(Object.keys(decodeLedger(ours[0]!.output.text)!.answers)).toEqual(['unit-tests']);
  });

  it('refuses bad inputs by name, before any GitHub call', async () => {
    const result = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'opened'), inputs: { 'reset-on-push': 'sometimes', answerers: 'not a team' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::input "answerers": "not a team" is not a team; write org/team-slug');
    expect(result.requests).toBe(0);
  });
});
