// The ledger of credited answers and the rules that credit ticks to reviewers.
//
// The comment is only the surface people click on; anyone who can comment can also edit a body
// they can see through the API. What counts is the ledger, kept in the output of the
// `deploy-safety-checklist` check run on the head commit, which only the app that created it can
// change. Each evaluation replays the edits made to the comment since the body the action last
// wrote, one revision at a time, and credits a tick only to the editor who made it, when that
// editor is eligible. Everything else is removed from the comment again, with the reason.
import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { Answer, ItemObservation, Note, TamperKind } from './checklist-comment.js';
import { bodyDigest, describeTampering, observeChecklist, onlyBoxMarksDiffer, readStateMarker } from './checklist-comment.js';
import type { ChecklistItem, ChecklistTemplate } from './checklist-template.js';
import { templateItems } from './checklist-template.js';

export const CHECK_RUN_NAME = 'deploy-safety-checklist';
/** 2: base, changed-path digest, write ids, pusher and commit people, answers tied to the item's text, several pull requests per run. */
export const LEDGER_FORMAT = 2;

/** Fingerprint of an item's question: an answer counts only for the wording it was given to. */
export function itemDigest(item: Pick<ChecklistItem, 'id' | 'text'>): string {
  return createHash('sha256').update(`${item.id}\n${item.text}`).digest('hex').slice(0, 12);
}

/** Fingerprint of a pull request's changed paths (order-free). */
export function pathsDigest(paths: readonly string[]): string {
  return createHash('sha256').update([...paths].sort().join('\n')).digest('hex').slice(0, 16);
}

const answerSchema = z.object({
  answer: z.enum(['yes', 'na']),
  by: z.string().min(1),
  at: z.string().min(1),
  /** itemDigest of the question answered. */
  item: z.string().min(1),
});
const noteSchema = z.object({ text: z.string(), at: z.string() });
const resetSchema = z.object({ cause: z.enum(['push', 'base', 'template', 'diff']), from: z.string(), to: z.string().optional() });

export const ledgerSchema = z.object({
  format: z.literal(LEDGER_FORMAT),
  /** Pull request number: a ledger never travels to another pull request. */
  pr: z.number().int().positive(),
  /** Head commit the answers are for. */
  head: z.string().min(7),
  /** Base branch and commit the answers are for (the template is read there; the diff is against it). */
  base: z.object({ ref: z.string().min(1), sha: z.string().min(7) }),
  /** pathsDigest of the changed paths `required` was computed from (null: the template needs none). */
  paths: z.string().nullable(),
  /** Id of the sticky comment (the only comment whose edits are read). */
  commentId: z.number().int().positive().nullable(),
  /** Login that wrote the comment (the token's identity). */
  bot: z.string().nullable(),
  /** Fingerprint of the template the `required` list was computed from. */
  template: z.string(),
  /** Items that must be answered for the paths this head changes. */
  required: z.array(z.string()),
  answers: z.record(z.string(), answerSchema),
  notes: z.record(z.string(), noteSchema),
  /** Digest of the body the action last wrote: the baseline the next edits are replayed from. */
  written: z.string().nullable(),
  /** Id of the action's last write, in the comment's state line: only revisions made on it are credited. */
  state: z.string().nullable(),
  /** Id of the write before it (an edit the last write overwrote was made on that one). */
  prior: z.string().nullable(),
  /** Why the answers were cleared when this ledger started. */
  reset: resetSchema.nullable(),
  /** GitHub's time of the write that started this ledger afresh: edits older than it belong to an earlier head. */
  started: z.string().nullable(),
  /** GitHub's time of the action's last write of the comment for this ledger. */
  writtenAt: z.string().nullable(),
  /** Who pushed this head (the `synchronize` sender), when known: they cannot answer for it. */
  pusher: z.string().nullable(),
  /** Authors and committers (GitHub logins) of the pull request's commits: they cannot answer either. */
  authors: z.array(z.string()),
  committers: z.array(z.string()),
});

export type Ledger = z.output<typeof ledgerSchema>;

const LEDGER_OPEN = '<!-- safe-deploy:ledger -->';

/** The machine-readable part of the check run output (a visible JSON block, so people can audit it). */
export function encodeLedger(ledger: Ledger): string {
  return `${LEDGER_OPEN}\n\`\`\`json\n${JSON.stringify(ledger)}\n\`\`\``;
}

/** Several pull requests' ledgers in one check run (one per pull request that has this head). */
export function encodeLedgers(ledgers: readonly Ledger[]): string {
  return [...ledgers].sort((a, b) => a.pr - b.pr).map(encodeLedger).join('\n\n');
}

