// One evaluation of the review checklist for one event: read the pull request as it is now, read the
// ledger, find the sticky comment, replay the edits made to it since the action last wrote it, credit
// eligible reviewers, rewrite the comment and record the ledger in the `deploy-safety-checklist` check
// run of the head commit (one run per commit, holding the ledger of every pull request with that head).
//
// Answers belong to one (head, base, template): a push (also back to a head answered before), another
// base branch, another template at the base or another diff clears them. Nobody who opened the pull
// request, pushed its head or authored or committed its commits can answer. A human edit is credited
// only when it was made on the body the action last wrote (its state line) and changes checkboxes only.
//
// GitHub calls per evaluation (each through checklist-api.ts), measured by test/e2e/review-checklist.test.ts:
//   issue_comment edited, one tick: pull request, template, viewer, check runs, comment, permission,
//   the comment again (just before writing), update comment, update check run = 9; +1 (open pull
//   requests with this head) when the tick completes the checklist.
//   A missed edit adds the GraphQL edit history (1); a new head adds the previous head's check runs (or
//   the comment search), the commit list (one page per 100 commits) and the changed files (one page per
//   100 files, only when an item has `when.paths`).
import type { Answer, Note, Reset } from '../../core/src/checklist-comment.js';
import { bodyDigest, checklistStatus, formatTime, nextStateId, normalizeBody, renderChecklistBody } from '../../core/src/checklist-comment.js';
import type { ChangeMakers, Editor, Eligibility, Ledger, Revision } from '../../core/src/checklist-ledger.js';
import {
  editorsToJudge,
  encodeLedgers,
  findBaseline,
  LEDGER_FORMAT,
  pathsDigest,
  preliminaryEligibility,
  pruneAnswers,
  pruneToTemplate,
  replayRevisions,
  settleWithoutHistory,
  withdrawMakers,
} from '../../core/src/checklist-ledger.js';
import type { ChecklistTemplate } from '../../core/src/checklist-template.js';
import { DEFAULT_TEMPLATE, needsChangedPaths, parseChecklistTemplate, requiredItemIds, templateDigest, templateItems } from '../../core/src/checklist-template.js';
import type { ChecklistComment, ChecklistRun, Octokit, Permission, PullRequestFacts, Repo, TeamAnswer } from './checklist-api.js';
import type { Trigger } from './checklist-trigger.js';
import {
  createCheckRun,
  createComment,
  findChecklistComment,
  getComment,
  getCommentHistory,
  getFileAtRef,
  getPermission,
  getPullRequest,
  getViewerLogin,
  listChangedPaths,
  listCommitPeople,
  listOpenPullsWithHead,
  readChecklistRun,
  sameLogin,
  teamMembership,
  updateCheckRun,
  updateComment,
} from './checklist-api.js';
import { cellText as cell } from './summary.js';

