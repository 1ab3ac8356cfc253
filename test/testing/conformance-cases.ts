/**
 * The case list of ../shared/conformance/sd2-tiny-diffusers (see its README): one schema for
 * both conformance tests, so a field the generator adds is declared once and a malformed
 * cases.json fails with the case and field instead of a confusing mismatch later.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export const CONFORMANCE_ROOT = resolve(import.meta.dirname, '../../../shared/conformance/sd2-tiny-diffusers');

const ConformanceCaseSchema = z.object({
  name: z.string(),
  model: z.string(),
  prompt: z.string(),
  negative: z.string(),
  seed: z.number().int(),
  steps: z.number().int().positive(),
  guidance: z.number(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  scheduler: z.string(),
  timestepSpacing: z.enum(['leading', 'trailing', 'linspace']).optional(),
});
export type ConformanceCase = z.infer<typeof ConformanceCaseSchema>;

export function readConformanceCases(): ConformanceCase[] {
  const file = join(CONFORMANCE_ROOT, 'cases.json');
  if (!existsSync(file)) {
    throw new Error(`Conformance data missing: ${file}. The repository expects the shared folder beside its checkout (../shared).`);
  }
  return z.array(ConformanceCaseSchema).parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Where diffusers' outputs for one case lie. */
export const expectedDir = (c: ConformanceCase): string => join(CONFORMANCE_ROOT, 'expected', c.name);
