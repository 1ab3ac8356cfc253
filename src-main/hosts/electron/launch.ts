/**
 * `npm start` from a checkout (after `electron-vite build`): opens the desktop studio in
 * Electron. Where the Electron binary was never downloaded (`npm install` with
 * ELECTRON_SKIP_BINARY_DOWNLOAD, as on CI and render boxes) it says so in one line and starts
 * the same studio in the browser instead (`latentblend serve --open`).
 *
 * Runs under Node (tsx), not Electron: `require('electron')` here yields only the binary's path.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type ElectronBinary = { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string };

/** Where the electron package's binary is, or why there is none. `load` is `require('electron')`. */
export function findElectronBinary(load: () => unknown, exists: (file: string) => boolean = existsSync): ElectronBinary {
  let binary: unknown;
  try {
    binary = load();
  } catch {
    // node_modules/electron/index.js throws when path.txt is missing: the download was skipped.
    return { found: false, reason: 'the electron package has no binary' };
  }
  if (typeof binary !== 'string') return { found: false, reason: 'the electron package did not name a binary' };
  if (!exists(binary)) return { found: false, reason: `${binary} does not exist` };
  return { found: true, path: binary };
}

export interface Launch {
  readonly command: string;
  readonly args: readonly string[];
  /** Printed before starting; set when the browser stands in for the desktop app. */
  readonly notice?: string;
  /** Environment changes for the child (undefined: remove the variable). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** What to run: Electron on the built app in `repo`, else the web host. `args` go to the app. */
export function planLaunch(binary: ElectronBinary, options: { repo: string; node: string; args: readonly string[] }): Launch {
  if (binary.found) {
    // ELECTRON_RUN_AS_NODE inherited from a parent would make the binary a plain Node.
    return { command: binary.path, args: [options.repo, ...options.args], env: { ELECTRON_RUN_AS_NODE: undefined } };
  }
  return {
    command: options.node,
    args: [path.join(options.repo, 'bin', 'latentblend.mjs'), 'serve', '--open', ...options.args],
    notice:
      `No Electron binary (${binary.reason}; was npm install run with ELECTRON_SKIP_BINARY_DOWNLOAD?): opening the studio in your browser instead (latentblend serve --open). ` +
      'For the desktop app: `node node_modules/electron/install.js`, then `npm start`.',
    env: {},
  };
}

function childEnv(changes: Launch['env']): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

async function main(): Promise<number> {
  const repo = fileURLToPath(new URL('../../..', import.meta.url));
  const require = createRequire(import.meta.url);
  const launch = planLaunch(findElectronBinary(() => require('electron')), { repo, node: process.execPath, args: process.argv.slice(2) });
  if (launch.notice) process.stderr.write(`${launch.notice}\n`);
  const child = spawn(launch.command, launch.args, { stdio: 'inherit', env: childEnv(launch.env) });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`Could not start ${launch.command}: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
