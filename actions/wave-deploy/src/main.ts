// wave-deploy: publish the candidate in every region of a wave and move the alias to the wave's share.
// Reads and checks every input first (no SDK loaded yet), then hands the wave to deploy.ts.
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { InputError, runnerInputs, type InputSource } from '../../../packages/github/src/inputs.js';
import type { WavePlan } from '../../../packages/deploy/src/wave.js';
import { Interrupt } from './interrupt.js';
import { checkShares, readWaveRequest, type WaveRequest } from './request.js';
import { failureReport, waveSummary } from './report.js';

/** Turns the request into the concrete wave: config + stage + wave resolved through the planner. */
export async function resolvePlan(request: WaveRequest, readText: (path: string) => string = (path) => readFileSync(path, 'utf8')): Promise<WavePlan> {
  const common = { code: request.code, stepWaitMs: request.stepWaitMs, maxParallel: request.maxParallel, commit: request.commit, run: request.run, leaseMs: request.leaseMs, stopAlarms: request.stopAlarms, storePath: request.storePath };
  if (request.targets.kind === 'explicit') {
    return { ...common, unqualifiedTriggers: request.unqualifiedTriggers ?? 'refuse', functions: request.targets.functions, regions: request.targets.regions, alias: request.targets.alias, steps: request.steps, alarms: request.alarms ?? [], environment: request.environment };
  }
  const { config: file, stage, wave: waveId } = request.targets;
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    throw new InputError('config', `cannot read ${file}: ${(error as Error).message}`);
  }
  // yaml and the config schema load only when a config is used.
  const [{ loadConfigText, formatProblems }, { findWave }] = await Promise.all([
    import('../../../packages/core/src/config-loader.js'),
    import('../../../packages/core/src/planner.js'),
  ]);
  const loaded = loadConfigText(file, text);
  if (!loaded.ok) throw new InputError('config', `${loaded.problems.length} problem(s), nothing was deployed:\n${formatProblems(loaded.problems)}`);
  const config = loaded.config;
  let wave;
  try {
    wave = findWave(config, stage, waveId);
  } catch (error) {
    const message = (error as Error).message;
    throw new InputError(/^no stage/.test(message) ? 'stage' : 'wave', message);
  }
  const shares = checkShares(request.traffic ?? wave.traffic, request.steps, wave.onebox);
  if (request.code.kind === 'version' && request.code.ref.function && !config.functions.includes(request.code.ref.function)) {
    throw new InputError('version', `version ${request.code.ref.version} belongs to function ${request.code.ref.function}, which is not in ${file} (functions: ${config.functions.join(', ')})`);
  }
  return {
    ...common,
    service: config.service,
    stage,
    wave: waveId,
    functions: config.functions,
    regions: wave.regions,
    alias: request.targets.alias ?? config.alias,
    steps: shares.steps,
    alarms: request.alarms ?? config.alarms.rollback,
    environment: request.environment === stage ? wave.environment : request.environment,
    unqualifiedTriggers: request.unqualifiedTriggers ?? config.unqualifiedTriggers ?? 'refuse',
  };
}

export async function run(inputs: InputSource = runnerInputs): Promise<void> {
  const interrupt = new Interrupt((signal) => {
    core.warning(`received ${signal}: the alias write in flight finishes, no new write starts; the report below says where every alias stands`);
  }).install();
  try {
    const plan = await resolvePlan(readWaveRequest(inputs));
    core.info(
      `wave ${plan.wave ?? '(explicit)'}: ${plan.functions.join(', ')} in ${plan.regions.join(', ')}, alias ${plan.alias}, ` +
        `traffic ${plan.steps.map((s) => `${Math.round(s * 100_000) / 1000}%`).join(' → ')}, commit ${plan.commit}`,
    );
    // The AWS SDK loads only now, after every input was found valid.
    const { deployWave } = await import('../../../packages/deploy/src/wave.js');
    const result = await deployWave(plan, {
      logger: { info: (m) => core.info(m), warn: (m) => core.warning(m) },
      interrupt,
      onPlanned: (deployment) => core.setOutput('deployment', JSON.stringify(deployment)),
    });
    if (result.deployment) core.setOutput('deployment', JSON.stringify(result.deployment));
    await core.summary.addRaw(waveSummary(result), true).write();
    if (result.outcome !== 'deployed') core.setFailed(failureReport(result));
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  } finally {
    interrupt.uninstall();
  }
}
