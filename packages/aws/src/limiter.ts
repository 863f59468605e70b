// Per-region pacing of Lambda control-plane calls.
//
// Lambda shares about 15 control-plane requests per second per region between everything in
// the account (REFERENCE.md); safe-deploy keeps itself under 10 so the team's other tools
// still get through. Each region has its own budget, so regions run fully in parallel and
// only the functions inside one region queue behind each other.
//
// A call counts from the moment it starts until one window after it has answered. A request
// reaches AWS somewhere between those two moments, however long signing, a busy event loop or
// the network held it, so no window of that length ever sees more than `ratePerSecond` of them
// arrive: of any calls arriving within one window, the last to start found all the others still
// counted. (Counting only from the start would let a delayed batch bunch up with the next one.)

export interface LimiterOptions {
  /** Calls per region in any counting window (default 8 per 1.2 s window, always below 10 per second). */
  readonly ratePerSecond?: number;
  /**
   * Length of the counting window, milliseconds (default 1200, at least 1000): a call counts from
   * its start until this long after its answer. A second would keep the promise; the 0.2 s more
   * is slack for clocks.
   */
  readonly windowMs?: number;
  /** Calls in flight per region at once (default 8: as many as the rate lets start together). */
  readonly concurrency?: number;
  /** Clock in milliseconds (injectable for tests). */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface Counted {
  /** When the call answered (or failed); null while it is in flight. */
  endedAt: number | null;
}

interface RegionSlot {
  /** Calls still counted: in flight, or answered less than a window ago. */
  readonly counted: Counted[];
  active: number;
  readonly waiting: Array<() => void>;
  /** Wakes callers waiting for an in-flight call to answer. */
  readonly answered: Array<() => void>;
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
      slot = { counted: [], active: 0, waiting: [], answered: [] };
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
    let entry: Counted | null = null;
    try {
      for (;;) {
        const now = this.now();
        for (let i = slot.counted.length - 1; i >= 0; i -= 1) {
          const ended = (slot.counted[i] as Counted).endedAt;
          if (ended !== null && ended <= now - this.windowMs) slot.counted.splice(i, 1);
        }
        if (slot.counted.length < this.ratePerSecond) {
          entry = { endedAt: null };
          slot.counted.push(entry);
          break;
        }
        const ends = slot.counted.map((c) => c.endedAt).filter((t): t is number => t !== null);
        if (ends.length > 0) await this.sleep(Math.max(1, Math.min(...ends) + this.windowMs - now));
        else await new Promise<void>((resolve) => slot.answered.push(resolve)); // all in flight: wait for one to answer
      }
      return await call();
    } finally {
      if (entry) entry.endedAt = this.now();
      for (const wake of slot.answered.splice(0)) wake();
      const next = slot.waiting.shift();
      if (next) next(); // hand the slot over without releasing it
      else slot.active -= 1;
    }
  }
}
