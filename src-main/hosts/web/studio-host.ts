import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { handlersFor } from '../../ipc/handlers';
import { createRouter } from '../../ipc/router';
import { engineFromClient, type Engine } from '../../services/engine';
import { createEngineClient } from '../../services/engine-client';
import { createStudio, type Studio } from '../../services/studio';
import { MEDIA_PREFIX, startWebHost, type WebHost } from './server';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The built studio: electron-vite's renderer output, if it has been built. */
export function defaultStaticDir(): string | null {
  const dir = path.join(REPO_ROOT, 'out', 'renderer');
  return existsSync(path.join(dir, 'index.html')) ? dir : null;
}

export interface ServeOptions {
  port: number;
  host: string;
  staticDir?: string | null;
  configDir?: string;
  token?: string;
  /** Tests pass an engine; otherwise a worker-backed EngineClient is started. */
  engine?: Engine;
  autosaveIdleMs?: number;
}

export interface RunningStudio {
  readonly web: WebHost;
  readonly studio: Studio;
  close(): Promise<void>;
}

/** Services, router and web host wired together: what `latentblend serve` runs. */
export async function serveStudio(options: ServeOptions): Promise<RunningStudio> {
  const client = options.engine ? null : createEngineClient();
  const engine = options.engine ?? engineFromClient(client!);
  const studio = createStudio({
    engine,
    host: 'web',
    mediaBase: MEDIA_PREFIX,
    version: packageVersion(),
    configDir: options.configDir,
    autosaveIdleMs: options.autosaveIdleMs,
  });
  const router = createRouter(handlersFor(studio), {
    onInternalError: (method, error) => {
      if (process.env.LBS_DEBUG) console.error(`[latentblend serve] internal error in ${method}:`, error);
    },
  });
  const web = await startWebHost({
    router,
    events: studio.events,
    media: studio.media,
    staticDir: options.staticDir === undefined ? defaultStaticDir() : options.staticDir,
    port: options.port,
    host: options.host,
    token: options.token,
  });
  return {
    web,
    studio,
    async close() {
      await web.close();
      await studio.dispose();
      await client?.dispose();
    },
  };
}
