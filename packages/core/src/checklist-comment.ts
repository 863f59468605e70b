// The sticky checklist comment: how it is written, and what a (possibly edited) copy of it says.
//
// Every answerable box sits on a line of its own that ends in a hidden tag naming the item:
//
//   - [x] The change is backward compatible and safe to roll back. <!-- item:rollback-safe -->
//     - [ ] Not applicable to this change <!-- na:rollback-safe -->
//     - ✅ Answered by @alice on 2026-11-26 07:00 UTC
//
// Reading a body back, an item counts as intact only when its line appears exactly once, with the
// text the action wrote, visible (not inside an HTML comment, HTML block, <details> or code fence).
// Any other shape is tampering, and the item's answer is withdrawn: the action fails closed.
import { createHash } from 'node:crypto';
import type { ChecklistItem, ChecklistTemplate } from './checklist-template.js';
import { templateItems } from './checklist-template.js';
import { CHECKLIST_MARKER } from './checklist-marker.js';

export { CHECKLIST_MARKER, hasChecklistMarker } from './checklist-marker.js';
export const NA_TEXT = 'Not applicable to this change';

export type AnswerKind = 'yes' | 'na';

export interface Answer {
  readonly answer: AnswerKind;
  /** Login of the eligible reviewer credited with the tick. */
  readonly by: string;
  /** ISO time of the edit that made the tick. */
  readonly at: string;
  /** Digest of the question's wording when it was answered (the ledger's itemDigest); a reworded item loses the answer. */
  readonly item: string;
}

export interface Note {
  readonly text: string;
  readonly at: string;
}

/** Why the answers were last cleared: new commits, another base branch, or another template at the base. */
export interface Reset {
  readonly cause: 'push' | 'base' | 'template' | 'diff';
  /** push: the previous head commit (or "earlier commits"); base: the previous base branch; template and diff: the previous base commit. */
  readonly from: string;
  /** base: the new base branch. */
  readonly to?: string | undefined;
}

export interface RenderInput {
  readonly template: ChecklistTemplate;
  /** Ids of the items that must be answered for this change. */
  readonly required: readonly string[];
  readonly answers: Readonly<Record<string, Answer>>;
  readonly notes: Readonly<Record<string, Note>>;
  readonly headSha: string;
  /** Why the answers were cleared when this ledger started, if they were. */
  readonly reset?: Reset | null;
  /**
   * Id of this write of the comment (see STATE_MARKER): a revision is credited only when it was made
   * on the body that carries the current id, so a copy saved from an older state credits nothing.
   */
  readonly state?: string | null;
}

/**
 * Hidden second line of the comment: the full head commit and the id of the action's write. Each write
 * that changes the body gets a new id, so every state the action ever wrote is told apart from the others.
 */
export const STATE_MARKER = /^<!-- safe-deploy:state head=([0-9a-f]{40}) state=([0-9a-f]{16}) -->$/;

export function stateMarkerLine(headSha: string, state: string): string {
  return `<!-- safe-deploy:state head=${headSha} state=${state} -->`;
}

/** The head and write id a body carries (exactly one state line), or null. */
export function readStateMarker(body: string | null | undefined): { head: string; state: string } | null {
  const found = normalizeBody(body ?? '')
    .split('\n')
    .map((line) => STATE_MARKER.exec(line))
    .filter((match): match is RegExpExecArray => match !== null);
  if (found.length !== 1) return null;
  return { head: found[0]![1]!, state: found[0]![2]! };
}

/** A fresh write id: a digest of what is written and of the id before it, so ids never repeat along a comment's life. */
export function nextStateId(previous: string | null, seed: string): string {
  return createHash('sha256').update(`${previous ?? ''}\n${seed}`).digest('hex').slice(0, 16);
}

/**
 * True when `after` differs from `before` only in the `[ ]`/`[x]` marks of tagged box lines (what
 * clicking checkboxes does). Any other difference (text, lines added or removed, the state line) is false.
 */
