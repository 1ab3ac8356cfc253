import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary, planLaunch } from './launch';

const SKIPPED = () => {
  // What node_modules/electron/index.js throws when the binary download was skipped.
  throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');
};

describe('npm start', () => {
  it('finds the Electron binary the electron package names, if it is on disk', () => {
    expect(findElectronBinary(() => '/x/electron', (f) => f === '/x/electron')).toEqual({ found: true, path: '/x/electron' });
    expect(findElectronBinary(() => '/x/electron', () => false)).toEqual({ found: false, reason: '/x/electron does not exist' });
    expect(findElectronBinary(SKIPPED)).toEqual({ found: false, reason: 'the electron package has no binary' });
  });

  it('opens the built app in Electron, passing arguments on and clearing ELECTRON_RUN_AS_NODE', () => {
    const launch = planLaunch({ found: true, path: '/x/electron' }, { repo: '/repo', node: '/usr/bin/node', args: ['film.lbs.json'] });
    expect(launch).toEqual({ command: '/x/electron', args: ['/repo', 'film.lbs.json'], env: { ELECTRON_RUN_AS_NODE: undefined } });
    expect(launch.notice).toBeUndefined();
  });

  it('without the binary says so in one line and starts the web host with --open instead', () => {
    const launch = planLaunch(findElectronBinary(SKIPPED), { repo: '/repo', node: '/usr/bin/node', args: ['--port', '7000'] });
    expect([launch.command, ...launch.args]).toEqual(['/usr/bin/node', path.join('/repo', 'bin', 'latentblend.mjs'), 'serve', '--open', '--port', '7000']);
    expect(launch.notice).not.toContain('\n');
    expect(launch.notice).toMatch(/No Electron binary .*ELECTRON_SKIP_BINARY_DOWNLOAD.*latentblend serve --open.*node node_modules\/electron\/install\.js/);
  });
});
