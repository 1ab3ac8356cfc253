/**
 * What one typical edit (typing into a keyframe prompt of a four-keyframe project) costs on
 * the wire and in validation: request and answer bytes as the web host sends them, and how many
 * times the project schema validated a whole document. `npx tsx bench/edit-payload.ts`
 * (it also runs against the older whole-document `project.update`, for a before/after figure).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { methods } from '../src-main/contract/contract';
import { handlersFor } from '../src-main/ipc/handlers';
import { createRouter } from '../src-main/ipc/router';
import { ProjectSchema } from '../src-main/project/schema';
import { createStudio } from '../src-main/services/studio';
import { RenderJobDouble } from '../src-main/services/testing/render-engine-double';

const dir = await mkdtemp(path.join(os.tmpdir(), 'lbs-edit-payload-'));
const studio = createStudio({ engine: new RenderJobDouble(null), host: 'web', mediaBase: '/media', version: 'bench', configDir: dir });
const router = createRouter(handlersFor(studio));
try {
  const created = await router.handle('project.new', { prompts: ['a misty pine forest at dawn', 'a quiet harbour at night', 'a desert under stars', 'a city in the rain'] });
  if (!created.ok) throw new Error(created.error.message);
  const state = created.value as { revision?: number; project: { keyframes: { prompt: string }[] } };
  const wholeDocument = 'project' in (methods['project.update'].request as unknown as { shape: object }).shape;
  const prompt = 'a misty pine forest at dawn, volumetric light';
  const payload = wholeDocument
    ? { project: { ...state.project, keyframes: state.project.keyframes.map((k, i) => (i === 0 ? { ...k, prompt } : k)) } }
    : { base: state.revision, changes: [{ path: ['keyframes', 0, 'prompt'], value: prompt }] };

  const zod = (ProjectSchema as unknown as { _zod: { run: (...args: unknown[]) => unknown } })._zod;
  const run = zod.run;
  let validations = 0;
  zod.run = (...args) => (validations++, run.apply(zod, args));
  const result = await router.handle('project.update', payload);
  zod.run = run;
  if (!result.ok) throw new Error(result.error.message);

  const request = JSON.stringify({ type: 'invoke', id: 1, method: 'project.update', payload });
  const answer = JSON.stringify({ type: 'result', id: 1, ...result });
  console.log(`project.update (${wholeDocument ? 'whole document' : 'changes'}): request ${request.length} bytes, answer ${answer.length} bytes, project document validated ${validations}×`);
  console.log(`(the document itself: ${JSON.stringify(studio.projects.state()!.project).length} bytes)`);
} finally {
  await studio.dispose();
  await rm(dir, { recursive: true, force: true });
}
