// Loads the config text of a service and reports EVERY problem at once, each with the file, line,
// column and path in the document:
//
//   .github/safe-deploy.yml:14:7 stages[3].onebox.traffic: 25% is above the one-box limit of 10%
//
//   const result = loadConfigText('.github/safe-deploy.yml', text);
//   if (!result.ok) { console.error(formatProblems(result.problems)); ... }   // nothing is deployed
//   else use(result.config);                                                 // schema AND wave rules hold
//
// Pure: the caller reads the file. YAML syntax errors, schema errors (config.ts) and wave-rule
// errors (planner.ts checkWaves) are all collected; wave rules run only once the schema holds.
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { HOSTED_JOB_LIMIT_MS, describe, parseConfig, stageSchema, unknownKeyMessage, type Config } from './config.js';
import { checkStageWaves, checkWaves, formatPath, type WaveIssue } from './planner.js';
import { formatDuration } from './units.js';

export interface ConfigProblem {
  readonly file: string;
  /** 1-based line and column of the offending value (or key, for an unknown key). */
  readonly line: number;
  readonly column: number;
  /** Path in the document, e.g. `stages[3].onebox.traffic`; `(document)` for the whole file. */
  readonly path: string;
  readonly message: string;
}

export type LoadResult =
  | { readonly ok: true; readonly config: Config; readonly warnings: readonly ConfigProblem[] }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

type Path = readonly (string | number)[];

class Locator {
  constructor(
    private readonly document: ReturnType<typeof parseDocument>,
    private readonly lines: LineCounter,
  ) {}

  private position(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /** The deepest node along `path` that exists, and whether it is the node itself. */
  private walk(path: Path): { node: Node | null; exact: boolean } {
    let node: unknown = this.document.contents;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      let next: unknown;
      if (isMap(node)) next = node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(key))?.value;
      else if (isSeq(node) && typeof key === 'number') next = node.items[key];
      if (next === undefined || next === null) return { node: (node as Node | null) ?? null, exact: false };
      node = next;
    }
    return { node: (node as Node | null) ?? null, exact: true };
  }

  /** Where a value sits: the value itself, or the closest enclosing node when it is missing. */
  at(path: Path): { line: number; column: number } {
    const { node } = this.walk(path);
    return this.position(node?.range?.[0] ?? 0);
  }

  /** Where a key of a mapping sits (for unknown keys). */
  keyAt(path: Path, key: string): { line: number; column: number } {
    const { node, exact } = this.walk(path);
    if (exact && isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return this.position(range[0]);
    }
    return this.position(node?.range?.[0] ?? 0);
  }
}

function messageOf(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type' && input === undefined) return 'is required';
  if (issue.code === 'invalid_type' && !issue.message.startsWith('expected')) return `expected ${issue.expected}, got ${describe(input)}`;
  return issue.message;
}

/** Every schema problem as file:line:col, one per zod issue (one per key for unknown keys). */
function schemaProblems(file: string, locator: Locator, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({ file, ...locator.keyAt(path, key), path: formatPath([...path, key]), message: unknownKeyMessage(key) });
      }
      continue;
    }
    problems.push({ file, ...locator.at(path), path: formatPath(path), message: messageOf(issue) });
  }
  return problems;
}

/** Advice that does not stop a deploy: a `watch` bake longer than a GitHub-hosted job may run. */
function adviceFor(file: string, locator: Locator, config: Config): ConfigProblem[] {
  const warnings: ConfigProblem[] = [];
  config.stages.forEach((stage, s) => {
    const bakes: [Path, typeof stage.bake.first][] = [
      [['stages', s, 'bake'], stage.bake.first],
      [['stages', s, 'bake'], stage.bake.rest],
    ];
    if (stage.onebox) bakes.push([['stages', s, 'onebox', 'bake'], stage.onebox.bake]);
    const seen = new Set<string>();
    for (const [path, bake] of bakes) {
      const key = `${formatPath(path)}:${bake.durationMs}`;
      if (bake.mode === 'watch' && bake.durationMs >= HOSTED_JOB_LIMIT_MS && !seen.has(key)) {
        seen.add(key);
        warnings.push({
          file,
          ...locator.at(path),
          path: formatPath(path),
          message: `a ${formatDuration(bake.durationMs)} watch bake outlasts a GitHub-hosted job (6h); use mode: verify with the environment's wait timer, or a self-hosted runner`,
        });
      }
    }
  });
  return warnings;
}

/** Parses and checks a config file's text. Never throws for bad input: every problem is returned. */
export function loadConfigText(file: string, text: string): LoadResult {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const locator = new Locator(document, lines);

  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { file, line, column: col, path: '(document)', message: `YAML: ${error.message.split('\n')[0]}` };
      }),
    };
  }
  if (document.contents === null || text.trim() === '') {
    return { ok: false, problems: [{ file, line: 1, column: 1, path: '(document)', message: 'the file is empty; it needs at least service, functions and stages' }] };
  }

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    return { ok: false, problems: [{ file, line: 1, column: 1, path: '(document)', message: `YAML: ${(error as Error).message}` }] };
  }

  const parsed = parseConfig(data);
  if (!parsed.ok) {
    const waveIssues = wavesOfSoundStages(data);
    const problems = [...schemaProblems(file, locator, parsed.issues), ...waveIssues.map((issue) => ({ file, ...locator.at(issue.path), path: formatPath(issue.path), message: issue.message }))];
    return { ok: false, problems: sortProblems(problems) };
  }

  const waveProblems = checkWaves(parsed.config).map((issue) => ({ file, ...locator.at(issue.path), path: formatPath(issue.path), message: issue.message }));
  if (waveProblems.length > 0) return { ok: false, problems: sortProblems(waveProblems) };

  return { ok: true, config: parsed.config, warnings: adviceFor(file, locator, parsed.config) };
}

/** Wave-rule problems of the stages that are sound on their own, so they are reported along with schema problems elsewhere. */
function wavesOfSoundStages(data: unknown): WaveIssue[] {
  const stages = (data as { stages?: unknown } | null)?.stages;
  if (!Array.isArray(stages)) return [];
  const issues: WaveIssue[] = [];
  stages.forEach((raw, index) => {
    const stage = stageSchema.safeParse(raw);
    if (!stage.success || stage.data.waves === 'auto') return;
    for (const issue of checkStageWaves(stage.data, stage.data.waves)) issues.push({ path: ['stages', index, ...issue.path], message: issue.message });
  });
  return issues;
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.map((problem, i) => ({ problem, i })).sort((a, b) => a.problem.line - b.problem.line || a.problem.column - b.problem.column || a.i - b.i).map(({ problem }) => problem);
}

/** `file:line:col path: message`, the form editors and GitHub annotations link to. */
export function formatProblem(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.path}: ${problem.message}`;
}

/** One problem per line. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map(formatProblem).join('\n');
}

/** Loads the text and returns the Config, or throws an Error whose message lists every problem. */
export function loadConfigOrThrow(file: string, text: string): Config {
  const result = loadConfigText(file, text);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.config;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${problems[0]?.file ?? 'the config'}:\n${formatProblems(problems)}`);
    this.name = 'ConfigError';
  }
}
