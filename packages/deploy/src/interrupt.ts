// What the orchestration needs of a stop signal (a cancelled run): the adapter installs the process
// handlers (actions/wave-deploy/src/interrupt.ts), the wave only asks.

/** Lambda operations that change something; everything else is a read. */
export const WRITE_OPERATIONS = new Set(['UpdateAlias', 'CreateAlias', 'PublishVersion', 'UpdateFunctionCode', 'DeleteAlias']);

export class InterruptedError extends Error {
  constructor(
    readonly signal: string,
    operation: string,
  ) {
    super(`stopped by ${signal} before ${operation}; nothing more was written`);
    this.name = 'InterruptedError';
  }
}

export interface WaveInterrupt {
  readonly signal: string | null;
  readonly stopping: boolean;
  /** Throws before a write once a stop was asked for (LambdaContext.onCall). */
  gate(operation: string): void;
  /** Sleeps, waking early on a stop signal; true when it slept the whole time. */
  sleep(ms: number): Promise<boolean>;
}

/** The gate refused a write after a stop signal (the layer may wrap the InterruptedError in its own error). */
export function isInterruption(error: Error): boolean {
  return error instanceof InterruptedError || /stopped by SIG[A-Z]+ before /.test(error.message);
}
