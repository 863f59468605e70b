// sentinel: the guardian's scheduled sweep, run by a GitHub schedule for teams that have not
// installed the guardian (docs/guardian.md, "When it is not installed"). Thin: read and check the
// inputs and the config, run the sweep over the regions (sweep.ts), set the outputs, write a job
// summary naming every alias's state, fail the step when something was reported or failed (so the
// schedule notifies). With `targets-only: true` it only lists the config's stages and their
// environments (for the workflow's matrix) and makes no AWS call.
import { isRegion } from '../../../packages/core/src/regions.js';
import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { AlarmRefs } from '../../../packages/core/src/alarms.js';
import { ConfigError, formatProblem, loadConfigText } from '../../../packages/core/src/config-loader.js';
import type { Config } from '../../../packages/core/src/config.js';
import { DEFAULT_STORE_PATH, checkStorePath } from '../../../packages/core/src/guardian-entry.js';
import { parseStopAlarms } from '../../../packages/core/src/guardian.js';
import { logSafe } from '../../../packages/core/src/log-safe.js';
import { InputError, readBoolean, readList, readString, runnerInputs, type InputSource } from '../../../packages/github/src/inputs.js';
import { markdownTable } from '../../../packages/github/src/summary.js';
import type { AliasReport, SentinelReport } from './sweep.js';


export interface StageTarget {
  readonly stage: string;
  readonly environment: string;
  readonly regions: readonly string[];
}

export interface SentinelInputs {
  readonly targetsOnly: boolean;
  readonly configFile: string;
  /** The stages swept (or listed), from the config; empty when `regions` is given without a config. */
  readonly targets: readonly StageTarget[];
  readonly regions: readonly string[];
  readonly storePath: string;
  readonly stop: AlarmRefs;
  /** True when there is no config and no `regions`: nothing to watch (the schedule of a repository without one). */
  readonly nothing: boolean;
}

