import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Answer } from '../../packages/core/src/checklist-comment.js';
import { bodyDigest, CHECKLIST_MARKER, observeChecklist, onlyBoxMarksDiffer, readStateMarker, renderChecklistBody } from '../../packages/core/src/checklist-comment.js';
import type { Editor, Eligibility, Ledger, Revision } from '../../packages/core/src/checklist-ledger.js';
import {
  decodeLedger,
  decodeLedgers,
  editorsToJudge,
  encodeLedger,
  encodeLedgers,
  findBaseline,
  itemDigest,
  preliminaryEligibility,
  pruneAnswers,
  replayRevisions,
  settleWithoutHistory,
} from '../../packages/core/src/checklist-ledger.js';
import { DEFAULT_TEMPLATE, templateItems } from '../../packages/core/src/checklist-template.js';

const template = DEFAULT_TEMPLATE;
const required = ['unit-tests', 'integration-tests', 'canary-tests', 'metrics-alarms', 'safe-to-deploy-now', 'dependencies-deployed', 'rollback-safe', 'no-alarms'];
const HEAD = 'c'.repeat(40);
const AUTHOR = 'dev';
const writers = new Set(['alice', 'bob']);
const judge = (editor: Editor): Eligibility => preliminaryEligibility(editor, AUTHOR) ?? (writers.has(editor.login) ? { eligible: true } : { eligible: false, reason: `@${editor.login} has read permission` });

const UNIT = 'Unit tests cover the new and changed behaviour.';
const digestOf = (id: string) => itemDigest(templateItems(template).find((item) => item.id === id)!);
const answer = (id: string, by: string, at: string, kind: 'yes' | 'na' = 'yes'): Answer => ({ answer: kind, by, at, item: digestOf(id) });

function render(answers: Record<string, Answer> = {}): string {
  return renderChecklistBody({ template, required, answers, notes: {}, headSha: HEAD });
}
const tick = (body: string, text: string) => body.replace(`- [ ] ${text}`, `- [x] ${text}`);
const person = (login: string, bot = false): Editor => ({ login, bot });

