// A GitHub API server on loopback for end-to-end tests of review-checklist.
//
// It keeps one repository's pull requests, comments (with their edit history), check runs,
// collaborator permissions and team memberships in memory, and answers the REST and GraphQL
// calls the action makes with GitHub's response shapes. Every object it returns is typed against
// @octokit/openapi-types, so tsc checks the fixtures. It counts and records each request, which
// is how the tests measure the calls one evaluation makes.
import type { components } from '@octokit/openapi-types';
import type { IssueComment as WebhookIssueComment, User as WebhookUser } from '@octokit/webhooks-types';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Schemas = components['schemas'];
type SimpleUser = Schemas['simple-user'];
type IssueCommentResponse = Schemas['issue-comment'];
type CheckRunResponse = Schemas['check-run'];
type DiffEntry = Schemas['diff-entry'];
type PermissionResponse = Schemas['repository-collaborator-permission'];
type TeamMembership = Schemas['team-membership'];
type Integration = NonNullable<Schemas['nullable-integration']>;
type BasicError = Schemas['basic-error'];
type PullRequest = Schemas['pull-request'];
type Repository = Schemas['repository'];
type ContentFile = Schemas['content-file'];
type CommitResponse = Schemas['commit'];
type PullRequestSimple = Schemas['pull-request-simple'];
/** The fields of a pull request the action reads, typed against the full schema. */
export type PullRequestFixture = Pick<PullRequest, 'id' | 'node_id' | 'number' | 'state' | 'title' | 'user' | 'html_url' | 'url' | 'draft'> & {
  head: Pick<PullRequest['head'], 'sha' | 'ref' | 'label'> & { repo: Pick<Repository, 'id' | 'name' | 'full_name' | 'fork'> };
  base: Pick<PullRequest['base'], 'sha' | 'ref' | 'label'> & { repo: Pick<Repository, 'id' | 'name' | 'full_name' | 'fork'> };
};

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface Person {
  readonly login: string;
  readonly id: number;
  readonly bot: boolean;
}

interface StoredRevision {
  body: string | null;
  editor: Person;
  editedAt: string;
  deletedAt: string | null;
}

interface StoredComment {
  id: number;
  nodeId: string;
  issue: number;
  body: string;
  author: Person;
  createdAt: string;
  updatedAt: string;
  /** Oldest first; empty until the first edit, then it holds the created revision too (as GitHub does). */
  revisions: StoredRevision[];
}

interface StoredCheckRun {
  id: number;
  headSha: string;
  name: string;
  status: CheckRunResponse['status'];
  conclusion: CheckRunResponse['conclusion'];
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  app: Integration;
}

/** One commit of a pull request: its GitHub author and committer (null when the email matches no account). */
export interface CommitFixture {
  readonly sha: string;
  readonly author: Person | null;
  readonly committer: Person | null;
}

interface StoredPull {
  number: number;
  author: Person;
  headSha: string;
  headRef: string;
  baseRef: string;
  baseSha: string;
  files: string[];
  commits: CommitFixture[];
  state: 'open' | 'closed';
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly graphql?: string;
}

const API = 'https://api.github.com';

export function simpleUser(person: Person): SimpleUser {
  return {
    login: person.login,
    id: person.id,
    node_id: `U_${person.id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${person.id}`,
    gravatar_id: '',
    url: `${API}/users/${person.login}`,
    html_url: `https://github.com/${person.login}`,
    followers_url: `${API}/users/${person.login}/followers`,
    following_url: `${API}/users/${person.login}/following{/other_user}`,
    gists_url: `${API}/users/${person.login}/gists{/gist_id}`,
    starred_url: `${API}/users/${person.login}/starred{/owner}{/repo}`,
    subscriptions_url: `${API}/users/${person.login}/subscriptions`,
    organizations_url: `${API}/users/${person.login}/orgs`,
    repos_url: `${API}/users/${person.login}/repos`,
    events_url: `${API}/users/${person.login}/events{/privacy}`,
    received_events_url: `${API}/users/${person.login}/received_events`,
    type: person.bot ? 'Bot' : 'User',
    site_admin: false,
  };
}

