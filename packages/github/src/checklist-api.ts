// GitHub adapter of the review checklist: one function per GitHub call it makes.
// The octokit instance comes from the caller (the action imports @actions/github lazily, after
// its inputs are valid), so this module only imports types.
import type { getOctokit } from '@actions/github';
import type { Editor, Ledger } from '../../core/src/checklist-ledger.js';
import { CHECK_RUN_NAME, decodeLedgers } from '../../core/src/checklist-ledger.js';
import { hasChecklistMarker } from '../../core/src/checklist-comment.js';

export type Octokit = ReturnType<typeof getOctokit>;

export interface Repo {
  readonly owner: string;
  readonly repo: string;
}

export interface PullRequestFacts {
  readonly number: number;
  readonly state: string;
  readonly author: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly baseSha: string;
  readonly baseRepo: string;
  readonly headRepo: string | null;
}

export interface ChecklistComment {
  readonly id: number;
  readonly nodeId: string;
  readonly body: string;
  readonly author: string;
  readonly authorIsBot: boolean;
  readonly updatedAt: string;
  readonly url: string;
}

/** This app's `deploy-safety-checklist` check run on a commit, with the ledger of every pull request it holds. */
export interface ChecklistRun {
  /** The run this evaluation writes (the newest of this app), or null when there is none yet. */
  readonly primary: { readonly id: number; readonly conclusion: string | null; readonly text: string | null } | null;
  /** Ledgers of every pull request with this head, from all of this app's runs on the commit (the newest run wins). */
  readonly ledgers: Ledger[];
  /** Older runs of this app on the commit (a race created two, or an older format): they are kept in step with the primary. */
  readonly others: { readonly id: number; readonly conclusion: string | null; readonly title: string | null }[];
}

function status(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : undefined;
}

/** Same login, ignoring case and the `[bot]` suffix REST adds and GraphQL leaves out. */
export function sameLogin(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const plain = (login: string) => login.toLowerCase().replace(/\[bot\]$/, '');
  return plain(a) === plain(b);
}

export async function getPullRequest(octokit: Octokit, repo: Repo, number: number): Promise<PullRequestFacts> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return {
    number: data.number,
    state: data.state,
    author: data.user.login,
    headSha: data.head.sha,
    baseRef: data.base.ref,
    baseSha: data.base.sha,
    baseRepo: data.base.repo.full_name,
    headRepo: data.head.repo?.full_name ?? null,
  };
}

/**
 * This app's `deploy-safety-checklist` check runs on a commit, and the ledgers they hold. Only runs
 * created by `app` (the token's own app) are trusted: a check run cannot be edited by anyone but the
 * app that created it, which is what makes the ledger trustworthy.
 */
export async function readChecklistRun(octokit: Octokit, repo: Repo, sha: string, app: string | null): Promise<ChecklistRun> {
  const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: sha, check_name: CHECK_RUN_NAME, filter: 'all', per_page: 100 });
  const runs = [...data.check_runs].filter((run) => !app || sameLogin(run.app?.slug ?? null, app)).sort((a, b) => b.id - a.id);
  const ledgers = new Map<number, Ledger>();
  for (const run of runs) {
    const slug = run.app?.slug ?? null;
    for (const ledger of decodeLedgers(run.output.text)) {
      // A ledger names the identity that wrote the comment; the run must come from that same app.
      if (ledger.bot && !sameLogin(slug, ledger.bot)) continue;
      if (ledger.head !== sha || ledgers.has(ledger.pr)) continue;
      ledgers.set(ledger.pr, ledger);
    }
  }
  const [newest, ...older] = runs;
  return {
    primary: newest ? { id: newest.id, conclusion: newest.conclusion ?? null, text: newest.output.text ?? null } : null,
    ledgers: [...ledgers.values()],
    others: older.map((run) => ({ id: run.id, conclusion: run.conclusion ?? null, title: run.output.title ?? null })),
  };
}

/** Open pull requests of this repository whose head is this commit (GET /repos/{o}/{r}/commits/{sha}/pulls, one page). */
export async function listOpenPullsWithHead(octokit: Octokit, repo: Repo, sha: string): Promise<number[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha, per_page: 100 });
  return data.filter((pull) => pull.state === 'open' && pull.head.sha === sha).map((pull) => pull.number);
}

