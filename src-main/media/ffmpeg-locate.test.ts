import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpeg, parseEncoderList } from './ffmpeg-locate';
import { writeFakeFfmpeg } from './testing/fake-ffmpeg';
import { mediaFailure } from './testing/media-failure';

let root: string;
let settingBin: string;
let envBin: string;
let staticBin: string;
let pathDir: string;
const noStatic = async (): Promise<null> => null;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'locate-ffmpeg-'));
  settingBin = await writeFakeFfmpeg(join(root, 'setting'), { version: '1.0-setting' });
  envBin = await writeFakeFfmpeg(join(root, 'env'), { version: '2.0-env' });
  staticBin = await writeFakeFfmpeg(join(root, 'static'), { version: '3.0-static' });
  pathDir = join(root, 'on-path');
  await writeFakeFfmpeg(pathDir, { version: '4.0-path' });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('locateFfmpeg search order', () => {
  it('prefers the explicit setting over FFMPEG_PATH, ffmpeg-static and PATH', async () => {
    const info = await locateFfmpeg({ explicitPath: settingBin, env: { FFMPEG_PATH: envBin, PATH: pathDir }, ffmpegStatic: async () => staticBin });
    expect(info).toMatchObject({ path: settingBin, source: 'setting', version: '1.0-setting' });
  });

  it('uses FFMPEG_PATH when there is no setting', async () => {
    const info = await locateFfmpeg({ env: { FFMPEG_PATH: envBin, PATH: pathDir }, ffmpegStatic: async () => staticBin });
    expect(info).toMatchObject({ path: envBin, source: 'env', version: '2.0-env' });
  });

  it('uses the ffmpeg-static binary before PATH', async () => {
    const info = await locateFfmpeg({ env: { PATH: pathDir }, ffmpegStatic: async () => staticBin });
    expect(info).toMatchObject({ path: staticBin, source: 'ffmpeg-static', version: '3.0-static' });
  });

  it('falls back to ffmpeg on PATH when ffmpeg-static is absent or its binary is missing', async () => {
    expect(await locateFfmpeg({ env: { PATH: pathDir }, ffmpegStatic: noStatic })).toMatchObject({ source: 'path', version: '4.0-path' });
    const missingStatic = async (): Promise<string> => join(root, 'nowhere', 'ffmpeg');
    expect(await locateFfmpeg({ env: { PATH: pathDir }, ffmpegStatic: missingStatic })).toMatchObject({ source: 'path', version: '4.0-path' });
  });

  it('works without ffmpeg-static installed (the optional dependency is absent here)', async () => {
    const info = await locateFfmpeg({ env: { PATH: pathDir } });
    expect(info.source).toBe('path');
  });

  it('accepts a bare command name as the setting and looks it up on PATH', async () => {
    const info = await locateFfmpeg({ explicitPath: 'ffmpeg', env: { PATH: pathDir }, ffmpegStatic: noStatic });
    expect(info).toMatchObject({ path: join(pathDir, 'ffmpeg'), source: 'setting' });
  });
});

