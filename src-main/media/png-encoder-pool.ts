import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RgbImage } from '../engine/image';
import { MediaError } from './errors';
import { PNG_DEFLATE, filterRows } from './png-filter';

/**
 * The encoder thread's whole program. Built from filterRows' own source and the one set of
 * zlib options, so the thread's bytes are encodePng's bytes by construction (png.test.ts checks
 * it). Evaluated rather than loaded from a file: the same string works from TypeScript sources,
 * the bundled Electron main process and the engine worker inside it, with no extra entry point
 * to package.
 */
const ENCODER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { deflateSync } = require('node:zlib');
const filterRows = ${filterRows.toString()};
const options = ${JSON.stringify(PNG_DEFLATE)};
parentPort.on('message', ({ id, width, height, data }) => {
  let idat;
  try {
    idat = deflateSync(filterRows(width, height, data), options);
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
    return;
  }
  const whole = idat.byteOffset === 0 && idat.byteLength === idat.buffer.byteLength;
  parentPort.postMessage({ id, idat }, whole ? [idat.buffer] : []);
});
`;

interface Task {
  resolve: (idat: Buffer) => void;
  reject: (error: unknown) => void;
}

type Reply = { id: number; idat: Uint8Array; error?: undefined } | { id: number; error: string };

class EncoderThread {
  readonly pending = new Map<number, Task>();
  private readonly worker: Worker;

  constructor(source: string, onGone: (thread: EncoderThread) => void) {
    // No execArgv: the thread needs no loader hooks (tsx) or profiler flags of the host.
    this.worker = new Worker(source, { eval: true, execArgv: [] });
    // Idle threads never keep a process (a CLI render, vitest, the engine worker) alive.
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const task = this.pending.get(reply.id);
      if (!task) return;
      this.settled(reply.id);
      if (reply.error !== undefined) task.reject(encoderFailed(`the PNG encoder failed: ${reply.error}`));
      else task.resolve(Buffer.from(reply.idat.buffer, reply.idat.byteOffset, reply.idat.byteLength));
    });
    const fail = (why: string, cause?: unknown) => {
      onGone(this);
      const tasks = [...this.pending.values()];
      this.pending.clear();
      for (const task of tasks) task.reject(encoderFailed(`the PNG encoder thread ${why}`, cause));
    };
    this.worker.once('error', (error) => fail(`failed: ${error.message}`, error));
    this.worker.once('exit', (code) => fail(`stopped (exit code ${code})`));
  }

  encode(id: number, image: RgbImage): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      // Posting copies the pixels (the render keeps its image); a view is cut to its own bytes first.
      const data = image.data.byteOffset === 0 && image.data.byteLength === image.data.buffer.byteLength ? image.data : image.data.slice();
      this.worker.postMessage({ id, width: image.width, height: image.height, data });
    });
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

function encoderFailed(message: string, cause?: unknown): MediaError {
  return new MediaError('PNG_ENCODER_FAILED', `${message}; the image was not written.`, {
    hint: 'Render again; if it keeps failing, the machine may be out of memory.',
    cause,
  });
}

export interface PngEncoderPoolOptions {
  /** Encoder threads (default: one per spare core, at most two: ONNX Runtime has the rest). */
  threads?: number;
  /** The threads' program; tests pass a broken one to see failures surface. */
  source?: string;
}

/**
 * PNG filtering and compression on worker threads, so the thread that feeds the UNet spends
 * only a copy of the pixels per image. Threads start on first use and are unreferenced while
 * idle; a thread that dies fails its images with PNG_ENCODER_FAILED and the next image starts
 * a fresh one. `close` ends them (pending images fail); a later encode starts them again.
 */
export class PngEncoderPool {
  private readonly threads: EncoderThread[] = [];
  private nextId = 0;
  readonly size: number;
  private readonly source: string;

  constructor(options: PngEncoderPoolOptions = {}) {
    this.size = Math.max(1, options.threads ?? Math.min(2, availableParallelism() - 1));
    this.source = options.source ?? ENCODER_SOURCE;
  }

  /** The zlib stream of the filtered scanlines: the IDAT payload of the image's PNG. */
  idat(image: RgbImage): Promise<Buffer> {
    return this.thread().encode(this.nextId++, image);
  }

  /** Start a thread now (it boots while the UNet runs) so the first image does not wait for one. */
  warm(): void {
    if (this.threads.length === 0) this.threads.push(new EncoderThread(this.source, (gone) => this.forget(gone)));
  }

  /** Images handed to a thread and not answered yet. */
  get pending(): number {
    return this.threads.reduce((n, t) => n + t.pending.size, 0);
  }

  private thread(): EncoderThread {
    const idle = this.threads.find((t) => t.pending.size === 0);
    if (idle) return idle;
    if (this.threads.length < this.size) {
      const thread = new EncoderThread(this.source, (gone) => this.forget(gone));
      this.threads.push(thread);
      return thread;
    }
    return this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private forget(thread: EncoderThread): void {
    const i = this.threads.indexOf(thread);
    if (i >= 0) this.threads.splice(i, 1);
  }

  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

let shared: PngEncoderPool | undefined;

/** The process's (or engine worker thread's) encoder pool, started on first use. */
export function defaultPngEncoderPool(): PngEncoderPool {
  shared ??= new PngEncoderPool();
  return shared;
}
