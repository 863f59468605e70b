// V1 through the real wave-deploy bundle on moto: a version that carries this commit in its
// description (anyone who may publish can write one) is reused only when its CodeSha256 is the code
// given. An attacker's version with the commit's description and other code is not deployed; a new
// version of the real code is, and its description carries the code hash.
import { describe, expect, it } from '@jest/globals';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipCodeSha256 } from '../../packages/aws/src/lambda.js';
import { motoEnv } from '../../packages/local/src/moto.js';
import { handlerZip } from '../../packages/local/src/zip.js';
import { createAlias, createFunctions, getAlias, motoEndpoint, publishVersion, rawLambda, uniqueName } from '../helpers/aws.js';
import { runBundle } from './wave-deploy-harness.js';

const REGION = 'eu-west-1';
const COMMIT = 'c0ffee0000000000000000000000000000000000'; // the harness's GITHUB_SHA

describe('V1: reuse of a version published for the commit', () => {
  it('ignores a version with the commit in its description but other code, and deploys a new version of the code given', async () => {
    const [fn] = await createFunctions({ regions: [REGION], name: uniqueName('sd-reuse'), tag: 'v1' });
    await createAlias(fn!, 'live', await publishVersion(fn!, 'v1', 'from infrastructure code'));
    // Someone with UpdateFunctionCode + PublishVersion (but not UpdateAlias) publishes their own code as "this commit".
    const evil = await publishVersion(fn!, 'evil', `safe-deploy commit=${COMMIT} run=1`);
    const dir = mkdtempSync(join(tmpdir(), 'sd-reuse-'));
    const good = join(dir, 'good.zip');
    writeFileSync(good, handlerZip('good'));

    const result = await runBundle('wave-deploy', { functions: fn!.functionName, regions: REGION, alias: 'live', 'zip-file': good, traffic: '10%' }, motoEnv(motoEndpoint()));
    if (result.code !== 0) throw new Error(`wave-deploy failed:\n${result.errors.join('\n')}\n${result.stdout.slice(-2000)}`);
    expect(result.stdout).toMatch(new RegExp(`version ${evil} carries commit ${COMMIT} .*not the code given .*not reused, a new version is published`));
    const weights = (await getAlias(fn!, 'live')).RoutingConfig?.AdditionalVersionWeights ?? {};
    const [candidate] = Object.keys(weights);
    expect(candidate).not.toBe(evil);
    const lambda = rawLambda(REGION);
    const deployed = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn!.functionName, Qualifier: candidate }));
    lambda.destroy();
    expect(deployed.CodeSha256).toBe(zipCodeSha256(handlerZip('good')));
    expect(deployed.Description).toBe(`safe-deploy commit=${COMMIT} run=4242 code=${zipCodeSha256(handlerZip('good'))}`);

    // A re-run of the same commit and code reuses the good version, publishing nothing.
    const again = await runBundle('wave-deploy', { functions: fn!.functionName, regions: REGION, alias: 'live', 'zip-file': good, traffic: '10%' }, motoEnv(motoEndpoint()));
    if (again.code !== 0) throw new Error(`wave-deploy failed:\n${again.errors.join('\n')}`);
    expect(again.stdout).toContain(`reusing version ${candidate} published for commit ${COMMIT} (same CodeSha256`);
  });
});
