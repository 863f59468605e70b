// What bake-gate `final` does when a promoted wave's last bake passes, for tests that move on to the
// next release without running a bake: each region's store entry of the deployment is ended.
import { expect } from '@jest/globals';
import type { AwsClients } from '../../packages/aws/src/clients.js';
import { endLease, readDeployment, storeContext } from '../../packages/aws/src/deployment-store.js';

export async function lastBakePassed(clients: AwsClients, wave: { alias: string; functions: readonly string[]; regions: readonly string[]; service?: string | null }, path?: string): Promise<void> {
  const store = storeContext({ clients, ...(path ? { path } : {}) });
  for (const region of wave.regions) {
    const listed = await readDeployment(store, region, { alias: wave.alias, service: wave.service ?? null, functions: wave.functions });
    if (!listed?.ok) throw new Error(`no store entry for ${wave.functions.join(', ')} in ${region}`);
    expect(await endLease(store, region, listed.entry)).toBe('ended');
  }
}