/** GitHub logins of the authors and committers of the pull request's commits (100 per page, GitHub lists up to 250). */
export async function listCommitPeople(octokit: Octokit, repo: Repo, pr: number): Promise<{ authors: string[]; committers: string[] }> {
  const authors = new Set<string>();
  const committers = new Set<string>();
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listCommits, { ...repo, pull_number: pr, per_page: 100 })) {
    for (const commit of page.data) {
      if (commit.author?.login) authors.add(commit.author.login);
      if (commit.committer?.login) committers.add(commit.committer.login);
    }
  }
  return { authors: [...authors], committers: [...committers] };
}

export interface CheckRunContent {
  readonly headSha: string;
  readonly conclusion: 'success' | 'action_required';
  readonly title: string;
  readonly summary: string;
  readonly text: string;
  readonly detailsUrl?: string;
}

export async function createCheckRun(octokit: Octokit, repo: Repo, content: CheckRunContent): Promise<{ id: number; app: string | null }> {
  // Not retried (a POST): a retry could leave two runs; readChecklistRun merges them if it ever happens.
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: CHECK_RUN_NAME,
    head_sha: content.headSha,
    status: 'completed',
    conclusion: content.conclusion,
    ...(content.detailsUrl ? { details_url: content.detailsUrl } : {}),
    output: { title: content.title, summary: content.summary, text: content.text },
  });
  return { id: data.id, app: data.app?.slug ?? null };
}

export async function updateCheckRun(octokit: Octokit, repo: Repo, id: number, content: CheckRunContent): Promise<void> {
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: id,
    status: 'completed',
    conclusion: content.conclusion,
    ...(content.detailsUrl ? { details_url: content.detailsUrl } : {}),
    output: { title: content.title, summary: content.summary, text: content.text },
  });
}

function toComment(data: {
  id: number;
  node_id: string;
  body?: string | undefined;
  user: { login: string; type: string } | null;
  updated_at: string;
  html_url: string;
}): ChecklistComment {
  return {
    id: data.id,
    nodeId: data.node_id,
    body: data.body ?? '',
    author: data.user?.login ?? '',
    authorIsBot: data.user?.type === 'Bot',
    updatedAt: data.updated_at,
    url: data.html_url,
  };
}

/** The comment with this id, or null when it was deleted. */
export async function getComment(octokit: Octokit, repo: Repo, id: number): Promise<ChecklistComment | null> {
  try {
    const { data } = await octokit.rest.issues.getComment({ ...repo, comment_id: id });
    return toComment(data);
  } catch (error) {
    if (status(error) === 404) return null;
    throw error;
  }
}

/**
 * Searches the pull request's comments (100 per page, every page) for the checklist comment:
 * it carries the marker AND was written by `identity`. Copies posted by anyone else are ignored.
 * When several qualify, the oldest (first listed) is the sticky one.
 */
export async function findChecklistComment(
  octokit: Octokit,
  repo: Repo,
  pr: number,
  identity: { readonly login: string; readonly bot: boolean },
): Promise<{ comment: ChecklistComment | null; ignored: number }> {
  let ignored = 0;
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { ...repo, issue_number: pr, per_page: 100 })) {
    for (const data of page.data) {
      if (!hasChecklistMarker(data.body)) continue;
      if (sameLogin(data.user?.login, identity.login) && (data.user?.type === 'Bot') === identity.bot) return { comment: toComment(data), ignored };
      ignored += 1;
    }
  }
  return { comment: null, ignored };
}

export async function createComment(octokit: Octokit, repo: Repo, pr: number, body: string): Promise<ChecklistComment> {
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: pr, body });
  return toComment(data);
}

export async function updateComment(octokit: Octokit, repo: Repo, id: number, body: string): Promise<ChecklistComment> {
  const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: id, body });
  return toComment(data);
}

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/** The user's effective permission on the repository (`role_name` distinguishes maintain and triage). */
export async function getPermission(octokit: Octokit, repo: Repo, login: string): Promise<Permission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
    const role = (data.role_name ?? '').toLowerCase();
    if (role === 'admin' || role === 'maintain' || role === 'write' || role === 'triage' || role === 'read') return role;
    const permission = data.permission.toLowerCase();
    if (permission === 'admin' || permission === 'write' || permission === 'read') return permission;
    return 'none';
  } catch (error) {
    // 404: not a collaborator (or no such user).
    if (status(error) === 404) return 'none';
    throw error;
  }
}