/** Every valid ledger in a check run output; a block that does not fit the schema is left out. */
export function decodeLedgers(text: string | null | undefined): Ledger[] {
  if (!text) return [];
  const ledgers: Ledger[] = [];
  const seen = new Set<number>();
  for (const block of text.split(LEDGER_OPEN).slice(1)) {
    const match = /^\n```json\n([^\n]*)\n```/.exec(block);
    if (!match) continue;
    try {
      const parsed = ledgerSchema.safeParse(JSON.parse(match[1] as string));
      if (parsed.success && !seen.has(parsed.data.pr)) {
        seen.add(parsed.data.pr);
        ledgers.push(parsed.data);
      }
    } catch {
      // not JSON: not a ledger
    }
  }
  return ledgers;
}

export function decodeLedger(text: string | null | undefined): Ledger | null {
  return decodeLedgers(text)[0] ?? null;
}

/** Who may answer, as far as the pure rules can tell without asking GitHub. */
export interface Editor {
  readonly login: string;
  readonly bot: boolean;
}

export type Eligibility = { readonly eligible: true } | { readonly eligible: false; readonly reason: string };

/** People who made the change and so cannot answer for it (GitHub logins). */
export interface ChangeMakers {
  /** Who opened the pull request. */
  readonly opener: string;
  /** Who pushed the head commit (the `synchronize` sender), when known. */
  readonly pusher?: string | null;
  /** GitHub authors and committers of the pull request's commits. */
  readonly authors?: readonly string[];
  readonly committers?: readonly string[];
}

const same = (a: string, b: string) => a.toLowerCase().replace(/\[bot\]$/, '') === b.toLowerCase().replace(/\[bot\]$/, '');

/**
 * The checks that need no API call: whoever opened the pull request, pushed its head, or authored or
 * committed its commits never answers, and neither does a bot. Null means "ask GitHub".
 */
export function preliminaryEligibility(editor: Editor, makers: string | ChangeMakers): Eligibility | null {
  const people: ChangeMakers = typeof makers === 'string' ? { opener: makers } : makers;
  const who = `@${editor.login}`;
  if (same(editor.login, people.opener)) {
    return { eligible: false, reason: `${who} opened this pull request, and authors cannot answer their own checklist` };
  }
  if (people.pusher && same(editor.login, people.pusher)) {
    return { eligible: false, reason: `${who} pushed the head commit of this pull request, and whoever pushed the code cannot answer for it` };
  }
  if (people.authors?.some((login) => same(editor.login, login))) {
    return { eligible: false, reason: `${who} authored commits of this pull request, and authors cannot answer their own checklist` };
  }
  if (people.committers?.some((login) => same(editor.login, login))) {
    return { eligible: false, reason: `${who} committed commits of this pull request, and whoever committed the code cannot answer for it` };
  }
  if (editor.bot || /\[bot\]$/i.test(editor.login)) {
    return { eligible: false, reason: `${who} is a bot, and only people can answer` };
  }
  return null;
}

/** Answers still standing for these makers: an answer by someone who since pushed or committed is withdrawn. */
export function withdrawMakers(
  answers: Readonly<Record<string, Answer>>,
  notes: Readonly<Record<string, Note>>,
  makers: ChangeMakers,
  at: string,
): { answers: Record<string, Answer>; notes: Record<string, Note>; log: string[] } {
  const kept: Record<string, Answer> = {};
  const nextNotes: Record<string, Note> = { ...notes };
  const log: string[] = [];
  for (const [item, answer] of Object.entries(answers)) {
    const verdict = preliminaryEligibility({ login: answer.by, bot: false }, makers);
    if (verdict && !verdict.eligible) {
      nextNotes[item] = { text: `The answer by @${answer.by} was withdrawn: ${verdict.reason}.`, at };
      log.push(`${item}: answer by @${answer.by} withdrawn: ${verdict.reason}`);
      continue;
    }
    kept[item] = answer;
  }
  return { answers: kept, notes: nextNotes, log };
}

/** One state of the comment body in its edit history. */
export interface Revision {
  /** Null when the revision was deleted from the history. */
  readonly body: string | null;
  /** Who produced this revision (null when GitHub no longer knows, e.g. a deleted account). */
  readonly editor: Editor | null;
  readonly at: string;
}

export interface ReplayResult {
  readonly answers: Record<string, Answer>;
  readonly notes: Record<string, Note>;
  /** Human-readable account of what happened, one line per credited or refused change. */
  readonly log: string[];
}

type BoxChange = { readonly item: string; readonly box: 'yes' | 'na'; readonly ticked: boolean };

function boxChanges(before: Map<string, ItemObservation>, after: Map<string, ItemObservation>): BoxChange[] {
  const changes: BoxChange[] = [];
  for (const [item, next] of after) {
    if (next.status !== 'intact') continue;
    const prev = before.get(item);
    const prevYes = prev?.status === 'intact' ? prev.yes : false;
    const prevNa = prev?.status === 'intact' ? prev.na : false;
    if (prevYes !== next.yes) changes.push({ item, box: 'yes', ticked: next.yes });
    if (prevNa !== next.na) changes.push({ item, box: 'na', ticked: next.na });
  }
  return changes;
}

