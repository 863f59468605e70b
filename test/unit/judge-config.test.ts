// The judge's settings in the config: the `judge:` section (bake-gate's inputs: bake-gate-inputs.test.ts).
import { describe, expect, it } from '@jest/globals';
import { configToJson } from '../../packages/core/src/config.js';
import { formatProblem, loadConfigText } from '../../packages/core/src/config-loader.js';

const minimal = `service: orders
functions: [orders-api]
stages:
  - { name: prod, regions: [us-east-1] }
`;

describe('config judge:', () => {
  it('reads the level, the effect and the latency margin, and writes them back', () => {
    const loaded = loadConfigText('safe-deploy.yml', `${minimal}judge:\n  false-positive-rate: 1%\n  min-effect: 2x\n  max-p99-over-stable: 20%\n`);
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
    expect(loaded.config.judge).toEqual({ falsePositiveRate: 0.01, minEffect: 2, maxP99OverStable: 0.2 });
    expect(configToJson(loaded.config).judge).toEqual({ 'false-positive-rate': '1%', 'min-effect': '2x', 'max-p99-over-stable': '20%' });
    const again = loadConfigText('again.yml', JSON.stringify(configToJson(loaded.config)));
    expect(again.ok && again.config.judge).toEqual(loaded.config.judge);
  });

  it('leaves it out when absent', () => {
    const loaded = loadConfigText('safe-deploy.yml', minimal);
    expect(loaded.ok && loaded.config.judge).toBeUndefined();
  });

  it('reports a bad level or effect with file, line and column', () => {
    const loaded = loadConfigText('safe-deploy.yml', `${minimal}judge:\n  false-positive-rate: 60%\n  min-effect: double\n`);
    expect(loaded.ok).toBe(false);
    const messages = loaded.ok ? [] : loaded.problems.map(formatProblem);
    expect(messages).toEqual([
      expect.stringMatching(/^safe-deploy\.yml:6:\d+ judge\.false-positive-rate: must be above 0% and below 50%/),
      expect.stringMatching(/^safe-deploy\.yml:7:\d+ judge\.min-effect: "double" is not an effect/),
    ]);
  });
});
