import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENCODER_PRESETS, EXPORT_FORMATS, MAX_SEED, PROVIDERS, QUALITY_PRESET_NAMES, SCHEDULERS } from '../../src-main/contract/contract';
import { findSchemaCopies, scriptOf } from './schema-copies';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const TABLES = { QUALITY_PRESET_NAMES, SCHEDULERS, PROVIDERS, EXPORT_FORMATS, ENCODER_PRESETS };
const NUMBERS = [MAX_SEED];

function rendererSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) return rendererSources(abs);
    return /\.(ts|vue)$/.test(e.name) && !/\.test\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [abs] : [];
  });
}

describe('the renderer keeps no copy of the project format', () => {
  it('takes every table, range and default from the contract (labels only of its own)', () => {
    const copies = rendererSources(path.join(repo, 'src-renderer/src')).flatMap((file) =>
      findSchemaCopies(scriptOf(readFileSync(file, 'utf8'), file.endsWith('.vue')), TABLES, NUMBERS).map(
        (c) => `${path.relative(repo, file)}:${c.line} copies ${c.table}: ${c.text}`,
      ),
    );
    expect(copies).toEqual([]);
  });

  it('finds the copies the renderer used to keep', () => {
    const old = [
      "export const MAX_SEED = 2 ** 32 - 1;",
      "export const QUALITY_PRESETS = ['lowest', 'low', 'medium', 'high', 'ultra'] as const;",
      'export const PRESET_STEPS = { lowest: 12, low: 15, medium: 30, high: 60, ultra: 100 } as const;',
      "const FRAMES_PER_IMAGE = { low: 16, medium: 8, high: 4, ultra: 2 } as const;",
      'export const MAX_CRF = { mp4: 51, webm: 63 } as const;',
      "export const ENCODER_PRESETS = ['ultrafast', 'superfast', 'veryfast'] as const;",
      "const SEED_RANGE = 'from 0 to ' + 4294967295;",
    ].join('\n');
    expect(findSchemaCopies(old, TABLES, NUMBERS).map((c) => `${c.line} ${c.table}`)).toEqual([
      '1 MAX_SEED',
      '2 QUALITY_PRESET_NAMES',
      '3 QUALITY_PRESET_NAMES',
      '4 QUALITY_PRESET_NAMES',
      '5 EXPORT_FORMATS',
      '6 ENCODER_PRESETS',
      `7 ${MAX_SEED}`,
    ]);
  });

  it('leaves labels and unrelated lists alone', () => {
    const fine = [
      "const SCHEDULER_LABELS = { ddim: 'DDIM', 'dpmpp-2m': 'DPM-Solver++ 2M' };",
      "const modes = ['fixed', 'adaptive'];",
      "const one = ['mp4'];",
      'const r = buf[0] / 2 ** 32;',
    ].join('\n');
    expect(findSchemaCopies(fine, TABLES, NUMBERS)).toEqual([]);
  });
});
