// Runs dist/review-checklist/index.js the way the runner does, against the loopback GitHub server:
// an event payload file (GITHUB_EVENT_PATH), GITHUB_EVENT_NAME, GITHUB_REPOSITORY, GITHUB_API_URL,
// GITHUB_GRAPHQL_URL, INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
// Payload builders are typed against @octokit/webhooks-types.
import type {
  IssueCommentEditedEvent,
  PullRequestOpenedEvent,
  PullRequestReviewSubmittedEvent,
  PullRequestSynchronizeEvent,
  Repository as WebhookRepository,
} from '@octokit/webhooks-types';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitHubServer, Person } from '../helpers/github-server.js';
import { webhookUser } from '../helpers/github-server.js';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const BUNDLE = join(ROOT, 'dist/review-checklist/index.js');

type RepositoryFields = Pick<WebhookRepository, 'id' | 'node_id' | 'name' | 'full_name' | 'private' | 'owner' | 'html_url' | 'default_branch' | 'fork'>;
type PullRequestFields = Pick<PullRequestOpenedEvent['pull_request'], 'id' | 'number' | 'state' | 'title' | 'user' | 'html_url' | 'draft'> & {
  head: Pick<PullRequestOpenedEvent['pull_request']['head'], 'sha' | 'ref' | 'label'> & { repo: RepositoryFields | null };
  base: Pick<PullRequestOpenedEvent['pull_request']['base'], 'sha' | 'ref' | 'label'> & { repo: RepositoryFields };
};

export type PullRequestPayload = {
  action: PullRequestOpenedEvent['action'] | PullRequestSynchronizeEvent['action'] | 'reopened' | 'edited';
  number: number;
  before?: PullRequestSynchronizeEvent['before'];
  after?: PullRequestSynchronizeEvent['after'];
  pull_request: PullRequestFields;
  repository: RepositoryFields;
  sender: PullRequestOpenedEvent['sender'];
  /** `edited` after a base change: the old base ref and SHA. */
  changes?: { base?: { ref: { from: string }; sha: { from: string } } };
};
export type ReviewPayload = Pick<PullRequestReviewSubmittedEvent, 'action' | 'sender'> & {
  review: Pick<PullRequestReviewSubmittedEvent['review'], 'id' | 'state' | 'user' | 'body' | 'commit_id'>;
  pull_request: PullRequestFields;
  repository: RepositoryFields;
};
export type CommentEditedPayload = Pick<IssueCommentEditedEvent, 'action' | 'changes' | 'comment' | 'sender'> & {
  issue: Pick<IssueCommentEditedEvent['issue'], 'id' | 'number' | 'title' | 'user' | 'state' | 'pull_request'>;
  repository: RepositoryFields;
};

function repository(server: GitHubServer): RepositoryFields {
  return {
    id: 4242,
    node_id: 'R_kgDOorders',
    name: server.repo,
    full_name: `${server.owner}/${server.repo}`,
    private: false,
    owner: webhookUser(server.person(server.owner)),
    html_url: `https://github.com/${server.owner}/${server.repo}`,
    default_branch: 'main',
    fork: false,
  };
}

function pullFields(server: GitHubServer, number: number, fork: boolean): PullRequestFields {
  const pull = server.pull(number);
  const author = server.person(pull.user.login);
  const base = repository(server);
  const head = fork ? { ...base, id: 5151, node_id: 'R_kgDOfork', name: server.repo, full_name: `${author.login}/${server.repo}`, owner: webhookUser(author), fork: true } : base;
  return {
    id: Number(pull.id),
    number,
    state: 'open',
    title: pull.title,
    user: webhookUser(author),
    html_url: pull.html_url,
    draft: false,
    head: { sha: pull.head.sha, ref: pull.head.ref, label: pull.head.label, repo: head },
    base: { sha: pull.base.sha, ref: pull.base.ref, label: pull.base.label, repo: base },
  };
}

