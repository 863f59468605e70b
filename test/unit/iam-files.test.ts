// iam/*.json are real IAM policy documents with only the three contract placeholders, and the docs
// link them instead of carrying a second copy that could drift.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { allows, instantiate, loadPolicy } from '../helpers/iam.js';

const POLICIES = ['deployer', 'rollback', 'watch'] as const;

describe('iam/*.json', () => {
  it.each(POLICIES)('%s is a 2012-10-17 policy of Allow statements with only ${AccountId}, ${Region}, ${FunctionPrefix}', (name) => {
    const text = readFileSync(`iam/${name}.json`, 'utf8');
    const placeholders = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    for (const p of placeholders) expect(['AccountId', 'Region', 'FunctionPrefix']).toContain(p);
    const policy = loadPolicy(name);
    expect(policy.Version).toBe('2012-10-17');
    for (const statement of policy.Statement) expect(statement.Effect).toBe('Allow');
    // every Lambda resource comes in both forms, unqualified and qualified (F14)
    const lambdaResources = policy.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])).filter((r) => String(r).includes(':lambda:'));
    expect(lambdaResources).toEqual(expect.arrayContaining(['arn:aws:lambda:${Region}:${AccountId}:function:${FunctionPrefix}*', 'arn:aws:lambda:${Region}:${AccountId}:function:${FunctionPrefix}*:*']));
  });

  it('rollback.json allows GetFunctionConfiguration (F2) and no publishing; watch.json allows no Lambda write', () => {
    const values = { AccountId: '123456789012', Region: 'eu-west-1', FunctionPrefix: 'orders-' };
    const rollback = instantiate(loadPolicy('rollback'), values);
    const fn = 'arn:aws:lambda:eu-west-1:123456789012:function:orders-api';
    expect(allows(rollback, 'lambda:GetFunctionConfiguration', fn)).toBe(true);
    expect(allows(rollback, 'lambda:GetFunctionConfiguration', `${fn}:7`)).toBe(true);
    expect(allows(rollback, 'lambda:PublishVersion', fn)).toBe(false);
    const watch = instantiate(loadPolicy('watch'), values);
    for (const write of ['lambda:UpdateAlias', 'lambda:CreateAlias', 'lambda:PublishVersion', 'lambda:UpdateFunctionCode']) expect(allows(watch, write, fn)).toBe(false);
    expect(allows(watch, 'cloudwatch:DescribeAlarms', '*')).toBe(true);
  });

  it.each(['docs/adoption.md', 'docs/aws-layer.md'])('%s links every policy file and carries no copy of a permissions policy', (doc) => {
    const text = readFileSync(doc, 'utf8');
    for (const name of POLICIES) expect(text).toContain(`](../iam/${name}.json)`);
    const jsonBlocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    for (const block of jsonBlocks) expect(block).not.toMatch(/"lambda:|"cloudwatch:/);
  });
});
