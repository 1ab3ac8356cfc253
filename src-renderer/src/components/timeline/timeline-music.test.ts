import { afterEach, describe, expect, it } from 'vitest';
import { framesAt, movieTiming } from '../../../../src-main/contract/contract';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import TimelinePanel from './timeline-panel.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

/** 120 bpm from 0.25 s: beats at 0.25, 0.75, 1.25, … */
const beats = Array.from({ length: 40 }, (_, i) => 0.25 + i * 0.5);

describe('the timeline with a music track (issue 12)', () => {
  async function withMusic() {
    const mounted = await mountWithStudio(TimelinePanel, ['one', 'two', 'three']);
    mounted.host.audio = { path: 'music.mp3', durationSeconds: 20, bpm: 120, confidence: 0.8, beats, waveform: { perSecond: 50, peaks: Array.from({ length: 1000 }, (_, i) => (i % 25) / 25) } };
    mounted.project.setField(['export', 'audio'], 'music.mp3');
    await settle();
    await settle();
    return mounted;
  }

  it('draws the waveform and one mark per beat inside the movie, and shows the tempo', async () => {
    const { wrapper } = await withMusic();
    expect(wrapper.get('[data-testid="tempo"]').text()).toBe('♪ 120.0 bpm');
    expect(wrapper.get('[data-testid="waveform"]').attributes('d')).toMatch(/^M/);
    // 2 × 3 s = 6 s: beats at 0.25 … 5.75 s.
    expect(wrapper.findAll('[data-testid="beat-mark"]')).toHaveLength(12);
  });

  it('Snap to beats puts every keyframe on a beat frame in one undo step', async () => {
    const { wrapper, project } = await withMusic();
    const snap = wrapper.findAll('button').find((b) => b.text().includes('Snap to beats'))!;
    await snap.trigger('click');
    await settle();
    const d = project.doc!;
    const timing = movieTiming(d.transitions.map((t) => t.duration), d.fps, { holds: d.keyframes.map((k) => k.hold) });
    const beatFrames = new Set(beats.map((b) => framesAt(b, d.fps)));
    expect(timing.keyframeFrames.slice(1, -1).every((f) => beatFrames.has(f))).toBe(true);
    expect(d.transitions.map((t) => t.duration)).toEqual([2.75, 3]);
    expect(wrapper.text()).toContain('2 keyframes on beats');
    project.undo();
    await settle();
    expect(project.doc!.transitions.map((t) => t.duration)).toEqual([3, 3]);
  });

  it('every 4 beats puts keyframes on every fourth beat', async () => {
    const { wrapper, project } = await withMusic();
    await wrapper.get('select[aria-label="Snap keyframes to every n-th beat"]').setValue('4');
    const snap = wrapper.findAll('button').find((b) => b.text().includes('Snap to beats'))!;
    await snap.trigger('click');
    await settle();
    expect(project.doc!.transitions.map((t) => t.duration)).toEqual([2.25, 2]);
  });
});

describe('the music track field', () => {
  it('sets the project\'s export audio, which the timeline then reads, and clearing it removes the lane', async () => {
    const { default: ProjectInspector } = await import('../inspector/project-inspector.vue');
    const { wrapper, project, host } = await mountWithStudio(ProjectInspector, ['one', 'two']);
    host.audio = { path: 'music/beat.wav', durationSeconds: 4, bpm: 90, confidence: 0.9, beats: [0, 2 / 3, 4 / 3], waveform: { perSecond: 50, peaks: [0.5] } };
    const input = wrapper.get('#music-track');
    await input.setValue('music/beat.wav');
    await input.trigger('change');
    await settle();
    expect(project.doc!.export.audio).toBe('music/beat.wav');
    expect(host.calls.some((c) => c.method === 'audio.analyze')).toBe(true);
    await input.setValue('');
    await input.trigger('change');
    await settle();
    expect(project.doc!.export.audio).toBeUndefined();
  });
});
