// `${{ }}` expressions, `if:` conditions and the GITHUB_OUTPUT / GITHUB_ENV file format, for the
// local workflow runner (workflow-runner.ts). Expressions are evaluated by @actions/expressions,
// GitHub's own evaluator; the status functions follow the runner's rules.
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** What the status functions see. */
export interface EvalState {
  /** An earlier step failed (in a step's `if`), or an ancestor job failed (in a job's `if`): `failure()`. */
  failed: boolean;
  /** The run was cancelled, or the job is being cancelled (timeout): `cancelled()`. */
  cancelled: boolean;
  /**
   * Job conditions only: a direct need did not succeed without failing (skipped or cancelled), so
   * the implicit `success()` is false although `failure()` is false too.
   */
  needNotSucceeded?: boolean;
}

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'] as const;
const CONTEXTS = ['github', 'env', 'vars', 'secrets', 'inputs', 'steps', 'job', 'jobs', 'needs', 'matrix', 'strategy', 'runner'];

function toExpressionData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

function fromExpressionData(value: data.ExpressionData): Json {
  return JSON.parse(JSON.stringify(value, data.replacer)) as Json;
}

function succeeded(state: EvalState): boolean {
  return !state.failed && !state.cancelled && !state.needNotSucceeded;
}

/** Evaluates one expression (without `${{ }}`) against the contexts. */
export function evaluateExpression(source: string, contexts: Record<string, unknown>, state: EvalState = { failed: false, cancelled: false }): Json {
  const lexed = new Lexer(source).lex();
  const infos = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
  const expr = new Parser(lexed.tokens, CONTEXTS, [...infos, { name: 'hashFiles', minArgs: 1, maxArgs: 255 }]).parse();
  const functions = new Map<string, FunctionDefinition>(
    [
      ['success', () => succeeded(state)],
      ['failure', () => state.failed],
      ['cancelled', () => state.cancelled],
      ['always', () => true],
    ].map(([name, fn]) => [
      name as string,
      { name: name as string, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData((fn as () => boolean)()) },
    ]),
  );
  functions.set('hashFiles', { name: 'hashFiles', minArgs: 1, maxArgs: 255, call: () => new data.StringData('') });
  const context = toExpressionData(Object.fromEntries(CONTEXTS.map((name) => [name, contexts[name] ?? {}]))) as data.Dictionary;
  return fromExpressionData(new Evaluator(expr, context, functions).evaluate());
}

export function isTruthy(value: Json): boolean {
  return truthy(toExpressionData(value));
}

export function stringify(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, null, 2);
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/** Evaluates a value that may hold `${{ }}` templates. A value that is one whole expression keeps its type. */
export function evaluateTemplate(value: unknown, contexts: Record<string, unknown>, state?: EvalState): Json {
  if (typeof value !== 'string') return (value ?? null) as Json;
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value);
  if (whole && !whole[1]!.includes('}}')) return evaluateExpression(whole[1]!, contexts, state);
  return value.replace(TEMPLATE, (_m, expr: string) => stringify(evaluateExpression(expr, contexts, state)));
}

export function evaluateString(value: unknown, contexts: Record<string, unknown>, state?: EvalState): string {
  return stringify(evaluateTemplate(value, contexts, state));
}

/** Whether a condition names a status function (else the runner reads it as `success() && (...)`). */
export function hasStatusFunction(condition: unknown): boolean {
  return typeof condition === 'string' && /\b(success|failure|cancelled|always)\s*\(/.test(condition);
}

/** Evaluates an `if:`; like the runner, a condition without a status function means `success() && (...)`. */
export function evaluateCondition(condition: unknown, contexts: Record<string, unknown>, state: EvalState): boolean {
  if (condition === undefined || condition === null || condition === '') return succeeded(state);
  if (typeof condition === 'boolean') return condition && succeeded(state);
  let source = String(condition).trim();
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(source);
  if (whole) source = whole[1]!.trim();
  if (!hasStatusFunction(source)) source = `success() && (${source})`;
  return isTruthy(evaluateExpression(source, contexts, state));
}

/**
 * Parses the GITHUB_OUTPUT / GITHUB_ENV file format (`k=v` and `k<<DELIM` heredocs). Like the
 * runner, a heredoc whose delimiter line never comes is an error (the step fails).
 */
export function parseCommandFile(text: string, file = 'output'): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delimiter) body.push(lines[i++]!);
      if (i >= lines.length) throw new Error(`Unable to process file command '${file}' successfully: matching delimiter not found '${delimiter}'`);
      result[key] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1);
    else throw new Error(`Unable to process file command '${file}' successfully: invalid format '${line.slice(0, 80)}'`);
  }
  return result;
}
