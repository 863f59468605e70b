// What the overlap scenario must show, judged from its alias log alone (the lines of
// demo-report/alias-log.jsonl: every alias write AWS accepted) and the plan of its config. Pure: the
// scenario (overlap.ts) and its tests hand in the log; nothing here reads AWS or the clock.
//
//   1. the bad release reached at most one production region;
//   2. each release went through the waves in order, each wave starting only after the wave before
//      had its whole share for the bake's duration;
//   3. in a region a newer release arrives only when the alias is whole on one release that has
//      baked there (or was rolled back to), never while an earlier release is still in flight;
//   4. two healthy releases were in production at once (the pipeline overlaps releases);
//   5. at the end every alias is whole on the newest healthy release that reached production.

/** One line of alias-log.jsonl. */
export interface AliasLogLine {
  /** Wall-clock ms (since the epoch) when AWS accepted the write. */
  readonly at: number;
  readonly stage: string;
  readonly region: string;
  readonly function: string;
  readonly alias: string;
  /** The alias's primary version. */
  readonly version: string;
  /** Share of the alias's traffic of every version it names (the primary's is 1 minus the others'). */
  readonly weights: Readonly<Record<string, number>>;
  /** The commit of every version named. */
  readonly commits: Readonly<Record<string, string>>;
  /** Who wrote it (the AWS SDK caller: wave-deploy, rollback, guardian, provisioning). */
  readonly by?: string;
}

export interface OverlapRelease {
  readonly commit: string;
  readonly healthy: boolean;
  /** Already in production before the scenario (provisioned, never deployed by it). */
  readonly baseline?: boolean;
}

export interface CheckWave {
  readonly id: string;
  readonly stage: string;
  readonly regions: readonly string[];
  readonly traffic: number;
  readonly bakeMs: number;
}

