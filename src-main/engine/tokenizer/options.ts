/** Special-token ids and length of a CLIP tokenizer: what a tokenizer folder defines (tokenizer-folder.ts) and ClipTokenizer uses. */
export interface ClipTokenizerOptions {
  padId: number;
  bosId: number;
  eosId: number;
  /** Text encoder sequence length; default 77 (BOS + 75 tokens + EOS). */
  maxLength?: number;
  /** Id for a BPE symbol missing from the vocabulary; default eosId (CLIP's unk is <|endoftext|>). */
  unkId?: number;
}
