import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import type { KeyframeJob } from '../jobs/keyframe';
import type { JobProgress } from '../jobs/progress';
import { engineJobs } from '../jobs/kinds';
import { EngineClient } from './client';

const job: KeyframeJob = {
  kind: 'keyframe',
  model: { kind: 'demo' },
  session: { provider: 'cpu' },
  prompt: 'a red sunset over the ocean',
  negativePrompt: '',
  seed: 7,
  steps: 6,
  guidance: 7.5,
  width: 256,
  height: 192,
  scheduler: 'ddim',
};

const client = new EngineClient({ jobs: engineJobs, allowCrashJob: true });
afterAll(() => client.dispose());

describe('engine worker job protocol', () => {
  it('runs a keyframe off the main thread with progress up to done = total', async () => {
    const progress: JobProgress[] = [];
    const result = await client.run(job, { onProgress: (p) => progress.push(p) });
    expect([result.image.width, result.image.height, result.image.data.length]).toEqual([256, 192, 256 * 192 * 3]);
    expect(result.stats.unetCalls).toBe(6);
    const denoising = progress.filter((p) => p.phase === 'denoising' || p.phase === 'decoding');
    expect(denoising.at(-1)).toMatchObject({ done: 7, total: 7, etaMs: 0 });
    expect(denoising.map((p) => p.done)).toEqual([...denoising.map((p) => p.done)].sort((a, b) => a - b));
    expect(denoising.some((p) => p.etaMs !== null && p.etaMs > 0)).toBe(true);
  });

  it('gives the same PNG bytes for the same job', async () => {
    const a = await client.run(job);
    const b = await client.run(job);
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    const c = await client.run({ ...job, seed: 8 });
    expect(Buffer.from(a.image.data).equals(Buffer.from(c.image.data))).toBe(false);
  });

  it('cancels between UNet calls with a typed error', async () => {
    const handle = client.start({ ...job, steps: 200 }, {
      onProgress: (p) => {
        if (p.phase === 'denoising' && p.done === 3) client.cancel(handle.jobId);
      },
    });
    const error = (await handle.result.catch((e: unknown) => e)) as EngineError;
    expect(error).toBeInstanceOf(EngineError);
    expect(error.code).toBe('CANCELLED');
  });

  it('reports bad arguments as typed errors without crashing the worker', async () => {
    const error = (await client.run({ ...job, steps: 0 }).catch((e: unknown) => e)) as EngineError;
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toMatch(/steps 0/);
    const missing = (await client.run({ ...job, model: { kind: 'path', path: '/nonexistent/model' } }).catch((e: unknown) => e)) as EngineError;
    expect(missing.code).toBe('MODEL_NOT_FOUND');
    expect(missing.message).toContain('/nonexistent/model');
    await expect(client.run(job)).resolves.toBeDefined();
  });

  it('checks a job\'s shape against its kind\'s schema where it enters the worker, naming each bad field', async () => {
    // What a host of another version (or a bug) could post: the types say it cannot happen, the seam makes sure.
    const malformed = { ...job, prompt: 42, model: { kind: 'folder', path: '/m' }, session: { provider: 'tpu' } } as unknown as KeyframeJob;
    const error = (await client.run(malformed).catch((e: unknown) => e)) as EngineError;
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toMatch(/^The 'keyframe' job is malformed: /);
    for (const field of ['prompt', 'model.kind', 'session.provider']) expect(error.message).toContain(field);
    const scheduler = (await client.run({ ...job, scheduler: 'pndm' as KeyframeJob['scheduler'] }).catch((e: unknown) => e)) as EngineError;
    expect(scheduler.message).toMatch(/scheduler must be one of ddim, .* \(leave it out to use the model folder's own scheduler\)/);
    await expect(client.run(job)).resolves.toBeDefined();
  });

  it('fails the running job when the worker dies, then works again with a fresh worker', async () => {
    const handle = client.start({ ...job, steps: 500 }, {
      onProgress: (p) => {
        if (p.phase === 'denoising' && p.done === 2) client.simulateCrash();
      },
    });
    const error = (await handle.result.catch((e: unknown) => e)) as EngineError;
    expect(error.code).toBe('WORKER_CRASHED');
    expect(error.message).toMatch(/restarted/);
    expect(client.crashRestarts).toBe(1);
    const again = await client.run(job);
    expect(again.image.width).toBe(256);
  });

  it('a cancel that the engine cannot act on (thread stuck in a native call) terminates and replaces the worker', async () => {
    const stuck = new EngineClient({ jobs: engineJobs, allowCrashJob: true, cancelGraceMs: 300 });
    try {
      const handle = stuck.start({ ...job, steps: 500 }, {
        onProgress: (p) => {
          if (p.phase === 'denoising' && p.done === 2) {
            stuck.simulateHang();
            stuck.cancel(handle.jobId);
          }
        },
      });
      const error = (await handle.result.catch((e: unknown) => e)) as EngineError;
      expect(error.code).toBe('CANCELLED');
      expect(error.message).toMatch(/did not stop within .* so it was restarted/);
      // The queue is free again: the next job runs on a fresh worker.
      const again = await stuck.run(job);
      expect(again.image.width).toBe(256);
      expect(stuck.crashRestarts).toBe(1);
    } finally {
      await stuck.dispose();
    }
  });

  it('a cancel that comes before the worker has started the job is not lost: the job never runs', async () => {
    const fresh = new EngineClient({ jobs: engineJobs });
    try {
      let progressed = false;
      const handle = fresh.start({ ...job, steps: 50 }, { onProgress: () => (progressed = true) });
      // The worker is still starting (a new worker thread): the job has not reached it yet.
      expect(fresh.cancel(handle.jobId)).toBe(true);
      const error = (await handle.result.catch((e: unknown) => e)) as EngineError;
      expect(error.code).toBe('CANCELLED');
      // The worker is fine and the next job runs; the cancelled one reported nothing.
      expect((await fresh.run(job)).image.width).toBe(256);
      expect(progressed).toBe(false);
    } finally {
      await fresh.dispose();
    }
  });
});
