// The committed actions/wave-deploy/.env.example works with `npm run local -- wave-deploy`
// (@github/local-action) against moto, after actions/wave-deploy/local-setup.ts prepared it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LOCAL_FUNCTION, LOCAL_REGIONS, setUpLocal } from '../../actions/wave-deploy/local-setup.js';
import { startMoto, type MotoServer } from '../../packages/local/src/moto.js';
import { ROOT } from './wave-deploy-harness.js';

let moto: MotoServer;
const envFile = `tmp/wave-deploy-local-${process.pid}.env`;

beforeAll(async () => {
  moto = await startMoto(); // private: the committed file names fixed function names
  await setUpLocal(moto.endpoint, ROOT);
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const example = readFileSync(join(ROOT, 'actions/wave-deploy/.env.example'), 'utf8');
  writeFileSync(join(ROOT, envFile), example.replace(/^AWS_ENDPOINT_URL=.*$/m, `AWS_ENDPOINT_URL=${moto.endpoint}`));
});

afterAll(async () => {
  rmSync(join(ROOT, envFile), { force: true });
  await moto.stop();
});

describe('npm run local -- wave-deploy with the committed .env.example', () => {
  it('runs the action through @github/local-action: a one-box of 10% in the first region', async () => {
    const run = spawnSync(process.execPath, ['scripts/local-action.mjs', 'wave-deploy', envFile], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } });
    expect(run.stdout).toContain('::set-output name=deployment::');
    expect(run.stdout).not.toContain('::error');
    expect(run.status).toBe(0);
    const lambda = new LambdaClient({ region: LOCAL_REGIONS[0], endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: LOCAL_FUNCTION, Name: 'live' }));
    lambda.destroy();
    expect(alias.FunctionVersion).toBe('1');
    expect(alias.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
  });
});