export interface EvaluateOptions {
  readonly octokit: Octokit;
  readonly repo: Repo;
  readonly trigger: Extract<Trigger, { kind: 'evaluate' }>;
  /** Repository path of the checklist template, read at the pull request's base commit. */
  readonly checklistPath: string;
  /** Path the user asked for explicitly: a missing file is then an error rather than the default. */
  readonly checklistExplicit: boolean;
  readonly teams: readonly { readonly org: string; readonly team: string }[];
  readonly resetOnPush: boolean;
  readonly graphqlUrl: string | undefined;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

export interface ItemRow {
  readonly id: string;
  readonly section: string;
  readonly text: string;
  readonly required: boolean;
  readonly answer: Answer | null;
  readonly note: Note | null;
}

export interface Evaluation {
  readonly status: 'evaluated' | 'ignored';
  readonly reason?: string;
  readonly complete: boolean;
  readonly missing: string[];
  readonly commentId: number | null;
  readonly commentUrl: string | null;
  readonly headSha: string | null;
  readonly rows: ItemRow[];
  readonly events: string[];
  readonly source: string;
  readonly templateSource: string;
  /** The conclusion of the commit's check run (it covers every open pull request with this head). */
  readonly conclusion?: 'success' | 'action_required';
}

function ignoredRun(reason: string): Evaluation {
  return { status: 'ignored', reason, complete: false, missing: [], commentId: null, commentUrl: null, headSha: null, rows: [], events: [], source: 'none', templateSource: 'none' };
}

/** How many times the comment may change under a run before it gives up writing (the next run evaluates). */
const WRITE_ATTEMPTS = 3;

export async function evaluateChecklist(options: EvaluateOptions): Promise<Evaluation> {
  const { octokit, repo, trigger } = options;
  const events: string[] = [];
  const now = options.now().toISOString();

  // 1. The pull request as it is now: a payload can be stale (a queued or re-run event), and comment events carry none of it.
  const pr = await getPullRequest(octokit, repo, trigger.pr);
  if (trigger.headSha !== null && (trigger.headSha !== pr.headSha || (trigger.baseRef !== null && trigger.baseRef !== pr.baseRef))) {
    return ignoredRun(
      `this event is about head ${trigger.headSha.slice(0, 7)} into ${trigger.baseRef ?? '?'}, but pull request #${pr.number} is now at head ${pr.headSha.slice(0, 7)} into ${pr.baseRef}; ` +
        'the run for the current state evaluates it (a stale payload, such as a re-run of an old run, is never evaluated)',
    );
  }
  if (pr.state !== 'open') return ignoredRun(`pull request #${pr.number} is ${pr.state}`);

  // The template as the base commit has it: edits to it in this pull request count from the next one on.
  const { template, source: templateSource } = await loadTemplate(options, pr.baseSha);
  const evaluation = await evaluateWith({ ...options, template }, { pr, now, events });
  return { ...evaluation, templateSource };
}

async function loadTemplate(options: EvaluateOptions, baseSha: string): Promise<{ template: ChecklistTemplate; source: string }> {
  const text = await getFileAtRef(options.octokit, options.repo, options.checklistPath, baseSha);
  if (text === null) {
    if (options.checklistExplicit) throw new Error(`input "checklist": ${options.checklistPath} does not exist at the base commit ${baseSha.slice(0, 7)}`);
    return { template: DEFAULT_TEMPLATE, source: `built-in default (no ${options.checklistPath} at ${baseSha.slice(0, 7)})` };
  }
  return { template: parseChecklistTemplate(text, options.checklistPath), source: `${options.checklistPath} at ${baseSha.slice(0, 7)}` };
}

function freshLedger(pr: PullRequestFacts, previous: Ledger | null, keepAnswers: boolean, reset: Reset | null, pusher: string | null): Ledger {
  return {
    format: LEDGER_FORMAT,
    pr: pr.number,
    head: pr.headSha,
    base: { ref: pr.baseRef, sha: pr.baseSha },
    paths: null,
    commentId: previous?.commentId ?? null,
    bot: previous?.bot ?? null,
    template: '',
    required: [],
    answers: keepAnswers && previous ? previous.answers : {},
    notes: keepAnswers && previous ? previous.notes : {},
    written: keepAnswers && previous ? previous.written : null,
    state: previous?.state ?? null,
    prior: previous?.prior ?? null,
    reset,
    started: keepAnswers && previous ? previous.started : null,
    writtenAt: previous?.writtenAt ?? null,
    pusher,
    authors: [],
    committers: [],
  };
}

/** Clears a ledger's answers for the same head (another base, template or diff): edits before this point are never replayed. */
function cleared(ledger: Ledger, reset: Reset): Ledger {
  return { ...ledger, answers: {}, notes: {}, written: null, started: null, reset };
}

async function evaluateWith(
  options: EvaluateOptions & { readonly template: ChecklistTemplate },
  context: { readonly pr: PullRequestFacts; readonly now: string; readonly events: string[] },
): Promise<Omit<Evaluation, 'templateSource'>> {
  const { octokit, repo, trigger, template, log } = options;
  const { pr, now, events } = context;
  const headSha = pr.headSha;

  // 2. Who this token is: only check runs of its app and comments of its account are trusted. (Any
  //    workflow can write check runs and comments as github-actions; a dedicated app's cannot be forged.)
  //    Unknown identity fails the run: guessing would trust what another workflow wrote.
  const identity = await identityOf(options);
  const app = identity.bot ? identity.login.replace(/\[bot\]$/i, '') : null;

  // 3. The ledger of this head, or a fresh one. A push always starts afresh, also back to a head that
  //    has a ledger from before (F7); only a re-delivered synchronize (this head's ledger is newer than
  //    the previous head's) continues it.
  const run = await readChecklistRun(octokit, repo, headSha, app);
  const stored = run.ledgers.find((entry) => entry.pr === pr.number) ?? null;
  let ledger: Ledger;
  let resetting = false;
  let fresh = false;
  let carried: Ledger | null = null;
  if (trigger.before !== null) {
    const before = trigger.before;
    carried = (await readChecklistRun(octokit, repo, before, app)).ledgers.find((entry) => entry.pr === pr.number) ?? null;
    const redelivered = stored !== null && carried !== null && Date.parse(stored.writtenAt ?? '') > Date.parse(carried.writtenAt ?? '');
    if (stored && redelivered) {
      ledger = stored;
    } else {
      if (stored) log(`head ${headSha.slice(0, 7)} was answered before; a push back to it starts afresh (older answers and edits are not replayed)`);
      // reset-on-push: false carries answers over to the new head, never to another base branch.
      const keep = carried !== null && !options.resetOnPush && carried.base.ref === pr.baseRef;
      resetting = !keep;
      fresh = true;
      ledger = freshLedger(pr, carried ?? stored, keep, keep ? null : { cause: 'push', from: carried?.head ?? before }, trigger.pusher);
      if (carried) log(keep ? `new head ${headSha.slice(0, 7)}: answers for ${carried.head.slice(0, 7)} carried over (reset-on-push: false)` : `new head ${headSha.slice(0, 7)}: answers for ${carried.head.slice(0, 7)} are cleared (reset-on-push)`);
    }
  } else if (stored) {
    ledger = stored;
  } else {
    fresh = true;
    ledger = freshLedger(pr, null, false, null, null);
  }

  // 4. The sticky comment: by its recorded id, else by marker AND the token's identity.
  let comment: ChecklistComment | null = null;
  if (ledger.commentId) {
    comment = await getComment(octokit, repo, ledger.commentId);
    if (comment && !sameLogin(comment.author, identity.login)) comment = null;
    if (!comment) log(`the recorded checklist comment ${ledger.commentId} no longer exists (or was not written by @${identity.login})`);
  }
  if (!comment) {
    const found = await findChecklistComment(octokit, repo, pr.number, identity);
    comment = found.comment;
    if (found.ignored > 0) log(`ignored ${found.ignored} comment(s) that copy the checklist marker but were not written by @${identity.login}`);
    if (comment) {
      ledger = { ...ledger, commentId: comment.id, bot: comment.author };
      log(`found the checklist comment ${comment.id} by its marker and author @${comment.author}`);
    }
  }
  if (fresh && !carried && comment && !resetting) {
    // A head without a ledger whose predecessor's ledger is unknown (a missed synchronize): nothing
    // can be replayed, so it starts like any new head, from a clean checklist.
    resetting = true;
    ledger = { ...ledger, answers: {}, notes: {}, written: null, started: null, reset: { cause: 'push', from: 'earlier commits' } };
    log(`new head ${headSha.slice(0, 7)} without a ledger: the checklist starts afresh`);
  }
  if (trigger.commentId !== null && comment && trigger.commentId !== comment.id) {
    return ignoredRun(`comment ${trigger.commentId} is not the checklist comment (that is ${comment.id}); it is ignored`);
  }
  if (trigger.commentId !== null && !comment && trigger.edit) {
    return ignoredRun(`comment ${trigger.commentId} is not a checklist comment written by this action; it is ignored`);
  }

  // 5. The base and what it requires. Another base branch clears the answers (F1); another base commit
  //    re-reads what is required, and clears them when the template or the changed paths differ.
  if (!fresh && ledger.base.ref !== pr.baseRef) {
    resetting = true;
    log(`the base branch changed from ${ledger.base.ref} to ${pr.baseRef}: the answers are cleared`);
    ledger = cleared(ledger, { cause: 'base', from: ledger.base.ref, to: pr.baseRef });
    ledger = { ...ledger, template: '' };
  }
  const digest = templateDigest(template);
  if (ledger.template !== digest || ledger.base.sha !== pr.baseSha) {
    const paths = needsChangedPaths(template) ? await listChangedPaths(octokit, repo, pr.number) : null;
    const pd = paths ? pathsDigest(paths) : null;
    if (!fresh && !resetting && ledger.template !== '' && ledger.template !== digest) {
      resetting = true;
      log(`the checklist template at the base changed (${ledger.base.sha.slice(0, 7)} → ${pr.baseSha.slice(0, 7)}): the answers are cleared`);
      ledger = cleared(ledger, { cause: 'template', from: ledger.base.sha });
    } else if (!fresh && !resetting && ledger.paths !== null && pd !== null && ledger.paths !== pd) {
      resetting = true;
      log(`the changed paths against ${pr.baseRef} are not the ones answered for: the answers are cleared`);
      ledger = cleared(ledger, { cause: 'diff', from: ledger.base.sha });
    }
    ledger = { ...ledger, template: digest, required: requiredItemIds(template, paths ?? []), paths: pd, base: { ref: pr.baseRef, sha: pr.baseSha } };
  }

  // 6. Who made the change: the commit list is read once per head and base (F3).
  if (fresh || (resetting && ledger.reset?.cause === 'base')) {
    const people = await listCommitPeople(octokit, repo, pr.number);
    ledger = { ...ledger, authors: people.authors, committers: people.committers };
  }
  const makers: ChangeMakers = { opener: pr.author, pusher: ledger.pusher, authors: ledger.authors, committers: ledger.committers };

  // 7. Replay the edits made since the action last wrote the comment, write, and re-read just before
  //    writing: a change made meanwhile is evaluated too instead of being written over (F5).
  let settled: Settled | null = null;
  let body = '';
  let wrote = false;
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt += 1) {
    settled = await settle({ options, comment, ledger, makers, resetting, now });
    body = renderChecklistBody({ template, required: ledger.required, answers: settled.answers, notes: settled.notes, headSha, reset: ledger.reset, state: ledger.state });
    if (comment && normalizeBody(comment.body) === normalizeBody(body)) break;
    const state = nextStateId(ledger.state, `${headSha}\n${now}\n${attempt}\n${body}`);
    body = renderChecklistBody({ template, required: ledger.required, answers: settled.answers, notes: settled.notes, headSha, reset: ledger.reset, state });
    if (comment && !resetting) {
      const again = await getComment(octokit, repo, comment.id);
      if (again && normalizeBody(again.body) !== normalizeBody(comment.body)) {
        comment = again;
        log(`the checklist comment changed while this run worked (attempt ${attempt}); evaluating it again`);
        if (attempt === WRITE_ATTEMPTS) {
          return ignoredRun(`the checklist comment kept changing while this run worked (${WRITE_ATTEMPTS} times); the runs of those edits evaluate it`);
        }
        continue;
      }
      if (!again) comment = null;
    }
    if (!comment) {
      comment = await createComment(octokit, repo, pr.number, body);
      log(`created the checklist comment ${comment.id}`);
    } else {
      comment = await updateComment(octokit, repo, comment.id, body);
      log(`updated the checklist comment ${comment.id}`);
    }
    ledger = { ...ledger, prior: ledger.state, state };
    wrote = true;
    break;
  }
  const { answers, notes, source } = settled!;
  events.push(...settled!.log);
  ledger = {
    ...ledger,
    commentId: comment!.id,
    bot: comment!.author,
    answers,
    notes,
    written: bodyDigest(body),
    started: ledger.started ?? comment!.updatedAt,
    writtenAt: wrote ? comment!.updatedAt : (ledger.writtenAt ?? comment!.updatedAt),
  };
  const commentUrl = comment!.url;

