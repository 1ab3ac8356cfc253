import { CodedError } from '../errors';

/** Any problem with a tokenizer's files or definition; `file` names the culprit when there is one. */
export class TokenizerError extends CodedError {
  override name = 'TokenizerError';
  constructor(message: string, file?: string) {
    super('MODEL_BAD_CONFIG', message, { file });
  }
}
