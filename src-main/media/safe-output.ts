import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, parse, resolve } from 'node:path';
import { MediaError } from './errors';

/**
 * An output being written under a hidden temporary name beside its target. Whatever was at
 * the target stays untouched until `commit()` renames the finished result into place (a rename
 * within one folder is atomic), and `discard()` removes every trace of a failed or cancelled one.
 */
export interface StagedOutput {
  readonly target: string;
  /** The temporary file or folder to write into. */
  readonly temp: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Check the target's folder and reserve a temporary file (`kind: 'file'`) or folder
 * (`kind: 'dir'`, for PNG sequences) beside it. Fails with OUTPUT_NOT_WRITABLE before any
 * encoding starts when the folder is missing, is not a folder, or cannot be written.
 */
export async function stageOutput(target: string, kind: 'file' | 'dir'): Promise<StagedOutput> {
  const absolute = resolve(target);
  const folder = dirname(absolute);
  await checkFolder(folder, absolute);
  await checkTarget(absolute, kind);

  const { name, ext } = parse(absolute);
  const temp = join(folder, kind === 'file' ? `.${name}.partial-${randomTag()}${ext}` : `.${basename(absolute)}.partial-${randomTag()}`);
  try {
    if (kind === 'file') await (await open(temp, 'wx')).close();
    else await mkdir(temp);
  } catch (error) {
    throw notWritable(absolute, `cannot create files in ${folder} (${errorCode(error)})`, 'Choose a folder you can write to, or fix its permissions.', error);
  }

  const discard = (): Promise<void> => rm(temp, { recursive: true, force: true });
  const commit = async (): Promise<void> => {
    try {
      if (kind === 'file') await rename(temp, absolute);
      else await replaceFolder(temp, absolute);
    } catch (error) {
      await discard();
      throw notWritable(absolute, `the finished export could not be moved into place (${errorCode(error)})`, 'Check that nothing else holds the file open and that the folder is writable.', error);
    }
  };
  return { target: absolute, temp, commit, discard };
}

async function checkFolder(folder: string, target: string): Promise<void> {
  try {
    const s = await stat(folder);
    if (!s.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') {
      throw notWritable(target, `the folder ${folder} does not exist`, 'Create the folder first or choose another output location.', error);
    }
    if (code === 'ENOTDIR') {
      throw notWritable(target, `${folder} is not a folder (a file is in the way on that path)`, 'Choose an output path inside an existing folder.', error);
    }
    throw notWritable(target, `the folder ${folder} cannot be read (${code})`, 'Choose a folder you can write to, or fix its permissions.', error);
  }
}

async function checkTarget(target: string, kind: 'file' | 'dir'): Promise<void> {
  let existing;
  try {
    existing = await stat(target);
  } catch {
    return; // nothing there yet
  }
  if (kind === 'file' && existing.isDirectory()) {
    throw notWritable(target, 'a folder already exists with that name', 'Choose another file name, or remove the folder.');
  }
  if (kind === 'dir' && !existing.isDirectory()) {
    throw notWritable(target, 'a file already exists with that name, and a PNG sequence is written as a folder', 'Choose another name for the frame folder, or remove the file.');
  }
}

/** Swap a finished folder in: move the old one aside, move the new one in, then delete the old. */
async function replaceFolder(temp: string, target: string): Promise<void> {
  const aside = join(dirname(target), `.${basename(target)}.old-${randomTag()}`);
  let movedAside = false;
  try {
    await rename(target, aside);
    movedAside = true;
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  try {
    await rename(temp, target);
  } catch (error) {
    if (movedAside) await rename(aside, target);
    throw error;
  }
  if (movedAside) await rm(aside, { recursive: true, force: true });
}

function notWritable(target: string, reason: string, hint: string, cause?: unknown): MediaError {
  return new MediaError('OUTPUT_NOT_WRITABLE', `Cannot write the export to ${target}: ${reason}.`, { hint, file: target, cause });
}

function errorCode(error: unknown): string {
  return (error as { code?: string })?.code ?? (error as Error)?.message ?? String(error);
}

function randomTag(): string {
  return randomBytes(4).toString('hex');
}
