// Per-region pacing of Lambda control-plane calls.
//
// Lambda shares about 15 control-plane requests per second per region between everything in
// the account (REFERENCE.md); safe-deploy keeps itself under 10 so the team's other tools
// still get through. Each region has its own budget, so regions run fully in parallel and
// only the functions inside one region queue behind each other.

export interface LimiterOptions {
  /** Calls started per region in any counting window (default 8 per 1.2 s window, always below 10 per second). */
  readonly ratePerSecond?: number;
  /**
   * Length of the counting window, milliseconds (default 1200). A bit longer than a second, so
   * that calls delayed on their way out (signing, a busy event loop) still arrive at AWS at most
   * `ratePerSecond` in any one second.
   */
  readonly windowMs?: number;
  /** Calls in flight per region at once (default 8: as many as the rate lets start together). */
  readonly concurrency?: number;
  /** Clock in milliseconds (injectable for tests). */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface RegionSlot {
  readonly starts: number[];
  active: number;
  readonly waiting: Array<() => void>;
}

export const MAX_CALLS_PER_SECOND = 9;

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class RegionLimiter {
  private readonly regions = new Map<string, RegionSlot>();
  readonly ratePerSecond: number;
  readonly concurrency: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: LimiterOptions = {}) {
    const rate = options.ratePerSecond ?? 8;
    if (!(rate > 0 && rate <= MAX_CALLS_PER_SECOND)) {
      throw new Error(`ratePerSecond must be between 1 and ${MAX_CALLS_PER_SECOND} (Lambda shares ~15 control-plane calls/s per region), got ${rate}`);
    }
    this.ratePerSecond = rate;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.windowMs = Math.max(1000, options.windowMs ?? 1200);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  private slot(region: string): RegionSlot {
    let slot = this.regions.get(region);
    if (!slot) {
      slot = { starts: [], active: 0, waiting: [] };
      this.regions.set(region, slot);
    }
    return slot;
  }

  /** Runs one control-plane call in `region` within the region's concurrency and rate. */
  async run<T>(region: string, call: () => Promise<T>): Promise<T> {
    const slot = this.slot(region);
    if (slot.active >= this.concurrency) {
      await new Promise<void>((resolve) => slot.waiting.push(resolve));
    } else {
      slot.active += 1;
    }
    try {
      for (;;) {
        const now = this.now();
        while (slot.starts.length > 0 && (slot.starts[0] as number) <= now - this.windowMs) slot.starts.shift();
        if (slot.starts.length < this.ratePerSecond) {
          slot.starts.push(now);
          break;
        }
        await this.sleep(Math.max(1, (slot.starts[0] as number) + this.windowMs - now));
      }
      return await call();
    } finally {
      const next = slot.waiting.shift();
      if (next) next(); // hand the slot over without releasing it
      else slot.active -= 1;
    }
  }
}