  // 8. The commit's one check run: this pull request's ledger beside every other open pull request's
  //    with the same head; green only when each of them is answered (F2).
  const status = checklistStatus(ledger.required, answers);
  const conclusion = await writeCheckRun({ options, run, ledger, commentUrl, complete: status.complete, events });

  return {
    status: 'evaluated',
    complete: status.complete,
    missing: status.missing,
    commentId: comment!.id,
    commentUrl,
    headSha,
    rows: rowsOf(template, ledger),
    events,
    source,
    conclusion,
  };
}

interface Settled {
  readonly answers: Record<string, Answer>;
  readonly notes: Record<string, Note>;
  readonly source: string;
  readonly log: string[];
}

/** The answers after the edits made to `comment` since the action last wrote it. */
async function settle(input: {
  options: EvaluateOptions & { readonly template: ChecklistTemplate };
  comment: ChecklistComment | null;
  ledger: Ledger;
  makers: ChangeMakers;
  resetting: boolean;
  now: string;
}): Promise<Settled> {
  const { options, comment, ledger, makers, resetting, now } = input;
  const { template, trigger } = options;
  const withdrawn = withdrawMakers(pruneAnswers(template, ledger.answers), pruneToTemplate(template, ledger.notes), makers, now);
  let answers: Record<string, Answer> = withdrawn.answers;
  let notes: Record<string, Note> = withdrawn.notes;
  const log = [...withdrawn.log];
  let source = 'none';
  if (comment && !resetting && bodyDigest(comment.body) !== ledger.written) {
    // The last write is a pure function of the ledger; re-rendered, it stands in for a history entry GitHub may omit.
    const rendered = renderChecklistBody({ template, required: ledger.required, answers: ledger.answers, notes: ledger.notes, headSha: ledger.head, reset: ledger.reset, state: ledger.state });
    const baseline = ledger.written !== null && bodyDigest(rendered) === ledger.written ? rendered : null;
    const result = await replay({ options, comment, ledger: { ...ledger, answers, notes }, makers, now, baseline });
    answers = result.answers;
    notes = result.notes;
    source = result.source;
    log.push(...result.log);
  } else if (
    comment &&
    !resetting &&
    trigger.edit &&
    trigger.edit.commentId === comment.id &&
    normalizeBody(trigger.edit.body) !== normalizeBody(comment.body) &&
    !(ledger.started && Date.parse(trigger.edit.at) < Date.parse(ledger.started))
  ) {
    // The comment is as this action last wrote it, yet the edit this event reports is not in it: a run
    // that overlapped the edit wrote over it. The event still says who changed what, so apply it now
    // if it was made on the write before the last one; on each item a decision newer than the edit wins.
    const edit = trigger.edit;
    const revisions: Revision[] = [
      { body: edit.from, editor: null, at: edit.at },
      { body: edit.body, editor: edit.editor, at: edit.at },
    ];
    const result = replayRevisions({ template, answers, notes, revisions, judge: await judgeFor(options, revisions, makers), state: ledger.prior });
    for (const item of templateItems(template)) {
      const decided = Math.max(Date.parse(answers[item.id]?.at ?? '') || 0, Date.parse(notes[item.id]?.at ?? '') || 0);
      if (decided <= Date.parse(edit.at)) continue;
      if (answers[item.id]) result.answers[item.id] = answers[item.id]!;
      else delete result.answers[item.id];
      if (notes[item.id]) result.notes[item.id] = notes[item.id]!;
      else delete result.notes[item.id];
    }
    answers = result.answers;
    notes = result.notes;
    source = `edited event (sender @${edit.editor.login}), applied after an overlapping write`;
    log.push(...result.log);
  }
  return { answers, notes, source, log };
}

