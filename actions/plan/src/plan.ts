// What the plan action computes and prints, without any runner I/O (main.ts does that).
// Loaded lazily by main.ts, so the action reaches an input error before zod and yaml are parsed.
import { loadConfigText, formatProblem, type ConfigProblem } from '../../../packages/core/src/config-loader.js';
import { configToJson, type Config } from '../../../packages/core/src/config.js';
import { planWaves, waveJson, type Wave, type WaveJson } from '../../../packages/core/src/planner.js';
import { formatDuration, formatShare } from '../../../packages/core/src/units.js';
import { checkWindow } from '../../../packages/core/src/windows.js';
import { cellText as cell } from '../../../packages/github/src/summary.js';

export type PlanResult =
  | {
      readonly ok: true;
      readonly config: Config;
      readonly waves: readonly Wave[];
      readonly outputs: { readonly stages: string[]; readonly waves: WaveJson[]; readonly stageWaves: Record<string, WaveJson[]>; readonly config: ReturnType<typeof configToJson> };
      readonly warnings: readonly ConfigProblem[];
    }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export function planFromText(file: string, text: string): PlanResult {
  const loaded = loadConfigText(file, text);
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  const waves = planWaves(loaded.config);
  const json = waves.map(waveJson);
  const stageWaves: Record<string, WaveJson[]> = {};
  for (const stage of loaded.config.stages) stageWaves[stage.name] = json.filter((wave) => wave.stage === stage.name);
  return {
    ok: true,
    config: loaded.config,
    waves,
    outputs: { stages: loaded.config.stages.map((stage) => stage.name), waves: json, stageWaves, config: configToJson(loaded.config) },
    warnings: loaded.warnings,
  };
}

export { formatProblem };

function bakeText(wave: Wave): string {
  const { bake } = wave;
  return `${formatDuration(bake.durationMs)}, ≥${bake.minInvocations.toLocaleString('en-US')} invocations${bake.mode === 'verify' ? ', verify' : ''}`;
}

function mermaidId(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '_');
}

/** Node id of a wave: its position keeps ids unique even if two stages' wave ids read alike. */
function waveNode(wave: Wave): string {
  return `w${wave.index}_${mermaidId(wave.id)}`;
}

function mermaidLabel(lines: string[]): string {
  return `"${lines.map((line) => line.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>')}"`;
}

/** A left-to-right flowchart: one box per stage holding its waves, arrows in the order they run. */
export function mermaid(config: Config, waves: readonly Wave[]): string {
  const lines = ['```mermaid', 'flowchart LR'];
  config.stages.forEach((stage, index) => {
    lines.push(`  subgraph s${index}_${mermaidId(stage.name)}[${mermaidLabel([`${stage.name} (${stage.regions.length} region${stage.regions.length === 1 ? '' : 's'})`])}]`);
    lines.push('    direction LR');
    for (const wave of waves.filter((candidate) => candidate.stage === stage.name)) {
      const shape = wave.onebox ? ['([', '])'] : ['[', ']'];
      const label = mermaidLabel([wave.id, `${wave.regions.join(', ')} @ ${formatShare(wave.traffic)}`, `bake ${bakeText(wave)}`]);
      lines.push(`    ${waveNode(wave)}${shape[0]}${label}${shape[1]}`);
    }
    lines.push('  end');
  });
  for (let i = 1; i < waves.length; i++) {
    const from = waves[i - 1] as Wave;
    const to = waves[i] as Wave;
    lines.push(`  ${waveNode(from)} --> ${waveNode(to)}`);
  }
  lines.push('```');
  return lines.join('\n');
}

/** The job summary of a good config: header, mermaid flowchart, wave table, alarms and windows. */
export function summaryMarkdown(file: string, config: Config, waves: readonly Wave[], warnings: readonly ConfigProblem[], nowMs: number): string {
  const out: string[] = [];
  out.push(`## safe-deploy plan: ${config.service}`);
  out.push('');
  out.push(
    `\`${file}\`: ${config.stages.length} stages, ${waves.length} waves, functions ${config.functions.map((fn) => `\`${fn}\``).join(', ')} through alias \`${config.alias}\`.`,
  );
  out.push('');
  out.push(mermaid(config, waves));
  out.push('');
  out.push('| # | stage | wave | regions | traffic | bake | min invocations | mode | max wait |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const wave of waves) {
    out.push(
      `| ${wave.index + 1} | ${cell(wave.stage)} | \`${wave.id}\` | ${cell(wave.regions.join(', '))} | ${formatShare(wave.traffic)}${wave.onebox ? ' (one-box)' : ''} | ${formatDuration(wave.bake.durationMs)} | ${wave.bake.minInvocations.toLocaleString('en-US')} | ${wave.bake.mode} | ${wave.bake.mode === 'watch' ? formatDuration(wave.bake.maxWaitMs) : 'n/a'} |`,
    );
  }
  out.push('');
  const tests = config.stages.filter((stage) => stage.tests);
  if (tests.length > 0) {
    out.push('**Stage tests:** ' + tests.map((stage) => `${stage.name}: \`${cell(stage.tests as string)}\``).join('; '));
    out.push('');
  }
  const { alarms, windows } = config;
  const list = (items: readonly string[]) => (items.length === 0 ? '_none_' : items.map((item) => `\`${item}\``).join(', '));
  out.push('| alarms | |');
  out.push('|---|---|');
  out.push(`| block (must be OK before a stage starts) | ${list(alarms.block)} |`);
  out.push(`| rollback (watched during shift and bake) | ${list(alarms.rollback)} |`);
  const bounds = [
    alarms.onebox.errorRate !== undefined ? `error rate ≤ ${formatShare(alarms.onebox.errorRate)}` : '',
    alarms.onebox.p99DurationMs !== undefined ? `p99 duration ≤ ${formatDuration(alarms.onebox.p99DurationMs)}` : '',
  ].filter(Boolean);
  out.push(`| one-box canary bounds | ${bounds.length > 0 ? bounds.join(', ') : '_none_'} |`);
  out.push('');
  const state = checkWindow(windows, nowMs);
  out.push(
    `**Deploy windows** (${windows.timezone}): ${windows.allow.length === 0 ? 'any time' : windows.allow.map((window) => `\`${window.text}\``).join(', ')}; freezes: ${windows.freeze.length === 0 ? 'none' : windows.freeze.map((range) => `\`${range.text}\``).join(', ')}.`,
  );
  out.push(`Now: ${state.open ? 'open' : 'closed'}, ${state.reason}.`);
  if (warnings.length > 0) {
    out.push('');
    out.push('**Warnings**');
    out.push('');
    for (const warning of warnings) out.push(`- ${cell(formatProblem(warning))}`);
  }
  out.push('');
  return out.join('\n');
}

/** The job summary of a broken config: every problem, and that nothing was planned. */
export function problemsMarkdown(file: string, problems: readonly ConfigProblem[]): string {
  const out = [`## safe-deploy plan: \`${file}\` has ${problems.length} problem${problems.length === 1 ? '' : 's'}`, '', 'Nothing was planned or deployed. Fix these and push again:', ''];
  out.push('| line:col | path | problem |');
  out.push('|---|---|---|');
  for (const problem of problems) out.push(`| ${problem.line}:${problem.column} | \`${cell(problem.path)}\` | ${cell(problem.message)} |`);
  out.push('');
  return out.join('\n');
}
