import { afterEach, describe, expect, it } from 'vitest';
import { buttonNamed } from '../../testing/buttons';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import HugeRenderDialog from './huge-render-dialog.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

const HUGE = { code: 'RENDER_NEEDS_CONFIRMATION', message: 'Movie (2 transitions) is estimated to take about 2 h 10 min: 12 000 UNet steps.', hint: 'Start it anyway, or lower the quality first.' };


describe('HugeRenderDialog', () => {
  it('shows the estimate of a huge render and starts it, confirmed, only when asked to', async () => {
    const { host, renders } = await mountWithStudio(HugeRenderDialog);
    expect(document.body.textContent).not.toContain('very long render');
    host.failNext('renders.start', HUGE);
    const started = renders.start({ kind: 'movie' }, 'Movie');
    await settle();
    expect(document.body.textContent).toContain('Start a very long render?');
    expect(document.body.textContent).toContain('about 2 h 10 min: 12 000 UNet steps');
    expect(renders.jobs).toEqual([]);
    buttonNamed('Start render').click();
    const jobId = await started;
    await settle();
    expect(jobId).toBe('job-1');
    const calls = host.calls.filter((c) => c.method === 'renders.start').map((c) => c.payload);
    expect(calls).toEqual([{ scope: { kind: 'movie' } }, { scope: { kind: 'movie' }, confirmHuge: true }]);
    expect(renders.jobs.map((j) => j.jobId)).toEqual(['job-1']);
    expect(document.body.textContent).not.toContain('very long render');
    expect(renders.lastError).toBeNull();
  });

  it('starts nothing when the user cancels', async () => {
    const { host, renders } = await mountWithStudio(HugeRenderDialog);
    host.failNext('renders.start', HUGE);
    const started = renders.start({ kind: 'transition', index: 0 }, 'Transition 1 → 2');
    await settle();
    buttonNamed('Cancel').click();
    expect(await started).toBeNull();
    await settle();
    expect(host.calls.filter((c) => c.method === 'renders.start')).toHaveLength(1);
    expect(renders.jobs).toEqual([]);
    expect(document.body.textContent).not.toContain('very long render');
  });
});
