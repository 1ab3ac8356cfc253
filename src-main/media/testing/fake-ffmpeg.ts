import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface FakeFfmpegOptions {
  /** Printed as "ffmpeg version <version>"; null prints something that is not ffmpeg. */
  version: string | null;
  encoders?: readonly string[];
  /** Each run appends one line here, so tests can count how often the binary was probed. */
  callLog?: string;
  /** Shell run for anything that is not a probe (i.e. an encode). */
  encodeScript?: string;
}

/** Write an executable `ffmpeg` shell script into `dir` (created if needed) and return its path. */
export async function writeFakeFfmpeg(dir: string, options: FakeFfmpegOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'ffmpeg');
  const encoders = (options.encoders ?? ['libx264']).map((name) => ` V....D ${name}  fake encoder`).join('\n');
  const script = [
    '#!/bin/sh',
    options.callLog ? `echo "$*" >> '${options.callLog}'` : '',
    'case "$*" in',
    `  *-version*) echo '${options.version === null ? 'hello, I am not a video tool' : `ffmpeg version ${options.version} Copyright (c) fake`}'; exit 0 ;;`,
    `  *-encoders*) printf 'Encoders:\\n V..... = Video\\n ------\\n%s\\n' '${encoders}'; exit 0 ;;`,
    'esac',
    options.encodeScript ?? 'cat > /dev/null',
    '',
  ].join('\n');
  await writeFile(path, script);
  await chmod(path, 0o755);
  return path;
}