describe('checklist comment', () => {
  it('starts with the marker and renders every item unticked', () => {
    const body = render();
    expect(body.startsWith(CHECKLIST_MARKER)).toBe(true);
    const seen = observeChecklist(body, template);
    expect([...seen.values()].every((o) => o.status === 'intact' && !o.yes && !o.na)).toBe(true);
  });

  it('reads ticks, also from CRLF bodies written by the browser', () => {
    const body = tick(render(), UNIT).replace(/\n/g, '\r\n');
    expect(observeChecklist(body, template).get('unit-tests')).toEqual({ status: 'intact', yes: true, na: false });
    expect(bodyDigest(body)).toBe(bodyDigest(body.replace(/\r\n/g, '\n')));
  });

  it.each([
    ['changed text', (b: string) => b.replace(UNIT, 'Unit tests exist.'), 'changed'],
    ['strike-through', (b: string) => b.replace(UNIT, `~~${UNIT}~~`), 'struck'],
    ['<del>', (b: string) => b.replace(UNIT, `<del>${UNIT}</del>`), 'struck'],
    ['deleted line', (b: string) => b.replace(/^- \[ \] Unit tests.*\n/m, ''), 'deleted'],
    ['inside an HTML comment', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '<!--\n$1\n-->'), 'hidden'],
    ['inside <details>', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '<details>\n\n$1\n\n</details>\n'), 'hidden'],
    ['inside a code fence', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '```\n$1\n```'), 'hidden'],
    ['in an HTML block', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '<div>\n$1'), 'hidden'],
    ['indented into a code block', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '    $1'), 'hidden'],
    ['quoted', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '> $1'), 'hidden'],
    ['duplicated', (b: string) => b.replace(/^(- \[ \] Unit tests.*)$/m, '$1\n- [x] Unit tests cover the new and changed behaviour. <!-- item:unit-tests -->'), 'duplicated'],
  ])('detects tampering: %s', (_name, edit, kind) => {
    const observed = observeChecklist(edit(render()), template);
    expect(observed.get('unit-tests')).toEqual({ status: 'tampered', kind });
    // An HTML block runs to the next blank line, so it swallows the items after it too.
    expect(observed.get('integration-tests')?.status).toBe(_name === 'in an HTML block' ? 'tampered' : 'intact');
  });

  it('an opened HTML comment hides the lines up to the next -->, which the next item tag supplies', () => {
    const observed = observeChecklist(render().replace('### Monitoring', '<!--\n### Monitoring'), template);
    expect(observed.get('unit-tests')?.status).toBe('intact');
    expect(observed.get('metrics-alarms')).toEqual({ status: 'tampered', kind: 'hidden' });
    expect(observed.get('no-alarms')?.status).toBe('intact');
  });

  it('an HTML block runs to the next blank line (a closing </details> swallows the item below it)', () => {
    const observed = observeChecklist(render().replace(/^(- \[ \] Unit tests.*)$/m, '<details>\n\n$1\n\n</details>'), template);
    expect(observed.get('integration-tests')).toEqual({ status: 'tampered', kind: 'hidden' });
  });

  it('never reads anything from arbitrary text as intact ticks it did not render (property)', () => {
    fc.assert(
      fc.property(fc.string(), (noise) => {
        const observed = observeChecklist(`${noise}\n${render()}`, template);
        // Whatever comes before, a genuine rendering still reads as unticked or as tampered, never as ticked.
        return [...observed.values()].every((o) => o.status === 'tampered' || (!o.yes && !o.na));
      }),
    );
  });

  it('shows who answered and why a tick was removed', () => {
    const body = renderChecklistBody({
      template,
      required,
      answers: { 'unit-tests': answer('unit-tests', 'alice', '2026-11-26T08:01:00Z') },
      notes: { 'rollback-safe': { text: 'The tick by @dev was removed: authors cannot answer.', at: '2026-11-26T08:02:00Z' } },
      headSha: HEAD,
    });
    expect(body).toContain('- [x] Unit tests cover the new and changed behaviour. <!-- item:unit-tests -->\n  - ✅ Answered by @alice on 2026-11-26 08:01 UTC');
    expect(body).toContain('  - ⚠️ The tick by @dev was removed: authors cannot answer. (2026-11-26 08:02 UTC)');
    expect(body).toContain('**Status: 1 of 8 required item(s) answered.**');
  });
});

