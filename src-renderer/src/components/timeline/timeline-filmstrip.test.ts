import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import TimelineFilmstrip from './timeline-filmstrip.vue';
import TimelinePanel from './timeline-panel.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

const srcs = (el: { findAll(s: string): Array<{ attributes(n: string): string | undefined }> }) => el.findAll('img').map((i) => i.attributes('src'));

describe('TimelineFilmstrip', () => {
  it('shows a finished transition’s images in position order on its timeline block, and none on an unrendered one', async () => {
    const { wrapper, renders } = await mountWithStudio(TimelinePanel);
    renders.applyFrames({
      keyframes: [],
      transitions: [{ index: 1, complete: true, frames: [{ position: 0, url: 'data:,a' }, { position: 0.5, url: 'data:,m' }, { position: 1, url: 'data:,b' }] }],
    });
    await settle();
    const blocks = wrapper.findAll('li.block');
    expect(blocks).toHaveLength(2);
    expect(blocks[0].find('[data-testid="filmstrip"]').exists()).toBe(false);
    const strip = blocks[1].get('[data-testid="filmstrip"]');
    expect(srcs(strip)).toEqual(['data:,a', 'data:,m', 'data:,b']);
  });

  it('fills in as a rendering transition’s images arrive, each in its place', async () => {
    const { wrapper, host } = await mountWithStudio(TimelineFilmstrip, ['one', 'two'], { props: { index: 0, width: 400 } });
    expect(wrapper.find('[data-testid="filmstrip"]').exists()).toBe(false);
    host.emit('job.frame', { jobId: 'j', target: 'transition', transition: 0, position: 1, index: 2, url: 'data:,end' });
    host.emit('job.frame', { jobId: 'j', target: 'transition', transition: 0, position: 0, index: 0, url: 'data:,start' });
    await settle();
    expect(srcs(wrapper.get('[data-testid="filmstrip"]'))).toEqual(['data:,start', 'data:,end']);
    host.emit('job.frame', { jobId: 'j', target: 'transition', transition: 0, position: 0.25, index: 1, url: 'data:,quarter' });
    await settle();
    expect(srcs(wrapper.get('[data-testid="filmstrip"]'))).toEqual(['data:,start', 'data:,quarter', 'data:,end']);
    // Another transition's images are not this one's.
    host.emit('job.frame', { jobId: 'j', target: 'transition', transition: 1, position: 0.5, index: 1, url: 'data:,other' });
    await settle();
    expect(srcs(wrapper.get('[data-testid="filmstrip"]'))).toEqual(['data:,start', 'data:,quarter', 'data:,end']);
  });

  it('samples a long transition evenly to fit a narrow block, keeping both ends and the order', async () => {
    const { wrapper, renders } = await mountWithStudio(TimelineFilmstrip, ['one', 'two'], { props: { index: 0, width: 56 } });
    const frames = Array.from({ length: 21 }, (_, j) => ({ position: j / 20, url: `data:,${j}` }));
    renders.applyFrames({ keyframes: [], transitions: [{ index: 0, complete: true, frames }] });
    await settle();
    // 56 px holds 4 thumbnails of at least 14 px: images 0, 7, 13, 20 of 21.
    expect(srcs(wrapper.get('[data-testid="filmstrip"]'))).toEqual(['data:,0', 'data:,7', 'data:,13', 'data:,20']);
  });
});
