/**
 * Speed and look check of the demo model (not a test):
 *   npx tsx bench/demo-check.ts [outDir]
 * Times a 512×512, 25-step DDIM render with CFG 7.5 (50 UNet images) plus the decode on one
 * CPU thread, and writes sample PNGs to outDir when given. Lives in bench/ rather than next to
 * the demo model because it writes PNGs, and the engine layer may not import media.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '../src-main/media/png';
import type { RgbImage } from '../src-main/engine/image';
import { writeDemoModel } from '../src-main/engine/demo/demo-model';
import { decodeLatent, embedPrompt, loadDemoSessions, sampleLatent } from '../src-main/engine/demo/demo-sampling';

const outDir = process.argv[2];
const dir = await mkdtemp(join(tmpdir(), 'lbs-demo-check-'));
await writeDemoModel(dir, 'text2img');
const sessions = await loadDemoSessions(dir, 1);
const uncond = await embedPrompt(sessions, '');

async function render(prompt: string, seed: number, guidance = 7.5, size = 512) {
  const cond = await embedPrompt(sessions, prompt);
  const h = size / 8;
  const start = performance.now();
  const latent = await sampleLatent(sessions.unet, { cond, uncond, seed, steps: 25, guidance, latentHeight: h, latentWidth: h });
  const sampled = performance.now();
  const image = await decodeLatent(sessions.vaeDecoder, latent, h, h);
  const decoded = performance.now();
  return { image, unetMs: sampled - start, decodeMs: decoded - sampled };
}

await render('warm up', 0);
const times: number[] = [];
for (let i = 0; i < 5; i++) {
  const r = await render('a red sunset over the ocean', i);
  times.push(r.unetMs + r.decodeMs);
  console.log(`run ${i}: 25 steps ×2 (CFG) ${r.unetMs.toFixed(1)} ms + decode ${r.decodeMs.toFixed(1)} ms`);
}
times.sort((a, b) => a - b);
console.log(`median total ${times[2].toFixed(1)} ms (512×512, 25 DDIM steps, CFG 7.5, 1 thread)`);

if (outDir) {
  const samples: [string, number, number][] = [
    ['a red sunset over the ocean', 1, 7.5],
    ['a red sunset over the ocean', 2, 7.5],
    ['a dark green forest at night', 1, 7.5],
    ['a red sunset over the ocean', 1, 1],
    ['snowy mountains under a blue sky', 3, 7.5],
    ['an astronaut riding a horse on mars', 4, 7.5],
  ];
  const sheet = { width: 768, height: 512, data: new Uint8Array(768 * 512 * 3) };
  for (const [index, [prompt, seed, guidance]] of samples.entries()) {
    const { image } = await render(prompt, seed, guidance);
    const file = join(outDir, `${prompt.replace(/\W+/g, '-')}-seed${seed}-cfg${guidance}.png`);
    await writeFile(file, encodePng(image));
    console.log('wrote', file);
    pasteHalfSize(image, sheet, (index % 3) * 256, Math.floor(index / 3) * 256);
  }
  await writeFile(join(outDir, 'contact-sheet.png'), encodePng(sheet));
}

/** 2×2 box-downsampled copy of a 512×512 image into a larger image at (left, top). */
function pasteHalfSize(src: RgbImage, dst: RgbImage, left: number, top: number) {
  for (let y = 0; y < src.height / 2; y++) {
    for (let x = 0; x < src.width / 2; x++) {
      for (let c = 0; c < 3; c++) {
        const at = (yy: number, xx: number) => src.data[((2 * y + yy) * src.width + 2 * x + xx) * 3 + c];
        dst.data[((top + y) * dst.width + left + x) * 3 + c] = Math.round((at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4);
      }
    }
  }
}