describe('crediting ticks', () => {
  const base = render();
  const revision = (body: string | null, editor: Editor | null, at: string): Revision => ({ body, editor, at });

  it('credits an eligible reviewer and refuses the author and read-only users', () => {
    let body = tick(base, UNIT);
    const r1 = revision(body, person('alice'), '2026-11-26T08:01:00Z');
    body = tick(body, 'Integration tests');
    const r2 = revision(body, person(AUTHOR), '2026-11-26T08:02:00Z');
    body = tick(body, 'It is safe to merge');
    const r3 = revision(body, person('reader'), '2026-11-26T08:03:00Z');
    const result = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), r1, r2, r3], judge });
    expect(result.answers).toEqual({ 'unit-tests': answer('unit-tests', 'alice', '2026-11-26T08:01:00Z') });
    expect(result.notes['integration-tests']?.text).toContain('@dev opened this pull request');
    expect(result.notes['safe-to-deploy-now']?.text).toContain('@reader has read permission');
  });

  it('does not credit a bot', () => {
    const result = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), revision(tick(base, UNIT), person('renovate[bot]', true), 't1')], judge });
    expect(result.answers).toEqual({});
    expect(result.notes['unit-tests']?.text).toContain('is a bot');
  });

  it('credits "not applicable" and refuses both boxes at once', () => {
    const na = base.replace('- [ ] Not applicable to this change <!-- na:canary-tests -->', '- [x] Not applicable to this change <!-- na:canary-tests -->');
    const ok = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), revision(na, person('bob'), 't1')], judge });
    expect(ok.answers['canary-tests']).toEqual(answer('canary-tests', 'bob', 't1', 'na'));
    const both = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), revision(tick(na, 'Canary or synthetic'), person('bob'), 't1')], judge });
    expect(both.answers['canary-tests']).toBeUndefined();
  });

  it('withdraws an answer when its tick is removed or its item is tampered with', () => {
    const answers = { 'unit-tests': answer('unit-tests', 'alice', 't0'), 'rollback-safe': answer('rollback-safe', 'bob', 't0') };
    const answered = render(answers);
    const unticked = answered.replace(`- [x] ${UNIT}`, `- [ ] ${UNIT}`);
    const struck = unticked.replace(/The change is backward compatible and safe to roll back \(([^)]*)\)\./, (m) => `~~${m}~~`);
    const result = replayRevisions({
      template,
      answers,
      notes: {},
      revisions: [revision(answered, null, 't0'), revision(unticked, person('reader'), 't1'), revision(struck, person(AUTHOR), 't2')],
      judge,
    });
    expect(result.answers).toEqual({});
    expect(result.notes['unit-tests']?.text).toBe('@reader removed the answer by @alice.');
    expect(result.notes['rollback-safe']?.text).toContain('@dev struck this item through, so the answer by @bob was withdrawn');
  });

  it('credits nobody across a deleted revision', () => {
    const r1 = revision(null, person('alice'), 't1');
    const r2 = revision(tick(tick(base, UNIT), 'Integration tests'), person('bob'), 't2');
    const result = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), r1, r2], judge });
    expect(result.answers).toEqual({});
    expect(result.notes['unit-tests']?.text).toContain('nobody eligible can be credited');
  });

  it('asks only about editors who ticked something', () => {
    const revisions = [revision(base, null, 't0'), revision(tick(base, UNIT), person('alice'), 't1'), revision(tick(base, UNIT).replace('## ', '## x'), person('carol'), 't2')];
    expect(editorsToJudge(template, revisions).map((e) => e.login)).toEqual(['alice']);
  });

  it('finds the baseline: the newest revision equal to the body the action wrote', () => {
    const revisions = [revision(base, null, 't0'), revision(tick(base, UNIT), person('alice'), 't1'), revision(base.replace(/\n/g, '\r\n'), person('alice'), 't2')];
    expect(findBaseline(revisions, bodyDigest(base))).toBe(2);
    expect(findBaseline(revisions, 'nope')).toBe(-1);
  });

  it('without history, removes unexplained ticks and withdraws answers whose tick is gone', () => {
    const answers = { 'rollback-safe': answer('rollback-safe', 'bob', 't0') };
    const result = settleWithoutHistory({ template, body: tick(base, UNIT), answers, notes: {}, reason: 'the edit history is gone', at: 't9' });
    expect(result.answers).toEqual({});
    expect(result.notes['unit-tests']?.text).toContain('nobody eligible can be credited with it, because the edit history is gone');
    expect(result.notes['rollback-safe']?.text).toContain('answer by @bob was removed');
  });
});

describe('what GitHub renders, not what a naive parser reads (L6)', () => {
  const line = /^(- \[ \] Unit tests.*)$/m;
  it.each([
    ['<pre> across a blank line', (b: string) => b.replace(line, '<pre>\n\n$1\n\n</pre>')],
    ['<textarea> across a blank line', (b: string) => b.replace(line, '<textarea>\n\n$1\n\n</textarea>')],
    ['<script> across a blank line', (b: string) => b.replace(line, '<script>\n\n$1\n\n</script>')],
    ['a processing instruction', (b: string) => b.replace(line, '<?php\n\n$1\n\n?>')],
    ['CDATA', (b: string) => b.replace(line, '<![CDATA[\n\n$1\n\n]]>')],
    ['a declaration', (b: string) => b.replace(line, '<!DOCTYPE\n\n$1\n\n>')],
    ['a setext === under the box', (b: string) => b.replace(line, '$1\n===')],
    ['an indented setext --- under the box', (b: string) => b.replace(line, '$1\n  ---')],
  ])('a ticked box inside %s is hidden, not a tick', (_name, edit) => {
    const observed = observeChecklist(tick(edit(render()), UNIT), template);
    expect(observed.get('unit-tests')).toEqual({ status: 'tampered', kind: 'hidden' });
  });

  it('the block ends at its own end marker: the items after it are read again', () => {
    const body = render().replace(line, '<pre>\n\n$1\n\n</pre>\n');
    expect(observeChecklist(body, template).get('integration-tests')?.status).toBe('intact');
    // An unindented --- under a box is a thematic break: the box stays a box.
    expect(observeChecklist(tick(render(), UNIT).replace(/^(- \[x\] Unit tests.*)$/m, '$1\n\n---'), template).get('unit-tests')).toEqual({ status: 'intact', yes: true, na: false });
  });
});