async function identityOf(options: EvaluateOptions): Promise<{ login: string; bot: boolean }> {
  try {
    return await getViewerLogin(options.octokit, options.graphqlUrl);
  } catch (error) {
    throw new Error(
      `could not read the token's identity through GraphQL viewer (${(error as Error).message}); the run stops rather than guess it, ` +
        'because only check runs and comments of that identity may be trusted. Re-run the job when GitHub answers again.',
    );
  }
}

async function replay(input: {
  options: EvaluateOptions & { readonly template: ChecklistTemplate };
  comment: ChecklistComment;
  ledger: Ledger;
  makers: ChangeMakers;
  now: string;
  /** The body the action last wrote, re-rendered from the ledger (null when it does not match the recorded digest). */
  baseline: string | null;
}): Promise<{ answers: Record<string, Answer>; notes: Record<string, Note>; log: string[]; source: string }> {
  const { options, comment, ledger, makers, now } = input;
  const { template } = options;
  const edit = options.trigger.edit;
  let revisions: Revision[] | null = null;
  let source: string;
  if (
    edit &&
    edit.commentId === comment.id &&
    ledger.written !== null &&
    bodyDigest(edit.from) === ledger.written &&
    normalizeBody(edit.body) === normalizeBody(comment.body)
  ) {
    // The event describes the only edit since the action wrote the comment.
    revisions = [
      { body: edit.from, editor: null, at: edit.at },
      { body: edit.body, editor: edit.editor, at: edit.at },
    ];
    source = `edited event (sender @${edit.editor.login})`;
  } else {
    const { revisions: history, complete } = await getCommentHistory(options.octokit, comment.nodeId, options.graphqlUrl);
    let start = findBaseline(history, ledger.written);
    let chain: Revision[] = start >= 0 ? history.slice(start) : [];
    if (start < 0 && complete && history.every((revision) => revision.body !== null) && input.baseline !== null) {
      // GitHub may leave the created version out of the history: when the whole history is there and
      // none of it is the action's last write, that write was the creation, re-rendered from the ledger.
      chain = [{ body: input.baseline, editor: null, at: comment.updatedAt }, ...history];
      start = 0;
    }
    const last = chain[chain.length - 1];
    if (last && last.body !== null && normalizeBody(last.body) !== normalizeBody(comment.body) && edit && edit.commentId === comment.id) {
      // The history lags behind the comment; the event explains the newest edit.
      if (normalizeBody(edit.from) === normalizeBody(last.body) && normalizeBody(edit.body) === normalizeBody(comment.body)) {
        chain = [...chain, { body: edit.body, editor: edit.editor, at: edit.at }];
      }
    }
    const newest = chain[chain.length - 1];
    if (start >= 0 && newest && newest.body !== null && normalizeBody(newest.body) === normalizeBody(comment.body)) {
      revisions = chain;
      source = `edit history (${revisions.length - 1} edit(s) since the action last wrote the comment)`;
    } else {
      source = 'edit history unavailable';
      const reason =
        ledger.written === null
          ? 'this action has no record of the comment it wrote'
          : start < 0
            ? "the comment's edit history no longer holds the version this action wrote"
            : "the comment's edit history does not reach its current text";
      const settled = settleWithoutHistory({ template, body: comment.body, answers: ledger.answers, notes: ledger.notes, reason, at: now });
      return { ...settled, source };
    }
  }

  const result = replayRevisions({ template, answers: ledger.answers, notes: ledger.notes, revisions, judge: await judgeFor(options, revisions, makers), state: ledger.state });
  return { ...result, source };
}

