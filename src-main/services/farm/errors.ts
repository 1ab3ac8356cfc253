/**
 * Render-farm failures, with codes the studio shows as they are: Redis unreachable or gone
 * (FARM_UNAVAILABLE), a piece that failed for good (FARM_JOB_FAILED, with the worker's reason).
 */
export type FarmErrorCode = 'FARM_UNAVAILABLE' | 'FARM_JOB_FAILED';

export class FarmError extends Error {
  readonly code: FarmErrorCode;
  readonly hint?: string;

  constructor(code: FarmErrorCode, message: string, options: { hint?: string } = {}) {
    super(message);
    this.name = 'FarmError';
    this.code = code;
    this.hint = options.hint;
  }
}
