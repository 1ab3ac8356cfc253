import { describe, expect, it } from 'vitest';
import { removeTokenFromAddress } from './address-token';

function fakeHistory() {
  const calls: { state: unknown; url: string }[] = [];
  return { calls, history: { state: { keep: 1 }, replaceState: (state: unknown, _unused: string, url: string) => calls.push({ state, url }) } };
}

describe('removeTokenFromAddress', () => {
  it('drops only the token, keeping the path, other parameters, the hash and the history state', () => {
    const { calls, history } = fakeHistory();
    expect(removeTokenFromAddress({ href: 'http://127.0.0.1:7860/?token=s3cr3t&view=compact#player' }, history)).toBe(true);
    expect(calls).toEqual([{ state: { keep: 1 }, url: '/?view=compact#player' }]);
    expect(calls[0].url).not.toContain('s3cr3t');
  });

  it('leaves an address without a token alone (a reload authorised by the cookie)', () => {
    const { calls, history } = fakeHistory();
    expect(removeTokenFromAddress({ href: 'http://127.0.0.1:7860/' }, history)).toBe(false);
    expect(calls).toEqual([]);
  });
});
