export {
  DEMO_MODEL_NAME,
  DEMO_MODEL_VERSION,
  DEMO_MARKER_FILE,
  DEMO_FAST_SCHEDULER_JSON,
  ensureFastDemoModel,
  defaultCacheDir,
  ensureDemoModels,
  onnxModelIndex,
  writeDemoModel,
} from './demo-model';
export type { DemoVariant } from './demo-model';
export { demoClipVocabulary, writeClipTokenizerFiles } from './clip-vocabulary';
export type { ClipVocabulary } from './clip-vocabulary';
export { demoPromptIds } from './prompt-ids';
