import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';
import { makeCanvas } from '../logic/image-io';
import { overlayPatch } from '../logic/mask-overlay';
import type { Rect } from '../logic/mask-ops';
import type { MaskBrush } from './use-mask-brush';
import type { MaskView } from './use-mask-view';

/**
 * The painter's canvas: draws the picture (or a plain fill when there is none), the mask overlay
 * and the brush cursor once per animation frame, follows its box's size, and turns pointer and
 * wheel input into strokes, pans and zooms.
 */
export function useMaskCanvas(options: {
  readonly width: number;
  readonly height: number;
  readonly brush: MaskBrush;
  readonly view: MaskView;
  readonly background: Ref<ImageBitmap | null>;
}) {
  const { width: W, height: H, brush, view } = options;
  const tool = brush.tool;
  const canvas = ref<HTMLCanvasElement | null>(null);
  const host = ref<HTMLElement | null>(null);
  const overlay = makeCanvas(W, H);
  let pointer: { x: number; y: number } | null = null;
  let panning: { x: number; y: number } | null = null;
  /** Space held down: the brush pans while it is. */
  let spaceHeld = false;
  let resizeObserver: ResizeObserver | null = null;

  /** Copy the mask's rect into the overlay canvas (alpha = mask; opacity applies when drawing). */
  function updateOverlay(rect: Rect | null): void {
    if (!rect) return;
    overlay.getContext('2d')?.putImageData(overlayPatch(brush.mask.value, rect), rect.x, rect.y);
  }

  let drawQueued = false;
  function draw(): void {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(() => {
      drawQueued = false;
      const c = canvas.value;
      const ctx = c?.getContext('2d');
      if (!c || !ctx) return;
      const v = view.current();
      const dpr = window.devicePixelRatio || 1;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, c.width, c.height);
      ctx.setTransform(dpr * v.scale, 0, 0, dpr * v.scale, dpr * v.x, dpr * v.y);
      ctx.imageSmoothingEnabled = v.scale < 2;
      // Checkerboard under a missing image, so "no image" never looks like a black image.
      if (options.background.value) ctx.drawImage(options.background.value, 0, 0, W, H);
      else {
        ctx.fillStyle = '#20242d';
        ctx.fillRect(0, 0, W, H);
      }
      ctx.globalAlpha = tool.opacity;
      ctx.drawImage(overlay, 0, 0);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = 'rgba(255,255,255,0.25)';
      ctx.lineWidth = 1 / v.scale;
      ctx.strokeRect(0, 0, W, H);
      if (pointer && tool.mode !== 'pan' && !spaceHeld) {
        const p = view.toImage(pointer.x, pointer.y);
        ctx.beginPath();
        ctx.arc(p.x, p.y, tool.size / 2, 0, Math.PI * 2);
        ctx.strokeStyle = 'rgba(255,255,255,0.9)';
        ctx.lineWidth = 1.5 / v.scale;
        ctx.stroke();
        if (tool.feather > 0) {
          ctx.beginPath();
          ctx.arc(p.x, p.y, (tool.size / 2) * (1 - tool.feather), 0, Math.PI * 2);
          ctx.strokeStyle = 'rgba(255,255,255,0.35)';
          ctx.stroke();
        }
      }
    });
  }

  /** A changed rect of the mask: into the overlay, then onto the screen. */
  function maskChanged(rect: Rect | null): void {
    updateOverlay(rect);
    draw();
  }

  function resize(): void {
    const c = canvas.value;
    const box = host.value;
    if (!c || !box) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.max(1, Math.round(box.clientWidth * dpr));
    c.height = Math.max(1, Math.round(box.clientHeight * dpr));
    draw();
  }

  function fit(): void {
    const box = host.value;
    if (!box) return;
    view.fit(box.clientWidth, box.clientHeight);
    draw();
  }

  /** Zoom about the middle of the canvas (the toolbar's buttons). */
  function zoom(factor: number): void {
    const box = host.value;
    if (!box) return;
    view.zoomAt(factor, box.clientWidth / 2, box.clientHeight / 2);
    draw();
  }

  function local(event: PointerEvent | WheelEvent): { x: number; y: number } {
    const r = canvas.value!.getBoundingClientRect();
    return { x: event.clientX - r.left, y: event.clientY - r.top };
  }

  function onPointerDown(event: PointerEvent): void {
    const p = local(event);
    canvas.value?.setPointerCapture?.(event.pointerId);
    if (event.button === 1 || tool.mode === 'pan' || spaceHeld) {
      panning = p;
      return;
    }
    if (event.button !== 0 && event.button !== 2) return;
    brush.beginStroke(view.toImage(p.x, p.y), event.button === 2);
    draw();
  }

  function onPointerMove(event: PointerEvent): void {
    const p = local(event);
    pointer = p;
    if (panning) {
      view.pan(p.x - panning.x, p.y - panning.y);
      panning = p;
    } else if (brush.stroking) {
      // Coalesced events keep fast strokes smooth.
      const events = event.getCoalescedEvents?.() ?? [event];
      brush.extendStroke((events.length ? events : [event]).map((e) => {
        const q = local(e);
        return view.toImage(q.x, q.y);
      }));
    }
    draw();
  }

  function onPointerUp(): void {
    brush.endStroke();
    panning = null;
  }

  function onPointerLeave(): void {
    pointer = null;
    draw();
  }

  function onWheel(event: WheelEvent): void {
    event.preventDefault();
    view.wheel(event, local(event));
    draw();
  }

  function holdSpace(held: boolean): void {
    spaceHeld = held;
  }

  onMounted(() => {
    resizeObserver = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => resize());
    if (host.value) resizeObserver?.observe(host.value);
    resize();
    fit();
  });

  onBeforeUnmount(() => resizeObserver?.disconnect());

  return { canvas, host, draw, maskChanged, fit, zoom, onPointerDown, onPointerMove, onPointerUp, onPointerLeave, onWheel, holdSpace };
}
