// The wave planner: from a Config to the ordered list of waves the pipeline runs.
//
//   planWaves(config)              -> Wave[]  every wave of every stage, in the order they run
//   findWave(config, stage, wave)  -> Wave    one wave by stage name and wave id (`prod-onebox`, `prod-2`);
//                                             throws an Error naming the waves that exist
//   waveJson(wave)                 -> the flat JSON the plan action outputs for strategy.matrix / fromJSON()
//   checkWaves(config)             -> WaveIssue[]  the rules below, each with its path in the document
//
// Rules (Amazon's: one-box first, one region before many, bake before widening):
// - Stages run strictly in the order the config lists them; all waves of a stage before the next stage.
// - A wave either takes its regions to 100% of traffic, or is a one-box: ONE region at a share of at
//   most 10% (ONEBOX_LIMIT).
// - No wave touches a second region before the first region has taken its full wave and baked:
//   the waves up to and including the first region's 100% wave touch that region alone.
// - Every region of the stage reaches 100% exactly once, and nothing outside the stage's regions.
//
// `waves: auto` builds: [one-box in the first region] -> first region -> next region alone ->
// then 2, 4, 8 regions at a time (doubling, at most `max-wave-size`, default 8).
// Wave ids: `<stage>-onebox` for a one-box (`-onebox-2`, ... for more), `<stage>-1`, `<stage>-2`, ... for
// full waves. Bakes: a one-box bakes with `onebox.bake`, the first full wave with `bake.first`, later
// waves with `bake.rest`; an explicit wave can give its own `bake`.
import { ONEBOX_LIMIT, type BakePolicy, type Config, type ExplicitWave, type Stage } from './config.js';
import { formatDurationExact, formatShare } from './units.js';

export interface Wave {
  /** Position in the whole pipeline, from 0. */
  readonly index: number;
  readonly stage: string;
  /** Position of the stage in the config, from 0. */
  readonly stageIndex: number;
  /** GitHub environment the wave deploys through. */
  readonly environment: string;
  /** Wave id, unique within the pipeline: `prod-onebox`, `prod-1`, ... */
  readonly id: string;
  readonly regions: readonly string[];
  /** Share of each region's traffic on the candidate after this wave, 0 < traffic <= 1. */
  readonly traffic: number;
  /** True for a one-box wave (traffic below 100%). */
  readonly onebox: boolean;
  /** True for the last wave of its stage: after it, the whole stage runs the candidate. */
  readonly last: boolean;
  readonly bake: BakePolicy;
}

/** The JSON of one wave in the plan action's `waves` output; keys match the inputs of wave-deploy and bake-gate. */
export interface WaveJson {
  readonly index: number;
  readonly stage: string;
  readonly environment: string;
  readonly wave: string;
  readonly regions: readonly string[];
  readonly traffic: string;
  readonly onebox: boolean;
  readonly last: boolean;
  readonly duration: string;
  readonly 'min-invocations': number;
  readonly mode: BakePolicy['mode'];
  readonly 'max-wait': string;
  readonly 'metrics-delay': string;
}

