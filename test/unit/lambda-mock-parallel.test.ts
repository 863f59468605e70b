// Pacing and fan-out: the per-region limiter keeps under 10 calls per second per region while
// regions run side by side, and forEachTarget gives every target an outcome.
import { describe, expect, it } from '@jest/globals';
import { forEachTarget } from '../../packages/aws/src/lambda.js';
import { RegionLimiter } from '../../packages/aws/src/limiter.js';

/** A virtual clock: sleep advances time instantly. */
function virtualTime() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('RegionLimiter', () => {
  it('starts at most ratePerSecond calls per region in any one-second window', async () => {
    const clock = virtualTime();
    const limiter = new RegionLimiter({ ratePerSecond: 8, concurrency: 4, ...clock });
    const starts: Record<string, number[]> = { 'us-east-1': [], 'eu-west-1': [] };
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const region = i % 2 === 0 ? 'us-east-1' : 'eu-west-1';
        return limiter.run(region, async () => {
          starts[region]?.push(clock.now());
        });
      }),
    );
    for (const list of Object.values(starts)) {
      expect(list).toHaveLength(20);
      for (const t of list) expect(list.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(8);
      // 20 calls, 8 per 1.2 s window: starts at 0, 1.2 s and 2.4 s, not later
      expect(Math.max(...list)).toBeLessThan(2500);
    }
  });

  it('keeps arrivals under the rate when calls are held on their way out, counting each until a window after its answer', async () => {
    // Real time: every call "arrives" at a moment between its start and its answer. The first eight
    // are held 300 ms on the way (a busy event loop, a slow connect); counting from the start alone
    // would let them land in the same second as the next eight.
    const limiter = new RegionLimiter({ ratePerSecond: 8, windowMs: 1000 });
    const arrivals: number[] = [];
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        limiter.run('us-east-1', async () => {
          if (i < 8) await new Promise((resolve) => setTimeout(resolve, 300));
          arrivals.push(Date.now());
        }),
      ),
    );
    expect(arrivals).toHaveLength(16);
    for (const t of arrivals) expect(arrivals.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(8);
  });

  it('with every counted call still in flight, waits for one to answer before starting another', async () => {
    const clock = virtualTime();
    const limiter = new RegionLimiter({ ratePerSecond: 2, concurrency: 4, ...clock });
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = limiter.run('us-east-1', async () => {
      order.push('a');
      await held;
    });
    const second = limiter.run('us-east-1', async () => {
      order.push('b');
      await held;
    });
    const third = limiter.run('us-east-1', async () => void order.push('c'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['a', 'b']); // c waits: two counted, both in flight
    release();
    await Promise.all([first, second, third]);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('never runs more than `concurrency` calls of one region at once', async () => {
    const limiter = new RegionLimiter({ ratePerSecond: 9, concurrency: 3 });
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 9 }, () =>
        limiter.run('us-east-1', async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 5));
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('refuses a rate that would crowd Lambda’s shared control-plane budget', () => {
    expect(() => new RegionLimiter({ ratePerSecond: 15 })).toThrow(/between 1 and 9/);
  });
});

describe('forEachTarget', () => {
  it('runs regions in parallel and reports every outcome in input order, failures included', async () => {
    const targets = [
      { region: 'a', name: 'f1' },
      { region: 'b', name: 'f1' },
      { region: 'a', name: 'f2' },
      { region: 'c', name: 'f1' },
    ];
    const running = new Set<string>();
    let peakRegions = 0;
    const outcomes = await forEachTarget(targets, async (t) => {
      running.add(t.region);
      peakRegions = Math.max(peakRegions, running.size);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running.delete(t.region);
      if (t.region === 'b') throw new Error('b failed');
      return `${t.region}/${t.name}`;
    });
    expect(outcomes.map((o) => (o.ok ? o.value : o.error.message))).toEqual(['a/f1', 'b failed', 'a/f2', 'c/f1']);
    expect(peakRegions).toBe(3);
  });

  it('caps the regions changed at once', async () => {
    const targets = ['a', 'b', 'c', 'd', 'e'].map((region) => ({ region }));
    let active = 0;
    let peak = 0;
    await forEachTarget(
      targets,
      async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active -= 1;
      },
      { maxRegions: 2 },
    );
    expect(peak).toBe(2);
  });
});
