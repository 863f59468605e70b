// Table cells of every job summary: text from AWS or GitHub (an alarm's StateReason, a checklist
// note) must not end a cell early or add a row. A backslash is escaped before the pipe, so `\|` in
// the text stays inside its cell.
import { describe, it, expect } from '@jest/globals';
import { cell, cellText, markdownTable } from '../../packages/github/src/summary.js';

/** Splits one markdown table row into its cells the way GitHub does: at every pipe not escaped by a backslash. */
function cellsOf(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\' && i + 1 < inner.length) {
      current += c + inner[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(current);
      current = '';
    } else current += c;
  }
  cells.push(current);
  return cells.map((s) => s.trim());
}

describe('summary cells', () => {
  it.each([
    ['a pipe', 'a|b', 'a\\|b'],
    ['an escaped pipe', 'a\\|b', 'a\\\\\\|b'],
    ['a trailing backslash', 'ends with \\', 'ends with \\\\'],
    ['a newline', 'one\ntwo', 'one two'],
  ])('cellText escapes %s', (_what, text, expected) => {
    expect(cellText(text)).toBe(expected);
  });

  it('keeps a hostile StateReason inside its cell, in one row', () => {
    const table = markdownTable(['alarm', 'reason'], [['orders-errors', 'x \\| [link](https://evil.example) | y\n| forged | row |']]);
    const rows = table.split('\n');
    expect(rows).toHaveLength(3);
    expect(cellsOf(rows[2]!)).toHaveLength(2);
    expect(cell('')).toBe('—');
    expect(cell('a\nb')).toBe('a<br>b');
  });
});
