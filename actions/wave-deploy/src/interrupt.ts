// Graceful stop on SIGTERM/SIGINT (a cancelled workflow run): the write in flight finishes,
// no new write starts, waits end early, and the action reports where every alias stands.
// SIGKILL cannot be caught; re-running wave-deploy converges from whatever the aliases say.

import { InterruptedError, WRITE_OPERATIONS, type WaveInterrupt } from '../../../packages/deploy/src/interrupt.js';

export { InterruptedError, WRITE_OPERATIONS };

export class Interrupt implements WaveInterrupt {
  signal: NodeJS.Signals | null = null;
  private readonly waiters = new Set<() => void>();
  private readonly handler = (signal: NodeJS.Signals) => {
    if (this.signal) return;
    this.signal = signal;
    this.onSignal?.(signal);
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  };

  constructor(private readonly onSignal?: (signal: NodeJS.Signals) => void) {}

  install(): this {
    process.on('SIGTERM', this.handler);
    process.on('SIGINT', this.handler);
    return this;
  }

  uninstall(): void {
    process.off('SIGTERM', this.handler);
    process.off('SIGINT', this.handler);
  }

  get stopping(): boolean {
    return this.signal !== null;
  }

  /** Throws before a write once a stop was asked for. Use as LambdaContext.onCall. */
  gate(operation: string): void {
    if (this.signal && WRITE_OPERATIONS.has(operation)) throw new InterruptedError(this.signal, operation);
  }

  /** Sleeps, waking early on a stop signal. Resolves true when it slept the whole time. */
  sleep(ms: number): Promise<boolean> {
    if (this.signal) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        resolve(true);
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve(false);
      };
      this.waiters.add(wake);
    });
  }
}