export interface WaveIssue {
  /** Path in the config document, e.g. ['stages', 3, 'waves', 1, 'regions', 0]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export class PlanError extends Error {
  constructor(
    message: string,
    readonly issues: readonly WaveIssue[] = [],
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

interface Draft {
  readonly regions: readonly string[];
  readonly traffic: number;
  readonly bake?: BakePolicy;
}

/** The automatic waves of a stage (see the top of this file). */
export function autoWaves(stage: Pick<Stage, 'regions' | 'onebox' | 'maxWaveSize'>): Draft[] {
  const drafts: Draft[] = [];
  const [first, ...rest] = stage.regions;
  if (first === undefined) return drafts;
  if (stage.onebox) drafts.push({ regions: [first], traffic: stage.onebox.traffic });
  drafts.push({ regions: [first], traffic: 1 });
  let size = 1;
  for (let start = 0; start < rest.length; ) {
    drafts.push({ regions: rest.slice(start, start + size), traffic: 1 });
    start += size;
    size = Math.min(size * 2, Math.max(1, stage.maxWaveSize));
  }
  return drafts;
}

/** Checks one stage's explicit waves against the rules; paths are relative to the stage. */
export function checkStageWaves(stage: Pick<Stage, 'regions' | 'onebox'>, waves: readonly ExplicitWave[]): WaveIssue[] {
  const issues: WaveIssue[] = [];
  const full = new Map<string, number>(); // region -> wave index where it reached 100%
  const partial = new Map<string, { wave: number; traffic: number }>();
  const firstRegion = waves[0]?.regions[0];
  let firstRegionBaked = false;
  let hasOnebox = false;

  waves.forEach((wave, w) => {
    const at = (...rest: (string | number)[]) => ['waves', w, ...rest];
    if (wave.traffic <= 0) {
      issues.push({ path: at('traffic'), message: 'a wave needs traffic; write a share above 0%' });
      return;
    }
    const isOnebox = wave.traffic < 1;
    if (isOnebox) {
      hasOnebox = true;
      if (wave.traffic > ONEBOX_LIMIT) {
        issues.push({ path: at('traffic'), message: `${formatShare(wave.traffic)} is above the one-box limit of ${formatShare(ONEBOX_LIMIT)}; a wave takes its regions to 100% or is a one-box of at most ${formatShare(ONEBOX_LIMIT)}` });
      }
      if (wave.regions.length !== 1) {
        issues.push({ path: at('regions'), message: `a one-box (traffic ${formatShare(wave.traffic)}) takes exactly one region, not ${wave.regions.length}` });
      }
    }
    if (!firstRegionBaked && firstRegion !== undefined && (wave.regions.length !== 1 || wave.regions[0] !== firstRegion)) {
      const other = wave.regions.findIndex((region) => region !== firstRegion);
      issues.push({
        path: other >= 0 ? at('regions', other) : at('regions'),
        message: `no wave may touch a second region before the first region (${firstRegion}) has taken its full wave and baked; deploy ${firstRegion} to 100% alone first`,
      });
    }
    wave.regions.forEach((region, r) => {
      if (!stage.regions.includes(region)) {
        issues.push({ path: at('regions', r), message: `${region} is not one of the stage's regions (${stage.regions.join(', ')})` });
        return;
      }
      const done = full.get(region);
      if (done !== undefined) {
        issues.push({ path: at('regions', r), message: `${region} already reached 100% in waves[${done}]; every region reaches 100% exactly once` });
        return;
      }
      if (isOnebox) {
        const before = partial.get(region);
        if (before && before.traffic >= wave.traffic) {
          issues.push({ path: at('traffic'), message: `${region} already had ${formatShare(before.traffic)} in waves[${before.wave}]; a region's share only grows` });
        }
        partial.set(region, { wave: w, traffic: wave.traffic });
      } else {
        full.set(region, w);
      }
    });
    if (!isOnebox && firstRegion !== undefined && wave.regions.includes(firstRegion)) firstRegionBaked = true;
  });

  const missing = stage.regions.filter((region) => !full.has(region));
  if (missing.length > 0) {
    issues.push({ path: ['waves'], message: `${missing.join(', ')} never ${missing.length === 1 ? 'reaches' : 'reach'} 100%; every region of the stage must be in exactly one full wave` });
  }
  if (stage.onebox && !hasOnebox) {
    issues.push({ path: ['onebox'], message: 'onebox is set but no explicit wave is a one-box; add a wave such as { regions: [first-region], traffic: 5% } or remove onebox' });
  }
  return issues;
}

/** Every wave rule for every stage, with paths from the document root. Empty when the plan is sound. */
export function checkWaves(config: Config): WaveIssue[] {
  const issues: WaveIssue[] = [];
  config.stages.forEach((stage, s) => {
    if (stage.waves === 'auto') return;
    for (const issue of checkStageWaves(stage, stage.waves)) issues.push({ path: ['stages', s, ...issue.path], message: issue.message });
  });
  return issues;
}

function stageWaves(stage: Stage, stageIndex: number, startIndex: number): Wave[] {
  const drafts: readonly Draft[] = stage.waves === 'auto' ? autoWaves(stage) : stage.waves;
  const waves: Wave[] = [];
  let oneboxes = 0;
  let fulls = 0;
  const lastFull = drafts.reduce((last, draft, i) => (draft.traffic >= 1 ? i : last), -1);
  drafts.forEach((draft, i) => {
    const onebox = draft.traffic < 1;
    let id: string;
    let bake: BakePolicy;
    if (onebox) {
      oneboxes += 1;
      id = oneboxes === 1 ? `${stage.name}-onebox` : `${stage.name}-onebox-${oneboxes}`;
      bake = draft.bake ?? stage.onebox?.bake ?? stage.bake.first;
    } else {
      fulls += 1;
      id = `${stage.name}-${fulls}`;
      bake = draft.bake ?? (fulls === 1 ? stage.bake.first : stage.bake.rest);
    }
    waves.push({
      index: startIndex + i,
      stage: stage.name,
      stageIndex,
      environment: stage.environment,
      id,
      regions: [...draft.regions],
      traffic: draft.traffic,
      onebox,
      last: i === lastFull,
      bake,
    });
  });
  return waves;
}

/**
 * Every wave of the pipeline in the order it runs. Throws a PlanError listing the broken rules
 * when explicit waves break them (config-loader.ts reports those with line and column first).
 */
export function planWaves(config: Config): Wave[] {
  const issues = checkWaves(config);
  if (issues.length > 0) {
    throw new PlanError(`the waves break the rollout rules:\n${issues.map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`).join('\n')}`, issues);
  }
  const waves: Wave[] = [];
  config.stages.forEach((stage, s) => waves.push(...stageWaves(stage, s, waves.length)));
  return waves;
}

/** The waves of one stage, in order. Throws when the stage does not exist. */
export function wavesOfStage(config: Config, stage: string): Wave[] {
  if (!config.stages.some((candidate) => candidate.name === stage)) {
    throw new PlanError(`no stage "${stage}" in the config; stages: ${config.stages.map((candidate) => candidate.name).join(', ')}`);
  }
  return planWaves(config).filter((wave) => wave.stage === stage);
}

/** One wave by stage name and wave id, as the `waves` output names them (`prod`, `prod-onebox`). */
export function findWave(config: Config, stage: string, id: string): Wave {
  const waves = wavesOfStage(config, stage);
  const wave = waves.find((candidate) => candidate.id === id);
  if (!wave) throw new PlanError(`no wave "${id}" in stage ${stage}; its waves: ${waves.map((candidate) => candidate.id).join(', ')}`);
  return wave;
}

export function waveJson(wave: Wave): WaveJson {
  return {
    index: wave.index,
    stage: wave.stage,
    environment: wave.environment,
    wave: wave.id,
    regions: wave.regions,
    traffic: formatShare(wave.traffic),
    onebox: wave.onebox,
    last: wave.last,
    duration: formatDurationExact(wave.bake.durationMs),
    'min-invocations': wave.bake.minInvocations,
    mode: wave.bake.mode,
    'max-wait': formatDurationExact(wave.bake.maxWaitMs),
    'metrics-delay': formatDurationExact(wave.bake.metricsDelayMs),
  };
}

/** `stages[3].onebox.traffic` from ['stages', 3, 'onebox', 'traffic']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(document)' : text;
}
