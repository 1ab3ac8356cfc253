import { z } from 'zod';
import { ProjectError, issuesFromZod } from './errors';
import { knownKeysAt } from './known-keys';
import { QUALITY_PRESET_NAMES } from './quality';
import { CURRENT_PROJECT_VERSION, PROJECT_FORMAT } from './schema';

/**
 * Project files carry an integer `version`. Reading an older file runs, in order, every
 * migration from its version up to the current one, each turning a version-n document into a
 * version-(n+1) document (raw JSON in, raw JSON out: defaults are filled by the current
 * schema afterwards). Files are never rewritten on open; the migrated form is written on the
 * next save. Newer files than this build understands are refused, never guessed at.
 */
export interface Migration {
  /** The version this migration reads; it produces `from + 1`. */
  readonly from: number;
  readonly description: string;
  migrate(document: Record<string, unknown>, sourcePath?: string): Record<string, unknown>;
}

/**
 * Version 0: the prototype's flat layout (one prompt list, settings shared by every
 * transition). Kept so such files still open, and as the migration mechanism's living test.
 */
const V0Schema = z.strictObject({
  version: z.literal(0),
  name: z.string().optional(),
  model: z.string().min(1).optional(),
  prompts: z.array(z.string()).min(1),
  negativePrompt: z.string().optional(),
  seeds: z.array(z.number().int().min(0).max(2 ** 32 - 1)).optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  steps: z.number().optional(),
  guidance: z.number().optional(),
  fps: z.number().optional(),
  quality: z.enum(QUALITY_PRESET_NAMES).optional(),
  duration: z.number().optional(),
  depthStrength: z.number().optional(),
});

const v0ToV1: Migration = {
  from: 0,
  description: 'flat prototype layout → keyframes and transitions',
  migrate(document, sourcePath) {
    const parsed = V0Schema.safeParse(document);
    if (!parsed.success) {
      throw new ProjectError(
        issuesFromZod(parsed.error.issues, document, (p) => knownKeysAt(V0Schema, p)).map((i) => ({
          ...i,
          message: `${i.message} (in a version 0 project)`,
        })),
        sourcePath,
      );
    }
    const v0 = parsed.data;
    if (v0.seeds !== undefined && v0.seeds.length !== v0.prompts.length) {
      throw new ProjectError(
        [{ path: 'seeds', message: `has ${v0.seeds.length} seeds for ${v0.prompts.length} prompts; give one seed per prompt (in a version 0 project)` }],
        sourcePath,
      );
    }
    const v1: Record<string, unknown> = {
      format: PROJECT_FORMAT,
      version: 1,
      name: v0.name,
      model: v0.model === undefined || v0.model === 'demo' ? undefined : { path: v0.model },
      width: v0.width,
      height: v0.height,
      steps: v0.steps,
      guidance: v0.guidance,
      fps: v0.fps,
      keyframes: v0.prompts.map((prompt, i) => ({
        prompt,
        negativePrompt: v0.negativePrompt,
        seed: v0.seeds?.[i],
      })),
      transitions: v0.prompts.slice(1).map(() => ({
        duration: v0.duration,
        depthStrength: v0.depthStrength,
        mode: v0.quality === undefined ? undefined : { kind: 'fixed', preset: v0.quality },
      })),
    };
    return dropUndefined(v1) as Record<string, unknown>;
  },
};

/**
 * Version 2: pacing that only re-times. Transitions get an easing curve, of which "even
 * perceived speed" (version 1's `equalPerceptualSpacing: true`) is one; keyframes may hold.
 */
const v1ToV2: Migration = {
  from: 1,
  description: 'equalPerceptualSpacing → easing "even-perceived-speed"; keyframe holds',
  migrate(document) {
    const transitions = document.transitions;
    if (!Array.isArray(transitions)) return { ...document, version: 2 };
    return {
      ...document,
      version: 2,
      transitions: transitions.map((t: unknown) => {
        if (t === null || typeof t !== 'object' || Array.isArray(t) || !('equalPerceptualSpacing' in t)) return t;
        const { equalPerceptualSpacing, ...rest } = t as Record<string, unknown>;
        // A non-boolean is left in place so the current schema names it as an unknown field.
        if (typeof equalPerceptualSpacing !== 'boolean') return t;
        return equalPerceptualSpacing ? { ...rest, easing: { curve: 'even-perceived-speed' } } : rest;
      }),
    };
  },
};

/** Ordered: MIGRATIONS[i].from === i. */
export const MIGRATIONS: readonly Migration[] = [v0ToV1, v1ToV2];

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, dropUndefined(v)]),
  );
}

/** Throws unless `migrations` is a gap-free chain 0 → 1 → … → `currentVersion`. */
export function assertMigrationChain(migrations: readonly Migration[], currentVersion: number): void {
  migrations.forEach((m, i) => {
    if (m.from !== i) throw new Error(`migration chain: entry ${i} migrates from version ${m.from}, expected ${i}`);
  });
  if (migrations.length !== currentVersion) {
    throw new Error(`migration chain: ${migrations.length} migrations reach version ${migrations.length}, but the current version is ${currentVersion}`);
  }
}

export interface MigrationResult {
  readonly document: unknown;
  /** The version the file was written in. */
  readonly fromVersion: number;
  /** Descriptions of the migrations applied, in order (empty when already current). */
  readonly applied: readonly string[];
}

/**
 * Bring a parsed JSON document to the current version. Only the envelope (`version`) is
 * checked here; the result still needs the current schema.
 */
export function migrateToCurrent(
  json: unknown,
  sourcePath?: string,
  migrations: readonly Migration[] = MIGRATIONS,
  currentVersion: number = CURRENT_PROJECT_VERSION,
): MigrationResult {
  assertMigrationChain(migrations, currentVersion);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ProjectError(
      [{ path: '', message: `a project file must contain a JSON object {"format": "${PROJECT_FORMAT}", "version": ${currentVersion}, …}, not ${Array.isArray(json) ? 'a list' : json === null ? 'null' : `a ${typeof json}`}` }],
      sourcePath,
    );
  }
  const version = (json as Record<string, unknown>).version;
  if (version === undefined) {
    throw new ProjectError(
      [{ path: 'version', message: `is required; add "version": ${currentVersion} (and "format": "${PROJECT_FORMAT}") at the top of the file` }],
      sourcePath,
    );
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new ProjectError([{ path: 'version', message: `must be a whole number such as ${currentVersion}, got ${JSON.stringify(version)}` }], sourcePath);
  }
  if (version > currentVersion) {
    throw new ProjectError(
      [{ path: 'version', message: `is ${version}: this file was written by a newer Latent Blending Studio (this one reads versions up to ${currentVersion}); update the app to open it` }],
      sourcePath,
    );
  }
  let document = json as Record<string, unknown>;
  const applied: string[] = [];
  for (let v = version; v < currentVersion; v++) {
    document = migrations[v].migrate(document, sourcePath);
    applied.push(migrations[v].description);
  }
  return { document, fromVersion: version, applied };
}
