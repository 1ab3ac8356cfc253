import { afterEach, describe, expect, it } from 'vitest';
import { usePlayerStore } from '../../stores/player';
import { useRenderStore } from '../../stores/renders';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import PreviewPlayer from './preview-player.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('PreviewPlayer', () => {
  it('is the "Preview" region and says when nothing is rendered', async () => {
    const { wrapper } = await mountWithStudio(PreviewPlayer);
    expect(wrapper.get('section').attributes('aria-label')).toBe('Preview');
    expect(wrapper.text()).toContain('Nothing rendered here yet.');
  });

  it('shows the nearest rendered image and marks the stretch as not fully rendered', async () => {
    const { wrapper, host, project } = await mountWithStudio(PreviewPlayer);
    const player = usePlayerStore();
    project.setField(['fps'], 10);
    project.setField(['transitions', 0, 'duration'], 1); // 10 frames: f = j/9
    host.emit('job.frame', { jobId: 'j', target: 'keyframe', keyframe: 0, url: 'data:,k0' });
    host.emit('job.frame', { jobId: 'j', target: 'keyframe', keyframe: 1, url: 'data:,k1' });
    await settle();
    player.seek(3); // f = 1/3: nearest is keyframe 0
    await settle();
    expect(wrapper.get('[data-testid="preview-frame"]').attributes('src')).toBe('data:,k0');
    expect(wrapper.find('[data-testid="unrendered-badge"]').exists()).toBe(true);
    host.emit('job.frame', { jobId: 'j', target: 'transition', transition: 0, position: 1 / 3, index: 1, url: 'data:,third' });
    await settle();
    expect(wrapper.get('[data-testid="preview-frame"]').attributes('src')).toBe('data:,third');
  });

  it('plays and pauses with one button whose name follows the state', async () => {
    const { wrapper } = await mountWithStudio(PreviewPlayer);
    await wrapper.get('button[aria-label="Play"]').trigger('click');
    expect(wrapper.find('button[aria-label="Play"]').exists()).toBe(false);
    await wrapper.get('button[aria-label="Pause"]').trigger('click');
    expect(wrapper.find('button[aria-label="Play"]').exists()).toBe(true);
  });

  it('steps frames and reports time and frame number at the project fps', async () => {
    const { wrapper, project } = await mountWithStudio(PreviewPlayer);
    project.setField(['fps'], 25);
    await settle();
    for (let i = 0; i < 26; i++) await wrapper.get('button[aria-label="Next frame"]').trigger('click');
    expect(wrapper.get('[data-testid="frame-number"]').text()).toContain('Frame 27');
    expect(wrapper.get('[data-testid="timecode"]').text()).toMatch(/^0:01\.04 /); // frame index 26 at 25 fps = 1.04 s
    await wrapper.get('[role="slider"]').trigger('keydown', { key: 'Home' });
    expect(wrapper.get('[data-testid="frame-number"]').text()).toContain('Frame 1 ');
  });
});

describe('PreviewPlayer timing (issue 9: every keyframe lands on its second)', () => {
  it('shows 0:06.00 for 3 s + 3 s and puts keyframe 2 on 0:03.00, frame 73 of 144', async () => {
    const { wrapper, project } = await mountWithStudio(PreviewPlayer, ['one', 'two', 'three']);
    const player = usePlayerStore();
    project.setField(['fps'], 24);
    project.setField(['transitions', 0, 'duration'], 3);
    project.setField(['transitions', 1, 'duration'], 3);
    await settle();
    expect(wrapper.get('[data-testid="timecode"]').text()).toMatch(/\/ 0:06\.00$/);
    player.seek(player.frameOfKeyframe(1));
    await settle();
    expect(wrapper.get('[data-testid="timecode"]').text()).toMatch(/^0:03\.00 /);
    expect(wrapper.get('[data-testid="frame-number"]').text()).toMatch(/^Frame 73\s*\/\s*144$/);
  });
});

