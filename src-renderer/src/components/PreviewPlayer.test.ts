import { afterEach, describe, expect, it } from 'vitest';
import { usePlayerStore } from '../stores/player';
import { mountWithStudio, settle } from '../testing/mountStudio';
import PreviewPlayer from './PreviewPlayer.vue';

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
