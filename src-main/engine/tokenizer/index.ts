export { ClipTokenizer, type ClipTokenizerOptions, type TokenizedPrompt } from './clipTokenizer';
export { clipVocabFromMerges, CLIP_BOS_TOKEN, CLIP_EOS_TOKEN, CLIP_MERGE_COUNT, CLIP_VOCAB_SIZE } from './clipVocab';
export { parseMergesText } from './merges';
export { TokenizerError } from './errors';