async function readConfigFile(file: string): Promise<string | null> {
  const base = process.env['GITHUB_WORKSPACE'] || process.cwd();
  try {
    return await readFile(isAbsolute(file) ? file : resolve(base, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`config: cannot read ${file} (${(error as Error).message})`);
  }
}

/** The config's stages that `wanted` names (all when empty); an unknown name is an input error. */
export function stageTargets(config: Config, wanted: readonly string[]): StageTarget[] {
  const unknown = wanted.filter((w) => !config.stages.some((s) => s.name === w));
  if (unknown.length > 0) throw new InputError('stages', `no stage ${unknown.join(', ')} in the config (stages: ${config.stages.map((s) => s.name).join(', ')})`);
  return config.stages.filter((s) => wanted.length === 0 || wanted.includes(s.name)).map((s) => ({ stage: s.name, environment: s.environment, regions: [...s.regions] }));
}

/** Reads and checks every input before any AWS call; errors name the input (config: file:line:col). */
export async function readInputs(source: InputSource = runnerInputs, env: NodeJS.ProcessEnv = process.env): Promise<SentinelInputs> {
  const targetsOnly = readBoolean(source, 'targets-only', false);
  const configFile = readString(source, 'config') || '.github/safe-deploy.yml';
  const wanted = readList(source, 'stages');
  const given = readList(source, 'regions');
  for (const region of given) if (!isRegion(region)) throw new InputError('regions', `"${logSafe(region, 80)}" is not an AWS region name (like us-east-1)`);
  const storePath = checkStorePath(readString(source, 'store-path') || (env.SAFE_DEPLOY_STORE_PATH ?? '').trim() || DEFAULT_STORE_PATH, 'input store-path');
  const stopText = readString(source, 'stop-alarms');
  let stop: AlarmRefs;
  try {
    stop = parseStopAlarms(stopText || env.SAFE_DEPLOY_STOP_ALARMS);
  } catch (error) {
    throw new Error(`${stopText ? 'input stop-alarms' : 'environment SAFE_DEPLOY_STOP_ALARMS'}: ${(error as Error).message}`);
  }

  const text = given.length > 0 && wanted.length === 0 && !targetsOnly ? null : await readConfigFile(configFile);
  if (text === null) {
    if (wanted.length > 0) throw new InputError('stages', `names stages but there is no config at ${configFile} (input config)`);
    return { targetsOnly, configFile, targets: [], regions: given, storePath, stop, nothing: given.length === 0 };
  }
  const loaded = loadConfigText(configFile, text);
  if (!loaded.ok) throw new ConfigError(loaded.problems);
  const targets = stageTargets(loaded.config, wanted);
  const regions = given.length > 0 ? given : [...new Set(targets.flatMap((t) => t.regions))];
  return { targetsOnly, configFile, targets, regions, storePath, stop, nothing: false };
}

const MARK: Record<AliasReport['state'], string> = {
  'rolled-back': '✅ rolled back',
  already: '✅ already rolled back (no write)',
  failed: '❌ rollback failed',
  watch: '👀 in flight, nothing fires',
  skip: '⏭️ at rest',
  report: '⚠️ cannot be judged, skipped',
};

const HEADLINE: Record<SentinelReport['state'], string> = {
  clean: '✅ nothing to roll back',
  'rolled-back': '✅ rolled back every in-flight alias whose check fired',
  reported: '⚠️ rolled back what could be judged; some aliases could not be',
  failed: '❌ not everything could be swept or rolled back',
};

/** Where an alias line points: `function:alias`, a watched deployment's alias, or the store entry. */
function aliasName(a: AliasReport): string {
  if (a.function) return `${a.function}:${a.alias ?? '-'}`;
  return a.alias ? `(deployment on alias ${a.alias})` : '(store entry)';
}

export function sentinelSummary(inputs: SentinelInputs, report: SentinelReport): string {
  const lines = [
    `## sentinel: ${HEADLINE[report.state]}`,
    '',
    `The guardian's sweep, run from this job in ${inputs.regions.length} region(s) over the deployment store \`${inputs.storePath}\`${inputs.targets.length ? ` (config stages ${inputs.targets.map((t) => t.stage).join(', ')})` : ''}. Acted: **sentinel** (GitHub schedule).`,
    '',
    markdownTable(
      ['Region', 'Swept'],
      report.regions.map((r) => [r.region, `${r.ok ? '' : '❌ '}${r.result}${r.notes.length ? ` (${r.notes.join('; ')})` : ''}`]),
    ),
    '',
  ];
  if (report.aliases.length > 0) {
    lines.push(
      markdownTable(
        ['Region', 'Alias', 'Deployment', 'State', 'Transition', 'Cause', 'Reason'],
        report.aliases.map((a) => [a.region, aliasName(a), a.deployment, MARK[a.state], a.transition, a.cause, a.reason]),
      ),
      '',
    );
  }
  return lines.join('\n') + '\n';
}

function count(report: SentinelReport, state: AliasReport['state']): number {
  return report.aliases.filter((a) => a.state === state).length;
}

export async function run(source: InputSource = runnerInputs): Promise<void> {
  try {
    const inputs = await readInputs(source);
    if (inputs.targetsOnly) {
      core.setOutput('targets', JSON.stringify(inputs.targets));
      core.setOutput('count', String(inputs.targets.length));
      for (const t of inputs.targets) core.info(`${t.stage} (environment ${t.environment}): ${t.regions.join(', ')}`);
      if (inputs.nothing) await core.summary.addRaw(`No safe-deploy config at ${inputs.configFile}: nothing to watch.\n`).write();
      return;
    }
    if (inputs.nothing || inputs.regions.length === 0) {
      core.setOutput('state', 'clean');
      core.setOutput('rolled-back', '0');
      core.setOutput('reported', '0');
      core.setOutput('aliases', '[]');
      core.info(`No safe-deploy config at ${inputs.configFile} and no regions input: nothing to watch.`);
      await core.summary.addRaw(`No safe-deploy config at ${inputs.configFile}: nothing to watch.\n`).write();
      return;
    }

    const { AwsClients } = await import('../../../packages/aws/src/clients.js');
    const { sweepRegions } = await import('./sweep.js');
    const clients = new AwsClients({ caller: 'sentinel' });
    let report: SentinelReport;
    try {
      report = await sweepRegions({ regions: inputs.regions, storePath: inputs.storePath, stop: inputs.stop, clients, runId: (process.env.GITHUB_RUN_ID ?? 'local').replace(/[^A-Za-z0-9-]/g, '') || 'local' });
    } finally {
      clients.destroy();
    }

    for (const r of report.regions) core.info(`${r.region}: ${r.result}`);
    for (const a of report.aliases) {
      if (a.state === 'watch' || a.state === 'skip') continue;
      const line = `${a.region} ${aliasName(a)}: ${a.state}${a.cause ? ` (${a.cause})` : ''}: ${a.reason}`;
      if (a.state === 'report') core.warning(line, { title: 'sentinel: skipped, cannot be judged' });
      else if (a.state === 'failed') core.error(line, { title: 'sentinel: rollback failed' });
      else core.info(line);
    }
    core.setOutput('state', report.state);
    core.setOutput('rolled-back', String(count(report, 'rolled-back')));
    core.setOutput('reported', String(count(report, 'report')));
    core.setOutput('aliases', JSON.stringify(report.aliases));
    await core.summary.addRaw(sentinelSummary(inputs, report)).write();

    if (report.state === 'failed' || report.state === 'reported') {
      const failedRegions = report.regions.filter((r) => !r.ok).map((r) => r.region);
      core.setFailed(
        `sentinel: ${count(report, 'rolled-back')} alias(es) rolled back; ${count(report, 'failed')} rollback(s) failed, ${count(report, 'report')} alias(es) or store entries could not be judged${failedRegions.length ? `, region(s) ${failedRegions.join(', ')} not swept` : ''} (see the job summary; fix the record or entry, or roll back by hand with the rollback workflow)`,
      );
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) core.error(formatProblem(problem), { title: 'safe-deploy config', file: problem.file, startLine: problem.line, startColumn: problem.column });
      core.setFailed(`sentinel: ${error.problems.length} problem(s) in ${error.problems[0]?.file ?? 'the config'} (listed above); nothing was swept`);
      return;
    }
    core.setFailed(`sentinel: ${(error as Error).message}`);
  }
}
