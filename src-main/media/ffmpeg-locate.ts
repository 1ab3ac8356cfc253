import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { MediaError } from './errors';
import { VIDEO_ENCODER, type VideoFormat } from './video-format';

const execFileAsync = promisify(execFile);

/** Name of the user setting that points at an ffmpeg executable (shown in error hints). */
export const FFMPEG_PATH_SETTING = 'ffmpegPath';

export interface FfmpegInfo {
  path: string;
  source: 'setting' | 'env' | 'ffmpeg-static' | 'path';
  version: string;
  encoders: ReadonlySet<string>;
}

export interface LocateOptions {
  /** The user's `ffmpegPath` setting; when given it must work, there is no silent fallback. */
  explicitPath?: string;
  /** Environment to read FFMPEG_PATH and PATH from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Fail with ENCODER_MISSING unless the encoder this format needs is present. */
  require?: VideoFormat;
  /** Further encoders that must be present (e.g. 'aac' when audio is muxed into an mp4). */
  requireEncoders?: readonly string[];
  /** Where the optional ffmpeg-static package puts its binary; replaceable so tests can place one. */
  ffmpegStatic?: () => Promise<string | null>;
}

const INSTALL_HINT =
  'Install ffmpeg (Debian/Ubuntu: "sudo apt install ffmpeg", macOS: "brew install ffmpeg", Windows: "winget install ffmpeg"), ' +
  `or point the FFMPEG_PATH environment variable or the "${FFMPEG_PATH_SETTING}" export setting at an ffmpeg executable.`;

/**
 * Find a working ffmpeg: the explicit setting, then FFMPEG_PATH, then the ffmpeg-static
 * package, then `ffmpeg` on PATH. The first one configured is the one used: a setting or
 * FFMPEG_PATH that points nowhere is an error rather than a quiet fallback, because the user
 * asked for that binary. The probe (version and encoder list) is cached per executable.
 */
export async function locateFfmpeg(options: LocateOptions = {}): Promise<FfmpegInfo> {
  const env = options.env ?? process.env;
  const candidate = await pickCandidate(options, env);
  const probe = await probeFfmpeg(candidate.path, candidate.describe);
  const info: FfmpegInfo = { path: candidate.path, source: candidate.source, ...probe };
  const needed = [...(options.require ? [VIDEO_ENCODER[options.require]] : []), ...(options.requireEncoders ?? [])];
  for (const encoder of needed) {
    if (!info.encoders.has(encoder)) {
      const purpose = options.require && VIDEO_ENCODER[options.require] === encoder ? `${options.require} export` : 'this export';
      throw new MediaError(
        'ENCODER_MISSING',
        `The ffmpeg at ${info.path} (version ${info.version}, found via ${describeSource(info.source)}) has no "${encoder}" encoder, which ${purpose} needs.`,
        {
          hint: `Install a full ffmpeg build that includes ${encoder} (e.g. Debian's "ffmpeg" package or a static build from ffmpeg.org) and point FFMPEG_PATH or the "${FFMPEG_PATH_SETTING}" setting at it.`,
          file: info.path,
        },
      );
    }
  }
  return info;
}

interface Candidate {
  path: string;
  source: FfmpegInfo['source'];
  describe: string;
}

async function pickCandidate(options: LocateOptions, env: NodeJS.ProcessEnv): Promise<Candidate> {
  if (options.explicitPath) {
    const path = await resolveConfigured(options.explicitPath, env, `the "${FFMPEG_PATH_SETTING}" setting`);
    return { path, source: 'setting', describe: `the "${FFMPEG_PATH_SETTING}" setting` };
  }
  if (env.FFMPEG_PATH) {
    const path = await resolveConfigured(env.FFMPEG_PATH, env, 'the FFMPEG_PATH environment variable');
    return { path, source: 'env', describe: 'FFMPEG_PATH' };
  }
  const staticPath = await (options.ffmpegStatic ?? ffmpegStaticBinary)();
  if (staticPath && (await isExecutableFile(staticPath))) {
    return { path: staticPath, source: 'ffmpeg-static', describe: 'the ffmpeg-static package' };
  }
  const onPath = await findOnPath(executableName('ffmpeg'), env);
  if (onPath) return { path: onPath, source: 'path', describe: 'PATH' };
  throw new MediaError(
    'FFMPEG_NOT_FOUND',
    'ffmpeg was not found: no setting, no FFMPEG_PATH, no ffmpeg-static binary, and no "ffmpeg" on PATH.',
    { hint: INSTALL_HINT },
  );
}

