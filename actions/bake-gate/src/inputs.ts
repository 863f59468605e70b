// Reads and validates every bake-gate input before any AWS module is loaded.
import { parseAlarmRefs, type AlarmRefs } from '../../../packages/core/src/alarms.js';
import { bakePolicy, type BakePolicy, type BakePolicyInput } from '../../../packages/core/src/bake.js';
import { judgeSettings, parseEffect } from '../../../packages/core/src/judge.js';
import { parseDeployment, type Deployment } from '../../../packages/core/src/deployment.js';
import { parseDuration, parseList, parseShare } from '../../../packages/core/src/units.js';

export type Input = (name: string) => string;

/** How long CloudWatch keeps alarm history (AlarmThatSendsEmail.html): two weeks. */
export const HISTORY_RETENTION_MS = 14 * 86_400_000;

export interface BakeGateInputs {
  readonly deployment: Deployment;
  readonly policy: BakePolicy;
  readonly refs: AlarmRefs;
  readonly mode: 'watch' | 'verify';
  /** Epoch ms the bake window starts. */
  readonly since: number;
  readonly config: string;
  /** Environment named in the rollback command of the summary. */
  readonly environment: string;
  /** The wave's last bake: a pass ends the deployment's lease (input `final`, default true). */
  readonly final: boolean;
  /** What the policy was made of, so the config's `judge:` section can fill what the inputs leave empty. */
  readonly policyInput: BakePolicyInput;
}

/** The config's `judge:` section (docs/config.md): used where the bake-gate inputs are empty. */
export interface ConfigJudge {
  readonly falsePositiveRate?: number;
  readonly minEffect?: number;
  readonly maxP99OverStable?: number;
}

function named<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith(`input ${name}`) ? message : `input ${name}: ${message}`);
  }
}

function duration(input: Input, name: string): number | null {
  const text = input(name).trim();
  if (text === '') return null;
  return named(name, () => parseDuration(text));
}

function share(input: Input, name: string): number | null {
  const text = input(name).trim();
  if (text === '') return null;
  return named(name, () => parseShare(text));
}

export function readInputs(input: Input, now: number): BakeGateInputs {
  const deploymentText = input('deployment').trim();
  if (deploymentText === '') throw new Error('input deployment: is required; pass the `deployment` output of wave-deploy');
  const deployment = parseDeployment(deploymentText, 'deployment');

  const durationMs = duration(input, 'duration');
  if (durationMs === null) throw new Error('input duration: is required, for example 10m or 1h30m');
  const minText = input('min-invocations').trim() || '100';
  if (!/^\d+$/.test(minText) || Number(minText) < 1) {
    throw new Error(`input min-invocations: "${minText}" is not a whole number of at least 1; a bake never passes on "no errors seen"`);
  }
  const mode = (input('mode').trim() || 'watch').toLowerCase();
  if (mode !== 'watch' && mode !== 'verify') throw new Error(`input mode: "${mode}" is neither watch nor verify`);
  const failOnText = (input('fail-on-insufficient-data').trim() || 'false').toLowerCase();
  if (failOnText !== 'true' && failOnText !== 'false') throw new Error(`input fail-on-insufficient-data: "${failOnText}" is neither true nor false`);

  const finalText = (input('final').trim() || 'true').toLowerCase();
  if (finalText !== 'true' && finalText !== 'false') throw new Error(`input final: "${finalText}" is neither true nor false`);

  const values = {
    durationMs,
    minInvocations: Number(minText),
    maxWaitMs: duration(input, 'max-wait'),
    pollIntervalMs: duration(input, 'poll-interval') ?? 30_000,
    maxErrorRate: share(input, 'max-error-rate'),
    maxErrorRateOverStable: share(input, 'max-error-rate-over-stable'),
    maxP99Ms: duration(input, 'max-p99-duration'),
    failOnInsufficientData: failOnText === 'true',
    lookBackMs: duration(input, 'look-back') ?? undefined,
    metricsDelayMs: duration(input, 'metrics-delay'),
    maxP99OverStable: share(input, 'max-p99-over-stable'),
    ...judgeInput(input),
  };
  // The judge's own checks, with the input named.
  const judge = values.judge;
  if (judge?.falsePositiveRate != null) named('false-positive-rate', () => judgeSettings({ falsePositiveRate: judge.falsePositiveRate }));
  if (judge?.minEffect != null) named('min-effect', () => judgeSettings({ minEffect: judge.minEffect }));
  // The remaining policy checks concern how max-wait relates to the duration.
  const policy = named('max-wait', () => bakePolicy(values));
  if (policy.pollIntervalMs < 1000) throw new Error('input poll-interval: must be at least 1s');

  const refs = parseAlarmRefs(parseList(input('alarms')), 'alarms');

  const sinceText = input('since').trim();
  const since = named('since', () => {
    const text = sinceText || deployment.shiftedAt;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new Error(`"${text}" is not an ISO time such as 2026-11-26T09:00:00Z`);
    if (ms > now + 60_000) throw new Error(`${text} is in the future`);
    // CloudWatch keeps alarm history two weeks: an older window would miss alarms without failing.
    if (mode === 'verify' && ms < now - HISTORY_RETENTION_MS) {
      throw new Error(
        `${text}${sinceText ? '' : " (the deployment's shiftedAt)"} is more than 14 days ago; CloudWatch keeps alarm history for two weeks, so verify mode cannot see every alarm of that window. Verify a window that started within 14 days`,
      );
    }
    return Math.min(ms, now);
  });

  return {
    deployment,
    policy,
    refs,
    mode,
    since,
    config: input('config').trim(),
    environment: input('environment').trim() || deployment.stage || 'ENVIRONMENT',
    final: finalText === 'true',
    policyInput: values,
  };
}

/** The judge's inputs: given (either of them) turns the judge on, even beside a threshold. */
function judgeInput(input: Input): Pick<BakePolicyInput, 'judge'> {
  const falsePositiveRate = share(input, 'false-positive-rate');
  const minText = input('min-effect').trim();
  const minEffect = minText === '' ? null : named('min-effect', () => parseEffect(minText));
  if (falsePositiveRate === null && minEffect === null) return {};
  return { judge: { falsePositiveRate, minEffect } };
}

/**
 * The inputs with the config's `judge:` section filled in where the inputs are empty; a section
 * that names the level or the effect turns the judge on like the inputs do.
 */
export function withConfigJudge(inputs: BakeGateInputs, judge: ConfigJudge | undefined): BakeGateInputs {
  if (!judge) return inputs;
  const given = inputs.policyInput.judge ?? null;
  const falsePositiveRate = given?.falsePositiveRate ?? judge.falsePositiveRate ?? null;
  const minEffect = given?.minEffect ?? judge.minEffect ?? null;
  const values: BakePolicyInput = {
    ...inputs.policyInput,
    maxP99OverStable: inputs.policyInput.maxP99OverStable ?? judge.maxP99OverStable ?? null,
    ...(falsePositiveRate !== null || minEffect !== null ? { judge: { falsePositiveRate, minEffect } } : {}),
  };
  return { ...inputs, policyInput: values, policy: named('config', () => bakePolicy(values)) };
}