/** The same person as a webhook payload shows them. */
export function webhookUser(person: Person): WebhookUser {
  const user = simpleUser(person);
  return {
    login: user.login,
    id: person.id,
    node_id: user.node_id,
    avatar_url: user.avatar_url,
    gravatar_id: '',
    url: user.url,
    html_url: user.html_url,
    followers_url: user.followers_url,
    following_url: user.following_url,
    gists_url: user.gists_url,
    starred_url: user.starred_url,
    subscriptions_url: user.subscriptions_url,
    organizations_url: user.organizations_url,
    repos_url: user.repos_url,
    events_url: user.events_url,
    received_events_url: user.received_events_url,
    type: person.bot ? 'Bot' : 'User',
    site_admin: false,
  };
}

const GITHUB_ACTIONS_APP: Integration = {
  id: 15368,
  slug: 'github-actions',
  node_id: 'MDM6QXBwMTUzNjg=',
  client_id: 'Iv1.05c79e9ad1f6bdfa',
  owner: simpleUser({ login: 'github', id: 9919, bot: false }),
  name: 'GitHub Actions',
  description: 'Automate your workflow from idea to production',
  external_url: 'https://help.github.com/en/actions',
  html_url: 'https://github.com/apps/github-actions',
  created_at: '2018-07-30T09:30:17Z',
  updated_at: '2019-12-10T19:04:12Z',
  permissions: { checks: 'write', issues: 'write', pull_requests: 'write', metadata: 'read' },
  events: ['check_run', 'issue_comment', 'pull_request', 'pull_request_review'],
};

export class GitHubServer {
  readonly owner: string;
  readonly repo: string;
  /** The app behind the token the action uses: GitHub Actions (GITHUB_TOKEN) unless a dedicated app is given. */
  readonly app: Integration;
  /** The account that app writes as. */
  readonly bot: Person;
  readonly requests: RecordedRequest[] = [];
  permissions = new Map<string, Permission>();
  teams = new Map<string, Set<string>>();
  teamsReadable = true;
  /** Answer the next N requests with 502 Bad Gateway (they are counted like any other). */
  failNext = 0;
  /** Whether the edit history lists the created version (GitHub's `includesCreatedEdit`). */
  historyIncludesCreated = true;
  /** Runs once just before the next PATCH of a comment lands: simulates an edit racing the action's write. */
  beforeNextCommentWrite: (() => void) | null = null;
  /** Files of the repository, served by the contents API (the same at every ref unless `filesAt` has the ref). */
  files = new Map<string, string>();
  /** Files at one commit (ref), overriding `files` there: a base branch whose template differs. */
  filesAt = new Map<string, Map<string, string>>();
  /** Answer GraphQL `viewer` with 502 this many more times (counted like any other request). */
  viewerFailures = 0;
  /** Runs once just after the next GET of a comment is answered: an edit made while the action works. */
  afterNextCommentRead: (() => void) | null = null;
  private readonly pulls = new Map<number, StoredPull>();
  private readonly comments: StoredComment[] = [];
  private readonly checkRuns: StoredCheckRun[] = [];
  private nextId = 1000;
  private clock = Date.parse('2026-11-26T08:00:00Z');
  private server: Server | null = null;
  url = '';

  constructor(repository = 'acme/orders', app?: { slug: string; id: number; name: string }) {
    const [owner, repo] = repository.split('/') as [string, string];
    this.owner = owner;
    this.repo = repo;
    this.app = app
      ? { ...GITHUB_ACTIONS_APP, id: app.id, slug: app.slug, name: app.name, node_id: `A_${app.id}`, client_id: `Iv23.${app.id}`, html_url: `https://github.com/apps/${app.slug}` }
      : GITHUB_ACTIONS_APP;
    this.bot = app ? { login: `${app.slug}[bot]`, id: 200_000_000 + app.id, bot: true } : { login: 'github-actions[bot]', id: 41898282, bot: true };
  }

