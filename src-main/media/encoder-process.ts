import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { MediaError, exportCancelled } from './errors';
import type { RgbImage } from '../engine/image';

export interface FeedOptions {
  width: number;
  height: number;
  totalFrames: number;
  signal?: AbortSignal;
  /** Called after each frame has been handed to ffmpeg, with the count so far. */
  onFrame?: (written: number) => void;
  /** Called with ffmpeg's own count of frames in the output (its -progress "frame=" lines on stdout). */
  onEncoded?: (encoded: number) => void;
  /** Names the output in error messages. */
  describeOutput: string;
}

/**
 * Run ffmpeg and stream the frames to its stdin as raw rgb24, one frame at a time: the next
 * frame is pulled from the iterator only after the pipe has taken the previous one, so a
 * lazy producer never runs ahead of the encoder and memory stays at about one frame.
 * Resolves with the number of frames once ffmpeg exits cleanly; on a bad frame, a cancel or an
 * ffmpeg failure, ffmpeg is killed and the promise rejects with a MediaError (ffmpeg's last
 * stderr lines included). The caller owns the output files and cleans them up.
 */
export async function encodeFrames(
  ffmpegPath: string,
  args: readonly string[],
  frames: AsyncIterable<RgbImage> | Iterable<RgbImage>,
  options: FeedOptions,
): Promise<number> {
  const { signal } = options;
  if (signal?.aborted) throw exportCancelled();

  const child = spawn(ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  const stderr = new TextTail(16 * 1024);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => stderr.push(chunk));
  // Always read stdout: a full pipe would stall ffmpeg.
  child.stdout.setEncoding('utf8');
  const progressLines = new LineSplitter((line) => {
    const frame = /^frame=(\d+)$/.exec(line.trim());
    if (frame) options.onEncoded?.(Number(frame[1]));
  });
  child.stdout.on('data', (chunk: string) => progressLines.push(chunk));

  let startError: Error | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, sig) => resolve({ code, signal: sig }));
    child.once('error', (error) => {
      startError = error;
      resolve({ code: null, signal: null });
    });
  });

  // `stop` fires when writing more frames is pointless: the user cancelled or ffmpeg is gone.
  const stop = new AbortController();
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onUserAbort = (): void => {
    kill();
    stop.abort();
  };
  signal?.addEventListener('abort', onUserAbort, { once: true });
  void exited.then(() => stop.abort());
  // EPIPE after ffmpeg quits early; its exit status and stderr explain why, so this is not the error shown.
  child.stdin.on('error', () => stop.abort());

  let written = 0;
  try {
    const iterator = toAsyncIterator(frames);
    try {
      for (;;) {
        const next = await untilStopped(iterator.next(), stop.signal);
        if (next === STOPPED || next.done) break;
        checkFrame(next.value, written, options);
        if (written >= options.totalFrames) {
          throw new MediaError('BAD_FRAME', `More frames arrived than the ${options.totalFrames} announced in totalFrames (${options.describeOutput}).`, {
            hint: 'Set totalFrames to the number of frames the source produces.',
          });
        }
        // A copy, so a producer that reuses its buffer cannot change a frame still queued in the pipe.
        if (!child.stdin.write(Buffer.from(next.value.data))) await drained(child.stdin, stop.signal);
        if (stop.signal.aborted) break;
        written++;
        options.onFrame?.(written);
      }
    } finally {
      if (stop.signal.aborted || written < options.totalFrames) {
        // Stop a producer we are leaving early; not awaited, since it may be busy making a frame.
        iterator.return?.().catch(() => undefined);
      }
    }

    if (signal?.aborted) throw exportCancelled();
    if (stop.signal.aborted) {
      const status = await exited;
      throw ffmpegFailed(status, startError, stderr.lines(), `ffmpeg stopped after taking ${written} of ${options.totalFrames} frames`, options.describeOutput);
    }
    if (written < options.totalFrames) {
      throw new MediaError('BAD_FRAME', `The frames ended after ${written} of the ${options.totalFrames} announced in totalFrames (${options.describeOutput}).`, {
        hint: 'Set totalFrames to the number of frames the source produces.',
      });
    }

    child.stdin.end();
    const status = await exited;
    if (signal?.aborted) throw exportCancelled();
    if (status.code !== 0 || startError) {
      throw ffmpegFailed(status, startError, stderr.lines(), 'ffmpeg failed while finishing the file', options.describeOutput);
    }
    return written;
  } catch (error) {
    kill();
    child.stdin.destroy();
    await exited;
    throw error;
  } finally {
    signal?.removeEventListener('abort', onUserAbort);
  }
}