describe('edits on the current write, checkboxes only (F4)', () => {
  const base = renderChecklistBody({ template, required, answers: {}, notes: {}, headSha: HEAD, state: 'aaaaaaaaaaaaaaaa' });
  const older = renderChecklistBody({ template, required, answers: { 'unit-tests': answer('unit-tests', 'alice', 't0') }, notes: {}, headSha: HEAD, state: 'bbbbbbbbbbbbbbbb' });
  const revision = (body: string, editor: Editor | null, at: string): Revision => ({ body, editor, at });

  it('the body carries the full head and the id of the write', () => {
    expect(readStateMarker(base)).toEqual({ head: HEAD, state: 'aaaaaaaaaaaaaaaa' });
    expect(readStateMarker(`${base}\n${base}`)).toBeNull();
  });

  it('tells checkbox clicks from any other change', () => {
    expect(onlyBoxMarksDiffer(base, tick(tick(base, UNIT), 'Integration tests').replace(/\n/g, '\r\n'))).toBe(true);
    expect(onlyBoxMarksDiffer(base, `${base}\nhello`)).toBe(false);
    expect(onlyBoxMarksDiffer(base, base.replace('state=aaaaaaaaaaaaaaaa', 'state=bbbbbbbbbbbbbbbb'))).toBe(false);
    expect(onlyBoxMarksDiffer(base, base.replace(UNIT, 'Unit tests exist.'))).toBe(false);
  });

  it('credits several ticks in one edit of the current write, each to its editor', () => {
    const edited = tick(tick(base, UNIT), 'Integration tests');
    const result = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), revision(edited, person('alice'), 't1')], judge, state: 'aaaaaaaaaaaaaaaa' });
    expect(Object.keys(result.answers).sort()).toEqual(['integration-tests', 'unit-tests']);
  });

  it('credits nothing from a copy of an older write saved over the current one', () => {
    const stale = tick(older, 'Integration tests');
    const result = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(base, null, 't0'), revision(stale, person('bob'), 't1')], judge, state: 'aaaaaaaaaaaaaaaa' });
    expect(result.answers).toEqual({});
    expect(result.notes['integration-tests']?.text).toContain('outdated copy');
    expect(result.notes['unit-tests']?.text).toContain('outdated copy');
  });

  it('credits nothing made on a write that is not the current one', () => {
    const result = replayRevisions({ template, answers: {}, notes: {}, revisions: [revision(older, null, 't0'), revision(tick(older, 'Integration tests'), person('bob'), 't1')], judge, state: 'aaaaaaaaaaaaaaaa' });
    expect(result.answers).toEqual({});
  });

  it('an answer given to other wording of the question does not stand (L7)', () => {
    expect(pruneAnswers(template, { 'unit-tests': answer('unit-tests', 'alice', 't0') })).toHaveProperty('unit-tests');
    expect(pruneAnswers(template, { 'unit-tests': { ...answer('unit-tests', 'alice', 't0'), item: 'another-text' } })).toEqual({});
  });
});

describe('who made the change (F3)', () => {
  const makers = { opener: 'renovate[bot]', pusher: 'alice', authors: ['carol'], committers: ['dave'] };
  it.each([
    ['alice', 'pushed the head commit'],
    ['carol', 'authored commits'],
    ['dave', 'committed commits'],
    ['renovate', 'opened this pull request'],
  ])('@%s cannot answer: %s', (login, reason) => {
    expect(preliminaryEligibility(person(login), makers)).toEqual({ eligible: false, reason: expect.stringContaining(reason) });
  });
  it('anyone else is asked about', () => {
    expect(preliminaryEligibility(person('bob'), makers)).toBeNull();
  });
});

