import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { compileGlobs, validateGlob } from '../../packages/core/src/checklist-glob.js';
import {
  ChecklistTemplateError,
  DEFAULT_TEMPLATE,
  needsChangedPaths,
  parseChecklistTemplate,
  requiredItemIds,
  templateItems,
} from '../../packages/core/src/checklist-template.js';

const FILE = '.github/deploy-checklist.yml';

function problemsOf(text: string): string[] {
  try {
    parseChecklistTemplate(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ChecklistTemplateError);
    return [...(error as ChecklistTemplateError).problems];
  }
  throw new Error('expected the template to be refused');
}

describe('checklist template', () => {
  it('has a built-in default covering testing, monitoring and rollout', () => {
    expect(DEFAULT_TEMPLATE.sections.map((s) => s.id)).toEqual(['testing', 'monitoring', 'rollout']);
    expect(templateItems(DEFAULT_TEMPLATE).map((i) => i.id)).toEqual([
      'unit-tests',
      'integration-tests',
      'canary-tests',
      'metrics-alarms',
      'safe-to-deploy-now',
      'dependencies-deployed',
      'rollback-safe',
      'no-alarms',
    ]);
    expect(requiredItemIds(DEFAULT_TEMPLATE, [])).toHaveLength(8);
    expect(needsChangedPaths(DEFAULT_TEMPLATE)).toBe(false);
  });

  it("parses this repository's own template", () => {
    const template = parseChecklistTemplate(readFileSync(new URL('../../.github/deploy-checklist.yml', import.meta.url), 'utf8'), FILE);
    expect(template.sections.length).toBeGreaterThanOrEqual(3);
    expect(needsChangedPaths(template)).toBe(true);
  });

  it('applies defaults: required, no N/A', () => {
    const template = parseChecklistTemplate('version: 1\nsections:\n  - id: a\n    title: A\n    items:\n      - { id: x, text: Question }\n', FILE);
    expect(template.sections[0]!.items[0]).toEqual({ id: 'x', text: 'Question', required: true, na: false });
    expect(template.title).toBe('Deployment safety checklist');
  });

  it('reports YAML syntax errors with file, line and column', () => {
    expect(problemsOf('version: 1\nsections: [\n  - id: a\n')[0]).toMatch(/^\.github\/deploy-checklist\.yml:\d+:\d+: /);
  });

  it('reports schema errors with file:line:col and the path in the document', () => {
    const text = [
      'version: 1',
      'sections:',
      '  - id: testing',
      '    title: Testing',
      '    items:',
      '      - id: Unit Tests',
      '        text: Unit tests pass',
      '      - id: canary',
      '        text: Canary updated',
      '        when: { paths: ["src/**x"] }',
      '      - id: canary',
      '        text: Again',
      '        colour: red',
      '',
    ].join('\n');
    const problems = problemsOf(text);
    expect(problems).toContain(`${FILE}:6:13: sections[0].items[0].id: an id is lower-case letters, digits and dashes (at most 63), such as "rollback-safe"`);
    expect(problems.some((p) => p.startsWith(`${FILE}:10:25: sections[0].items[1].when.paths[0]:`))).toBe(true);
    expect(problems).toContain(`${FILE}:13:9: sections[0].items[2].colour: Unrecognized key: "colour"`);
    expect(problems).toContain(`${FILE}:11:13: sections[0].items[2].id: item id "canary" is already used at sections[0].items[1]`);
  });

  it('points a missing key at its parent', () => {
    expect(problemsOf('version: 1\nsections:\n  - id: a\n    items:\n      - { id: x, text: y }\n')).toEqual([`${FILE}:3:5: sections[0].title: Invalid input: expected string, received undefined`]);
  });

  it('refuses question text that could hide or strike itself', () => {
    expect(problemsOf('version: 1\nsections:\n  - id: a\n    title: A\n    items:\n      - { id: x, text: "~~old~~" }\n')[0]).toContain('strike-through');
  });

  it('requires path-scoped items only when a changed path matches', () => {
    const template = parseChecklistTemplate(
      [
        'version: 1',
        'sections:',
        '  - id: data',
        '    title: Data',
        '    items:',
        '      - { id: always, text: Always }',
        '      - { id: migration, text: Migration first, when: { paths: ["db/migrations/**"] } }',
        '      - { id: infra, text: Infra, when: { paths: ["infra/**", "!infra/docs/**"] } }',
        '      - { id: optional, text: Optional, required: false }',
        '',
      ].join('\n'),
      FILE,
    );
    expect(requiredItemIds(template, ['src/a.ts'])).toEqual(['always']);
    expect(requiredItemIds(template, ['db/migrations/001.sql'])).toEqual(['always', 'migration']);
    expect(requiredItemIds(template, ['infra/docs/readme.md'])).toEqual(['always']);
    expect(requiredItemIds(template, ['infra/stack.ts'])).toEqual(['always', 'infra']);
  });
});

