// The plan action's `mode: next`: where each release of one stage stands in AWS, and the next step
// of the control loop (packages/core/src/next-step.ts). Reads only; a read that fails fails the step.
import type { Config } from '../../../packages/core/src/config.js';
import { nextSteps, type LoopState, type LoopWave, type NextStep, type NextSteps } from '../../../packages/core/src/next-step.js';
import { planWaves, waveJson } from '../../../packages/core/src/planner.js';
import { formatDuration, formatShare } from '../../../packages/core/src/units.js';
import { checkWindow } from '../../../packages/core/src/windows.js';
import { AwsClients } from '../../../packages/aws/src/clients.js';
import { readFunctionTimeouts } from '../../../packages/aws/src/function-timeouts.js';
import { readReleaseState, releaseStateContext } from '../../../packages/aws/src/release-state.js';
import { cellText } from '../../../packages/github/src/summary.js';

export interface NextRequest {
  readonly stage: string;
  /** The commit that passed the stage before (empty: none offered now). */
  readonly candidate: string;
  readonly nowMs: number;
}

/** The waves of `stage` as the loop sees them; the error names the input. */
export function loopWaves(config: Config, stage: string): LoopWave[] {
  const waves = planWaves(config).filter((w) => w.stage === stage);
  if (waves.length === 0) throw new Error(`input stage: "${stage}" is not a stage of the config (stages: ${config.stages.map((s) => s.name).join(', ')})`);
  return waves.map((w) => ({ id: w.id, stage: w.stage, regions: w.regions, traffic: w.traffic, bakeMs: w.bake.durationMs }));
}

export async function decideNext(config: Config, request: NextRequest): Promise<{ state: LoopState; result: NextSteps }> {
  const waves = loopWaves(config, request.stage);
  const planned = planWaves(config).filter((w) => w.stage === request.stage);
  const regions = [...new Set(waves.flatMap((w) => w.regions))];
  const clients = new AwsClients({ caller: 'plan' });
  const storePath = process.env.SAFE_DEPLOY_STORE_PATH?.trim();
  const ctx = releaseStateContext({ clients, ...(storePath ? { storePath } : {}) });
  const snapshot = await readReleaseState(ctx, { service: config.service, alias: config.alias, functions: config.functions, regions });
  // A bake is due after its duration, the longest function timeout (of the version each alias serves)
  // and the metrics delay: bake-gate verify would otherwise watch out the rest itself.
  const timeouts = await readFunctionTimeouts(
    clients,
    Object.values(snapshot).flatMap((r) => r.aliases.map((a) => ({ region: r.region, function: a.function, version: a.record?.candidate ?? a.version }))),
  );
  const settleMs = timeouts.maxMs + Math.max(...planned.map((w) => w.bake.metricsDelayMs));
  const window = checkWindow(config.windows, request.nowMs);
  const state: LoopState = {
    service: config.service,
    alias: config.alias,
    waves,
    regions: snapshot,
    candidate: request.candidate || null,
    nowMs: request.nowMs,
    settleMs,
    window: { open: window.open, reason: window.reason, nextOpenMs: window.nextOpenMs },
  };
  return { state, result: nextSteps(state) };
}

/**
 * One entry per bake to verify, with exactly the bake-gate inputs it needs (a matrix leg of loop.yml):
 * the deployment rebuilt from the aliases and the wave's bake from the config.
 */
export function verifyEntries(config: Config, steps: readonly NextStep[]): Record<string, string>[] {
  const planned = planWaves(config);
  return steps.flatMap((s) => {
    const wave = planned.find((w) => w.id === s.wave);
    if (s.kind !== 'verify' || !wave) return [];
    const json = waveJson(wave);
    const bounds = config.alarms.onebox;
    return [{
      wave: s.wave,
      commit: s.commit,
      deployment: JSON.stringify(s.deployment),
      duration: json.duration,
      'min-invocations': String(json['min-invocations']),
      'metrics-delay': json['metrics-delay'],
      alarms: config.alarms.rollback.join(','),
      'max-error-rate': wave.onebox && bounds.errorRate !== undefined ? formatShare(bounds.errorRate) : '',
      'max-p99-duration': wave.onebox && bounds.p99DurationMs !== undefined ? formatDuration(bounds.p99DurationMs) : '',
    }];
  });
}

/** The job summary: one row per wave with what it holds and what happens next. */
export function nextMarkdown(state: LoopState, result: NextSteps): string {
  const lines = [`## safe-deploy next step: ${state.service} ${state.waves[0]?.stage ?? ''}`, ''];
  lines.push(`Candidate from the stage before: ${state.candidate ? `\`${cellText(state.candidate.slice(0, 12))}\`` : 'none'} · deploy window: ${cellText(state.window.reason)}`, '');
  lines.push('| wave | regions | holds | next |', '| --- | --- | --- | --- |');
  for (const wave of state.waves) {
    const holds = [...new Set(wave.regions.flatMap((r) => (state.regions[r]?.aliases ?? []).map((a) => (a.record ? `${a.record.commit} ${a.record.state} ${Math.round(a.record.weight * 1000) / 10}%` : `v${a.version} (no record)`))))];
    const steps = result.steps.filter((s) => s.wave === wave.id).map((s) => `**${s.kind}** ${s.reason}`);
    lines.push(`| ${wave.id} | ${wave.regions.join(', ')} | ${cellText(holds.join('; '))} | ${cellText(steps.join('; ') || 'at rest, nothing new')} |`);
  }
  lines.push('', result.nextRunMs !== null ? `Next run due: ${new Date(result.nextRunMs).toISOString()}.` : 'Nothing pending.', '');
  return lines.join('\n');
}