export type TeamAnswer = 'member' | 'not-member' | 'unreadable';

/** Whether the user is an active member of `org/team`; `unreadable` when the token may not read teams. */
export async function teamMembership(octokit: Octokit, org: string, team: string, login: string): Promise<TeamAnswer> {
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: team, username: login });
    return data.state === 'active' ? 'member' : 'not-member';
  } catch (error) {
    const code = status(error);
    if (code === 404) return 'not-member';
    if (code === 401 || code === 403) return 'unreadable';
    throw error;
  }
}

/** Every path the pull request changes (renamed files count under both names); up to GitHub's 3000 files. */
export async function listChangedPaths(octokit: Octokit, repo: Repo, pr: number): Promise<string[]> {
  const paths = new Set<string>();
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { ...repo, pull_number: pr, per_page: 100 })) {
    for (const file of page.data) {
      paths.add(file.filename);
      if (file.previous_filename) paths.add(file.previous_filename);
    }
  }
  return [...paths];
}

/** GraphQL at the runner's GITHUB_GRAPHQL_URL when given (octokit otherwise derives it from the REST base URL). */
function graphqlAt(octokit: Octokit, graphqlUrl: string | undefined): Octokit['graphql'] {
  return graphqlUrl ? octokit.graphql.defaults({ url: graphqlUrl }) : octokit.graphql;
}

/** A text file at a commit, or null when it does not exist there. */
export async function getFileAtRef(octokit: Octokit, repo: Repo, path: string, ref: string): Promise<string | null> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path: path.replace(/^\.?\//, ''), ref });
    if (Array.isArray(data) || data.type !== 'file') throw new Error(`${path} at ${ref.slice(0, 7)} is a ${Array.isArray(data) ? 'directory' : data.type}, not a file`);
    return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
  } catch (error) {
    if (status(error) === 404) return null;
    throw error;
  }
}

export interface HistoryRevision {
  readonly body: string | null;
  readonly editor: Editor | null;
  readonly at: string;
}

interface HistoryResponse {
  node: {
    userContentEdits: {
      totalCount: number;
      nodes: Array<{ editedAt: string; deletedAt: string | null; diff: string | null; editor: { __typename: string; login: string } | null } | null>;
    } | null;
  } | null;
}

const HISTORY_QUERY = `query($id: ID!) {
  node(id: $id) {
    ... on IssueComment {
      userContentEdits(first: 100) {
        totalCount
        nodes { editedAt deletedAt diff editor { __typename login } }
      }
    }
  }
}`;

/**
 * The comment's edit history, oldest first: each revision's full body and its editor. GitHub lists
 * the newest 100 edits first; a deleted revision has no body. `complete` is false when older edits
 * exist beyond this page.
 */
export async function getCommentHistory(octokit: Octokit, nodeId: string, graphqlUrl: string | undefined): Promise<{ revisions: HistoryRevision[]; complete: boolean }> {
  const data = await graphqlAt(octokit, graphqlUrl)<HistoryResponse>(HISTORY_QUERY, { id: nodeId });
  const nodes = data.node?.userContentEdits?.nodes ?? [];
  const total = data.node?.userContentEdits?.totalCount ?? 0;
  const revisions = nodes
    .filter((node): node is NonNullable<typeof node> => node !== null)
    .map((node) => ({
      body: node.deletedAt ? null : node.diff,
      editor: node.editor ? { login: node.editor.login, bot: node.editor.__typename === 'Bot' } : null,
      at: node.editedAt,
    }))
    .reverse() // newest first from GitHub; ties in time keep GitHub's order
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { revisions, complete: nodes.length >= total };
}

/** The login of the token's identity (GITHUB_TOKEN: github-actions[bot]), through GraphQL `viewer`. */
export async function getViewerLogin(octokit: Octokit, graphqlUrl: string | undefined): Promise<{ login: string; bot: boolean }> {
  const data = await graphqlAt(octokit, graphqlUrl)<{ viewer: { __typename: string; login: string } }>('query { viewer { __typename login } }');
  return { login: data.viewer.login, bot: data.viewer.__typename === 'Bot' };
}
