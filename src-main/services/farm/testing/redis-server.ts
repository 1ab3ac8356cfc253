import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface TestRedis {
  readonly port: number;
  /** redis://127.0.0.1:PORT (with the password when one was set). */
  readonly url: string;
  stop(): Promise<void>;
}

/** A loopback port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once redis-server prints its ready line; rejects with its output if it exits first. */
function whenReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * A private redis-server for a test: loopback only, no persistence, on a free port (picked,
 * then bound by Redis; if another process takes the port in between, start again).
 */
export async function startTestRedis(options: { password?: string } = {}): Promise<TestRedis> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(options.password ? ['--requirepass', options.password] : [])];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await whenReady(child);
    } catch (error) {
      if (attempt < 4 && String(error).includes('Address already in use')) continue;
      throw error;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Keep reading so a chatty server never blocks on a full pipe.
    child.stdout?.resume();
    child.stderr?.resume();
    return {
      port,
      url: `redis://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  }
}
