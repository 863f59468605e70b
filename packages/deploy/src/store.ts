// The deployment store entry over a deployment's life, for every entry point:
//   wave-deploy  reads it in the preflight (is a promoted alias still verifying?) and writes it
//                before the first shift in each region (`writeEntries`);
//   bake-gate    renews it while it watches and, when the wave's last bake passes, ends it (100%)
//                or parks it (a share below 100%: watched on its alarms, no lease) (lease.ts);
//   rollback     and the guardian remove the entry of a deployment whose every alias is back at
//                rest (`retireAtRest`, `retireAfterRollback`), so the sweep stops reading it.
// The encoding and the decision of what is at rest are pure (core guardian-entry.ts, guardian.ts).
import { endLease, listInFlight, readDeployment, writeDeployment, type StoreContext } from '../../aws/src/deployment-store.js';
import { forEachTarget, readAlias, type AliasView, type LambdaContext, type Logger } from '../../aws/src/lambda.js';
import type { DeploymentEntry } from '../../core/src/guardian-entry.js';
import { entryAtRest, type ListedEntry, type ReadAlias } from '../../core/src/guardian.js';
import type { AliasRecord } from '../../core/src/deployment.js';
import { errorText } from './text.js';

/** What the store entry of a wave is made from: the entry's names, without its times (a lease length instead). */
export type EntrySource = Pick<DeploymentEntry, 'alias' | 'functions' | 'regions' | 'alarms' | 'commit' | 'run'> & {
  readonly service?: string;
  readonly stage?: string;
  readonly wave?: string;
  /** Lease in ms from the write; null or undefined: no lease. */
  readonly leaseMs?: number | null;
};

/** The store entry of the deployment in one region: what the guardian needs beyond the alias records. */
export function entryFor(source: EntrySource, region: string, nowMs: number): DeploymentEntry {
  return {
    service: source.service ?? null,
    stage: source.stage ?? null,
    wave: source.wave ?? null,
    alias: source.alias,
    functions: [...source.functions],
    regions: [...source.regions],
    alarms: [...source.alarms],
    commit: source.commit,
    run: source.run,
    lease: source.leaseMs === null || source.leaseMs === undefined ? null : Math.floor((nowMs + source.leaseMs) / 1000),
    at: Math.floor(nowMs / 1000),
  };
}

/** The entry each region's store holds under the wave's name now (null: none). A read that fails throws. */
export async function readEntries(store: StoreContext, source: EntrySource): Promise<Map<string, ListedEntry | null>> {
  const key = { alias: source.alias, service: source.service ?? null, functions: source.functions };
  const read = await Promise.all(source.regions.map(async (region) => [region, await readDeployment(store, region, key)] as const));
  return new Map(read);
}

/** True when the stored entry watches this alias for the deployment its record names (the record is then in flight, a promoted one verifying). */
export function watchesRecord(listed: ListedEntry | null | undefined, functionName: string, alias: string, record: AliasRecord | null): boolean {
  if (!listed?.ok || !record) return false;
  const entry = listed.entry;
  return entry.alias === alias && entry.functions.includes(functionName) && entry.commit === record.commit.slice(0, 12);
}

/** Writes the entry in each of `regions`; returns one line per region whose write failed. */
export async function writeEntries(store: StoreContext, source: EntrySource, regions: readonly string[], now: () => number, logger: Logger): Promise<string[]> {
  const written = await Promise.all(
    regions.map(async (region) => {
      try {
        const entry = entryFor(source, region, now());
        const answer = await writeDeployment(store, region, entry);
        logger.info(`deployment store: ${answer.name} in ${region} written (version ${answer.version}, ${entry.lease === null ? 'no lease' : `lease until ${new Date(entry.lease * 1000).toISOString()}`})`);
        return null;
      } catch (error) {
        return `${region}: ${errorText(error)}`;
      }
    }),
  );
  return written.filter((w): w is string => w !== null);
}

export interface Retired {
  /** Parameter names deleted. */
  readonly retired: readonly string[];
  /** The entries deleted, as listed before. */
  readonly entries: readonly DeploymentEntry[];
  /** What could not be done, one line each (never fatal: the aliases are already at rest). */
  readonly problems: readonly string[];
}

/**
 * Deletes each entry whose every alias is at rest for it (core `entryAtRest`), each delete guarded
 * by a read that finds the same deployment (commit and run): an entry a newer deploy rewrote is kept.
 */
export async function retireAtRest(store: StoreContext, region: string, entries: readonly { readonly name: string; readonly entry: DeploymentEntry }[], aliases: readonly ReadAlias[]): Promise<Retired> {
  const retired: string[] = [];
  const gone: DeploymentEntry[] = [];
  const problems: string[] = [];
  for (const { name, entry } of entries.filter((e) => entryAtRest(e.entry, aliases))) {
    try {
      const answer = await endLease(store, region, entry);
      if (answer === 'ended') {
        retired.push(name);
        gone.push(entry);
      }
    } catch (error) {
      problems.push(`store entry ${name} in ${region} not removed: ${errorText(error, 1000)}`);
    }
  }
  return { retired, entries: gone, problems };
}

/** An alias as read after a rollback (null: it does not exist). */
export interface AliasAfter {
  readonly region: string;
  readonly function: string;
  readonly alias: string;
  readonly view: AliasView | null;
}

export function asReadAlias(region: string, fn: string, alias: string, view: AliasView | null): ReadAlias {
  return { region, function: fn, alias, state: view ? { version: view.version, weights: view.weights, record: view.record } : null };
}

/**
 * After a rollback in one region: the store entries naming a rolled-back alias (listed under the
 * store path) whose every alias is now at rest are removed. The entry's aliases the rollback did not
 * touch are read first (one GetAlias each), so an entry of which one function is still in flight stays.
 */
export async function retireAfterRollback(store: StoreContext, ctx: LambdaContext, region: string, after: readonly AliasAfter[]): Promise<Retired> {
  const mine = after.filter((a) => a.region === region);
  if (mine.length === 0) return { retired: [], entries: [], problems: [] };
  let listed: ListedEntry[];
  try {
    listed = await listInFlight(store, region);
  } catch (error) {
    return { retired: [], entries: [], problems: [`store entries in ${region} not read, none removed: ${errorText(error, 1000)}`] };
  }
  const entries = listed.flatMap((l) => (l.ok && mine.some((a) => a.alias === l.entry.alias && l.entry.functions.includes(a.function)) ? [{ name: l.name, entry: l.entry }] : []));
  if (entries.length === 0) return { retired: [], entries: [], problems: [] };
  const known = new Map(mine.map((a) => [`${a.function}:${a.alias}`, asReadAlias(region, a.function, a.alias, a.view)]));
  const missing = [...new Set(entries.flatMap(({ entry }) => entry.functions.map((fn) => `${fn}:${entry.alias}`)))].filter((k) => !known.has(k));
  const reads = await forEachTarget(
    missing.map((k) => ({ region, key: k })),
    ({ key }) => {
      const [functionName, alias] = key.split(':') as [string, string];
      return readAlias(ctx, { region, functionName, alias });
    },
  );
  for (const r of reads) {
    const [fn, alias] = r.target.key.split(':') as [string, string];
    known.set(r.target.key, r.ok ? asReadAlias(region, fn, alias, r.value) : { ...asReadAlias(region, fn, alias, null), error: errorText(r.error, 300) });
  }
  return retireAtRest(store, region, entries, [...known.values()]);
}
