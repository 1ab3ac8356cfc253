/**
 * End-to-end tests of the studio: Debian Chromium (playwright-core) drives the built renderer
 * against `latentblend serve` and the real engine with the demo model. Each step leaves a
 * screenshot in test-artifacts/e2e/. Run: `npx tsx e2e/run.ts` (exit code 1 when a step fails).
 *
 * Environment: CHROMIUM_PATH (default /usr/bin/chromium), LBS_CACHE_DIR (demo model cache,
 * default the repository's .cache/lbs), E2E_SKIP_BUILD=1 to reuse out/renderer.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { crossfade } from '../src-main/engine/blend/fill-frames';
import { movieTiming } from '../src-main/engine/blend/movie-timing';
import { builtinDistance } from '../src-main/engine/blend/perceptual';
import { fitImage } from '../src-main/engine/image-fit';
import { AudioService } from '../src-main/services/audio';
import { decodePng, encodePng } from '../src-main/media/png';
import type { RgbImage } from '../src-main/engine/image';
import { collectPageErrors, launchChromium } from './browser';
import { startServe, type StudioServer } from './server';
import { writeFixtureModel } from '../src-main/engine/testing/fixture-model';
import { FakeHub } from '../src-main/services/hub/testing/fake-hub';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');
const STEP_TIMEOUT = 240_000;

const PROMPTS = [
  'a misty pine forest at dawn, soft golden light, detailed painting',
  'a quiet harbour at night, deep blue water, boats and lanterns',
  'a desert canyon under a purple sky, dramatic clouds',
];

class Failure extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Failure(message);
}

function buildRenderer(): void {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(path.join(ROOT, 'out', 'renderer', 'index.html'))) return;
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'src-renderer/vite.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the renderer failed (vite build --config src-renderer/vite.config.ts)');
}

async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

function card(page: Page, n: number) {
  return page.getByRole('region', { name: 'Timeline', exact: true }).getByRole('listitem', { name: `Keyframe ${n}`, exact: true });
}

async function selectKeyframe(page: Page, n: number): Promise<void> {
  await card(page, n).click({ position: { x: 40, y: 30 } });
  await page.getByRole('heading', { name: `Keyframe ${n}`, exact: true }).waitFor();
}

async function selectTransition(page: Page, n: number): Promise<void> {
  await page.getByRole('button', { name: `Transition ${n} → ${n + 1}`, exact: true }).click();
  await page.getByRole('heading', { name: `Transition ${n} → ${n + 1}`, exact: true }).waitFor();
}

async function transitionStates(page: Page): Promise<string[]> {
  return page.locator('[data-testid="transition-state"]').allInnerTexts();
}

/** Until every transition block on the timeline says Rendered. */
async function allTransitionsRendered(page: Page, timeout = STEP_TIMEOUT): Promise<void> {
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid="transition-state"]')].every((s) => s.textContent === 'Rendered'),
    null,
    { timeout, polling: 200 },
  );
}

async function waitForQueueIdle(page: Page, timeout = STEP_TIMEOUT): Promise<void> {
  await page.waitForFunction(
    () => {
      const jobs = [...document.querySelectorAll('[data-testid="job"]')];
      return jobs.length > 0 && jobs.every((j) => !j.classList.contains('queued') && !j.classList.contains('running'));
    },
    null,
    { timeout, polling: 200 },
  );
  const failed = await page.locator('[data-testid="job"].failed').allInnerTexts();
  check(failed.length === 0, `a render job failed:\n${failed.join('\n')}`);
}

async function totalFrames(page: Page): Promise<number> {
  const text = await page.getByTestId('frame-number').innerText();
  const m = /\/\s*(\d+)/.exec(text);
  check(m, `frame counter reads "${text}"`);
  return Number(m[1]);
}

/** A media URL's bytes as the page loads them (the page holds the web host's session). */
async function bytesInPage(page: Page, src: string): Promise<Buffer> {
  const r = await page.evaluate(async (url) => {
    const response = await fetch(url);
    if (!response.ok) return { status: response.status, base64: '' };
    const blob = await response.blob();
    const dataUrl = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsDataURL(blob);
    });
    return { status: response.status, base64: dataUrl.slice(dataUrl.indexOf(',') + 1) };
  }, src);
  check(r.base64, `the player's image ${src} does not load (HTTP ${r.status})`);
  return Buffer.from(r.base64, 'base64');
}

interface Context {
  page: Page;
  /** Keyframe 3's still before its transition was inpainted. */
  plainStill3?: string;
  /** A local server speaking the Hugging Face Hub protocol (HF_ENDPOINT of the studio). */
  hub: FakeHub;
  work: string;
  projectFile: string;
  exportFile: string;
  seeds: number[];
}

/** Export the movie as a PNG sequence into `framesDir` from the Export dialog, then close it. */
async function exportPngSequence(page: Page, framesDir: string, screenshot?: string): Promise<void> {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.waitFor();
  await dialog.getByRole('combobox', { name: 'Format' }).selectOption('png');
  await dialog.getByRole('textbox', { name: 'Output path' }).fill(framesDir);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await dialog.getByTestId('export-path').or(dialog.getByRole('alert')).first().waitFor({ timeout: STEP_TIMEOUT });
  const alert = await dialog.getByRole('alert').allInnerTexts();
  check(alert.length === 0, `the PNG export failed: ${alert.join(' ')}`);
  if (screenshot) await shot(page, screenshot);
  await dialog.getByRole('button', { name: 'Close' }).click();
}

