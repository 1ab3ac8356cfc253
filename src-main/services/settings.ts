import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../project/atomic-write';
import { PROVIDERS } from '../project/schema';

const APP_DIR_NAME = 'latent-blending-studio';

/** Where settings live: $LBS_CONFIG_DIR, else the platform's per-user config folder. */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LBS_CONFIG_DIR) return path.resolve(env.LBS_CONFIG_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}

export const MAX_RECENT = 12;

const SettingsSchema = z.object({
  recent: z.array(z.object({ path: z.string(), name: z.string(), openedAt: z.number() })).default([]),
  /** Model folders the user added, in the order added. */
  models: z.array(z.string()).default([]),
  provider: z.enum(PROVIDERS).default('auto'),
  /** Render movies on a render farm (services/farm): the Redis URL and the shared cache folder. */
  farm: z
    .object({
      enabled: z.boolean().default(false),
      url: z.string().default(''),
      /** The cache folder the workers mount (same path); empty = the project's own cache folder. */
      cacheDir: z.string().default(''),
    })
    .prefault({}),
});
export type Settings = z.output<typeof SettingsSchema>;

/**
 * The settings file (`settings.json` in the config folder). Reads tolerate a missing or broken
 * file (defaults; a broken file is replaced on the next write, never crashes the app); writes
 * are atomic and serialised so two quick updates cannot interleave.
 */
export class SettingsStore {
  readonly file: string;
  private cached?: Settings;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly dir: string = configDir()) {
    this.file = path.join(dir, 'settings.json');
  }

  async read(): Promise<Settings> {
    if (this.cached) return this.cached;
    let raw: unknown = {};
    try {
      raw = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      raw = {};
    }
    const parsed = SettingsSchema.safeParse(raw);
    this.cached = parsed.success ? parsed.data : SettingsSchema.parse({});
    return this.cached;
  }

  async update(change: (s: Settings) => Settings): Promise<Settings> {
    const next = change(await this.read());
    this.cached = next;
    const write = this.writing.then(async () => {
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    });
    this.writing = write.catch(() => undefined);
    await write;
    return next;
  }
}