describe('PreviewPlayer shows what the export writes (issue 9)', () => {
  it('shows a finished transition frame by frame as the export fills it: images where the export has them, crossfades between', async () => {
    const { wrapper, project } = await mountWithStudio(PreviewPlayer, ['one', 'two']);
    const player = usePlayerStore();
    const renders = useRenderStore();
    project.setField(['fps'], 8);
    project.setField(['transitions', 0, 'duration'], 1); // 8 frames, both keyframes included
    await settle();
    renders.applyFrames({
      keyframes: [],
      transitions: [{ index: 0, complete: true, frames: [{ position: 0, url: 'data:,a' }, { position: 0.5, url: 'data:,m' }, { position: 1, url: 'data:,b' }] }],
    });
    await settle();
    // The export's fill-up of 3 images over 8 frames: a, a→m ¼ ½ ¾, m, m→b ⅓ ⅔, b.
    const expected = ['a', 'a+m@0.250', 'a+m@0.500', 'a+m@0.750', 'm', 'm+b@0.333', 'm+b@0.667', 'b'];
    const seen: string[] = [];
    for (let n = 0; n < 8; n++) {
      player.seek(n);
      await settle();
      const base = wrapper.get('[data-testid="preview-frame"]').attributes('src')!.slice('data:,'.length);
      const overlay = wrapper.find('[data-testid="preview-overlay"]');
      seen.push(overlay.exists() ? `${base}+${overlay.attributes('src')!.slice('data:,'.length)}@${Number(overlay.attributes('data-alpha')).toFixed(3)}` : base);
    }
    expect(seen).toEqual(expected);
    expect(wrapper.find('[data-testid="unrendered-badge"]').exists()).toBe(false);
  });

  it('spreads frames by the perceptual distances the host measured under equal perceptual spacing, as the export does', async () => {
    const { wrapper, project, host } = await mountWithStudio(PreviewPlayer, ['one', 'two']);
    const player = usePlayerStore();
    const renders = useRenderStore();
    project.setField(['fps'], 8);
    project.setField(['transitions', 0, 'duration'], 1);
    project.setField(['transitions', 0, 'easing', 'curve'], 'even-perceived-speed');
    await settle();
    const frames = [{ position: 0, url: 'data:,a' }, { position: 0.5, url: 'data:,m' }, { position: 1, url: 'data:,b' }];
    renders.applyFrames({ keyframes: [], transitions: [{ index: 0, complete: true, frames, distances: [0.1, 0.9] }] });
    await settle();
    // 5 fill frames split 0.1 : 0.9 by largest remainder: 1 before m, 4 after it.
    const seen: string[] = [];
    for (let n = 0; n < 8; n++) {
      player.seek(n);
      await settle();
      seen.push(wrapper.get('[data-testid="preview-frame"]').attributes('src')!.slice('data:,'.length));
    }
    expect(seen).toEqual(['a', 'a', 'm', 'm', 'm', 'm', 'm', 'b']);
    player.seek(3);
    await settle();
    expect(Number(wrapper.get('[data-testid="preview-overlay"]').attributes('data-alpha'))).toBeCloseTo(0.2, 10);
    // A cache pass announcing the same images again keeps the spacing.
    host.emit('job.frame', { jobId: 'j', target: 'transition', transition: 0, position: 0.5, index: 1, url: 'data:,m' });
    await settle();
    expect(Number(wrapper.get('[data-testid="preview-overlay"]').attributes('data-alpha'))).toBeCloseTo(0.2, 10);
  });

  it('ends on the inpainted keyframe the export ends on, not on its plain still, in the player and on the card', async () => {
    const { wrapper, project } = await mountWithStudio(PreviewPlayer, ['one', 'two']);
    const player = usePlayerStore();
    const renders = useRenderStore();
    project.setField(['fps'], 8);
    project.setField(['transitions', 0, 'duration'], 1);
    await settle();
    renders.applyFrames({
      keyframes: [
        { index: 0, url: 'data:,still-0' },
        { index: 1, url: 'data:,still-1' },
      ],
      transitions: [{ index: 0, complete: true, frames: [{ position: 0, url: 'data:,a' }, { position: 0.5, url: 'data:,m' }, { position: 1, url: 'data:,inpainted-1' }] }],
    });
    await settle();
    player.seek(player.layout.totalFrames - 1);
    await settle();
    expect(wrapper.get('[data-testid="preview-frame"]').attributes('src')).toBe('data:,inpainted-1');
    expect(renders.keyframeImage(1)).toBe('data:,inpainted-1');
    expect(renders.keyframeImage(0)).toBe('data:,a');
  });
});
