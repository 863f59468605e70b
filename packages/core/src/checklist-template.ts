// The review checklist template: which questions reviewers answer before a change merges.
//
// A repository describes its checklist in `.github/deploy-checklist.yml`:
//
//   version: 1
//   sections:
//     - id: rollout
//       title: Rollout
//       items:
//         - id: rollback-safe
//           text: The change is backward compatible and safe to roll back.
//         - id: schema-migration
//           text: The migration runs before the code that needs it is deployed.
//           when: { paths: ["db/migrations/**"] }   # required only when these files change
//         - id: dashboards
//           text: Dashboards show the new behaviour.
//           required: false                          # shown, never blocks
//           na: true                                 # reviewers may answer "not applicable"
//
// Without the file the built-in DEFAULT_TEMPLATE applies. A template that does not parse or
// does not fit the schema is refused with file:line:col and the path of the bad value.
import { createHash } from 'node:crypto';
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { compileGlobs, GlobError, validateGlob } from './checklist-glob.js';

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

const itemSchema = z
  .object({
    id: z.string().regex(ID, 'an id is lower-case letters, digits and dashes (at most 63), such as "rollback-safe"'),
    text: z
      .string()
      .trim()
      .min(1, 'the question must not be empty')
      .max(300)
      .refine((text) => !/[\r\n]/.test(text), 'the question must fit on one line')
      .refine((text) => !/<!--|-->|~~|<\/?(?:del|s|strike)>/i.test(text), 'the question must not contain HTML comments or strike-through'),
    required: z.boolean().default(true),
    na: z.boolean().default(false),
    when: z
      .object({
        paths: z
          .array(
            z.string().superRefine((glob, ctx) => {
              try {
                validateGlob(glob.startsWith('!') ? glob.slice(1) : glob);
              } catch (error) {
                ctx.addIssue({ code: 'custom', message: error instanceof GlobError ? error.message : String(error) });
              }
            }),
          )
          .min(1, 'list at least one path pattern'),
      })
      .strict()
      .optional(),
  })
  .strict();

const sectionSchema = z
  .object({
    id: z.string().regex(ID, 'an id is lower-case letters, digits and dashes (at most 63), such as "testing"'),
    title: z.string().trim().min(1).max(100),
    items: z.array(itemSchema).min(1, 'a section needs at least one item'),
  })
  .strict();

export const checklistTemplateSchema = z
  .object({
    version: z.literal(1),
    title: z.string().trim().min(1).max(100).default('Deployment safety checklist'),
    sections: z.array(sectionSchema).min(1, 'a checklist needs at least one section'),
  })
  .strict()
  .superRefine((template, ctx) => {
    const seen = new Map<string, string>();
    template.sections.forEach((section, s) => {
      section.items.forEach((item, i) => {
        const where = `sections[${s}].items[${i}]`;
        const first = seen.get(item.id);
        if (first) ctx.addIssue({ code: 'custom', path: ['sections', s, 'items', i, 'id'], message: `item id "${item.id}" is already used at ${first}` });
        else seen.set(item.id, where);
      });
    });
  });

export type ChecklistTemplate = z.output<typeof checklistTemplateSchema>;
export type ChecklistSection = ChecklistTemplate['sections'][number];
export type ChecklistItem = ChecklistSection['items'][number];

/** The checklist every repository gets until it writes its own. */
export const DEFAULT_TEMPLATE: ChecklistTemplate = checklistTemplateSchema.parse({
  version: 1,
  title: 'Deployment safety checklist',
  sections: [
    {
      id: 'testing',
      title: 'Testing',
      items: [
        { id: 'unit-tests', text: 'Unit tests cover the new and changed behaviour.' },
        { id: 'integration-tests', text: 'Integration tests exercise the change against real dependencies, not mocks.' },
        { id: 'canary-tests', text: 'Canary or synthetic tests are updated to exercise the new behaviour in every stage.', na: true },
      ],
    },
    {
      id: 'monitoring',
      title: 'Monitoring',
      items: [
        { id: 'metrics-alarms', text: 'Metrics, alarms and dashboards cover the new behaviour, so a bad deployment is caught and rolled back.' },
      ],
    },
    {
      id: 'rollout',
      title: 'Rollout',
      items: [
        { id: 'safe-to-deploy-now', text: 'It is safe to merge and deploy this change now; nothing else must ship first or with it.' },
        { id: 'dependencies-deployed', text: 'Every dependency of this change is already deployed in every region and stage.', na: true },
        { id: 'rollback-safe', text: 'The change is backward compatible and safe to roll back (data and messages written by the new version are read by the old one).' },
        { id: 'no-alarms', text: 'The change deploys without triggering any alarm (no expected error spikes, cold starts or capacity changes).' },
      ],
    },
  ],
});

export class ChecklistTemplateError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'ChecklistTemplateError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? '(document)' : out;
}

/**
 * Parses a checklist template. Every problem is reported as `file:line:col: path: message`;
 * the error lists all of them so one fix round is enough.
 */
export function parseChecklistTemplate(text: string, file: string): ChecklistTemplate {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => `${where(error.pos[0])}: ${error.message.split('\n')[0]}`);
    throw new ChecklistTemplateError(`checklist template ${file} is not valid YAML:\n${problems.join('\n')}`, problems);
  }
  const result = checklistTemplateSchema.safeParse(document.toJS() ?? {});
  if (result.success) return result.data;

  const problems = result.error.issues.map((issue) => {
    // Point at the deepest node that exists on the issue's path (a missing key points at its parent map).
    const path = [...(issue.path as PropertyKey[])];
    let node: YamlNode | null = null;
    if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
      // Point at the unknown key itself, not at its value.
      const map = document.getIn(path as unknown[], true);
      const key = issue.keys[0];
      path.push(key);
      if (isMap(map)) node = (map.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key as YamlNode | undefined) ?? null;
    }
    for (let depth = path.length; depth >= 0 && !node; depth -= 1) {
      const found = document.getIn(path.slice(0, depth) as unknown[], true);
      if (found && typeof found === 'object' && 'range' in found) node = found as YamlNode;
      else if (depth === 0) node = (document.contents as YamlNode | null) ?? null;
    }
    const offset = node?.range?.[0] ?? 0;
    return `${where(offset)}: ${formatPath(path)}: ${issue.message}`;
  });
  throw new ChecklistTemplateError(`checklist template ${file} does not fit the schema:\n${problems.join('\n')}`, problems);
}

/** A short, stable fingerprint of a template, kept in the ledger to notice a changed template. */
export function templateDigest(template: ChecklistTemplate): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 16);
}

export function templateItems(template: ChecklistTemplate): ChecklistItem[] {
  return template.sections.flatMap((section) => section.items);
}

/**
 * The items that must be answered for a change touching `changedPaths`:
 * required items without `when.paths`, and required items one of whose globs matches a changed path.
 */
export function requiredItemIds(template: ChecklistTemplate, changedPaths: readonly string[]): string[] {
  return templateItems(template)
    .filter((item) => item.required && (!item.when || changedPaths.some(compileGlobs(item.when.paths))))
    .map((item) => item.id);
}

/** True when some item's requirement depends on the changed paths (only then the files are fetched). */
export function needsChangedPaths(template: ChecklistTemplate): boolean {
  return templateItems(template).some((item) => item.required && item.when);
}

