// The starter workflows in workflows-templates/: each has its properties file, calls one of our
// reusable workflows at @v1 with the permissions that workflow's jobs need.
import { describe, it, expect } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { OWN_REPOSITORY } from './workflow-checks.js';

const dir = 'workflows-templates';
const templates = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();

type Job = { uses?: string; permissions?: Record<string, string>; steps?: unknown[] };
const jobsOf = (file: string) => (parse(readFileSync(file, 'utf8')) as { jobs: Record<string, Job> }).jobs;

describe('starter workflows', () => {
  it('cover the pipeline, the checklist, the manual rollback and the sentinel', () => {
    const called = templates.flatMap((t) => Object.values(jobsOf(join(dir, t))).map((j) => j.uses));
    for (const name of ['pipeline', 'loop', 'review-checklist', 'rollback', 'sentinel']) {
      expect(called).toContain(`${OWN_REPOSITORY}/.github/workflows/${name}.yml@v1`);
    }
    // `gh workflow run rollback.yml` in the docs and in every hand-rollback command.
    expect(templates).toContain('rollback.yml');
  });

  it.each(templates)('%s has a properties file GitHub accepts', (template) => {
    const props = JSON.parse(readFileSync(join(dir, template.replace(/\.yml$/, '.properties.json')), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(props).sort()).toEqual(['categories', 'description', 'filePatterns', 'iconName', 'name']);
    expect(typeof props.name).toBe('string');
    expect(typeof props.description).toBe('string');
    expect(props.iconName).toMatch(/^octicon [a-z-]+$/);
    expect(Array.isArray(props.categories) && props.categories.length > 0).toBe(true);
    for (const pattern of props.filePatterns as string[]) expect(() => new RegExp(pattern)).not.toThrow();
    expect((props.filePatterns as string[]).some((p) => new RegExp(p).test('package.json'))).toBe(true);
  });

  it.each(templates)('%s grants each calling job exactly the permissions the called workflow needs', (template) => {
    for (const job of Object.values(jobsOf(join(dir, template)))) {
      const calledPath = job.uses?.replace(`${OWN_REPOSITORY}/`, '').replace(/@v1$/, '');
      expect(calledPath).toMatch(/^\.github\/workflows\/[a-z-]+\.yml$/);
      const needed: Record<string, string> = {};
      const rank = { none: 0, read: 1, write: 2 } as const;
      for (const called of Object.values(jobsOf(calledPath as string))) {
        for (const [scope, level] of Object.entries(called.permissions ?? {})) {
          if ((rank[level as keyof typeof rank] ?? 0) > (rank[(needed[scope] ?? 'none') as keyof typeof rank] ?? 0)) needed[scope] = level;
        }
      }
      expect(job.permissions).toEqual(needed);
    }
  });

  // GitHub replaces `$default-branch` only when it creates a workflow from an organisation template;
  // adoption.md tells users to copy these files, where the placeholder would stay a literal branch name.
  it.each(templates)('%s names real branches (no $default-branch placeholder)', (template) => {
    expect(readFileSync(join(dir, template), 'utf8')).not.toContain('$default-branch');
  });

  it('the docs give no $default-branch to copy', () => {
    for (const doc of ['README.md', 'docs/adoption.md', 'docs/workflows.md']) {
      expect(readFileSync(doc, 'utf8').split('\n').filter((l) => l.includes('branches:') && l.includes('$default-branch'))).toEqual([]);
    }
  });

  it('deploy.yml: one release through pre-production and one loop at a time, never cancelling a running one', () => {
    type Caller = { if?: string; needs?: string; concurrency: { group: string; 'cancel-in-progress': boolean }; with: Record<string, string> };
    const doc = parse(readFileSync(join(dir, 'deploy.yml'), 'utf8')) as { on: { push: { branches: string[] }; schedule: unknown[]; workflow_dispatch: null }; jobs: Record<string, Caller> };
    expect(doc.on.push.branches).toEqual(['main']);
    expect(doc.on.schedule).toHaveLength(1);
    expect('workflow_dispatch' in doc.on).toBe(true);
    const { pipeline, loop } = doc.jobs as { pipeline: Caller; loop: Caller };
    expect(pipeline.concurrency).toEqual({ group: 'safe-deploy-release-${{ github.repository }}', 'cancel-in-progress': false });
    expect(loop.concurrency).toEqual({ group: 'safe-deploy-loop-${{ github.repository }}', 'cancel-in-progress': false });
    // A push stops before production and offers its own commit; a schedule or dispatch reads it from gamma.
    expect(pipeline.with['loop-stage']).toBe('prod');
    expect(loop.needs).toBe('pipeline');
    expect(loop.with.candidate).toBe("${{ github.event_name == 'push' && github.sha || '' }}");
    expect(loop.with['dispatch-workflow']).toBe('deploy.yml');
  });
});
