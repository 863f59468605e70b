import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mermaid, planFromText, problemsMarkdown, summaryMarkdown } from '../../actions/plan/src/plan.js';

const text = readFileSync('examples/orders/safe-deploy.yml', 'utf8');

describe('plan summary', () => {
  it('draws one box per wave inside its stage and one arrow between consecutive waves', () => {
    const result = planFromText('examples/orders/safe-deploy.yml', text);
    if (!result.ok) throw new Error('example must load');
    const chart = mermaid(result.config, result.waves);
    expect(chart.match(/^ {2}subgraph /gm)).toHaveLength(4);
    expect(chart.match(/-->/g)).toHaveLength(result.waves.length - 1);
    expect(chart).toContain('w2_gamma_onebox(["gamma-onebox<br/>us-west-2 @ 10%<br/>bake 10m, ≥500 invocations"])');
    expect(chart).toContain('w6_prod_1["prod-1<br/>us-west-1 @ 100%<br/>bake 12h, ≥50,000 invocations, verify"]');
  });

  it('shows alarms, windows and whether a stage may start now', () => {
    const result = planFromText('examples/orders/safe-deploy.yml', text);
    if (!result.ok) throw new Error('example must load');
    const markdown = summaryMarkdown('examples/orders/safe-deploy.yml', result.config, result.waves, [], Date.parse('2026-12-24T18:00:00Z'));
    expect(markdown).toContain('| rollback (watched during shift and bake) | `orders-high-severity`, `prefix:orders-` |');
    expect(markdown).toContain('| one-box canary bounds | error rate ≤ 1%, p99 duration ≤ 800ms |');
    expect(markdown).toContain('Now: closed, Thu 2026-12-24 10:00 PST is inside the freeze 2026-12-20..2027-01-04; next window opens Tue 2027-01-05 09:00 PST');
  });

  it('lists every problem of a broken config in a table, escaping pipes', () => {
    const result = planFromText('c.yml', 'service: s\nfunctions: [f]\nstages:\n  - { name: p, regions: [us-east-1], tests: "a | b", colour: x }\nwindows: { allow: ["Mon 09:00|10:00"] }\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const markdown = problemsMarkdown('c.yml', result.problems);
    expect(markdown).toContain('## safe-deploy plan: `c.yml` has 2 problems');
    expect(markdown).toContain('| 4:54 | `stages[0].colour` | unknown key "colour" |');
    expect(markdown).toContain('"Mon 09:00\\|10:00" is not a weekly window');
  });
});
