import { describe, expect, it } from '@jest/globals';
import { ConfigError, formatProblems, loadConfigOrThrow, loadConfigText, type ConfigProblem } from '../../packages/core/src/config-loader.js';

function problems(text: string, file = '.github/safe-deploy.yml'): readonly ConfigProblem[] {
  const result = loadConfigText(file, text);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

function lines(text: string): string[] {
  return formatProblems(problems(text)).split('\n');
}

describe('config errors', () => {
  it('reports the issue example with file, line, column and path', () => {
    const text = [
      'version: 1', //                                        1
      'service: orders', //                                   2
      'functions: [orders-api]', //                           3
      'stages:', //                                           4
      '  - name: alpha', //                                   5
      '    regions: [us-west-2]', //                          6
      '  - name: beta', //                                    7
      '    regions: [us-west-2]', //                          8
      '  - name: gamma', //                                   9
      '    regions: [us-west-2]', //                          10
      '  - name: prod', //                                    11
      '    regions: [us-east-1, us-west-2]', //               12
      '    onebox:', //                                       13
      '      traffic: 25%', //                                14
      '',
    ].join('\n');
    expect(lines(text)).toEqual(['.github/safe-deploy.yml:14:16 stages[3].onebox.traffic: 25% is above the one-box limit of 10%']);
  });

  it('reports every problem at once, in document order, each at its value', () => {
    const text = `version: 2
service: orders
alias: "123"
functions: [orders-api, orders-api]
stages:
  - name: prod
    regions: [us-weast-1, eu-west-1, eu-west-1]
    onebox: { traffic: 5 }
    bake: { duration: 10, first: { duration: 1h } }
    waves: sometimes
    colour: blue
  - name: prod
    regions: []
alarms:
  block: ["prefix:"]
  rollback: [orders-high-severity]
  onebox: { error-rate: 1 percent }
windows:
  timezone: Mars/Olympus_Mons
  allow: ["Mon-Fry 09:00-16:00", "Tue 09:00-09:00"]
  freeze: ["2026-12-32", "2027-01-04..2026-12-20"]
`;
    expect(lines(text)).toEqual([
      '.github/safe-deploy.yml:1:10 version: expected version 1, got 2',
      '.github/safe-deploy.yml:3:8 alias: "123" is not a valid alias name: letters, digits, - and _, at most 128, not only digits',
      '.github/safe-deploy.yml:4:25 functions[1]: "orders-api" is listed twice (also at [0])',
      '.github/safe-deploy.yml:7:15 stages[0].regions[0]: "us-weast-1" is not an AWS region; did you mean us-east-1 or us-west-1 or us-east-2?',
      '.github/safe-deploy.yml:7:38 stages[0].regions[2]: "eu-west-1" is listed twice (also at [1])',
      '.github/safe-deploy.yml:8:24 stages[0].onebox.traffic: expected a percentage such as 5%, got a number (5)',
      '.github/safe-deploy.yml:9:23 stages[0].bake.duration: expected a duration such as 90s, 10m, 1h30m or 2d, got a number (10)',
      '.github/safe-deploy.yml:10:12 stages[0].waves: expected auto or a list of waves ({ regions, traffic, bake })',
      '.github/safe-deploy.yml:11:5 stages[0].colour: unknown key "colour"',
      '.github/safe-deploy.yml:12:11 stages[1].name: stage "prod" is defined twice (also stages[0])',
      '.github/safe-deploy.yml:13:14 stages[1].regions: needs at least one region',
      '.github/safe-deploy.yml:15:11 alarms.block[0]: "prefix:" has an empty prefix; write prefix: and the start of the alarm names, such as prefix:orders-',
      '.github/safe-deploy.yml:17:25 alarms.onebox.error-rate: "1 percent" is not a share; write a percentage such as 5%, 10% or 100%',
      '.github/safe-deploy.yml:19:13 windows.timezone: "Mars/Olympus_Mons" is not an IANA time zone; write one such as America/Los_Angeles, Europe/Berlin or UTC',
      '.github/safe-deploy.yml:20:11 windows.allow[0]: "Fry" is not a day; write Mon, Tue, Wed, Thu, Fri, Sat or Sun',
      '.github/safe-deploy.yml:20:34 windows.allow[1]: "Tue 09:00-09:00" starts and ends at the same time; for a whole day write 00:00-24:00',
      '.github/safe-deploy.yml:21:12 windows.freeze[0]: 2026-12-32 is not a calendar date',
      '.github/safe-deploy.yml:21:26 windows.freeze[1]: freeze 2027-01-04..2026-12-20 ends before it starts',
    ]);
  });

  it('points a missing key at the mapping that lacks it', () => {
    expect(lines('service: orders\nstages:\n  - regions: [us-east-1]\n')).toEqual([
      '.github/safe-deploy.yml:1:1 functions: is required',
      '.github/safe-deploy.yml:3:5 stages[0].name: is required',
    ]);
  });

  it('reports both bake forms given together at the key that must move', () => {
    const text = 'service: s\nfunctions: [f]\nstages:\n  - name: prod\n    regions: [us-east-1]\n    bake:\n      duration: 1h\n      rest: { duration: 2h }\n';
    expect(lines(text)).toEqual(['.github/safe-deploy.yml:7:17 stages[0].bake.duration: give either one bake (duration, min-invocations, ...) or first/rest, not both; move duration into first and rest']);
  });

  it('refuses regions of two partitions in one stage', () => {
    const text = 'service: s\nfunctions: [f]\nstages:\n  - name: prod\n    regions: [us-east-1, cn-north-1]\n';
    expect(lines(text)).toEqual([
      '.github/safe-deploy.yml:5:26 stages[0].regions[1]: cn-north-1 is in partition aws-cn but us-east-1 is in aws; one stage deploys within one partition (one set of credentials)',
    ]);
  });

  it('checks explicit waves against the rollout rules, with the path of each wave', () => {
    const text = `service: s
functions: [f]
stages:
  - name: beta
    regions: [us-west-2]
  - name: prod
    regions: [us-east-1, us-west-2, eu-west-1]
    waves:
      - { regions: [us-east-1, us-west-2], traffic: 20% }
      - { regions: [us-east-1] }
      - { regions: [us-east-1, ap-south-1] }
      - { regions: [us-west-2], traffic: 5% }
      - { regions: [us-west-2], traffic: 0% }
`;
    expect(lines(text)).toEqual([
      '.github/safe-deploy.yml:9:7 stages[1].waves: us-west-2, eu-west-1 never reach 100%; every region of the stage must be in exactly one full wave',
      '.github/safe-deploy.yml:9:20 stages[1].waves[0].regions: a one-box (traffic 20%) takes exactly one region, not 2',
      '.github/safe-deploy.yml:9:32 stages[1].waves[0].regions[1]: no wave may touch a second region before the first region (us-east-1) has taken its full wave and baked; deploy us-east-1 to 100% alone first',
      '.github/safe-deploy.yml:9:53 stages[1].waves[0].traffic: 20% is above the one-box limit of 10%; a wave takes its regions to 100% or is a one-box of at most 10%',
      '.github/safe-deploy.yml:11:21 stages[1].waves[2].regions[0]: us-east-1 already reached 100% in waves[1]; every region reaches 100% exactly once',
      '.github/safe-deploy.yml:11:32 stages[1].waves[2].regions[1]: ap-south-1 is not one of the stage\'s regions (us-east-1, us-west-2, eu-west-1)',
      '.github/safe-deploy.yml:12:42 stages[1].waves[3].traffic: us-west-2 already had 20% in waves[0]; a region\'s share only grows',
      '.github/safe-deploy.yml:13:42 stages[1].waves[4].traffic: a wave needs traffic; write a share above 0%',
    ]);
  });

  it('reports wave-rule problems together with schema problems elsewhere in the file', () => {
    const text = `service: s
functions: [f]
stages:
  - name: prod
    regions: [us-east-1, us-west-2]
    waves:
      - { regions: [us-west-2, us-east-1] }
      - { regions: [us-east-1] }
windows: { timezone: Nowhere/Land }
`;
    expect(lines(text)).toEqual([
      '.github/safe-deploy.yml:7:32 stages[0].waves[0].regions[1]: no wave may touch a second region before the first region (us-west-2) has taken its full wave and baked; deploy us-west-2 to 100% alone first',
      '.github/safe-deploy.yml:8:21 stages[0].waves[1].regions[0]: us-east-1 already reached 100% in waves[0]; every region reaches 100% exactly once',
      '.github/safe-deploy.yml:9:22 windows.timezone: "Nowhere/Land" is not an IANA time zone; write one such as America/Los_Angeles, Europe/Berlin or UTC',
    ]);
  });

  it('suggests the key that was probably meant', () => {
    const text = 'service: s\nfunctions: [f]\nstages:\n  - name: prod\n    regions: [us-east-1]\n    bake: { duration: 1h, min_invocations: 5, Mode: watch }\n    colour: blue\n';
    expect(lines(text)).toEqual([
      '.github/safe-deploy.yml:6:27 stages[0].bake.min_invocations: unknown key "min_invocations"; did you mean "min-invocations"?',
      '.github/safe-deploy.yml:6:47 stages[0].bake.Mode: unknown key "Mode"; did you mean "mode"?',
      '.github/safe-deploy.yml:7:5 stages[0].colour: unknown key "colour"',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const found = problems('service: orders\nfunctions: [a\nstages: []\n');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ file: '.github/safe-deploy.yml', path: '(document)' });
    expect(found[0]?.message).toMatch(/^YAML: /);
    expect(found[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('reports a duplicate key as a YAML error at its line', () => {
    const found = problems('service: a\nservice: b\nfunctions: [f]\nstages: [{ name: p, regions: [us-east-1] }]\n');
    expect(found[0]).toMatchObject({ line: 2, column: 1 });
    expect(found[0]?.message).toMatch(/unique/i);
  });

  it('reports an empty file and a file that is not a mapping', () => {
    expect(lines('')).toEqual(['.github/safe-deploy.yml:1:1 (document): the file is empty; it needs at least service, functions and stages']);
    expect(lines('- a\n- b\n')).toEqual(['.github/safe-deploy.yml:1:1 (document): expected object, got a list']);
  });

  it('warns about a watch bake longer than a hosted job, without failing', () => {
    const result = loadConfigText('c.yml', 'service: s\nfunctions: [f]\nstages:\n  - name: prod\n    regions: [us-east-1]\n    bake: { duration: 8h }\n');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(formatProblems(result.warnings)).toBe("c.yml:6:11 stages[0].bake: a 8h watch bake outlasts a GitHub-hosted job (6h); use mode: verify with the environment's wait timer, or a self-hosted runner");
  });

  it('throws a ConfigError listing every problem from loadConfigOrThrow', () => {
    expect(() => loadConfigOrThrow('c.yml', 'service: s\n')).toThrow(ConfigError);
    expect(() => loadConfigOrThrow('c.yml', 'service: s\n')).toThrow(/2 problems in c.yml:\nc.yml:1:1 functions: is required\nc.yml:1:1 stages: is required/);
  });
});
