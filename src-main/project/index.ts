/** The project layer: project files (schema, migrations, atomic save, autosave) and the render cache. */
export * from './schema';
export { ProjectError, type ProjectIssue } from './errors';
export { parseProject, parseProjectText, parseJsonText } from './parse';
export { MIGRATIONS, migrateToCurrent, type Migration, type MigrationResult } from './migrations';
export { createProject, createDefaultProject, resolveProjectPaths, projectBaseName } from './create';
export {
  QUALITY_PRESETS,
  type QualityPreset,
  effectiveSteps,
  presetSteps,
  presetFinalImages,
  transitionFrameCount,
  firstInjectionStep,
} from './quality';
export { writeFileAtomic, cleanupStaleTemps, isTempFileName, type AtomicWriteOptions } from './atomicWrite';
export { serializeProject, saveProjectAtomic, loadProject } from './store';
export { autosavePathFor, writeAutosave, readRecovery, discardAutosave, type Recovery } from './autosave';
export { CACHE_KEY_VERSION, cacheKey, canonicalJson, projectCacheKeys, type CacheContext, type ProjectCacheKeys } from './cacheKey';
export { fingerprintModelFolder, hashFile, buildCacheContext, type CacheContextOptions } from './fingerprint';
export { encodeLatents, decodeLatents, LatentFileError } from './latentFile';
export {
  RenderCache,
  cacheDirFor,
  type CacheStats,
  type ImageMeta,
  type JsonValue,
  type ManifestImage,
  type ResumeState,
  type TransitionManifest,
} from './renderCache';