/** Asks GitHub about every editor who ticked something in these revisions (once each), and returns the verdicts. */
async function judgeFor(options: EvaluateOptions & { readonly template: ChecklistTemplate }, revisions: readonly Revision[], makers: ChangeMakers): Promise<(editor: Editor) => Eligibility> {
  const verdicts = new Map<string, Eligibility>();
  for (const editor of editorsToJudge(options.template, revisions)) {
    verdicts.set(editor.login.toLowerCase(), await eligibility(options, editor, makers));
  }
  return (editor) => verdicts.get(editor.login.toLowerCase()) ?? preliminaryEligibility(editor, makers) ?? { eligible: false, reason: `@${editor.login} could not be checked` };
}

const WRITE: ReadonlySet<Permission> = new Set(['admin', 'maintain', 'write']);

async function eligibility(options: EvaluateOptions, editor: Editor, makers: ChangeMakers): Promise<Eligibility> {
  const early = preliminaryEligibility(editor, makers);
  if (early) return early;
  const permission = await getPermission(options.octokit, options.repo, editor.login);
  if (WRITE.has(permission)) return { eligible: true };
  const answers: TeamAnswer[] = [];
  for (const { org, team } of options.teams) {
    const answer = await teamMembership(options.octokit, org, team, editor.login);
    if (answer === 'member') return { eligible: true };
    answers.push(answer);
  }
  const teams = options.teams.map(({ org, team }) => `${org}/${team}`);
  const repoName = `${options.repo.owner}/${options.repo.repo}`;
  let reason = `@${editor.login} has ${permission === 'none' ? 'no' : permission} permission on ${repoName}; answers need write, maintain or admin permission`;
  if (teams.length > 0) reason += ` or membership of ${teams.join(', ')}`;
  if (answers.includes('unreadable')) reason += ' (the token cannot read team membership; give the action a token with members:read)';
  return { eligible: false, reason };
}