describe('ledger in the check run output', () => {
  it('round-trips and refuses anything that does not fit', () => {
    const ledger: Ledger = {
      format: 2,
      pr: 7,
      head: HEAD,
      base: { ref: 'main', sha: 'b'.repeat(40) },
      paths: null,
      commentId: 1000,
      bot: 'github-actions[bot]',
      template: 'abc',
      required: ['unit-tests'],
      answers: { 'unit-tests': answer('unit-tests', 'alice', 't') },
      notes: {},
      written: 'd',
      state: '0123456789abcdef',
      prior: null,
      reset: null,
      started: '2026-11-26T08:00:00Z',
      writtenAt: '2026-11-26T08:00:00Z',
      pusher: null,
      authors: ['dev'],
      committers: ['dev'],
    };
    const text = `Some prose\n${encodeLedger(ledger)}`;
    expect(decodeLedger(text)).toEqual(ledger);
    expect(decodeLedger(text.replace('"pr":7', '"pr":"7"'))).toBeNull();
    expect(decodeLedger(text.replace('"format":2', '"format":1'))).toBeNull(); // an older ledger is not trusted: its head starts afresh
    expect(decodeLedger('no ledger here')).toBeNull();
    const other = { ...ledger, pr: 8 };
    expect(decodeLedgers(`${encodeLedgers([other, ledger])}`).map((entry) => entry.pr)).toEqual([7, 8]);
  });
});

describe('crediting, for any sequence of edits (property)', () => {
  const people = [person('alice'), person('bob'), person(AUTHOR), person('reader'), person('ci[bot]', true)];
  const items = ['unit-tests', 'integration-tests', 'rollback-safe'] as const;
  const lineOf: Record<(typeof items)[number], RegExp> = {
    'unit-tests': /^- \[[ x]\] (Unit tests.*)$/m,
    'integration-tests': /^- \[[ x]\] (Integration tests.*)$/m,
    'rollback-safe': /^- \[[ x]\] (The change is backward compatible.*)$/m,
  };
  const edit = fc.record({
    who: fc.integer({ min: 0, max: people.length - 1 }),
    item: fc.constantFrom(...items),
    action: fc.constantFrom('tick', 'untick', 'reword', 'strike', 'hide', 'delete'),
  });

  it('credits only eligible editors, and only for items they ticked themselves', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
        let body = render();
        const revisions: Revision[] = [{ body, editor: null, at: '2026-11-26T08:00:00Z' }];
        const tickedBy = new Map<string, Set<string>>();
        edits.forEach((step, i) => {
          const editor = people[step.who]!;
          const pattern = lineOf[step.item];
          const line = pattern.exec(body)?.[0];
          if (line) {
            if (step.action === 'tick') body = body.replace(line, line.replace('- [ ]', '- [x]'));
            if (step.action === 'untick') body = body.replace(line, line.replace('- [x]', '- [ ]'));
            if (step.action === 'reword') body = body.replace(line, line.replace(' tests', ' checks'));
            if (step.action === 'strike') body = body.replace(line, line.replace(pattern, (_m, text: string) => `${line.slice(0, 6)}~~${text.replace(/ <!--.*/, '')}~~${text.slice(text.indexOf(' <!--'))}`));
            if (step.action === 'hide') body = body.replace(line, `<!--\n${line}`);
            if (step.action === 'delete') body = body.replace(`${line}\n`, '');
            if (step.action === 'tick') tickedBy.set(step.item, new Set([...(tickedBy.get(step.item) ?? []), editor.login]));
          }
          revisions.push({ body, editor, at: `2026-11-26T08:${String(i + 1).padStart(2, '0')}:00Z` });
        });
        const result = replayRevisions({ template, answers: {}, notes: {}, revisions, judge });
        const finalView = observeChecklist(body, template);
        for (const [item, answer] of Object.entries(result.answers)) {
          if (!writers.has(answer.by)) return false; // never the author, a reader or a bot
          if (!tickedBy.get(item)?.has(answer.by)) return false; // only someone who ticked it
          const seen = finalView.get(item);
          if (seen?.status !== 'intact' || !seen.yes) return false; // and it still stands, untampered
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
