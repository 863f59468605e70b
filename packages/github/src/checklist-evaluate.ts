// One evaluation of the review checklist for one event: read the ledger, find the sticky comment,
// replay the edits made to it since the action last wrote it, credit eligible reviewers, rewrite
// the comment and record the ledger in the `deploy-safety-checklist` check run.
//
// GitHub calls per evaluation (each through checklist-api.ts):
//   issue_comment edited, one tick:  pull request, check runs, comment, permission, update comment, update check run = 6
//   a missed edit adds the GraphQL edit history (1); a new head adds the previous head's check runs
//   or the comment search (viewer + one page per 100 comments) and the changed files (one page per 100 files).
import type { Answer, Note } from '../../core/src/checklist-comment.js';
import { bodyDigest, checklistStatus, formatTime, normalizeBody, renderChecklistBody } from '../../core/src/checklist-comment.js';
import type { Editor, Eligibility, Ledger, Revision } from '../../core/src/checklist-ledger.js';
import {
  editorsToJudge,
  encodeLedger,
  findBaseline,
  LEDGER_FORMAT,
  preliminaryEligibility,
  pruneToTemplate,
  replayRevisions,
  settleWithoutHistory,
} from '../../core/src/checklist-ledger.js';
import type { ChecklistTemplate } from '../../core/src/checklist-template.js';
import { DEFAULT_TEMPLATE, needsChangedPaths, parseChecklistTemplate, requiredItemIds, templateDigest, templateItems } from '../../core/src/checklist-template.js';
import type { ChecklistComment, Octokit, Permission, Repo, StoredLedger, TeamAnswer } from './checklist-api.js';
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
  readLedger,
  sameLogin,
  teamMembership,
  updateCheckRun,
  updateComment,
} from './checklist-api.js';

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
}

function ignoredRun(reason: string): Evaluation {
  return { status: 'ignored', reason, complete: false, missing: [], commentId: null, commentUrl: null, headSha: null, rows: [], events: [], source: 'none', templateSource: 'none' };
}

