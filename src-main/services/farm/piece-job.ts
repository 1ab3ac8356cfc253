import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { cachedKeyframeTrajectory } from '../../engine/blend/transition';
import { EngineError } from '../../engine/errors';
import { z } from 'zod';
import { SessionOptionsSchema } from '../../engine/jobs/models';
import type { JobContext } from '../../engine/jobs/context';
import { writeFileAtomic } from '../../project/atomic-write';
import { resolveProjectPaths } from '../../project/create';
import { ProjectError } from '../../project/errors';
import { parseProject } from '../../project/parse';
import type { Project } from '../../project/schema';
import { ProjectRender, type PreviousTransition } from '../render/project-render';
import { FarmPieceSchema, InputNameSchema, type FarmPiece, type KeyframesResult, type TransitionPieceResult } from './messages';

/**
 * The engine-thread side of a farm worker: one piece of a movie (a transition's keyframe
 * trajectories, or a whole transition) rendered through ProjectRender — the code a local
 * render runs — into the shared render cache, so farm frames equal local frames.
 */
export const FarmPieceJobSchema = z.object({
  kind: z.literal('farm-piece'),
  /** The BullMQ job data; checked by FarmPieceSchema in the job, with the farm's own messages. */
  piece: z.unknown(),
  /** The shared render cache folder this worker mounts. */
  cacheDir: z.string().min(1),
  session: SessionOptionsSchema,
});
export type FarmPieceJob = z.infer<typeof FarmPieceJobSchema>;

/** Where a worker keeps the keyframe images and masks that jobs carry (content-addressed). */
export function farmInputsDir(cacheDir: string): string {
  return join(cacheDir, 'farm-inputs');
}

export async function runFarmPieceJob(job: FarmPieceJob, ctx: JobContext): Promise<KeyframesResult | TransitionPieceResult> {
  const parsed = FarmPieceSchema.safeParse(job.piece);
  if (!parsed.success) throw new EngineError('BAD_ARGUMENT', `The farm job is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}.`);
  const piece = parsed.data;
  const project = await projectOf(piece, job.cacheDir);
  if (piece.index >= project.transitions.length) throw new EngineError('BAD_ARGUMENT', `Transition ${piece.index} does not exist (the project has ${project.transitions.length}).`);
  // The project's provider unless the worker (--provider) or the coordinator asks for another, as locally.
  const session = { ...job.session, provider: job.session.provider ?? project.provider };
  const render = new ProjectRender(project, job.cacheDir, ctx, session);
  const tracker = ctx.progress(1);
  tracker.report('loading model');
  const previous = piece.keyframeA ? await sharedKeyframe(render, piece.keyframeA, job.cacheDir) : undefined;
  tracker.begin(piece.kind === 'keyframes' ? 'keyframes' : 'rendering');
  const onProgress = (done: number, total: number) => tracker.set(piece.kind === 'keyframes' ? 'keyframes' : 'rendering', done, total);
  if (piece.kind === 'keyframes') {
    const made = await render.keyframes(piece.index, previous, onProgress);
    return { kind: 'keyframes', keys: { [String(piece.index)]: { a: made.a.key, b: made.b.key } }, computedEvaluations: made.computedEvaluations };
  }
  const frames: { position: number; file: string }[] = [];
  const result = await render.transition(
    piece.index,
    previous,
    async (position, image) => {
      frames.push({ position, file: basename(await render.publish(image)) });
    },
    onProgress,
  );
  frames.sort((a, b) => a.position - b.position);
  return {
    kind: 'transition',
    index: piece.index,
    keys: { a: result.keyframes.a.key, b: result.keyframes.b.key },
    positions: frames.map((f) => f.position),
    frames: frames.map((f) => f.file),
    ...(result.distances ? { distances: [...result.distances] } : {}),
    unetEvaluations: result.unetEvaluations,
    computedEvaluations: result.computedEvaluations,
  };
}

/** Keyframe A as another worker left it in the shared cache. */
async function sharedKeyframe(render: ProjectRender, key: string, cacheDir: string): Promise<PreviousTransition> {
  const cache = await render.cache(await render.model(false));
  const trajectory = await cachedKeyframeTrajectory(cache, key);
  if (!trajectory) {
    throw new EngineError('NOT_CACHED', `Keyframe trajectory ${key} is not in the render cache at ${cacheDir}.`, {
      hint: 'Every worker and the coordinator must mount the same shared cache folder (--cache DIR) at the same path.',
    });
  }
  return { keyframes: { b: trajectory } };
}

/**
 * The project a job carries, validated, with its keyframe images and masks written from the
 * job's inputs (each checked against its SHA-256 name). A path that is not one of those inputs
 * is refused: a worker never reads files a job names on the coordinator's disk.
 */
async function projectOf(piece: FarmPiece, cacheDir: string): Promise<Project> {
  let project: Project;
  try {
    project = parseProject(piece.project, 'the farm job');
  } catch (error) {
    if (error instanceof ProjectError) throw new EngineError('INVALID_PROJECT', error.message);
    throw error;
  }
  const dir = farmInputsDir(cacheDir);
  await mkdir(dir, { recursive: true });
  for (const [name, base64] of Object.entries(piece.inputs)) {
    const bytes = Buffer.from(base64, 'base64');
    if (`${createHash('sha256').update(bytes).digest('hex')}.png` !== name) throw new EngineError('INVALID_PROJECT', `The farm job's input ${name} does not match its content.`);
    const file = join(dir, name);
    if (!existsSync(file)) await writeFileAtomic(file, bytes);
  }
  project.keyframes.forEach((k, i) => {
    for (const file of [k.image, k.mask]) {
      if (file !== undefined && !(InputNameSchema.safeParse(file).success && Object.hasOwn(piece.inputs, file))) {
        throw new EngineError('INVALID_PROJECT', `Keyframe ${i + 1} names ${file}, which the farm job does not carry.`, { hint: 'Start farm renders with latentblend render --farm or the studio: they send keyframe images with the job.' });
      }
    }
  });
  for (const ref of [project.model, project.inpaintingModel]) {
    if ('path' in ref && !isAbsolute(ref.path)) {
      throw new EngineError('INVALID_PROJECT', `The farm job names model folder ${ref.path}, a relative path.`, { hint: 'A farm model path must be absolute and exist on every worker.' });
    }
  }
  const { audio: _audio, ...exportSettings } = project.export;
  return resolveProjectPaths({ ...project, export: exportSettings }, join(dir, 'project.lbs.json'));
}

/** Model folder of a reference, for a worker's "lacks the model" message. */
export function modelNames(piece: FarmPiece): string[] {
  return [piece.fingerprint.model, piece.fingerprint.inpaintingModel].map((ref) => ('path' in ref ? ref.path : 'hub' in ref ? ref.hub : ref.id));
}
