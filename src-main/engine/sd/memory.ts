import { freemem } from 'node:os';
import { EngineError } from '../errors';
import { componentBytes, type ComponentFile } from './model-folder';

/**
 * Memory checks for loading a model. ONNX Runtime memory-maps external weights and pre-packs
 * them for its kernels: `npm run bench` (scale section) measures a peak RSS below the weight
 * bytes, so a component needs about its file size free. Checked before each component, so the
 * ones already loaded are accounted for by the system's own figure.
 */
const HEADROOM_BYTES = 256 * 1024 * 1024;

/** Memory the process can still get: the cgroup-aware figure where Node has it, else the OS's. */
export function availableMemory(): number {
  const fromProcess = (process as { availableMemory?: () => number }).availableMemory?.();
  return fromProcess && fromProcess > 0 ? fromProcess : freemem();
}

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

function tooLarge(file: ComponentFile, model: string, needed: number, free: number): EngineError {
  return new EngineError('OUT_OF_MEMORY', `Not enough memory to load ${model}: its ${file.component} needs about ${gb(needed)} but ${gb(free)} is free.`, {
    file: file.path,
    hint: 'Close other programs, use an fp16 export of the model (half the size), or a machine with more memory.',
  });
}

export function checkMemoryFor(file: ComponentFile, model: string, available: () => number): void {
  const needed = componentBytes(file) + HEADROOM_BYTES;
  const free = available();
  if (needed > free) throw tooLarge(file, model, needed, free);
}

/** ONNX Runtime's own allocation failures, as the same one line. */
export function isAllocationFailure(message: string): boolean {
  return /bad_alloc|Failed to allocate memory|std::bad_alloc|out of memory/i.test(message);
}

export function allocationFailure(file: ComponentFile, model: string, available: () => number = availableMemory): EngineError {
  return tooLarge(file, model, componentBytes(file) + HEADROOM_BYTES, available());
}