describe('locateFfmpeg errors', () => {
  it('rejects a setting that points nowhere instead of silently using another ffmpeg', async () => {
    const missing = join(root, 'does-not-exist', 'ffmpeg');
    const error = await mediaFailure(locateFfmpeg({ explicitPath: missing, env: { PATH: pathDir }, ffmpegStatic: noStatic }));
    expect(error.code).toBe('FFMPEG_NOT_FOUND');
    expect(error.message).toContain(missing);
    expect(error.message).toContain('ffmpegPath');
    expect(error.message).toContain('does not exist');
  });

  it('rejects an FFMPEG_PATH that points nowhere, naming the variable', async () => {
    const error = await mediaFailure(locateFfmpeg({ env: { FFMPEG_PATH: join(root, 'nope'), PATH: pathDir }, ffmpegStatic: noStatic }));
    expect(error.code).toBe('FFMPEG_NOT_FOUND');
    expect(error.message).toContain('FFMPEG_PATH');
  });

  it('says how to install or configure ffmpeg when none is found (empty PATH)', async () => {
    const error = await mediaFailure(locateFfmpeg({ env: { PATH: '' }, ffmpegStatic: noStatic }));
    expect(error.code).toBe('FFMPEG_NOT_FOUND');
    expect(error.hint).toMatch(/install ffmpeg/i);
    expect(error.hint).toContain('FFMPEG_PATH');
    expect(error.hint).toContain('ffmpegPath');
  });

  it('rejects a file that is not executable', async () => {
    const plain = join(root, 'plain-file');
    await writeFile(plain, 'not a program');
    const error = await mediaFailure(locateFfmpeg({ explicitPath: plain, env: {}, ffmpegStatic: noStatic }));
    expect(error.code).toBe('FFMPEG_NOT_FOUND');
    expect(error.message).toContain('not an executable');
  });

  it('rejects a program that does not report an ffmpeg version', async () => {
    const impostor = await writeFakeFfmpeg(join(root, 'impostor'), { version: null });
    const error = await mediaFailure(locateFfmpeg({ explicitPath: impostor, env: {}, ffmpegStatic: noStatic }));
    expect(error.code).toBe('FFMPEG_UNUSABLE');
    expect(error.message).toContain(impostor);
  });

  it('reports a missing encoder for the requested format, with the fix', async () => {
    const h264Only = await writeFakeFfmpeg(join(root, 'h264-only'), { version: '5.0-h264only', encoders: ['libx264', 'gif'] });
    await expect(locateFfmpeg({ explicitPath: h264Only, require: 'mp4' })).resolves.toMatchObject({ version: '5.0-h264only' });
    const error = await mediaFailure(locateFfmpeg({ explicitPath: h264Only, require: 'webm' }));
    expect(error.code).toBe('ENCODER_MISSING');
    expect(error.message).toContain('libvpx-vp9');
    expect(error.hint).toContain('FFMPEG_PATH');
    const audioError = await mediaFailure(locateFfmpeg({ explicitPath: h264Only, require: 'mp4', requireEncoders: ['aac'] }));
    expect(audioError.message).toContain('"aac"');
  });
});

describe('locateFfmpeg probing', () => {
  it('probes each binary once and reuses the result', async () => {
    const log = join(root, 'calls.log');
    const counted = await writeFakeFfmpeg(join(root, 'counted'), { version: '6.0-counted', callLog: log });
    await locateFfmpeg({ explicitPath: counted });
    await locateFfmpeg({ explicitPath: counted, require: 'mp4' });
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    expect(calls).toHaveLength(2); // one -version, one -encoders
    expect(calls.some((c) => c.includes('-version'))).toBe(true);
    expect(calls.some((c) => c.includes('-encoders'))).toBe(true);
  });

  it('reads the real ffmpeg on PATH: version and the encoders the formats need', async () => {
    const info = await locateFfmpeg({ env: { PATH: '/usr/local/bin:/usr/bin' }, ffmpegStatic: noStatic, require: 'mp4' });
    expect(info.source).toBe('path');
    const firstLine = execFileSync(info.path, ['-version'], { encoding: 'utf8' }).split('\n')[0];
    expect(firstLine).toContain(`ffmpeg version ${info.version}`);
    for (const encoder of ['libx264', 'libvpx-vp9', 'gif', 'png', 'aac', 'libopus']) expect(info.encoders.has(encoder)).toBe(true);
  });
});

describe('parseEncoderList', () => {
  it('takes names from the entries below the rule and skips the legend', () => {
    const text = [
      'Encoders:',
      ' V..... = Video',
      ' A..... = Audio',
      ' .F.... = Frame-level multithreading',
      ' ------',
      ' V....D libx264              libx264 H.264 / AVC (codec h264)',
      ' VF.... png                  PNG (Portable Network Graphics) image',
      ' A..... aac                  AAC (Advanced Audio Coding)',
      ' S..... ass                  ASS (Advanced SubStation Alpha) subtitle',
    ].join('\n');
    expect([...parseEncoderList(text)].sort()).toEqual(['aac', 'ass', 'libx264', 'png']);
  });
});
