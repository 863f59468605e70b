// guardian/template.yml created on moto's CloudFormation from the zipped bundle in S3, the way a
// StackSet instance creates it in each region: the stack completes, the function runs the bundle's
// handler on nodejs24.x with the guardian's environment, and both rules target it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CloudFormationClient, CreateStackCommand, DescribeStackResourcesCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { zipFiles } from '../../packages/local/src/zip.js';
import { ensureGuardianBundle, GUARDIAN_BUNDLE } from '../e2e/guardian-harness.js';
import { motoEndpoint, rawLambda, TEST_CREDENTIALS, uniqueName } from '../helpers/aws.js';

const REGION = 'eu-west-1';
const config = () => ({ region: REGION, endpoint: motoEndpoint(), credentials: TEST_CREDENTIALS });
let bucket: string;

beforeAll(async () => {
  ensureGuardianBundle();
  bucket = uniqueName('guardian-code');
  const s3 = new S3Client({ ...config(), forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    const zip = zipFiles({ 'index.js': readFileSync(GUARDIAN_BUNDLE), 'package.json': readFileSync(GUARDIAN_BUNDLE.replace(/index\.js$/, 'package.json')) });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'guardian.zip', Body: zip }));
  } finally {
    s3.destroy();
  }
}, 240_000);

const cfn = new CloudFormationClient(config());
const events = new EventBridgeClient(config());
afterAll(() => {
  cfn.destroy();
  events.destroy();
});

describe('guardian/template.yml on CloudFormation', () => {
  it('creates the function, its role, both rules and the notification topic', async () => {
    const stackName = uniqueName('safe-deploy-guardian');
    await cfn.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: readFileSync(new URL('../../guardian/template.yml', import.meta.url), 'utf8'),
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: [
          { ParameterKey: 'CodeS3Bucket', ParameterValue: bucket },
          { ParameterKey: 'CodeS3Key', ParameterValue: 'guardian.zip' },
          { ParameterKey: 'StopAlarms', ParameterValue: 'team-sev1,prefix:team-sev2-' },
        ],
      }),
    );
    let status = '';
    for (let i = 0; i < 60 && !/COMPLETE|FAILED/.test(status); i += 1) {
      const described = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
      status = described.Stacks?.[0]?.StackStatus ?? '';
      if (!/COMPLETE|FAILED/.test(status)) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe('CREATE_COMPLETE');
    const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }))).StackResources ?? [];
    const physical = (logical: string) => resources.find((r) => r.LogicalResourceId === logical)?.PhysicalResourceId as string;
    expect(resources.map((r) => r.ResourceType).sort()).toEqual(
      expect.arrayContaining(['AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::Events::Rule', 'AWS::Logs::LogGroup', 'AWS::SNS::Topic']),
    );

    const lambda = rawLambda(REGION);
    try {
      const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: physical('Function') }));
      expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 55 });
      expect(fn.Role).toContain(physical('Role'));
      expect(fn.Environment?.Variables).toMatchObject({ SAFE_DEPLOY_STOP_ALARMS: 'team-sev1,prefix:team-sev2-', SAFE_DEPLOY_STORE_PATH: '/safe-deploy', SAFE_DEPLOY_EVENT_BUS: 'default' });
    } finally {
      lambda.destroy();
    }

    const alarmRule = await events.send(new DescribeRuleCommand({ Name: physical('AlarmRule') }));
    expect(JSON.parse(alarmRule.EventPattern ?? '{}')).toEqual({ source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], detail: { state: { value: ['ALARM'] } } });
    const sweepRule = await events.send(new DescribeRuleCommand({ Name: physical('SweepRule') }));
    expect(sweepRule.ScheduleExpression).toBe('rate(1 minute)');
    for (const rule of ['AlarmRule', 'SweepRule']) {
      const targets = await events.send(new ListTargetsByRuleCommand({ Rule: physical(rule) }));
      expect(targets.Targets?.map((t) => t.Arn)).toEqual([expect.stringContaining(':function:safe-deploy-guardian')]);
    }
  });
});
