import type { Transport } from '../../../src-main/contract/transport';

/**
 * The one transport the stores talk through. main.ts installs the real one
 * (`createTransport()`: the Electron bridge or the web host's WebSocket); tests install a fake.
 */
let current: Transport | null = null;

export function installTransport(transport: Transport): void {
  current = transport;
}

export function transport(): Transport {
  if (!current) throw new Error('No transport installed: call installTransport(createTransport()) before mounting the studio');
  return current;
}