export function pullRequestEvent(
  server: GitHubServer,
  number: number,
  action: PullRequestPayload['action'],
  extra: { before?: string; fork?: boolean; sender?: Person; baseFrom?: { ref: string; sha: string } } = {},
): PullRequestPayload {
  const pull = pullFields(server, number, extra.fork ?? false);
  return {
    action,
    number,
    ...(extra.before ? { before: extra.before, after: pull.head.sha } : {}),
    pull_request: pull,
    repository: repository(server),
    sender: extra.sender ? webhookUser(extra.sender) : pull.user,
    ...(extra.baseFrom ? { changes: { base: { ref: { from: extra.baseFrom.ref }, sha: { from: extra.baseFrom.sha } } } } : {}),
  };
}

export function reviewEvent(server: GitHubServer, number: number, reviewer: Person, fork = false): ReviewPayload {
  const pull = pullFields(server, number, fork);
  return {
    action: 'submitted',
    sender: webhookUser(reviewer),
    review: { id: 99, state: 'approved', user: webhookUser(reviewer), body: null, commit_id: pull.head.sha },
    pull_request: pull,
    repository: repository(server),
  };
}

/** The edited event GitHub sends for one edit: `change` is what GitHubServer.editComment returned. */
export function commentEditedEvent(
  server: GitHubServer,
  number: number,
  commentId: number,
  editor: Person,
  change: { readonly from: string; readonly body: string; readonly at: string },
): CommentEditedPayload {
  const pull = server.pull(number);
  return {
    action: 'edited',
    changes: { body: { from: change.from } },
    comment: { ...server.webhookComment(commentId), body: change.body, updated_at: change.at },
    sender: webhookUser(editor),
    issue: {
      id: 88_000 + number,
      number,
      title: pull.title,
      user: webhookUser(server.person(pull.user.login)),
      state: 'open',
      pull_request: {
        url: pull.url,
        html_url: pull.html_url,
        diff_url: `${pull.html_url}.diff`,
        patch_url: `${pull.html_url}.patch`,
      },
    },
    repository: repository(server),
  };
}

export interface ActionResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** Requests the server received during this run. */
  readonly requests: number;
  readonly requestLog: string[];
}

function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]!);
      outputs[heredoc[1]!] = value.join('\n');
    } else if (lines[i]!.includes('=')) {
      outputs[lines[i]!.slice(0, lines[i]!.indexOf('='))] = lines[i]!.slice(lines[i]!.indexOf('=') + 1);
    }
  }
  return outputs;
}

export interface RunOptions {
  readonly eventName: 'pull_request' | 'pull_request_target' | 'pull_request_review' | 'issue_comment';
  readonly payload: unknown;
  readonly inputs?: Record<string, string>;
}

export async function runAction(server: GitHubServer, options: RunOptions): Promise<ActionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-review-checklist-'));
  const workspace = join(dir, 'workspace');
  // An empty workspace: the action reads the template through the API, no checkout needed.
  mkdirSync(workspace, { recursive: true });
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'summary'), '');
  const inputs = { checklist: '.github/deploy-checklist.yml', token: 'ghs_loopbacktoken', answerers: '', 'reset-on-push': 'true', ...options.inputs };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${server.owner}/${server.repo}`,
    GITHUB_API_URL: server.url,
    GITHUB_GRAPHQL_URL: `${server.url}/graphql`,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    RUNNER_TEMP: dir,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const before = server.requests.length;
  const child = spawn(process.execPath, [BUNDLE], { env, cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const log = server.requests.slice(before).map((r) => `${r.method} ${r.path}${r.graphql ? ` ${/\bviewer\b/.test(r.graphql) ? 'viewer' : 'userContentEdits'}` : ''}`);
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(join(dir, 'output'), 'utf8')),
    summary: readFileSync(join(dir, 'summary'), 'utf8'),
    requests: log.length,
    requestLog: log,
  };
}