const steps: Array<[string, (c: Context) => Promise<void>]> = [
  [
    'opens the studio with the demo model labelled and every named control',
    async ({ page }) => {
      await page.getByRole('region', { name: 'Preview', exact: true }).waitFor();
      await page.getByRole('region', { name: 'Timeline', exact: true }).waitFor();
      check(await page.getByText('Demo', { exact: true }).isVisible(), 'the top bar does not label the model as a demo');
      for (const name of ['Add keyframe', 'Render keyframe', 'Render movie', 'Play', 'Export']) {
        check((await page.getByRole('button', { name, exact: true }).count()) === 1, `no single button named "${name}"`);
      }
      for (const name of ['Prompt', 'Negative prompt', 'Seed']) {
        check((await page.getByRole('textbox', { name, exact: true }).count()) === 1, `no text field named "${name}"`);
      }
      // The session token leaves the address bar once the page has loaded (the cookie carries it).
      check(!new URL(page.url()).searchParams.has('token'), `the session token is still in the address bar: ${page.url().replace(/token=[^&]+/, 'token=…')}`);
      await shot(page, '01-studio');
    },
  ],
  [
    'builds a three-keyframe project',
    async (c) => {
      const { page } = c;
      // Fast settings for CI: 12 fps, 1 s transitions, the lowest preset.
      await page.getByRole('tab', { name: 'Project' }).click();
      const fps = page.getByRole('spinbutton', { name: 'Frames per second', exact: true });
      await fps.fill('12');
      await fps.blur();
      await shot(page, '02a-project-settings');
      // Render on farm: a connection test against an address where no Redis listens says why.
      await page.getByRole('textbox', { name: 'Farm Redis URL', exact: true }).fill('redis://127.0.0.1:1');
      await page.getByRole('button', { name: 'Test connection', exact: true }).click();
      await page.getByTestId('farm-test').filter({ hasText: 'Cannot use the render farm at redis://127.0.0.1:1' }).waitFor();
      await shot(page, '02b-farm-connection-test');
      await page.getByRole('textbox', { name: 'Farm Redis URL', exact: true }).fill('');
      await selectKeyframe(page, 1);
      await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(PROMPTS[0]);
      await selectKeyframe(page, 2);
      await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(PROMPTS[1]);
      await page.getByRole('button', { name: 'Add keyframe', exact: true }).click();
      await page.getByRole('heading', { name: 'Keyframe 3', exact: true }).waitFor();
      await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(PROMPTS[2]);
      await page.getByRole('textbox', { name: 'Seed', exact: true }).fill('1234');
      // A negative prompt past CLIP's 77 tokens shows the words that will be ignored.
      const negative = page.getByRole('textbox', { name: 'Negative prompt', exact: true });
      await negative.fill(Array.from({ length: 40 }, (_, i) => `blurry${i % 2 ? ' text' : ''}`).join(', '));
      await page.getByLabel('Negative prompt: words past the 77-token limit').waitFor();
      await shot(page, '02c-token-limit');
      await negative.fill('blurry, text, watermark');
      await negative.blur();
      for (const n of [1, 2]) {
        await selectTransition(page, n);
        const duration = page.getByRole('spinbutton', { name: 'Duration', exact: true });
        await duration.fill('1');
        await duration.blur();
        await page.getByRole('combobox', { name: 'Quality preset' }).selectOption('lowest');
      }
      await page.getByText('Advanced', { exact: true }).click();
      await shot(page, '02b-transition-advanced');
      await page.getByText('Advanced', { exact: true }).click();
      check((await page.locator('[data-testid="keyframe-card"]').count()) === 3, 'the timeline does not show three keyframes');
      // docs/project-format.md, Timing: round(2 s × 12 fps) = 24 frames, keyframe k on frame round(t_k × 12).
      check((await totalFrames(page)) === 24, `expected 24 frames (2 × 1 s at 12 fps), got ${await totalFrames(page)}`);
      for (const [n, frame, clock] of [[1, 1, '0:00.00'], [2, 13, '0:01.00'], [3, 24, '0:01.92']] as const) {
        await selectKeyframe(page, n);
        const counter = await page.getByTestId('frame-number').innerText();
        check(new RegExp(`^Frame ${frame}\\s*/`).test(counter), `keyframe ${n} should be on frame ${frame} (1-based), the player reads "${counter}"`);
        const time = await page.getByTestId('timecode').innerText();
        check(time.startsWith(clock) && time.endsWith('0:02.00'), `keyframe ${n} should be at ${clock} of 0:02.00, the player reads "${time}"`);
      }
      for (const n of [1, 2, 3]) {
        await selectKeyframe(page, n);
        c.seeds.push(Number(await page.getByRole('textbox', { name: 'Seed', exact: true }).inputValue()));
      }
      await shot(page, '02-three-keyframes');
    },
  ],
  [
    'saves the untitled project under a name (Ctrl+S asks where)',
    async (c) => {
      const { page } = c;
      check(await page.getByRole('status', { name: 'Unsaved changes' }).isVisible(), 'no unsaved mark on an edited untitled project');
      await page.keyboard.press('Control+s');
      const dialog = page.getByRole('dialog', { name: 'Save project as' });
      await dialog.waitFor();
      await dialog.getByRole('textbox', { name: 'Project file' }).fill(c.projectFile);
      await shot(page, '03-save-as');
      await dialog.getByRole('button', { name: 'Save', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      check(existsSync(c.projectFile), `no project file at ${c.projectFile}`);
      await page.getByRole('status', { name: 'Unsaved changes' }).waitFor({ state: 'detached' });
    },
  ],
  [
    'renders the keyframe stills',
    async (c) => {
      const { page } = c;
      for (const n of [1, 2, 3]) {
        await selectKeyframe(page, n);
        await page.getByRole('button', { name: 'Render keyframe', exact: true }).click();
      }
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="keyframe-card"] img').length === 3, null, { timeout: STEP_TIMEOUT });
      await waitForQueueIdle(page);
      c.plainStill3 = (await card(page, 3).locator('img').getAttribute('src')) ?? '';
      await selectKeyframe(page, 1);
      await page.getByTestId('preview-frame').waitFor();
      await shot(page, '04-stills');
    },
  ],
  [
    'renders the movie and sees transition frames arrive in the player',
    async ({ page }) => {
      await selectTransition(page, 1); // the playhead goes to the middle of transition 1
      const stills = await page.locator('[data-testid="keyframe-card"] img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).getAttribute('src')));
      await page.getByRole('button', { name: 'Render movie', exact: true }).click();
      const seen = new Set<string>();
      let sawRendering = false;
      const deadline = Date.now() + STEP_TIMEOUT;
      let midShot = false;
      for (;;) {
        const src = await page.getByTestId('preview-frame').getAttribute('src').catch(() => null);
        if (src) seen.add(src);
        const states = await transitionStates(page);
        if (states.includes('Rendering…')) {
          sawRendering = true;
          if (!midShot) {
            await shot(page, '05-movie-rendering');
            midShot = true;
          }
        }
        if (states.every((s) => s === 'Rendered')) break;
        const failed = await page.locator('[data-testid="job"].failed').allInnerTexts();
        check(failed.length === 0, `the movie render failed:\n${failed.join('\n')}`);
        check(Date.now() < deadline, `the movie did not finish rendering; transitions read ${states.join(', ')}`);
        await page.waitForTimeout(150);
      }
      await waitForQueueIdle(page);
      await selectTransition(page, 1);
      const final = await page.getByTestId('preview-frame').getAttribute('src');
      check(final && !stills.includes(final), 'the middle of transition 1 still shows a keyframe still after the movie rendered');
      check(!(await page.getByTestId('unrendered-badge').isVisible()), 'the player still marks transition 1 as not rendered');
      const ticks = await page.locator('.scrub .tick').count();
      check(ticks >= 2 * 5 - 1, `the scrub bar shows ${ticks} rendered images, expected at least 9 (5 per transition, shared keyframe once)`);
      console.log(`    saw ${seen.size} distinct images at the playhead while rendering${sawRendering ? '' : ' (render finished between polls)'}`);
      await shot(page, '06-movie-rendered');
    },
  ],
  [
    'plays the movie at the project fps and pauses',
    async ({ page }) => {
      await page.keyboard.press('Home');
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
      await page.waitForTimeout(700);
      await shot(page, '07-playing');
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      const text = await page.getByTestId('frame-number').innerText();
      const frame = Number(/Frame (\d+)/.exec(text)?.[1]);
      check(frame > 1, `playback did not advance (reads "${text}")`);
      await page.keyboard.press('ArrowRight');
      const after = Number(/Frame (\d+)/.exec(await page.getByTestId('frame-number').innerText())?.[1]);
      check(after === Math.min(frame + 1, await totalFrames(page)), `→ should step one frame: ${frame} → ${after}`);
    },
  ],
  [
    'paints a mask and renders an inpainting transition',
    async (c) => {
      const { page } = c;
      await selectKeyframe(page, 2);
      await page.getByRole('button', { name: 'Paint mask', exact: true }).click();
      const canvas = page.getByRole('img', { name: 'Mask', exact: true });
      await canvas.waitFor();
      await page.waitForTimeout(400); // the keyframe still loads under the mask
      const box = await canvas.boundingBox();
      check(box, 'the mask canvas has no size');
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      await page.mouse.move(cx - 120, cy - 40);
      await page.mouse.down();
      for (let i = 0; i <= 20; i++) await page.mouse.move(cx - 120 + i * 12, cy - 40 + Math.sin(i / 3) * 40);
      await page.mouse.up();
      await page.mouse.move(cx + 150, cy + 60);
      check(!(await page.getByText(/ 0% painted/).isVisible()), 'the stroke painted nothing');
      await shot(page, '08-mask-painter');
      await page.getByRole('button', { name: 'Undo stroke' }).click();
      check(await page.getByText(/ 0% painted/).isVisible(), 'undo did not remove the stroke');
      await page.getByRole('button', { name: 'Redo stroke' }).click();
      await page.getByRole('button', { name: 'Save mask', exact: true }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await card(page, 2).locator('[title="Inpainting keyframe (has a mask)"]').waitFor();
      await selectTransition(page, 2);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="transition-state"]')[1]?.textContent !== 'Rendered', null, { timeout: 30_000 });
      await page.getByRole('button', { name: 'Render transition', exact: true }).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="transition-state"]')[1]?.textContent === 'Rendered', null, { timeout: STEP_TIMEOUT, polling: 200 });
      await waitForQueueIdle(page);
      // Preview = export: the movie ends on the inpainted keyframe 3, in the player and on the card.
      await page.locator('body').click({ position: { x: 5, y: 200 } });
      await page.keyboard.press('End');
      const last = await page.getByTestId('preview-frame').getAttribute('src');
      const cardSrc = await card(page, 3).locator('img').getAttribute('src');
      check(last && last === cardSrc, `the last frame (${last}) and keyframe 3's card (${cardSrc}) show different pictures`);
      check(last !== c.plainStill3, 'the last frame shows the plain keyframe-3 still, not the inpainted end the export ends on');
      await shot(page, '09-inpainting-rendered');
    },
  ],
  [
    'exports an mp4 that ffprobe reads with every frame',
    async (c) => {
      const { page } = c;
      // The mask changed keyframe 2, which transition 1 ends on: bring the whole movie up to date
      // (what is still valid comes from the cache).
      await page.getByRole('button', { name: 'Render movie', exact: true }).click();
      await allTransitionsRendered(page);
      await waitForQueueIdle(page);
      const frames = await totalFrames(page);
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Export' });
      await dialog.waitFor();
      await dialog.getByRole('textbox', { name: 'Output path' }).fill(c.exportFile);
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByTestId('export-path').or(dialog.getByRole('alert')).first().waitFor({ timeout: STEP_TIMEOUT });
      const alert = await dialog.getByRole('alert').allInnerTexts();
      check(alert.length === 0, `the export failed: ${alert.join(' ')}`);
      await shot(page, '10-exported');
      const shown = await dialog.getByTestId('export-path').innerText();
      check(shown === c.exportFile, `the dialog shows ${shown}, expected ${c.exportFile}`);
      const probe = JSON.parse(
        execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames,r_frame_rate', '-of', 'json', c.exportFile], { encoding: 'utf8' }),
      ) as { streams: Array<{ codec_name: string; width: number; height: number; nb_read_frames: string; r_frame_rate: string }> };
      const v = probe.streams[0];
      check(v?.codec_name === 'h264', `expected an H.264 stream, ffprobe says ${JSON.stringify(v)}`);
      check(v.width === 512 && v.height === 512, `expected 512×512, got ${v.width}×${v.height}`);
      check(v.r_frame_rate === '12/1', `expected 12 fps, got ${v.r_frame_rate}`);
      check(Number(v.nb_read_frames) === frames && frames === 24, `expected 24 frames (as the player counts: ${frames}), ffprobe read ${v.nb_read_frames}`);
      // The browser gets the file itself: the Download link saves exactly the exported bytes.
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: STEP_TIMEOUT }), dialog.getByTestId('export-download').click()]);
      check(download.suggestedFilename() === path.basename(c.exportFile), `the download is named ${download.suggestedFilename()}, expected ${path.basename(c.exportFile)}`);
      const saved = path.join(c.work, 'downloaded.mp4');
      await download.saveAs(saved);
      check(readFileSync(saved).equals(readFileSync(c.exportFile)), 'the downloaded file differs from the exported one');
      await dialog.getByRole('button', { name: 'Close' }).click();
    },
  ],
  [
    'shows in the player exactly the frame the export writes at every index',
    async (c) => {
      const { page } = c;
      const framesDir = path.join(c.work, 'frames');
      await exportPngSequence(page, framesDir);
      const total = await totalFrames(page);
      const exported = readdirSync(framesDir).filter((f) => /^\d{5}\.png$/.test(f)).sort();
      check(exported.length === total, `the PNG export wrote ${exported.length} frames, the player counts ${total}`);

      const images = new Map<string, RgbImage>();
      const fetchImage = async (src: string): Promise<RgbImage> => {
        let image = images.get(src);
        if (!image) {
          image = decodePng(await bytesInPage(page, src));
          images.set(src, image);
        }
        return image;
      };
      await page.locator('body').click({ position: { x: 5, y: 200 } });
      await page.keyboard.press('Home');
      const differing: string[] = [];
      let crossfades = 0;
      for (let n = 0; n < total; n++) {
        if (n > 0) await page.keyboard.press('ArrowRight');
        const frame = page.getByTestId('preview-frame');
        await page.waitForFunction((want) => document.querySelector('[data-testid="preview-frame"]')?.getAttribute('data-frame') === String(want), n);
        const base = await fetchImage((await frame.getAttribute('src'))!);
        const overlay = page.getByTestId('preview-overlay');
        let shown = base;
        if ((await overlay.count()) > 0) {
          crossfades++;
          const alpha = Number(await overlay.getAttribute('data-alpha'));
          shown = crossfade(base, await fetchImage((await overlay.getAttribute('src'))!), alpha);
        }
        const written = decodePng(readFileSync(path.join(framesDir, exported[n])));
        if (!Buffer.from(shown.data).equals(Buffer.from(written.data))) differing.push(String(n));
        if (n === 6) await shot(page, '10b-player-frame-6');
      }
      check(differing.length === 0, `the player differs from the exported PNG at frames ${differing.join(', ')}`);
      check(crossfades > 0, 'no frame of the player was a crossfade: the check compared only rendered images');
      console.log(`    ${total} frames equal to the export (${crossfades} crossfades)`);
    },
  ],
  [
    'saves, reopens and finds everything as it was',
    async (c) => {
      const { page } = c;
      await page.keyboard.press('Control+s');
      await page.getByRole('status', { name: 'Unsaved changes' }).waitFor({ state: 'detached' });
      check((await page.getByRole('dialog').count()) === 0, 'saving a named project asked for a path again');

      await page.getByRole('button', { name: 'New project' }).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="keyframe-card"]').length === 2);
      await page.getByRole('button', { name: 'Open project' }).click();
      const open = page.getByRole('dialog', { name: 'Open project' });
      await open.getByRole('textbox', { name: 'Project file' }).fill(c.projectFile);
      await open.getByRole('button', { name: 'Open', exact: true }).click();
      await open.waitFor({ state: 'detached' });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="keyframe-card"]').length === 3);
      for (const n of [1, 2, 3]) {
        await selectKeyframe(page, n);
        const prompt = await page.getByRole('textbox', { name: 'Prompt', exact: true }).inputValue();
        check(prompt === PROMPTS[n - 1], `keyframe ${n} prompt reopened as "${prompt}"`);
        const seed = Number(await page.getByRole('textbox', { name: 'Seed', exact: true }).inputValue());
        check(seed === c.seeds[n - 1], `keyframe ${n} seed reopened as ${seed}, saved ${c.seeds[n - 1]}`);
      }
      await card(page, 2).locator('[title="Inpainting keyframe (has a mask)"]').waitFor();
      await selectTransition(page, 1);
      check((await page.getByRole('spinbutton', { name: 'Duration', exact: true }).inputValue()) === '1', 'transition 1 duration changed');
      check((await page.getByRole('combobox', { name: 'Quality preset' }).inputValue()) === 'lowest', 'transition 1 preset changed');
      // The render cache next to the project brings the renders back without diffusion.
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="keyframe-card"] img').length === 3, null, { timeout: 30_000 });
      const states = await transitionStates(page);
      check(states.every((s) => s === 'Rendered'), `after reopening, transitions read ${states.join(', ')}`);
      check(!(await page.getByRole('status', { name: 'Unsaved changes' }).isVisible()), 'a freshly opened project is marked unsaved');
      await shot(page, '11-reopened');
    },
  ],
  [
    'after Save as… into another folder, a reload shows what is rendered',
    async (c) => {
      const { page } = c;
      const copy = path.join(c.work, 'copy', 'film.lbs.json');
      mkdirSync(path.dirname(copy), { recursive: true });
      await page.locator('body').click({ position: { x: 5, y: 200 } });
      await page.keyboard.press('Control+Shift+s');
      const dialog = page.getByRole('dialog', { name: 'Save project as' });
      await dialog.waitFor();
      await dialog.getByRole('textbox', { name: 'Project file' }).fill(copy);
      await dialog.getByRole('button', { name: 'Save', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      check(existsSync(copy), `no project file at ${copy}`);
      // The open project is now the copy: later steps put its files (music) next to it.
      c.projectFile = copy;
      await waitForQueueIdle(page);
      await page.reload();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="keyframe-card"]').length === 3);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="keyframe-card"] img').length === 3, null, { timeout: 30_000 });
      await allTransitionsRendered(page, 30_000);
      const src = await card(page, 1).locator('img').getAttribute('src');
      check(src && decodePng(await bytesInPage(page, src)).width === 512, `keyframe 1's picture ${src} does not load after the reload`);
      await shot(page, '11b-reloaded-after-save-as');
    },
  ],
  [
    'says what a preset change would render again before changing anything',
    async ({ page }) => {
      await selectTransition(page, 1);
      const preset = page.getByRole('combobox', { name: 'Quality preset' });
      await preset.selectOption('high');
      const ask = page.getByRole('dialog', { name: 'Change to High?' });
      await ask.waitFor();
      const summary = await ask.getByTestId('rerender-summary').innerText();
      check(/60 steps instead of 12: 3 keyframe stills and 2 rendered transitions will render again/.test(summary), `the question reads "${summary}"`);
      await shot(page, '11c-preset-change-asks');
      await ask.getByRole('button', { name: 'Cancel', exact: true }).click();
      await ask.waitFor({ state: 'detached' });
      check((await preset.inputValue()) === 'lowest', `after Cancel the preset reads ${await preset.inputValue()}`);
      const states = await transitionStates(page);
      check(states.every((s) => s === 'Rendered'), `after Cancel, transitions read ${states.join(', ')}`);
    },
  ],
  [
    'asks before losing unsaved work, and undoes an edit',
    async ({ page }) => {
      await selectKeyframe(page, 1);
      const prompt = page.getByRole('textbox', { name: 'Prompt', exact: true });
      await prompt.fill('a stormy sea with a red lighthouse');
      await prompt.blur();
      await page.getByRole('status', { name: 'Unsaved changes' }).waitFor();
      await page.getByRole('button', { name: 'New project' }).click();
      const ask = page.getByRole('dialog', { name: 'Save changes?' });
      await ask.waitFor();
      await shot(page, '12-unsaved-prompt');
      await ask.getByRole('button', { name: 'Cancel', exact: true }).click();
      check((await prompt.inputValue()) === 'a stormy sea with a red lighthouse', 'cancelling the prompt lost the edit');
      await page.locator('body').click({ position: { x: 5, y: 200 } });
      await page.keyboard.press('Control+z');
      check((await prompt.inputValue()) === PROMPTS[0], `Ctrl+Z left the prompt as "${await prompt.inputValue()}"`);
      await page.getByRole('status', { name: 'Unsaved changes' }).waitFor({ state: 'detached' });
      await page.keyboard.press('Control+Shift+z');
      check((await prompt.inputValue()) === 'a stormy sea with a red lighthouse', 'Ctrl+Shift+Z did not redo the edit');
      await page.keyboard.press('Control+z');
      await shot(page, '13-undone');
    },
  ],
  [
    'walks the timeline from the keyboard as one Tab stop, and Fit shows the whole movie',
    async ({ page }) => {
      const timeline = page.getByRole('region', { name: 'Timeline', exact: true });
      const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
      const cards = () => page.locator('[data-testid="keyframe-card"]').count();
      await selectKeyframe(page, 1);
      await card(page, 1).focus();
      for (const [key, expected] of [['ArrowRight', 'Transition 1 → 2'], ['ArrowRight', 'Keyframe 2'], ['End', 'Keyframe 3'], ['Tab', 'Duplicate keyframe 3'], ['Tab', 'Delete keyframe 3']]) {
        await page.keyboard.press(key);
        check((await focused()) === expected, `after ${key} the focus is on "${await focused()}", expected "${expected}"`);
      }
      await page.keyboard.press('Tab');
      check(!(await timeline.evaluate((t) => t.contains(document.activeElement))), 'Tab past the selected card stayed in the timeline: it should be one Tab stop');
      await card(page, 3).focus();
      await page.keyboard.press('Delete');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="keyframe-card"]').length === 2);
      check((await focused()) === 'Keyframe 2', `after Delete the focus is on "${await focused()}"`);
      await page.keyboard.press('Control+z');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="keyframe-card"]').length === 3);
      check((await cards()) === 3, 'Ctrl+Z did not bring the deleted keyframe back');
      await timeline.getByRole('button', { name: 'Fit timeline', exact: true }).click();
      const scroll = await page.locator('.track-scroll').evaluate((s) => ({ client: s.clientWidth, content: s.scrollWidth }));
      check(scroll.content <= scroll.client, `after Fit the timeline still scrolls: ${scroll.content} px of content in ${scroll.client} px`);
      await shot(page, '14-timeline-keyboard-fit');
      // Outside the timeline the arrows step the player again.
      await page.locator('body').click({ position: { x: 5, y: 200 } });
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      const frame = await page.getByTestId('frame-number').innerText();
      // The counter counts from 1: the first frame reads "Frame 1".
      check(/^Frame 2\s*\//.test(frame), `ArrowRight outside the timeline did not step to the second frame: "${frame}"`);
    },
  ],
  [
    'at 1280×720: Space plays instead of re-clicking a button, a deletion offers Undo, finished renders fold away',
    async ({ page }) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      try {
        const render = page.getByRole('button', { name: 'Render movie', exact: true });
        const before = await page.getByTestId('job').count();
        await render.click();
        await page.waitForFunction((n) => document.querySelectorAll('[data-testid="job"]').length > n, before);
        await waitForQueueIdle(page);
        // Focus stays on the button just clicked: Space must play, not render again.
        await render.evaluate((b) => {
          (window as unknown as { clicks: number }).clicks = 0;
          b.addEventListener('click', () => (window as unknown as { clicks: number }).clicks++);
        });
        await render.focus();
        await page.keyboard.press('Space');
        await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
        check((await page.evaluate(() => (window as unknown as { clicks: number }).clicks)) === 0, 'Space clicked the focused "Render movie" button again');
        await page.getByRole('button', { name: 'Pause', exact: true }).click();

        await selectKeyframe(page, 3);
        await page.getByRole('button', { name: 'Delete keyframe 3', exact: true }).click();
        // (The earlier step's deletion, undone with Ctrl+Z, may still show without its Undo.)
        const toast = page.getByRole('status').filter({ hasText: 'Keyframe 3 deleted' }).filter({ has: page.getByRole('button', { name: 'Undo', exact: true }) });
        await toast.waitFor();
        await toast.getByRole('button', { name: 'Undo', exact: true }).click();
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="keyframe-card"]').length === 3);

        const folded = page.getByTestId('finished-jobs');
        check(!(await folded.evaluate((d) => (d as HTMLDetailsElement).open)), 'finished renders are not folded into one line');
        const origin = (await page.getByTestId('job-origin').first().textContent()) ?? '';
        check(/ · (yesterday )?\d\d:\d\d$/.test(origin), `a queue entry does not name its project and time: "${origin}"`);
        const queue = (await page.getByRole('region', { name: 'Render queue', exact: true }).boundingBox())!;
        const inspector = (await page.getByRole('region', { name: 'Inspector', exact: true }).boundingBox())!;
        await shot(page, '15-1280x720-queue-folded');
        check(queue.height < inspector.height / 3, `the render queue takes ${queue.height} px beside an inspector of ${inspector.height} px`);
      } finally {
        await page.setViewportSize({ width: 1440, height: 900 });
      }
    },
  ],
  [
    'downloads a model from the Hugging Face Hub in the Project tab, with progress and cancel, and uses it',
    async ({ page, hub }) => {
      await page.getByRole('tab', { name: 'Project' }).click();
      await page.getByRole('button', { name: 'Download from Hugging Face…', exact: true }).click();
      const panel = page.getByRole('region', { name: 'Download a model from Hugging Face' });
      await panel.getByText(/jdp8\/sd-turbo-onnx · about/).waitFor();
      // Hold the UNet weights so the download is visibly in flight, then let it finish.
      const release = hub.hold('fixture/sd2-tiny', 'unet/model.onnx_data');
      await panel.getByRole('textbox', { name: 'Hub repository' }).fill('fixture/sd2-tiny');
      await panel.getByRole('button', { name: 'Download', exact: true }).last().click();
      const row = page.getByRole('listitem', { name: 'fixture/sd2-tiny' });
      await row.getByRole('progressbar').waitFor();
      await page.waitForFunction(() => /of .* left|estimating/.test(document.querySelector('[data-testid="download"]')?.textContent ?? ''));
      await row.scrollIntoViewIfNeeded();
      await shot(page, '20-hub-download-progress');
      release();
      await row.getByText('Ready', { exact: true }).waitFor({ timeout: 60_000 });
      const model = page.getByRole('combobox', { name: 'Model', exact: true });
      check((await model.inputValue()) === JSON.stringify({ hub: 'fixture/sd2-tiny' }), 'the downloaded model is not the project model');
      await model.scrollIntoViewIfNeeded();
      await shot(page, '21-hub-download-done');
    },
  ],
  [
    'offers a few-step model\'s settings and renders a fast transition with them',
    async ({ page }) => {
      await page.getByRole('tab', { name: 'Project' }).click();
      // The model select's label also holds its hint, so find it by the label's title.
      const modelSelect = page.locator('label.field', { has: page.locator('.field-label', { hasText: /^Model$/ }) }).locator('select');
      await modelSelect.selectOption(JSON.stringify({ id: 'demo-fast' }));
      const offer = page.getByRole('note').filter({ hasText: 'few-step model' });
      await offer.waitFor();
      await shot(page, '15-few-step-offer');
      await offer.getByRole('button', { name: 'Use few-step settings', exact: true }).click();
      await offer.waitFor({ state: 'detached' });
      check((await page.getByRole('spinbutton', { name: 'Steps', exact: true }).inputValue()) === '4', 'the few-step settings did not set 4 steps');
      await selectTransition(page, 1);
      check((await page.getByRole('radio', { name: 'Fast', exact: true }).getAttribute('aria-checked')) === 'true', 'transition 1 is not in fast mode');
      await page.getByRole('button', { name: 'Render transition', exact: true }).click();
      await page.waitForFunction(() => [...document.querySelectorAll('.inspector-heading .hint')].some((h) => h.textContent?.startsWith('Rendered')), null, { timeout: STEP_TIMEOUT });
      await waitForQueueIdle(page);
      await page.getByTestId('preview-frame').waitFor();
      await shot(page, '16-fast-transition-rendered');
    },
  ],
  [
    'says what the studio runs on, at 1280 px, without a warning for Automatic on a CPU-only machine',
    async ({ page }) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      const status = page.getByTestId('provider-status');
      const text = (await status.innerText()).replace(/\s+/g, ' ').trim();
      // CI has no GPU (SwiftShader at most, which auto never picks): the header states it as a fact.
      check(text === 'CPU (no GPU found)', `the header's provider reads "${text}", expected "CPU (no GPU found)"`);
      check(!(await page.getByTestId('fallback-reason').isVisible()), 'a provider warning shows although the provider is Automatic');
      await shot(page, '15-provider-1280');
      await page.getByTestId('provider-choice').click();
      const detail = await page.getByTestId('provider-choice-detail').innerText();
      check(/^No GPU found, running on the CPU \(CUDA: .*WebGPU: /.test(detail), `the Project tab does not give auto's reason: "${detail}"`);
      await page.setViewportSize({ width: 1440, height: 900 });
    },
  ],
  [
    'turns keyframe 1 into a picture with a fit choice, and the movie starts from it',
    async (c) => {
      const { page } = c;
      const firstFrame = async () => {
        await page.locator('body').click({ position: { x: 5, y: 200 } });
        await page.keyboard.press('Home');
        await page.waitForFunction(() => document.querySelector('[data-testid="preview-frame"]')?.getAttribute('data-frame') === '0');
        return bytesInPage(page, (await page.getByTestId('preview-frame').getAttribute('src'))!);
      };
      const before = await firstFrame();
      // A 3:2 picture, bright stripes the prompts never give.
      const photo = { width: 768, height: 512, data: new Uint8Array(768 * 512 * 3) };
      for (let y = 0; y < 512; y++) for (let x = 0; x < 768; x++) photo.data.set(Math.floor(x / 96) % 2 ? [250, 220, 30] : [200, 30, 160], (y * 768 + x) * 3);
      const file = path.join(c.work, 'photo.png');
      writeFileSync(file, encodePng(photo));
      await selectKeyframe(page, 1);
      await page.getByLabel('Picture for the keyframe').setInputFiles(file);
      const fit = page.getByRole('combobox', { name: 'Fit the picture to the project size' });
      await fit.waitFor({ timeout: STEP_TIMEOUT });
      check((await fit.inputValue()) === 'crop', `a new image keyframe shows the fit "${await fit.inputValue()}", expected the default "crop"`);
      await fit.selectOption('fit');
      await page.getByRole('button', { name: 'Render movie', exact: true }).click();
      await allTransitionsRendered(page);
      await waitForQueueIdle(page);
      await shot(page, '15-image-keyframe');
      const after = await firstFrame();
      check(!after.equals(before), 'the movie still starts on the generated keyframe: the picture was ignored');
    },
  ],
  [
    'paces the movie to music: a hold, easing, a loop and snap to beats, all without re-rendering what is rendered',
    async ({ page, projectFile }) => {
      // 120 bpm: a low sine kick on every beat over pink noise, made with ffmpeg's own sources,
      // next to the open project (the music track is a path relative to it).
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', "aevalsrc='0.7*sin(2*PI*60*t)*exp(-20*mod(t,0.5))':s=44100:d=12", '-f', 'lavfi', '-i', 'anoisesrc=color=pink:amplitude=0.03:d=12', '-filter_complex', 'amix=inputs=2:normalize=0', path.join(path.dirname(projectFile), 'music.wav')]);
      await page.getByRole('tab', { name: 'Project' }).click();
      const music = page.getByRole('textbox', { name: 'Music track', exact: true });
      await music.fill('music.wav');
      await music.press('Enter');
      await page.waitForFunction(() => /♪ 1(19|20)\.\d bpm/.test(document.querySelector('[data-testid="tempo"]')?.textContent ?? ''), null, { timeout: 30_000 });
      check((await page.locator('[data-testid="beat-mark"]').count()) > 0, 'no beat marks under the timeline');
      await page.getByTestId('loop-toggle').check();
      await page.getByRole('button', { name: 'Transition 3 → 1', exact: true }).waitFor();
      await selectKeyframe(page, 2);
      const hold = page.getByRole('spinbutton', { name: 'Hold', exact: true });
      await hold.fill('0.5');
      await hold.blur();
      await page.getByTestId('hold-strip').first().waitFor();
      await selectTransition(page, 1);
      await page.getByRole('combobox', { name: 'Easing' }).selectOption('ease-in-out');
      const before = await transitionStates(page);
      check(before[0] === 'Rendered' && before[1] === 'Rendered', `easing or a hold marked rendered transitions for rendering: ${before.join(', ')}`);
      await page.getByRole('button', { name: 'Snap to beats', exact: true }).click();
      await page.getByText('3 keyframes on beats').waitFor();
      await page.getByRole('button', { name: 'Render movie', exact: true }).click();
      await page.locator('[data-testid="job"]', { hasText: 'Movie (3 transitions)' }).waitFor();
      await waitForQueueIdle(page);
      const states = await transitionStates(page);
      check(states.length === 3 && states.every((s) => s === 'Rendered'), `after rendering the loop, transitions read ${states.join(', ')}`);
      // The movie lasts to a beat: its frame count is a whole number of beats at 12 fps (120 bpm = 6 frames a beat, from the first beat).
      const frames = await totalFrames(page);
      check(frames > 36, `the paced movie has only ${frames} frames`);
      // Clicking the ruler seeks.
      const tick = page.locator('[data-testid="time-ruler"] .tick').nth(1);
      const box = (await tick.boundingBox())!;
      await page.getByTestId('time-ruler').click({ position: { x: box.x - (await page.getByTestId('time-ruler').boundingBox())!.x + 1, y: 9 } });
      const frame = await page.getByTestId('frame-number').innerText();
      check(!/^Frame 1\s*\//.test(frame), `a click on the ruler did not seek: "${frame}"`);
      await shot(page, '15-music-loop-hold-easing');
    },
  ],
  [
    'exports the looped, beat-snapped movie as PNGs: keyframes on their beats\' frames, the picture first, last → first an ordinary step',
    async (c) => {
      const { page } = c;
      await page.locator('body').click({ position: { x: 5, y: 200 } });
      await page.keyboard.press('Control+s');
      await page.getByRole('status', { name: 'Unsaved changes' }).waitFor({ state: 'detached' });
      const project = JSON.parse(readFileSync(c.projectFile, 'utf8')) as {
        fps: number;
        width: number;
        height: number;
        loop?: boolean;
        export: { audio?: string };
        keyframes: Array<{ hold?: number; image?: unknown }>;
        transitions: Array<{ duration: number }>;
      };
      check(project.loop === true && project.keyframes.length === 3 && project.transitions.length === 3, `the saved project is not a three-keyframe loop: loop ${String(project.loop)}, ${project.keyframes.length} keyframes, ${project.transitions.length} transitions`);
      check(project.export.audio, 'the saved project has no music track');
      // The beats as the studio finds them: its own audio analysis on the same file.
      const music = path.resolve(path.dirname(c.projectFile), project.export.audio);
      const projects = { require: () => ({ project }), resolveAsset: () => music } as unknown as ConstructorParameters<typeof AudioService>[0]['projects'];
      const { beats } = await new AudioService({ projects }).analyze();
      check(beats.length > 8, `the analysis found only ${beats.length} beats in ${music}`);

      // Where each keyframe (and the loop's end, keyframe 1 again) falls in time, and its beat.
      const fps = project.fps;
      const times: number[] = [];
      let t = 0;
      project.transitions.forEach((tr, i) => {
        t += project.keyframes[i].hold ?? 0;
        t += tr.duration;
        times.push(t);
      });
      const onBeat = times.map((time, i) => {
        const beat = beats.reduce((a, b) => (Math.abs(b - time) < Math.abs(a - time) ? b : a));
        check(Math.abs(beat - time) < 1e-6, `${i + 2 > 3 ? 'the loop end' : `keyframe ${i + 2}`} is at ${time.toFixed(4)} s, ${(time - beat).toFixed(4)} s off its nearest beat ${beat}`);
        return Math.round(beat * fps);
      });
      const timing = movieTiming(project.transitions.map((tr) => tr.duration), fps, { holds: project.keyframes.map((k) => k.hold ?? 0), loop: true });
      check(timing.totalFrames === onBeat[2], `the loop ends on frame ${timing.totalFrames}, its beat is frame ${onBeat[2]}`);

      const framesDir = path.join(c.work, 'beat-frames');
      await exportPngSequence(page, framesDir, '22-beat-snapped-loop-exported');
      const files = readdirSync(framesDir).filter((f) => /^\d{5}\.png$/.test(f)).sort();
      check(files.length === onBeat[2], `the export wrote ${files.length} frames; the loop's end beat is frame ${onBeat[2]}`);
      const frames = files.map((f) => decodePng(readFileSync(path.join(framesDir, f))));
      const same = (a: RgbImage, b: RgbImage) => a.width === b.width && Buffer.from(a.data).equals(Buffer.from(b.data));

      // Each keyframe's still (what the card shows, which the movie shows on its frame) is the
      // exported frame on its beat, and the frame before it is still moving towards it.
      const stills: RgbImage[] = [];
      for (let k = 1; k <= 3; k++) {
        const src = await card(page, k).locator('img').getAttribute('src');
        check(src, `keyframe ${k}'s card has no picture`);
        stills.push(decodePng(await bytesInPage(page, src)));
      }
      for (let k = 1; k < 3; k++) {
        const at = onBeat[k - 1];
        check(timing.keyframeFrames[k] === at, `keyframe ${k + 1} is laid out on frame ${timing.keyframeFrames[k]}, its beat is frame ${at}`);
        check(same(frames[at], stills[k]), `exported frame ${at} (keyframe ${k + 1}'s beat) is not keyframe ${k + 1}`);
        check(!same(frames[at - 1], stills[k]), `exported frame ${at - 1} already shows keyframe ${k + 1}, one frame before its beat`);
      }
      // The movie starts on the picture: keyframe 1's still, much nearer the fitted picture than the other keyframes are.
      check(same(frames[0], stills[0]), 'exported frame 0 is not keyframe 1');
      const photo = fitImage(decodePng(readFileSync(path.join(c.work, 'photo.png'))), project.width, project.height, 'fit');
      const toPhoto = frames.map((f) => builtinDistance(f, photo));
      const others = [toPhoto[onBeat[0]], toPhoto[onBeat[1]]];
      check(toPhoto[0] < 0.5 * Math.min(...others), `frame 0 is ${toPhoto[0].toFixed(4)} from the picture, keyframes 2 and 3 ${others.map((d) => d.toFixed(4)).join(', ')}`);

      // Seamless loop: last → first is an ordinary step of the moving frames (holds excluded).
      const steps = frames.slice(1).map((f, i) => builtinDistance(frames[i], f)).filter((d) => d > 0).sort((a, b) => a - b);
      const median = steps[Math.floor(steps.length / 2)];
      const seam = builtinDistance(frames.at(-1)!, frames[0]);
      check(seam > 0 && seam <= 3 * median, `last → first is a step of ${seam.toFixed(4)}, the median step ${median.toFixed(4)}: the loop jumps`);
      console.log(`    ${files.length} frames, keyframes on frames ${[0, ...onBeat.slice(0, 2)].join(', ')}, loop end ${onBeat[2]} (beats ${times.map((x) => x.toFixed(3)).join(', ')} s); seam ${seam.toFixed(4)} vs median step ${median.toFixed(4)}; to the picture: frame 0 ${toPhoto[0].toFixed(4)}, keyframes 2 and 3 ${others.map((d) => d.toFixed(4)).join(', ')}`);
    },
  ],
];

