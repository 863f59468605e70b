import { describe, expect, it } from '@jest/globals';
import { operationOf, quotaFor, regionOf } from '../../packages/local/src/fault-proxy.js';
import { QUOTAS } from '../../packages/local/src/realistic.js';

describe('fault proxy request naming', () => {
  it('names Lambda REST-JSON operations from method and path', () => {
    const cases: Array<[string, string, string]> = [
      ['GET', '/2015-03-31/functions/orders-api/aliases/live', 'GetAlias'],
      ['PUT', '/2015-03-31/functions/orders-api/aliases/live', 'UpdateAlias'],
      ['POST', '/2015-03-31/functions/orders-api/aliases', 'CreateAlias'],
      ['POST', '/2015-03-31/functions/orders-api/versions', 'PublishVersion'],
      ['GET', '/2015-03-31/functions/orders-api/versions?MaxItems=50', 'ListVersionsByFunction'],
      ['PUT', '/2015-03-31/functions/orders-api/code', 'UpdateFunctionCode'],
      ['GET', '/2015-03-31/functions/orders-api/configuration?Qualifier=3', 'GetFunctionConfiguration'],
      ['GET', '/2019-09-30/functions/orders-api/provisioned-concurrency?Qualifier=live', 'GetProvisionedConcurrencyConfig'],
      ['GET', '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A1%3Afunction%3Aorders', 'GetFunction'],
      ['POST', '/2015-03-31/functions', 'CreateFunction'],
      ['GET', '/2015-03-31/functions/orders-api/policy', 'GetPolicy'],
      ['GET', '/2015-03-31/event-source-mappings/?FunctionName=orders-api', 'ListEventSourceMappings'],
      ['GET', '/2015-03-31/event-source-mappings?FunctionName=orders-api', 'ListEventSourceMappings'],
      ['POST', '/2015-03-31/event-source-mappings/', 'CreateEventSourceMapping'],
      ['GET', '/2021-10-31/functions/orders-api/urls', 'ListFunctionUrlConfigs'],
      ['GET', '/2019-09-30/functions/orders-api/provisioned-concurrency?List=ALL', 'ListProvisionedConcurrencyConfigs'],
    ];
    for (const [method, url, name] of cases) expect(operationOf(method, url, {})).toBe(name);
  });

  it('names JSON-protocol operations from X-Amz-Target and finds the region in the signature', () => {
    expect(operationOf('POST', '/', { 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' })).toBe('DescribeAlarms');
    expect(regionOf({ authorization: 'AWS4-HMAC-SHA256 Credential=testing/20261126/ap-southeast-2/lambda/aws4_request, SignedHeaders=host, Signature=x' })).toBe('ap-southeast-2');
    expect(regionOf({})).toBe('unknown');
  });

  it('puts each operation in AWS\'s quota bucket: GetFunction its own, every other Lambda call the shared control plane, CloudWatch reads each their own', () => {
    const bucket = (service: string, operation: string) => quotaFor(QUOTAS, service, operation)?.[0] ?? null;
    expect(bucket('lambda', 'GetFunction')).toBe('lambda-get-function');
    for (const op of ['UpdateAlias', 'PublishVersion', 'GetAlias', 'CreateAlias', 'ListVersionsByFunction', 'UpdateFunctionCode', 'GetFunctionConfiguration', 'GetPolicy', 'ListEventSourceMappings', 'ListFunctionUrlConfigs', 'GET /2099-01-01/unknown']) {
      expect(bucket('lambda', op)).toBe('lambda-control-plane');
    }
    expect(bucket('lambda', 'Invoke')).toBeNull();
    expect(bucket('monitoring', 'DescribeAlarms')).toBe('cloudwatch-describe-alarms');
    expect(bucket('monitoring', 'DescribeAlarmHistory')).toBe('cloudwatch-describe-alarm-history');
    expect(bucket('monitoring', 'GetMetricData')).toBe('cloudwatch-get-metric-data');
    expect(bucket('monitoring', 'PutMetricData')).toBeNull();
    expect(bucket('sts', 'AssumeRole')).toBeNull();
    expect([QUOTAS['lambda-control-plane']!.perSecond, QUOTAS['lambda-get-function']!.perSecond, QUOTAS['cloudwatch-describe-alarms']!.perSecond, QUOTAS['cloudwatch-describe-alarm-history']!.perSecond, QUOTAS['cloudwatch-get-metric-data']!.perSecond]).toEqual([15, 100, 9, 3, 50]);
  });
});
