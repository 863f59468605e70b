// Shared pieces of the adversarial suite: the hostile strings, a canary directory that any
// executed payload would write into, and the checks every case makes (nothing executed, no forged
// output, no write request at the fault proxy).
import { expect } from '@jest/globals';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultProxy } from '../../packages/local/src/fault-proxy.js';

/** Write operations at the fault proxy: none may be seen where a case must write nothing. */
export const WRITE_OPERATIONS = ['UpdateAlias', 'CreateAlias', 'DeleteAlias', 'PublishVersion', 'UpdateFunctionCode', 'UpdateFunctionConfiguration', 'CreateFunction', 'PutMetricAlarm', 'SetAlarmState', 'DeleteAlarms'];

/** A directory that stays empty unless a payload reached a shell. */
export function canaryDir(): string {
  return mkdtempSync(join(tmpdir(), 'sd-adv-canary-'));
}

/**
 * The hostile strings, each of which creates a file in `canary` if any shell (or `eval`) ever runs it,
 * plus the strings that try to forge runner commands and GITHUB_OUTPUT lines.
 */
export function payloads(canary: string): Record<string, string> {
  return {
    'command substitution': `$(touch ${canary}/dollar)`,
    backticks: `\`touch ${canary}/backtick\``,
    'quote break-out': `";touch ${canary}/quote;#`,
    'single quote break-out': `';touch ${canary}/single;#`,
    'expression': '${{ secrets.X }}',
    'forged output lines': 'x\nrolled-back=forged\nresult=baked\ndeployment=forged\ncomplete=true',
    'forged heredoc and command': 'x\ncomplete<<EOF\ntrue\nEOF\n::set-output name=result::baked\n::error::forged',
    everything: `live$(touch ${canary}/all1)\`touch ${canary}/all2\`";touch ${canary}/all3;#\${{ secrets.X }}\nrolled-back=forged`,
  };
}

/** Fails when any payload reached a shell. */
export function expectNothingExecuted(canary: string): void {
  expect(readdirSync(canary)).toEqual([]);
}

/** Outputs an action may write: only names it declares, and never a forged value. */
export function expectNoForgedOutputs(outputs: Record<string, string>, declared: readonly string[]): void {
  for (const name of Object.keys(outputs)) expect(declared).toContain(name);
  for (const value of Object.values(outputs)) expect(value).not.toMatch(/^forged$|\nrolled-back=forged|^baked\n/);
}

export function expectNoWrites(proxy: FaultProxy): void {
  const writes = proxy.log.filter((entry) => WRITE_OPERATIONS.includes(entry.operation)).map((entry) => `${entry.operation} ${entry.region}`);
  expect(writes).toEqual([]);
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}