/** Logins whose eligibility matters for replaying these revisions (they ticked something). */
export function editorsToJudge(template: ChecklistTemplate, revisions: readonly Revision[]): Editor[] {
  const editors = new Map<string, Editor>();
  let previous: Map<string, ItemObservation> | null = null;
  for (const revision of revisions) {
    if (revision.body === null) {
      previous = null;
      continue;
    }
    const current = observeChecklist(revision.body, template);
    if (previous && revision.editor && boxChanges(previous, current).some((change) => change.ticked)) {
      editors.set(revision.editor.login.toLowerCase(), revision.editor);
    }
    previous = current;
  }
  return [...editors.values()];
}

/**
 * Replays edits onto the ledger's answers.
 *
 * `revisions[0]` is the baseline (the body the action last wrote); each later revision is one edit,
 * made by its editor. A deleted revision breaks the chain: changes across the gap cannot be
 * credited to anyone. Rules, per item:
 * - an edit that changes, strikes, hides, duplicates or deletes the item withdraws its answer;
 * - a tick is credited to the editor when `judge` finds them eligible, otherwise it is refused;
 * - removing a tick withdraws the answer, whoever does it (failing closed).
 */
export function replayRevisions(input: {
  readonly template: ChecklistTemplate;
  readonly answers: Readonly<Record<string, Answer>>;
  readonly notes: Readonly<Record<string, Note>>;
  readonly revisions: readonly Revision[];
  readonly judge: (editor: Editor) => Eligibility;
  /**
   * Id of the write the edits must be made on (the state line of the body the action last wrote).
   * A human revision is credited only when the revision before it carries this id and it differs
   * from that revision in `[ ]`/`[x]` marks alone; anything else (a copy saved from an older state, an
   * edit of the text) credits nothing. Undefined skips the id check (the marks-only rule still applies).
   */
  readonly state?: string | null;
}): ReplayResult {
  const answers: Record<string, Answer> = { ...input.answers };
  const notes: Record<string, Note> = { ...input.notes };
  const log: string[] = [];
  const { template } = input;
  const items = new Map(templateItems(template).map((item) => [item.id, item]));
  const first = input.revisions[0];
  if (!first || first.body === null) return { answers, notes, log };

  let previous = observeChecklist(first.body, template);
  let previousBody = first.body;
  let gap = false;
  for (const revision of input.revisions.slice(1)) {
    if (revision.body === null) {
      gap = true;
      continue;
    }
    const current = observeChecklist(revision.body, template);
    const editor = gap ? null : revision.editor;
    const who = editor ? `@${editor.login}` : 'an edit whose author is unknown (its history was deleted)';
    // Made on the current state of the comment, and nothing but checkboxes changed?
    const onCurrent = input.state === undefined || readStateMarker(previousBody)?.state === input.state;
    const marksOnly = onlyBoxMarksDiffer(previousBody, revision.body);
    const creditable = onCurrent && marksOnly && readStateMarker(revision.body)?.state === readStateMarker(previousBody)?.state;
    const refusal = !onCurrent
      ? 'the edit was made on an outdated copy of the checklist (not the one the action last wrote), so none of its ticks counts'
      : 'the edit changed more than the checkboxes (or was saved from an outdated copy of the checklist), so none of its ticks counts';

    for (const [item, observation] of current) {
      if (observation.status !== 'tampered') continue;
      const before = previous.get(item);
      if (before?.status === 'tampered' && before.kind === observation.kind) continue; // already handled
      const kind: TamperKind = observation.kind;
      const had = answers[item];
      delete answers[item];
      notes[item] = {
        text: `${editor ? `@${editor.login}` : 'Someone'} ${describeTampering(kind)}${had ? `, so the answer by @${had.by} was withdrawn` : ''}. The item was restored; answer it again.`,
        at: revision.at,
      };
      log.push(`${item}: ${who} ${describeTampering(kind)}; ${had ? 'answer withdrawn' : 'nothing was answered'}`);
    }

    const changes = boxChanges(previous, current);
    const ticked = new Map<string, BoxChange[]>();
    for (const change of changes) {
      if (!items.has(change.item)) continue;
      if (!change.ticked) {
        const had = answers[change.item];
        if (had && had.answer === change.box) {
          delete answers[change.item];
          notes[change.item] = { text: `${editor ? `@${editor.login}` : 'An edit whose author is unknown'} removed the answer by @${had.by}.`, at: revision.at };
          log.push(`${change.item}: ${who} removed the answer by @${had.by}`);
        }
        continue;
      }
      ticked.set(change.item, [...(ticked.get(change.item) ?? []), change]);
    }
    for (const [item, ticks] of ticked) {
      if (ticks.length > 1) {
        notes[item] = { text: `${who} ticked both the item and "not applicable"; tick only one.`, at: revision.at };
        log.push(`${item}: ${who} ticked both boxes; not credited`);
        continue;
      }
      const tick = ticks[0]!;
      if (!editor) {
        notes[item] = { text: `A tick was removed: it was made by ${who}, so nobody eligible can be credited with it.`, at: revision.at };
        log.push(`${item}: tick by ${who} not credited`);
        continue;
      }
      if (!creditable) {
        notes[item] = { text: `The tick by @${editor.login} was removed: ${refusal}. Tick it again on the current checklist.`, at: revision.at };
        log.push(`${item}: tick by @${editor.login} not credited: ${refusal}`);
        continue;
      }
      const verdict = input.judge(editor);
      if (verdict.eligible) {
        answers[item] = { answer: tick.box, by: editor.login, at: revision.at, item: itemDigest(items.get(item)!) };
        delete notes[item];
        log.push(`${item}: credited to @${editor.login}${tick.box === 'na' ? ' (not applicable)' : ''}`);
      } else {
        notes[item] = { text: `The tick by @${editor.login} was removed: ${verdict.reason}.`, at: revision.at };
        log.push(`${item}: tick by @${editor.login} not credited: ${verdict.reason}`);
      }
    }
    previous = current;
    previousBody = revision.body;
    gap = false;
  }
  return { answers, notes, log };
}

