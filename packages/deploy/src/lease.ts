// The deployment's lease as bake-gate keeps it: renewed while the bake watches; when the wave's last
// bake passes, ended (the aliases are promoted: verifying -> at rest) or parked (a one-box or any share
// below 100%: the entry stays with no lease, so the guardian keeps watching the share on its alarms
// until the next wave's deploy takes the entry over). Loaded after the inputs are valid (SSM client).
//
// Renewals are spaced lease/3 apart, never once per poll: Parameter Store's PutParameter throughput
// is shared by the account and region. A renewal that fails is a warning, not a bake failure: the
// lease then runs out and the guardian rolls back, which is the safe side.
import type { AwsClients } from '../../aws/src/clients.js';
import { endLease, renewLease, storeContext, type StoreContext } from '../../aws/src/deployment-store.js';
import type { Logger as LeaseLogger } from '../../aws/src/lambda.js';
import { decodeRecord, type AliasRecord, type Deployment } from '../../core/src/deployment.js';
import { lastBakeAction, lastBakeTransition } from '../../core/src/rollout.js';
import type { DeploymentEntry } from '../../core/src/guardian-entry.js';
import { logSafe } from '../../core/src/log-safe.js';

export type { LeaseLogger };

/** The deployment's store entry in one region, as far as the deployment JSON tells it (the store check compares alias, commit and run). */
export function entryOf(deployment: Deployment, region: string, lease: number | null, nowMs: number): DeploymentEntry {
  const functions = [...new Set(deployment.targets.filter((t) => t.region === region).map((t) => t.function))];
  return {
    service: deployment.service ?? null,
    stage: deployment.stage ?? null,
    wave: deployment.wave ?? null,
    alias: deployment.alias,
    functions,
    regions: [...new Set(deployment.targets.map((t) => t.region))],
    alarms: [],
    commit: deployment.commit,
    run: deployment.run,
    lease,
    at: Math.floor(nowMs / 1000),
  };
}

export class LeaseKeeper {
  private readonly store: StoreContext;
  private readonly regions: string[];
  private lastRenewal: number;

  constructor(
    clients: AwsClients,
    private readonly deployment: Deployment,
    private readonly logger: LeaseLogger,
    private readonly now: () => number,
    storePath?: string,
  ) {
    this.store = storeContext({ clients, ...(storePath ? { path: storePath } : {}) });
    this.regions = [...new Set(deployment.targets.map((t) => t.region))];
    // wave-deploy wrote the lease when it shifted: the first renewal is due a third of a lease later.
    const shifted = Date.parse(deployment.shiftedAt);
    this.lastRenewal = Number.isNaN(shifted) ? now() : Math.min(shifted, now());
  }

  /** Milliseconds of the lease; null when the deployment has none. */
  get leaseMs(): number | null {
    const s = this.deployment.leaseSeconds;
    return s === undefined || s === null || s <= 0 ? null : s * 1000;
  }

  /** Renews the lease in every region when a third of it passed since the last renewal. */
  async renewIfDue(): Promise<void> {
    const lease = this.leaseMs;
    if (lease === null) return;
    const at = this.now();
    if (at - this.lastRenewal < lease / 3) return;
    this.lastRenewal = at;
    const until = Math.floor((at + lease) / 1000);
    await Promise.all(
      this.regions.map(async (region) => {
        try {
          const answer = await renewLease(this.store, region, entryOf(this.deployment, region, until, at), until);
          if (answer === 'renewed') this.logger.info(`lease renewed in ${region} until ${new Date(until * 1000).toISOString()}`);
          else this.logger.warn(`lease not renewed in ${region}: ${answer === 'missing' ? 'the deployment store holds no entry for this deployment' : 'the store entry belongs to another deployment (a newer run took over)'}`);
        } catch (error) {
          this.logger.warn(`lease not renewed in ${region}: ${logSafe((error as Error).message, 1000)}; the guardian rolls back when it runs out`);
        }
      }),
    );
  }

  /**
   * The wave's last bake passed: in every region, ends the lease (deletes the entry) when the aliases
   * are promoted, or parks it (lease cleared, entry kept) while the candidate holds a share below
   * 100%. Returns the regions where that failed (with why) and the regions parked.
   */
  async end(): Promise<{ failed: string[]; parked: string[] }> {
    const at = this.now();
    const failed: string[] = [];
    const parked: string[] = [];
    await Promise.all(
      this.regions.map(async (region) => {
        const targets = this.deployment.targets.filter((x) => x.region === region);
        const records = targets.map((t) => {
          const decoded = decodeRecord(t.record);
          return decoded.kind === 'record' ? decoded.record : null;
        });
        const park = records.some((r: AliasRecord | null) => lastBakeAction(r) === 'park');
        try {
          const entry = entryOf(this.deployment, region, null, at);
          const answer = park ? await renewLease(this.store, region, entry, null) : await endLease(this.store, region, entry);
          const done = answer === 'ended' || answer === 'renewed';
          if (done && park) parked.push(region);
          if (done) targets.forEach((t, i) => this.logger.info(logSafe(`transition ${region} ${t.function}:${t.alias}: ${lastBakeTransition(records[i] ?? null)}`, 1000)));
          this.logger.info(
            done
              ? park
                ? `lease parked in ${region}: the deployment store entry stays with no lease; the guardian watches the share on its alarms until the next wave takes it over`
                : `lease ended in ${region}: the deployment store entry is deleted, the aliases are at rest`
              : answer === 'missing'
                ? `lease in ${region}: no store entry for this deployment (nothing to end)`
                : `lease in ${region}: the store entry belongs to another deployment; left alone`,
          );
        } catch (error) {
          failed.push(`${region}: ${logSafe((error as Error).message, 1000)}`);
        }
      }),
    );
    return { failed, parked };
  }
}
