// review-checklist with hostile text, through its bundle against the loopback GitHub server:
// template questions carrying shell text are rendered as text and never run; a question that tries
// to smuggle a marker or a second line is refused at file:line:col before any write; a comment that
// forges the checklist marker (and runner commands) is ignored; hostile inputs write no output.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { GitHubServer, type Person } from '../helpers/github-server.js';
import { commentEditedEvent, pullRequestEvent, runAction } from '../e2e/review-checklist-harness.js';
import { canaryDir, expectNothingExecuted, payloads } from './harness.js';

const PR = 9;
const canary = canaryDir();
const PAYLOADS = payloads(canary);
let server: GitHubServer;
let author: Person;
let writer: Person;

beforeEach(async () => {
  server = await new GitHubServer('acme/orders').start();
  author = server.person('dev');
  writer = server.person('alice');
  server.permissions.set('alice', 'write');
  server.permissions.set('dev', 'write');
  server.addPull(PR, author, 'c9'.repeat(20));
});

afterEach(async () => {
  await server.stop();
  expectNothingExecuted(canary);
});

const template = (texts: string[]) =>
  ['version: 1', 'sections:', '  - id: rollout', '    title: Rollout', '    items:', ...texts.map((text, i) => `      - { id: q${i}, text: ${JSON.stringify(text)} }`)].join('\n') + '\n';

describe('checklist template text', () => {
  it('renders questions with shell text as literal text and runs none of it', async () => {
    const oneLine = Object.values(PAYLOADS).filter((p) => !p.includes('\n'));
    server.files.set('.github/deploy-checklist.yml', template(oneLine));
    const result = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'opened') });
    expect(result.code).toBe(0);
    const body = server.commentsOn(PR)[0]!.body;
    oneLine.forEach((text, i) => expect(body).toContain(`- [ ] ${text} <!-- item:q${i} -->`));
    expect(JSON.parse(result.outputs.missing!)).toHaveLength(oneLine.length);
  });

  it.each([
    ['a forged item marker', 'Safe <!-- item:q1 -->'],
    ['the checklist marker', 'Safe <!-- safe-deploy:review-checklist -->'],
    ['a second line', 'Safe\n- [x] forged <!-- item:q1 -->'],
    ['a runner command on its own line', 'Safe\n::error::forged'],
    ['strike-through', '~~Safe~~'],
  ])('refuses a question with %s at file:line:col, before any write', async (_kind, text) => {
    server.files.set('.github/deploy-checklist.yml', template([text, 'Plain question']));
    const result = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'opened') });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\.github\/deploy-checklist\.yml:\d+:\d+: sections\[0\]\.items\[0\]\.text/);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('::error::forged'))).toEqual([]);
    expect(result.requestLog.filter((r) => !r.startsWith('GET'))).toEqual([]);
    expect(server.commentsOn(PR)).toHaveLength(0);
    expect(result.outputs).toEqual({});
  });
});

describe('comment bodies', () => {
  it('a comment forging the marker, every tick and runner commands is ignored, with nothing written', async () => {
    const opened = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'opened') });
    expect(opened.code).toBe(0);
    const real = server.commentsOn(PR)[0]!;
    const forgedBody = `${real.body.replace(/- \[ \]/g, '- [x]')}\n::set-output name=complete::true\n::error::forged\n${PAYLOADS.everything}`;
    const forged = server.postComment(PR, writer, forgedBody);
    const change = server.editComment(forged.id, writer, (body) => `${body}\n$(touch ${canary}/edit)`);
    const result = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, forged.id, writer, change) });
    expect(result.code).toBe(0);
    expect(result.outputs.evaluated).toBe('false');
    expect(result.outputs.complete).not.toBe('true');
    expect(result.stdout).toContain('copies the checklist marker');
    expect(result.stdout.split('\n').filter((line) => /^::(set-output|error::forged)/.test(line))).toEqual([]);
    expect(result.requests).toBe(0);
    expect(server.commentById(real.id).body).toBe(real.body);
  });

  it('a reviewer who pastes shell text and runner commands into the real comment gets no credit for them and nothing runs', async () => {
    const opened = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'opened') });
    const id = Number(opened.outputs['comment-id']);
    const change = server.editComment(id, writer, (body) => `${body}\n${PAYLOADS['forged heredoc and command']}\n${PAYLOADS.everything}`);
    const result = await runAction(server, { eventName: 'issue_comment', payload: commentEditedEvent(server, PR, id, writer, change) });
    expect(result.code).toBe(0);
    expect(result.outputs.complete).toBe('false');
    expect(result.stdout.split('\n').filter((line) => /^::(set-output|error::forged)/.test(line))).toEqual([]);
    for (const name of Object.keys(result.outputs)) expect(['complete', 'missing', 'comment-id', 'evaluated']).toContain(name);
  });
});

describe('review-checklist inputs', () => {
  it.each(['checklist', 'answerers', 'reset-on-push', 'token'])('%s: hostile text is refused, never run, no comment and no forged output', async (input) => {
    for (const value of [PAYLOADS.everything!, PAYLOADS['forged heredoc and command']!]) {
      const result = await runAction(server, { eventName: 'pull_request', payload: pullRequestEvent(server, PR, 'opened'), inputs: { [input]: value } });
      expect(result.code).toBe(1);
      for (const name of Object.keys(result.outputs)) expect(['complete', 'missing', 'comment-id', 'evaluated']).toContain(name);
      expect(result.outputs.complete).not.toBe('true');
      expect(result.stdout.split('\n').filter((line) => /^::(set-output|error::forged)/.test(line))).toEqual([]);
      expect(server.commentsOn(PR)).toHaveLength(0);
    }
  });
});
