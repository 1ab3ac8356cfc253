import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import FarmSettings from './farm-settings.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('FarmSettings', () => {
  it('stores a typed URL, shows it back masked, switches the farm on and tests the connection', async () => {
    const { wrapper, host } = await mountWithStudio(FarmSettings);
    await settle();
    const url = wrapper.get('input[aria-label="Farm Redis URL"]');
    await url.setValue('redis://:secret@farm:6379');
    await url.trigger('change');
    await settle();
    expect(host.calls.filter((c) => c.method === 'farm.set').at(-1)!.payload).toMatchObject({ enabled: false, url: 'redis://:secret@farm:6379' });
    // The field empties; the stored URL shows masked.
    expect((url.element as HTMLInputElement).value).toBe('');
    expect(url.attributes('placeholder')).toBe('redis://:***@farm:6379');

    await wrapper.get('input[aria-label="Render on farm"]').setValue(true);
    await settle();
    expect(host.farm.enabled).toBe(true);
    // Switching on does not send the URL again: the host keeps the one it has.
    expect(host.calls.filter((c) => c.method === 'farm.set').at(-1)!.payload).not.toHaveProperty('url');

    await wrapper.findAll('button').find((b) => b.text() === 'Test connection')!.trigger('click');
    await settle();
    expect(wrapper.get('[data-testid="farm-test"]').text()).toBe('Connected to redis://:***@farm:6379 (Redis 7.0.15), 2 workers connected.');
  });

  it('shows why the connection failed, with the fix', async () => {
    const { wrapper, host } = await mountWithStudio(FarmSettings);
    await settle();
    // Testing a URL before storing it.
    await wrapper.get('input[aria-label="Farm Redis URL"]').setValue('redis://farm:6379');
    host.failNext('farm.test', { code: 'FARM_UNAVAILABLE', message: 'Cannot use the render farm at redis://farm:6379: connect ECONNREFUSED.', hint: 'Start Redis there (redis-server), or fix the host and port.' });
    await wrapper.findAll('button').find((b) => b.text() === 'Test connection')!.trigger('click');
    await settle();
    const alert = wrapper.get('[data-testid="farm-test"]');
    expect(alert.attributes('role')).toBe('alert');
    expect(alert.text()).toBe('Cannot use the render farm at redis://farm:6379: connect ECONNREFUSED. Start Redis there (redis-server), or fix the host and port.');
    expect(host.calls.filter((c) => c.method === 'farm.test').at(-1)!.payload).toEqual({ url: 'redis://farm:6379' });
  });

  it('refused settings say why', async () => {
    const { wrapper, host } = await mountWithStudio(FarmSettings);
    host.failNext('farm.set', { code: 'BAD_REQUEST', message: 'Render on farm needs the Redis URL of the farm.', path: ['url'], hint: 'Enter redis://[:PASSWORD@]HOST:PORT, test the connection, then switch it on.' });
    await wrapper.get('input[aria-label="Render on farm"]').setValue(true);
    await settle();
    expect(wrapper.get('[role="alert"]').text()).toMatch(/^Render on farm needs the Redis URL of the farm\./);
    expect(host.farm.enabled).toBe(false);
  });
});
