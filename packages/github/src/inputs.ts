// Readers for action inputs. Each one reads one input and either returns a typed value or
// throws an InputError whose message starts with the input's name, so a person reading the
// failed step knows which line of their workflow to fix. Nothing here talks to AWS or GitHub:
// actions read and validate every input before they load an SDK.
import * as core from '@actions/core';
import { checkStorePath } from '../../core/src/guardian-entry.js';
import { parseDuration, parseList, parseShare } from '../../core/src/units.js';

/** Where inputs come from: the runner's INPUT_* variables by default, a map in tests. */
export type InputSource = (name: string) => string;

export const runnerInputs: InputSource = (name) => core.getInput(name);

export class InputError extends Error {
  constructor(
    readonly input: string,
    detail: string,
  ) {
    super(`input ${input}: ${detail}`);
    this.name = 'InputError';
  }
}

/** A source backed by a plain object (tests, local runs). Missing names read as ''. */
export function inputsFrom(values: Record<string, string | undefined>): InputSource {
  return (name) => (values[name] ?? '').trim();
}

export function readString(source: InputSource, name: string, options: { required?: boolean; hint?: string } = {}): string {
  const value = source(name).trim();
  if (options.required && value === '') throw new InputError(name, `is required${options.hint ? `; ${options.hint}` : ''}`);
  return value;
}

/** A list input: newlines or commas, trimmed, empty entries dropped, duplicates refused. */
export function readList(source: InputSource, name: string, options: { required?: boolean; hint?: string } = {}): string[] {
  const items = parseList(source(name));
  if (options.required && items.length === 0) {
    throw new InputError(name, `is empty${options.hint ? `; ${options.hint}` : ''}`);
  }
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item)) throw new InputError(name, `lists "${item}" twice`);
    seen.add(item);
  }
  return items;
}

/** A traffic share such as `10%`, as a fraction 0..1; undefined when the input is empty. */
export function readShare(source: InputSource, name: string): number | undefined {
  const text = source(name).trim();
  if (text === '') return undefined;
  return shareOf(name, text);
}

/** A list of shares such as `10%,50%,100%`, as fractions. */
export function readShares(source: InputSource, name: string): number[] {
  return parseList(source(name)).map((text) => shareOf(name, text));
}

function shareOf(name: string, text: string): number {
  if (/^\d+(\.\d+)?$/.test(text.trim())) {
    throw new InputError(name, `"${text}" has no %; write the share as a percentage (10% for a one-box, 100% to promote), a bare ${text} could mean ${text}% or ${Number(text) * 100}%`);
  }
  try {
    return parseShare(text);
  } catch (error) {
    throw new InputError(name, (error as Error).message);
  }
}

/** A duration such as `90s`, `10m`, `1h30m`, in milliseconds; `fallback` when the input is empty. */
export function readDuration(source: InputSource, name: string, fallback: number): number {
  const text = source(name).trim();
  if (text === '') return fallback;
  try {
    return parseDuration(text);
  } catch (error) {
    throw new InputError(name, (error as Error).message);
  }
}

/** A whole number within bounds; `fallback` when the input is empty. */
export function readInteger(source: InputSource, name: string, fallback: number, bounds: { min?: number; max?: number } = {}): number {
  const text = source(name).trim();
  if (text === '') return fallback;
  if (!/^\d+$/.test(text)) throw new InputError(name, `"${text}" is not a whole number`);
  const value = Number(text);
  if (bounds.min !== undefined && value < bounds.min) throw new InputError(name, `${value} is below the minimum of ${bounds.min}`);
  if (bounds.max !== undefined && value > bounds.max) throw new InputError(name, `${value} is above the maximum of ${bounds.max}`);
  return value;
}

/** One of a fixed set of words; `fallback` when the input is empty. */
export function readChoice<T extends string>(source: InputSource, name: string, choices: readonly T[], fallback: T): T {
  const text = source(name).trim();
  if (text === '') return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new InputError(name, `"${text}" is not one of ${choices.map((c) => `\`${c}\``).join(', ')}`);
  }
  return text as T;
}

/** A boolean written as true/false (YAML 1.2 core schema, as the runner passes it). */
export function readBoolean(source: InputSource, name: string, fallback: boolean): boolean {
  const text = source(name).trim();
  if (text === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  throw new InputError(name, `"${text}" is not true or false`);
}

/** A Lambda version named by an input: a number, `function:number`, or a qualified function ARN. */
export interface VersionRef {
  readonly version: string;
  /** The function the reference names, when it names one. */
  readonly function?: string;
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether `name` is a Lambda function name (not an ARN). */
export function isFunctionName(name: string): boolean {
  return FUNCTION_NAME.test(name);
}

/**
 * Reads a published Lambda version: `7`, `orders-api:7` or `arn:aws:lambda:us-east-1:123456789012:function:orders-api:7`.
 * `$LATEST` is refused: it is not a version (aliases with routing and rollbacks need published code).
 */
export function parseVersionRef(name: string, text: string): VersionRef {
  const value = text.trim();
  const latest = (v: string) => v.toUpperCase() === '$LATEST';
  if (latest(value) || latest(value.split(':').pop() ?? '')) {
    throw new InputError(name, `"${value}" is not a published version: $LATEST changes with every code update, so a rollout or rollback needs a version number such as 7`);
  }
  if (/^\d+$/.test(value)) return { version: value };
  const arn = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,64}):(\d+)$/.exec(value);
  if (arn) return { version: arn[2] as string, function: arn[1] as string };
  const qualified = /^([A-Za-z0-9_-]{1,64}):(\d+)$/.exec(value);
  if (qualified) return { version: qualified[2] as string, function: qualified[1] as string };
  throw new InputError(name, `"${value}" is not a version; write a published version number such as 7 (or FUNCTION:7, or a qualified function ARN)`);
}

/** Checks that a version reference belongs to the target functions; the error names the input. */
export function checkVersionOwner(name: string, ref: VersionRef, functions: readonly string[]): void {
  if (ref.function === undefined) return;
  if (!functions.includes(ref.function)) {
    throw new InputError(
      name,
      `version ${ref.version} belongs to function ${ref.function}, which is not a target here (targets: ${functions.join(', ')}); versions are numbered per function`,
    );
  }
  const others = functions.filter((f) => f !== ref.function);
  if (others.length > 0) {
    throw new InputError(
      name,
      `${ref.function}:${ref.version} is a version of ${ref.function} only, but the targets also include ${others.join(', ')}; give a plain version number or target ${ref.function} alone`,
    );
  }
}

/** SAFE_DEPLOY_STORE_PATH, checked (undefined when unset: the store's default /safe-deploy). */
export function readStorePath(env: NodeJS.ProcessEnv): string | undefined {
  const text = (env.SAFE_DEPLOY_STORE_PATH ?? '').trim();
  if (text === '') return undefined;
  try {
    return checkStorePath(text, 'SAFE_DEPLOY_STORE_PATH');
  } catch (error) {
    throw new Error(`environment ${(error as Error).message}`);
  }
}
