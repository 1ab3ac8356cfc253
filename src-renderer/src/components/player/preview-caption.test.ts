import { afterEach, describe, expect, it } from 'vitest';
import { usePlayerStore } from '../../stores/player';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import PreviewPlayer from './preview-player.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

const three = [
  { position: 0, url: 'data:,a' },
  { position: 0.5, url: 'data:,m' },
  { position: 1, url: 'data:,b' },
];

/** The caption (and the kind it names) of each frame from `from` to `to`. */
async function captions(wrapper: Awaited<ReturnType<typeof mountWithStudio>>['wrapper'], from: number, to: number) {
  const player = usePlayerStore();
  const out: Array<[string, string | undefined]> = [];
  for (let n = from; n <= to; n++) {
    player.seek(n);
    await settle();
    const caption = wrapper.get('[data-testid="frame-caption"]');
    out.push([caption.text(), caption.attributes('data-kind')]);
  }
  return out;
}

describe('PreviewPlayer caption: what the frame under the playhead is (issue 12)', () => {
  it('names keyframe frames, diffused images and crossfades with their position f, as the export picks them', async () => {
    const { wrapper, project, renders } = await mountWithStudio(PreviewPlayer, ['one', 'two']);
    project.setField(['fps'], 8);
    project.setField(['transitions', 0, 'duration'], 1); // 8 frames: a, a→m ¼ ½ ¾, m, m→b ⅓ ⅔, b
    await settle();
    renders.applyFrames({ keyframes: [], transitions: [{ index: 0, complete: true, frames: three }] });
    await settle();
    expect(await captions(wrapper, 0, 7)).toEqual([
      ['Keyframe 1', 'keyframe'],
      ['Transition 1 → 2 · f 0.125 · crossfade 0.000 → 0.500', 'fill'],
      ['Transition 1 → 2 · f 0.250 · crossfade 0.000 → 0.500', 'fill'],
      ['Transition 1 → 2 · f 0.375 · crossfade 0.000 → 0.500', 'fill'],
      ['Transition 1 → 2 · f 0.500 · diffused image', 'diffusion'],
      ['Transition 1 → 2 · f 0.667 · crossfade 0.500 → 1.000', 'fill'],
      ['Transition 1 → 2 · f 0.833 · crossfade 0.500 → 1.000', 'fill'],
      ['Keyframe 2', 'keyframe'],
    ]);
  });

  it('shows the eased position under easing: ease-in gives the slow start more frames, so f lags the clock', async () => {
    const { wrapper, project, renders } = await mountWithStudio(PreviewPlayer, ['one', 'two']);
    project.setField(['fps'], 8);
    project.setField(['transitions', 0, 'duration'], 1);
    project.setField(['transitions', 0, 'easing', 'curve'], 'ease-in');
    await settle();
    renders.applyFrames({ keyframes: [], transitions: [{ index: 0, complete: true, frames: three }] });
    await settle();
    const seen = await captions(wrapper, 0, 7);
    const diffused = seen.findIndex(([, kind]) => kind === 'diffusion');
    // Linear puts m on frame 4; ease-in spends longer before it (the first half of f is slow).
    expect(diffused).toBeGreaterThan(4);
    expect(seen[diffused][0]).toBe('Transition 1 → 2 · f 0.500 · diffused image');
    expect(seen[1][0]).not.toBe('Transition 1 → 2 · f 0.125 · crossfade 0.000 → 0.500');
    expect(seen[1][0]).toMatch(/^Transition 1 → 2 · f 0\.\d{3} · crossfade 0\.000 → 0\.500$/);
  });

  it('names the loop-back transition "3 → 1", which runs up to keyframe 1 on the movie’s first frame', async () => {
    const { wrapper, project, renders } = await mountWithStudio(PreviewPlayer, ['one', 'two', 'three']);
    const player = usePlayerStore();
    project.setField(['fps'], 8);
    project.setLoop(true);
    await settle();
    for (let i = 0; i < 3; i++) project.setField(['transitions', i, 'duration'], 1);
    await settle();
    expect(project.doc?.transitions).toHaveLength(3);
    renders.applyFrames({ keyframes: [], transitions: [{ index: 2, complete: true, frames: three }] });
    await settle();
    const start = player.layout.spans[2].start;
    const seen = await captions(wrapper, start, player.layout.totalFrames - 1);
    expect(seen[0][0]).toBe('Keyframe 3');
    expect(seen).toContainEqual(['Transition 3 → 1 · f 0.500 · diffused image', 'diffusion']);
    // A seamless loop: the movie's last frame still crosses towards keyframe 1, shown next on frame 0.
    expect(seen[seen.length - 1]).toEqual(['Transition 3 → 1 · f 0.875 · crossfade 0.500 → 1.000', 'fill']);
    expect(await captions(wrapper, 0, 0)).toEqual([['Keyframe 1', 'keyframe']]);
  });

  it('says when a transition is not finished: the planned position and that a stand-in is shown', async () => {
    const { wrapper, project, host } = await mountWithStudio(PreviewPlayer, ['one', 'two']);
    const player = usePlayerStore();
    project.setField(['fps'], 10);
    project.setField(['transitions', 0, 'duration'], 1); // 10 frames: f = j/9
    await settle();
    player.seek(3);
    await settle();
    expect(wrapper.get('[data-testid="frame-caption"]').text()).toBe('Transition 1 → 2 · f 0.333 · not rendered yet');
    expect(wrapper.get('[data-testid="frame-caption"]').attributes('data-kind')).toBeUndefined();
    host.emit('job.frame', { jobId: 'j', target: 'transition', transition: 0, position: 0.5, index: 1, url: 'data:,m' });
    await settle();
    expect(wrapper.get('[data-testid="frame-caption"]').text()).toBe('Transition 1 → 2 · f 0.333 · nearest rendered image stands in');
  });
});