export interface OverlapVerdict {
  readonly failures: string[];
  /** Production regions each release reached (any share), by commit. */
  readonly prodRegions: Readonly<Record<string, readonly string[]>>;
  /** When two healthy releases were first in production together, and which, or null. */
  readonly overlap: { readonly at: number; readonly commits: readonly string[] } | null;
  /** For each release and wave it completed: when its whole share was in place (ms). */
  readonly reached: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const EPSILON = 0.000005;
const short = (commit: string) => commit.slice(0, 12);

/** Share of each commit on one alias after a write. */
export function sharesOf(line: AliasLogLine): Map<string, number> {
  const shares = new Map<string, number>();
  const extra = Object.entries(line.weights).filter(([v]) => v !== line.version);
  const rest = 1 - extra.reduce((n, [, w]) => n + w, 0);
  for (const [version, weight] of [[line.version, rest] as const, ...extra]) {
    if (weight <= EPSILON) continue;
    const commit = line.commits[version] ?? `unknown v${version}`;
    shares.set(commit, (shares.get(commit) ?? 0) + weight);
  }
  return shares;
}

const aliasKey = (l: { stage: string; region: string; function: string; alias: string }) => `${l.stage}/${l.region}/${l.function}:${l.alias}`;

export function checkOverlap(lines: readonly AliasLogLine[], releases: readonly OverlapRelease[], waves: readonly CheckWave[], prodStage: string): OverlapVerdict {
  const failures: string[] = [];
  const log = [...lines].sort((a, b) => a.at - b.at);
  const known = new Map(releases.map((r) => [r.commit, r]));
  const tag = (commit: string) => short(commit);
  const state = new Map<string, Map<string, number>>();
  const prodRegions = new Map<string, Set<string>>();
  // Per alias: when each commit last reached the whole alias, and with which bake.
  const wholeSince = new Map<string, Map<string, number>>();
  const reached = new Map<string, Map<string, number>>();
  let overlap: OverlapVerdict['overlap'] = null;
  const functionsOf = (stage: string, region: string) => new Set(log.filter((l) => l.stage === stage && l.region === region).map((l) => `${l.function}:${l.alias}`));
  /** The wave that takes `region` of `stage` to 100%. */
  const fullWave = (stage: string, region: string) => waves.find((w) => w.stage === stage && w.regions.includes(region) && w.traffic >= 1 - EPSILON);

  for (const line of log) {
    const key = aliasKey(line);
    const before = state.get(key) ?? null;
    const after = sharesOf(line);
    for (const commit of after.keys()) if (!known.has(commit)) failures.push(`${key} at ${line.at}: version(s) of unknown commit ${commit}`);
    if (line.stage === prodStage) for (const commit of after.keys()) {
      if (!prodRegions.has(commit)) prodRegions.set(commit, new Set());
      prodRegions.get(commit)!.add(line.region);
    }
    // 3. A commit new to this alias may only arrive where one release is whole and has baked.
    if (before) {
      for (const commit of after.keys()) {
        if (before.has(commit)) continue;
        const present = [...before.entries()];
        if (present.length !== 1) {
          failures.push(`${key}: ${tag(commit)} arrived at ${line.at} while ${present.map(([c, w]) => `${tag(c)} ${Math.round(w * 1000) / 10}%`).join(' + ')} was still in flight`);
          continue;
        }
        const [previous] = present[0]!;
        if (known.get(previous)?.baseline) continue;
        const since = wholeSince.get(key)?.get(previous);
        const wave = fullWave(line.stage, line.region);
        if (since === undefined || !wave) {
          failures.push(`${key}: ${tag(commit)} arrived at ${line.at} although ${tag(previous)} never had the whole alias`);
        } else if (line.at - since < wave.bakeMs) {
          failures.push(`${key}: ${tag(commit)} arrived ${line.at - since} ms after ${tag(previous)} took the whole alias, before its ${wave.id} bake of ${wave.bakeMs} ms`);
        }
      }
    }
    for (const [commit, share] of after) {
      // The first time only: a rollback back onto a release does not restart its bake there.
      if (share >= 1 - EPSILON && !wholeSince.get(key)?.has(commit)) {
        if (!wholeSince.has(key)) wholeSince.set(key, new Map());
        wholeSince.get(key)!.set(commit, line.at);
      }
    }
    state.set(key, after);

    // 2. Wave progress: a wave is reached once every alias of its regions has the commit at its share.
    for (const commit of after.keys()) {
      if (known.get(commit)?.baseline) continue;
      for (const [i, wave] of waves.entries()) {
        if (reached.get(commit)?.has(wave.id)) continue;
        const aliases = wave.regions.flatMap((region) => [...functionsOf(wave.stage, region)].map((fa) => `${wave.stage}/${region}/${fa}`));
        const whole = aliases.length > 0 && aliases.every((k) => (state.get(k)?.get(commit) ?? 0) >= wave.traffic - EPSILON);
        // A wave starts with the first write that gives one of its aliases more than the wave before left there.
        const previous = waves[i - 1];
        const inWave = wave.stage === line.stage && wave.regions.includes(line.region);
        const leftBefore = previous && previous.stage === wave.stage && previous.regions.includes(line.region) ? previous.traffic : 0;
        const grew = inWave && (after.get(commit) ?? 0) > leftBefore + EPSILON && (before?.get(commit) ?? 0) <= leftBefore + EPSILON;
        if (grew && i > 0) {
          const prior = reached.get(commit)?.get(previous!.id);
          if (prior === undefined) failures.push(`${tag(commit)} started ${wave.id} at ${line.at} before it had completed ${previous!.id}`);
          else if (line.at - prior < previous!.bakeMs) failures.push(`${tag(commit)} started ${wave.id} ${line.at - prior} ms after completing ${previous!.id}, before its bake of ${previous!.bakeMs} ms`);
        }
        if (whole) {
          if (!reached.has(commit)) reached.set(commit, new Map());
          reached.get(commit)!.set(wave.id, line.at);
        }
      }
    }

    // 4. Two healthy releases of the scenario in production at once.
    if (!overlap) {
      const inProd = new Set<string>();
      for (const [k, shares] of state) if (k.startsWith(`${prodStage}/`)) for (const c of shares.keys()) if (known.get(c)?.healthy && !known.get(c)?.baseline) inProd.add(c);
      if (inProd.size >= 2) overlap = { at: line.at, commits: [...inProd] };
    }
  }

  // 1. The bad release in one production region at most.
  for (const release of releases.filter((r) => !r.healthy)) {
    const regions = [...(prodRegions.get(release.commit) ?? [])];
    if (regions.length > 1) failures.push(`bad release ${tag(release.commit)} reached ${regions.length} production regions: ${regions.join(', ')}`);
  }
  if (!overlap) failures.push('no two healthy releases were ever in production at once');
  // 5. The end: every alias whole on the newest healthy release that reached production.
  const newest = [...releases].reverse().find((r) => r.healthy && !r.baseline && prodRegions.has(r.commit));
  if (!newest) failures.push('no healthy release of the scenario reached production');
  else {
    for (const [k, shares] of state) {
      if (!k.startsWith(`${prodStage}/`)) continue;
      if ((shares.get(newest.commit) ?? 0) < 1 - EPSILON) failures.push(`${k} ends on ${[...shares.entries()].map(([c, w]) => `${tag(c)} ${Math.round(w * 1000) / 10}%`).join(' + ')}, not wholly on ${tag(newest.commit)}`);
    }
  }
  return {
    failures,
    prodRegions: Object.fromEntries([...prodRegions].map(([c, r]) => [c, [...r].sort()])),
    overlap,
    reached: Object.fromEntries([...reached].map(([c, m]) => [c, Object.fromEntries(m)])),
  };
}
