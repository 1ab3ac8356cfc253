import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PROVIDER_NAMES } from '../../engine/sd/types';

/** A user mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[\w+\]: /, '').split('\n').join(' '));
  }
}

export function intOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${value}'.`);
  }
  return n;
}

export function numberOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got '${value}'.`);
  }
  return n;
}

export function choiceOption<C extends string>(name: string, value: string | undefined, fallback: C, choices: readonly C[]): C {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${value}'.`);
  }
  return value as C;
}

/** Engine session flags shared by keyframe, plan and render: where and how ONNX Runtime runs. */
export const SESSION_FLAGS = {
  provider: { type: 'string' },
  threads: { type: 'string' },
  batch: { type: 'string' },
} as const;

export const SESSION_USAGE = `[--provider ${PROVIDER_NAMES.join('|')}] [--threads N] [--batch N]`;

export function sessionOptions(values: { provider?: string; threads?: string; batch?: string }) {
  return {
    provider: values.provider === undefined ? undefined : choiceOption('provider', values.provider, 'auto', PROVIDER_NAMES),
    // 0 lets ONNX Runtime use every core.
    intraOpNumThreads: values.threads === undefined ? undefined : intOption('threads', values.threads, 0, 0, 256),
    // Images per UNet call: branches of one tree block run together (CFG doubles the rows).
    maxBatch: values.batch === undefined ? undefined : intOption('batch', values.batch, 4, 1, 64),
  };
}
