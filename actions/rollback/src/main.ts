// rollback: put aliases back on their recorded stable version (or a given version) everywhere,
// in parallel, read each one back, and say exactly where each stands.
import * as core from '@actions/core';
import { describeAlias } from '../../../packages/core/src/rollout.js';
import { runnerInputs, type InputSource } from '../../../packages/github/src/inputs.js';
import { handRollbackFor, markdownTable } from '../../../packages/github/src/summary.js';
import type { RollbackResult } from '../../../packages/deploy/src/rollback.js';
import { readRollbackRequest, type RollbackRequest } from './request.js';

const HEADLINE: Record<RollbackResult['outcome'], string> = {
  'rolled-back': '✅ every alias is on its target',
  refused: '⛔ refused before any change',
  failed: '❌ not every alias is on its target',
};

export function rollbackSummary(request: RollbackRequest, result: RollbackResult): string {
  const rows = result.aliases.map((a) => [
    a.target.region,
    a.target.functionName,
    a.target.alias,
    describeAlias(a.before),
    a.to ?? '—',
    describeAlias(a.after),
    a.error ? `❌ ${a.error}` : a.skipped ? `⏭️ ${a.skipped}` : a.wrote ? '✅ rolled back' : '✅ already there (no write)',
  ]);
  const lines = [
    `## rollback: ${HEADLINE[result.outcome]}`,
    '',
    `**Reason:** ${request.reason} · target: ${request.to === 'previous' ? 'previous (recorded stable)' : `version ${request.to.version}`} · ${result.aliases.length} alias(es), ${result.aliases.filter((a) => a.wrote).length} written`,
    '',
    markdownTable(['Region', 'Function', 'Alias', 'Before', 'Target', 'After', 'Result'], rows),
    '',
  ];
  if (result.message) lines.push('### What went wrong', '', '```', result.message, '```', '');
  const command = handCommand(request, result);
  if (command) lines.push('### Finish by hand', '', '```sh', command, '```', '');
  return lines.join('\n');
}

function handCommand(request: RollbackRequest, result: RollbackResult): string | null {
  const open = result.aliases.filter((a) => (a.error || result.outcome === 'refused') && !a.skipped);
  if (open.length === 0 || result.outcome === 'rolled-back') return null;
  const version = (a: (typeof open)[number]) => a.to ?? (request.to === 'previous' ? (request.targets.find((t) => t.region === a.region && t.function === a.target.functionName)?.recordedStable ?? 'previous') : request.to.version);
  return handRollbackFor(
    open.map((a) => ({ region: a.region, version: version(a) })),
    { environment: request.environment, reason: request.reason },
  );
}

export async function run(inputs: InputSource = runnerInputs): Promise<void> {
  // A rollback is the way back to safety: a cancel signal does not stop it half way.
  const keepGoing = (signal: NodeJS.Signals) => core.warning(`received ${signal}: finishing the rollback first (it is what makes the aliases safe)`);
  process.on('SIGTERM', keepGoing);
  process.on('SIGINT', keepGoing);
  try {
    const request = readRollbackRequest(inputs);
    core.info(`rollback of ${request.targets.length} alias(es) in ${[...new Set(request.targets.map((t) => t.region))].join(', ')} to ${request.to === 'previous' ? 'the recorded stable version' : `version ${request.to.version}`}: ${request.reason}`);
    const { rollBack } = await import('../../../packages/deploy/src/rollback.js');
    const result = await rollBack(request, { info: (m) => core.info(m), warn: (m) => core.warning(m) });
    const changed = result.aliases
      .filter((a) => a.wrote)
      .map((a) => ({ region: a.region, function: a.target.functionName, alias: a.target.alias, from: a.before?.version ?? null, fromWeights: a.before?.weights ?? {}, to: a.to }));
    core.setOutput('rolled-back', JSON.stringify(changed));
    for (const a of result.aliases) core.info(`${a.target.region} ${a.target.functionName}:${a.target.alias}: ${describeAlias(a.before)} -> ${describeAlias(a.after)}${a.wrote ? '' : ' (no write)'}`);
    await core.summary.addRaw(rollbackSummary(request, result), true).write();
    if (result.outcome !== 'rolled-back') {
      const now = result.aliases.map((a) => `  ${a.target.region} ${a.target.functionName}:${a.target.alias}: ${describeAlias(a.after ?? a.before)}`).join('\n');
      const command = handCommand(request, result);
      core.setFailed(`rollback ${result.outcome}: ${result.message}\nAliases now:\n${now}${command ? `\nTo finish by hand: ${command}` : ''}`);
    }
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  } finally {
    process.off('SIGTERM', keepGoing);
    process.off('SIGINT', keepGoing);
  }
}
