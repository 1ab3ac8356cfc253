/** Any problem with a tokenizer's files or definition; `file` names the culprit when there is one. */
export class TokenizerError extends Error {
  override readonly name = 'TokenizerError';
  constructor(message: string, readonly file?: string) {
    super(message);
  }
}
