// I1 through the real bundles on moto: an alias Description that forges runner commands in the
// record's commit (`g`) and run (`r`) fields. The strict decoder no longer accepts those fields
// (only [0-9A-Za-z._-]), and every text from AWS that wave-deploy and rollback log goes through
// logSafe, so no line of either log starts with a command taken from that text.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motoEnv } from '../../packages/local/src/moto.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { createAlias, createFunctions, getAlias, motoEndpoint, publishVersion, uniqueName } from '../helpers/aws.js';
import { runBundle, type BundleResult } from './wave-deploy-harness.js';

const REGION = 'us-west-2';
// security.md I1: accepted by the old decoder as kind `record`.
const FORGED = '{"sd":1,"s":"1","c":"2","p":null,"w":0.1,"st":"baking","g":"x\\n::error::forged-by-alias","r":"1\\n::stop-commands::zz","t":1}';

/** Lines a runner would read as commands that came from the forged text. */
function forgedCommands(result: BundleResult): string[] {
  return result.stdout.split('\n').filter((line) => /^::(stop-commands|error::forged|warning::forged|add-mask)/.test(line) || (line.startsWith('::') && /forged-by-alias|zz$/.test(line.split('::')[1] ?? '')));
}

describe('I1: forged record fields never reach a log line as a runner command', () => {
  it('wave-deploy and rollback refuse the record as unreadable, and print it without a command', async () => {
    const [fn] = await createFunctions({ regions: [REGION], name: uniqueName('sd-inject'), tag: 'v1' });
    const v1 = await publishVersion(fn!, 'v1');
    const v2 = await publishVersion(fn!, 'v2');
    expect([v1, v2]).toEqual(['1', '2']);
    await createAlias(fn!, 'live', '1', { description: JSON.parse(`"${FORGED.replace(/"/g, '\\"')}"`) as string, weights: { '2': 0.1 } });
    expect((await getAlias(fn!, 'live')).Description).toContain('\n::stop-commands::zz');
    const dir = mkdtempSync(join(tmpdir(), 'sd-inject-'));
    writeFileSync(join(dir, 'v3.zip'), handlerZip('v3'));
    const env = motoEnv(motoEndpoint());

    const deploy = await runBundle('wave-deploy', { functions: fn!.functionName, regions: REGION, alias: 'live', 'zip-file': join(dir, 'v3.zip'), traffic: '10%' }, env);
    expect(deploy.code).toBe(1);
    expect(deploy.errors.join('\n')).toMatch(/corrupt-record/);
    expect(forgedCommands(deploy)).toEqual([]);

    const previous = await runBundle('rollback', { functions: fn!.functionName, regions: REGION, alias: 'live', reason: 'test' }, env);
    expect(previous.code).toBe(1);
    expect(previous.errors.join('\n')).toMatch(/corrupt-record/);
    expect(forgedCommands(previous)).toEqual([]);

    // An explicit version rewrites the record; the log of that rollback shows the old one safely too.
    const explicit = await runBundle('rollback', { functions: fn!.functionName, regions: REGION, alias: 'live', to: '1', reason: 'test' }, env);
    if (explicit.code !== 0) throw new Error(`rollback failed:\n${explicit.errors.join('\n')}\n${explicit.stdout.slice(-2000)}`);
    expect(forgedCommands(explicit)).toEqual([]);
    expect(explicit.stdout).toMatch(/record unreadable/);
    expect((await getAlias(fn!, 'live')).FunctionVersion).toBe('1');
  });
});
