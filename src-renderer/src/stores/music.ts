import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { minFramesForPreset, snapToBeats, type AudioAnalysis } from '../../../src-main/contract/contract';
import { describeError } from '../api/errors';
import { transport } from '../api/transport';
import { useProjectStore } from './project';

/** Beats between keyframes that "Snap to beats" offers. */
export const SNAP_EVERY = [1, 2, 4, 8] as const;

/**
 * The music track under the timeline (the project's export audio): its waveform, tempo and
 * beats from the host, and "Snap to beats", which sets transition durations so every keyframe
 * lands on a beat — one undo step, nothing re-rendered beyond what a duration change renders.
 */
export const useMusicStore = defineStore('music', () => {
  const project = useProjectStore();
  const analysis = ref<AudioAnalysis | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const every = ref<(typeof SNAP_EVERY)[number]>(1);
  /** What the last snap did, for the creator: "3 keyframes on beats" or what could not be snapped. */
  const lastSnap = ref<string | null>(null);

  const track = computed(() => project.doc?.export.audio ?? null);
  let asked = 0;

  async function analyze(): Promise<void> {
    const path = track.value;
    const ticket = ++asked;
    error.value = null;
    if (!path) {
      analysis.value = null;
      return;
    }
    loading.value = true;
    try {
      const result = await transport().invoke('audio.analyze', {});
      if (ticket === asked) analysis.value = result;
    } catch (e) {
      if (ticket === asked) {
        analysis.value = null;
        error.value = describeError(e);
      }
    } finally {
      if (ticket === asked) loading.value = false;
    }
  }

  // Saved edits reach the host before it is asked (project.flush), so it reads the new path.
  watch(
    track,
    async () => {
      await project.flush().catch(() => undefined);
      await analyze();
    },
    { immediate: true },
  );

  function snap(): void {
    const d = project.doc;
    const a = analysis.value;
    if (!d || !a || a.beats.length === 0) return;
    const minDurations = d.transitions.map((t) => (t.mode.kind === 'fixed' ? minFramesForPreset(t.mode.preset) / d.fps : 1 / d.fps));
    const result = snapToBeats({
      durations: d.transitions.map((t) => t.duration),
      holds: d.keyframes.map((k) => k.hold),
      loop: d.loop,
      beats: a.beats,
      every: every.value,
      minDurations,
    });
    project.seal();
    project.apply(
      'Snap to beats',
      result.durations.map((value, i) => ({ path: ['transitions', i, 'duration'], value })),
    );
    project.seal();
    const total = d.transitions.length;
    lastSnap.value =
      result.snapped === total
        ? `${total} ${total === 1 ? 'keyframe' : 'keyframes'} on beats`
        : `${result.snapped} of ${total} on beats: the music ends before the rest`;
  }

  return { analysis, loading, error, every, lastSnap, track, analyze, snap };
});
