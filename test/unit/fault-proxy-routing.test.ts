import { describe, expect, it } from '@jest/globals';
import { operationOf, regionOf } from '../../packages/local/src/fault-proxy.js';

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
    ];
    for (const [method, url, name] of cases) expect(operationOf(method, url, {})).toBe(name);
  });

  it('names JSON-protocol operations from X-Amz-Target and finds the region in the signature', () => {
    expect(operationOf('POST', '/', { 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' })).toBe('DescribeAlarms');
    expect(regionOf({ authorization: 'AWS4-HMAC-SHA256 Credential=testing/20261126/ap-southeast-2/lambda/aws4_request, SignedHeaders=host, Signature=x' })).toBe('ap-southeast-2');
    expect(regionOf({})).toBe('unknown');
  });
});
