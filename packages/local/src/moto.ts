// Starts and stops a moto server (an AWS emulator) on a free loopback port.
// Used by the test suite, the demo, the campaign and the benchmarks: nothing here talks to real AWS.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface MotoServer {
  /** Base URL, for AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export class MotoMissingError extends Error {
  constructor(python: string, detail: string) {
    super(
      `moto is not installed for ${python} (${detail.trim() || 'import failed'}). ` +
        `The integration tests, the demo and the benchmarks need it: install it with \`${python} -m pip install 'moto[server]'\`, ` +
        'or point SAFE_DEPLOY_PYTHON at a Python that has it.',
    );
    this.name = 'MotoMissingError';
  }
}

export function pythonForMoto(): string {
  return process.env.SAFE_DEPLOY_PYTHON ?? 'python3';
}

/** Fails with a clear MotoMissingError when moto cannot be imported. */
export function assertMotoInstalled(python = pythonForMoto()): void {
  const probe = spawnSync(python, ['-c', 'import moto.server, flask; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new MotoMissingError(python, probe.error?.message ?? probe.stderr ?? '');
  }
}

const MOTO_LAUNCHER = fileURLToPath(new URL('./moto_server.py', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(endpoint: string, child: ChildProcess, timeoutMs: number, output: () => string, spawnError: () => Error | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failed = spawnError();
    if (failed) throw failed;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto exited with ${child.exitCode ?? child.signalCode} before serving: ${output().slice(-500)}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`moto did not answer on ${endpoint} within ${timeoutMs} ms: ${output().slice(-500)}`);
}

export async function startMoto(options: { python?: string; timeoutMs?: number } = {}): Promise<MotoServer> {
  const python = options.python ?? pythonForMoto();
  // No import probe before the start (it costs as long as the start itself): a Python without moto
  // is diagnosed when the server fails to come up.
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // moto.server through a launcher that reads moto's module list once instead of on every request
  // (see moto_server.py); the emulator itself is moto's own, unchanged.
  const child = spawn(python, [MOTO_LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  let spawnError: Error | null = null;
  child.once('error', (error) => (spawnError = error));
  try {
    await waitUntilServing(endpoint, child, options.timeoutMs ?? 20_000, () => log, () => spawnError);
  } catch (error) {
    child.kill('SIGKILL');
    if (spawnError) throw new MotoMissingError(python, (spawnError as Error).message);
    if (/ModuleNotFoundError|No module named/.test(log)) throw new MotoMissingError(python, log.trim().split('\n').at(-1) ?? '');
    assertMotoInstalled(python); // throws MotoMissingError when moto cannot be imported at all
    throw error;
  }
  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** Environment for an AWS SDK client or a bundle talking to this moto. */
export function motoEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
