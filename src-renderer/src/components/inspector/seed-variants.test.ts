import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import KeyframeInspector from './keyframe-inspector.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

const still = (name: string) => `/media/${name}.png`;

type Mounted = Awaited<ReturnType<typeof mountWithStudio>>;

async function trySeeds(wrapper: Mounted['wrapper'], host: Mounted['host'], count: number) {
  await wrapper.get('[aria-label="How many seeds to try"]').setValue(String(count));
  await wrapper.findAll('button').find((b) => b.text() === 'Try seeds')!.trigger('click');
  await settle();
  const call = host.calls.filter((c) => c.method === 'renders.variants').at(-1)!;
  const { seeds } = call.payload as { index: number; seeds: number[] };
  return { seeds, payload: call.payload as { index: number; seeds: number[] } };
}

describe('SeedVariants ("Try seeds" in the keyframe inspector)', () => {
  it('asks for n distinct new seeds in one job, shows each still as it arrives, and a pick sets the seed in one undo step', async () => {
    const { wrapper, host, project, renders } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 1 } });
    const before = project.doc!.keyframes[1].seed;
    const { payload } = await trySeeds(wrapper, host, 6);
    expect(payload.index).toBe(1);
    expect(payload.seeds).toHaveLength(6);
    expect(new Set(payload.seeds).size).toBe(6);
    expect(payload.seeds).not.toContain(before);
    const jobId = renders.seedTries[project.doc!.keyframes[1].id].jobId;
    const tiles = () => wrapper.get('[data-testid="seed-grid"]').findAll('button');
    expect(tiles()).toHaveLength(6);
    // Nothing to pick before its still arrived; the running job can be cancelled.
    expect(tiles().every((t) => t.attributes('disabled') !== undefined)).toBe(true);
    expect(wrapper.findAll('button').some((b) => b.text() === 'Cancel')).toBe(true);

    host.emit('job.progress', { jobId, kind: 'render', phase: 'denoising seed 1 of 6', done: 0.5, total: 6, etaMs: null });
    host.emit('job.variant', { jobId, keyframe: 1, seed: payload.seeds[0], url: still('a') });
    host.emit('job.variant', { jobId, keyframe: 1, seed: payload.seeds[2], url: still('c') });
    await settle();
    expect(wrapper.text()).toContain('denoising seed 1 of 6');
    expect(tiles()[0].get('img').attributes('src')).toBe(still('a'));
    expect(tiles()[1].find('img').exists()).toBe(false);
    expect(tiles()[2].attributes('disabled')).toBeUndefined();

    await tiles()[2].trigger('click');
    await settle();
    expect(project.doc!.keyframes[1].seed).toBe(payload.seeds[2]);
    expect(host.state.project.keyframes[1].seed).toBe(payload.seeds[2]);
    expect(tiles()[2].attributes('aria-pressed')).toBe('true');
    project.undo();
    expect(project.doc!.keyframes[1].seed).toBe(before);
  });

  it('cancels the try with its job id', async () => {
    const { wrapper, host, project, renders } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 0 } });
    await trySeeds(wrapper, host, 2);
    const jobId = renders.seedTries[project.doc!.keyframes[0].id].jobId;
    await wrapper.findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click');
    await settle();
    expect(host.calls.filter((c) => c.method === 'renders.cancel').map((c) => c.payload)).toEqual([{ jobId }]);
    expect(wrapper.findAll('button').some((b) => b.text() === 'Try seeds')).toBe(true);
  });

  it('keeps the keyframe\'s recent stills with their prompt and seed; a click restores both in one undo step', async () => {
    const { wrapper, host, project, renders } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 0 } });
    const first = { prompt: project.doc!.keyframes[0].prompt, seed: project.doc!.keyframes[0].seed };
    host.frames = { keyframes: [{ index: 0, url: still('first') }], transitions: [] };
    await renders.refresh();
    // A new prompt and seed, and the host's still of them.
    // As the real host: the edited keyframe has no still until one is rendered for it.
    host.frames = { keyframes: [], transitions: [] };
    project.setField(['keyframes', 0, 'prompt'], 'a lighthouse in fog', 'Edit prompt');
    project.seal();
    project.setField(['keyframes', 0, 'seed'], 777, 'Edit seed');
    project.seal();
    await settle();
    host.frames = { keyframes: [{ index: 0, url: still('second') }], transitions: [] };
    await renders.refresh();
    await settle();

    const items = () => wrapper.get('[data-testid="keyframe-history"]').findAll('button');
    expect(items().map((b) => b.attributes('aria-label'))).toEqual(['Restore seed 777: a lighthouse in fog', `Restore seed ${first.seed}: ${first.prompt}`]);
    // The one in use is marked and cannot be "restored".
    expect(items()[0].attributes('disabled')).toBeDefined();
    expect(renders.keyframeHistory[project.doc!.keyframes[0].id].map((h) => h.url)).toEqual([still('second'), still('first')]);

    await items()[1].trigger('click');
    await settle();
    expect(project.doc!.keyframes[0]).toMatchObject(first);
    expect(host.state.project.keyframes[0]).toMatchObject(first);
    project.undo();
    expect(project.doc!.keyframes[0]).toMatchObject({ prompt: 'a lighthouse in fog', seed: 777 });
  });

  it('keeps only the last few stills per keyframe, and none for an imported picture', async () => {
    const { wrapper, host, project, renders } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 2 } });
    for (let i = 0; i < 9; i++) {
      host.frames = { keyframes: [], transitions: [] };
      project.setField(['keyframes', 2, 'seed'], 100 + i, 'Edit seed');
      project.seal();
      await settle();
      host.frames = { keyframes: [{ index: 2, url: still(`s${i}`) }], transitions: [] };
      await renders.refresh();
    }
    await settle();
    const seeds = renders.keyframeHistory[project.doc!.keyframes[2].id].map((h) => h.seed);
    expect(seeds).toEqual([108, 107, 106, 105, 104, 103]);

    project.setField(['keyframes', 1, 'image'], 'images/k2.png', 'Use an image');
    host.frames = { keyframes: [{ index: 1, url: still('picture') }], transitions: [] };
    await renders.refresh();
    expect(renders.keyframeHistory[project.doc!.keyframes[1].id]).toBeUndefined();
    await wrapper.setProps({ index: 1 });
    expect(wrapper.find('[aria-label="Try seeds"]').exists()).toBe(false);
  });
});