export async function evaluateChecklist(options: EvaluateOptions): Promise<Evaluation> {
  const { octokit, repo, trigger } = options;
  const events: string[] = [];
  const now = options.now().toISOString();

  // 1. The pull request: author, head and base commits (comment events carry none of them).
  let author = trigger.author;
  let headSha = trigger.headSha;
  let baseSha = trigger.baseSha;
  if (!author || !headSha || !baseSha) {
    const pr = await getPullRequest(octokit, repo, trigger.pr);
    author = pr.author;
    headSha = pr.headSha;
    baseSha = pr.baseSha;
  }

  // The template as the base commit has it: edits to it in this pull request count from the next one on.
  const { template, source: templateSource } = await loadTemplate(options, baseSha);
  const evaluation = await evaluateWith({ ...options, template }, { author, headSha, now, events });
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

async function evaluateWith(
  options: EvaluateOptions & { readonly template: ChecklistTemplate },
  context: { readonly author: string; readonly headSha: string; readonly now: string; readonly events: string[] },
): Promise<Omit<Evaluation, 'templateSource'>> {
  const { octokit, repo, trigger, template, log } = options;
  const { author, headSha, now, events } = context;

  // 2. Who this token is: only check runs of its app and comments of its account are trusted. (Any
  //    workflow can write check runs and comments as github-actions; a dedicated app's cannot be forged.)
  const identity = await identityOf(options);
  const app = identity.bot ? identity.login.replace(/\[bot\]$/i, '') : null;

  // 3. The ledger of this head, or a fresh one that carries the comment id over from the previous head.
  const stored = await readLedger(octokit, repo, headSha, trigger.pr, app);
  let ledger: Ledger;
  let resetting = false;
  let carried: StoredLedger | null = null;
  if (stored) {
    ledger = stored.ledger;
  } else {
    carried = trigger.before ? await readLedger(octokit, repo, trigger.before, trigger.pr, app) : null;
    const previous = carried?.ledger ?? null;
    resetting = previous !== null && options.resetOnPush;
    ledger = {
      format: LEDGER_FORMAT,
      pr: trigger.pr,
      head: headSha,
      commentId: previous?.commentId ?? null,
      bot: previous?.bot ?? null,
      template: '',
      required: [],
      answers: resetting || !previous ? {} : previous.answers,
      notes: resetting || !previous ? {} : previous.notes,
      written: resetting || !previous ? null : previous.written,
      resetFrom: resetting && previous ? previous.head : null,
      started: resetting || !previous ? null : previous.started,
    };
    if (previous) log(resetting ? `new head ${headSha.slice(0, 7)}: answers for ${previous.head.slice(0, 7)} are cleared (reset-on-push)` : `new head ${headSha.slice(0, 7)}: answers for ${previous.head.slice(0, 7)} carried over (reset-on-push: false)`);
  }

  // 4. The sticky comment: by its recorded id, else by marker AND the token's identity.
  let comment: ChecklistComment | null = null;
  if (ledger.commentId) {
    comment = await getComment(octokit, repo, ledger.commentId);
    if (comment && !sameLogin(comment.author, identity.login)) comment = null;
    if (!comment) log(`the recorded checklist comment ${ledger.commentId} no longer exists (or was not written by @${identity.login})`);
  }
  if (!comment) {
    const found = await findChecklistComment(octokit, repo, trigger.pr, identity);
    comment = found.comment;
    if (found.ignored > 0) log(`ignored ${found.ignored} comment(s) that copy the checklist marker but were not written by @${identity.login}`);
    if (comment) {
      ledger = { ...ledger, commentId: comment.id, bot: comment.author };
      log(`found the checklist comment ${comment.id} by its marker and author @${comment.author}`);
    }
  }
  if (!stored && !carried && comment) {
    // A head without a ledger whose predecessor's ledger is unknown (a missed synchronize): nothing
    // can be replayed, so it starts like any new head, from a clean checklist.
    resetting = true;
    ledger = { ...ledger, answers: {}, notes: {}, written: null, resetFrom: 'earlier commits' };
    log(`new head ${headSha.slice(0, 7)} without a ledger: the checklist starts afresh`);
  }
  if (trigger.commentId !== null && comment && trigger.commentId !== comment.id) {
    return ignoredRun(`comment ${trigger.commentId} is not the checklist comment (that is ${comment.id}); it is ignored`);
  }
  if (trigger.commentId !== null && !comment && trigger.edit) {
    return ignoredRun(`comment ${trigger.commentId} is not a checklist comment written by this action; it is ignored`);
  }

  // 5. Which items this head must answer (the changed files are read once per head and template).
  const digest = templateDigest(template);
  if (ledger.template !== digest) {
    const paths = needsChangedPaths(template) ? await listChangedPaths(octokit, repo, trigger.pr) : [];
    ledger = { ...ledger, template: digest, required: requiredItemIds(template, paths) };
  }

  // 6. Replay the edits made since the action last wrote the comment.
  let answers: Record<string, Answer> = pruneToTemplate(template, ledger.answers);
  let notes: Record<string, Note> = pruneToTemplate(template, ledger.notes);
  let source = 'none';
  if (comment && !resetting && bodyDigest(comment.body) !== ledger.written) {
    // The last write is a pure function of the ledger; re-rendered, it stands in for a history entry GitHub may omit.
    const rendered = renderChecklistBody({ template, required: ledger.required, answers: ledger.answers, notes: ledger.notes, headSha, resetFrom: ledger.resetFrom });
    const baseline = ledger.written !== null && bodyDigest(rendered) === ledger.written ? rendered : null;
    const result = await replay({ options, comment, ledger: { ...ledger, answers, notes }, author, now, baseline });
    answers = result.answers;
    notes = result.notes;
    source = result.source;
    events.push(...result.log);
  } else if (
    comment &&
    !resetting &&
    trigger.edit &&
    trigger.edit.commentId === comment.id &&
    normalizeBody(trigger.edit.body) !== normalizeBody(comment.body) &&
    !(ledger.started && Date.parse(trigger.edit.at) < Date.parse(ledger.started))
  ) {
    // The comment is as this action last wrote it, yet the edit this event reports is not in it: a run
    // that overlapped the edit wrote over it. The event still says who changed what, so apply it now;
    // on each item a decision newer than the edit wins.
    const edit = trigger.edit;
    const revisions: Revision[] = [
      { body: edit.from, editor: null, at: edit.at },
      { body: edit.body, editor: edit.editor, at: edit.at },
    ];
    const result = replayRevisions({ template, answers, notes, revisions, judge: await judgeFor(options, revisions, author) });
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
    events.push(...result.log);
  }

  // 7. Write the comment and the ledger.
  const body = renderChecklistBody({ template, required: ledger.required, answers, notes, headSha, resetFrom: ledger.resetFrom });
  if (!comment) {
    comment = await createComment(octokit, repo, trigger.pr, body);
    log(`created the checklist comment ${comment.id}`);
  } else if (normalizeBody(comment.body) !== normalizeBody(body)) {
    comment = await updateComment(octokit, repo, comment.id, body);
    log(`updated the checklist comment ${comment.id}`);
  }
  ledger = { ...ledger, commentId: comment.id, bot: comment.author, answers, notes, written: bodyDigest(body), started: ledger.started ?? comment.updatedAt };

  const status = checklistStatus(ledger.required, answers);
  const content = {
    headSha,
    conclusion: status.complete ? ('success' as const) : ('action_required' as const),
    title: status.complete ? `All ${status.total} required item(s) answered` : `${status.answered} of ${status.total} required item(s) answered`,
    summary: checkRunSummary(template, ledger, comment.url),
    text: encodeLedger(ledger),
    detailsUrl: comment.url,
  };
  if (stored) {
    const unchanged = stored.ledger && JSON.stringify(stored.ledger) === JSON.stringify(ledger);
    if (!unchanged) await updateCheckRun(octokit, repo, stored.checkRunId, content);
  } else {
    await createCheckRun(octokit, repo, content);
  }

  return {
    status: 'evaluated',
    complete: status.complete,
    missing: status.missing,
    commentId: comment.id,
    commentUrl: comment.url,
    headSha,
    rows: rowsOf(template, ledger),
    events,
    source,
  };
}

async function identityOf(options: EvaluateOptions): Promise<{ login: string; bot: boolean }> {
  try {
    return await getViewerLogin(options.octokit, options.graphqlUrl);
  } catch (error) {
    options.log(`could not read the token's identity through GraphQL (${(error as Error).message}); assuming GITHUB_TOKEN (github-actions[bot])`);
    return { login: 'github-actions[bot]', bot: true };
  }
}

async function replay(input: {
  options: EvaluateOptions & { readonly template: ChecklistTemplate };
  comment: ChecklistComment;
  ledger: Ledger;
  author: string;
  now: string;
  /** The body the action last wrote, re-rendered from the ledger (null when it does not match the recorded digest). */
  baseline: string | null;
}): Promise<{ answers: Record<string, Answer>; notes: Record<string, Note>; log: string[]; source: string }> {
  const { options, comment, ledger, author, now } = input;
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

  const result = replayRevisions({ template, answers: ledger.answers, notes: ledger.notes, revisions, judge: await judgeFor(options, revisions, author) });
  return { ...result, source };
}

/** Asks GitHub about every editor who ticked something in these revisions (once each), and returns the verdicts. */
async function judgeFor(options: EvaluateOptions & { readonly template: ChecklistTemplate }, revisions: readonly Revision[], author: string): Promise<(editor: Editor) => Eligibility> {
  const verdicts = new Map<string, Eligibility>();
  for (const editor of editorsToJudge(options.template, revisions)) {
    verdicts.set(editor.login.toLowerCase(), await eligibility(options, editor, author));
  }
  return (editor) => verdicts.get(editor.login.toLowerCase()) ?? preliminaryEligibility(editor, author) ?? { eligible: false, reason: `@${editor.login} could not be checked` };
}

const WRITE: ReadonlySet<Permission> = new Set(['admin', 'maintain', 'write']);

async function eligibility(options: EvaluateOptions, editor: Editor, author: string): Promise<Eligibility> {
  const early = preliminaryEligibility(editor, author);
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

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function checkRunSummary(template: ChecklistTemplate, ledger: Ledger, commentUrl: string): string {
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
  lines.push('', `${templateItems(template).length} item(s) in the template; answers are credited only to reviewers with write access who did not open the pull request.`);
  return lines.join('\n');
}
