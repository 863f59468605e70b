// docs/actions.md is generated from actions/*/action.yml; this fails when someone changes an action's
// inputs or outputs without running `npm run docs:actions`.
import { describe, it, expect, afterAll } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionNames, DOCS_PATH, renderActionDocs } from '../../scripts/gen-action-docs.js';

const root = process.cwd();

describe('docs/actions.md', () => {
  const temp = mkdtempSync(join(tmpdir(), 'safe-deploy-docs-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('is up to date with every action.yml (run `npm run docs:actions` when this fails)', () => {
    expect(readFileSync(join(root, DOCS_PATH), 'utf8')).toBe(renderActionDocs(root));
  });

  it('lists every input and output of every action', () => {
    const text = renderActionDocs(root);
    expect(actionNames(root)).toEqual(['alarm-check', 'bake-gate', 'plan', 'review-checklist', 'rollback', 'sentinel', 'wave-deploy']);
    for (const [name, needles] of Object.entries({
      'wave-deploy': ['`traffic`', '`zip-file`', '`deployment`'],
      'bake-gate': ['`min-invocations`', '`mode`', '`result`'],
      rollback: ['`to`', '`rolled-back`'],
      sentinel: ['`targets-only`', '`store-path`', '`reported`'],
    })) {
      const section = text.slice(text.indexOf(`## ${name}`));
      for (const needle of needles) expect(section).toContain(needle);
    }
  });

  it('goes stale when an action gains an input', () => {
    for (const name of actionNames(root)) {
      mkdirSync(join(temp, 'actions', name), { recursive: true });
      cpSync(join(root, 'actions', name, 'action.yml'), join(temp, 'actions', name, 'action.yml'));
    }
    const file = join(temp, 'actions', 'rollback', 'action.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('inputs:\n', 'inputs:\n  dry-run:\n    description: Only report | what would change.\n    required: false\n    default: "false"\n'));
    const stale = renderActionDocs(temp);
    expect(stale).not.toBe(readFileSync(join(root, DOCS_PATH), 'utf8'));
    expect(stale).toContain('| `dry-run` | no | `false` | Only report \\| what would change. |');
  });
});