describe('path globs', () => {
  it.each([
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/sub/a.ts', false],
    ['src/**', 'src/sub/a.ts', true],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/x/y/a.ts', true],
    ['**/migrations/**', 'db/migrations/001.sql', true],
    ['*.sql', 'db/001.sql', true],
    ['/*.sql', 'db/001.sql', false],
    ['infra/', 'infra/a/b.yml', true],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file/.txt', false],
    ['[ab].md', 'a.md', true],
    ['[!ab].md', 'a.md', false],
    ['*.{ts,tsx}', 'ui/x.tsx', true],
    ['a.b', 'axb', false],
  ])('%s vs %s → %s', (glob, path, expected) => {
    expect(compileGlobs([glob])(path)).toBe(expected);
  });

  it('lets a later ! pattern exclude', () => {
    const matcher = compileGlobs(['infra/**', '!infra/docs/**']);
    expect(matcher('infra/main.tf')).toBe(true);
    expect(matcher('infra/docs/x.md')).toBe(false);
  });

  it('refuses malformed globs', () => {
    expect(() => validateGlob('a/**b')).toThrow(/stand alone/);
    expect(() => validateGlob('[ab')).toThrow(/closing/);
    expect(() => validateGlob('{a,b')).toThrow(/closing/);
    expect(() => validateGlob('{a,{b,c}}')).toThrow(/nested/);
  });

  it.each([
    ['src/{api,worker}/**/*.ts', 'src/worker/x/y.ts', true],
    ['src/{api,worker}/**/*.ts', 'src/web/y.ts', false],
    ['{db,sql}/**', 'sql/a.sql', true],
    ['infra/**', 'infra', false],
    ['[a-c]x.md', 'bx.md', true],
    ['[!a-c]x.md', 'bx.md', false],
    ['*a*b', 'xxaxxb', true],
    ['*a*b', 'xxaxxbc', false],
  ])('%s vs %s → %s (segment matcher)', (glob, path, expected) => {
    expect(compileGlobs([glob])(path)).toBe(expected);
  });

  // L1 of the security review: as a regular expression, each interior `**` became a nested `(?:[^/]+/)*`,
  // and `**/a/**/b/**/c/**/*.sql` took 10 s on a 1.8 KB path (2.1 s at 1.2 KB, growing with about the
  // fourth power of the length). The segment matcher's work is counted, not timed.
  it('matches attacker-chosen paths in work linear in their length (L1)', () => {
    const counts = [1000, 2000, 4000].map((repeats) => {
      const meter = { steps: 0 };
      const path = `${'a/b/c/'.repeat(repeats)}x.txt`;
      expect(compileGlobs(['**/a/**/b/**/c/**/*.sql', 'db/**/migrations/**/schema/**/*.sql'], meter)(path)).toBe(false);
      expect(compileGlobs(['**/a/**/b/**/c/**/*.sql'])(`${path.slice(0, -5)}x.sql`)).toBe(true);
      return meter.steps;
    });
    // 24 KB of path in under half a million steps, and twice the path costs about twice the steps.
    expect(counts[2]).toBeLessThan(500_000);
    expect(counts[2]! / counts[1]!).toBeLessThan(2.2);
    expect(counts[1]! / counts[0]!).toBeLessThan(2.2);
  });
});
