import { afterEach, describe, expect, it } from 'vitest';
import { formatWhen } from '../../logic/format';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import RenderQueue from './render-queue.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('RenderQueue', () => {
  it('shows progress and ETA of a running job and cancels it', async () => {
    const { wrapper, host, renders } = await mountWithStudio(RenderQueue);
    await renders.start({ kind: 'movie' }, 'Movie');
    await settle();
    host.emit('job.progress', { jobId: 'job-1', kind: 'render', phase: 'denoising', done: 3, total: 12, etaMs: 42_000 });
    await settle();
    const job = wrapper.get('[data-testid="job"]');
    expect(job.attributes('aria-label')).toBe('Movie');
    expect(job.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('25');
    expect(job.text()).toContain('Denoising · 25%'); // 3 of 12 steps
    expect(job.text()).toContain('42 s left');
    await job.findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click');
    await settle();
    expect(host.calls.some((c) => c.method === 'renders.cancel')).toBe(true);
    expect(wrapper.get('[data-testid="job"]').text()).toContain('Cancelled');
  });

  it('shows each transition of a farm render as the workers report it', async () => {
    const { wrapper, host, renders } = await mountWithStudio(RenderQueue);
    await renders.start({ kind: 'movie' }, 'Movie');
    await settle();
    host.emit('job.progress', {
      jobId: 'job-1', kind: 'render', phase: 'rendering', done: 50, total: 120, etaMs: 9000,
      transitions: [
        { index: 0, state: 'done', done: 40, total: 40, worker: 'gpu0' },
        { index: 1, state: 'rendering', done: 10, total: 40, worker: 'gpu1' },
      ],
    });
    await settle();
    expect(wrapper.get('[data-testid="farm-transitions"]').findAll('li').map((li) => li.text())).toEqual(['T1 done', 'T2 25%']);
  });

  it('shows a failed job\'s message and hint as text', async () => {
    const { wrapper, host, renders } = await mountWithStudio(RenderQueue);
    await renders.start({ kind: 'keyframe', index: 0 }, 'Keyframe 1');
    await settle();
    host.emit('job.error', { jobId: 'job-1', kind: 'render', error: { code: 'MODEL_NOT_FOUND', message: 'The model folder /m is missing unet/model.onnx.', hint: 'Pick a Stable Diffusion 2.x ONNX folder.' } });
    await settle();
    expect(wrapper.get('[role="alert"]').text()).toBe('The model folder /m is missing unet/model.onnx. Pick a Stable Diffusion 2.x ONNX folder.');
  });

  it('reports a render that could not start because the project is invalid', async () => {
    const { wrapper, project, renders } = await mountWithStudio(RenderQueue);
    project.setField(['transitions', 0, 'depthStrength'], 0.99);
    expect(await renders.start({ kind: 'movie' }, 'Movie')).toBeNull();
    await settle();
    expect(wrapper.get('.banner').text()).toMatch(/^Fix this first:/);
  });

  it('names each job\'s project and time, and folds finished jobs into one line', async () => {
    const { wrapper, host, renders } = await mountWithStudio(RenderQueue);
    const queuedAt = new Date(2026, 11, 1, 8, 15).getTime();
    host.now = () => queuedAt;
    for (const [scope, label] of [[{ kind: 'keyframe', index: 0 }, 'Keyframe 1'], [{ kind: 'keyframe', index: 1 }, 'Keyframe 2'], [{ kind: 'transition', index: 0 }, 'Transition 1 → 2'], [{ kind: 'movie' }, 'Movie']] as const) {
      await renders.start(scope, label);
    }
    await settle();
    const origins = () => wrapper.findAll('[data-testid="job-origin"]').map((o) => o.text());
    expect(origins()).toEqual(Array(4).fill(`${host.state.project.name} · ${formatWhen(queuedAt)}`));
    host.emit('job.done', { jobId: 'job-1', kind: 'render', result: { kind: 'render', scope: { kind: 'keyframe', index: 0 }, frames: 1, fromCache: false } });
    host.emit('job.done', { jobId: 'job-2', kind: 'render', result: { kind: 'render', scope: { kind: 'keyframe', index: 1 }, frames: 1, fromCache: false } });
    host.emit('job.error', { jobId: 'job-3', kind: 'render', error: { code: 'INTERNAL', message: 'Out of memory.' } });
    await settle();
    // Only the running movie is listed in full; the three finished ones are one closed line.
    const folded = wrapper.get('[data-testid="finished-jobs"]');
    expect((folded.element as HTMLDetailsElement).open).toBe(false);
    expect(folded.get('summary').text()).toBe('3 finished · 1 failed');
    const outside = wrapper.findAll('[data-testid="job"]').filter((j) => !folded.element.contains(j.element));
    expect(outside.map((j) => j.attributes('aria-label'))).toEqual(['Movie']);
    expect(folded.findAll('[data-testid="job"]').map((j) => j.attributes('aria-label'))).toEqual(['Transition 1 → 2', 'Keyframe 2', 'Keyframe 1']);
    expect(folded.text()).toContain('Out of memory.');
  });
});
