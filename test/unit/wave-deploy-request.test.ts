import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWaveRequest } from '../../actions/wave-deploy/src/request.js';
import { InputError, inputsFrom } from '../../packages/github/src/inputs.js';
import { handRollbackCommand, handRollbackFor, markdownTable, mermaidFlow } from '../../packages/github/src/summary.js';

const env = { GITHUB_SHA: 'abc123', GITHUB_RUN_ID: '77' } as NodeJS.ProcessEnv;
const explicit = { functions: 'orders-api, orders-worker', regions: 'us-east-1\nus-west-2', traffic: '10%' };

function refusal(inputs: Record<string, string>): InputError {
  try {
    readWaveRequest(inputsFrom(inputs), env);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected a refusal');
}

describe('wave-deploy inputs', () => {
  it('reads explicit targets, a one-box share and defaults', () => {
    const request = readWaveRequest(inputsFrom(explicit), env);
    expect(request.targets).toEqual({ kind: 'explicit', functions: ['orders-api', 'orders-worker'], regions: ['us-east-1', 'us-west-2'], alias: 'live' });
    expect(request.traffic).toBe(0.1);
    expect(request.steps).toEqual([0.1]);
    expect(request.code).toEqual({ kind: 'none' });
    expect(request.maxParallel).toBe(8);
    expect(request.commit).toBe('abc123');
    expect(request.run).toBe('77');
  });

  it('reads steps, their wait, and takes the final share from the last step', () => {
    const request = readWaveRequest(inputsFrom({ ...explicit, traffic: '', steps: '10%,50%,100%', 'step-wait': '2m' }), env);
    expect(request.steps).toEqual([0.1, 0.5, 1]);
    expect(request.traffic).toBe(1);
    expect(request.stepWaitMs).toBe(120_000);
  });

  it.each([
    [{ ...explicit, traffic: '15%' }, 'traffic', /one-box limit of 10%/],
    [{ ...explicit, traffic: '1.5' }, 'traffic', /no %/],
    [{ ...explicit, traffic: '150%' }, 'traffic', /above 100%/],
    [{ ...explicit, steps: '10%,50%', traffic: '' }, 'steps', /one-box limit/],
    [{ ...explicit, steps: '50%,10%,100%', traffic: '' }, 'steps', /grow/],
    [{ ...explicit, steps: '10%,100%', traffic: '10%' }, 'steps', /must equal traffic/],
    [{ ...explicit, version: '$LATEST' }, 'version', /\$LATEST/],
    [{ ...explicit, version: 'arn:aws:lambda:us-east-1:123456789012:function:billing:4' }, 'version', /belongs to function billing/],
    [{ ...explicit, regions: 'us-east-1,us-weast-2' }, 'regions', /not an AWS region; did you mean us-east-2 or us-west-2/],
    [{ ...explicit, functions: ' , ' }, 'functions', /is empty/],
    [{ ...explicit, regions: '' , functions: 'a'}, 'regions', /is empty/],
    [{ traffic: '10%' }, 'functions', /no targets/],
    [{ ...explicit, functions: 'arn:aws:lambda:us-east-1:1:function:x' }, 'functions', /not a Lambda function name/],
    [{ ...explicit, alias: '$LATEST' }, 'alias', /not an alias name/],
    [{ ...explicit, traffic: '' }, 'traffic', /is required/],
    [{ ...explicit, 'max-parallel': '0' }, 'max-parallel', /below the minimum/],
    [{ ...explicit, 'step-wait': 'soon' }, 'step-wait', /not a duration/],
    [{ ...explicit, 'zip-file': '/nonexistent/code.zip' }, 'zip-file', /does not exist/],
    [{ ...explicit, 's3-bucket': 'b' }, 's3-key', /required with s3-bucket/],
    [{ ...explicit, 'image-uri': 'nginx:latest' }, 'image-uri', /ECR image URI/],
    [{ ...explicit, 'image-uri': '1.dkr.ecr.us-east-1.amazonaws.com/x:1', version: '3' }, 'version', /one code source/],
    [{ ...explicit, config: '.github/safe-deploy.yml', stage: 'prod', wave: 'prod-1' }, 'functions', /not both/],
    [{ config: '.github/safe-deploy.yml', stage: 'prod' }, 'wave', /is required with config/],
  ])('refuses %p naming %s', (inputs, input, message) => {
    const error = refusal(inputs as Record<string, string>);
    expect(error.input).toBe(input);
    expect(error.message).toMatch(new RegExp(`^input ${input}: `));
    expect(error.message).toMatch(message);
  });

  it('accepts a zip file that exists and a version of the only target function', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-'));
    writeFileSync(join(dir, 'code.zip'), 'PK');
    expect(readWaveRequest(inputsFrom({ ...explicit, 'zip-file': join(dir, 'code.zip') }), env).code).toEqual({ kind: 'zip', path: join(dir, 'code.zip') });
    expect(readWaveRequest(inputsFrom({ ...explicit, functions: 'orders-api', version: 'orders-api:7' }), env).code).toEqual({
      kind: 'version',
      ref: { version: '7', function: 'orders-api' },
    });
  });

  it('a share of exactly 10% is a one-box, 0% publishes only, 100% promotes', () => {
    expect(readWaveRequest(inputsFrom({ ...explicit, traffic: '0%' }), env).traffic).toBe(0);
    expect(readWaveRequest(inputsFrom({ ...explicit, traffic: '100%' }), env).traffic).toBe(1);
    expect(readWaveRequest(inputsFrom({ ...explicit, traffic: '10%' }), env).traffic).toBe(0.1);
  });
});