/**
 * Settles a body whose edits cannot be replayed (the body the action last wrote is no longer in the
 * edit history, or GitHub would not return the history). Nobody can be credited, so:
 * a tick the answers do not explain is removed, an answer whose tick is gone is withdrawn, and a
 * tampered item loses its answer. `reason` says why no history was available.
 */
export function settleWithoutHistory(input: {
  readonly template: ChecklistTemplate;
  readonly body: string;
  readonly answers: Readonly<Record<string, Answer>>;
  readonly notes: Readonly<Record<string, Note>>;
  readonly reason: string;
  readonly at: string;
}): ReplayResult {
  const answers: Record<string, Answer> = { ...input.answers };
  const notes: Record<string, Note> = { ...input.notes };
  const log: string[] = [];
  for (const [item, observation] of observeChecklist(input.body, input.template)) {
    const answer = answers[item];
    if (observation.status === 'tampered') {
      delete answers[item];
      notes[item] = {
        text: `Someone ${describeTampering(observation.kind)}${answer ? `, so the answer by @${answer.by} was withdrawn` : ''}. The item was restored; answer it again.`,
        at: input.at,
      };
      log.push(`${item}: ${describeTampering(observation.kind)} by an unknown editor (${input.reason})`);
      continue;
    }
    const shown = observation.yes ? 'yes' : observation.na ? 'na' : null;
    if (answer && shown !== answer.answer) {
      delete answers[item];
      notes[item] = { text: `The answer by @${answer.by} was removed from the comment by an edit whose author is unknown (${input.reason}); answer it again.`, at: input.at };
      log.push(`${item}: answer by @${answer.by} withdrawn (${input.reason})`);
    } else if (!answer && shown) {
      notes[item] = { text: `A tick was removed: nobody eligible can be credited with it, because ${input.reason}. Tick it again.`, at: input.at };
      log.push(`${item}: tick not credited (${input.reason})`);
    }
  }
  return { answers, notes, log };
}

/** Keeps only answers and notes for items of the template (an item removed from the template drops its answer). */
export function pruneToTemplate<T>(template: ChecklistTemplate, record: Readonly<Record<string, T>>): Record<string, T> {
  const ids = new Set(templateItems(template).map((item) => item.id));
  return Object.fromEntries(Object.entries(record).filter(([id]) => ids.has(id)));
}

/** The answers that still stand for this template: its item exists AND its question reads as when it was answered (L7). */
export function pruneAnswers(template: ChecklistTemplate, answers: Readonly<Record<string, Answer>>): Record<string, Answer> {
  const items = new Map(templateItems(template).map((item) => [item.id, item]));
  return Object.fromEntries(
    Object.entries(answers).filter(([id, answer]) => {
      const item = items.get(id);
      return item !== undefined && answer.item === itemDigest(item);
    }),
  );
}

/** Index of the newest revision whose body is the one the action last wrote (the replay baseline), or -1. */
export function findBaseline(revisions: readonly Revision[], written: string | null): number {
  if (!written) return -1;
  for (let i = revisions.length - 1; i >= 0; i -= 1) {
    const body = revisions[i]!.body;
    if (body !== null && bodyDigest(body) === written) return i;
  }
  return -1;
}