  /** A check run written by some workflow's GITHUB_TOKEN (any workflow of the repository can do that). */
  forgeCheckRun(headSha: string, name: string, conclusion: 'success' | 'action_required', text: string): void {
    this.checkRuns.push({
      id: this.nextId++,
      headSha,
      name,
      status: 'completed',
      conclusion,
      detailsUrl: null,
      output: { title: 'All answered', summary: 'forged', text },
      app: GITHUB_ACTIONS_APP,
    });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.send(res, 500, { message: String(error), documentation_url: 'https://docs.github.com/rest' }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A timestamp a second later than the last one, so edits have a clear order. */
  tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  person(login: string, bot = false): Person {
    let hash = 0;
    for (const char of login) hash = (hash * 31 + char.charCodeAt(0)) % 9_000_000;
    return { login, id: 1_000_000 + hash, bot };
  }

  addPull(number: number, author: Person, headSha: string, files: string[] = ['src/handler.ts'], options: { headRef?: string; baseRef?: string; baseSha?: string } = {}): void {
    this.pulls.set(number, {
      number,
      author,
      headSha,
      headRef: options.headRef ?? 'feature',
      baseRef: options.baseRef ?? 'main',
      baseSha: options.baseSha ?? 'b'.repeat(40),
      files,
      commits: [{ sha: headSha, author, committer: author }],
      state: 'open',
    });
  }

  /** New commits on the head branch (a force-push too); `commits` replaces the pull request's commit list when given. */
  push(number: number, headSha: string, files?: string[], commits?: CommitFixture[]): void {
    const pull = this.pulls.get(number)!;
    pull.headSha = headSha;
    if (files) pull.files = files;
    if (commits) pull.commits = commits;
  }

  /** Changes the pull request's base branch (what "Edit" → base does); the diff is against the new base. */
  retarget(number: number, baseRef: string, baseSha: string, files?: string[]): void {
    const pull = this.pulls.get(number)!;
    pull.baseRef = baseRef;
    pull.baseSha = baseSha;
    if (files) pull.files = files;
  }

  /** The base branch moved on (someone merged into it); the diff of the pull request is unchanged. */
  advanceBase(number: number, baseSha: string): void {
    this.pulls.get(number)!.baseSha = baseSha;
  }

  setCommits(number: number, commits: CommitFixture[]): void {
    this.pulls.get(number)!.commits = commits;
  }

  closePull(number: number): void {
    this.pulls.get(number)!.state = 'closed';
  }

  pull(number: number): PullRequestFixture {
    const stored = this.pulls.get(number);
    if (!stored) throw new Error(`no pull request #${number}`);
    const repo = { id: 4242, name: this.repo, full_name: `${this.owner}/${this.repo}`, fork: false };
    return {
      id: 77_000 + number,
      node_id: `PR_${number}`,
      number,
      state: stored.state,
      title: 'Change the order handler',
      user: simpleUser(stored.author),
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${number}`,
      url: `${API}/repos/${this.owner}/${this.repo}/pulls/${number}`,
      draft: false,
      head: { sha: stored.headSha, ref: stored.headRef, label: `${this.owner}:${stored.headRef}`, repo },
      base: { sha: stored.baseSha, ref: stored.baseRef, label: `${this.owner}:${stored.baseRef}`, repo },
    };
  }

  /** Posts a comment as `author` (no request is counted: this is the world, not the action). */
  postComment(issue: number, author: Person, body: string): StoredComment {
    const at = this.tick();
    const id = this.nextId++;
    const comment: StoredComment = { id, nodeId: `IC_kwDO${id}`, issue, body, author, createdAt: at, updatedAt: at, revisions: [] };
    this.comments.push(comment);
    return comment;
  }

  /** Edits a comment as `editor`, the way the web UI does (CRLF line endings); returns the edited-event facts. */
  editComment(id: number, editor: Person, edit: (body: string) => string): { from: string; body: string; at: string } {
    const comment = this.commentById(id);
    const from = comment.body;
    const body = edit(from.replace(/\r\n/g, '\n')).replace(/\n/g, '\r\n');
    this.applyEdit(comment, editor, body);
    return { from, body, at: comment.updatedAt };
  }

  /** Deletes one revision from a comment's edit history (what "Delete revision from history" does). */
  deleteRevision(id: number, index: number): void {
    const revision = this.commentById(id).revisions[index];
    if (!revision) throw new Error(`no revision ${index}`);
    revision.body = null;
    revision.deletedAt = this.tick();
  }

  commentById(id: number): StoredComment {
    const comment = this.comments.find((c) => c.id === id);
    if (!comment) throw new Error(`no comment ${id}`);
    return comment;
  }

  commentsOn(issue: number): StoredComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  checkRunsFor(sha: string): StoredCheckRun[] {
    return this.checkRuns.filter((run) => run.headSha === sha);
  }

  webhookComment(id: number): WebhookIssueComment {
    const comment = this.commentById(id);
    return {
      url: `${API}/repos/${this.owner}/${this.repo}/issues/comments/${id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${comment.issue}#issuecomment-${id}`,
      issue_url: `${API}/repos/${this.owner}/${this.repo}/issues/${comment.issue}`,
      id,
      node_id: comment.nodeId,
      user: webhookUser(comment.author),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: comment.author.bot ? 'NONE' : 'MEMBER',
      body: comment.body,
      reactions: {
        url: `${API}/repos/${this.owner}/${this.repo}/issues/comments/${id}/reactions`,
        total_count: 0,
        '+1': 0,
        '-1': 0,
        laugh: 0,
        hooray: 0,
        confused: 0,
        heart: 0,
        rocket: 0,
        eyes: 0,
      },
      performed_via_github_app: null,
    };
  }

  resetCount(): void {
    this.requests.length = 0;
  }

  private applyEdit(comment: StoredComment, editor: Person, body: string): void {
    if (comment.revisions.length === 0) {
      comment.revisions.push({ body: comment.body, editor: comment.author, editedAt: comment.createdAt, deletedAt: null });
    }
    const at = this.tick();
    comment.body = body;
    comment.updatedAt = at;
    comment.revisions.push({ body, editor, editedAt: at, deletedAt: null });
  }

  private commentResponse(comment: StoredComment): IssueCommentResponse {
    return {
      id: comment.id,
      node_id: comment.nodeId,
      url: `${API}/repos/${this.owner}/${this.repo}/issues/comments/${comment.id}`,
      body: comment.body,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${comment.issue}#issuecomment-${comment.id}`,
      user: simpleUser(comment.author),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      issue_url: `${API}/repos/${this.owner}/${this.repo}/issues/${comment.issue}`,
      author_association: comment.author.bot ? 'NONE' : 'MEMBER',
    };
  }

  private commitResponse(commit: CommitFixture): CommitResponse {
    const identity = (person: Person | null) => ({ name: person?.login ?? 'Someone', email: person ? `${person.id}+${person.login}@users.noreply.github.com` : 'someone@example.com', date: '2026-11-26T07:00:00Z' });
    return {
      url: `${API}/repos/${this.owner}/${this.repo}/commits/${commit.sha}`,
      sha: commit.sha,
      node_id: `C_${commit.sha.slice(0, 8)}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/commit/${commit.sha}`,
      comments_url: `${API}/repos/${this.owner}/${this.repo}/commits/${commit.sha}/comments`,
      commit: {
        url: `${API}/repos/${this.owner}/${this.repo}/git/commits/${commit.sha}`,
        author: identity(commit.author),
        committer: identity(commit.committer),
        message: 'Change the order handler',
        comment_count: 0,
        tree: { sha: 't'.repeat(40), url: `${API}/repos/${this.owner}/${this.repo}/git/trees/${'t'.repeat(40)}` },
      },
      author: commit.author ? simpleUser(commit.author) : null,
      committer: commit.committer ? simpleUser(commit.committer) : null,
      parents: [],
    };
  }

  private checkRunResponse(run: StoredCheckRun): CheckRunResponse {
    return {
      id: run.id,
      head_sha: run.headSha,
      node_id: `CR_${run.id}`,
      external_id: null,
      url: `${API}/repos/${this.owner}/${this.repo}/check-runs/${run.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/runs/${run.id}`,
      details_url: run.detailsUrl,
      status: run.status,
      conclusion: run.conclusion,
      started_at: '2026-11-26T08:00:00Z',
      completed_at: run.status === 'completed' ? '2026-11-26T08:00:01Z' : null,
      output: { title: run.output.title, summary: run.output.summary, text: run.output.text, annotations_count: 0, annotations_url: `${API}/repos/${this.owner}/${this.repo}/check-runs/${run.id}/annotations` },
      name: run.name,
      check_suite: { id: 5000 },
      app: run.app,
      pull_requests: [],
    };
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-api-version-selected': '2022-11-28', ...headers });
    res.end(JSON.stringify(body));
  }

  private notFound(res: ServerResponse): void {
    const error: BasicError = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' };
    this.send(res, 404, error);
  }

  private page<T>(res: ServerResponse, url: URL, items: T[]): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const links: string[] = [];
    const link = (n: number, rel: string) => {
      const next = new URL(url);
      next.searchParams.set('page', String(n));
      links.push(`<${this.url}${next.pathname}${next.search}>; rel="${rel}"`);
    };
    if (page < last) {
      link(page + 1, 'next');
      link(last, 'last');
    }
    this.send(res, 200, items.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(', ') } : {});
  }

  private async readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    if (!/^(token|Bearer) \S+$/.test(String(req.headers.authorization ?? ''))) {
      this.send(res, 401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const body = method === 'GET' ? {} : await this.readBody(req);
    const path = url.pathname;
    this.requests.push({ method, path: `${path}${url.search}`, ...(path === '/graphql' ? { graphql: String(body.query ?? '') } : {}) });
    if (this.failNext > 0) {
      this.failNext -= 1;
      this.send(res, 502, { message: 'Server Error' });
      return;
    }
    const repoPrefix = `/repos/${this.owner}/${this.repo}`;
    let m: RegExpExecArray | null;

    if (method === 'POST' && path === '/graphql') return this.graphql(res, String(body.query ?? ''), (body.variables ?? {}) as Record<string, unknown>);
    if (!path.startsWith(repoPrefix) && !path.startsWith('/orgs/')) return this.notFound(res);
    const rest = path.slice(repoPrefix.length);

    if (method === 'GET' && (m = /^\/pulls\/(\d+)$/.exec(rest))) {
      if (!this.pulls.has(Number(m[1]))) return this.notFound(res);
      return this.send(res, 200, this.pull(Number(m[1])));
    }
    if (method === 'GET' && (m = /^\/pulls\/(\d+)\/files$/.exec(rest))) {
      const pull = this.pulls.get(Number(m[1]));
      if (!pull) return this.notFound(res);
      const files: DiffEntry[] = pull.files.map((filename, i) => ({
        sha: `${i}`.padStart(40, 'f'),
        filename,
        status: 'modified',
        additions: 3,
        deletions: 1,
        changes: 4,
        blob_url: `https://github.com/${this.owner}/${this.repo}/blob/${pull.headSha}/${filename}`,
        raw_url: `https://github.com/${this.owner}/${this.repo}/raw/${pull.headSha}/${filename}`,
        contents_url: `${API}/repos/${this.owner}/${this.repo}/contents/${filename}?ref=${pull.headSha}`,
      }));
      return this.page(res, url, files);
    }
    if (method === 'GET' && (m = /^\/pulls\/(\d+)\/commits$/.exec(rest))) {
      const pull = this.pulls.get(Number(m[1]));
      if (!pull) return this.notFound(res);
      return this.page(res, url, pull.commits.map((commit) => this.commitResponse(commit)));
    }
    if (method === 'GET' && (m = /^\/commits\/([^/]+)\/pulls$/.exec(rest))) {
      // Open pull requests whose head is this commit (the commit is on no default branch here).
      const sha = m[1]!;
      const pulls = [...this.pulls.values()].filter((pull) => pull.state === 'open' && pull.headSha === sha).map((pull) => this.pull(pull.number) as unknown as PullRequestSimple);
      return this.page(res, url, pulls);
    }
    if (method === 'GET' && (m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest))) {
      const name = url.searchParams.get('check_name');
      const runs = this.checkRuns.filter((run) => run.headSha === m![1] && (!name || run.name === name)).map((run) => this.checkRunResponse(run));
      return this.send(res, 200, { total_count: runs.length, check_runs: runs });
    }
    if (method === 'POST' && rest === '/check-runs') {
      const output = (body.output ?? {}) as { title?: string; summary?: string; text?: string };
      const run: StoredCheckRun = {
        id: this.nextId++,
        headSha: String(body.head_sha),
        name: String(body.name),
        status: (body.status as StoredCheckRun['status']) ?? 'queued',
        conclusion: (body.conclusion as StoredCheckRun['conclusion']) ?? null,
        detailsUrl: (body.details_url as string | undefined) ?? null,
        output: { title: output.title ?? null, summary: output.summary ?? null, text: output.text ?? null },
        app: this.app,
      };
      this.checkRuns.push(run);
      return this.send(res, 201, this.checkRunResponse(run));
    }
    if (method === 'PATCH' && (m = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) return this.notFound(res);
      if (run.app.slug !== this.app.slug) return this.send(res, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
      const output = (body.output ?? {}) as { title?: string; summary?: string; text?: string };
      if (body.status) run.status = body.status as StoredCheckRun['status'];
      if (body.conclusion) run.conclusion = body.conclusion as StoredCheckRun['conclusion'];
      if (body.details_url) run.detailsUrl = String(body.details_url);
      if (body.output) run.output = { title: output.title ?? null, summary: output.summary ?? null, text: output.text ?? null };
      return this.send(res, 200, this.checkRunResponse(run));
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const comment = this.comments.find((c) => c.id === Number(m![1]));
      if (!comment) return this.notFound(res);
      if (method === 'GET') {
        this.send(res, 200, this.commentResponse(comment));
        const after = this.afterNextCommentRead;
        this.afterNextCommentRead = null;
        after?.();
        return;
      }
      if (method === 'PATCH') {
        const race = this.beforeNextCommentWrite;
        this.beforeNextCommentWrite = null;
        race?.();
        this.applyEdit(comment, this.bot, String(body.body));
        return this.send(res, 200, this.commentResponse(comment));
      }
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(m[1]);
      if (method === 'GET') return this.page(res, url, this.commentsOn(issue).map((c) => this.commentResponse(c)));
      if (method === 'POST') return this.send(res, 201, this.commentResponse(this.postComment(issue, this.bot, String(body.body))));
    }
    if (method === 'GET' && (m = /^\/contents\/(.+)$/.exec(rest))) {
      const filePath = decodeURIComponent(m[1]!);
      const ref = url.searchParams.get('ref') ?? 'main';
      const text = this.filesAt.get(ref)?.has(filePath) ? this.filesAt.get(ref)!.get(filePath) : this.files.get(filePath);
      if (text === undefined) return this.notFound(res);
      const file: ContentFile = {
        type: 'file',
        encoding: 'base64',
        size: Buffer.byteLength(text),
        name: filePath.split('/').pop()!,
        path: filePath,
        content: Buffer.from(text).toString('base64').replace(/(.{60})/g, '$1\n'),
        sha: 'e'.repeat(40),
        url: `${API}/repos/${this.owner}/${this.repo}/contents/${filePath}?ref=${ref}`,
        git_url: `${API}/repos/${this.owner}/${this.repo}/git/blobs/${'e'.repeat(40)}`,
        html_url: `https://github.com/${this.owner}/${this.repo}/blob/${ref}/${filePath}`,
        download_url: `https://raw.githubusercontent.com/${this.owner}/${this.repo}/${ref}/${filePath}`,
        _links: { self: `${API}/repos/${this.owner}/${this.repo}/contents/${filePath}?ref=${ref}`, git: null, html: null },
      };
      return this.send(res, 200, file);
    }
    if (method === 'GET' && (m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const login = decodeURIComponent(m[1]!);
      const role = this.permissions.get(login) ?? 'none';
      if (role === 'none') return this.notFound(res);
      const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      const response: PermissionResponse = { permission, role_name: role, user: null };
      return this.send(res, 200, response);
    }
    if (method === 'GET' && (m = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/.exec(path))) {
      if (!this.teamsReadable) return this.send(res, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
      const members = this.teams.get(`${m[1]}/${m[2]}`);
      if (!members || !members.has(decodeURIComponent(m[3]!))) return this.notFound(res);
      const membership: TeamMembership = { url: `${API}${path}`, role: 'member', state: 'active' };
      return this.send(res, 200, membership);
    }
    return this.notFound(res);
  }

  /** The two GraphQL queries the action makes: `viewer`, and a comment's `userContentEdits`. */
  private graphql(res: ServerResponse, query: string, variables: Record<string, unknown>): void {
    if (/\bviewer\b/.test(query)) {
      if (this.viewerFailures > 0) {
        this.viewerFailures -= 1;
        return this.send(res, 502, { message: 'Server Error' });
      }
      return this.send(res, 200, { data: { viewer: { __typename: 'Bot', login: this.bot.login.replace(/\[bot\]$/, '') } } });
    }
    if (/userContentEdits/.test(query)) {
      const comment = this.comments.find((c) => c.nodeId === variables.id);
      if (!comment) {
        return this.send(res, 200, { data: { node: null }, errors: [{ type: 'NOT_FOUND', path: ['node'], message: `Could not resolve to a node with the global id of '${String(variables.id)}'` }] });
      }
      const listed = this.historyIncludesCreated ? comment.revisions : comment.revisions.slice(1);
      const newestFirst = [...listed].reverse().slice(0, 100);
      return this.send(res, 200, {
        data: {
          node: {
            userContentEdits: {
              totalCount: listed.length,
              nodes: newestFirst.map((revision, i) => ({
                editedAt: revision.editedAt,
                deletedAt: revision.deletedAt,
                diff: revision.body,
                // GraphQL names bots without the [bot] suffix REST uses.
                editor: { __typename: revision.editor.bot ? 'Bot' : 'User', login: revision.editor.login.replace(/\[bot\]$/, '') },
                id: `UCE_${comment.id}_${i}`,
              })),
            },
          },
        },
      });
    }
    return this.send(res, 200, { errors: [{ message: 'query not supported by the test server' }] });
  }
}
