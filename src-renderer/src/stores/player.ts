import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import {
  expectedFinalImages,
  finishedTransitionPicks,
  formatTimecode,
  framesForDuration,
  pickedImage,
  inStretches,
  layoutMovie,
  locateFrame,
  nearestImage,
  playbackFrame,
  shuttleRate,
  unrenderedStretches,
  type RenderedImage,
  type ShownImage,
} from '../logic/player-timing';
import { describePick, easeProgress, projectPacing, usesPerceptualProgress, type FrameKind } from '../../../src-main/contract/contract';
import { transitionEnds } from '../logic/format';
import { useProjectStore } from './project';
import { useRenderStore } from './renders';

export interface ShownFrame {
  readonly url: string | null;
  /** A crossfade frame: this image over `url` at opacity `alpha`, as the export blends them. */
  readonly overlay?: ShownImage['overlay'];
  /** The image shown is a stand-in: the stretch around this frame is not rendered yet. */
  readonly unrendered: boolean;
  readonly caption: string;
  /** What the frame is, as the export's frames.json records it; null inside a transition that is not finished. */
  readonly kind: FrameKind | null;
}

/** Position f as the caption writes it: three decimals, enough to tell neighbouring frames apart. */
const formatF = (f: number) => f.toFixed(3);

/** The preview player: playhead, transport (play, shuttle, loop) and the frame to show. */
export const usePlayerStore = defineStore('player', () => {
  const project = useProjectStore();
  const renders = useRenderStore();
  const frame = ref(0);
  const rate = ref(0);
  const loop = ref(true);
  let startFrame = 0;
  let startTime = 0;
  let raf = 0;

  const fps = computed(() => project.doc?.fps ?? 24);
  const layout = computed(() =>
    project.doc ? layoutMovie(project.doc.transitions.map((t) => t.duration), fps.value, projectPacing(project.doc)) : layoutMovie([], fps.value),
  );
  const playing = computed(() => rate.value !== 0);
  const time = computed(() => formatTimecode(frame.value, fps.value));
  /** Running time of the movie: every frame lasts 1/fps, the last one included. */
  const duration = computed(() => formatTimecode(layout.value.totalFrames, fps.value));

  /** Images of transition i with its keyframe stills as the two ends when they exist. */
  function imagesOf(i: number): RenderedImage[] {
    const own = renders.transitions[i]?.images ?? [];
    const ends: RenderedImage[] = [];
    const a = renders.stills[i];
    const b = renders.stills[(i + 1) % Math.max(1, project.doc?.keyframes.length ?? 1)];
    if (a && !own.some((x) => x.f === 0)) ends.push({ f: 0, url: a });
    if (b && !own.some((x) => x.f === 1)) ends.push({ f: 1, url: b });
    return [...ends, ...own].sort((x, y) => x.f - y.f);
  }

  function stretches(i: number): Array<[number, number]> {
    const t = project.doc?.transitions[i];
    if (!t) return [];
    return unrenderedStretches(imagesOf(i), expectedFinalImages(t.mode, framesForDuration(t.duration, fps.value)), renders.transitions[i]?.complete ?? false);
  }

  /**
   * Finished transitions show exactly the export's frames (its fill-up, its crossfades, the
   * host's distances under equal perceptual spacing); while a transition renders, the nearest
   * image stands in.
   */
  const exportPicks = computed(() =>
    layout.value.spans.map((span) => {
      const t = renders.transitions[span.index];
      if (!t?.complete) return null;
      const easing = project.doc?.transitions[span.index]?.easing;
      if (!usesPerceptualProgress(easing)) return finishedTransitionPicks(t.images, span, undefined, easing);
      return t.distances ? finishedTransitionPicks(t.images, span, t.distances) : null;
    }),
  );

  const keyframeCount = () => project.doc?.keyframes.length ?? 0;

  function keyframeFrame(k: number): ShownFrame {
    // What the movie shows on the keyframe's frame: the card and the export agree.
    const url = renders.keyframeImage(k);
    return { url, unrendered: url === null, caption: `Keyframe ${k + 1}`, kind: 'keyframe' };
  }

  /**
   * The frame under the playhead and what it is: its transition's two keyframes, its position f
   * and whether it is a diffused image or a crossfade — from the export's own pick for a
   * finished transition (so with easing f is the eased position), else the planned position.
   */
  const shown = computed<ShownFrame>(() => {
    const where = locateFrame(frame.value, layout.value);
    if (where.kind === 'keyframe') return keyframeFrame(where.keyframe);
    const span = layout.value.spans[where.transition];
    const picks = exportPicks.value[where.transition];
    const ends = `Transition ${transitionEnds(where.transition, keyframeCount())}`;
    if (picks) {
      const images = renders.transitions[where.transition].images;
      const j = Math.min(Math.max(0, frame.value - span.start), picks.length - 1);
      const pick = picks[j];
      const { position, kind } = describePick(pick, images.map((i) => i.f));
      const image = pickedImage(picks, images, j);
      const what = pick.kind === 'crossfade' ? `crossfade ${formatF(images[pick.from].f)} → ${formatF(images[pick.to].f)}` : 'diffused image';
      const caption =
        kind === 'keyframe' ? `Keyframe ${(position === 0 ? where.transition : (where.transition + 1) % Math.max(1, keyframeCount())) + 1}` : `${ends} · f ${formatF(position)} · ${what}`;
      return { url: image.url, overlay: image.overlay, unrendered: false, caption, kind };
    }
    const easing = project.doc?.transitions[where.transition]?.easing;
    const planned = easing && !usesPerceptualProgress(easing) ? easeProgress(easing, where.f) : where.f;
    const images = imagesOf(where.transition);
    const best = nearestImage(images, where.f);
    return {
      url: best?.url ?? null,
      unrendered: best === null || inStretches(stretches(where.transition), where.f),
      caption: `${ends} · f ${formatF(planned)} · ${best ? 'nearest rendered image stands in' : 'not rendered yet'}`,
      kind: null,
    };
  });

  function seek(to: number): void {
    frame.value = Math.min(Math.max(0, Math.round(to)), layout.value.totalFrames - 1);
    if (playing.value) restartClock();
  }

  function restartClock(): void {
    startFrame = frame.value;
    startTime = performance.now();
  }

  function tick(now: number): void {
    if (rate.value === 0) return;
    const r = playbackFrame(startFrame, (now - startTime) / 1000, fps.value, layout.value.totalFrames, loop.value, rate.value);
    frame.value = r.frame;
    if (r.ended) {
      rate.value = 0;
      return;
    }
    raf = requestAnimationFrame(tick);
  }

  function setRate(next: number): void {
    cancelAnimationFrame(raf);
    rate.value = next;
    if (next === 0) return;
    // Play from the end restarts from the top, as in any player.
    const last = layout.value.totalFrames - 1;
    if (next > 0 && frame.value >= last && !loop.value) frame.value = 0;
    if (next < 0 && frame.value <= 0 && !loop.value) frame.value = last;
    restartClock();
    raf = requestAnimationFrame(tick);
  }

  const play = () => setRate(1);
  const pause = () => setRate(0);
  const toggle = () => setRate(playing.value ? 0 : 1);
  const shuttle = (key: 'j' | 'k' | 'l') => setRate(shuttleRate(rate.value, key));

  function step(delta: number): void {
    pause();
    seek(frame.value + delta);
  }

  /** First movie frame of keyframe i (where the timeline jumps when a keyframe is selected). */
  function frameOfKeyframe(i: number): number {
    return layout.value.keyframeFrames[Math.min(Math.max(0, i), layout.value.keyframeFrames.length - 1)];
  }

  // The movie can get shorter (shorter transition, deleted keyframe): keep the playhead inside.
  watch(layout, (l) => {
    if (frame.value > l.totalFrames - 1) frame.value = l.totalFrames - 1;
  });

  return { frame, rate, loop, fps, layout, playing, time, duration, shown, seek, play, pause, toggle, shuttle, step, stretches, imagesOf, frameOfKeyframe };
});
