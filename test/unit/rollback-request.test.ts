import { describe, expect, it } from '@jest/globals';
import { readRollbackRequest } from '../../actions/rollback/src/request.js';
import { rollbackSummary } from '../../actions/rollback/src/main.js';
import type { RollbackResult } from '../../packages/deploy/src/rollback.js';
import { InputError, inputsFrom } from '../../packages/github/src/inputs.js';

const env = { GITHUB_RUN_ID: '9', GITHUB_SHA: 'abc' } as NodeJS.ProcessEnv;
const deployment = {
  format: 1,
  stage: 'gamma',
  alias: 'live',
  commit: 'abc',
  run: '8',
  traffic: 0.1,
  shiftedAt: '2026-11-26T00:00:00Z',
  targets: [
    { region: 'us-east-1', function: 'api', alias: 'live', stable: '3', candidate: '4', weight: 0.1, revision: null, record: '' },
    { region: 'eu-west-1', function: 'api', alias: 'live', stable: '5', candidate: '6', weight: 0.1, revision: null, record: '' },
  ],
};

function refusal(inputs: Record<string, string>): Error {
  try {
    readRollbackRequest(inputsFrom(inputs), env);
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    if (!(inputs.deployment ?? '').startsWith('{')) expect(error).toBeInstanceOf(InputError); // the deployment parser (deployment.ts) throws a plain Error naming the input
    return error as Error;
  }
  throw new Error('expected a refusal');
}

describe('rollback inputs', () => {
  it('takes targets and recorded stable versions from the deployment', () => {
    const request = readRollbackRequest(inputsFrom({ deployment: JSON.stringify(deployment), reason: 'bad canary' }), env);
    expect(request.targets).toEqual([
      { region: 'us-east-1', function: 'api', alias: 'live', recordedStable: '3', recordedCandidate: '4' },
      { region: 'eu-west-1', function: 'api', alias: 'live', recordedStable: '5', recordedCandidate: '6' },
    ]);
    expect(request.to).toBe('previous');
    expect(request.environment).toBe('gamma');
    expect(request.maxParallel).toBe(50);
  });

  it('crosses explicit functions and regions', () => {
    const request = readRollbackRequest(inputsFrom({ functions: 'a,b', regions: 'us-east-1\neu-west-1', to: '7', commit: 'abc123' }), env);
    expect(request.targets).toHaveLength(4);
    expect(request.targets.every((t) => t.alias === 'live')).toBe(true);
    expect(request.onlyCommit).toBe('abc123');
  });

  it.each([
    [{ deployment: '{' }, 'deployment', /not JSON/],
    [{ deployment: JSON.stringify({ ...deployment, targets: [] }) }, 'deployment', /targets/],
    [{ deployment: JSON.stringify(deployment), regions: 'us-east-1' }, 'regions', /not both/],
    [{}, 'deployment', /no targets/],
    [{ functions: 'api', regions: 'us-east-1', to: '$LATEST' }, 'to', /\$LATEST/],
    [{ functions: 'api', regions: 'us-east-1', to: 'latest' }, 'to', /not a version/],
    [{ functions: 'api', regions: 'us-east-1', to: 'billing:3' }, 'to', /belongs to function billing/],
    [{ functions: 'api', regions: 'mars-1' }, 'regions', /not an AWS region/],
    [{ functions: 'api', regions: ' , ' }, 'regions', /is empty/],
    [{ functions: 'api', regions: 'us-east-1', alias: '7' }, 'alias', /not an alias name/],
    [{ functions: 'api', regions: 'us-east-1', commit: 'a b' }, 'commit', /not a commit/],
  ])('refuses %p naming %s', (inputs, input, message) => {
    const error = refusal(inputs as Record<string, string>);
    expect(error.message).toMatch(new RegExp(`^input ${input}: `));
    expect(error.message).toMatch(message);
  });
});

describe('rollback summary', () => {
  it('shows before → after per alias and the command to finish by hand for those that failed', () => {
    const request = readRollbackRequest(inputsFrom({ deployment: JSON.stringify(deployment), reason: 'alarm: orders-5xx' }), env);
    const view = (version: string, weights: Record<string, number> = {}) => ({ region: '', functionName: 'api', alias: 'live', version, weights, revision: null, description: '', record: { kind: 'none' as const } });
    const result: RollbackResult = {
      outcome: 'failed',
      message: 'eu-west-1 api:live: write-failed: AccessDenied',
      aliases: [
        { region: 'us-east-1', target: { region: 'us-east-1', functionName: 'api', alias: 'live' }, to: '3', before: view('3', { '4': 0.1 }), after: view('3'), wrote: true, skipped: null, error: null },
        { region: 'eu-west-1', target: { region: 'eu-west-1', functionName: 'api', alias: 'live' }, to: '5', before: view('5', { '6': 0.1 }), after: view('5', { '6': 0.1 }), wrote: false, skipped: null, error: 'write-failed: AccessDenied' },
      ],
    };
    const text = rollbackSummary(request, result);
    expect(text).toContain('| us-east-1 | api | live | version 3 +4 at 10%; no record | 3 | version 3; no record | ✅ rolled back |');
    expect(text).toContain('| eu-west-1 | api | live | version 5 +6 at 10%; no record | 5 | version 5 +6 at 10%; no record | ❌ write-failed: AccessDenied |');
    expect(text).toContain("gh workflow run rollback.yml -f environment=gamma -f regions=eu-west-1 -f version=5 -f reason='alarm: orders-5xx'");
  });
});

describe('S2: a long reason', () => {
  it('is cut to 500 characters and marked with "…", never refused (2 alarms × 10 regions make 770)', () => {
    const regions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-central-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1'];
    const reason = `sentinel: ${regions.flatMap((r) => [`orders-api-5xx-errors (${r})`, `orders-api-latency-p99 (${r})`]).join(', ')}`;
    expect(reason.length).toBeGreaterThan(700);
    const request = readRollbackRequest(inputsFrom({ deployment: JSON.stringify(deployment), reason }), env);
    expect(request.reason).toHaveLength(501);
    expect(request.reason.endsWith('…')).toBe(true);
    expect(request.reason.startsWith(reason.slice(0, 500))).toBe(true);
  });
});
