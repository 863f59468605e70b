// The overlap scenario's checks on alias logs built by hand: a log of the story as it should go
// passes, and each way the pipeline could break a rule is named.
import { describe, expect, it } from '@jest/globals';
import { checkOverlap, type AliasLogLine, type CheckWave, type OverlapRelease } from '../../packages/local/src/overlap-checks.js';

const H = 1000; // one "hour" of the test's clock
const WAVES: CheckWave[] = [
  { id: 'gamma-1', stage: 'gamma', regions: ['us-west-2'], traffic: 1, bakeMs: H / 3 },
  { id: 'prod-onebox', stage: 'prod', regions: ['r1'], traffic: 0.1, bakeMs: H },
  { id: 'prod-1', stage: 'prod', regions: ['r1'], traffic: 1, bakeMs: 12 * H },
  { id: 'prod-2', stage: 'prod', regions: ['r2'], traffic: 1, bakeMs: 3 * H },
];
const R0 = 'r0'.repeat(20);
const A = 'aa'.repeat(20);
const B = 'bb'.repeat(20);
const C = 'cc'.repeat(20);
const RELEASES: OverlapRelease[] = [
  { commit: R0, healthy: true, baseline: true },
  { commit: A, healthy: true },
  { commit: B, healthy: false },
  { commit: C, healthy: true },
];
const VERSION: Record<string, string> = { [R0]: '1', [A]: '2', [B]: '3', [C]: '4' };

/** One alias write: `routing` maps commits to shares, the first is the primary version. */
function write(at: number, stage: string, region: string, routing: [string, number][]): AliasLogLine {
  const [primary] = routing[0]!;
  return {
    at,
    stage,
    region,
    function: 'orders-api',
    alias: 'live',
    version: VERSION[primary]!,
    weights: Object.fromEntries(routing.map(([c, w]) => [VERSION[c]!, w])),
    commits: Object.fromEntries(routing.map(([c]) => [VERSION[c]!, c])),
  };
}

/** The story: A everywhere; B caught in the one-box; C follows A one wave behind. */
function story(): AliasLogLine[] {
  return [
    write(0, 'gamma', 'us-west-2', [[R0, 1]]),
    write(0, 'prod', 'r1', [[R0, 1]]),
    write(0, 'prod', 'r2', [[R0, 1]]),
    write(10, 'gamma', 'us-west-2', [[A, 1]]),
    write(10 + H / 3 + 5, 'prod', 'r1', [[R0, 0.9], [A, 0.1]]),
    write(20 + H / 3 + H, 'prod', 'r1', [[A, 1]]),
    write(400, 'gamma', 'us-west-2', [[B, 1]]),
    write(800, 'gamma', 'us-west-2', [[C, 1]]),
    write(30 + H / 3 + 13 * H, 'prod', 'r2', [[A, 1]]),
    write(40 + H / 3 + 13 * H, 'prod', 'r1', [[A, 0.9], [C, 0.1]]),
    write(50 + H / 3 + 14 * H, 'prod', 'r1', [[C, 1]]),
    write(60 + H / 3 + 26 * H, 'prod', 'r2', [[C, 1]]),
  ];
}

describe('checkOverlap', () => {
  it('passes the story and says when two healthy releases were in production together', () => {
    const verdict = checkOverlap(story(), RELEASES, WAVES, 'prod');
    expect(verdict.failures).toEqual([]);
    expect([...(verdict.overlap?.commits ?? [])].sort()).toEqual([A, C].sort());
    expect(verdict.prodRegions[A]).toEqual(['r1', 'r2']);
    expect(verdict.reached[A]!['prod-1']).toBe(20 + H / 3 + H);
  });

  it('passes a bad release caught in the one-box and rolled back before the next one came', () => {
    const log = story();
    // B in the one-box after A baked in r1, rolled back, then C.
    log.splice(9, 0, write(35 + H / 3 + 13 * H, 'prod', 'r1', [[A, 0.9], [B, 0.1]]), write(36 + H / 3 + 13 * H, 'prod', 'r1', [[A, 1]]));
    const verdict = checkOverlap(log, RELEASES, WAVES, 'prod');
    expect(verdict.failures).toEqual([]);
    expect(verdict.prodRegions[B]).toEqual(['r1']);
  });

  it('names a bad release that reached a second production region', () => {
    const both = [...story()];
    both.splice(9, 0, write(35 + H / 3 + 13 * H, 'prod', 'r1', [[A, 0.9], [B, 0.1]]), write(36 + H / 3 + 13 * H, 'prod', 'r1', [[A, 1]]), write(37 + H / 3 + 16 * H, 'prod', 'r2', [[A, 0.9], [B, 0.1]]), write(38 + H / 3 + 16 * H, 'prod', 'r2', [[A, 1]]));
    expect(checkOverlap(both, RELEASES, WAVES, 'prod').failures).toContain('bad release bbbbbbbbbbbb reached 2 production regions: r1, r2');
  });

  it('names a wave started before the wave before it had baked', () => {
    const log = story().map((l) => (l.stage === 'prod' && l.region === 'r2' && l.commits[VERSION[A]!] === A ? { ...l, at: 30 + H / 3 + 2 * H } : l));
    expect(checkOverlap(log, RELEASES, WAVES, 'prod').failures.join('\n')).toMatch(/aaaaaaaaaaaa started prod-2 .* before its bake of 12000 ms/);
  });

  it('names a newer release that arrives while the previous one is still in flight, or before it baked there', () => {
    const early = story().map((l) => (l.region === 'r1' && l.commits[VERSION[C]!] === C && l.weights[VERSION[A]!] === 0.9 ? { ...l, at: 30 + H / 3 + 2 * H } : l));
    expect(checkOverlap(early, RELEASES, WAVES, 'prod').failures.join('\n')).toMatch(/prod\/r1\/orders-api:live: cccccccccccc arrived .* before its prod-1 bake/);
    const split = story();
    split.splice(5, 0, write(15 + H / 3 + H / 2, 'prod', 'r1', [[R0, 0.8], [A, 0.1], [C, 0.1]]));
    expect(checkOverlap(split, RELEASES, WAVES, 'prod').failures.join('\n')).toMatch(/cccccccccccc arrived .* while r0r0r0r0r0r0 90% \+ aaaaaaaaaaaa 10% was still in flight/);
  });

  it('names a pipeline that never overlaps releases, and an alias that does not end on the newest healthy release', () => {
    const serial = story().filter((l) => !(l.commits[VERSION[C]!] === C && l.stage === 'prod'));
    const failures = checkOverlap(serial, RELEASES, WAVES, 'prod').failures;
    expect(failures).toContain('no two healthy releases were ever in production at once');
    const unfinished = story().slice(0, -1);
    expect(checkOverlap(unfinished, RELEASES, WAVES, 'prod').failures).toContain('prod/r2/orders-api:live ends on aaaaaaaaaaaa 100%, not wholly on cccccccccccc');
  });

  it('a rollback back onto a release does not restart its bake in that region', () => {
    const log = story();
    log.splice(9, 0, write(35 + H / 3 + 13 * H, 'prod', 'r1', [[A, 0.9], [B, 0.1]]), write(36 + H / 3 + 13 * H, 'prod', 'r1', [[A, 1]]));
    // C's one-box right after B's rollback: A took r1 long before, so it has baked there.
    expect(checkOverlap(log, RELEASES, WAVES, 'prod').failures).toEqual([]);
  });
});
