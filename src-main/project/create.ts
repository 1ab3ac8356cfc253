import path from 'node:path';
import { parseProject } from './parse';
import { CURRENT_PROJECT_VERSION, PROJECT_FORMAT, type Project } from './schema';

/** A project from prompts: one keyframe per prompt, default transitions between them. */
export function createProject(prompts: readonly string[], name?: string): Project {
  if (prompts.length === 0) throw new Error('createProject: give at least one prompt (one keyframe per prompt)');
  return parseProject({
    format: PROJECT_FORMAT,
    version: CURRENT_PROJECT_VERSION,
    ...(name === undefined ? {} : { name }),
    keyframes: prompts.map((prompt) => ({ prompt })),
  });
}

/** What File → New opens: two keyframes and one transition on the demo model. */
export function createDefaultProject(): Project {
  return createProject(
    ['a misty pine forest at dawn, soft golden light, detailed painting', 'a quiet harbour at night, deep blue water, boats and lanterns'],
    'Untitled',
  );
}

/**
 * The project with every file reference (keyframe images and masks, export audio, model
 * folders given as relative paths) made absolute against the project file's folder. Use it
 * to read the files; save the unresolved project so it stays portable.
 */
export function resolveProjectPaths(project: Project, projectFile: string): Project {
  const dir = path.dirname(path.resolve(projectFile));
  const abs = (p: string) => path.resolve(dir, p);
  const modelRef = <T extends { path: string } | { id: string } | { hub: string }>(ref: T): T =>
    'path' in ref ? { ...ref, path: abs(ref.path) } : ref;
  return {
    ...project,
    model: modelRef(project.model),
    inpaintingModel: modelRef(project.inpaintingModel),
    keyframes: project.keyframes.map((k) => ({
      ...k,
      ...(k.image === undefined ? {} : { image: abs(k.image) }),
      ...(k.mask === undefined ? {} : { mask: abs(k.mask) }),
    })),
    export: { ...project.export, ...(project.export.audio === undefined ? {} : { audio: abs(project.export.audio) }) },
  };
}

/** `movie.lbs.json` → `movie`: the project's base name, used for its cache folder and exports. */
export function projectBaseName(projectFile: string): string {
  const base = path.basename(projectFile);
  return base.replace(/\.lbs\.json$/i, '').replace(/\.json$/i, '') || base;
}