function rowsOf(template: ChecklistTemplate, ledger: Ledger): ItemRow[] {
  const required = new Set(ledger.required);
  return template.sections.flatMap((section) =>
    section.items.map((item) => ({
      id: item.id,
      section: section.title,
      text: item.text,
      required: required.has(item.id),
      answer: ledger.answers[item.id] ?? null,
      note: ledger.notes[item.id] ?? null,
    })),
  );
}

async function writeCheckRun(input: {
  options: EvaluateOptions & { readonly template: ChecklistTemplate };
  run: ChecklistRun;
  ledger: Ledger;
  commentUrl: string;
  complete: boolean;
  events: string[];
}): Promise<'success' | 'action_required'> {
  const { options, run, ledger, commentUrl, complete } = input;
  const { octokit, repo, template } = options;
  let others = run.ledgers.filter((entry) => entry.pr !== ledger.pr);
  let unevaluated: number[] = [];
  if (complete && others.every((entry) => checklistStatus(entry.required, entry.answers).complete)) {
    // About to turn the commit green: every open pull request with this head must be answered too.
    // A ledger of another pull request leaves the run only when that pull request is closed or has moved on.
    const kept: Ledger[] = [];
    for (const entry of others) {
      const other = await getPullRequest(octokit, repo, entry.pr);
      if (other.state === 'open' && other.headSha === ledger.head) kept.push(entry);
      else input.events.push(`#${entry.pr} is ${other.state === 'open' ? `now at ${other.headSha.slice(0, 7)}` : other.state}: its ledger leaves this commit's check run`);
    }
    others = kept;
    const open = await listOpenPullsWithHead(octokit, repo, ledger.head);
    unevaluated = open.filter((number) => number !== ledger.pr && !others.some((entry) => entry.pr === number));
  }
  const ledgers = [ledger, ...others];
  const incomplete = ledgers.filter((entry) => !checklistStatus(entry.required, entry.answers).complete).map((entry) => entry.pr);
  const conclusion = incomplete.length === 0 && unevaluated.length === 0 ? ('success' as const) : ('action_required' as const);
  const status = checklistStatus(ledger.required, ledger.answers);
  let title = status.complete ? `All ${status.total} required item(s) answered` : `${status.answered} of ${status.total} required item(s) answered`;
  if (ledgers.length > 1 || unevaluated.length > 0) {
    title =
      conclusion === 'success'
        ? `All required items answered in each of #${ledgers.map((entry) => entry.pr).sort((a, b) => a - b).join(', #')}`
        : `Open in ${[...incomplete, ...unevaluated].sort((a, b) => a - b).map((n) => `#${n}`).join(', ')} (this commit is the head of ${ledgers.length + unevaluated.length} pull requests)`;
  }
  const content = {
    headSha: ledger.head,
    conclusion,
    title,
    summary: checkRunSummary(template, ledger, commentUrl, others, unevaluated),
    text: encodeLedgers(ledgers),
    detailsUrl: commentUrl,
  };
  if (others.length > 0 || unevaluated.length > 0) {
    input.events.push(`this commit is the head of ${ledgers.length + unevaluated.length} open pull requests; the check is ${conclusion} (${incomplete.length + unevaluated.length} not answered)`);
  }
  let primary = run.primary?.id ?? null;
  if (primary === null) {
    primary = (await createCheckRun(octokit, repo, content)).id;
  } else if (run.primary!.text !== content.text || run.primary!.conclusion !== conclusion) {
    await updateCheckRun(octokit, repo, primary, content);
  }
  for (const other of run.others) {
    // An older run of this app on the same commit must not say anything else than the one that holds the ledgers.
    const superseded = `Superseded by check run ${primary}: ${title}`;
    if (other.conclusion === conclusion && other.title === superseded) continue;
    await updateCheckRun(octokit, repo, other.id, { ...content, title: superseded, text: '' });
  }
  return conclusion;
}

