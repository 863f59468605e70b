// Concurrency groups of the local workflow runner (workflow-runner.ts), for runs (workflow-level
// `concurrency`) and jobs (job-level), as GitHub documents them: per group one holder runs; by
// default (`queue: single`) one waits, and a newer arrival replaces the waiting one, which is
// cancelled without ever starting; with `queue: max` every waiting one is kept, in arrival order
// (GitHub keeps up to 100; the oldest waiting one is cancelled beyond that). `cancel-in-progress`
// cancels the running holder when a new one arrives. Group names compare case-insensitively.

export interface ConcurrencySpec {
  readonly group: string;
  readonly cancelInProgress: boolean;
  readonly queue: 'single' | 'max';
}

export interface ConcurrencyHolder {
  /** Shown in the events, e.g. `run 42` or `run 42 / deploy`. */
  readonly name: string;
  /** Called when `cancel-in-progress` of a newer arrival cancels this running holder. */
  cancel(reason: string): void;
}

export interface ConcurrencyEvent {
  readonly group: string;
  readonly holder: string;
  readonly what: 'running' | 'pending' | 'replaced' | 'cancelled-in-progress' | 'withdrawn' | 'released';
  readonly by?: string;
}

export interface Lease {
  release(): void;
}

export interface Ticket {
  /** Resolves when the holder runs; null when it was replaced or withdrawn while waiting. */
  readonly lease: Promise<Lease | null>;
  /** Leaves the queue (a run cancelled while waiting); no-op once running. */
  withdraw(): void;
}

interface Waiting {
  readonly holder: ConcurrencyHolder;
  readonly resolve: (lease: Lease | null) => void;
}

interface Group {
  running: ConcurrencyHolder | null;
  readonly pending: Waiting[];
}

export const MAX_QUEUE = 100;

export class ConcurrencyGroups {
  private readonly groups = new Map<string, Group>();
  readonly events: ConcurrencyEvent[] = [];

  enter(spec: ConcurrencySpec, holder: ConcurrencyHolder): Ticket {
    const key = spec.group.toLowerCase();
    let group = this.groups.get(key);
    if (!group) {
      group = { running: null, pending: [] };
      this.groups.set(key, group);
    }
    const g = group;
    const note = (what: ConcurrencyEvent['what'], who: string, by?: string) => this.events.push({ group: spec.group, holder: who, what, ...(by ? { by } : {}) });
    const leaseFor = (h: ConcurrencyHolder): Lease => {
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          if (g.running !== h) return;
          note('released', h.name);
          g.running = null;
          const next = g.pending.shift();
          if (next) {
            g.running = next.holder;
            note('running', next.holder.name);
            next.resolve(leaseFor(next.holder));
          }
        },
      };
    };
    if (spec.cancelInProgress && g.running) {
      note('cancelled-in-progress', g.running.name, holder.name);
      g.running.cancel(`cancelled by ${holder.name} (concurrency group ${spec.group}, cancel-in-progress)`);
    }
    if (!g.running && g.pending.length === 0) {
      g.running = holder;
      note('running', holder.name);
      return { lease: Promise.resolve(leaseFor(holder)), withdraw: () => undefined };
    }
    const drop = (limit: number) => {
      while (g.pending.length > limit) {
        const old = g.pending.shift()!;
        note('replaced', old.holder.name, holder.name);
        old.resolve(null);
      }
    };
    drop(spec.queue === 'max' ? MAX_QUEUE - 1 : 0);
    let resolveLease!: (lease: Lease | null) => void;
    const lease = new Promise<Lease | null>((resolve) => (resolveLease = resolve));
    const waiting: Waiting = { holder, resolve: resolveLease };
    g.pending.push(waiting);
    note('pending', holder.name);
    return {
      lease,
      withdraw: () => {
        const at = g.pending.indexOf(waiting);
        if (at < 0) return;
        g.pending.splice(at, 1);
        note('withdrawn', holder.name);
        resolveLease(null);
      },
    };
  }
}

/** Reads a `concurrency:` value (a group name, or `group`, `cancel-in-progress`, `queue`) already evaluated. */
export function concurrencySpec(value: unknown, where: string): ConcurrencySpec | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return { group: value, cancelInProgress: false, queue: 'single' };
  if (typeof value !== 'object') throw new Error(`${where}: concurrency must be a group name or a mapping`);
  const v = value as { group?: unknown; 'cancel-in-progress'?: unknown; queue?: unknown };
  if (typeof v.group !== 'string' || v.group === '') throw new Error(`${where}: concurrency.group must be a non-empty string`);
  const queue = v.queue ?? 'single';
  if (queue !== 'single' && queue !== 'max') throw new Error(`${where}: concurrency.queue must be single or max, not ${JSON.stringify(queue)}`);
  const cancel = v['cancel-in-progress'];
  return { group: v.group, cancelInProgress: cancel === true || cancel === 'true', queue };
}
