// What a person reads after a wave: the job summary (table + mermaid) and the failure message
// (which alias is where, and the one command that puts them back).
import { describeAlias, formatWeight } from '../../../packages/core/src/rollout.js';
import { handRollbackFor, markdownTable, mermaidFlow, type FlowEdge, type FlowNode, type StepStatus } from '../../../packages/github/src/summary.js';
import type { TargetProgress, WaveResult } from '../../../packages/deploy/src/wave.js';

const HEADLINE: Record<WaveResult['outcome'], string> = {
  deployed: '✅ deployed',
  refused: '⛔ refused before any change',
  failed: '❌ failed',
  alarm: '🚨 stopped by a rollback alarm',
  interrupted: '⏹️ interrupted',
};

function share(fraction: number): string {
  return formatWeight(fraction);
}

function weightOn(p: TargetProgress): number | null {
  const view = p.after ?? p.before;
  if (!view || !p.candidate) return null;
  if (view.version === p.candidate && Object.keys(view.weights).length === 0) return 1;
  return view.weights[p.candidate] ?? 0;
}

/** True when this run changed the alias (its routing or its record), as far as the last read shows. */
export function touched(p: TargetProgress): boolean {
  if (!p.after) return false;
  if (!p.before) return true;
  return p.after.description !== p.before.description || p.after.version !== p.before.version || JSON.stringify(p.after.weights) !== JSON.stringify(p.before.weights);
}

/** A per-alias error without the layer's own "finish by hand" line: the report gives one command for all. */
function withoutHandCommand(text: string): string {
  return text.replace(/\. To finish by hand: gh workflow run[^\n]*/g, '');
}

function stepStatus(result: WaveResult, step: number, region: string): StepStatus {
  const inRegion = result.targets.filter((p) => p.target.region === region);
  if (inRegion.every((p) => p.stepsDone > step)) return 'done';
  if (result.outcome !== 'deployed' && step === result.stepsDone && inRegion.some((p) => p.error)) return 'failed';
  if (result.outcome === 'interrupted' && step === result.stepsDone) return 'skipped';
  return 'pending';
}

export function waveFlow(result: WaveResult): string {
  const { plan } = result;
  const published = result.targets.every((p) => p.candidate);
  const candidates = [...new Set(result.targets.map((p) => p.candidate).filter(Boolean))];
  const nodes: FlowNode[] = [
    {
      id: 'publish',
      label: [published ? `candidate ${candidates.join(', ')}` : result.outcome === 'refused' ? 'preflight refused' : 'publish', `commit ${plan.commit.slice(0, 12)}`],
      status: published ? 'done' : result.outcome === 'refused' || result.targets.some((p) => p.error) ? 'failed' : 'pending',
    },
  ];
  const edges: FlowEdge[] = [];
  plan.steps.forEach((fraction, step) => {
    const group = `step ${step + 1}: ${share(fraction)}${fraction === 1 ? ' (promote)' : fraction === 0 ? ' (publish only)' : step === plan.steps.length - 1 ? ' (one-box)' : ''}`;
    for (const region of plan.regions) {
      const id = `s${step}_${region}`;
      nodes.push({ id, label: [region, share(fraction)], status: stepStatus(result, step, region), group });
      edges.push({ from: step === 0 ? 'publish' : `s${step - 1}_${region}`, to: id });
    }
  });
  return mermaidFlow(nodes, edges);
}

export function waveTable(result: WaveResult): string {
  const rows = result.targets.map((p) => {
    const weight = weightOn(p);
    const now = p.after ?? p.before;
    const state = now?.record.kind === 'record' ? now.record.record.state : now ? 'no record' : 'no alias';
    return [
      p.target.region,
      p.target.functionName,
      `${p.stable ?? '—'} → ${p.candidate ?? '—'}`,
      weight === null ? '—' : share(weight),
      state,
      p.reused ? 'reused' : p.candidate ? 'published' : '—',
      p.writes,
      p.error ? withoutHandCommand(p.error) : '',
    ];
  });
  return markdownTable(['Region', 'Function', 'Stable → candidate', 'Candidate weight', 'Record', 'Version', 'Writes', 'Problem'], rows);
}

/** Aliases a rollback should put back: touched ones, to the version each recorded as stable. */
function rollbackTargets(result: WaveResult): { region: string; version: string }[] {
  return result.targets.filter((p) => touched(p) && p.stable && p.candidate !== p.stable).map((p) => ({ region: p.target.region, version: p.stable as string }));
}

export function handCommand(result: WaveResult): string | null {
  const targets = rollbackTargets(result);
  if (targets.length === 0) return null;
  return handRollbackFor(targets, { environment: result.plan.environment, reason: `wave ${result.plan.wave ?? ''} ${result.outcome} at commit ${result.plan.commit.slice(0, 12)}`.replace(/\s+/g, ' ') });
}

export function waveSummary(result: WaveResult): string {
  const { plan } = result;
  const where = [plan.stage, plan.wave].filter(Boolean).join(' / ') || 'explicit targets';
  const lines = [
    `## wave-deploy: ${HEADLINE[result.outcome]}`,
    '',
    `**${where}** · alias \`${plan.alias}\` · commit \`${plan.commit.slice(0, 12)}\` · traffic ${plan.steps.map(share).join(' → ')} · ${plan.regions.length} region(s) × ${plan.functions.length} function(s)`,
    '',
    waveFlow(result),
    '',
    waveTable(result),
    '',
  ];
  if (result.alarmLines.length > 0) lines.push(...result.alarmLines.map((l) => `- ${l}`), '');
  if ((result.warnings ?? []).length > 0) lines.push('### Risks accepted', '', ...(result.warnings ?? []).map((w) => `- ${w}`), '');
  if (result.message) lines.push('### What went wrong', '', '```', withoutHandCommand(result.message), '```', '');
  const command = result.outcome === 'deployed' ? null : handCommand(result);
  if (command) lines.push('### Put every changed alias back by hand', '', '```sh', command, '```', '');
  return lines.join('\n');
}

export function failureReport(result: WaveResult): string {
  const lines = [`wave-deploy ${result.outcome}: ${withoutHandCommand(result.message ?? '')}`];
  if (result.outcome === 'refused') {
    lines.push('No alias was changed.');
    return lines.join('\n');
  }
  lines.push('Aliases now:');
  for (const p of result.targets) {
    lines.push(`  ${p.target.region} ${p.target.functionName}:${p.target.alias}: ${describeAlias(p.after ?? p.before)}${p.error && !result.message?.includes(p.error) ? ` (${withoutHandCommand(p.error)})` : ''}`);
  }
  const command = handCommand(result);
  lines.push(command ? `To put every changed alias back: ${command}` : 'No alias was changed; nothing to roll back.');
  return lines.join('\n');
}
