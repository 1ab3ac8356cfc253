import { CodedError, type CodedErrorOptions } from '../../engine/errors';

/**
 * Render-farm failures (codes in engine/errors.ts ERROR_CODES): Redis unreachable or gone
 * (FARM_UNAVAILABLE), a piece that failed for good (FARM_JOB_FAILED, with the worker's reason).
 */
export type FarmErrorCode = 'FARM_UNAVAILABLE' | 'FARM_JOB_FAILED';

export class FarmError extends CodedError {
  override name = 'FarmError';
  declare readonly code: FarmErrorCode;

  constructor(code: FarmErrorCode, message: string, options: Pick<CodedErrorOptions, 'hint' | 'cause'> = {}) {
    super(code, message, options);
  }
}
