// Step processes of the local workflow runner (workflow-runner.ts): spawn, log, and stop them the
// way the GitHub runner does. A cancelled step gets SIGINT, SIGTERM `termAfterMs` later, and its
// whole process tree is killed `killAfterMs` after that; a lost runner kills the tree at once.
// Signals go to the step's own process (as the runner sends them); the final kill reaches every
// descendant, found through /proc (the runner is Linux-only, like GitHub's ubuntu runners).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface SpawnResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly log: string;
}

/** GitHub's escalation for a step being cancelled (runner: SIGINT, 7.5 s, SIGTERM, 2.5 s, kill). */
export const GITHUB_CANCEL_SIGNALS = { termAfterMs: 7_500, killAfterMs: 2_500 } as const;

export interface CancelSignals {
  readonly termAfterMs: number;
  readonly killAfterMs: number;
}

export class StepProcess {
  readonly done: Promise<SpawnResult>;
  /** Signals sent to the step, in order (for the record). */
  readonly signals: NodeJS.Signals[] = [];
  private readonly pid: number | undefined;
  private exited = false;
  private readonly seen = new Set<number>();
  private timers: NodeJS.Timeout[] = [];

  constructor(command: string, args: string[], env: Record<string, string>, cwd: string) {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = child.pid;
    let log = '';
    const append = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.length > 200_000) log = log.slice(-100_000);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    this.done = new Promise((resolve) => {
      child.on('error', (error) => {
        this.end();
        resolve({ code: 127, signal: null, log: `${log}\n${error.message}` });
      });
      child.on('close', (code, signal) => {
        this.end();
        resolve({ code, signal, log });
      });
    });
  }

  private end(): void {
    this.exited = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }

  /** Sends one signal to the step's process (its descendants are noted, in case it dies and orphans them). */
  signal(signal: NodeJS.Signals): void {
    if (this.exited || this.pid === undefined) return;
    for (const pid of descendants(this.pid)) this.seen.add(pid);
    this.signals.push(signal);
    try {
      process.kill(this.pid, signal);
    } catch {
      // it ended meanwhile
    }
  }

  /**
   * SIGKILL to the step's process and every descendant (the runner's "kill the process tree"),
   * including those orphaned since a signal made their parent exit while they kept the step's
   * output open.
   */
  killTree(): void {
    if (this.exited || this.pid === undefined) return;
    this.signals.push('SIGKILL');
    for (const pid of new Set([...this.seen, ...descendants(this.pid), this.pid])) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended meanwhile
      }
    }
  }

  /** SIGINT now, SIGTERM after `termAfterMs`, the tree killed `killAfterMs` later, unless the step ends first. */
  cancel(timings: CancelSignals): void {
    if (this.exited || this.timers.length > 0) return;
    this.signal('SIGINT');
    this.timers.push(
      setTimeout(() => {
        this.signal('SIGTERM');
        this.timers.push(setTimeout(() => this.killTree(), timings.killAfterMs));
      }, timings.termAfterMs),
    );
  }
}

/** Every live descendant of `root` (children first found, grandchildren after). */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended meanwhile
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of parents) {
      if (ppid === parent && !found.includes(pid)) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}