/** A configured value is a path to the binary, or a bare command name looked up on PATH. */
async function resolveConfigured(value: string, env: NodeJS.ProcessEnv, where: string): Promise<string> {
  const bareName = !isAbsolute(value) && !/[\\/]/.test(value);
  const path = bareName ? await findOnPath(value, env) : resolve(value);
  if (path && (await isExecutableFile(path))) return path;
  const reason = !path
    ? `no "${value}" was found on PATH`
    : (await exists(path))
      ? 'it is not an executable file'
      : 'that file does not exist';
  throw new MediaError('FFMPEG_NOT_FOUND', `${capitalize(where)} points to "${value}", but ${reason}.`, {
    hint: `Fix or clear ${where}. ${INSTALL_HINT}`,
    file: value,
  });
}

/** The ffmpeg-static package exports its binary's path; it is optional, so its absence is normal. */
async function ffmpegStaticBinary(): Promise<string | null> {
  const name = 'ffmpeg-static'; // a variable so neither TypeScript nor the bundler insists on it
  try {
    const mod = (await import(/* @vite-ignore */ name)) as { default?: unknown };
    if (typeof mod.default !== 'string') return null;
    // Packaged Electron apps cannot execute from inside the asar archive.
    return mod.default.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  } catch {
    return null;
  }
}

function executableName(name: string): string {
  return process.platform === 'win32' ? `${name}.exe` : name;
}

async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter((d) => d.length > 0);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return resolve(candidate);
  }
  return null;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    if (!s.isFile()) return false;
    await access(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

interface Probe {
  version: string;
  encoders: ReadonlySet<string>;
}

const probeCache = new Map<string, Promise<Probe>>();

/** Run `-version` and `-encoders` once per binary (keyed by path, size and mtime, so a replaced binary is probed again). */
function probeFfmpeg(path: string, foundVia: string): Promise<Probe> {
  return stat(path).then((s) => {
    const key = `${path}\0${s.size}\0${s.mtimeMs}`;
    let probe = probeCache.get(key);
    if (!probe) {
      probe = runProbe(path, foundVia);
      probeCache.set(key, probe);
      // Failures are not cached: the user may fix the binary and try again.
      probe.catch(() => probeCache.delete(key));
    }
    return probe;
  });
}

async function runProbe(path: string, foundVia: string): Promise<Probe> {
  const run = async (args: string[]): Promise<string> => {
    try {
      const { stdout } = await execFileAsync(path, args, { timeout: 15_000, maxBuffer: 8 * 1024 * 1024, windowsHide: true });
      return stdout;
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
      throw new MediaError('FFMPEG_UNUSABLE', `The ffmpeg at ${path} (found via ${foundVia}) did not run "${args.join(' ')}": ${detail}`, {
        hint: `Check that it is a working ffmpeg executable for this system. ${INSTALL_HINT}`,
        file: path,
        cause: error,
      });
    }
  };
  const versionText = await run(['-hide_banner', '-version']);
  const version = /^ffmpeg version (\S+)/m.exec(versionText)?.[1];
  if (!version) {
    throw new MediaError('FFMPEG_UNUSABLE', `The program at ${path} (found via ${foundVia}) does not report an ffmpeg version; is it ffmpeg?`, {
      hint: INSTALL_HINT,
      file: path,
    });
  }
  return { version, encoders: parseEncoderList(await run(['-hide_banner', '-encoders'])) };
}

/**
 * Encoder names from `ffmpeg -encoders`. Each entry after the "------" rule looks like
 * " V....D libx264   description"; the legend above it (" V..... = Video") is skipped.
 */
export function parseEncoderList(text: string): Set<string> {
  const lines = text.split(/\r?\n/);
  const rule = lines.findIndex((line) => /^\s*-{3,}\s*$/.test(line));
  const encoders = new Set<string>();
  for (const line of lines.slice(rule + 1)) {
    const match = /^\s*[VAS][A-Z.]{5}\s+(\S+)/.exec(line);
    if (match && match[1] !== '=') encoders.add(match[1]);
  }
  return encoders;
}

function describeSource(source: FfmpegInfo['source']): string {
  switch (source) {
    case 'setting':
      return `the "${FFMPEG_PATH_SETTING}" setting`;
    case 'env':
      return 'FFMPEG_PATH';
    case 'ffmpeg-static':
      return 'the ffmpeg-static package';
    case 'path':
      return 'PATH';
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