export function onlyBoxMarksDiffer(before: string, after: string): boolean {
  const a = normalizeBody(before).replace(/\n+$/, '').split('\n');
  const b = normalizeBody(after).replace(/\n+$/, '').split('\n');
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const bx = BOX_LINE.exec(x);
    const by = BOX_LINE.exec(y);
    if (!bx || !by) return false;
    const unmark = (line: string) => line.replace(/\[[ xX]\]/, '[ ]');
    if (unmark(x) !== unmark(y)) return false;
  }
  return true;
}

/** Line endings as GitHub stores them after a browser edit (CRLF) are read as LF. */
export function normalizeBody(body: string): string {
  return body.replace(/\r\n?/g, '\n');
}

/** Fingerprint of a body, line endings normalised; the ledger keeps the one the action last wrote. */
export function bodyDigest(body: string): string {
  return createHash('sha256').update(normalizeBody(body)).digest('hex').slice(0, 32);
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function itemLine(item: ChecklistItem, ticked: boolean): string {
  return `- [${ticked ? 'x' : ' '}] ${item.text} <!-- item:${item.id} -->`;
}

function naLine(item: ChecklistItem, ticked: boolean): string {
  return `  - [${ticked ? 'x' : ' '}] ${NA_TEXT} <!-- na:${item.id} -->`;
}

/** Status counts shown in the comment, the check run and the job summary. */
export function checklistStatus(required: readonly string[], answers: Readonly<Record<string, Answer>>) {
  const missing = required.filter((id) => !answers[id]);
  return { answered: required.length - missing.length, total: required.length, missing, complete: missing.length === 0 };
}

export function renderChecklistBody(input: RenderInput): string {
  const { template, required, answers, notes } = input;
  const status = checklistStatus(required, answers);
  const lines: string[] = [
    CHECKLIST_MARKER,
    ...(input.state ? [stateMarkerLine(input.headSha, input.state)] : []),
    `## ${template.title}`,
    '',
    `Reviewers: tick each item once you have checked it for this change (commit \`${input.headSha.slice(0, 7)}\`). ` +
      'A tick counts only when it comes from a reviewer with write access to the repository who neither opened the pull request nor pushed or committed its code; ' +
      'any other tick is removed again. The credited answers are recorded in the `deploy-safety-checklist` check run. ' +
      'Only tick boxes: an edit that also changes anything else, or is saved from an outdated copy of this comment, credits nothing. ' +
      'Editing an item\'s text, striking it through, hiding or deleting it withdraws its answer.',
    '',
    status.complete
      ? `**Status: complete.** All ${status.total} required item(s) are answered.`
      : `**Status: ${status.answered} of ${status.total} required item(s) answered.** Still open: ${status.missing.map((id) => `\`${id}\``).join(', ')}.`,
  ];
  const reset = input.reset;
  if (reset) {
    const head = `\`${input.headSha.slice(0, 7)}\``;
    if (reset.cause === 'push') {
      const earlier = /^[0-9a-f]{40}$/.test(reset.from) ? `\`${reset.from.slice(0, 7)}\`` : reset.from;
      lines.push('', `_New commits were pushed: the answers given for ${earlier} were cleared; answer again for ${head}._`);
    } else if (reset.cause === 'base') {
      lines.push('', `_The base branch changed from \`${reset.from}\` to \`${reset.to ?? '?'}\`: the answers given against \`${reset.from}\` were cleared; answer again for ${head} into \`${reset.to ?? '?'}\`._`);
    } else if (reset.cause === 'diff') {
      lines.push('', `_The changes of this pull request against its base are no longer the ones answered for (the base was \`${reset.from.slice(0, 7)}\`): the answers were cleared; answer again for ${head}._`);
    } else {
      lines.push('', `_The checklist template at the base changed (it was read at \`${reset.from.slice(0, 7)}\` before): the answers were cleared; answer again for ${head}._`);
    }
  }
  const requiredSet = new Set(required);
  for (const section of template.sections) {
    lines.push('', `### ${section.title}`);
    for (const item of section.items) {
      const answer = answers[item.id];
      lines.push(itemLine(item, answer?.answer === 'yes'));
      if (item.na) lines.push(naLine(item, answer?.answer === 'na'));
      if (answer) {
        lines.push(
          answer.answer === 'yes'
            ? `  - ✅ Answered by @${answer.by} on ${formatTime(answer.at)}`
            : `  - ➖ Answered "not applicable" by @${answer.by} on ${formatTime(answer.at)}`,
        );
      }
      if (!requiredSet.has(item.id)) {
        lines.push(item.required ? '  - _Not required for this change: it touches none of the paths this item is about._' : '  - _Optional._');
      } else if (item.when) {
        lines.push(`  - _Required because this change touches ${item.when.paths.map((glob) => `\`${glob}\``).join(', ')}._`);
      }
      const note = notes[item.id];
      if (note) lines.push(`  - ⚠️ ${note.text} (${formatTime(note.at)})`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

export type TamperKind = 'changed' | 'struck' | 'hidden' | 'deleted' | 'duplicated';

export type ItemObservation =
  | { readonly status: 'intact'; readonly yes: boolean; readonly na: boolean }
  | { readonly status: 'tampered'; readonly kind: TamperKind };

export function describeTampering(kind: TamperKind): string {
  switch (kind) {
    case 'changed':
      return 'changed the text of this item';
    case 'struck':
      return 'struck this item through';
    case 'hidden':
      return 'hid this item';
    case 'deleted':
      return 'deleted this item';
    case 'duplicated':
      return 'added a copy of this item';
  }
}

const BOX_LINE = /^(\s*)[-*+] \[([ xX])\] (.*?) ?<!-- (item|na):([a-z0-9-]+) -->\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HTML_BLOCK_START = /^ {0,3}<\/?[a-zA-Z]/;
const STRIKE = /~~|<\/?(?:del|s|strike)(?:\s[^>]*)?>/gi;

interface Occurrence {
  readonly indent: string;
  readonly checked: boolean;
  readonly text: string;
  readonly hidden: boolean;
}

/**
 * CommonMark HTML blocks of types 1, 3, 4 and 5 run across blank lines until their own end marker
 * (https://spec.commonmark.org/0.31.2/#html-blocks); the other kinds end at a blank line.
 */
const RAW_HTML_BLOCKS: readonly { readonly start: RegExp; readonly end: RegExp }[] = [
  { start: /^ {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)/i, end: /<\/(?:script|pre|style|textarea)>/i },
  { start: /^ {0,3}<\?/, end: /\?>/ },
  { start: /^ {0,3}<![A-Za-z]/, end: />/ },
  { start: /^ {0,3}<!\[CDATA\[/, end: /\]\]>/ },
];
/** A line that turns the paragraph above it into a heading (`===`, or `---` indented into the list item). */
const SETEXT_UNDERLINE = /^(?:\s*=+|\s+-+)\s*$/;

/** Finds every tagged box line and whether a reader of the rendered comment could see it. */
function scanBoxes(body: string): Map<string, Occurrence[]> {
  const found = new Map<string, Occurrence[]>();
  let fence: string | null = null;
  let inComment = false;
  let inHtmlBlock = false;
  let rawEnd: RegExp | null = null;
  let detailsDepth = 0;
  /** The box read on the previous line: a setext underline on this line makes it a heading, not a box. */
  let previousBox: { readonly list: Occurrence[]; readonly index: number } | null = null;
  for (const line of normalizeBody(body).split('\n')) {
    const hidden = fence !== null || inComment || inHtmlBlock || rawEnd !== null || detailsDepth > 0;
    if (previousBox && !hidden && SETEXT_UNDERLINE.test(line)) {
      const occurrence = previousBox.list[previousBox.index]!;
      previousBox.list[previousBox.index] = { ...occurrence, hidden: true };
    }
    previousBox = null;
    const box = BOX_LINE.exec(line);
    if (box) {
      const [, indent, mark, text, kind, id] = box as unknown as [string, string, string, string, string, string];
      const key = `${kind}:${id}`;
      const list = found.get(key) ?? [];
      list.push({ indent, checked: mark !== ' ', text, hidden });
      found.set(key, list);
      previousBox = { list, index: list.length - 1 };
    } else if (/<!--\s*(?:item|na):/.test(line)) {
      // A tag on a line of any other shape (quoted, indented as code, inside a table): the item is not a box a reader sees.
      const tag = /<!--\s*(item|na):([a-z0-9-]+)\s*-->/.exec(line);
      if (tag) {
        const key = `${tag[1]}:${tag[2]}`;
        const list = found.get(key) ?? [];
        list.push({ indent: '', checked: false, text: line, hidden: true });
        found.set(key, list);
      }
    }

    // Update the state for the next line.
    if (fence !== null) {
      const close = FENCE.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length && line.trim() === close[1]) fence = null;
      continue;
    }
    if (rawEnd !== null) {
      if (rawEnd.test(line)) rawEnd = null;
      continue;
    }
    let rest = line;
    if (inComment) {
      const end = rest.indexOf('-->');
      if (end === -1) continue;
      inComment = false;
      rest = rest.slice(end + 3);
    }
    const open = FENCE.exec(rest);
    if (open && !inHtmlBlock) {
      fence = open[1]!;
      continue;
    }
    if (!inHtmlBlock && !box && rest === line) {
      const raw = RAW_HTML_BLOCKS.find((kind) => kind.start.test(line));
      if (raw) {
        // The block ends on the line holding its end marker (which may be this one).
        const afterStart = line.replace(raw.start, '');
        if (!raw.end.test(afterStart)) rawEnd = raw.end;
        continue;
      }
    }
    const withoutComments = rest.replace(/<!--[\s\S]*?-->/g, '');
    if (withoutComments.includes('<!--')) inComment = true;
    const visible = withoutComments.split('<!--')[0] ?? '';
    detailsDepth = Math.max(0, detailsDepth + (visible.match(/<details[\s>]/gi)?.length ?? 0) - (visible.match(/<\/details\s*>/gi)?.length ?? 0));
    if (inHtmlBlock) {
      if (line.trim() === '') inHtmlBlock = false;
    } else if (HTML_BLOCK_START.test(visible) && !box) {
      inHtmlBlock = true;
    }
  }
  return found;
}

function judgeLine(occurrences: Occurrence[] | undefined, expectedText: string, expectedIndent: string): { kind: TamperKind } | { checked: boolean } {
  if (!occurrences || occurrences.length === 0) return { kind: 'deleted' };
  if (occurrences.length > 1) return { kind: 'duplicated' };
  const only = occurrences[0]!;
  if (only.hidden) return { kind: 'hidden' };
  if (only.text.trimEnd() !== expectedText) {
    return { kind: only.text.replace(STRIKE, '').trim() === expectedText ? 'struck' : 'changed' };
  }
  if (only.indent !== expectedIndent) return { kind: 'hidden' };
  return { checked: only.checked };
}

/** What a comment body says about each item of the template. */
export function observeChecklist(body: string, template: ChecklistTemplate): Map<string, ItemObservation> {
  const boxes = scanBoxes(body);
  const result = new Map<string, ItemObservation>();
  for (const item of templateItems(template)) {
    const main = judgeLine(boxes.get(`item:${item.id}`), item.text, '');
    if ('kind' in main) {
      result.set(item.id, { status: 'tampered', kind: main.kind });
      continue;
    }
    let na = false;
    if (item.na) {
      const box = judgeLine(boxes.get(`na:${item.id}`), NA_TEXT, '  ');
      if ('kind' in box) {
        result.set(item.id, { status: 'tampered', kind: box.kind });
        continue;
      }
      na = box.checked;
    } else if (boxes.has(`na:${item.id}`)) {
      result.set(item.id, { status: 'tampered', kind: 'changed' });
      continue;
    }
    result.set(item.id, { status: 'intact', yes: main.checked, na });
  }
  return result;
}