function checkFrame(frame: RgbImage, index: number, options: FeedOptions): void {
  const where = `frame ${index} of ${options.describeOutput}`;
  if (!frame || !(frame.data instanceof Uint8Array) || !Number.isInteger(frame.width) || !Number.isInteger(frame.height)) {
    throw new MediaError('BAD_FRAME', `${capitalize(where)} is not an RGB image: expected { width, height, data: Uint8Array }.`, {
      hint: 'Frames must be 8-bit RGB images as produced by the renderer or decodePng.',
    });
  }
  if (frame.width !== options.width || frame.height !== options.height) {
    throw new MediaError('BAD_FRAME', `${capitalize(where)} is ${frame.width}×${frame.height}, but the export is ${options.width}×${options.height}.`, {
      hint: 'Every frame must have the size given in the export options (width, height).',
    });
  }
  const expected = frame.width * frame.height * 3;
  if (frame.data.length !== expected) {
    throw new MediaError('BAD_FRAME', `${capitalize(where)} has ${frame.data.length} bytes of pixels; a ${frame.width}×${frame.height} RGB image has ${expected}.`, {
      hint: 'Pixels must be interleaved RGB, 3 bytes per pixel, no alpha and no row padding.',
    });
  }
}

function ffmpegFailed(
  status: { code: number | null; signal: NodeJS.Signals | null },
  startError: Error | undefined,
  tail: string[],
  what: string,
  output: string,
): MediaError {
  if (startError) {
    return new MediaError('FFMPEG_FAILED', `Could not start ffmpeg for ${output}: ${startError.message}`, {
      hint: 'Check the ffmpeg location (FFMPEG_PATH or the ffmpegPath setting).',
      cause: startError,
    });
  }
  const exit = status.signal ? `killed by ${status.signal}` : `exit code ${status.code}`;
  if (tail.some((line) => /No space left on device|Disk quota exceeded/i.test(line))) {
    return new MediaError('DISK_FULL', `The disk filled up while writing ${output} (${what}, ${exit}). Any previous file there was kept.`, {
      hint: 'Free some disk space or choose another folder, then export again.',
      file: output,
    });
  }
  const report = tail.length > 0 ? `\nffmpeg said:\n  ${tail.join('\n  ')}` : ' (ffmpeg printed no error message)';
  return new MediaError('FFMPEG_FAILED', `${what} (${exit}) writing ${output}.${report}`, {
    hint: "The lines from ffmpeg name the cause; check the audio file, the export settings and the free disk space.",
  });
}

const STOPPED = Symbol('stopped');

function untilStopped<T>(promise: Promise<T>, stop: AbortSignal): Promise<T | typeof STOPPED> {
  if (stop.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(STOPPED);
  }
  return new Promise((resolve, reject) => {
    const onStop = (): void => resolve(STOPPED);
    stop.addEventListener('abort', onStop, { once: true });
    promise.then(
      (value) => {
        stop.removeEventListener('abort', onStop);
        resolve(value);
      },
      (error: unknown) => {
        stop.removeEventListener('abort', onStop);
        reject(error);
      },
    );
  });
}

/** Wait for the pipe to take its queued bytes (write() returned false), or for the stop signal. */
function drained(stream: Writable, stop: AbortSignal): Promise<void> {
  if (stop.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stop.removeEventListener('abort', done);
      resolve();
    };
    stream.on('drain', done);
    stop.addEventListener('abort', done, { once: true });
  });
}

function toAsyncIterator<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  const sync = source[Symbol.iterator]();
  return {
    next: async () => sync.next(),
    return: async () => sync.return?.() ?? { done: true, value: undefined },
  };
}

/** The end of a text stream, bounded in size: ffmpeg's last words are what explain a failure. */
class TextTail {
  private text = '';
  constructor(private readonly maxChars: number) {}

  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > 2 * this.maxChars) this.text = this.text.slice(-this.maxChars);
  }

  lines(max = 12): string[] {
    return this.text
      .slice(-this.maxChars)
      .split(/\r?\n|\r/)
      .map((line) => line.trimEnd())
      .filter((line) => line.length > 0)
      .slice(-max);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Calls `onLine` for every complete line of a text stream that arrives in chunks. */
class LineSplitter {
  private partial = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }
}
