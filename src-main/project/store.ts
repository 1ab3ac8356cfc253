import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { writeFileAtomic, type AtomicWriteOptions } from './atomic-write';
import { ProjectError } from './errors';
import { looksLikeProjectDocument, parseJsonText, parseProject } from './parse';
import type { Project } from './schema';

/**
 * The bytes a project is saved as: validated and normalised through the schema (so fields
 * come out in the schema's order whatever order they were built in), 2-space JSON, final
 * newline. Equal projects serialise to equal bytes, which keeps diffs and autosave checks honest.
 */
export function serializeProject(project: Project): string {
  return `${JSON.stringify(parseProject(project), null, 2)}\n`;
}

/**
 * Save atomically: an invalid project is refused (ProjectError) before anything is written,
 * and a crash at any moment leaves either the previous file or the new one at `file`.
 */
export async function saveProjectAtomic(file: string, project: Project, options?: AtomicWriteOptions): Promise<void> {
  let text: string;
  try {
    text = serializeProject(project);
  } catch (err) {
    if (err instanceof ProjectError) throw new ProjectError(err.issues, file);
    throw err;
  }
  await writeFileAtomic(file, text, options);
}

/** Far above any real project (1000 keyframes with long prompts are a few MB); anything bigger is another file. */
export const MAX_PROJECT_FILE_BYTES = 32 * 1024 * 1024;

/**
 * The text of a would-be project file, refusing before reading anything that is not a regular
 * file of plausible size (`/dev/zero`, a FIFO, a disk image). Errors never quote the content.
 */
async function readProjectText(file: string): Promise<string> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    handle = await open(file, process.platform === 'win32' ? 'r' : constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new ProjectError([{ path: '', message: describeReadError(err) }], file);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new ProjectError([{ path: '', message: describeReadError({ code: 'EISDIR' }) }], file);
    if (!info.isFile()) throw new ProjectError([{ path: '', message: 'is not a regular file (a device, pipe or socket); choose a *.lbs.json file' }], file);
    if (info.size > MAX_PROJECT_FILE_BYTES) {
      throw new ProjectError([{ path: '', message: `is ${(info.size / 1e6).toFixed(0)} MB, far larger than a project file (at most ${MAX_PROJECT_FILE_BYTES / 1024 / 1024} MB); choose a *.lbs.json file` }], file);
    }
    return await handle.readFile('utf8');
  } catch (err) {
    if (err instanceof ProjectError) throw err;
    throw new ProjectError([{ path: '', message: describeReadError(err) }], file);
  } finally {
    await handle.close();
  }
}

function describeReadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? 'file not found; check the path'
    : code === 'EISDIR'
      ? 'is a folder, not a project file; choose the *.lbs.json file inside it'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read (permission denied)'
        : `cannot be read (system error ${code ?? 'unknown'})`;
}

/** True when `file` is a project file (of any version): Save As may replace it without asking. */
export async function isProjectFile(file: string): Promise<boolean> {
  try {
    return looksLikeProjectDocument(parseJsonText(await readProjectText(file), file));
  } catch {
    return false;
  }
}

/** Read and validate a project file. Opening never writes: a migrated file is rewritten on the next save. */
export async function loadProject(file: string): Promise<Project> {
  const json = parseJsonText(await readProjectText(file), file);
  if (!looksLikeProjectDocument(json)) {
    throw new ProjectError([{ path: '', message: 'is not a Latent Blending Studio project (it has no "format": "latent-blending-studio"); choose a *.lbs.json file' }], file);
  }
  return parseProject(json, file);
}
