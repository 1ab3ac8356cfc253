import { spawn } from 'node:child_process';
import { intOption, parse, UsageError } from '../args';
import { commandInterrupt } from '../interrupt';
import { isLoopbackHost } from '../../web/auth';
import { defaultStaticDir, serveStudio } from '../../web/studio-host';

export const SERVE_USAGE = 'latentblend serve [--port 7860] [--host 127.0.0.1] [--open]';

export interface ServeArgs {
  port: number;
  host: string;
  open: boolean;
  /** True when --host named a non-loopback address: allowed, with a warning. */
  exposed: boolean;
}

/** Loopback unless --host is given; a non-loopback --host is honoured but warned about. */
export function parseServeArgs(argv: string[]): ServeArgs {
  const { values, positionals } = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' } }, true);
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'. Usage: ${SERVE_USAGE}`);
  const port = intOption('port', values.port, 7860, 0, 65535);
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host needs an address, e.g. 127.0.0.1 or 0.0.0.0.');
  return { port, host, open: values.open ?? false, exposed: !isLoopbackHost(host) };
}

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`Could not open a browser; open ${url} yourself.\n`));
  child.unref();
}

/** `latentblend serve`: the studio in a browser, backed by the engine on this machine. */
export async function serveCommand(argv: string[]): Promise<number> {
  const args = parseServeArgs(argv);
  if (args.exposed) {
    process.stderr.write(
      `Warning: serving on ${args.host}, reachable from other machines. Anyone with the URL (it carries the session token) can use the studio and read its media; the connection is not encrypted.\n`,
    );
  }
  const running = await serveStudio({ port: args.port, host: args.host }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new UsageError(`port ${args.port} is in use; choose another with --port.`);
    if (error.code === 'EADDRNOTAVAIL') throw new UsageError(`${args.host} is not an address of this machine.`);
    throw error;
  });
  if (!running.web.server.listening) return 1;
  process.stdout.write(`Latent Blending Studio is running at\n\n  ${running.web.url}\n\nPress Ctrl+C to stop.\n`);
  if (!defaultStaticDir()) {
    process.stdout.write('Note: the studio UI is not built yet; run `npm run build` first.\n');
  }
  if (args.open) openBrowser(running.web.url);
  // Ctrl-C or SIGTERM (the command's interrupt, installed before the server started) stops it.
  const { signal } = commandInterrupt();
  if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await running.close();
  return 0;
}
