// Events the local workflow runner (workflow-runner.ts) can be asked to fire besides a call:
// `schedule` (which cron lines of `on.schedule` fire at a given UTC minute) and `workflow_dispatch`
// (its inputs checked and typed the way GitHub does before a run is created).
import type { Json, JsonObject } from './workflow-expressions.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function field(text: string, min: number, max: number, names: string[], offset: number, what: string): Set<number> {
  const values = new Set<number>();
  const value = (token: string) => {
    const named = names.indexOf(token.toLowerCase());
    const n = named >= 0 ? named + offset : Number(token);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`cron ${what}: ${JSON.stringify(token)} is not in ${min}-${max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron ${what}: bad step in ${JSON.stringify(part)}`);
    let [from, to] = [min, max];
    if (range !== '*') {
      const [a, b] = range.split('-') as [string, string | undefined];
      from = value(a);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
    }
    for (let n = from; n <= to; n += step) values.add(n);
  }
  return values;
}

/** Whether a POSIX cron line (as `on.schedule[].cron`, evaluated in UTC) fires in the minute of `at`. */
export function cronMatches(cron: string, at: Date): boolean {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron ${JSON.stringify(cron)}: expected 5 fields`);
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  const days = field(dow, 0, 7, DAYS, 0, 'day of week');
  if (days.has(7)) days.add(0);
  const domSet = field(dom, 1, 31, [], 0, 'day of month');
  const dayOk =
    dom !== '*' && dow !== '*' ? domSet.has(at.getUTCDate()) || days.has(at.getUTCDay()) : domSet.has(at.getUTCDate()) && days.has(at.getUTCDay());
  return (
    field(minute, 0, 59, [], 0, 'minute').has(at.getUTCMinutes()) &&
    field(hour, 0, 23, [], 0, 'hour').has(at.getUTCHours()) &&
    field(month, 1, 12, MONTHS, 1, 'month').has(at.getUTCMonth() + 1) &&
    dayOk
  );
}

/** The workflow's `on` mapping (a string or list of event names becomes a mapping of nulls). */
export function eventsOf(on: unknown): Record<string, unknown> {
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e) => [String(e), null]));
  return on && typeof on === 'object' ? (on as Record<string, unknown>) : {};
}

/** The cron lines of `on.schedule` that fire at `at`; an error when the workflow has no schedule. */
export function firingCrons(on: unknown, at: Date, path: string): string[] {
  const schedule = eventsOf(on).schedule;
  if (!Array.isArray(schedule) || schedule.length === 0) throw new Error(`${path}: has no on.schedule`);
  return schedule.map((s) => String((s as { cron?: unknown })?.cron ?? '')).filter((cron) => cronMatches(cron, at));
}

interface DispatchInput {
  type?: string;
  required?: boolean;
  default?: unknown;
  options?: unknown[];
}

/**
 * Checks `workflow_dispatch` inputs as GitHub does when a run is requested: unknown names, missing
 * required ones, a choice outside its options and a boolean or number that is not one are refused
 * (no run is created). Returns the `inputs` context (booleans and numbers typed) and the event's
 * `inputs` (every value a string, as in `github.event.inputs`).
 */
export function dispatchInputs(on: unknown, given: Record<string, unknown>, path: string, environments: readonly string[] | null): { inputs: JsonObject; event: Record<string, string> } {
  const events = eventsOf(on);
  if (!('workflow_dispatch' in events)) throw new Error(`${path}: has no on.workflow_dispatch`);
  const declared = ((events.workflow_dispatch as { inputs?: unknown } | null)?.inputs ?? {}) as Record<string, DispatchInput>;
  for (const name of Object.keys(given)) if (!(name in declared)) throw new Error(`${path}: workflow_dispatch input ${name} is not declared`);
  const inputs: JsonObject = {};
  const event: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const what = `${path}: workflow_dispatch input ${name}`;
    let value = given[name];
    if (value === undefined || value === null || value === '') {
      if (spec?.required && (spec.default === undefined || spec.default === '')) throw new Error(`${what} is required`);
      value = spec?.default ?? (spec?.type === 'boolean' ? false : '');
    }
    let typed: Json;
    switch (spec?.type ?? 'string') {
      case 'boolean':
        if (value !== true && value !== false && value !== 'true' && value !== 'false') throw new Error(`${what}: expected true or false, got ${JSON.stringify(value)}`);
        typed = value === true || value === 'true';
        break;
      case 'number': {
        const n = typeof value === 'number' ? value : Number(value);
        if (!Number.isFinite(n)) throw new Error(`${what}: expected a number, got ${JSON.stringify(value)}`);
        typed = n;
        break;
      }
      case 'choice': {
        const options = (spec?.options ?? []).map(String);
        if (!options.includes(String(value))) throw new Error(`${what}: ${JSON.stringify(value)} is not one of ${options.join(', ')}`);
        typed = String(value);
        break;
      }
      case 'environment':
        if (environments && !environments.includes(String(value))) throw new Error(`${what}: no environment ${JSON.stringify(value)} (known: ${environments.join(', ')})`);
        typed = String(value);
        break;
      default:
        typed = String(value);
    }
    inputs[name] = typed;
    event[name] = String(typed);
  }
  return { inputs, event };
}