async function main(): Promise<number> {
  mkdirSync(ARTIFACTS, { recursive: true });
  buildRenderer();
  const work = mkdtempSync(path.join(tmpdir(), 'lbs-e2e-'));
  await writeFixtureModel(path.join(work, 'hub-repo'), { externalData: 'model.onnx_data' });
  const hub = await new FakeHub({ 'fixture/sd2-tiny': { dir: path.join(work, 'hub-repo') } }).start();
  const env = {
    ...process.env,
    HF_ENDPOINT: hub.url,
    HF_HUB_CACHE: path.join(work, 'hf-cache'),
    HF_HUB_OFFLINE: '',
    LBS_CONFIG_DIR: path.join(work, 'config'),
    LBS_CACHE_DIR: process.env.LBS_CACHE_DIR ?? path.join(ROOT, '.cache', 'lbs'),
  };
  let server: StudioServer | null = null;
  const browser = await launchChromium();
  let failures = 0;
  let passed = 0;
  try {
    server = await startServe(ROOT, env);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
    const pageErrors = collectPageErrors(page);
    await page.goto(server.url);
    const context: Context = { page, hub, work, projectFile: path.join(work, 'film.lbs.json'), exportFile: path.join(work, 'film.mp4'), seeds: [] };
    for (const [name, run] of steps) {
      const started = Date.now();
      try {
        await run(context);
        console.log(`  ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failures++;
        console.log(`  ✗ ${name}\n    ${(error as Error).message.split('\n').join('\n    ')}`);
        await shot(page, `failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
        break; // later steps build on this one
      }
      if (pageErrors.length) {
        failures++;
        console.log(`  ✗ page errors during "${name}":\n    ${pageErrors.splice(0).join('\n    ')}`);
        break;
      }
      passed++;
    }
  } catch (error) {
    failures++;
    console.log(`  ✗ setup: ${(error as Error).message}`);
  } finally {
    await browser.close();
    if (failures && server) console.log(`--- latentblend serve output ---\n${server.output()}`);
    await server?.stop();
    await hub.stop();
    if (!failures) rmSync(work, { recursive: true, force: true });
    else console.log(`work folder kept for inspection: ${work}`);
  }
  console.log(failures ? `e2e: ${failures} failure(s); screenshots in ${ARTIFACTS}` : `e2e: all ${steps.length} steps passed; screenshots in ${ARTIFACTS}`);
  // The plain closing line CI reads. A failed step stops the run (later steps build on it):
  // the steps it kept from running count as failed too.
  console.log(`e2e: ${passed} passed, ${steps.length - passed} failed`);
  return failures ? 1 : 0;
}

process.exitCode = await main();
