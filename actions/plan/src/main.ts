// The plan action: read the config, check it, print the pipeline, output the waves.
// A broken config fails the step with one annotation per problem (file, line, column, path) and
// sets no output, so no later job can deploy from a half-read config.
import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';

async function readConfig(file: string): Promise<string> {
  const base = process.env['GITHUB_WORKSPACE'] || process.cwd();
  const path = isAbsolute(file) ? file : resolve(base, file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new Error(`config: cannot read ${file} (${why}); check out the repository first (actions/checkout) and set the config input to the path of your safe-deploy config`);
  }
}

/**
 * `mode: next`: reads the aliases and the guardian's store entries of one stage and outputs the
 * control loop's next steps (docs/workflows.md, "The control loop").
 */
async function runNext(config: import('../../../packages/core/src/config.js').Config): Promise<void> {
  const stage = core.getInput('stage').trim() || (config.stages.at(-1)?.name ?? '');
  const candidate = core.getInput('candidate').trim();
  if (candidate !== '' && !/^[0-9a-f]{7,40}$/i.test(candidate)) throw new Error(`input candidate: "${candidate.slice(0, 60)}" is not a commit id`);
  const { decideNext, nextMarkdown, verifyEntries } = await import('./next.js');
  const { passedStage } = await import('../../../packages/core/src/next-step.js');
  const { state, result } = await decideNext(config, { stage, candidate, nowMs: Date.now() });
  const passed = passedStage(state);
  for (const step of result.steps) core.info(`${step.kind} ${step.wave} ${step.commit ?? ''}: ${step.reason}`);
  if (result.steps.length === 0) core.info(`${stage}: every wave at rest, nothing new to deploy`);
  core.setOutput('next', JSON.stringify(result.steps));
  core.setOutput('deploy', JSON.stringify(result.steps.filter((s) => s.kind === 'deploy').map((s) => ({ wave: s.wave, commit: s.commit }))));
  core.setOutput('verify', JSON.stringify(verifyEntries(config, result.steps)));
  core.setOutput('next-run', result.nextRunMs === null ? '' : new Date(result.nextRunMs).toISOString());
  core.setOutput('passed', passed ?? '');
  await core.summary.addRaw(nextMarkdown(state, result)).write();
  const blocked = result.steps.filter((s) => s.kind === 'blocked');
  if (blocked.length > 0) core.setFailed(blocked.map((s) => `${s.wave}: ${s.reason}`).join('\n'));
}

export async function run(): Promise<void> {
  try {
    const file = core.getInput('config').trim();
    if (file === '') throw new Error('config: the input is empty; set it to the path of the safe-deploy config, such as .github/safe-deploy.yml');
    const text = await readConfig(file);

    // Loaded only now: the schema, the YAML parser and the planner are most of the bundle.
    const { planFromText, formatProblem, summaryMarkdown, problemsMarkdown } = await import('./plan.js');
    const result = planFromText(file, text);

    if (!result.ok) {
      for (const problem of result.problems) {
        core.error(formatProblem(problem), { title: 'safe-deploy config', file: problem.file, startLine: problem.line, startColumn: problem.column });
      }
      await core.summary.addRaw(problemsMarkdown(file, result.problems)).write();
      core.setFailed(`${file} has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} (listed above); nothing was planned`);
      return;
    }

    for (const warning of result.warnings) {
      core.warning(formatProblem(warning), { title: 'safe-deploy config', file: warning.file, startLine: warning.line, startColumn: warning.column });
    }
    core.info(`${file}: service ${result.config.service}, ${result.outputs.stages.length} stages, ${result.waves.length} waves`);
    for (const wave of result.waves) {
      core.info(`  ${String(wave.index + 1).padStart(2)}. ${wave.id.padEnd(16)} ${wave.regions.join(', ')} @ ${Math.round(wave.traffic * 100_000) / 1000}%`);
    }
    core.setOutput('stages', JSON.stringify(result.outputs.stages));
    core.setOutput('waves', JSON.stringify(result.outputs.waves));
    core.setOutput('stage-waves', JSON.stringify(result.outputs.stageWaves));
    core.setOutput('service', result.config.service);
    core.setOutput('alias', result.config.alias);
    core.setOutput('functions', result.config.functions.join(','));
    core.setOutput('config', JSON.stringify(result.outputs.config));
    const mode = core.getInput('mode').trim() || 'plan';
    if (mode === 'next') {
      await runNext(result.config);
      return;
    }
    if (mode !== 'plan') throw new Error(`input mode: "${mode}" is neither plan nor next`);
    await core.summary.addRaw(summaryMarkdown(file, result.config, result.waves, result.warnings, Date.now())).write();
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
