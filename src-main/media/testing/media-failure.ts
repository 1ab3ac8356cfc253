import { expect } from 'vitest';
import { MediaError } from '../errors';

/** The MediaError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function mediaFailure(promise: Promise<unknown>): Promise<MediaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaError);
  return error as MediaError;
}