describe('summary helpers', () => {
  it('escapes table cells', () => {
    expect(markdownTable(['a', 'b'], [['x|y', null]])).toBe('| a | b |\n| --- | --- |\n| x\\|y | — |');
  });

  it('draws a flow with status classes only for statuses in use', () => {
    const text = mermaidFlow(
      [
        { id: 'us-east-1', label: ['us-east-1', '3 → 4 at 10%'], status: 'done' },
        { id: 'us-west-2', label: ['us-west-2'], status: 'pending' },
      ],
      [{ from: 'us-east-1', to: 'us-west-2' }],
    );
    expect(text).toContain('us_east_1["✅ us-east-1<br/>3 → 4 at 10%"]:::done');
    expect(text).toContain('us_east_1 --> us_west_2');
    expect(text).toContain('classDef pending');
    expect(text).not.toContain('classDef failed');
  });

  it('writes the hand rollback command, quoting the reason', () => {
    expect(handRollbackCommand({ environment: 'prod', regions: ['us-east-1', 'eu-west-1'], version: '7', reason: "bake alarm: it's red" })).toBe(
      `gh workflow run rollback.yml -f environment=prod -f regions=us-east-1,eu-west-1 -f version=7 -f reason='bake alarm: it'\\''s red'`,
    );
    expect(handRollbackFor([{ region: 'a', version: '3' }, { region: 'b', version: '3' }], { environment: 'e', reason: 'r' })).toContain('-f version=3');
    expect(handRollbackFor([{ region: 'a', version: '3' }, { region: 'a', version: '5' }], { environment: 'e', reason: 'r' })).toContain('-f regions=a -f version=previous');
  });
});

describe('unqualified-triggers input', () => {
  it('is refuse or allow; empty leaves it to the config; anything else names the input', () => {
    expect(readWaveRequest(inputsFrom(explicit), env).unqualifiedTriggers).toBeUndefined();
    expect(readWaveRequest(inputsFrom({ ...explicit, 'unqualified-triggers': 'allow' }), env).unqualifiedTriggers).toBe('allow');
    expect(readWaveRequest(inputsFrom({ ...explicit, 'unqualified-triggers': 'refuse' }), env).unqualifiedTriggers).toBe('refuse');
    const error = refusal({ ...explicit, 'unqualified-triggers': 'yes' });
    expect(error.input).toBe('unqualified-triggers');
    expect(error.message).toMatch(/"yes" is not one of `refuse`, `allow`/);
  });
});