function checkRunSummary(template: ChecklistTemplate, ledger: Ledger, commentUrl: string, others: readonly Ledger[] = [], unevaluated: readonly number[] = []): string {
  const shared: string[] = [];
  if (others.length > 0 || unevaluated.length > 0) {
    shared.push(
      `This commit is the head of several open pull requests: #${[ledger.pr, ...others.map((entry) => entry.pr), ...unevaluated].sort((a, b) => a - b).join(', #')}. ` +
        'Branch protection reads one check per commit, so it is green only when every one of them is answered.',
      '',
      '| Pull request | Base | Answered |',
      '|---|---|---|',
    );
    for (const entry of [ledger, ...others].sort((a, b) => a.pr - b.pr)) {
      const s = checklistStatus(entry.required, entry.answers);
      shared.push(`| #${entry.pr} | \`${cell(entry.base.ref)}\` | ${s.complete ? '✅' : '❌'} ${s.answered} of ${s.total} |`);
    }
    for (const number of unevaluated) shared.push(`| #${number} | | ❌ not evaluated yet (no run of the checklist for it) |`);
    shared.push('', `### #${ledger.pr}`, '');
  }
  return [...shared, singleSummary(template, ledger, commentUrl)].join('\n');
}

function singleSummary(template: ChecklistTemplate, ledger: Ledger, commentUrl: string): string {
  const status = checklistStatus(ledger.required, ledger.answers);
  const lines = [
    status.complete
      ? `Every required item is answered by an eligible reviewer for \`${ledger.head.slice(0, 7)}\`.`
      : `Still open for \`${ledger.head.slice(0, 7)}\`: ${status.missing.map((id) => `\`${id}\``).join(', ')}. Answer them in [the checklist comment](${commentUrl}).`,
    '',
    '| Item | Required | Answer | By | When |',
    '|---|---|---|---|---|',
  ];
  for (const row of rowsOf(template, ledger)) {
    const answer = row.answer ? (row.answer.answer === 'yes' ? '✅ yes' : '➖ not applicable') : row.required ? '❌ open' : '—';
    lines.push(`| ${cell(row.text)} (\`${row.id}\`) | ${row.required ? 'yes' : 'no'} | ${answer} | ${row.answer ? `@${row.answer.by}` : ''} | ${row.answer ? formatTime(row.answer.at) : ''} |`);
  }
  lines.push('', `${templateItems(template).length} item(s) in the template; answers are credited only to reviewers with write access who neither opened the pull request nor pushed or committed its code.`);
  return lines.join('\n');
}
