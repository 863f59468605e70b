// The argument list of `npm run demo -- --scenario NAME [options]`.
import { resolve } from 'node:path';
import { MotoMissingError, type MotoServer } from './moto.js';
import { OVERLAP_TIME_SCALE, runOverlap } from './overlap.js';

export const SCENARIOS = ['overlap'] as const;

const USAGE = [
  'usage: npm run demo -- --scenario overlap [--report-dir DIR] [--time-scale N]',
  '  overlap            three releases merged seconds apart (healthy, bad, healthy) through the control loop,',
  '                     with 1 h one-box, 12 h first-region and 3 h later-wave bakes (docs/overlap.md)',
  '  --report-dir DIR   where alias-log.jsonl, releases.json and overlap.md go (default demo-report/)',
  `  --time-scale N     production seconds per local second (default ${OVERLAP_TIME_SCALE}: one production hour is ${3600 / OVERLAP_TIME_SCALE} local seconds)`,
].join('\n');

/** Runs a scenario; returns the exit status (2 for a refused argument list). */
export async function overlapMain(args: readonly string[], scenario: string | undefined, start: { moto?: Promise<MotoServer>; startedAt?: number } = {}): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let problem: string | undefined;
  if (!scenario || !(SCENARIOS as readonly string[]).includes(scenario)) problem = `--scenario needs one of: ${SCENARIOS.join(', ')}${scenario ? ` (got ${scenario})` : ''}`;
  let reportDir: string | undefined;
  let timeScale: number | undefined;
  for (let i = 0; !problem && i < args.length; i++) {
    const arg = args[i]!;
    const value = args[i + 1];
    if (arg === '--report-dir' && value !== undefined && !value.startsWith('--')) {
      reportDir = resolve(value);
      i++;
    } else if (arg === '--time-scale') {
      if (value === undefined || !/^\d+(?:\.\d+)?$/.test(value) || Number(value) <= 0) problem = '--time-scale needs a positive number (production seconds per local second)';
      else timeScale = Number(value);
      i++;
    } else {
      problem = arg === '--report-dir' ? '--report-dir needs a value' : `unknown argument for --scenario ${scenario}: ${arg}`;
    }
  }
  if (problem) {
    process.stderr.write(`demo: ${problem}\n${USAGE}\n`);
    return 2;
  }
  try {
    const result = await runOverlap({ ...(reportDir ? { reportDir } : {}), ...(timeScale ? { timeScale } : {}), ...start });
    return result.ok ? 0 : 1;
  } catch (error) {
    const text = error instanceof MotoMissingError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`demo failed: ${text}\n`);
    return 1;
  }
}
