// GitHub's own expression evaluator (@actions/expressions) applied to the `if:` conditions and `${{ }}`
// values of our workflows, the way the runner applies them.
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';

const CONTEXTS = ['github', 'inputs', 'steps', 'needs', 'vars', 'matrix', 'env', 'job', 'runner', 'strategy', 'secrets'];

export interface Status {
  failed?: boolean;
  cancelled?: boolean;
}

export function evaluate(source: string, contexts: Record<string, unknown>, status: Status = {}): { value: unknown; truthy: boolean } {
  const infos = ['success', 'failure', 'cancelled', 'always'].map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
  const expr = new Parser(new Lexer(source).lex().tokens, CONTEXTS, infos).parse();
  const fns: Record<string, () => boolean> = {
    success: () => !status.failed && !status.cancelled,
    failure: () => !!status.failed,
    cancelled: () => !!status.cancelled,
    always: () => true,
  };
  const functions = new Map<string, FunctionDefinition>(
    Object.entries(fns).map(([name, fn]) => [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(fn()) }]),
  );
  const context = JSON.parse(JSON.stringify(Object.fromEntries(CONTEXTS.map((c) => [c, contexts[c] ?? {}]))), data.reviver) as data.Dictionary;
  const result = new Evaluator(expr, context, functions).evaluate();
  return { value: JSON.parse(JSON.stringify(result, data.replacer)), truthy: truthy(result) };
}

/** An `if:` as the runner reads it: without a status function it means `success() && (...)`. */
export function condition(text: string, contexts: Record<string, unknown>, status: Status = {}): boolean {
  let source = text.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
  if (!/\b(success|failure|cancelled|always)\s*\(/.test(source)) source = `success() && (${source})`;
  return evaluate(source, contexts, status).truthy;
}

/** A `with:`/output value that is one `${{ }}` expression (null reaches an action as ''). */
export function value(text: string, contexts: Record<string, unknown>): unknown {
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(text.trim());
  if (!whole || whole[1]?.includes('}}')) throw new Error(`not one expression: ${text}`);
  return evaluate(whole[1] as string, contexts).value ?? '';
}

/** A `with:`/env value mixing text and `${{ }}` expressions, as the runner renders it (null → ''). */
export function template(text: string, contexts: Record<string, unknown>): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, source: string) => {
    const result = evaluate(source, contexts).value;
    return result === null || result === undefined ? '' : String(result);
  });
}
