import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface StudioServer {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * `latentblend serve` on a free port; resolves with the URL it prints (token included).
 * Its output is kept so a failing test can show what the host said.
 */
export function startServe(repoRoot: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<StudioServer> {
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'bin', 'latentblend.mjs'), 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`latentblend serve printed no URL within ${timeoutMs / 1000} s. It said:\n${log}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /(http:\/\/\S+\?token=\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], output: () => log, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`latentblend serve exited with code ${code} before printing its URL. It said:\n${log}`));
    });
  });
}
