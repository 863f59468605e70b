// Prepares a local moto server for `npm run local -- wave-deploy actions/wave-deploy/.env.example`:
// an IAM role, the function `orders-api` in three regions with version 1 behind the alias `live`
// (as infrastructure code would leave it), and the zip of a new release in tmp/.
//
//   python3 -m moto.server -H 127.0.0.1 -p 5000 &
//   AWS_ENDPOINT_URL=http://127.0.0.1:5000 npx tsx actions/wave-deploy/local-setup.ts
//   npm run local -- wave-deploy actions/wave-deploy/.env.example
//
// Safe to run twice: what exists already is kept. Refuses to run without AWS_ENDPOINT_URL, so it
// never touches a real account.
import { mkdirSync, writeFileSync } from 'node:fs';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateFunctionCommand, GetAliasCommand, LambdaClient, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { zipFiles } from '../../packages/local/src/zip.js';

export const LOCAL_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
export const LOCAL_FUNCTION = 'orders-api';
export const LOCAL_ZIP = 'tmp/wave-deploy-local.zip';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };

function handler(tag: string): Buffer {
  return zipFiles({ 'index.mjs': `export const handler = async () => ({ statusCode: 200, body: ${JSON.stringify(tag)} });\n` });
}

export async function setUpLocal(endpoint: string, root = '.'): Promise<void> {
  const iam = new IAMClient({ region: 'us-east-1', endpoint, credentials });
  const roleName = 'safe-deploy-local-lambda';
  let role: string;
  try {
    role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!.Arn!;
  } catch {
    role = (
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        }),
      )
    ).Role!.Arn!;
  }
  iam.destroy();
  for (const region of LOCAL_REGIONS) {
    const lambda = new LambdaClient({ region, endpoint, credentials });
    try {
      await lambda.send(new GetAliasCommand({ FunctionName: LOCAL_FUNCTION, Name: 'live' }));
      console.log(`${region}: ${LOCAL_FUNCTION}:live exists`);
    } catch {
      await lambda
        .send(new CreateFunctionCommand({ FunctionName: LOCAL_FUNCTION, Runtime: 'nodejs20.x', Role: role, Handler: 'index.handler', Code: { ZipFile: handler('v1') } }))
        .catch((error: Error) => {
          if (error.name !== 'ResourceConflictException') throw error;
        });
      const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: LOCAL_FUNCTION, Description: 'from infrastructure code' }));
      await lambda.send(new CreateAliasCommand({ FunctionName: LOCAL_FUNCTION, Name: 'live', FunctionVersion: v1.Version }));
      console.log(`${region}: created ${LOCAL_FUNCTION} with live -> ${v1.Version}`);
    } finally {
      lambda.destroy();
    }
  }
  mkdirSync(`${root}/tmp`, { recursive: true });
  writeFileSync(`${root}/${LOCAL_ZIP}`, handler(`release built ${new Date().toISOString()}`));
  console.log(`wrote ${LOCAL_ZIP}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) {
    console.error('set AWS_ENDPOINT_URL to a local moto server (for example http://127.0.0.1:5000); this script never touches real AWS');
    process.exit(2);
  }
  await setUpLocal(endpoint);
}
